/* What every file of the store builds on: failures turned into messages
 * that name the path and a remedy, the cache of prepared statements,
 * transactions that nest, and the relay to the bulk-index mode's hook.
 * Opening, closing and the query path are in store_open.c. */
#include "store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* The directory part of path ("." when it has none), into buf. */
void store_dir_of(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(buf, cap, ".");
    } else if (slash == path) {
        snprintf(buf, cap, "/");
    } else {
        snprintf(buf, cap, "%.*s", (int)(slash - path), path);
    }
}

/* SQLite reports a failed write as a bare "disk I/O error", and the errno
 * it keeps may already be overwritten; so look at the likely causes: a
 * full file system, a file size limit (RLIMIT_FSIZE, ulimit -f), a quota.
 * Returns a static description, or NULL when none applies. */
static const char *write_failure(lector_store *st, int rc, int sys)
{
    if (sys == ENOSPC || sys == EDQUOT) return "the disk is full";
    if (sys == EFBIG) return "File too large (the file size limit is reached)";
    int ext = rc;
    if (ext != SQLITE_IOERR_WRITE && ext != SQLITE_IOERR_FSYNC &&
        ext != SQLITE_IOERR_TRUNCATE && ext != SQLITE_IOERR_SHMSIZE &&
        ext != SQLITE_IOERR && ext != SQLITE_IOERR_SHORT_READ)
        return NULL;
    struct rlimit rl;
    if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        static _Thread_local char buf[96];
        snprintf(buf, sizeof buf,
                 "File too large (ulimit -f allows %llu bytes per file)",
                 (unsigned long long)rl.rlim_cur);
        return buf;
    }
    char dir[4096];
    store_dir_of(st->path, dir, sizeof dir);
    struct statvfs vfs;
    if (statvfs(dir, &vfs) == 0 &&
        (unsigned long long)vfs.f_bavail * vfs.f_frsize < (1u << 20))
        return "the disk is full";
    return NULL;
}

int store_sqlite_fail(lector_store *st, int rc, const char *doing)
{
    const char *p = st->path;
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    int sys = st->db ? sqlite3_system_errno(st->db) : 0;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return store_fail(st, LECTOR_EBUSY,
                          "%s: %s: the database is locked by another process "
                          "(waited %d ms); try again when it has finished",
                          p, doing, st->busy_ms);
    case SQLITE_READONLY:
        return store_fail(st, LECTOR_EREADONLY,
                          "%s: %s: the database is read-only (%s); check the "
                          "permissions of the file and of its directory",
                          p, doing, msg);
    case SQLITE_FULL:
        return store_fail(
            st, LECTOR_EIO,
            "%s: %s: cannot write: the disk is full; nothing of this "
            "transaction was written: free some space and run "
            "again",
            p, doing);
    case SQLITE_NOTADB:
        return store_fail(st, LECTOR_EDB,
                          "%s: not an SQLite database (%s); give the path of "
                          "a lector store or of a new file",
                          p, msg);
    case SQLITE_CORRUPT:
        return store_fail(st, LECTOR_EDB,
                          "%s: the store is damaged (%s); restore it from a "
                          "copy or ingest into a new file",
                          p, msg);
    case SQLITE_CANTOPEN:
        return store_fail(st, LECTOR_EIO, "%s: cannot open the database: %s", p,
                          sys ? strerror(sys) : msg);
    case SQLITE_IOERR: {
        const char *why = write_failure(st, rc, sys);
        if (why)
            return store_fail(st, LECTOR_EIO,
                              "%s: %s: cannot write: %s; nothing of this "
                              "transaction was written: free some space (or "
                              "raise the limit) and run again",
                              p, doing, why);
        return store_fail(st, LECTOR_EIO, "%s: %s: %s%s%s", p, doing, msg,
                          sys ? ": " : "", sys ? strerror(sys) : "");
    }
    case SQLITE_NOMEM:
        return store_fail(st, LECTOR_ENOMEM, "%s: %s: out of memory", p, doing);
    case SQLITE_CONSTRAINT:
        return store_fail(st, LECTOR_EINVAL, "%s: %s: %s", p, doing, msg);
    default: return store_fail(st, LECTOR_EDB, "%s: %s: %s", p, doing, msg);
    }
}

int store_prepare_cached(lector_store *st, sqlite3_stmt **slot, const char *sql)
{
    if (*slot) return LECTOR_OK;
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                slot, NULL);
    if (rc != SQLITE_OK) return store_sqlite_fail(st, rc, "preparing");
    return LECTOR_OK;
}

int store_run_sql(lector_store *st, const char *sql, const char *doing)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? LECTOR_OK : store_sqlite_fail(st, rc, doing);
}

