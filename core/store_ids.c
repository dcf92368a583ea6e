/* Labels and entities as small integer ids. annotation_rows stores
 * labels.id and entities.id instead of the strings, so that its rows and
 * the indexes by label and by entity hold integers (short records, cheap
 * compares); the view annotations gives the names back. The store keeps a
 * cache of name -> id per connection, so that a batch of spans resolves
 * its names without SQL. A bulk batch is written by one step of one
 * statement that reads the rows from a virtual table over C memory (the
 * way SQLite's carray extension passes an array), keeping its cursors
 * open from row to row. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- the caches ------------------------------------------------------ */

/* FNV-1a over a, then a separator that tells "b absent" from "b empty",
 * then b. */
static uint64_t hash_key(const char *a, size_t an, const char *b, long bn)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < an; i++)
        h = (h ^ (unsigned char)a[i]) * 0x100000001b3u;
    h = (h ^ (bn < 0 ? 0x1ffu : 0x2ffu)) * 0x100000001b3u;
    for (long i = 0; i < bn; i++)
        h = (h ^ (unsigned char)b[i]) * 0x100000001b3u;
    return h;
}

static store_idslot *slot_of(store_idmap *m, uint64_t h, const char *a,
                             size_t an, const char *b, long bn)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        store_idslot *s = &m->slots[i];
        if (s->id == 0) return s;
        if (s->hash == h && s->alen == an && s->blen == bn &&
            memcmp(s->key, a, an) == 0 &&
            (bn <= 0 || memcmp(s->key + an, b, (size_t)bn) == 0))
            return s;
    }
}

static int64_t map_get(store_idmap *m, const char *a, size_t an, const char *b,
                       long bn)
{
    if (m->cap == 0) return 0;
    return slot_of(m, hash_key(a, an, b, bn), a, an, b, bn)->id;
}

static void map_clear(store_idmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    m->slots = NULL;
    m->cap = m->used = 0;
}

/* Adds (a, b) -> id (absent before). 0 on success, -1 out of memory (the
 * map is then unchanged: a cache may always forget). */
