/* Annotations given as JSON text (lector_store_annotate_json): the writer
 * of tag -j N stores what its workers send without decoding a line in
 * Lua. The text is parsed and checked here; each row becomes a lector_span
 * pointing into it (strings without escapes and attrs objects as they
 * are, escaped strings decoded into a scratch buffer), and each layer a
 * batch. A batch set (lector_batch_set_*) gathers a group of documents'
 * batches for one lector_store_annotate_batches call; annotate_json
 * stores one document's layers as db:annotate sends them. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* Objects and arrays in attrs nest this deep at most (a bound on the
 * recursion, far beyond what a stage writes). */
#define JSON_DEPTH 64

struct lector_batch_set {
    lector_span *spans;
    size_t nspans, cap;
    lector_span_batch *batches;
    size_t nb, bcap;
    char **scratch; /* the decoded strings' buffers, freed on clear */
    size_t nscratch, scap;
    /* the run's layers (one block with their names) and their counts,
     * the last one every row's */
    const char **layers;
    size_t *layer_lens, n_layers;
    int64_t *counts;
};

typedef struct parser {
    const char *s;
    size_t n, i;
    char *scratch; /* decoded strings: never longer than their JSON */
    size_t used;
    int nomem;
    lector_batch_set *bs; /* where the spans and batches go */
    int64_t doc_id;
    const char *what; /* the first failure: what was wrong, where */
    size_t at;
} parser;

static int bad(parser *p, const char *what)
{
    if (!p->what) p->what = what, p->at = p->i;
    return LECTOR_EFORMAT;
}