/* Tells the bulk-index mode (store_bulk.c) of ev, when it has run. */
int store_tell_bulk(sqlite3 *db, store_shared *sh, enum store_bulk_event ev)
{
    if (sh->checks_off && ev != STORE_BULK_ROLLED_BACK) {
        int rc = sqlite3_exec(db, "PRAGMA ignore_check_constraints=0", NULL,
                              NULL, NULL);
        if (rc != SQLITE_OK) return rc;
        sh->checks_off = 0;
    }
    /* the deferred full-text index first: SQL may read or change it */
    int rc = store_fts_event(db, sh, ev);
    if (rc != SQLITE_OK) return rc;
    store_bulk *b = &sh->bulk;
    return b->hook ? b->hook(db, b, ev) : SQLITE_OK;
}

/* A transaction starts or ends: what the bulk mode counts starts over. */
void store_tx_reset(lector_store *st)
{
    store_tell_bulk(st->db, st->sh, STORE_BULK_TX);
}

void store_on_rollback(void *arg)
{
    lector_store *st = arg;
    st->sh->gen++;
    store_tell_bulk(st->db, st->sh, STORE_BULK_ROLLED_BACK);
}

/* Puts back indexes a bulk batch dropped, before SQL of the caller's or a
 * commit reads or keeps the table. */
int store_bulk_restore(lector_store *st, int changes)
{
    int rc = store_tell_bulk(st->db, st->sh,
                             changes ? STORE_BULK_CHANGED : STORE_BULK_SQL);
    return rc == SQLITE_OK ? LECTOR_OK
                           : store_sqlite_fail(st, rc, "indexing annotations");
}

/* ---- transactions ---------------------------------------------------- */

/* When SQLite rolled a transaction back on its own (disk full, I/O error)
 * our savepoint stack is gone with it. */
static void sync_depth(lector_store *st)
{
    if (st->depth > 0 && sqlite3_get_autocommit(st->db)) st->depth = 0;
}

/* (Savepoints need no BEGIN: outside any transaction SAVEPOINT starts a
 * deferred one, so only an outermost transaction of ours is BEGIN
 * IMMEDIATE, which takes the write lock up front and so never fails
 * half-way with SQLITE_BUSY.) */

int lector_store_begin(lector_store *st)
{
    sync_depth(st);
    char sql[64];
    /* Inside a transaction someone began with plain SQL (db:exec("BEGIN"))
     * ours are savepoints too, and that one stays theirs to end. */
    int outermost = st->depth == 0 && sqlite3_get_autocommit(st->db);
    if (outermost)
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else
        snprintf(sql, sizeof sql, "SAVEPOINT lector_%d", st->depth);
    int rc = store_run_sql(st, sql, "starting a transaction");
    if (rc) return rc;
    if (st->depth == 0) st->began = outermost;
    if (outermost) store_tx_reset(st);
    st->depth++;
    return LECTOR_OK;
}

int lector_store_commit(lector_store *st)
{
    if (st->depth > 0 && st->began && sqlite3_get_autocommit(st->db)) {
        st->depth = 0;
        return store_fail(st, LECTOR_EDB,
                          "%s: the transaction was rolled back after an "
                          "earlier error; nothing of it was written",
                          st->path);
    }
    if (st->depth == 0)
        return store_fail(st, LECTOR_EINVAL, "commit: no open transaction");
    char sql[64];
    int rc = LECTOR_OK;
    if (st->depth == 1 && st->began) {
        snprintf(sql, sizeof sql, "COMMIT");
        rc = store_bulk_restore(st, 0);
    } else {
        snprintf(sql, sizeof sql, "RELEASE lector_%d", st->depth - 1);
    }
    if (!rc) rc = store_run_sql(st, sql, "committing");
    if (rc) {
        /* A failed COMMIT leaves the transaction open: undo it so the
         * file keeps only what was committed before. */
        if (st->depth == 1 && st->began) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            st->depth = 0;
        }
        return rc;
    }
    st->depth--;
    return LECTOR_OK;
}

int lector_store_rollback(lector_store *st)
{
    sync_depth(st);
    if (st->depth == 0) return LECTOR_OK;
    char sql[96];
    if (st->depth == 1 && st->began)
        snprintf(sql, sizeof sql, "ROLLBACK");
    else
        snprintf(sql, sizeof sql, "ROLLBACK TO lector_%d; RELEASE lector_%d",
                 st->depth - 1, st->depth - 1);
    int rc = store_run_sql(st, sql, "rolling back");
    st->sh->gen++; /* a savepoint's rollback fires no rollback hook */
    st->depth--;
    /* It may or may not have taken back a bulk batch's DROP INDEX. */
    if (!sqlite3_get_autocommit(st->db)) store_bulk_restore(st, 1);
    sync_depth(st);
    return rc;
}

int lector_store_depth(const lector_store *st)
{
    return st->depth;
}