static int map_put(store_idmap *m, const char *a, size_t an, const char *b,
                   long bn, int64_t id)
{
    if (an > UINT32_MAX || bn > INT32_MAX) return 0; /* not worth caching */
    if (2 * (m->used + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        store_idslot *slots = calloc(cap, sizeof *slots);
        if (!slots) return -1;
        store_idmap grown = {slots, cap, m->used};
        for (size_t i = 0; i < m->cap; i++) {
            store_idslot *s = &m->slots[i];
            if (s->id == 0) continue;
            size_t j = s->hash & (cap - 1);
            while (slots[j].id != 0)
                j = (j + 1) & (cap - 1);
            slots[j] = *s;
        }
        free(m->slots);
        *m = grown;
    }
    char *key = malloc(an + (bn > 0 ? (size_t)bn : 0) + 1);
    if (!key) return -1;
    memcpy(key, a, an);
    if (bn > 0) memcpy(key + an, b, (size_t)bn);
    uint64_t h = hash_key(a, an, b, bn);
    store_idslot *s = slot_of(m, h, a, an, b, bn);
    *s = (store_idslot){h, id, key, (uint32_t)an, (int32_t)bn};
    m->used++;
    return 0;
}

void store_ids_clear(lector_store *st)
{
    map_clear(&st->labels);
    map_clear(&st->entities);
    st->ids_version = -1;
    st->known_doc = st->known_len = st->known_run = 0;
}

void store_ids_free(lector_store *st)
{
    store_ids_clear(st);
    free(st->rows);
    st->rows = NULL;
    st->rows_cap = 0;
}

int store_ids_check(lector_store *st)
{
    int rc = store_prepare_cached(st, &st->data_version, "PRAGMA data_version");
    if (rc) return rc;
    int src = sqlite3_step(st->data_version);
    int64_t v =
        src == SQLITE_ROW ? sqlite3_column_int64(st->data_version, 0) : -1;
    sqlite3_reset(st->data_version);
    if (src != SQLITE_ROW) return store_sqlite_fail(st, src, "annotating");
    /* data_version moves when another connection commits: it may have
     * deleted a row we cached. gen moves on rollbacks and on SQL run
     * through lector_store_exec or a writing statement. */
    if (v != st->ids_version || st->sh->gen != st->ids_gen) {
        store_ids_clear(st);
        st->ids_version = v;
        st->ids_gen = st->sh->gen;
    }
    return LECTOR_OK;
}

/* Looks the id up with find (parameters bound by the caller); when there
 * is none, steps add and takes the new rowid. */
static int find_or_add(lector_store *st, sqlite3_stmt *find, sqlite3_stmt *add,
                       int64_t *id)
{
    int src = sqlite3_step(find);
    *id = src == SQLITE_ROW ? sqlite3_column_int64(find, 0) : 0;
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return store_sqlite_fail(st, src, "looking up a name");
    if (*id == 0) {
        src = sqlite3_step(add);
        sqlite3_reset(add);
        if (src != SQLITE_DONE) {
            sqlite3_clear_bindings(add);
            return store_sqlite_fail(st, src, "adding a name");
        }
        *id = sqlite3_last_insert_rowid(st->db);
    }
    sqlite3_clear_bindings(add);
    return LECTOR_OK;
}

/* Prepares (once) the statements that find a name's id and add it. */
static int prepare_find_add(lector_store *st, sqlite3_stmt **find,
                            const char *find_sql, sqlite3_stmt **add,
                            const char *add_sql)
{
    int rc = store_prepare_cached(st, find, find_sql);
    return rc ? rc : store_prepare_cached(st, add, add_sql);
}

int store_ids_label(lector_store *st, const char *layer, size_t layer_len,
                    const char *label, size_t label_len, int64_t *id)
{
    long bn = label ? (long)label_len : -1;
    *id = map_get(&st->labels, layer, layer_len, label, bn);
    if (*id) return LECTOR_OK;
    int rc = prepare_find_add(
        st, &st->find_label,
        "SELECT id FROM labels WHERE layer = ?1 AND label IS ?2",
        &st->add_label, "INSERT INTO labels(layer, label) VALUES (?1, ?2)");
    if (rc) return rc;
    store_bind_str(st->find_label, 1, layer, layer_len);
    store_bind_str(st->find_label, 2, label, label_len);
    store_bind_str(st->add_label, 1, layer, layer_len);
    store_bind_str(st->add_label, 2, label, label_len);
    rc = find_or_add(st, st->find_label, st->add_label, id);
    if (!rc && map_put(&st->labels, layer, layer_len, label, bn, *id))
        store_ids_clear(st);
    return rc;
}

int store_ids_entity(lector_store *st, const char *key, size_t key_len,
                     const char *type, size_t type_len, int64_t *id)
{
    *id = map_get(&st->entities, key, key_len, NULL, -1);
    if (*id) return LECTOR_OK;
    int rc = prepare_find_add(
        st, &st->find_entity, "SELECT id FROM entities WHERE key = ?1",
        &st->add_entity, "INSERT INTO entities(key, type) VALUES (?1, ?2)");
    if (rc) return rc;
    store_bind_str(st->find_entity, 1, key, key_len);
    store_bind_str(st->add_entity, 1, key, key_len);
    store_bind_str(st->add_entity, 2, type, type_len);
    rc = find_or_add(st, st->find_entity, st->add_entity, id);
    if (!rc && map_put(&st->entities, key, key_len, NULL, -1, *id))
        store_ids_clear(st);
    return rc;
}

/* ---- the batch virtual table ----------------------------------------- */

/* lector_batch(batch) yields the rows of a store_batch passed as a
 * pointer parameter: SELECT ... FROM lector_batch WHERE batch = ?. */
typedef struct store_batch {
    const store_row *rows;
    size_t n;
} store_batch;

#define BATCH_POINTER "lector_batch"

enum {
    COL_LABEL,
    COL_ENTITY,
    COL_START,
    COL_END,
    COL_ATTRS,
    COL_SENTENCE,
    COL_DOC,
    COL_BATCH /* hidden: the pointer */
};

typedef struct batch_cursor {
    sqlite3_vtab_cursor base;
    const store_batch *b;
    size_t i;
} batch_cursor;

/* Zeroed memory from SQLite's allocator, as its virtual-table objects
 * want (SQLite frees them with sqlite3_free); NULL when out of memory. */
static void *zalloc(size_t n)
{
    void *p = sqlite3_malloc64(n);
    if (p) memset(p, 0, n);
    return p;
}

static int batch_connect(sqlite3 *db, void *aux, int argc,
                         const char *const *argv, sqlite3_vtab **out,
                         char **err)
{
    (void)aux, (void)argc, (void)argv, (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(label_id, entity_id, "
                                      "start_byte, end_byte, attrs, "
                                      "sentence, doc_id, batch HIDDEN)");
    if (rc != SQLITE_OK) return rc;
    /* Only statements lector prepares use it, never views or triggers:
     * its argument is a pointer into lector's memory. */
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    *out = zalloc(sizeof **out);
    return *out ? SQLITE_OK : SQLITE_NOMEM;
}

static int batch_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

static int batch_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    (void)vt;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn == COL_BATCH && c->op == SQLITE_INDEX_CONSTRAINT_EQ &&
            c->usable) {
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->estimatedCost = 1;
            info->estimatedRows = 1000;
            return SQLITE_OK;
        }
    }
    return SQLITE_CONSTRAINT; /* no plan without the batch */
}

