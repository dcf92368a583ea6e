/* Writing to the store: documents (with versions under one uri), the
 * annotation batches (by the bulk-index mode of store_bulk.c when they are
 * many), entities and runs. Each public call is one transaction
 * (or a savepoint inside the caller's), so it is all-or-nothing. */
#include "common.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistr.h>

static int step_done(lector_store *st, sqlite3_stmt *s, const char *doing)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? LECTOR_OK : store_sqlite_fail(st, rc, doing);
}

/* Ends the transaction begun by a writer: commit on success, otherwise
 * roll back while keeping the first failure's message. */
static int finish(lector_store *st, int rc)
{
    if (rc == LECTOR_OK) return lector_store_commit(st);
    char keep[sizeof st->err];
    memcpy(keep, st->err, sizeof keep);
    lector_store_rollback(st);
    memcpy(st->err, keep, sizeof keep);
    return rc;
}

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- documents ------------------------------------------------------- */

/* One call of lector_store_add_many: the caller's documents, their
 * hashes (computed before the transaction), where the results go, and the
 * documents waiting for one INSERT (indexes into docs, with what each
 * supersedes). */
typedef struct adding {
    const lector_doc *docs;
    const char (*hash)[65];
    int64_t run_id;
    int64_t *ids;
    int *is_new, *versions;
    size_t n; /* pending */
    size_t at[STORE_ADD_ROWS];
    int64_t prev_id[STORE_ADD_ROWS];
    int version[STORE_ADD_ROWS];
} adding;

/* The place among the pending of the document with uri (uri, len), or
 * -1. */
static long pending_find(const adding *ad, const char *uri, size_t len)
{
    for (size_t j = 0; j < ad->n; j++) {
        const lector_doc *d = &ad->docs[ad->at[j]];
        if (d->uri_len == len && memcmp(d->uri, uri, len) == 0) return (long)j;
    }
    return -1;
}

/* The INSERT of n documents (1 <= n <= STORE_ADD_ROWS), 11 parameters a
 * row: hash, title, author, outlet, published, text, meta, run, uri,
 * version, supersedes. The 1-row and full statements are kept; others are
 * prepared into *tmp for one use. RETURNING gives ids in no set order,
 * hence base_uri with them. */
static int insert_docs_stmt(lector_store *st, size_t n, sqlite3_stmt **out,
                            sqlite3_stmt **tmp)
{
    sqlite3_stmt **slot = n == 1                ? &st->insert_doc
                          : n == STORE_ADD_ROWS ? &st->insert_docs
                                                : tmp;
    if (*slot) {
        *out = *slot;
        return LECTOR_OK;
    }
    static const char head[] =
        "INSERT INTO documents(uri, hash, title, author, outlet, published, "
        "text, meta, base_uri, version, supersedes, run_id) VALUES ";
    static const char row[] =
        "(CASE WHEN ?%2$zu = 1 THEN ?%1$zu ELSE ?%1$zu || '#v' || ?%2$zu END,"
        "?%3$zu,?%4$zu,?%5$zu,?%6$zu,?%7$zu,?%8$zu,coalesce(?%9$zu,'{}'),"
        "?%1$zu,?%2$zu,?%10$zu,?%11$zu)";
    static const char tail[] = " RETURNING id, base_uri";
    char *sql = malloc(sizeof head + n * (sizeof row + 64) + sizeof tail);
    if (!sql)
        return store_fail(st, LECTOR_ENOMEM, "adding documents: out of memory");
    size_t len = (size_t)sprintf(sql, "%s", head);
    for (size_t i = 0; i < n; i++) {
        size_t p = i * 11;
        len += (size_t)sprintf(sql + len, "%s", i ? "," : "");
        len +=
            (size_t)sprintf(sql + len, row, p + 9, p + 10, p + 1, p + 2, p + 3,
                            p + 4, p + 5, p + 6, p + 7, p + 11, p + 8);
    }
    memcpy(sql + len, tail, sizeof tail);
    int rc = sqlite3_prepare_v3(st->db, sql, -1,
                                slot == tmp ? 0 : SQLITE_PREPARE_PERSISTENT,
                                slot, NULL);
    free(sql);
    if (rc != SQLITE_OK) return store_sqlite_fail(st, rc, "preparing");
    *out = *slot;
    return LECTOR_OK;
}

