/* The store's bulk-index mode. A transaction that writes many annotations
 * writes them without the indexes of annotation_rows by entity and by
 * label, and builds those once at the end from sorted keys, as CREATE
 * INDEX does: keeping the index by entity up to date row by row costs a
 * random page per row, more than the rest of the row. They go when this
 * transaction's annotations reach BULK_MIN and as many as the table held
 * before it (so rebuilding costs at most about twice what the transaction
 * adds), and come back before anything else runs SQL on the connection or
 * the transaction commits: other connections, a crash, a rollback, SQL in
 * the middle of the transaction all find the schema as it was. Meanwhile
 * one statement writes a whole batch (its journal holds only the few
 * pages it changes at the end of the table and of the index by document).
 *
 * A long write (lector_store_bulk_begin .. end: a recipe's run, committed
 * in many short transactions) counts over the whole of it instead, and
 * once the indexes go they stay out, across commits and SQL, until its
 * end builds them once: otherwise every group after the first few would
 * go in with the index by entity kept up to date row by row. Committed
 * groups are whole without the two indexes (queries are slower, not
 * wrong). A long write holds a lock on the side file PATH-lector-bulk
 * (flock: the kernel drops it when the process dies, and it is per open
 * file, so another connection of the same process sees it); a read-write
 * open that finds the indexes missing and no lock held builds them
 * (store_bulk_recover), so a run killed half-way leaves a store that the
 * next open mends.
 *
 * All of the mode's state is the store_bulk in the store's shared block;
 * store_base.c tells it what happens through the hook there (and knows
 * nothing else of it), store_write.c asks it before and after each
 * batch. */
#include "store_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

enum { BULK_MIN = 10000 };

/* The largest id in annotation_rows, 0 when empty. */
static int max_ann_id(lector_store *st, int64_t *id)
{
    int rc = store_prepare_cached(
        st, &st->max_ann, "SELECT coalesce(max(id), 0) FROM annotation_rows");
    if (rc) return rc;
    int src = sqlite3_step(st->max_ann);
    *id = src == SQLITE_ROW ? sqlite3_column_int64(st->max_ann, 0) : 0;
    sqlite3_reset(st->max_ann);
    return src == SQLITE_ROW ? LECTOR_OK
                             : store_sqlite_fail(st, src, "annotating");
}

/* Whether annotation_rows has all its indexes (0 when a bulk batch or a
 * long write left some out). */
static int indexes_present(lector_store *st, int *present)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(
        st->db,
        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name "
        "IN ('annotation_rows_label', 'annotation_rows_entity', "
        "'annotation_rows_doc')",
        -1, &s, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    *present = rc == SQLITE_ROW && sqlite3_column_int(s, 0) == 3;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? LECTOR_OK
                            : store_sqlite_fail(st, rc, "reading the schema");
}

/* PATH-lector-bulk, the file a long write holds locked (PATH as SQLite
 * resolved it); 0 for a database in memory or a temporary one. */
static int lock_path(const lector_store *st, char *buf, size_t cap)
{
    const char *f = sqlite3_db_filename(st->db, "main");
    if (!f || !*f) return 0;
    return snprintf(buf, cap, "%s-lector-bulk", f) < (int)cap;
}

/* Puts back the indexes a bulk batch dropped (a no-op otherwise). */
static int restore(sqlite3 *db, store_bulk *b)
{
    if (!b->on) return SQLITE_OK;
    int rc = sqlite3_exec(db, store_ann_index_create, NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        b->on = 0;
        b->rebuilds++;
    }
    return rc;
}

static int on_event(sqlite3 *db, store_bulk *b, enum store_bulk_event ev)
{
    if (b->run) { /* a long write: the indexes stay out until its end */
        if (ev == STORE_BULK_ROLLED_BACK || ev == STORE_BULK_CHANGED)
            b->stale = 1;
        return SQLITE_OK;
    }
    switch (ev) {
    case STORE_BULK_TX:
        b->tx_rows = 0;
        b->tx_base = -1;
        return SQLITE_OK;
    case STORE_BULK_ROLLED_BACK:
        b->on = 0; /* the dropped indexes are back */
        b->tx_rows = 0;
        b->tx_base = -1;
        return SQLITE_OK;
    case STORE_BULK_SQL:
    case STORE_BULK_CHANGED: return restore(db, b);
    }
    return SQLITE_OK;
}

