/* Pattern sets: which patterns of a set can match a text at all. A match
 * begins with a token one of the tests pc 0 reaches can take and ends
 * with one a test reaching the match can take; each pattern's matcher
 * knows the norms those tokens can have, when only norm tests can take
 * them (pattern_vm.c: the first and last bitmaps), and a text holding no
 * such norm has no match, unless @TYPE can take that token and the text
 * has gazetteer matches. A stage running seven patterns over a document
 * had each look at every token's norm first (seven passes), and ran the
 * whole matcher wherever the document had gazetteer matches. The set ORs
 * all the patterns' bitmaps into one, so one pass over the tokens answers
 * for them all: a token not in the union (nearly all of them) costs one
 * bit test, one in it is looked up in each pattern's own bitmaps. */
#include "pattern_internal.h"

#include <stdlib.h>
#include <string.h>

/* A union's span at most (bits): the patterns' own stop at 2^23. */
#define UNION_MAX_BITS ((int64_t)1 << 24)

typedef struct norm_union {
    int on; /* else each pattern's bitmap is read for each token */
    uint32_t lo, nbits;
    uint8_t *bits;
} norm_union;

struct lector_pattern_set {
    lector_pattern **ps;
    size_t np;
    unsigned *gen; /* each pattern's prep_gen when the union was built */
    int built;
    norm_union any; /* every pattern's first and last norms */
    uint8_t *seen;  /* per pattern: 1 a first norm seen, 2 a last norm */
};

lector_pattern_set *lector_pattern_set_new(lector_pattern *const *ps, size_t np)
{
    if (np && !ps) return NULL;
    for (size_t k = 0; k < np; k++)
        if (!ps[k]) return NULL;
    lector_pattern_set *set = calloc(1, sizeof *set);
    if (!set) return NULL;
    size_t m = np ? np : 1;
    set->ps = malloc(m * sizeof *set->ps);
    set->gen = calloc(m, sizeof *set->gen);
    set->seen = malloc(m);
    if (!set->ps || !set->gen || !set->seen) {
        lector_pattern_set_free(set);
        return NULL;
    }
    if (np) memcpy(set->ps, ps, np * sizeof *ps);
    set->np = np;
    return set;
}

void lector_pattern_set_free(lector_pattern_set *set)
{
    if (!set) return;
    free(set->ps);
    free(set->gen);
    free(set->seen);
    free(set->any.bits);
    free(set);
}

static int bit(const uint8_t *bits, uint32_t d)
{
    return (bits[d >> 3] >> (d & 7)) & 1;
}

/* Whether norm is in the bitmap over [lo, lo + nbits). */
static inline int in_bitmap(int32_t norm, int32_t lo, uint32_t nbits,
                            const uint8_t *bits)
{
    uint32_t d = (uint32_t)norm - (uint32_t)lo;
    return d < nbits && bit(bits, d);
}

/* A pattern's first (last: 0) or last (1) bitmap, when it has one. */
static int bitmap_of(const lector_pattern *p, int last, int32_t *lo,
                     uint32_t *nbits, const uint8_t **bits)
{
    if (!p->compiled || !(last ? p->skip_ok : p->first_ok)) return 0;
    *lo = last ? p->last_lo : p->first_lo;
    *nbits = last ? p->last_nbits : p->first_nbits;
    *bits = last ? p->last_bits : p->first_bits;
    return 1;
}

/* The union of the patterns' first and last bitmaps. */
static int build_union(lector_pattern_set *set, norm_union *u)
{
    free(u->bits);
    memset(u, 0, sizeof *u);
    int64_t lo = 0, hi = 0; /* [lo, hi) */
    int any = 0;
    int32_t plo;
    uint32_t pn;
    const uint8_t *pb;
    for (size_t k = 0; k < set->np; k++)
        for (int last = 0; last < 2; last++) {
            if (!bitmap_of(set->ps[k], last, &plo, &pn, &pb)) continue;
            if (!any || plo < lo) lo = plo;
            if (!any || (int64_t)plo + pn > hi) hi = (int64_t)plo + pn;
            any = 1;
        }
    if (!any || hi - lo > UNION_MAX_BITS) return LECTOR_OK;
    u->bits = calloc((size_t)(hi - lo) / 8 + 1, 1);
    if (!u->bits) return LECTOR_ENOMEM;
    u->lo = (uint32_t)lo;
    u->nbits = (uint32_t)(hi - lo);
    for (size_t k = 0; k < set->np; k++)
        for (int last = 0; last < 2; last++) {
            if (!bitmap_of(set->ps[k], last, &plo, &pn, &pb)) continue;
            for (uint32_t d = 0; d < pn; d++)
                if (bit(pb, d)) {
                    uint32_t x = (uint32_t)(plo - lo) + d;
                    u->bits[x >> 3] |= (uint8_t)(1u << (x & 7));
                }
        }
    u->on = 1;
    return LECTOR_OK;
}