/* Inserts the pending documents with one statement and records their
 * ids. */
static int flush_docs(lector_store *st, adding *ad)
{
    if (ad->n == 0) return LECTOR_OK;
    sqlite3_stmt *s = NULL, *tmp = NULL;
    int rc = insert_docs_stmt(st, ad->n, &s, &tmp);
    if (rc) return rc;
    for (size_t j = 0; j < ad->n; j++) {
        const lector_doc *d = &ad->docs[ad->at[j]];
        int p = (int)j * 11;
        store_bind_str(s, p + 1, ad->hash[ad->at[j]], 64);
        store_bind_str(s, p + 2, d->title, d->title_len);
        store_bind_str(s, p + 3, d->author, d->author_len);
        store_bind_str(s, p + 4, d->outlet, d->outlet_len);
        store_bind_str(s, p + 5, d->published, d->published_len);
        store_bind_str(s, p + 6, d->text, d->text_len);
        store_bind_str(s, p + 7, d->meta, d->meta_len);
        store_bind_id(s, p + 8, ad->run_id);
        store_bind_str(s, p + 9, d->uri, d->uri_len);
        sqlite3_bind_int(s, p + 10, ad->version[j]);
        store_bind_id(s, p + 11, ad->prev_id[j]);
    }
    size_t got = 0;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        const char *uri = (const char *)sqlite3_column_text(s, 1);
        size_t uri_len = (size_t)sqlite3_column_bytes(s, 1);
        /* base_uri is unique among the pending (add_many flushes before
         * taking a uri again) */
        long j = pending_find(ad, uri, uri_len);
        if (j < 0) continue;
        size_t i = ad->at[j];
        ad->ids[i] = sqlite3_column_int64(s, 0);
        ad->is_new[i] = 1;
        ad->versions[i] = ad->version[j];
        got++;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    sqlite3_finalize(tmp);
    if (src != SQLITE_DONE)
        return store_sqlite_fail(
            st, src, ad->n == 1 ? "adding a document" : "adding documents");
    if (got != ad->n)
        return store_fail(st, LECTOR_EDB,
                          "adding documents: %zu rows came back for %zu", got,
                          ad->n);
    ad->n = 0;
    return LECTOR_OK;
}

/* docs[i] against the latest version under its uri: unchanged (its id
 * recorded) or pending as the next version. */
static int take_doc(lector_store *st, adding *ad, size_t i)
{
    int rc = store_prepare_cached(
        st, &st->find,
        "SELECT id, hash, version FROM documents WHERE base_uri = ?1 "
        "ORDER BY version DESC LIMIT 1");
    if (rc) return rc;
    sqlite3_stmt *f = st->find;
    store_bind_str(f, 1, ad->docs[i].uri, ad->docs[i].uri_len);
    int64_t prev_id = 0;
    int prev_version = 0, same = 0;
    int src = sqlite3_step(f);
    if (src == SQLITE_ROW) {
        prev_id = sqlite3_column_int64(f, 0);
        const char *h = (const char *)sqlite3_column_text(f, 1);
        same = h && strcmp(h, ad->hash[i]) == 0;
        prev_version = sqlite3_column_int(f, 2);
        src = SQLITE_DONE;
    }
    sqlite3_reset(f);
    if (src != SQLITE_DONE)
        return store_sqlite_fail(st, src, "looking up the document");
    if (same) {
        ad->ids[i] = prev_id;
        ad->versions[i] = prev_version;
        return LECTOR_OK;
    }
    ad->at[ad->n] = i;
    ad->prev_id[ad->n] = prev_id;
    ad->version[ad->n] = prev_version + 1;
    ad->n++;
    return LECTOR_OK;
}

