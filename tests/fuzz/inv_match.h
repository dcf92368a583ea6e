/* Invariants of matching: the gazetteer loader (TSV/CSV text from a file),
 * gazetteer matching, dump/undump, and the pattern compiler and matcher.
 * See inv.h for the calling convention.
 *
 * Inputs are "PART \xFF TEXT": 0xFF never occurs in UTF-8, so it cannot
 * be part of a valid gazetteer, pattern or document. */
#ifndef LECTOR_FUZZ_INV_MATCH_H
#define LECTOR_FUZZ_INV_MATCH_H

#include "inv_text.h"

#include <sys/mman.h>
#include <unistd.h>

/* A path that reads back (data, size): a memfd seen through /proc, so no
 * file is left behind. *fd receives the descriptor to close. */
static int inv_memfile(const void *data, size_t size, char *path, size_t pn,
                       int *fd)
{
    *fd = memfd_create("lector-fuzz", 0);
    if (*fd < 0) return inv_fail("memfd_create failed");
    const char *p = data;
    size_t left = size;
    while (left > 0) {
        ssize_t w = write(*fd, p, left);
        if (w <= 0) {
            close(*fd);
            return inv_fail("write to memfd failed");
        }
        p += w;
        left -= (size_t)w;
    }
    snprintf(path, pn, "/proc/self/fd/%d", *fd);
    return 1;
}

/* A match covers whole tokens: its byte span is exactly the span from its
 * first token's start to its last token's end. */
static int inv_span_of_tokens(const char *what, size_t i, uint32_t first,
                              uint32_t last, uint32_t start, uint32_t end,
                              const lector_tokens *t)
{
    if (first > last || last >= t->n)
        return inv_fail("%s match %zu: tokens %u..%u of %zu", what, i, first,
                        last, t->n);
    if (start != t->tok[first].start || end != t->tok[last].end)
        return inv_fail("%s match %zu: bytes [%u,%u) but tokens %u..%u span "
                        "[%u,%u)", what, i, start, end, first, last,
                        t->tok[first].start, t->tok[last].end);
    return 1;
}

/* Gazetteer matches are in token order, inside the text, point at a real
 * entry of the right type; without LECTOR_MATCH_OVERLAP they do not overlap,
 * except that one span may carry several entities side by side. */
static int inv_gaz_matches(const lector_gazetteer *g, const lector_tokens *t,
                           const lector_gazetteer_matches *m, int overlap)
{
    size_t count = lector_gazetteer_count(g);
    for (size_t i = 0; i < m->n; i++) {
        const lector_gazetteer_hit *x = &m->m[i];
        if (!inv_span_of_tokens("gazetteer", i, x->first, x->last, x->start,
                                x->end, t))
            return 0;
        if (x->entry < 0 || (size_t)x->entry >= count)
            return inv_fail("gazetteer match %zu: entry %d of %zu", i,
                            x->entry, count);
        lector_gaz_entry e;
        if (lector_gazetteer_entry(g, x->entry, &e) != LECTOR_OK)
            return inv_fail("gazetteer match %zu: entry %d unreadable", i,
                            x->entry);
        if (e.type_id != x->type_id)
            return inv_fail("gazetteer match %zu: type_id %d, entry says %d",
                            i, x->type_id, e.type_id);
        if (i == 0) continue;
        const lector_gazetteer_hit *p = &m->m[i - 1];
        if (x->first < p->first)
            return inv_fail("gazetteer match %zu starts at token %u before "
                            "match %zu at %u", i, x->first, i - 1, p->first);
        int same_span = x->first == p->first && x->last == p->last;
        if (!overlap && !same_span && x->first <= p->last)
            return inv_fail("gazetteer match %zu (tokens %u..%u) overlaps "
                            "match %zu (%u..%u)", i, x->first, x->last, i - 1,
                            p->first, p->last);
    }
    return 1;
}

static int inv_gaz_has(const lector_gazetteer_matches *m, const lector_gazetteer_hit *x)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->m[i].first == x->first && m->m[i].last == x->last &&
            m->m[i].entry == x->entry)
            return 1;
    return 0;
}