/* The union, built again when a pattern's tables were (a pattern
 * compiled since, or one whose matcher freed them after a big text). */
static int build(lector_pattern_set *set)
{
    int fresh = set->built;
    for (size_t k = 0; k < set->np; k++) {
        lector_pattern *p = set->ps[k];
        if (!p->compiled) continue;
        if (pat_prepare(p) < 0) return LECTOR_ENOMEM;
        if (set->gen[k] != p->prep_gen) fresh = 0;
    }
    if (fresh) return LECTOR_OK;
    set->built = 0;
    int rc = build_union(set, &set->any);
    if (rc) return rc;
    for (size_t k = 0; k < set->np; k++)
        set->gen[k] = set->ps[k]->prep_gen;
    set->built = 1;
    return LECTOR_OK;
}

/* What a pattern needs to see (seen bits 1: a first norm, 2: a last
 * one), 0 for nothing. */
static uint8_t needs(const lector_pattern *p)
{
    if (!p->compiled) return 0;
    return (uint8_t)((p->first_ok ? 1 : 0) | (p->skip_ok ? 2 : 0));
}

int lector_pattern_set_can_match(lector_pattern_set *set,
                                 const lector_tokens *toks, uint8_t *can)
{
    if (!set || !toks || (set->np && !can)) return LECTOR_EINVAL;
    int rc = build(set);
    if (rc) return rc;
    /* open: the patterns that have not seen all they need */
    size_t open = 0;
    for (size_t k = 0; k < set->np; k++) {
        set->seen[k] = 0;
        open += needs(set->ps[k]) != 0;
    }
    /* The union's fields in locals: the loop between two hits is a load
     * and a bit test a token (the stores of a hit could alias them). */
    const lector_token *tok = toks->tok;
    const size_t n = toks->n;
    const int gate = set->any.on;
    const uint32_t ulo = set->any.lo, unbits = set->any.nbits;
    const uint8_t *ubits = set->any.bits;
    size_t pos = 0;
    while (open && pos < n) {
        if (gate) {
            while (pos < n) {
                uint32_t d = (uint32_t)tok[pos].norm - ulo;
                if (d < unbits && bit(ubits, d)) break;
                pos++;
            }
            if (pos == n) break;
        }
        int32_t norm = tok[pos++].norm;
        for (size_t k = 0; k < set->np; k++) {
            const lector_pattern *p = set->ps[k];
            uint8_t need = needs(p), was = set->seen[k];
            if (!need || (was & need) == need) continue;
            uint8_t now = was;
            if ((need & 1) &&
                in_bitmap(norm, p->first_lo, p->first_nbits, p->first_bits))
                now |= 1;
            if ((need & 2) &&
                in_bitmap(norm, p->last_lo, p->last_nbits, p->last_bits))
                now |= 2;
            set->seen[k] = now;
            if ((now & need) == need) open--;
        }
    }
    for (size_t k = 0; k < set->np; k++) {
        const lector_pattern *p = set->ps[k];
        uint8_t need = needs(p), miss = need & (uint8_t)~set->seen[k];
        if (!p->compiled || toks->n == 0) {
            can[k] = 0; /* a match call finds nothing (or refuses) */
        } else if (((miss & 1) && !p->first_gaz) ||
                   ((miss & 2) && !p->last_gaz)) {
            can[k] = 0;
        } else {
            can[k] = miss ? 2 : 1;
        }
    }
    return LECTOR_OK;
}
