/* The full-text index of documents added inside a transaction, written in
 * one statement when the transaction's documents are done.
 *
 * The trigger documents_fts_insert indexes each document its INSERT adds,
 * and FTS5 writes out the terms it holds as a new segment whenever a
 * statement or savepoint that wrote to it ends: a transaction that adds
 * documents 64 to a statement (ingest's groups) made a segment every 64
 * documents, and making and merging those segments cost about a tenth of
 * ingest (tests/bench/RESULTS.md, ing7). So lector_store_add_many, inside
 * a transaction the caller opened, adds its documents with the
 * connection's triggers switched off (SQLITE_DBCONFIG_ENABLE_TRIGGER,
 * this connection only) and remembers that every document with an id
 * above `after` is not indexed yet; before anything else runs SQL on the
 * connection, and before the commit, one INSERT ... SELECT indexes them
 * and the triggers come back. So no one can see the difference: other
 * connections see only what is committed, and SQL of this connection
 * (a MATCH, an UPDATE the update trigger must see, a savepoint's
 * rollback) runs after the index has caught up. A rollback takes the
 * documents and their pending state away together.
 *
 * The state lives in the store's shared block: a statement, which may
 * outlive its store, reaches it through store_tell_bulk (store_base.c). */
#include "store_internal.h"

/* Above this, SQLite may give a new row any free rowid, and documents
 * added now could not be told by their ids from those indexed before. */
#define FTS_MAX_AFTER ((int64_t)1 << 62)

/* Switches the connection's triggers on or off (it marks every prepared
 * statement to be prepared again, with or without them, at its next
 * step). */
static void set_triggers(sqlite3 *db, store_fts *f, int on)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, (int *)0);
    f->off = !on;
}

/* Whether the triggers that documents go in without are lector's own:
 * those were compared with lector's when the store was opened (unless
 * with LECTOR_STORE_TRUST_SCHEMA), no trigger was added since (a TEMP one
 * included), and the full-text one is there (a store made by an early
 * lector may lack it, and then nothing is to be indexed). Statements of
 * the store's own that run while the triggers are off (the annotations of
 * a group, its labels and entities) fire none of lector's. */
static int only_ours(lector_store *st, int *ok)
{
    *ok = 0;
    if (st->trust_schema) return LECTOR_OK;
    int rc = store_prepare_cached(
        st, &st->own_triggers,
        "SELECT EXISTS (SELECT 1 FROM main.sqlite_schema WHERE type = "
        "'trigger' AND name = 'documents_fts_insert') AND NOT EXISTS "
        "(SELECT 1 FROM main.sqlite_schema WHERE type = 'trigger' AND name "
        "NOT IN ('documents_fts_insert', 'documents_fts_delete', "
        "'documents_fts_update', 'annotations_insert', 'annotations_update', "
        "'annotations_delete', 'labels_keep', 'entities_keep', "
        "'labels_keep_id', 'entities_keep_id')) AND NOT EXISTS (SELECT 1 "
        "FROM temp.sqlite_schema WHERE type = 'trigger')");
    if (rc) return rc;
    int src = sqlite3_step(st->own_triggers);
    if (src == SQLITE_ROW) *ok = sqlite3_column_int(st->own_triggers, 0);
    sqlite3_reset(st->own_triggers);
    return src == SQLITE_ROW ? LECTOR_OK
                             : store_sqlite_fail(st, src, "reading the schema");
}

/* The largest document id, or -1 when it is too large to tell later
 * documents by. */
static int max_doc_id(lector_store *st, int64_t *max)
{
    int rc = store_prepare_cached(st, &st->max_doc,
                                  "SELECT coalesce(max(id), 0) FROM documents");
    if (rc) return rc;
    int src = sqlite3_step(st->max_doc);
    *max = src == SQLITE_ROW ? sqlite3_column_int64(st->max_doc, 0) : 0;
    sqlite3_reset(st->max_doc);
    if (src != SQLITE_ROW)
        return store_sqlite_fail(st, src, "adding documents");
    if (*max >= FTS_MAX_AFTER) *max = -1;
    return LECTOR_OK;
}

int store_fts_defer(lector_store *st, size_t n)
{
    store_fts *f = &st->sh->fts;
    if (f->pending) return LECTOR_OK;
    /* One document a call (db:add in a loop, SQL between: entities --db)
     * would switch the triggers, and so have every statement prepared
     * again, for each document: it keeps the trigger. */
    int ours = 0;
    int64_t max = -1;
    int rc = n > 1 ? only_ours(st, &ours) : LECTOR_OK;
    if (!rc && ours) rc = max_doc_id(st, &max);
    if (rc || max < 0) {
        if (f->off) set_triggers(st->db, f, 1); /* (off since a rollback) */
        return rc;
    }
    if (!f->off) set_triggers(st->db, f, 0);
    f->after = max;
    f->pending = 1;
    return LECTOR_OK;
}

/* Indexes the documents with ids in (lo, hi]. */
static int index_ids(sqlite3 *db, int64_t lo, int64_t hi)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "INSERT INTO documents_fts(rowid, title, text) "
        "SELECT id, title, text FROM documents WHERE id > ?1 AND id <= ?2",
        -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, lo);
        sqlite3_bind_int64(s, 2, hi);
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

int store_fts_added(lector_store *st, const int64_t *ids, const int *is_new,
                    size_t n)
{
    store_fts *f = &st->sh->fts;
    if (!f->pending) return LECTOR_OK;
    /* (cannot happen below FTS_MAX_AFTER, where a new row's id is the
     * largest plus one; were it to, the document is indexed now) */
    for (size_t i = 0; i < n; i++) {
        if (!is_new[i] || ids[i] > f->after) continue;
        int rc = index_ids(st->db, ids[i] - 1, ids[i]);
        if (rc != SQLITE_OK) return store_sqlite_fail(st, rc, "indexing");
    }
    return LECTOR_OK;
}

int store_fts_event(sqlite3 *db, store_shared *sh, enum store_bulk_event ev)
{
    store_fts *f = &sh->fts;
    if (ev == STORE_BULK_ROLLED_BACK) {
        /* (from the rollback hook, which must not run SQL: the documents
         * are gone, and the triggers come back at the next SQL) */
        f->pending = 0;
        return SQLITE_OK;
    }
    if (f->pending) {
        int rc = index_ids(db, f->after, INT64_MAX);
        if (rc != SQLITE_OK) return rc;
        f->pending = 0;
    }
    if (f->off) set_triggers(db, f, 1);
    return SQLITE_OK;
}