static void ws(parser *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
                           p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

/* Skips white space and the character c, or fails saying what. */
static int expect(parser *p, char c, const char *what)
{
    ws(p);
    if (p->i >= p->n || p->s[p->i] != c) return bad(p, what);
    p->i++;
    return LECTOR_OK;
}

/* 1 (and skips it) when the next token is null. */
static int is_null(parser *p)
{
    ws(p);
    if (p->n - p->i >= 4 && memcmp(p->s + p->i, "null", 4) == 0) {
        p->i += 4;
        return 1;
    }
    return 0;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d == 16) return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The escape at p->s[p->i] ('\\' already passed), decoded to out when out
 * is not NULL; advances past it. The number of bytes written, or -1. */
static long unescape(parser *p, char *out)
{
    char tmp[4];
    char *o = out ? out : tmp;
    if (p->i >= p->n) return -1;
    char c = p->s[p->i++];
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *k = c ? strchr(from, c) : NULL;
    if (k) {
        *o = to[k - from];
        return 1;
    }
    unsigned cp, lo;
    if (c != 'u' || p->n - p->i < 4 || hex4(p->s + p->i, &cp)) return -1;
    p->i += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return -1;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (p->n - p->i < 6 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u' ||
            hex4(p->s + p->i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
            return -1;
        p->i += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    return (long)put_utf8(o, cp);
}

/* A string: *out points into the text when it has no escapes, else into
 * the scratch buffer (decode 0: only checked, *out not set). */
static int string(parser *p, const char **out, size_t *len, int decode)
{
    if (expect(p, '"', "a string expected")) return LECTOR_EFORMAT;
    size_t start = p->i;
    while (p->i < p->n && p->s[p->i] != '"' && p->s[p->i] != '\\' &&
           (unsigned char)p->s[p->i] >= 0x20)
        p->i++;
    if (p->i < p->n && p->s[p->i] == '"') {
        if (decode) *out = p->s + start, *len = p->i - start;
        p->i++;
        return LECTOR_OK;
    }
    if (decode && !p->scratch) {
        /* the first escape of this text: room for all of it decoded */
        lector_batch_set *bs = p->bs;
        char **g = bs->nscratch < bs->scap
                       ? bs->scratch
                       : lector__grow(bs->scratch, &bs->scap, bs->nscratch + 1,
                                      sizeof *g, 8);
        p->scratch = g ? malloc(p->n + 1) : NULL;
        if (!p->scratch) {
            p->nomem = 1;
            return LECTOR_ENOMEM;
        }
        bs->scratch = g;
        bs->scratch[bs->nscratch++] = p->scratch;
    }
    char *o = decode ? p->scratch + p->used : NULL;
    size_t k = 0;
    if (o) memcpy(o, p->s + start, p->i - start);
    k = p->i - start;
    while (p->i < p->n && p->s[p->i] != '"') {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c < 0x20) return bad(p, "a control character in a string");
        p->i++;
        if (c == '\\') {
            long w = unescape(p, o ? o + k : NULL);
            if (w < 0) return bad(p, "a bad escape in a string");
            k += (size_t)w;
        } else {
            if (o) o[k] = (char)c;
            k++;
        }
    }
    if (p->i >= p->n) return bad(p, "a string not closed");
    p->i++;
    if (decode) *out = o, *len = k, p->used += k;
    return LECTOR_OK;
}

/* A string or null (*out NULL). */
static int string_or_null(parser *p, const char **out, size_t *len)
{
    if (is_null(p)) {
        *out = NULL, *len = 0;
        return LECTOR_OK;
    }
    return string(p, out, len, 1);
}

/* A non-negative integer below 2^53 (what a double holds exactly, as the
 * workers' Lua numbers are). */
static int integer(parser *p, int64_t *out)
{
    ws(p);
    size_t start = p->i;
    int64_t v = 0;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9' &&
           p->i - start < 16)
        v = v * 10 + (p->s[p->i++] - '0');
    int more = p->i < p->n &&
               (p->s[p->i] == '.' || p->s[p->i] == 'e' || p->s[p->i] == 'E' ||
                (p->s[p->i] >= '0' && p->s[p->i] <= '9'));
    if (p->i == start || more || v >= (int64_t)1 << 53) {
        p->i = start;
        return bad(p, "a non-negative integer expected");
    }
    *out = v;
    return LECTOR_OK;
}

/* Any JSON value, checked and skipped. */
static int value(parser *p, int depth)
{
    ws(p);
    if (p->i >= p->n) return bad(p, "a value expected");
    char c = p->s[p->i];
    if (c == '"') return string(p, NULL, NULL, 0);
    if (c == '{' || c == '[') {
        if (depth >= JSON_DEPTH) return bad(p, "nested too deep");
        char close = c == '{' ? '}' : ']';
        p->i++;
        ws(p);
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            return LECTOR_OK;
        }
        for (;;) {
            if (c == '{' && (string(p, NULL, NULL, 0) ||
                             expect(p, ':', "':' expected after a key")))
                return LECTOR_EFORMAT;
            if (value(p, depth + 1)) return LECTOR_EFORMAT;
            ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            return expect(p, close,
                          c == '{' ? "',' or '}' expected"
                                   : "',' or ']' expected");
        }
    }
    static const char *const words[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t w = strlen(words[k]);
        if (p->n - p->i >= w && memcmp(p->s + p->i, words[k], w) == 0) {
            p->i += w;
            return LECTOR_OK;
        }
    }
    /* A number: -?int frac? exp?, int without a leading zero (JSON's
     * grammar, which SQLite's json_valid holds to: the store takes what
     * passes here as valid, attrs_own) */
    size_t start = p->i;
    if (p->s[p->i] == '-') p->i++;
    size_t digits = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
        p->i++;
    int ok = p->i > digits && (p->s[digits] != '0' || p->i == digits + 1);
    if (ok && p->i < p->n && p->s[p->i] == '.') {
        size_t f = ++p->i;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        ok = p->i > f;
    }
    if (ok && p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
        size_t e = p->i;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        ok = p->i > e;
    }
    if (!ok) {
        p->i = start;
        return bad(p, "a JSON value expected");
    }
    return LECTOR_OK;
}

static int grow_spans(lector_batch_set *bs, size_t more)
{
    if (bs->nspans + more <= bs->cap) return LECTOR_OK;
    lector_span *g =
        lector__grow(bs->spans, &bs->cap, bs->nspans + more, sizeof *g, 1024);
    if (!g) return LECTOR_ENOMEM;
    bs->spans = g;
    return LECTOR_OK;
}

static int grow_batches(lector_batch_set *bs)
{
    if (bs->nb < bs->bcap) return LECTOR_OK;
    lector_span_batch *g =
        lector__grow(bs->batches, &bs->bcap, bs->nb + 1, sizeof *g, 64);
    if (!g) return LECTOR_ENOMEM;
    bs->batches = g;
    return LECTOR_OK;
}