static int add_in_tx(lector_store *st, adding *ad, size_t n)
{
    int rc = LECTOR_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const lector_doc *d = &ad->docs[i];
        if (pending_find(ad, d->uri, d->uri_len) >= 0) rc = flush_docs(st, ad);
        if (!rc) rc = take_doc(st, ad, i);
        if (!rc && ad->n == STORE_ADD_ROWS) rc = flush_docs(st, ad);
    }
    if (!rc) rc = flush_docs(st, ad);
    return rc;
}

/* Refuses what cannot be stored, naming the document when there are
 * several. */
static int check_doc(lector_store *st, const lector_doc *d, size_t i, size_t n)
{
    char which[48] = "";
    if (n > 1) snprintf(which, sizeof which, " document %zu", i + 1);
    if (!d->uri || !d->text)
        return store_fail(st, LECTOR_EINVAL,
                          "add:%s a document needs a uri and a text", which);
    if (d->uri_len == 0)
        return store_fail(st, LECTOR_EINVAL, "add:%s empty uri", which);
    if (memchr(d->uri, '\0', d->uri_len))
        return store_fail(st, LECTOR_EINVAL, "add:%s the uri contains a NUL",
                          which);
    const uint8_t *bad = u8_check((const uint8_t *)d->text, d->text_len);
    /* Messages count bytes from 1, as Lua does, whatever the API's offsets. */
    size_t pos = bad ? (size_t)(bad - (const uint8_t *)d->text) + 1 : 0;
    if (bad)
        return store_fail(st, LECTOR_EUTF8, "%.*s: invalid UTF-8 at byte %zu",
                          (int)d->uri_len, d->uri, pos);
    if (d->hash) {
        size_t k = 0;
        while (k < 64 && ((d->hash[k] >= '0' && d->hash[k] <= '9') ||
                          (d->hash[k] >= 'a' && d->hash[k] <= 'f')))
            k++;
        if (k != 64 || d->hash[64] != '\0')
            return store_fail(st, LECTOR_EINVAL,
                              "add:%s the hash is not 64 lowercase hex digits",
                              which);
    }
    return LECTOR_OK;
}

/* What add_many reports for documents it did not add. */
static void clear_added(size_t n, int64_t *ids, int *is_new, int *versions)
{
    for (size_t i = 0; i < n; i++) {
        ids[i] = 0;
        is_new[i] = 0;
        versions[i] = 0;
    }
}

int lector_store_add_many(lector_store *st, const lector_doc *docs, size_t n,
                          int64_t run_id, int64_t *ids, int *is_new,
                          int *versions)
{
    clear_added(n, ids, is_new, versions);
    if (n > 0 && !docs)
        return store_fail(st, LECTOR_EINVAL, "add: no documents");
    for (size_t i = 0; i < n; i++) {
        int rc = check_doc(st, &docs[i], i, n);
        if (rc) return rc;
    }
    if (n == 0) return LECTOR_OK;
    if (st->readonly)
        return store_fail(st, LECTOR_EREADONLY,
                          "%s: opened read-only; cannot add documents",
                          st->path);
    /* Hashed before the transaction: the write lock is not held for it. */
    char(*hash)[65] = malloc(n * sizeof *hash);
    if (!hash)
        return store_fail(st, LECTOR_ENOMEM, "adding documents: out of memory");
    for (size_t i = 0; i < n; i++) {
        if (docs[i].hash)
            memcpy(hash[i], docs[i].hash, 65);
        else
            lector_store_sha256(docs[i].text, docs[i].text_len, hash[i]);
    }
    adding ad = {.docs = docs,
                 .hash = (const char(*)[65])hash,
                 .run_id = run_id,
                 .ids = ids,
                 .is_new = is_new,
                 .versions = versions};
    /* In the caller's transaction, the documents are indexed in one
     * statement when its adding is done (store_fts.c). */
    int rc =
        sqlite3_get_autocommit(st->db) ? LECTOR_OK : store_fts_defer(st, n);
    if (rc) {
        free(hash);
        return rc;
    }
    /* One document inside a transaction needs no savepoint: its INSERT is
     * the one write, and a statement is all or nothing. A savepoint made
     * SQLite journal the pages each INSERT changed to a temporary file:
     * three times the writes, a tenth more time for ingest. */
    if (n == 1 && !sqlite3_get_autocommit(st->db)) {
        rc = add_in_tx(st, &ad, n);
        if (!rc) rc = store_fts_added(st, ids, is_new, n);
    } else {
        rc = lector_store_begin(st);
        if (!rc) {
            rc = add_in_tx(st, &ad, n);
            if (!rc) rc = store_fts_added(st, ids, is_new, n);
            rc = finish(st, rc);
        }
        if (rc) clear_added(n, ids, is_new, versions);
    }
    free(hash);
    return rc;
}

