/* Invariants of the store: a round trip of one document and its
 * annotations through SQLite. What went in comes back byte for byte, a
 * refused write leaves nothing behind (all or none), and re-adding the same
 * text adds nothing, one document at a time or many. See inv.h for the
 * calling convention.
 *
 * Input: "URI \xFF TEXT \xFF META \xFF LAYER \xFF SPANS"; SPANS is read 6
 * bytes per span: start and end (16 bits each, taken modulo len + 3 so
 * some fall outside the text), then a label selector and an attrs
 * selector. */
#ifndef LECTOR_FUZZ_INV_STORE_H
#define LECTOR_FUZZ_INV_STORE_H

#include "inv_text.h"

static int inv_cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* The first column of the first row of sql (bound to arg unless arg < 0)
 * as an integer into *out; 0 when the query fails or gives no row. */
static int inv_one_int(lector_store *st, const char *sql, int64_t arg,
                       int64_t *out)
{
    lector_stmt *s = NULL;
    int ok = 0;
    if (lector_store_prepare(st, sql, strlen(sql), &s) == LECTOR_OK &&
        (arg < 0 || lector_stmt_bind_int64(s, 1, arg) == LECTOR_OK) &&
        lector_stmt_step(s) == 1) {
        *out = lector_stmt_column_int64(s, 0);
        ok = 1;
    }
    lector_stmt_free(s);
    return ok;
}

static int inv_field_eq(lector_stmt *s, int col, const char *p, size_t n)
{
    size_t got_n = 0;
    const char *got = lector_stmt_column_text(s, col, &got_n);
    if (p == NULL) return lector_stmt_column_type(s, col) == 5;
    return got && got_n == n && memcmp(got, p, n) == 0;
}