/* [start_byte, end_byte, label, entity, sentence, attrs (, type)] */
static int row(parser *p)
{
    lector_batch_set *bs = p->bs;
    if (grow_spans(bs, 1)) {
        p->nomem = 1;
        return LECTOR_ENOMEM;
    }
    lector_span *sp = &bs->spans[bs->nspans];
    memset(sp, 0, sizeof *sp);
    if (expect(p, '[',
               "a row [start_byte, end_byte, label, entity, "
               "sentence, attrs] expected") ||
        integer(p, &sp->start) || expect(p, ',', "',' expected") ||
        integer(p, &sp->end) || expect(p, ',', "',' expected") ||
        string_or_null(p, &sp->label, &sp->label_len) ||
        expect(p, ',', "',' expected") ||
        string_or_null(p, &sp->entity, &sp->entity_len) ||
        expect(p, ',', "',' expected"))
        return LECTOR_EFORMAT;
    if (!is_null(p)) {
        size_t at = p->i;
        if (integer(p, &sp->sentence)) return LECTOR_EFORMAT;
        if (sp->sentence == 0) {
            p->i = at;
            return bad(p, "sentence: a positive integer or null expected");
        }
    }
    if (expect(p, ',', "',' expected")) return LECTOR_EFORMAT;
    if (!is_null(p)) {
        if (p->i >= p->n || p->s[p->i] != '{')
            return bad(p, "attrs: an object or null expected");
        size_t start = p->i;
        if (value(p, 1)) return LECTOR_EFORMAT;
        sp->attrs = p->s + start;
        sp->attrs_len = p->i - start;
    }
    ws(p);
    if (p->i < p->n && p->s[p->i] == ',') {
        p->i++;
        if (string_or_null(p, &sp->type, &sp->type_len)) return LECTOR_EFORMAT;
    }
    if (expect(p, ']', "']' expected at the end of a row"))
        return LECTOR_EFORMAT;
    bs->nspans++;
    return LECTOR_OK;
}

/* The elements of an array whose '[' was read, each by item, then its
 * ']'; after says what a ',' or ']' was expected after. */
static int elements(parser *p, int (*item)(parser *), const char *after)
{
    ws(p);
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        return LECTOR_OK;
    }
    for (;;) {
        int rc = item(p);
        if (rc) return rc;
        ws(p);
        if (p->i >= p->n || p->s[p->i] != ',') return expect(p, ']', after);
        p->i++;
    }
}

/* [layer, [row, ...]] */
static int group(parser *p)
{
    lector_batch_set *bs = p->bs;
    if (grow_batches(bs)) {
        p->nomem = 1;
        return LECTOR_ENOMEM;
    }
    lector_span_batch *l = &bs->batches[bs->nb];
    l->doc_id = p->doc_id;
    l->attrs_own = 1; /* checked here, as JSON (value) */
    if (expect(p, '[', "a layer [name, [rows]] expected") ||
        string(p, &l->layer, &l->layer_len, 1))
        return LECTOR_EFORMAT;
    if (l->layer_len == 0) return bad(p, "an empty layer name");
    if (expect(p, ',', "',' expected") ||
        expect(p, '[', "an array of rows expected"))
        return LECTOR_EFORMAT;
    l->first = bs->nspans;
    int rc = elements(p, row, "',' or ']' expected after a row");
    if (rc) return rc;
    l = &bs->batches[bs->nb]; /* (rows do not move the batches) */
    l->n = bs->nspans - l->first;
    bs->nb++;
    return expect(p, ']', "']' expected at the end of a layer");
}

/* Parses json (len bytes) of document doc_id into bs; on failure bs is as
 * it was (but for a scratch buffer, freed with the set's). */
static int parse(lector_batch_set *bs, int64_t doc_id, const char *json,
                 size_t len, parser *p)
{
    *p = (parser){.s = json, .n = len, .bs = bs, .doc_id = doc_id};
    size_t nspans = bs->nspans, nb = bs->nb;
    int rc = expect(p, '[', "an array of layers expected");
    if (!rc) rc = elements(p, group, "',' or ']' expected after a layer");
    if (!rc) {
        ws(p);
        if (p->i < p->n) rc = bad(p, "text after the array of layers");
    }
    if (p->nomem) rc = LECTOR_ENOMEM;
    if (rc) bs->nspans = nspans, bs->nb = nb;
    return rc;
}

/* The place of (name, len) in layers, or -1. */
static long layer_index(const char *const *layers, const size_t *lens, size_t n,
                        const char *name, size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (lens[k] == len && memcmp(layers[k], name, len) == 0) return (long)k;
    return -1;
}

/* Adds the rows of batches [from, bs->nb) to counts (n_layers + 1). */
static void count_rows(const lector_batch_set *bs, size_t from,
                       const char *const *layers, const size_t *layer_lens,
                       size_t n_layers, int64_t *counts)
{
    for (size_t k = from; counts && k < bs->nb; k++) {
        const lector_span_batch *l = &bs->batches[k];
        long at =
            layer_index(layers, layer_lens, n_layers, l->layer, l->layer_len);
        if (at >= 0) counts[at] += (int64_t)l->n;
        counts[n_layers] += (int64_t)l->n;
    }
}