int lector_store_add(lector_store *st, const lector_doc *d, int64_t run_id,
                     int64_t *id, int *is_new, int *version)
{
    if (!d) {
        *id = 0;
        *is_new = 0;
        *version = 0;
        return store_fail(st, LECTOR_EINVAL,
                          "add: a document needs a uri and a text");
    }
    return lector_store_add_many(st, d, 1, run_id, id, is_new, version);
}

/* ---- annotations ----------------------------------------------------- */

/* The length in bytes of a document's text, or -1 when there is none.
 * With blob (check_batches), through the blob handle *blob, opened on the
 * first document and moved from one to the next: sqlite3_blob_reopen
 * reads the row's header, where the query loads the whole text (0.03 s
 * of 0.035 s for the job bench's 12,045 documents). A handle that fails
 * (no such row) is closed, and the query says why. */
static int doc_length(lector_store *st, int64_t doc_id, int64_t *len,
                      sqlite3_blob **blob)
{
    if (blob) {
        int src = *blob ? sqlite3_blob_reopen(*blob, doc_id)
                        : sqlite3_blob_open(st->db, "main", "documents", "text",
                                            doc_id, 0, blob);
        if (src == SQLITE_OK) {
            *len = sqlite3_blob_bytes(*blob);
            return LECTOR_OK;
        }
        sqlite3_blob_close(*blob);
        *blob = NULL;
    }
    int rc = store_prepare_cached(
        st, &st->doc_len,
        "SELECT length(CAST(text AS BLOB)) FROM documents WHERE id = ?1");
    if (rc) return rc;
    sqlite3_bind_int64(st->doc_len, 1, doc_id);
    int src = sqlite3_step(st->doc_len);
    *len = src == SQLITE_ROW ? sqlite3_column_int64(st->doc_len, 0) : -1;
    if (src == SQLITE_ROW) src = SQLITE_DONE;
    sqlite3_reset(st->doc_len);
    return src == SQLITE_DONE ? LECTOR_OK
                              : store_sqlite_fail(st, src, "annotating");
}

int lector_store_text_lengths(lector_store *st, const int64_t *ids, size_t n,
                              int64_t *lens)
{
    if (!st || (n && (!ids || !lens))) return LECTOR_EINVAL;
    sqlite3_blob *blob = NULL;
    int rc = LECTOR_OK;
    for (size_t k = 0; k < n && !rc; k++)
        rc = doc_length(st, ids[k], &lens[k], &blob);
    sqlite3_blob_close(blob);
    return rc;
}

/* A missing run is refused with a message naming it, before the batch
 * is written (the foreign key would only say "FOREIGN KEY constraint
 * failed"). */
static int check_run(lector_store *st, int64_t run_id)
{
    int rc = store_prepare_cached(st, &st->run_exists,
                                  "SELECT 1 FROM runs WHERE id = ?1");
    if (rc) return rc;
    sqlite3_bind_int64(st->run_exists, 1, run_id);
    int src = sqlite3_step(st->run_exists);
    sqlite3_reset(st->run_exists);
    if (src == SQLITE_ROW) return LECTOR_OK;
    if (src != SQLITE_DONE) return store_sqlite_fail(st, src, "annotating");
    return store_fail(st, LECTOR_EINVAL, "annotate: no run with id %lld",
                      (long long)run_id);
}