static int inv_gaz_same(const char *what, const lector_gazetteer_matches *a,
                        const lector_gazetteer_matches *b)
{
    if (a->n != b->n)
        return inv_fail("%s: %zu matches vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (memcmp(&a->m[i], &b->m[i], sizeof a->m[i]) != 0)
            return inv_fail("%s: match %zu differs", what, i);
    return 1;
}

/* The gazetteer target: "GAZETTEER-FILE \xFF TEXT". The file is loaded
 * strictly (a failure must name FILE:LINE) and then with SKIP_BAD (which
 * must succeed); the text is matched with and without overlaps, and again
 * after a dump/undump round trip, which must give the same matches. */
static int inv_gazetteer_input(const uint8_t *data, size_t size)
{
    size_t gn, tn;
    const uint8_t *text;
    inv_split(data, size, 0xFF, &gn, &text, &tn);
    char path[64];
    int fd, ok = 1;
    if (!inv_memfile(data, gn, path, sizeof path, &fd)) return 0;

    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    lector_gazetteer *g = tk ? lector_gazetteer_new(tk, in, 0) : NULL;
    lector_gazetteer *g2 = tk ? lector_gazetteer_new(tk, in, 0) : NULL;
    lector_gazetteer *g3 = tk ? lector_gazetteer_new(tk, in, 0) : NULL;
    lector_tokens t;
    lector_gazetteer_matches a, b, c;
    lector_tokens_init(&t);
    lector_gazetteer_matches_init(&a);
    lector_gazetteer_matches_init(&b);
    lector_gazetteer_matches_init(&c);
    char *dump = NULL;
    size_t dump_n = 0, skipped = 0;
    if (!g || !g2 || !g3) {
        ok = inv_fail("gazetteer_new failed");
        goto done;
    }
    int rc = lector_gazetteer_load(g, path, 0, NULL);
    if (rc != LECTOR_OK) {
        const char *msg = lector_gazetteer_errmsg(g);
        if (!inv_errmsg("gazetteer_load", msg)) { ok = 0; goto done; }
        /* A data error names the file and the line. */
        if (rc == LECTOR_EFORMAT && strncmp(msg, path, strlen(path)) != 0) {
            ok = inv_fail("gazetteer_load: EFORMAT message does not start "
                          "with the path: %s", msg);
            goto done;
        }
    }
    rc = lector_gazetteer_load(g2, path, LECTOR_GAZ_SKIP_BAD, &skipped);
    if (rc != LECTOR_OK && rc != LECTOR_EFORMAT && rc != LECTOR_ELIMIT &&
        rc != LECTOR_EUTF8) {
        ok = inv_fail("gazetteer_load(SKIP_BAD): rc %d: %s", rc,
                      lector_gazetteer_errmsg(g2));
        goto done;
    }
    size_t count = lector_gazetteer_count(g2);
    for (size_t i = 0; i < count; i++) {
        lector_gaz_entry e;
        if (lector_gazetteer_entry(g2, (int32_t)i, &e) != LECTOR_OK ||
            !e.alias || !e.entity || !e.type || !e.attrs || !e.source ||
            !e.entity[0]) {
            ok = inv_fail("gazetteer entry %zu incomplete", i);
            goto done;
        }
    }
    lector_gaz_entry e;
    if (lector_gazetteer_entry(g2, (int32_t)count, &e) != LECTOR_EINVAL) {
        ok = inv_fail("gazetteer_entry(count) is not EINVAL");
        goto done;
    }

    char *fixed = NULL;
    const char *s = (const char *)text;
    size_t n = tn, reps;
    if (!inv_valid(s, n)) {
        if (lector_utf8_repair(s, n, &fixed, &n, &reps) != LECTOR_OK) {
            ok = inv_fail("repair failed");
            goto done;
        }
        s = fixed;
    }
    if (lector_tokenize(tk, s, n, 0, &t) != LECTOR_OK) {
        ok = inv_fail("tokenize failed on valid text");
    } else if (lector_gazetteer_match(g2, s, n, &t, 0, &a) != LECTOR_OK ||
               lector_gazetteer_match(g2, s, n, &t, LECTOR_MATCH_OVERLAP, &b) !=
                   LECTOR_OK) {
        ok = inv_fail("gazetteer_match failed: %s",
                      lector_gazetteer_errmsg(g2));
    } else if (!inv_gaz_matches(g2, &t, &a, 0) ||
               !inv_gaz_matches(g2, &t, &b, 1)) {
        ok = 0;
    } else {
        for (size_t i = 0; i < a.n && ok; i++)
            if (!inv_gaz_has(&b, &a.m[i]))
                ok = inv_fail("leftmost-longest match %zu (tokens %u..%u) is "
                              "missing from the overlapping matches", i,
                              a.m[i].first, a.m[i].last);
        if (ok && lector_gazetteer_dump(g2, &dump, &dump_n) != LECTOR_OK)
            ok = inv_fail("gazetteer_dump failed");
        if (ok && lector_gazetteer_undump(g3, dump, dump_n) != LECTOR_OK)
            ok = inv_fail("gazetteer_undump of a fresh dump failed: %s",
                          lector_gazetteer_errmsg(g3));
        if (ok && lector_gazetteer_count(g3) != count)
            ok = inv_fail("undump: %zu entries, dumped %zu",
                          lector_gazetteer_count(g3), count);
        if (ok && lector_gazetteer_match(g3, s, n, &t, 0, &c) != LECTOR_OK)
            ok = inv_fail("match after undump failed");
        if (ok) ok = inv_gaz_same("dump/undump", &a, &c);
    }
    lector_free(fixed);
done:
    lector_free(dump);
    lector_gazetteer_matches_release(&a);
    lector_gazetteer_matches_release(&b);
    lector_gazetteer_matches_release(&c);
    lector_tokens_release(&t);
    lector_gazetteer_free(g);
    lector_gazetteer_free(g2);
    lector_gazetteer_free(g3);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    close(fd);
    return ok;
}

/* Undumping arbitrary bytes must fail cleanly or give a usable gazetteer. */
static int inv_undump_input(const uint8_t *data, size_t size)
{
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    lector_gazetteer *g = tk ? lector_gazetteer_new(tk, in, 0) : NULL;
    int ok = 1;
    if (!g) {
        ok = inv_fail("gazetteer_new failed");
    } else if (lector_gazetteer_undump(g, (const char *)data, size) ==
               LECTOR_OK) {
        static const char txt[] = "Deir ez-Zor and Aleppo, the U.S. and IS.";
        lector_tokens t;
        lector_gazetteer_matches m;
        lector_tokens_init(&t);
        lector_gazetteer_matches_init(&m);
        if (lector_tokenize(tk, txt, sizeof txt - 1, 0, &t) == LECTOR_OK &&
            lector_gazetteer_match(g, txt, sizeof txt - 1, &t, 0, &m) ==
                LECTOR_OK)
            ok = inv_gaz_matches(g, &t, &m, 0);
        lector_gazetteer_matches_release(&m);
        lector_tokens_release(&t);
    }
    lector_gazetteer_free(g);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return ok;
}

/* ---- patterns ------------------------------------------------------- */

static int inv_pat_matches(lector_pattern *p, const lector_tokens *t,
                           const lector_pattern_matches *m, int overlap)
{
    int nc = lector_pattern_ncaptures(p);
    for (size_t i = 0; i < m->n; i++) {
        const lector_pattern_hit *x = &m->m[i];
        if (!inv_span_of_tokens("pattern", i, x->first, x->last, x->start,
                                x->end, t))
            return 0;
        if (nc > 0 && (size_t)x->cap + (size_t)nc > m->ncaps)
            return inv_fail("pattern match %zu: captures at %u+%d of %zu", i,
                            x->cap, nc, m->ncaps);
        for (int c = 0; c < nc; c++) {
            const lector_pattern_capture *k = &m->caps[x->cap + (uint32_t)c];
            if (k->first == -1) continue;
            if (k->first < (int32_t)x->first || k->last > (int32_t)x->last ||
                k->last < k->first - 1)
                return inv_fail("pattern match %zu (tokens %u..%u): capture "
                                "%d at %d..%d", i, x->first, x->last, c,
                                k->first, k->last);
        }
        if (i == 0) continue;
        const lector_pattern_hit *q = &m->m[i - 1];
        if (overlap ? x->first <= q->first : x->first <= q->last)
            return inv_fail("pattern match %zu (tokens %u..%u) after match "
                            "%zu (%u..%u): %s", i, x->first, x->last, i - 1,
                            q->first, q->last,
                            overlap ? "start not increasing" : "overlap");
    }
    return 1;
}

/* A small gazetteer so that @PLACE and @ORG mean something. */
static lector_gazetteer *inv_small_gazetteer(lector_tokenizer *tk,
                                             lector_intern *in)
{
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    if (!g) return NULL;
    static const char *const rows[][3] = {
        {"Aleppo", "Aleppo", "PLACE"},
        {"Deir ez-Zor", "Deir ez-Zor", "PLACE"},
        {"Syrian Observatory for Human Rights", "SOHR", "ORG"},
        {"SANA", "SANA", "MEDIA"},
        {"IS", "Islamic State", "ORG"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        (void)lector_gazetteer_add(g, rows[i][0], strlen(rows[i][0]),
                                   rows[i][1], rows[i][2], NULL, "fuzz",
                                   (int32_t)i + 1, LECTOR_CASE_AUTO);
    return g;
}

/* The pattern target: "PATTERN \xFF TEXT". A pattern that does not
 * compile gives EFORMAT with a column inside it (or just past its end);
 * one that does is run with and without overlaps over the text. */
static int inv_pattern_input(const uint8_t *data, size_t size)
{
    size_t pn, tn;
    const uint8_t *text;
    inv_split(data, size, 0xFF, &pn, &text, &tn);
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    lector_gazetteer *g = tk ? inv_small_gazetteer(tk, in) : NULL;
    lector_pattern *p = g ? lector_pattern_new(in, g) : NULL;
    lector_tokens t;
    lector_pattern_matches a, b;
    lector_tokens_init(&t);
    lector_pattern_matches_init(&a);
    lector_pattern_matches_init(&b);
    char *fixed = NULL;
    int ok = 1;
    if (!p) {
        ok = inv_fail("pattern_new failed");
        goto done;
    }
    int rc = lector_pattern_compile(p, (const char *)data, pn);
    if (rc != LECTOR_OK) {
        int col = lector_pattern_errcol(p);
        if (!inv_errmsg("pattern_compile", lector_pattern_errmsg(p)))
            ok = 0;
        else if (rc == LECTOR_EFORMAT && (col < 1 || (size_t)col > pn + 1))
            ok = inv_fail("pattern_compile: error column %d outside 1..%zu",
                          col, pn + 1);
        else if (rc != LECTOR_EFORMAT && rc != LECTOR_EUTF8 &&
                 rc != LECTOR_ELIMIT)
            ok = inv_fail("pattern_compile: rc %d", rc);
        goto done;
    }
    int nc = lector_pattern_ncaptures(p);
    for (int i = 0; i < nc; i++)
        if (!lector_pattern_capture_name(p, i)) {
            ok = inv_fail("capture %d has no name", i);
            goto done;
        }
    const char *s = (const char *)text;
    size_t n = tn, reps;
    if (!inv_valid(s, n)) {
        if (lector_utf8_repair(s, n, &fixed, &n, &reps) != LECTOR_OK) {
            ok = inv_fail("repair failed");
            goto done;
        }
        s = fixed;
    }
    if (lector_tokenize(tk, s, n, 0, &t) != LECTOR_OK)
        ok = inv_fail("tokenize failed on valid text");
    else if ((rc = lector_pattern_match(p, s, n, &t, 0, &a)) != LECTOR_OK)
        ok = inv_fail("pattern_match: rc %d: %s", rc,
                      lector_pattern_errmsg(p));
    else if ((rc = lector_pattern_match(p, s, n, &t, LECTOR_MATCH_OVERLAP,
                                        &b)) != LECTOR_OK)
        ok = inv_fail("pattern_match(overlap): rc %d", rc);
    else if (!inv_pat_matches(p, &t, &a, 0) || !inv_pat_matches(p, &t, &b, 1))
        ok = 0;
    else {
        /* Each leftmost-longest match is the longest match at its start,
         * which the overlapping run reports too. */
        size_t j = 0;
        for (size_t i = 0; i < a.n && ok; i++) {
            while (j < b.n && b.m[j].first < a.m[i].first) j++;
            if (j == b.n || b.m[j].first != a.m[i].first ||
                b.m[j].last != a.m[i].last)
                ok = inv_fail("pattern match %zu (tokens %u..%u) is not the "
                              "overlapping run's match at that start", i,
                              a.m[i].first, a.m[i].last);
        }
    }
done:
    lector_free(fixed);
    lector_pattern_matches_release(&a);
    lector_pattern_matches_release(&b);
    lector_tokens_release(&t);
    lector_pattern_free(p);
    lector_gazetteer_free(g);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return ok;
}

#endif
