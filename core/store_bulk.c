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
 * All of the mode's state is the store_bulk in the store's shared block;
 * store_base.c tells it what happens through the hook there (and knows
 * nothing else of it), store_write.c asks it before and after each
 * batch. */
#include "store_internal.h"

#include <stdio.h>

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
    case STORE_BULK_SQL: return restore(db, b);
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

unsigned lector__store_rebuilds(const lector_store *st)
{
    return st->sh->bulk.rebuilds;
}