static int check_spans(lector_store *st, int64_t doc_id, int64_t len,
                       const lector_span *sp, size_t n)
{
    if (len < 0)
        return store_fail(st, LECTOR_EINVAL,
                          "annotate: no document with id %lld",
                          (long long)doc_id);
    for (size_t i = 0; i < n; i++) {
        if (sp[i].start < 0 || sp[i].end < sp[i].start || sp[i].end > len)
            return store_fail(st, LECTOR_EINVAL,
                              "annotate: span %zu [%lld, %lld) is not within "
                              "document %lld's %lld bytes",
                              i + 1, (long long)sp[i].start,
                              (long long)sp[i].end, (long long)doc_id,
                              (long long)len);
    }
    return LECTOR_OK;
}

/* Orders rows by start_byte (then as given): within a document, the
 * index by (doc_id, start_byte) then takes them at its end instead of at
 * a random place each. */
static int by_start(const void *x, const void *y)
{
    const store_row *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* In a bulk batch, rows go by entity (then position): rebuilding the
 * index by entity sorts what the table holds, and SQLite's sort (a merge
 * of linked records) runs several times faster over runs already in
 * order than over records in random order. The index by document only
 * sees disorder within one batch of one document. */
static int by_entity(const void *x, const void *y)
{
    const store_row *a = x, *b = y;
    if (a->entity_id != b->entity_id)
        return a->entity_id < b->entity_id ? -1 : 1;
    return by_start(x, y);
}

/* Room for n rows in st->rows. */
static int rows_room(lector_store *st, size_t n)
{
    if (n > st->rows_cap) {
        store_row *rows =
            lector__grow(st->rows, &st->rows_cap, n, sizeof *rows, 1024);
        if (!rows) return store_fail(st, LECTOR_ENOMEM, "out of memory");
        st->rows = rows;
    }
    return LECTOR_OK;
}

/* The rows of spans sp[0..n) of layer on doc_id, their label and entity
 * ids looked up (added when new), into rows; *sorted: already in order of
 * start. Inside a transaction whose id caches the caller has checked
 * (store_ids_check). */
static int resolve_rows(lector_store *st, int64_t doc_id, const char *layer,
                        size_t layer_len, const lector_span *sp, size_t n,
                        store_row *rows, int *sorted)
{
    int rc = LECTOR_OK;
    int64_t label_id = 0, entity_id = 0;
    *sorted = 1;
    for (size_t i = 0; i < n && !rc; i++) {
        /* Spans of a batch mostly share their label (and matches of one
         * entity come together): the same string as the span before
         * needs no lookup. */
        if (i == 0 || sp[i].label != sp[i - 1].label ||
            sp[i].label_len != sp[i - 1].label_len)
            rc = store_ids_label(st, layer, layer_len, sp[i].label,
                                 sp[i].label_len, &label_id);
        if (!sp[i].entity) {
            entity_id = 0;
        } else if (i == 0 || sp[i].entity != sp[i - 1].entity ||
                   sp[i].entity_len != sp[i - 1].entity_len) {
            /* A new entity joins the catalogue with the span's type, or
             * its label. */
            const char *type = sp[i].type ? sp[i].type : sp[i].label;
            size_t type_len = sp[i].type ? sp[i].type_len : sp[i].label_len;
            rc = store_ids_entity(st, sp[i].entity, sp[i].entity_len, type,
                                  type_len, &entity_id);
        }
        rows[i] = (store_row){.start = sp[i].start,
                              .end = sp[i].end,
                              .label_id = label_id,
                              .entity_id = entity_id,
                              .attrs = sp[i].attrs,
                              .attrs_len = sp[i].attrs_len,
                              .sentence = sp[i].sentence,
                              .index = i,
                              .doc_id = doc_id};
        if (i > 0 && rows[i].start < rows[i - 1].start) *sorted = 0;
    }
    return rc;
}