static void free_scratch(lector_batch_set *bs)
{
    for (size_t k = 0; k < bs->nscratch; k++)
        free(bs->scratch[k]);
    bs->nscratch = 0;
}

static int store_layers(lector_store *st, const lector_batch_set *bs,
                        int64_t run_id)
{
    for (size_t k = 0; k < bs->nb; k++) {
        const lector_span_batch *l = &bs->batches[k];
        int rc = lector_store_annotate(st, l->doc_id, l->layer, l->layer_len,
                                       bs->spans + l->first, l->n, run_id);
        if (rc) return rc;
    }
    return LECTOR_OK;
}

int lector_store_annotate_json(lector_store *st, int64_t doc_id,
                               const char *json, size_t len, int64_t run_id,
                               const char *const *layers,
                               const size_t *layer_lens, size_t n_layers,
                               int64_t *counts)
{
    if (!json && len > 0)
        return store_fail(st, LECTOR_EINVAL, "annotate_json: NULL text");
    lector_batch_set bs = {0};
    parser p;
    int rc = parse(&bs, doc_id, json, len, &p);
    if (rc == LECTOR_EFORMAT)
        store_fail(st, rc, "document %lld: annotations JSON, byte %zu: %s",
                   (long long)doc_id, p.at, p.what ? p.what : "malformed");
    else if (rc)
        store_fail(st, rc, "document %lld: annotations JSON: out of memory",
                   (long long)doc_id);
    if (!rc) {
        /* Outside a transaction, one of its own keeps the call all or
         * nothing; inside one, a failure half-way (a span past the text's
         * end in a later layer) leaves the caller to roll back. */
        int own = lector_store_depth(st) == 0;
        rc = own ? lector_store_begin(st) : LECTOR_OK;
        if (!rc) rc = store_layers(st, &bs, run_id);
        if (own) {
            if (!rc) {
                rc = lector_store_commit(st);
            } else {
                char keep[sizeof st->err];
                memcpy(keep, st->err, sizeof keep);
                lector_store_rollback(st);
                memcpy(st->err, keep, sizeof keep);
            }
        }
    }
    if (!rc) count_rows(&bs, 0, layers, layer_lens, n_layers, counts);
    free_scratch(&bs);
    free(bs.scratch);
    free(bs.spans);
    free(bs.batches);
    return rc;
}

/* ---- batch sets -------------------------------------------------------- */

lector_batch_set *lector_batch_set_new(const char *const *layers,
                                       const size_t *layer_lens,
                                       size_t n_layers)
{
    size_t names = 0;
    for (size_t k = 0; k < n_layers; k++)
        names += layer_lens[k];
    lector_batch_set *bs = calloc(1, sizeof *bs);
    if (!bs) return NULL;
    bs->layers = calloc(n_layers + 1, sizeof *bs->layers);
    bs->layer_lens = calloc(n_layers + 1, sizeof *bs->layer_lens);
    bs->counts = calloc(n_layers + 1, sizeof *bs->counts);
    char *o = malloc(names + 1);
    if (!bs->layers || !bs->layer_lens || !bs->counts || !o) {
        free(o);
        lector_batch_set_free(bs);
        return NULL;
    }
    bs->layers[0] = o; /* (the block, freed through it) */
    for (size_t k = 0; k < n_layers; k++) {
        memcpy(o, layers[k], layer_lens[k]);
        bs->layers[k] = o, bs->layer_lens[k] = layer_lens[k];
        o += layer_lens[k];
    }
    bs->n_layers = n_layers;
    return bs;
}

void lector_batch_set_free(lector_batch_set *bs)
{
    if (!bs) return;
    free_scratch(bs);
    free(bs->scratch);
    free(bs->spans);
    free(bs->batches);
    if (bs->layers) free((char *)bs->layers[0]);
    free(bs->layers);
    free(bs->layer_lens);
    free(bs->counts);
    free(bs);
}

void lector_batch_set_clear(lector_batch_set *bs)
{
    free_scratch(bs);
    bs->nspans = bs->nb = 0;
}

int lector_batch_set_json(lector_batch_set *bs, int64_t doc_id,
                          const char *json, size_t len, size_t *at,
                          const char **what)
{
    *at = 0, *what = NULL;
    if (!json && len > 0) {
        *what = "no text";
        return LECTOR_EFORMAT;
    }
    size_t from = bs->nb;
    parser p;
    int rc = parse(bs, doc_id, json, len, &p);
    if (rc == LECTOR_EFORMAT) *at = p.at, *what = p.what ? p.what : "malformed";
    if (!rc)
        count_rows(bs, from, bs->layers, bs->layer_lens, bs->n_layers,
                   bs->counts);
    return rc;
}