static int batch_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    (void)vt;
    batch_cursor *c = zalloc(sizeof *c);
    if (!c) return SQLITE_NOMEM;
    *out = &c->base;
    return SQLITE_OK;
}

static int batch_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int batch_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs,
                        int argc, sqlite3_value **argv)
{
    (void)idx, (void)idxs;
    batch_cursor *c = (batch_cursor *)cur;
    c->b = argc == 1 ? sqlite3_value_pointer(argv[0], BATCH_POINTER) : NULL;
    c->i = 0;
    return SQLITE_OK;
}

static int batch_next(sqlite3_vtab_cursor *cur)
{
    ((batch_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int batch_eof(sqlite3_vtab_cursor *cur)
{
    batch_cursor *c = (batch_cursor *)cur;
    return !c->b || c->i >= c->b->n;
}

static int batch_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    batch_cursor *c = (batch_cursor *)cur;
    const store_row *r = &c->b->rows[c->i];
    switch (col) {
    case COL_LABEL: sqlite3_result_int64(ctx, r->label_id); break;
    case COL_ENTITY:
        if (r->entity_id)
            sqlite3_result_int64(ctx, r->entity_id);
        else
            sqlite3_result_null(ctx);
        break;
    case COL_START: sqlite3_result_int64(ctx, r->start); break;
    case COL_END: sqlite3_result_int64(ctx, r->end); break;
    case COL_ATTRS:
        if (r->attrs)
            sqlite3_result_text64(ctx, r->attrs, r->attrs_len, SQLITE_STATIC,
                                  SQLITE_UTF8);
        else
            sqlite3_result_null(ctx);
        break;
    case COL_SENTENCE:
        if (r->sentence)
            sqlite3_result_int64(ctx, r->sentence);
        else
            sqlite3_result_null(ctx);
        break;
    case COL_DOC: sqlite3_result_int64(ctx, r->doc_id); break;
    default: sqlite3_result_null(ctx); break;
    }
    return SQLITE_OK;
}

static int batch_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((batch_cursor *)cur)->i + 1;
    return SQLITE_OK;
}

static const sqlite3_module batch_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE */
    .xConnect = batch_connect,
    .xBestIndex = batch_best_index,
    .xDisconnect = batch_disconnect,
    .xDestroy = batch_disconnect,
    .xOpen = batch_open,
    .xClose = batch_close,
    .xFilter = batch_filter,
    .xNext = batch_next,
    .xEof = batch_eof,
    .xColumn = batch_column,
    .xRowid = batch_rowid,
};

int store_ids_register(lector_store *st)
{
    int rc = sqlite3_create_module(st->db, "lector_batch", &batch_module, NULL);
    return rc == SQLITE_OK ? LECTOR_OK : store_sqlite_fail(st, rc, "opening");
}

/* The INSERT over lector_batch, the document of each row being doc. */
#define INSERT_BATCH(doc)                                                      \
    "INSERT INTO annotation_rows(doc_id, label_id, entity_id, start_byte, "    \
    "end_byte, attrs, run_id, sentence) SELECT " doc ", label_id, "            \
    "entity_id, start_byte, end_byte, attrs, ?2, sentence FROM lector_batch "  \
    "WHERE batch = ?3"

/* Inserts rows[0..n) with one step of the statement in slot (?1: doc_id,
 * when the statement reads it; ?2 run_id; ?3 the batch). */
static int insert_with(lector_store *st, sqlite3_stmt **slot, const char *sql,
                       int64_t doc_id, int64_t run_id, const store_row *rows,
                       size_t n)
{
    int rc = store_prepare_cached(st, slot, sql);
    if (rc) return rc;
    sqlite3_stmt *s = *slot;
    store_batch b = {rows, n};
    if (doc_id) sqlite3_bind_int64(s, 1, doc_id);
    store_bind_id(s, 2, run_id);
    sqlite3_bind_pointer(s, 3, &b, BATCH_POINTER, NULL);
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s); /* b is about to go out of scope */
    return src == SQLITE_DONE
               ? LECTOR_OK
               : store_sqlite_fail(st, src, "storing annotations");
}

int store_ids_insert(lector_store *st, int64_t doc_id, int64_t run_id,
                     const store_row *rows, size_t n)
{
    return insert_with(st, &st->insert_batch, INSERT_BATCH("?1"), doc_id,
                       run_id, rows, n);
}

int store_ids_insert_rows(lector_store *st, int64_t run_id,
                          const store_row *rows, size_t n)
{
    return insert_with(st, &st->insert_rows, INSERT_BATCH("doc_id"), 0, run_id,
                       rows, n);
}