/* Tells the bulk-index mode of a batch of n rows about to go in (it may
 * drop the indexes now), then puts the batch's rows in the order they go
 * in: by entity on the bulk path, else by start. */
static int order_rows(lector_store *st, store_row *rows, size_t n, int sorted)
{
    int rc = store_bulk_begin(st, n);
    if (rc) return rc;
    /* One statement writes the batch on either path. With the indexes in
     * place it keeps a statement journal (a multi-row INSERT that may fail
     * a check undoes itself) of the pages it touches, a random page of the
     * index by entity a row; one INSERT a row costs more still: preparing
     * the step, the foreign key lookups and the cursor moves once a row
     * (storing the 253k rows of the cities bench in groups: 0.70 s row by
     * row, 0.57 s by batch, tests/bench/RESULTS.md). */
    if (st->sh->bulk.on)
        qsort(rows, n, sizeof *rows, by_entity);
    else if (!sorted)
        qsort(rows, n, sizeof *rows, by_start);
    return LECTOR_OK;
}

/* Inside a transaction whose id caches the caller has checked
 * (store_ids_check). */
static int annotate_in_tx(lector_store *st, int64_t doc_id, const char *layer,
                          size_t layer_len, const lector_span *sp, size_t n,
                          int64_t run_id)
{
    int rc = rows_room(st, n);
    if (rc) return rc;
    store_row *rows = st->rows;
    int sorted;
    rc = resolve_rows(st, doc_id, layer, layer_len, sp, n, rows, &sorted);
    if (rc) return rc;
    if (n == 0) return LECTOR_OK;
    rc = order_rows(st, rows, n, sorted);
    if (!rc) rc = store_ids_insert(st, doc_id, run_id, rows, n);
    if (!rc) store_bulk_added(st, n);
    return rc;
}

/* The checks of a batch before anything of it is written: the document is
 * there and every span lies within its text, the run is there. The
 * document and run of the batch before need no second look while nothing
 * that could delete them ran (store_ids_check ran in this transaction). */
static int check_batch(lector_store *st, int64_t doc_id,
                       const lector_span *spans, size_t n, int64_t run_id,
                       sqlite3_blob **blob)
{
    int rc = LECTOR_OK;
    int64_t len = st->known_len;
    if (doc_id != st->known_doc || doc_id == 0) {
        rc = doc_length(st, doc_id, &len, blob);
        if (!rc && len >= 0) st->known_doc = doc_id, st->known_len = len;
    }
    if (!rc) rc = check_spans(st, doc_id, len, spans, n);
    if (!rc && run_id > 0 && run_id != st->known_run) {
        rc = check_run(st, run_id);
        if (!rc) st->known_run = run_id;
    }
    return rc;
}

/* check_batch for every batch of a call, before any of them is written,
 * the documents' lengths read through one blob handle (see doc_length),
 * closed before the writes (an open handle is a running statement, and
 * the bulk path drops and builds indexes). */
static int check_batches(lector_store *st, const lector_span *spans,
                         const lector_span_batch *b, size_t nb, int64_t run_id)
{
    sqlite3_blob *blob = NULL;
    int rc = LECTOR_OK;
    for (size_t k = 0; k < nb && !rc; k++)
        rc = check_batch(st, b[k].doc_id, spans + b[k].first, b[k].n, run_id,
                         &blob);
    sqlite3_blob_close(blob);
    return rc;
}

