/* extract_lines: the lines of a text the boilerplate extractor
 * (scripts/lector/extract/boilerplate.lua) must read. It matches each
 * trimmed, lower-cased line against the lexicon's Lua patterns, but only
 * the rules whose literal prefix, length and last byte agree with the
 * line can match, and in news text most lines agree with none: its Lua
 * loop still found each line, trimmed it and tried the rules its first
 * two bytes admitted, 300k lines for 35 MB. Here the same tests skip
 * those lines; the Lua side reads the ones returned as it always did, so
 * the patterns stay in the lexicon and are matched by Lua alone. */
#include "common.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *pre; /* the literal prefix, lower case */
    size_t np;
    unsigned char first[32]; /* np == 0: the first bytes it admits */
    unsigned char last[32];  /* the bytes its match can end with */
} line_rule;

struct lector_line_rules {
    line_rule *rule;
    size_t n, cap;
    /* by[at[b] .. at[b + 1]): the rules a line whose first byte (lowered)
     * is b may match, made again after an add (built is then 0) */
    size_t *by, at[257];
    int built;
};

lector_line_rules *lector_line_rules_new(void)
{
    return calloc(1, sizeof(lector_line_rules));
}

void lector_line_rules_free(lector_line_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rule[i].pre);
    free(r->rule);
    free(r->by);
    free(r);
}

static int has(const unsigned char *set, unsigned b)
{
    return set[b >> 3] >> (b & 7) & 1;
}

int lector_line_rules_add(lector_line_rules *r, const unsigned char *prefix,
                          size_t np, const unsigned char *first,
                          const unsigned char *last)
{
    if (r->n == r->cap) {
        line_rule *g =
            lector__grow(r->rule, &r->cap, r->n + 1, sizeof *r->rule, 64);
        if (!g) return LECTOR_ENOMEM;
        r->rule = g;
    }
    line_rule *x = r->rule + r->n;
    memset(x, 0, sizeof *x);
    x->pre = malloc(np ? np : 1);
    if (!x->pre) return LECTOR_ENOMEM;
    if (np) memcpy(x->pre, prefix, np);
    x->np = np;
    /* with no prefix: the first bytes given, none of them a lower-case
     * letter (a line starting with one tries only the rules that start
     * with a letter, as the Lua side orders them) */
    for (unsigned b = 0; b < 256; b++)
        if (np == 0 && !(b >= 'a' && b <= 'z') && (!first || has(first, b)))
            x->first[b >> 3] |= (unsigned char)(1u << (b & 7));
    if (last)
        memcpy(x->last, last, sizeof x->last);
    else
        memset(x->last, 0xff, sizeof x->last);
    r->n++;
    r->built = 0;
    return LECTOR_OK;
}

static int admits(const line_rule *x, unsigned b)
{
    return x->np ? x->pre[0] == b : has(x->first, b);
}

/* by and at from the rules (a counting sort by first byte). */
static int build(lector_line_rules *r)
{
    size_t total = 0;
    for (unsigned b = 0; b < 256; b++) {
        r->at[b] = total;
        for (size_t i = 0; i < r->n; i++)
            total += (size_t)admits(r->rule + i, b);
    }
    r->at[256] = total;
    size_t *by = realloc(r->by, (total ? total : 1) * sizeof *by);
    if (!by) return LECTOR_ENOMEM;
    r->by = by;
    size_t k = 0;
    for (unsigned b = 0; b < 256; b++)
        for (size_t i = 0; i < r->n; i++)
            if (admits(r->rule + i, b)) by[k++] = i;
    r->built = 1;
    return LECTOR_OK;
}

static unsigned lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + 32u : c;
}

/* The bytes a line's leading trim skips (space, \t, \v, \f, \r) and
 * those its trailing trim drops (space, \t, \r), as boilerplate.lua's. */
static int lead_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static int trail_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Whether a rule whose first byte agrees may match the trimmed line
 * s[a..b] (b2: the lowered byte after a, 0 at the text's end). */
static int rule_fits(const lector_line_rules *r, const unsigned char *s,
                     size_t a, size_t b, unsigned b2)
{
    unsigned b1 = lower(s[a]), lb = lower(s[b]);
    for (size_t k = r->at[b1]; k < r->at[b1 + 1]; k++) {
        const line_rule *x = r->rule + r->by[k];
        size_t np = x->np;
        if (np >= 2 && x->pre[1] != b2) continue;
        if (b - a + 1 < np || !has(x->last, lb)) continue;
        size_t j = 2;
        while (j < np && lower(s[a + j]) == x->pre[j])
            j++;
        if (j >= np) return 1;
    }
    return 0;
}

size_t lector_lines_next(lector_line_rules *r, const char *text, size_t len,
                         size_t pos, lector_lines_at *at)
{
    if (!r->built && build(r) != LECTOR_OK) return pos; /* Lua reads all */
    const unsigned char *s = (const unsigned char *)text;
    size_t line = at->line;
    while (pos < len) {
        const unsigned char *nl = memchr(s + pos, '\n', len - pos);
        size_t e = nl ? (size_t)(nl - s) : len;
        size_t a = pos;
        while (a < len && lead_space(s[a]))
            a++;
        if (a < e) {
            size_t b = e - 1;
            while (b > a && trail_space(s[b]))
                b--;
            if (a >= at->glued) break;
            if (b - a < at->max_len) {
                unsigned b2 = a + 1 < len ? lower(s[a + 1]) : 0;
                if (rule_fits(r, s, a, b, b2)) break;
                if ((line < at->head || a + at->near >= len) &&
                    b - a < at->short_len && has(at->short_first, lower(s[a])))
                    break;
            }
        }
        pos = e + 1;
        line++;
    }
    at->line = line;
    return pos < len ? pos : len;
}