int store_bulk_begin(lector_store *st, size_t n)
{
    store_bulk *b = &st->sh->bulk;
    if (!b->hook) { /* the first batch: the store tells the mode from now */
        b->hook = on_event;
        b->tx_rows = 0;
        b->tx_base = -1;
    }
    if (b->run && b->stale) {
        int present;
        int rc = indexes_present(st, &present);
        if (rc) return rc;
        b->on = !present;
        b->stale = 0;
    }
    if (b->on) return LECTOR_OK;
    /* SQL between two batches put the indexes back, at the cost of
     * building them over the whole table: count afresh from there, so
     * that they go again only once as many rows as the table then held
     * are added. A loop that annotates and runs SQL in one transaction
     * rebuilds them a few times (the table doubling in between), not at
     * every turn. */
    if (b->rebuilds_seen != b->rebuilds) {
        b->rebuilds_seen = b->rebuilds;
        b->tx_rows = 0;
        b->tx_base = -1;
    }
    if (b->tx_rows + (int64_t)n < BULK_MIN) return LECTOR_OK;
    if (b->tx_base < 0) { /* the rows there were before this transaction */
        int64_t max;
        int rc = max_ann_id(st, &max);
        if (rc) return rc;
        b->tx_base = max > b->tx_rows ? max - b->tx_rows : 0;
    }
    if (b->tx_rows + (int64_t)n < b->tx_base) return LECTOR_OK;
    /* Dropping an index fails while a statement reads the table (a loop
     * over db:annotations that annotates): then stay on the usual path. */
    for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s;
         s = sqlite3_next_stmt(st->db, s))
        if (sqlite3_stmt_busy(s)) return LECTOR_OK;
    char sql[512];
    snprintf(sql, sizeof sql, "SAVEPOINT lector_bulk; %sRELEASE lector_bulk",
             store_ann_index_drop);
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK) {
        b->on = 1;
    } else {
        sqlite3_exec(st->db, "ROLLBACK TO lector_bulk; RELEASE lector_bulk",
                     NULL, NULL, NULL);
    }
    return LECTOR_OK;
}

void store_bulk_added(lector_store *st, size_t n)
{
    st->sh->bulk.tx_rows += (int64_t)n;
}

/* Builds the indexes that are missing, in a transaction of its own when
 * none is open. */
static int build_missing(lector_store *st)
{
    store_bulk *b = &st->sh->bulk;
    int present;
    int rc = indexes_present(st, &present);
    if (rc || present) return rc;
    int own = sqlite3_get_autocommit(st->db);
    if (own) rc = store_run_sql(st, "BEGIN IMMEDIATE", "indexing annotations");
    if (!rc)
        rc = store_run_sql(st, store_ann_index_create, "indexing annotations");
    if (own && !rc) rc = store_run_sql(st, "COMMIT", "indexing annotations");
    if (own && rc) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (!rc) b->rebuilds++;
    return rc;
}

static void unlock_run(lector_store *st)
{
    store_bulk *b = &st->sh->bulk;
    char path[4200];
    /* Unlinked while still locked: whoever opens the name later finds
     * no file, or a new one, never this one unlocked by a live run. */
    if (lock_path(st, path, sizeof path)) unlink(path);
    close(b->lock_fd);
    b->lock_fd = -1;
}

int lector_store_long_write(lector_store *st, int on)
{
    store_bulk *b = &st->sh->bulk;
    if (on) {
        if (b->run) {
            b->run++;
            return LECTOR_OK;
        }
        if (st->readonly) return LECTOR_OK;
        char path[4200];
        /* Without the lock (a directory we cannot write, another long
         * write on the file, a store in memory) the transactions keep the
         * usual path. */
        if (!lock_path(st, path, sizeof path)) return LECTOR_OK;
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return LECTOR_OK;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            close(fd);
            return LECTOR_OK;
        }
        if (!b->hook) b->hook = on_event;
        b->lock_fd = fd;
        b->run = 1;
        b->stale = 1;
        b->tx_rows = 0;
        b->tx_base = -1;
        return LECTOR_OK;
    }
    if (!b->run || --b->run > 0) return LECTOR_OK;
    b->on = 0;
    b->stale = 0;
    b->tx_rows = 0;
    b->tx_base = -1;
    b->rebuilds_seen = b->rebuilds;
    /* Built before the lock goes: an open in between would build them
     * too. A failure (the disk full) leaves them to the next open. */
    int rc = build_missing(st);
    unlock_run(st);
    return rc;
}

int lector_store_long_write_end(lector_store *st)
{
    store_bulk *b = &st->sh->bulk;
    if (!b->run) return LECTOR_OK;
    b->run = 1;
    return lector_store_long_write(st, 0);
}

void store_bulk_close(lector_store *st)
{
    lector_store_long_write_end(st);
}

/* The file's lock is held by a live long write. */
static int run_alive(const lector_store *st)
{
    char path[4200];
    if (!lock_path(st, path, sizeof path)) return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    int alive = flock(fd, LOCK_SH | LOCK_NB) != 0;
    close(fd);
    return alive;
}

void store_bulk_recover(lector_store *st)
{
    int present;
    if (st->readonly || st->sh->bulk.run || indexes_present(st, &present) ||
        present || run_alive(st))
        return;
    /* Not waiting for another writer: it may be a long write that has
     * not taken its lock yet, or anyone; the next open tries again. */
    sqlite3_busy_timeout(st->db, 0);
    build_missing(st);
    sqlite3_busy_timeout(st->db, st->busy_ms);
    st->err[0] = '\0';
}

unsigned lector__store_rebuilds(const lector_store *st)
{
    return st->sh->bulk.rebuilds;
}
