/* The corpus store: opening (with the checks that turn SQLite's terse
 * failures into messages naming the path and a remedy), closing, and the
 * prepared-statement query path. Failures, transactions and the statement
 * cache are in store_base.c, writing documents and annotations in
 * store_write.c, the schema in store_schema.c. */
#include "store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* SQLite reports a missing directory or an unwritable one as "unable to
 * open database file"; these checks say which it is. */
static int precheck(lector_store *st, const char *path, int readonly)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return store_fail(st, LECTOR_EIO,
                              "%s: is a directory, not a database file", path);
        return LECTOR_OK;
    }
    if (errno != ENOENT)
        return store_fail(st, LECTOR_EIO, "%s: %s", path, strerror(errno));
    if (readonly)
        return store_fail(st, LECTOR_EIO,
                          "%s: no such database (opened read-only, so it is "
                          "not created)",
                          path);
    char dir[4096];
    store_dir_of(path, dir, sizeof dir);
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return store_fail(st, LECTOR_EIO,
                          "%s: cannot create the database: directory %s does "
                          "not exist; create it first",
                          path, dir);
    return LECTOR_OK;
}

/* Two processes creating one database at once: the switch to WAL can
 * meet a lock that SQLite does not wait for (it would deadlock), so wait
 * here, up to the busy timeout, for the other opener to finish. */
static int switch_to_wal(lector_store *st)
{
    for (int waited = 0;; waited += 10) {
        int rc =
            sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK) return LECTOR_OK;
        if ((rc & 0xff) != SQLITE_BUSY || waited >= st->busy_ms)
            return store_sqlite_fail(st, rc, "switching to WAL");
        sqlite3_sleep(10);
    }
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every 10000 VM steps: past the time limit, the statement stops. */
static int on_progress(void *arg)
{
    store_shared *sh = arg;
    if (sh->deadline_ms && now_ms() >= sh->deadline_ms) {
        sh->timed_out = 1;
        return 1;
    }
    return 0;
}

void lector_store_set_time_limit(lector_store *st, int64_t ms)
{
    if (!st || !st->sh) return;
    st->sh->timed_out = 0;
    st->sh->deadline_ms = ms > 0 ? now_ms() + ms : 0;
}

int lector_store_timed_out(const lector_store *st)
{
    return st && st->sh ? st->sh->timed_out : 0;
}

/* WAL lets readers run while one process writes; NORMAL sync in WAL mode
 * keeps the file consistent through crashes (a power cut may lose the
 * last commits, never corrupt). Changing the journal mode needs a moment
 * alone with the file, so a concurrent opener may have to retry. */
static int set_pragmas(lector_store *st)
{
    /* A store is code: its triggers and views run here. DEFENSIVE keeps
     * SQL from corrupting the file on purpose, and no extension is loaded.
     * trusted_schema cannot be off: SQLite before 3.42 marks neither
     * json_valid (lector's CHECK constraints) nor FTS5 (lector's
     * triggers) innocuous, so even reading lector's own schema would fail;
     * instead store_identify refuses triggers and views that are not
     * lector's own before any of them can run. */
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_progress_handler(st->db, 10000, on_progress, st->sh);
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA busy_timeout=%d", st->busy_ms);
    int rc = store_run_sql(st, sql, "setting the busy timeout");
    if (rc) return rc;
    /* Reading the schema is the first access to the file's header: this
     * is where a file that is not a database is found out. */
    rc = store_run_sql(st, "SELECT count(*) FROM sqlite_schema", "reading");
    if (rc) return rc;
    /* What the file is, before anything in it changes (the WAL switch
     * rewrites the header of another program's database). */
    rc = store_identify(st, st->trust_schema);
    if (rc) return rc;
    if (!st->readonly) {
        if (sqlite3_db_readonly(st->db, "main") == 1)
            return store_fail(st, LECTOR_EREADONLY,
                              "%s: the database is read-only (check the "
                              "permissions of the file and its directory); "
                              "open it read-only to read it",
                              st->path);
        rc = switch_to_wal(st);
        if (rc) return rc;
        rc = store_run_sql(st, "PRAGMA synchronous=NORMAL",
                           "setting synchronous");
        if (rc) return rc;
    }
    /* mmap_size: SQLite reads the file's pages (the first GB) through a
     * memory map instead of copying each into its page cache with a
     * pread: `tag` reads every text of the store once, and over the job
     * bench (12,045 documents, 70 MB) that was 17,000 preads and 32 MB of
     * cache filled, 0.44 s to read the texts where the map takes 0.15 s
     * (tests/bench/RESULTS.md, job11). Writes still go through the WAL,
     * as before. */
    rc = store_run_sql(st,
                       "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; "
                       "PRAGMA mmap_size=1073741824",
                       "setting pragmas");
    return rc;
}