static int inv_store_input(const uint8_t *data, size_t size)
{
    const uint8_t *part[5];
    size_t len[5];
    const uint8_t *rest = data;
    size_t left = size;
    for (int i = 0; i < 5; i++) {
        part[i] = rest;
        inv_split(rest, left, 0xFF, &len[i], &rest, &left);
    }
    const char *uri = (const char *)part[0], *text = (const char *)part[1];
    size_t uri_n = len[0], text_n = len[1];
    static const char *const labels[] = {"PLACE", "ORG", "", "l\xC3\xA9",
                                         NULL};
    static const char *const attrs[] = {NULL, "{}", "{\"n\":1}", "[1,2]",
                                        "{not json"};
    lector_store *st = NULL;
    int ok = 1, rc = lector_store_open(":memory:", 0, 0, &st);
    lector_span *spans = NULL;
    if (rc != LECTOR_OK) {
        ok = inv_fail("store_open(:memory:): rc %d: %s", rc,
                      st ? lector_store_errmsg(st) : "(no store)");
        goto done;
    }
    lector_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.uri = uri;
    doc.uri_len = uri_n;
    doc.text = text;
    doc.text_len = text_n;
    doc.title = (const char *)part[3];
    doc.title_len = len[3];
    doc.meta = len[2] ? (const char *)part[2] : NULL;
    doc.meta_len = len[2];
    int64_t id = 0, id2 = 0, cnt = -1;
    int is_new = -1, version = -1;
    rc = lector_store_add(st, &doc, 0, &id, &is_new, &version);
    if (rc != LECTOR_OK) {
        /* Refused (invalid UTF-8, bad meta JSON, empty uri...): a message,
         * and nothing stored. */
        if (!inv_errmsg("store_add", lector_store_errmsg(st))) ok = 0;
        else if (!inv_valid(text, text_n) && rc != LECTOR_EUTF8 &&
                 uri_n > 0 && !memchr(uri, 0, uri_n) && len[2] == 0)
            ok = inv_fail("store_add: invalid UTF-8 text gave rc %d", rc);
        else if (!inv_one_int(st, "SELECT count(*) FROM documents", -1,
                              &cnt) || cnt != 0)
            ok = inv_fail("store_add failed (rc %d) but left %lld documents",
                          rc, (long long)cnt);
        goto done;
    }
    if (!inv_valid(text, text_n)) {
        ok = inv_fail("store_add accepted invalid UTF-8");
        goto done;
    }
    if (is_new != 1 || version != 1) {
        ok = inv_fail("first add: is_new %d version %d", is_new, version);
        goto done;
    }
    /* Read back: the same bytes, NULs included; the hash of the text. */
    static const char q[] =
        "SELECT uri, text, title, hash FROM documents WHERE id = ?";
    lector_stmt *s = NULL;
    if (lector_store_prepare(st, q, sizeof q - 1, &s) != LECTOR_OK ||
        lector_stmt_bind_int64(s, 1, id) != LECTOR_OK ||
        lector_stmt_step(s) != 1) {
        ok = inv_fail("reading document %lld back failed", (long long)id);
    } else {
        char hash[65];
        lector_store_sha256(text, text_n, hash);
        if (!inv_field_eq(s, 0, uri, uri_n))
            ok = inv_fail("uri does not read back as stored");
        else if (!inv_field_eq(s, 1, text, text_n))
            ok = inv_fail("text does not read back as stored (%zu bytes)",
                          text_n);
        else if (!inv_field_eq(s, 2, doc.title, doc.title_len))
            ok = inv_fail("title does not read back as stored");
        else if (!inv_field_eq(s, 3, hash, 64))
            ok = inv_fail("hash is not the SHA-256 of the text");
    }
    lector_stmt_free(s);
    if (!ok) goto done;
    /* The same text again: nothing added. */
    rc = lector_store_add(st, &doc, 0, &id2, &is_new, &version);
    if (rc != LECTOR_OK || is_new != 0 || id2 != id) {
        ok = inv_fail("re-adding the same document: rc %d is_new %d id %lld "
                      "(first %lld)", rc, is_new, (long long)id2,
                      (long long)id);
        goto done;
    }

    /* Many at a time: the same document twice is unchanged both times;
     * under another uri it is new the first time and unchanged the
     * second, all in one call. */
    char *uri_b = malloc(uri_n + 2);
    if (!uri_b) goto done;
    memcpy(uri_b, uri, uri_n);
    memcpy(uri_b + uri_n, "+b", 2);
    lector_doc many[4] = {doc, doc, doc, doc};
    many[2].uri = many[3].uri = uri_b;
    many[2].uri_len = many[3].uri_len = uri_n + 2;
    int64_t mid[4];
    int mnew[4], mver[4];
    rc = lector_store_add_many(st, many, 4, 0, mid, mnew, mver);
    free(uri_b);
    if (rc != LECTOR_OK || mid[0] != id || mid[1] != id || mnew[0] ||
        mnew[1] || mnew[2] != 1 || mnew[3] || mid[3] != mid[2] ||
        mid[2] == id || mver[2] != 1 || mver[3] != 1) {
        ok = inv_fail("add_many of the document twice and under a new uri "
                      "twice: rc %d, is_new %d %d %d %d",
                      rc, mnew[0], mnew[1], mnew[2], mnew[3]);
        goto done;
    }

    size_t nspans = len[4] / 6;
    spans = calloc(nspans ? nspans : 1, sizeof *spans);
    if (!spans) goto done;
    int in_range = 1, json_ok = 1;
    for (size_t i = 0; i < nspans; i++) {
        const uint8_t *b = part[4] + i * 6;
        int64_t a = (b[0] | b[1] << 8) % (int64_t)(text_n + 3);
        int64_t e = (b[2] | b[3] << 8) % (int64_t)(text_n + 3);
        spans[i].start = a;
        spans[i].end = e;
        const char *l = labels[b[4] % 5];
        spans[i].label = l;
        spans[i].label_len = l ? strlen(l) : 0;
        const char *at = attrs[b[5] % 5];
        spans[i].attrs = at;
        spans[i].attrs_len = at ? strlen(at) : 0;
        if (a > e || e > (int64_t)text_n) in_range = 0;
        if (at && at[0] == '{' && at[1] == 'n' && at[2] == 'o') json_ok = 0;
    }
    const char *layer = (const char *)part[3];
    rc = lector_store_annotate(st, id, layer, len[3], spans, nspans, 0);
    if (!inv_one_int(st, "SELECT count(*) FROM annotations", -1, &cnt)) {
        ok = inv_fail("counting annotations failed");
        goto done;
    }
    if (rc != LECTOR_OK) {
        if (!inv_errmsg("store_annotate", lector_store_errmsg(st))) ok = 0;
        else if (cnt != 0)
            ok = inv_fail("store_annotate failed (rc %d) but left %lld "
                          "annotations", rc, (long long)cnt);
        else if (in_range && json_ok && inv_valid(layer, len[3]) && len[3])
            ok = inv_fail("store_annotate refused %zu good spans: rc %d: %s",
                          nspans, rc, lector_store_errmsg(st));
        goto done;
    }
    if (!in_range) {
        ok = inv_fail("store_annotate accepted a span outside the text");
        goto done;
    }
    if (!json_ok) {
        ok = inv_fail("store_annotate accepted attrs that are not JSON");
        goto done;
    }
    if (cnt != (int64_t)nspans) {
        ok = inv_fail("stored %lld annotations of %zu", (long long)cnt,
                      nspans);
        goto done;
    }
    /* A batch is stored in order of start, then as given: read it back in
     * that order. (start < 2^17 here, so start and index pack into one
     * key.) */
    uint64_t *order = calloc(nspans ? nspans : 1, sizeof *order);
    if (!order) goto done;
    for (size_t i = 0; i < nspans; i++)
        order[i] = (uint64_t)spans[i].start << 32 | i;
    qsort(order, nspans, sizeof *order, inv_cmp_u64);
    static const char qa[] =
        "SELECT start_byte, end_byte, label, layer FROM annotations "
        "WHERE doc_id = ? ORDER BY id";
    s = NULL;
    if (lector_store_prepare(st, qa, sizeof qa - 1, &s) != LECTOR_OK ||
        lector_stmt_bind_int64(s, 1, id) != LECTOR_OK) {
        ok = inv_fail("reading annotations back failed");
    } else {
        for (size_t k = 0; k < nspans && ok; k++) {
            size_t i = (size_t)(order[k] & 0xffffffffu);
            if (lector_stmt_step(s) != 1)
                ok = inv_fail("annotation %zu missing on read back", i);
            else if (lector_stmt_column_int64(s, 0) != spans[i].start ||
                     lector_stmt_column_int64(s, 1) != spans[i].end)
                ok = inv_fail("annotation %zu: span changed on read back", i);
            else if (!inv_field_eq(s, 2, spans[i].label, spans[i].label_len))
                ok = inv_fail("annotation %zu: label changed", i);
            else if (!inv_field_eq(s, 3, layer, len[3]))
                ok = inv_fail("annotation %zu: layer changed", i);
        }
    }
    lector_stmt_free(s);
    free(order);
done:
    free(spans);
    lector_store_close(st);
    return ok;
}

#endif