int lector_batch_set_spans(lector_batch_set *bs, int64_t doc_id,
                           const char *layer, size_t layer_len,
                           const lector_span *spans, size_t n, int attrs_own)
{
    if (grow_spans(bs, n) || grow_batches(bs)) return LECTOR_ENOMEM;
    if (n) memcpy(bs->spans + bs->nspans, spans, n * sizeof *spans);
    bs->batches[bs->nb++] = (lector_span_batch){.doc_id = doc_id,
                                                .layer = layer,
                                                .layer_len = layer_len,
                                                .first = bs->nspans,
                                                .n = n,
                                                .attrs_own = attrs_own};
    bs->nspans += n;
    count_rows(bs, bs->nb - 1, bs->layers, bs->layer_lens, bs->n_layers,
               bs->counts);
    return LECTOR_OK;
}

int64_t lector_batch_set_count(const lector_batch_set *bs, size_t k)
{
    return k <= bs->n_layers ? bs->counts[k] : 0;
}

int lector_store_annotate_set(lector_store *st, const lector_batch_set *bs,
                              int64_t run_id)
{
    return lector_store_annotate_batches(st, bs->spans, bs->batches, bs->nb,
                                         run_id);
}

/* ---- writing: spans as rows ------------------------------------------ */

/* Bytes a JSON string of (s, n) takes at most: every byte \u00XX. */
static size_t quoted_max(const char *s, size_t n)
{
    return s ? 6 * n + 2 : 4;
}

static char *put_quoted(char *o, const char *s, size_t n)
{
    if (s) return lector__json_quoted(o, s, n);
    memcpy(o, "null", 4);
    return o + 4;
}

/* The decimal digits of v >= 0 (sprintf costs more than the rest of a
 * row). */
static char *put_int(char *o, int64_t v)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (k > 0)
        *o++ = tmp[--k];
    return o;
}

/* 1 when (s, n) is one JSON object and nothing else. */
static int is_object(const char *s, size_t n)
{
    parser p = {.s = s, .n = n};
    ws(&p);
    if (p.i >= n || s[p.i] != '{' || value(&p, 1)) return 0;
    ws(&p);
    return p.i == n;
}

int lector_spans_json(const lector_span *spans, size_t n, int64_t text_len,
                      char **out, size_t *out_len, size_t *bad)
{
    *out = NULL, *out_len = 0;
    size_t cap = 3;
    for (size_t k = 0; k < n; k++) {
        const lector_span *sp = &spans[k];
        if (sp->start < 0 || sp->end < sp->start ||
            (text_len >= 0 && sp->end > text_len) ||
            (sp->attrs && !is_object(sp->attrs, sp->attrs_len))) {
            *bad = k;
            return LECTOR_EINVAL;
        }
        cap += 3 * 21 + 8 + quoted_max(sp->label, sp->label_len) +
               quoted_max(sp->entity, sp->entity_len) +
               quoted_max(sp->type, sp->type_len) +
               (sp->attrs ? sp->attrs_len : 4);
    }
    char *buf = malloc(cap), *o = buf;
    if (!buf) return LECTOR_ENOMEM;
    *o++ = '[';
    for (size_t k = 0; k < n; k++) {
        const lector_span *sp = &spans[k];
        if (k) *o++ = ',';
        *o++ = '[';
        o = put_int(o, sp->start);
        *o++ = ',';
        o = put_int(o, sp->end);
        *o++ = ',';
        o = put_quoted(o, sp->label, sp->label_len);
        *o++ = ',';
        o = put_quoted(o, sp->entity, sp->entity_len);
        *o++ = ',';
        if (sp->sentence > 0)
            o = put_int(o, sp->sentence);
        else
            memcpy(o, "null", 4), o += 4;
        *o++ = ',';
        if (sp->attrs) {
            memcpy(o, sp->attrs, sp->attrs_len);
            o += sp->attrs_len;
        } else {
            memcpy(o, "null", 4), o += 4;
        }
        /* The type only matters for a new entity, and only when it is not
         * the label. */
        if (sp->type && (!sp->label || sp->type_len != sp->label_len ||
                         memcmp(sp->type, sp->label, sp->type_len) != 0)) {
            *o++ = ',';
            o = put_quoted(o, sp->type, sp->type_len);
        }
        *o++ = ']';
    }
    *o++ = ']';
    *out = buf;
    *out_len = (size_t)(o - buf);
    return LECTOR_OK;
}