int lector_store_annotate(lector_store *st, int64_t doc_id, const char *layer,
                          size_t layer_len, const lector_span *spans, size_t n,
                          int64_t run_id)
{
    if (!layer || layer_len == 0)
        return store_fail(st, LECTOR_EINVAL, "annotate: empty layer name");
    if (n > 0 && !spans)
        return store_fail(st, LECTOR_EINVAL, "annotate: NULL spans");
    if (st->readonly)
        return store_fail(st, LECTOR_EREADONLY,
                          "%s: opened read-only; cannot annotate", st->path);
    int rc = store_ids_check(st);
    if (!rc) rc = check_batch(st, doc_id, spans, n, run_id, NULL);
    if (rc) return rc;
    /* Inside the caller's transaction no savepoint is taken: a savepoint
     * copies every index page it touches into a sub-journal, which costs
     * more than the inserts. The batch is one INSERT statement, which
     * SQLite undoes by itself when a row fails a check half-way. */
    if (st->depth > 0) /* the id caches were checked above, in it */
        return annotate_in_tx(st, doc_id, layer, layer_len, spans, n, run_id);
    rc = lector_store_begin(st);
    if (rc) return rc;
    /* Another connection may have committed between the check above and
     * BEGIN: the id caches are checked again inside the transaction. */
    rc = store_ids_check(st);
    return finish(st, rc ? rc
                         : annotate_in_tx(st, doc_id, layer, layer_len, spans,
                                          n, run_id));
}

/* Gathered rows whose attrs their caller encoded itself (attrs_own) go in
 * without SQLite's CHECK constraints when there are this many: its
 * json_valid parses every attrs text again (0.05 s of the job bench's
 * 0.22 s of inserts), while switching the checks off and on is two
 * pragmas and every statement of the connection prepared again on its
 * next use, about what checking several hundred rows costs (tag -j 2's
 * writer commits groups of 2,300-3,700 rows). The other checks are this
 * file's own: spans within their document (check_spans), the document
 * and run there (check_batch). */
enum { OWN_ATTRS_MIN = 2048 };

static int insert_gathered(lector_store *st, int64_t run_id,
                           const store_row *rows, size_t n, int own)
{
    int off = own && n >= OWN_ATTRS_MIN;
    int rc = LECTOR_OK;
    if (off) {
        rc = store_run_sql(st, "PRAGMA ignore_check_constraints=1",
                           "storing annotations");
        if (!rc) st->sh->checks_off = 1;
    }
    if (!rc) rc = store_ids_insert_rows(st, run_id, rows, n);
    if (off && st->sh->checks_off) {
        int on = store_run_sql(st, "PRAGMA ignore_check_constraints=0",
                               "storing annotations");
        if (!on) st->sh->checks_off = 0;
        if (!rc) rc = on;
    }
    if (!rc) store_bulk_added(st, n);
    return rc;
}

/* lector_store_annotate_batches inside a transaction with its id caches
 * checked. Until the bulk path is on, batch by batch: whether it goes on
 * counts the rows stored. From then on the batches' rows gather in
 * st->rows, each batch in its own order, and go in with one statement:
 * the same rows with the same ids as batch by batch, without a statement
 * (and its virtual-table cursor) a batch. Every batch is checked first
 * (check_batches): a bad one leaves nothing of the call written. */
static int batches_in_tx(lector_store *st, const lector_span *spans,
                         const lector_span_batch *b, size_t nb, int64_t run_id)
{
    size_t total = 0;
    for (size_t k = 0; k < nb; k++)
        total += b[k].n;
    int rc = check_batches(st, spans, b, nb, run_id);
    size_t k = 0, held = 0;
    int own = 1; /* the gathered rows' attrs are all their caller's JSON */
    for (; k < nb && !rc && !st->sh->bulk.on; k++)
        rc = annotate_in_tx(st, b[k].doc_id, b[k].layer, b[k].layer_len,
                            spans + b[k].first, b[k].n, run_id);
    if (!rc) rc = rows_room(st, total);
    store_row *rows = st->rows;
    for (; k < nb && !rc; k++) {
        const lector_span *sp = spans + b[k].first;
        size_t n = b[k].n;
        int sorted;
        rc = resolve_rows(st, b[k].doc_id, b[k].layer, b[k].layer_len, sp, n,
                          rows + held, &sorted);
        if (rc || n == 0) continue;
        rc = order_rows(st, rows + held, n, sorted);
        if (rc) break;
        own = own && b[k].attrs_own;
        if (!st->sh->bulk.on) {
            /* (the mode went off: what gathered goes in first, in order) */
            rc = insert_gathered(st, run_id, rows, held + n, own);
            held = 0;
            own = 1;
            continue;
        }
        held += n;
    }
    if (!rc && held > 0) rc = insert_gathered(st, run_id, rows, held, own);
    return rc;
}