/* A WAL database read from a directory we cannot write has no -shm file
 * to share, so SQLite refuses it. When no write-ahead log holds pending
 * commits, nothing can be missed by reading it as immutable. */
static int immutable_ok(const lector_store *st)
{
    char dir[4096], wal[4200];
    struct stat sb;
    store_dir_of(st->path, dir, sizeof dir);
    if (access(dir, W_OK) == 0) return 0;
    snprintf(wal, sizeof wal, "%s-wal", st->path);
    return stat(wal, &sb) != 0 || sb.st_size == 0;
}

/* "file:" URI of a path, percent-encoding what URIs reserve. */
static char *file_uri(const char *path, const char *query)
{
    size_t n = strlen(path), q = strlen(query);
    char *uri = malloc(3 * n + q + 8), *o = uri;
    if (!uri) return NULL;
    o += sprintf(o, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20)
            o += sprintf(o, "%%%02X", *p);
        else
            *o++ = (char)*p;
    }
    memcpy(o, query, q + 1);
    return uri;
}

static int reopen_immutable(lector_store *st, int oflags)
{
    sqlite3_close_v2(st->db);
    st->db = NULL;
    char *uri = file_uri(st->path, "?immutable=1");
    if (!uri) return store_fail(st, LECTOR_ENOMEM, "out of memory");
    int src = sqlite3_open_v2(uri, &st->db, oflags | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (src != SQLITE_OK) return store_sqlite_fail(st, src, "opening");
    return set_pragmas(st);
}

int lector_store_open(const char *path, unsigned flags, int busy_ms,
                      lector_store **out)
{
    *out = NULL;
    lector_store *st = calloc(1, sizeof *st);
    if (!st) return LECTOR_ENOMEM;
    *out = st;
    st->path = strdup(path ? path : "");
    if (!st->path) return store_fail(st, LECTOR_ENOMEM, "out of memory");
    st->sh = calloc(1, sizeof *st->sh);
    if (!st->sh) return store_fail(st, LECTOR_ENOMEM, "out of memory");
    st->sh->refs = 1;
    st->ids_version = -1;
    store_tx_reset(st);
    st->readonly = (flags & LECTOR_STORE_READONLY) != 0;
    st->trust_schema = (flags & LECTOR_STORE_TRUST_SCHEMA) != 0;
    st->busy_ms = busy_ms < 0 ? 5000 : busy_ms;
    if (!path || !*path)
        return store_fail(st, LECTOR_EINVAL, "empty database path");
    /* RETURNING (3.35) gives lector_store_add_many its ids. */
    if (sqlite3_libversion_number() < 3035000)
        return store_fail(st, LECTOR_EDB,
                          "%s: lector needs SQLite 3.35 or newer, and this "
                          "is SQLite %s; install a newer libsqlite3",
                          path, sqlite3_libversion());
    int rc = precheck(st, path, st->readonly);
    if (rc) return rc;
    int oflags = st->readonly ? SQLITE_OPEN_READONLY
                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    int src = sqlite3_open_v2(path, &st->db, oflags, NULL);
    if (src != SQLITE_OK) return store_sqlite_fail(st, src, "opening");
    rc = set_pragmas(st);
    if (rc && st->readonly && immutable_ok(st))
        rc = reopen_immutable(st, oflags);
    if (rc) return rc;
    rc = store_migrate(st);
    if (!rc) rc = store_ids_register(st);
    /* A long write killed before its end left indexes out. */
    if (!rc) store_bulk_recover(st);
    /* A rollback may take back labels and entities whose ids we cached:
     * SQLite's own (an error, a full disk) as well as anyone's ROLLBACK. */
    if (!rc) sqlite3_rollback_hook(st->db, store_on_rollback, st);
    return rc;
}

static void shared_release(store_shared *sh)
{
    if (sh && --sh->refs == 0) free(sh);
}

static void finalize(sqlite3_stmt **s)
{
    sqlite3_finalize(*s);
    *s = NULL;
}

void lector_store_close(lector_store *st)
{
    if (!st) return;
    if (st->db) {
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        store_fts_event(st->db, st->sh, STORE_BULK_SQL); /* triggers on */
        store_bulk_close(st);
        finalize(&st->find);
        finalize(&st->insert_doc);
        finalize(&st->insert_docs);
        finalize(&st->doc_len);
        finalize(&st->insert_entity);
        finalize(&st->upsert_entity);
        finalize(&st->find_label);
        finalize(&st->add_label);
        finalize(&st->find_entity);
        finalize(&st->add_entity);
        finalize(&st->data_version);
        finalize(&st->insert_batch);
        finalize(&st->insert_rows);
        finalize(&st->max_ann);
        finalize(&st->run_exists);
        finalize(&st->max_doc);
        finalize(&st->own_triggers);
        sqlite3_close_v2(st->db);
    }
    store_ids_free(st);
    shared_release(st->sh);
    free(st->path);
    free(st);
}

const char *lector_store_errmsg(const lector_store *st)
{
    return st ? st->err : "out of memory";
}

const char *lector_store_path(const lector_store *st)
{
    return st->path;
}

int lector_store_readonly(const lector_store *st)
{
    return st->readonly;
}

int lector_store_schema_version(lector_store *st)
{
    sqlite3_stmt *s = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

int lector_store_exec(lector_store *st, const char *sql)
{
    if (!sql) return store_fail(st, LECTOR_EINVAL, "exec: NULL sql");
    st->sh->gen++; /* it may change or roll back anything */
    int rc = store_bulk_restore(st, 1);
    if (sqlite3_get_autocommit(st->db)) store_tx_reset(st); /* it may BEGIN */
    return rc ? rc : store_run_sql(st, sql, "running SQL");
}

/* ---- statements ------------------------------------------------------ */

struct lector_stmt {
    sqlite3_stmt *s;
    store_shared *sh; /* the store's */
    int writes;
};

/* Whether stepping s may change labels or entities or roll them back:
 * any statement that writes, and ROLLBACK TO, which SQLite counts as
 * read-only. */
static int may_write(sqlite3_stmt *s)
{
    if (!sqlite3_stmt_readonly(s)) return 1;
    const char *p = sqlite3_sql(s);
    while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p && sqlite3_strnicmp(p, "ROLLBACK", 8) == 0;
}

int lector_store_prepare(lector_store *st, const char *sql, size_t n,
                         lector_stmt **out)
{
    *out = NULL;
    if (!sql) return store_fail(st, LECTOR_EINVAL, "prepare: NULL sql");
    if (n > 0x7fffffff) return store_fail(st, LECTOR_ELIMIT, "SQL too long");
    int rc =
        store_bulk_restore(st, 0); /* so that it is planned with the indexes */
    if (rc) return rc;
    lector_stmt *ls = calloc(1, sizeof *ls);
    if (!ls) return store_fail(st, LECTOR_ENOMEM, "out of memory");
    const char *tail = NULL;
    rc = sqlite3_prepare_v2(st->db, sql, (int)n, &ls->s, &tail);
    if (rc != SQLITE_OK) {
        free(ls);
        return store_fail(st, LECTOR_EINVAL, "%s", sqlite3_errmsg(st->db));
    }
    if (!ls->s) {
        free(ls);
        return store_fail(st, LECTOR_EINVAL, "no SQL statement given");
    }
    /* One statement per call: a second one would be silently ignored. */
    while (tail && tail < sql + n &&
           (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' ||
            *tail == ';'))
        tail++;
    if (tail && tail < sql + n) {
        sqlite3_finalize(ls->s);
        free(ls);
        return store_fail(st, LECTOR_EINVAL,
                          "one SQL statement at a time (extra text after "
                          "byte %ld)",
                          (long)(tail - sql));
    }
    ls->writes = may_write(ls->s);
    ls->sh = st->sh;
    ls->sh->refs++;
    *out = ls;
    return LECTOR_OK;
}

void lector_stmt_free(lector_stmt *s)
{
    if (!s) return;
    sqlite3_finalize(s->s);
    shared_release(s->sh);
    free(s);
}

static int bind_rc(int rc)
{
    return rc == SQLITE_OK      ? LECTOR_OK
           : rc == SQLITE_RANGE ? LECTOR_EINVAL
           : rc == SQLITE_NOMEM ? LECTOR_ENOMEM
                                : LECTOR_EDB;
}

int lector_stmt_bind_int64(lector_stmt *s, int i, int64_t v)
{
    return bind_rc(sqlite3_bind_int64(s->s, i, v));
}

int lector_stmt_bind_double(lector_stmt *s, int i, double v)
{
    return bind_rc(sqlite3_bind_double(s->s, i, v));
}

int lector_stmt_bind_text(lector_stmt *s, int i, const char *p, size_t n)
{
    if (!p) return bind_rc(sqlite3_bind_null(s->s, i));
    return bind_rc(
        sqlite3_bind_text64(s->s, i, p, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int lector_stmt_bind_null(lector_stmt *s, int i)
{
    return bind_rc(sqlite3_bind_null(s->s, i));
}

int lector_stmt_params(lector_stmt *s)
{
    return sqlite3_bind_parameter_count(s->s);
}

/* SQLite's result code as a LECTOR_E* code. */
static int lector_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return LECTOR_EBUSY;
    case SQLITE_READONLY: return LECTOR_EREADONLY;
    case SQLITE_FULL:
    case SQLITE_IOERR: return LECTOR_EIO;
    case SQLITE_NOMEM: return LECTOR_ENOMEM;
    default: return LECTOR_EDB;
    }
}

int lector_stmt_step(lector_stmt *s)
{
    if (s->writes) s->sh->gen++;
    /* Prepared before a bulk batch dropped the indexes: put them back. */
    int rc = store_tell_bulk(sqlite3_db_handle(s->s), s->sh,
                             s->writes ? STORE_BULK_CHANGED : STORE_BULK_SQL);
    if (rc != SQLITE_OK) return lector_code(rc);
    rc = sqlite3_step(s->s);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return lector_code(rc);
}

int lector_stmt_reset(lector_stmt *s)
{
    sqlite3_reset(s->s);
    return bind_rc(sqlite3_clear_bindings(s->s));
}

int lector_stmt_columns(lector_stmt *s)
{
    return sqlite3_column_count(s->s);
}

const char *lector_stmt_column_name(lector_stmt *s, int i)
{
    return sqlite3_column_name(s->s, i);
}

int lector_stmt_column_type(lector_stmt *s, int i)
{
    return sqlite3_column_type(s->s, i);
}

int64_t lector_stmt_column_int64(lector_stmt *s, int i)
{
    return sqlite3_column_int64(s->s, i);
}

double lector_stmt_column_double(lector_stmt *s, int i)
{
    return sqlite3_column_double(s->s, i);
}

const char *lector_stmt_column_text(lector_stmt *s, int i, size_t *n)
{
    /* Blobs come back as their bytes too, so that a BLOB cast of text
     * (byte-exact substr) reads like text. */
    const char *p = sqlite3_column_type(s->s, i) == SQLITE_BLOB
                        ? (const char *)sqlite3_column_blob(s->s, i)
                        : (const char *)sqlite3_column_text(s->s, i);
    if (n) *n = (size_t)sqlite3_column_bytes(s->s, i);
    return p ? p : "";
}

const char *lector_stmt_errmsg(lector_stmt *s)
{
    return sqlite3_errmsg(sqlite3_db_handle(s->s));
}