int lector_store_annotate_batches(lector_store *st, const lector_span *spans,
                                  const lector_span_batch *batches, size_t nb,
                                  int64_t run_id)
{
    if (nb > 0 && !batches)
        return store_fail(st, LECTOR_EINVAL, "annotate: NULL batches");
    for (size_t k = 0; k < nb; k++) {
        if (!batches[k].layer || batches[k].layer_len == 0)
            return store_fail(st, LECTOR_EINVAL, "annotate: empty layer name");
        if (batches[k].n > 0 && !spans)
            return store_fail(st, LECTOR_EINVAL, "annotate: NULL spans");
    }
    if (st->readonly)
        return store_fail(st, LECTOR_EREADONLY,
                          "%s: opened read-only; cannot annotate", st->path);
    if (st->depth > 0) {
        int rc = store_ids_check(st);
        return rc ? rc : batches_in_tx(st, spans, batches, nb, run_id);
    }
    int rc = lector_store_begin(st);
    if (rc) return rc;
    rc = store_ids_check(st);
    return finish(st, rc ? rc : batches_in_tx(st, spans, batches, nb, run_id));
}

/* ---- entities and runs ----------------------------------------------- */

int lector_store_entity(lector_store *st, const char *key, size_t key_len,
                        const char *type, size_t type_len, const char *attrs,
                        size_t attrs_len, int replace)
{
    if (!key || key_len == 0)
        return store_fail(st, LECTOR_EINVAL, "entity: empty key");
    sqlite3_stmt **slot = replace ? &st->upsert_entity : &st->insert_entity;
    int rc = store_prepare_cached(
        st, slot,
        replace ? "INSERT INTO entities(key, type, attrs) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT(key) DO UPDATE SET "
                  "type = coalesce(excluded.type, type), "
                  "attrs = coalesce(excluded.attrs, attrs)"
                : "INSERT OR IGNORE INTO entities(key, type, attrs) "
                  "VALUES (?1, ?2, ?3)");
    if (rc) return rc;
    sqlite3_stmt *s = *slot;
    store_bind_str(s, 1, key, key_len);
    store_bind_str(s, 2, type, type_len);
    store_bind_str(s, 3, attrs, attrs_len);
    rc = step_done(st, s, "adding an entity");
    sqlite3_clear_bindings(s);
    return rc;
}

int lector_store_begin_run(lector_store *st, const char *name,
                           const char *options_json, int64_t *run_id)
{
    *run_id = 0;
    if (!name || !*name)
        return store_fail(st, LECTOR_EINVAL, "begin_run: empty name");
    sqlite3_stmt *s = NULL;
    int src =
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO runs(name, options, version, started) "
                           "VALUES (?1, coalesce(?2, '{}'), ?3, ?4)",
                           -1, &s, NULL);
    if (src != SQLITE_OK) return store_sqlite_fail(st, src, "starting a run");
    char now[32];
    utc_now(now);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, options_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, LECTOR_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
    int rc = step_done(st, s, "starting a run");
    sqlite3_finalize(s);
    if (!rc) *run_id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int lector_store_finish_run(lector_store *st, int64_t run_id,
                            const char *status)
{
    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(
        st->db, "UPDATE runs SET finished = ?1, status = ?2 WHERE id = ?3", -1,
        &s, NULL);
    if (src != SQLITE_OK) return store_sqlite_fail(st, src, "finishing a run");
    char now[32];
    utc_now(now);
    sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, status ? status : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, run_id);
    int rc = step_done(st, s, "finishing a run");
    sqlite3_finalize(s);
    return rc;
}
