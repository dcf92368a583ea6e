/* tok_lanes: the tokenizer's hot path (tok_hot_path) for the bulk of
 * English text: plain ASCII tokens already in the surface cache, stored
 * without the general machinery. Its main lane takes 64 bytes at a time
 * as bit masks (SSE2, or AVX-512BW and VBMI where the CPU has them,
 * chosen at run time); words_loop and hot_loop take what it leaves. What
 * it cannot decide it leaves to token.c, so it cannot change the output
 * (see token.c for the whole design). */
#include "lector.h"
#include "tok_internal.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SWAR_HI 0x8080808080808080ull

/* The high bit of each byte of w that is an ASCII letter (SWAR: lower-
 * cased, a letter lies in 'a'..'z'; no carry crosses bytes as each
 * addend keeps bytes below 0x80). */
static inline uint64_t letter_bits(uint64_t w)
{
    uint64_t l = w | 0x2020202020202020ull;
    uint64_t lo = l & ~SWAR_HI;
    uint64_t ge_a = (lo + 0x1F1F1F1F1F1F1F1Full) & SWAR_HI;
    uint64_t gt_z = (lo + 0x0505050505050505ull) & SWAR_HI;
    return ge_a & ~gt_z & ~(l & SWAR_HI);
}

/* The end of the run of ASCII letters starting at e: eight bytes at a
 * time where the text allows. */
static inline size_t letters_end(const uint8_t *s, size_t n, size_t e)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (e + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + e, 8);
        uint64_t letter = letter_bits(w);
        if (letter != SWAR_HI)
            return e + (size_t)(__builtin_ctzll(~letter & SWAR_HI) >> 3);
        e += 8;
    }
#endif
    while (e < n && tok_cls[s[e]] == C_L)
        e++;
    return e;
}

/* ---- the hot path -------------------------------------------------- */

/* Writes token [a, b) whose second half (norm, flags, kind, reserved) is
 * hi, as two 8-byte stores. */
static inline void store_token(lector_token *t, size_t a, size_t b, uint64_t hi)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t lo = (uint64_t)(uint32_t)a | (uint64_t)b << 32;
    memcpy(t, &lo, 8);
    memcpy((char *)t + 8, &hi, 8);
#else
    t->start = (uint32_t)a;
    t->end = (uint32_t)b;
    t->norm = (int32_t)(uint32_t)hi;
    t->flags = (uint16_t)(hi >> 32);
    t->kind = (uint8_t)(hi >> 48);
    t->reserved = 0;
#endif
}

/* The second half of a token made from cache entry ce: norm (0 without
 * norms), flags, kind and a zero reserved byte. */
static inline uint64_t entry_hi(const centry *ce, int no_norm)
{
    uint64_t hi;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&hi, &ce->norm, 8);
    hi &= 0x00FFFFFFFFFFFFFFull; /* lane off: the reserved byte is 0 */
#else
    hi = (uint64_t)(uint32_t)ce->norm | (uint64_t)ce->flags << 32 |
         (uint64_t)ce->kind << 48;
#endif
    return no_norm ? hi & ~0xFFFFFFFFull : hi;
}

/* Whether the token-at-a-time paths may store the cached word ce as it
 * is: no clitic to split off, no period after it to glue to an
 * abbreviation, and its norm known (unless norms are skipped). */
static inline int takes_as_is(const centry *ce, int period_after, int no_norm)
{
    return !(ce->lane & (LANE_SPLIT | (period_after ? LANE_ABBREV : 0))) &&
           (no_norm || ce->norm >= 0);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOT_WORDS 1

/* The ASCII letters among the 16 bytes at q, as a bit mask (bit i for
 * q[i]). With SSE2: lower-cased and shifted so that 'a'..'z' land on the
 * 26 smallest signed byte values, one compare finds them (bytes of 0x80
 * and above never do). */
static inline unsigned letters16(const uint8_t *q)
{
#ifdef __SSE2__
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
    __m128i t =
        _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x1F));
    return (unsigned)_mm_movemask_epi8(
        _mm_cmplt_epi8(t, _mm_set1_epi8((char)(0x80 + 26))));
#else
    uint64_t w0, w1;
    memcpy(&w0, q, 8);
    memcpy(&w1, q + 8, 8);
    /* gather the high bit of each byte into one bit per byte */
    uint64_t m0 = ((letter_bits(w0) >> 7) * 0x0102040810204080ull) >> 56;
    uint64_t m1 = ((letter_bits(w1) >> 7) * 0x0102040810204080ull) >> 56;
    return (unsigned)(m0 | m1 << 8);
#endif
}

/* The most tokens the block lane stores from a block: each is at least
 * a byte long. */
#define BLOCK_TOKENS 64

/* What the fast lane reads but never changes. */
typedef struct {
    const uint8_t *s; /* the text */
    size_t n;
    const lector_token *first; /* the token array */
    const lector_token *tend;  /* its end */
    const centry *cache;
    size_t cmask;
    unsigned cshift;
    const char *arena;
    lector_tokenizer *tk;      /* for a word's first sight (lane_new) */
    struct lane_pending *pend; /* norms to come (lane_defer) */
} lane;

/* New words the block lane stored with their norms still to come: their
 * intern slots were prefetched when they were cached (norm_prefetch), and
 * the norms are interned together, in token order, when the queue fills,
 * before any other norm is interned and before the lane returns
 * (lane_flush), so that the loads of several new words overlap instead of
 * each stalling in turn. Ids come out as the general path gives them. */
#define LANE_PENDING 8
typedef struct lane_pending {
    int n, oom;
    const centry *cache; /* the cache the entries are in */
    lector_token *tok[LANE_PENDING];
    centry *ce[LANE_PENDING];
    uint64_t h[LANE_PENDING]; /* the hash of the fold */
    uint8_t len[LANE_PENDING];
    char low[LANE_PENDING][16]; /* the fold */
} lane_pending;

/* The fast lane of the hot path, for the bulk of prose: words of up to
 * 15 ASCII letters, single-byte punctuation and spaces, while at least 16
 * bytes are readable, so one 16-byte classification gives a word's end
 * and two 8-byte loads its cache key. It stops before anything else (a
 * line feed, a digit, a longer word, a cache miss...), leaving it to
 * hot_loop, and returns where it stopped; *tp and *pendingp follow what
 * it stored. A function of its own, so its few live values stay in
 * registers. */
static inline __attribute__((always_inline)) const uint8_t *
words_loop(const lane *ln, const uint8_t *q, const uint8_t *lim,
           lector_token **tp, unsigned *pendingp, const int no_norm)
{
    const uint8_t *const s = ln->s;
    const lector_token *const first = ln->first;
    const centry *const cache = ln->cache;
    const size_t cmask = ln->cmask;
    const unsigned cshift = ln->cshift;
    const char *const arena = ln->arena;
    lector_token *t = *tp;
    uint64_t pending = *pendingp;
    while (q < lim) {
        unsigned lm = letters16(q);
        size_t len;
        uint64_t w, key, key2 = 0;
        unsigned period = 0;
        memcpy(&w, q, 8);
        if (lm & 1) {
            len = (size_t)__builtin_ctz(~lm);
            if (len == 16) break;
            uint8_t next = q[len];
            if (!tok_ends_plain[next]) {
                uint8_t after = q[len + 1];
                if (next == '.') {
                    /* "word." ending a sentence: plain unless the word is
                     * an abbreviation or an e-mail address could start. */
                    if (after >= 0x80 || email_local(after)) break;
                    period = 1;
                } else if (next == '-' || next == '+') {
                    /* al-Bab, term-end: plain unless an e-mail address
                     * starts at the word (tailor's own test). */
                    if (email_at(s, ln->n, (size_t)(q - s))) break;
                } else {
                    break;
                }
            }
            if (len < 8) {
                key = w & ((1ull << (8 * len)) - 1);
            } else {
                uint64_t w2; /* the rest of the word, hashed as loaded */
                memcpy(&w2, q + 8, 8);
                key = w;
                key2 = len == 8 ? 0 : w2 & ((1ull << (8 * (len - 8))) - 1);
            }
        } else {
            uint8_t c = (uint8_t)w, c1 = (uint8_t)(w >> 8);
            if (c == ' ') {
                const uint8_t *e = q + 1;
                while (*e == ' ' && e < lim)
                    e++;
                /* a run going on past lim is hot_loop's to take whole:
                 * cut short, the segment starting there would be wrong
                 * when a mark follows the run */
                if (*e >= 0x80 || *e == ' ') break;
                pending = LECTOR_TF_SPACE_BEFORE;
                q = e;
                continue;
            }
            /* a hyphen too, unless what follows it could make it part of
             * an e-mail address (tailor looks there only before @ . - +) */
            if (!(tok_plain_punct[c] || (c == '.' && !email_local(c1)) ||
                  (c == '-' && c1 != '@' && c1 != '.' && c1 != '-' &&
                   c1 != '+')) ||
                c1 >= 0x80)
                break;
            len = 1;
            key = c;
        }
        const centry *ce =
            probe(cache, cmask, arena, q, len, ln->n - (size_t)(q - s),
                  (size_t)(short_mix(key, key2) >> cshift), key, key2);
        if (!ce) break;
        if (!takes_as_is(ce, period, no_norm)) break;
        size_t a = (size_t)(q - s);
        store_token(t, a, a + len, entry_hi(ce, no_norm) | pending << 32);
        t++;
        if (!pending && ce->kind == LECTOR_TK_WORD)
            join_hyphen(s, t, (size_t)(t - first));
        q += len;
        /* the single space after most words, without a trip round */
        if (q[0] == ' ' && q[1] != ' ' && q[1] < 0x80) {
            pending = LECTOR_TF_SPACE_BEFORE;
            q++;
        } else {
            pending = 0;
        }
    }
    *tp = t;
    *pendingp = (unsigned)pending;
    return q;
}

static __attribute__((noinline)) const uint8_t *
words_norm(const lane *ln, const uint8_t *q, const uint8_t *lim,
           lector_token **tp, unsigned *pendingp)
{
    return words_loop(ln, q, lim, tp, pendingp, 0);
}

static __attribute__((noinline)) const uint8_t *
words_nonorm(const lane *ln, const uint8_t *q, const uint8_t *lim,
             lector_token **tp, unsigned *pendingp)
{
    return words_loop(ln, q, lim, tp, pendingp, 1);
}

#ifdef __SSE2__
#define HOT_BLOCKS 1

#include "tok_classify.h"

/* The first min(len, 8) bytes of a surface and the rest, by length. */
static const struct {
    uint64_t head, tail;
} key_mask[17] = {{0, 0},
                  {0xFF, 0},
                  {0xFFFF, 0},
                  {0xFFFFFF, 0},
                  {0xFFFFFFFF, 0},
                  {0xFFFFFFFFFFull, 0},
                  {0xFFFFFFFFFFFFull, 0},
                  {0xFFFFFFFFFFFFFFull, 0},
                  {~0ull, 0},
                  {~0ull, 0xFF},
                  {~0ull, 0xFFFF},
                  {~0ull, 0xFFFFFF},
                  {~0ull, 0xFFFFFFFF},
                  {~0ull, 0xFFFFFFFFFFull},
                  {~0ull, 0xFFFFFFFFFFFFull},
                  {~0ull, 0xFFFFFFFFFFFFFFull},
                  {~0ull, ~0ull}};

/* The cache keys of surface (p, len), len <= 16, 16 bytes readable at p,
 * and its home slot. */
static inline __attribute__((always_inline)) size_t
lane_slot(const lane *ln, const uint8_t *p, size_t len, uint64_t *k1,
          uint64_t *k2)
{
    uint64_t w1, w2;
    memcpy(&w1, p, 8);
    memcpy(&w2, p + 8, 8);
    *k1 = w1 & key_mask[len].head;
    *k2 = w2 & key_mask[len].tail;
    return (size_t)(short_mix(*k1, *k2) >> ln->cshift);
}

/* SPACE_BEFORE where entry_hi puts the flags */
#define SPACE_HI ((uint64_t)LECTOR_TF_SPACE_BEFORE << 32)

/* Whether a token of this kind after a hyphen joins it (as push_word). */
static inline int joins_hyphen(uint8_t kind)
{
    return kind == LECTOR_TK_WORD || kind == LECTOR_TK_NUMBER ||
           kind == LECTOR_TK_CLITIC;
}

/* After the block lane stored tokens t0.. of a block (starts in S, ends
 * in E, the bits of those tokens only): marks line ends before each line
 * feed in nl, and joins hyphenated words at the hyphens in hy (each a
 * stored token with a token starting right after it), as push and
 * join_hyphen would have one token at a time. Rare enough to run apart
 * from the lane. */
static inline __attribute__((always_inline)) void
block_events(const uint8_t *s, const lector_token *first, lector_token *t0,
             uint64_t S, uint64_t E, uint64_t nl, uint64_t hy)
{
    lector_token *prev = NULL;
    for (; nl; nl &= nl - 1) {
        unsigned p = (unsigned)__builtin_ctzll(nl);
        /* the token before the line feed: the last stored one ending
         * before it, or the one before the block */
        lector_token *w = t0 + __builtin_popcountll(E & ((1ull << p) - 1)) - 1;
        if (w < first) continue;
        w->flags |= (uint16_t)(LECTOR_TF_LINE_END |
                               (w == prev ? LECTOR_TF_PARA_END : 0));
        prev = w;
    }
    for (; hy; hy &= hy - 1) {
        unsigned p = (unsigned)__builtin_ctzll(hy);
        /* the hyphen's token, and the word after it when stored */
        size_t k = (size_t)__builtin_popcountll(S & ((1ull << p) - 1));
        lector_token *w = t0 + k + 1;
        if ((size_t)__builtin_popcountll(S) <= k + 1) continue;
        if (joins_hyphen(w->kind))
            join_hyphen(s, w + 1, (size_t)(w + 1 - first));
    }
}

/* block_events apart from the lane, with POPCNT when the lane has it
 * (without, each popcount is a call into libgcc). */
static __attribute__((noinline)) void
block_events_sse2(const uint8_t *s, const lector_token *first, lector_token *t0,
                  uint64_t S, uint64_t E, uint64_t nl, uint64_t hy)
{
    block_events(s, first, t0, S, E, nl, hy);
}

#ifdef LANE_X86_64_V4
static TARGET_V4 __attribute__((noinline)) void
block_events_v4(const uint8_t *s, const lector_token *first, lector_token *t0,
                uint64_t S, uint64_t E, uint64_t nl, uint64_t hy)
{
    block_events(s, first, t0, S, E, nl, hy);
}
#endif

/* The cache entry of surface (p, len), len <= 16, 16 bytes readable at p;
 * NULL when not cached. */
static inline const centry *lane_probe(const lane *ln, const uint8_t *p,
                                       size_t len)
{
    uint64_t k1, k2;
    size_t j = lane_slot(ln, p, len, &k1, &k2);
    return probe(ln->cache, ln->cmask, ln->arena, p, len, 16, j, k1, k2);
}

/* A surface (p, len) the block lane found missing from the cache, its
 * first sight: classified and cached (tok_lookup), as tailor would, so the
 * lane goes on instead of stopping for hot_loop to do the same. NULL when
 * the cache moved meanwhile (grown or started over: the lane's slots and
 * plans are stale) or out of memory: the lane stops, and what comes after
 * it meets the entry, or the error, again. */
static __attribute__((noinline)) const centry *
lane_new(const lane *ln, const uint8_t *p, size_t len)
{
    lector_tokenizer *tk = ln->tk;
    const centry *e = tok_lookup(tk, p, len, ln->n - (size_t)(p - ln->s));
    return e && tk->cache == ln->cache ? e : NULL;
}

/* The cache entry of surface (p, len) for the block lane, made when
 * missing (lane_new); NULL when the lane must stop. */
static inline const centry *lane_entry(const lane *ln, const uint8_t *p,
                                       size_t len)
{
    const centry *e = lane_probe(ln, p, len);
    return e ? e : lane_new(ln, p, len);
}

/* Interns the queued norms in order and writes them into their tokens,
 * and into their cache entries unless the cache moved since (its old
 * slots may be another table's by now); 0 when out of memory. */
static __attribute__((noinline)) int lane_flush(const lane *ln)
{
    lane_pending *pd = ln->pend;
    lector_tokenizer *tk = ln->tk;
    int same = pd->cache == tk->cache;
    for (int k = 0; k < pd->n; k++) {
        int32_t id =
            lector__intern_add_hashed(tk->in, pd->low[k], pd->len[k], pd->h[k]);
        if (!id) pd->oom = 1;
        pd->tok[k]->norm = id;
        if (same) pd->ce[k]->norm = id;
    }
    pd->n = 0;
    return !pd->oom;
}

/* Queues the norm of the new word (p, len), entry ce, stored at t: when
 * it is the surface tok_lookup just cached and folded (pf_s); 0 when not,
 * and then lane_norm gives it now. */
static inline int lane_defer(const lane *ln, const centry *ce, const uint8_t *p,
                             size_t len, lector_token *t)
{
    lector_tokenizer *tk = ln->tk;
    lane_pending *pd = ln->pend;
    if (tk->pf_s != p || tk->pf_n != len || len > 16) return 0;
    if (pd->n == LANE_PENDING && !lane_flush(ln)) return 0;
    int k = pd->n++;
    pd->cache = tk->cache;
    pd->tok[k] = t;
    pd->ce[k] = (centry *)ce; /* the cache's own slot: ln keeps it const */
    pd->h[k] = tk->pf_h;
    pd->len[k] = (uint8_t)len;
    memcpy(pd->low[k], tk->pf_low, 16);
    return 1;
}

/* Gives entry ce of surface (p, len) its norm when it has none yet, when
 * its token is stored: in token order, as push does (the queue first), so
 * norm ids come out as the general path gives them. 0 when out of
 * memory. */
static inline int lane_norm(const lane *ln, const centry *ce, const uint8_t *p,
                            size_t len)
{
    if (ce->norm >= 0) return 1;
    if (ln->pend->n && !lane_flush(ln)) return 0;
    if (ce->norm >= 0) return 1; /* queued, and given by the flush */
    int32_t id = tok_norm_of(ln->tk, p, len);
    if (!id) return 0;
    ((centry *)ce)->norm = id; /* the cache's own slot: ln keeps it const */
    return 1;
}

/* Stores at t the two tokens tailor makes of the word (p, len) at a
 * whose clitic starts at sp (Atlanta|'s, do|n't), sb its SPACE_BEFORE.
 * 0 when either part is not cached yet (with its norm). */
static __attribute__((noinline)) int
block_split(const lane *ln, lector_token *t, const uint8_t *p, size_t len,
            size_t sp, size_t a, uint64_t sb, int no_norm)
{
    const centry *head = lane_entry(ln, p, sp);
    if (!head) return 0;
    const centry *tail = lane_entry(ln, p + sp, len - sp);
    /* head's norm first: the order of the tokens */
    if (!tail || (!no_norm && (!lane_norm(ln, head, p, sp) ||
                               !lane_norm(ln, tail, p + sp, len - sp))))
        return 0;
    store_token(t, a, a + sp, entry_hi(head, no_norm) | sb * SPACE_HI);
    store_token(t + 1, a + sp, a + len, entry_hi(tail, no_norm));
    return 1;
}

/* What lane_special needs of its block. */
typedef struct {
    const lane *ln;
    const uint8_t *q; /* the block */
    size_t off;       /* where it starts in the text */
    uint64_t SB;      /* white space before each byte */
    /* where clitics were split off; where periods were glued to
     * abbreviations (the starts and ends to add and remove for
     * block_events) */
    uint64_t Sx, Ex, Sr, Er;
} blockctx;

/* What lane_special did: how many tokens it stored (the low two bits),
 * and whether it took the block's next token too (a period glued to an
 * abbreviation); or that the lane must stop. */
enum { SPECIAL_STOP = -1, SPECIAL_TOOK_NEXT = 4 };

/* The block lane's token a..z whose cache entry ce has lane bits or no
 * norm yet: stores what tailor would make of it at t (E: the ends of the
 * block's tokens from this one on). The masks come and go by value: with
 * their addresses passed here, the caller's loop kept them in memory. */
static __attribute__((noinline)) int lane_special(blockctx *bc,
                                                  const centry *ce, unsigned a,
                                                  unsigned z, uint64_t E,
                                                  lector_token *t, int no_norm)
{
    const uint8_t *q = bc->q;
    size_t len = z + 1 - a, at = bc->off + a;
    uint64_t sb = ((bc->SB >> a) & 1) * SPACE_HI;
    if ((ce->lane & LANE_ABBREV) && q[z + 1] == '.') {
        /* an abbreviation that takes the period after it: one token, as
         * tailor makes it (the period is the next token of the block, or
         * the lane stops) */
        uint64_t E2 = E & (E - 1);
        const centry *ea;
        /* An apostrophe after the period may start a clitic (the U.S.’s
         * role): tailor decides. */
        size_t after = at + len + 1;
        if (after < bc->ln->n &&
            (bc->ln->s[after] == '\'' || bc->ln->s[after] == 0xE2))
            return SPECIAL_STOP;
        if (!E2 || (unsigned)__builtin_ctzll(E2) != z + 1 || len >= 16 ||
            !(ea = lane_entry(bc->ln, q + a, len + 1)) ||
            (!no_norm && !lane_norm(bc->ln, ea, q + a, len + 1)))
            return SPECIAL_STOP;
        store_token(t, at, at + len + 1, entry_hi(ea, no_norm) | sb);
        bc->Sr |= 1ull << (z + 1);
        bc->Er |= 1ull << z;
        return 1 | SPECIAL_TOOK_NEXT;
    }
    if (ce->lane & LANE_SPLIT) {
        /* a clitic: two tokens, as tailor makes them */
        if (!block_split(bc->ln, t, q + a, len, ce->off, at, sb != 0, no_norm))
            return SPECIAL_STOP;
        bc->Sx |= 1ull << (a + ce->off);
        bc->Ex |= 1ull << (a + ce->off - 1);
        return 2;
    }
    /* a new word: its norm comes with the queue's (the token holds -1
     * till then) */
    if (!no_norm && ce->norm < 0 && !lane_defer(bc->ln, ce, q + a, len, t) &&
        !lane_norm(bc->ln, ce, q + a, len))
        return SPECIAL_STOP;
    store_token(t, at, at + len, entry_hi(ce, no_norm) | sb);
    return 1;
}

#ifdef LANE_X86_64_V4
/* The plan of the first n tokens of the block at q whose starts and ends
 * are S and E: a record of four words a token, its cache keys k1 and k2
 * and its home slot (twice), as lane_slot gives them. Four tokens to a
 * 64-byte vector: their bytes gathered from the block by a two-table byte
 * permute and cut to length by a mask, then multiplied and summed as
 * short_mix does. The lane computes the next block's plan while it stores
 * this one, prefetching the slots in the cache at prefetch (when not
 * NULL), and then reads its probes from it: each surface is hashed once,
 * and the scalar loop keeps few values.
 * Needs 80 readable bytes at q; a token over 16 bytes gets a wrong plan
 * (the lane stops before it). */
static TARGET_VBMI inline void plan_block(const uint8_t *q, uint64_t S,
                                          uint64_t E, unsigned n,
                                          unsigned cshift, uint64_t *plan,
                                          const centry *prefetch)
{
    static const uint8_t iota[64] = {
        0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
        16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
        32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};
    const __m512i io = _mm512_loadu_si512((const void *)iota);
    const __m512i k16 = _mm512_and_si512(io, _mm512_set1_epi8(15));
    const __m512i grp = _mm512_srli_epi16(
        _mm512_and_si512(io, _mm512_set1_epi8((char)0x30)), 4);
    const __m512i C = _mm512_set_epi64(
        (long long)0xC2B2AE3D27D4EB4Full, (long long)0x9E3779B97F4A7C15ull,
        (long long)0xC2B2AE3D27D4EB4Full, (long long)0x9E3779B97F4A7C15ull,
        (long long)0xC2B2AE3D27D4EB4Full, (long long)0x9E3779B97F4A7C15ull,
        (long long)0xC2B2AE3D27D4EB4Full, (long long)0x9E3779B97F4A7C15ull);
    const __m128i shift = _mm_cvtsi32_si128((int)cshift);
    const __m512i rec01 = _mm512_set_epi64(10, 10, 3, 2, 8, 8, 1, 0);
    const __m512i rec23 = _mm512_set_epi64(14, 14, 7, 6, 12, 12, 5, 4);
    __m512i A = _mm512_loadu_si512((const void *)q);
    __m512i B = _mm512_loadu_si512((const void *)(q + 16));
    __m512i st = _mm512_maskz_compress_epi8(S, io);
    __m512i en = _mm512_maskz_compress_epi8(E, io);
    __m512i len = _mm512_sub_epi8(_mm512_add_epi8(en, _mm512_set1_epi8(1)), st);
    for (unsigned g = 0; g < n; g += 4) {
        __m512i sel = _mm512_add_epi8(grp, _mm512_set1_epi8((char)g));
        __m512i pos = _mm512_add_epi8(_mm512_permutexvar_epi8(sel, st), k16);
        __m512i l4 = _mm512_permutexvar_epi8(sel, len);
        /* bytes 64 and on come from B, which starts at q + 16 */
        __m512i idx = _mm512_mask_add_epi8(
            pos, _mm512_cmpge_epu8_mask(pos, _mm512_set1_epi8(64)), pos,
            _mm512_set1_epi8(48));
        __m512i keys = _mm512_maskz_permutex2var_epi8(
            _mm512_cmplt_epu8_mask(k16, l4), A, idx, B);
        __m512i m = _mm512_mullo_epi64(keys, C);
        __m512i h = _mm512_add_epi64(m, _mm512_shuffle_epi32(m, _MM_PERM_BADC));
        __m512i j = _mm512_srl_epi64(h, shift);
        /* records of four words: k1, k2, slot, slot */
        _mm512_storeu_si512((void *)(plan + 4 * g),
                            _mm512_permutex2var_epi64(keys, rec01, j));
        _mm512_storeu_si512((void *)(plan + 4 * g + 8),
                            _mm512_permutex2var_epi64(keys, rec23, j));
        if (prefetch) {
            /* from the registers: loaded back from the plan just stored,
             * the slots would wait for the vector stores to commit */
            __m512i off = _mm512_slli_epi64(j, 5);
            const char *base = (const char *)prefetch;
            __builtin_prefetch(base +
                               _mm_cvtsi128_si64(_mm512_castsi512_si128(off)));
            __builtin_prefetch(
                base + _mm_cvtsi128_si64(_mm512_extracti64x2_epi64(off, 1)));
            __builtin_prefetch(
                base + _mm_cvtsi128_si64(_mm512_extracti64x2_epi64(off, 2)));
            __builtin_prefetch(
                base + _mm_cvtsi128_si64(_mm512_extracti64x2_epi64(off, 3)));
        }
    }
}
#endif

/* The tokens the block lane sees in a block with classes bm, UAX #29
 * segments of ASCII: *W marks the words and numbers, runs of letters and
 * digits (WB9, WB10) and the bytes between two that join them (joiners:
 * ' . : between letters, WB6 and WB7; ' . , ; between digits, WB11 and
 * WB12: U.S, don't, 5,000, 3.5, 5'6); *S1 the single-byte tokens, the
 * singles that join nothing and the apostrophes that are quotes ('Tis, the
 * boys' toys) but for the block's first byte, whose left neighbour the
 * masks do not show; *S and *E the starts and ends of them all. A token
 * running on past the block has no end there. The lane and the plan of
 * the next block (plan_block) must number the same tokens the same way:
 * both take them from here. */
static inline __attribute__((always_inline)) void
block_tokens(const blockmask *bm, uint64_t *W, uint64_t *S1, uint64_t *S,
             uint64_t *E)
{
    uint64_t A = bm->letter, D = bm->digit;
    uint64_t J = ((bm->apos | bm->dot | bm->colon) & (A << 1) & (A >> 1)) |
                 ((bm->apos | bm->dot | bm->numsep) & (D << 1) & (D >> 1));
    uint64_t w = A | D | J;
    uint64_t s1 = (bm->single & ~J) | (bm->apos & ~J & ~1ull);
    *W = w;
    *S1 = s1;
    *S = (w & ~(w << 1)) | s1;
    *E = ((w & ~(w >> 1)) | s1) & ~(1ull << 63);
}

/* Starts loading the cache slots of the words and numbers of at least
 * four bytes in the 64 bytes at q (block_tokens' words, up to the
 * block's end; no cut): called for the next block while this one is
 * stored, so that its probes find their slots in cache. Shorter tokens
 * are left out: they are few distinct surfaces (the, of, a, punctuation),
 * whose slots stay in the CPU's caches anyway, and leaving them out saves
 * much of this loop's work (tests/bench/RESULTS.md). Leaves the
 * block's classes in bm, for when the lane gets there. */
static inline __attribute__((always_inline)) void
prefetch_block(const lane *ln, const uint8_t *q, blockmask *bm, const int v4)
{
    classify_block(q, bm, v4);
    uint64_t W, S1, S, E;
    block_tokens(bm, &W, &S1, &S, &E);
    /* bit i of W4: q[i .. i+3] are all in W; of W4e: q[i-3 .. i] */
    uint64_t W4 = W & (W >> 1) & (W >> 2) & (W >> 3);
    uint64_t W4e = W & (W << 1) & (W << 2) & (W << 3);
    S = W4 & ~(W << 1);
    E = W4e & ~(W >> 1) & ~(1ull << 63);
    for (; E && S; S &= S - 1, E &= E - 1) {
        unsigned a = (unsigned)__builtin_ctzll(S);
        size_t len = (unsigned)__builtin_ctzll(E) + 1 - a;
        if (len > 16) break;
        uint64_t k1, k2;
        __builtin_prefetch(&ln->cache[lane_slot(ln, q + a, len, &k1, &k2)]);
    }
}

/* The bits of the words in W of the block at q that start www. (tailor
 * makes a URL of them, up to the next white space). */
static inline __attribute__((always_inline)) uint64_t
www_starts(const uint8_t *q, const blockmask *bm, uint64_t W)
{
    uint64_t x = 0;
    /* the dot joins letters, so it is inside a word: the w's are in the
     * block when the word starts there */
    for (uint64_t d = bm->dot & W & (bm->letter << 1) & (W << 3) & ~7ull; d;
         d &= d - 1) {
        unsigned j = (unsigned)__builtin_ctzll(d);
        uint32_t w4;
        memcpy(&w4, q + j - 3, 4);
        if ((w4 | 0x20202020u) == 0x2E777777u) x |= 1ull << (j - 3);
    }
    return x;
}

/* The hardware prefetcher stops at 4 KiB page ends: on a first pass each
 * page of text began with a stalled load. A prefetch a block, this far
 * ahead: cold pass 0.146 -> 0.126 s (tests/bench/RESULTS.md, lua6). */
#define LANE_TEXT_AHEAD 256
/* The block lane of the hot path: classifies 64 bytes at a time into bit
 * masks and walks the block's tokens by bit scans, so that where the next
 * token starts depends on no branch about the one before. Tokens are the
 * words and numbers of ASCII letters and digits with their joiners (U.S,
 * 5,000, 13th), single-byte punctuation and symbols (, ; ( ) " ! ? . : - #
 * $ & * / < = >) and lone apostrophes (block_tokens), between spaces and line
 * feeds, each found in the surface cache (lane_special splits clitics off
 * and glues periods to abbreviations, as tailor does). A block is cut
 * before the first byte whose tokens tailoring might change (any other
 * byte; two periods, which tailor glues; www., a URL), together with the
 * run of letters, digits, joiners and hyphens touching it: that run could
 * be the local part of an e-mail address, which tailor looks for before -
 * and . , or a URL's scheme (http:). Tokens are stored while the byte
 * after them lies before the cut; hot_loop takes the token at the cut and
 * comes back. Line ends and hyphen joins are marked after each block
 * (block_events). The lane stops when the token array has no room for
 * another block's tokens (BLOCK_TOKENS). Needs 80 readable bytes at q. */
static inline __attribute__((always_inline)) const uint8_t *
blocks_loop(const lane *ln, const uint8_t *q, const uint8_t *lim,
            lector_token **tp, unsigned *pendingp, int *newlinesp,
            const int no_norm, const int level)
{
    /* level: 0 SSE2, 1 AVX-512BW, 2 with VBMI too (blocks_for) */
    const int v4 = level >= 1;
    const uint8_t *const s = ln->s;
    const centry *const cache = ln->cache;
    lector_token *t = *tp;
    uint64_t pend = *pendingp != 0;
    int nlc = *newlinesp;
    /* the next block's classes, found when its slots were prefetched */
    blockmask bm, next = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t *nextq = NULL;
#ifdef LANE_X86_64_V4
    /* the plans of this block and the next (plan_block) */
    uint64_t planA[256], planB[256];
    uint64_t *plan = planA, *nplan_ = planB;
#endif
    while (q < lim && (size_t)(ln->tend - t) >= BLOCK_TOKENS) {
        int planned = q == nextq;
        if (planned) {
            bm = next;
#ifdef LANE_X86_64_V4
            uint64_t *x = plan;
            plan = nplan_;
            nplan_ = x;
#endif
        } else {
            classify_block(q, &bm, v4);
        }
        uint64_t W, S1, S, E;
        block_tokens(&bm, &W, &S1, &S, &E);
        uint64_t HY = bm.hyphen, AP = bm.apos;
        uint64_t JOIN = bm.dot | bm.colon | bm.numsep | AP;
        /* the runs a hard byte takes along (see the cut): those that could
         * be an e-mail address's local part or a URL's scheme, and the
         * words (whole: with , and ;) */
        uint64_t R = W | JOIN | HY;
        /* hard: apostrophes neither in a word nor a token of their own
         * (the first byte's), .. (tailor glues periods: ... Jr..), :/
         * (http://, a URL) and www. (a URL) */
        uint64_t H = ~bm.plain | (AP & ~W & ~S1) | (bm.dot & (bm.dot >> 1)) |
                     (bm.slash & (bm.colon << 1)) | (1ull << 63);
        if (bm.dot & W & (W << 3)) H |= www_starts(q, &bm, W);
        uint8_t before = q > s ? q[-1] : ' ';
        /* a block starting inside a word: never after a token, but cheap
         * to rule out */
        if (tok_cls[before] <= C_EX) H |= (W | (JOIN & (W >> 1))) & 1;
        if (before == ':') H |= bm.slash & 1;
        unsigned h = (unsigned)__builtin_ctzll(H);
        uint64_t below = ~R & ((1ull << h) - 1);
        unsigned cut = below ? 64u - (unsigned)__builtin_clzll(below) : 0;
        if (cut < 2) break;
        E &= (1ull << (cut - 1)) - 1;
        if (!E) break;
        if (h == 63) {
            /* the next block starts after this one's last token */
            const uint8_t *qn = q + 64 - __builtin_clzll(E);
            __builtin_prefetch(qn + LANE_TEXT_AHEAD);
            if (qn < lim) {
#ifdef LANE_X86_64_V4
                if (level == 2) {
                    classify_block(qn, &next, v4);
                    uint64_t nW, nS1, nS, nE;
                    block_tokens(&next, &nW, &nS1, &nS, &nE);
                    unsigned nn = (unsigned)__builtin_popcountll(nE);
                    plan_block(qn, nS, nE, nn, ln->cshift, nplan_, cache);
                } else
#endif
                    prefetch_block(ln, qn, &next, v4);
                nextq = qn;
            }
        }
        uint64_t NL = bm.nl;
        if (nlc) {
            /* line feeds before the lane are counted in nlc already */
            uint64_t gap = NL & ((1ull << __builtin_ctzll(S)) - 1);
            if (gap && t > ln->first) {
                t[-1].flags |= LECTOR_TF_LINE_END;
                if (nlc + __builtin_popcountll(gap) >= 2)
                    t[-1].flags |= LECTOR_TF_PARA_END;
            }
            NL &= ~gap;
        }
        /* bit i: white space before byte i */
        const uint64_t SB = bm.space << 1 | pend;
        const uint64_t S0 = S, E0 = E;
        const size_t off = (size_t)(q - s);
        const uint64_t at = (uint64_t)off | (uint64_t)(off + 1) << 32;
        blockctx bc = {ln, q, off, SB, 0, 0, 0, 0};
        lector_token *const t0 = t;
#ifdef LANE_X86_64_V4
        /* the plan's tokens are numbered as in the block's full end mask;
         * up to the cut they are this loop's */
        const uint64_t *pl = plan;
        if (level == 2 && !planned)
            plan_block(q, S, E, (unsigned)__builtin_popcountll(E), ln->cshift,
                       plan, NULL);
#endif
        do {
            unsigned a = (unsigned)__builtin_ctzll(S);
            unsigned z = (unsigned)__builtin_ctzll(E);
            size_t len = z + 1 - a;
            if (len > 16) break;
            uint64_t k1, k2;
            size_t j;
#ifdef LANE_X86_64_V4
            if (level == 2) {
                k1 = pl[0];
                k2 = pl[1];
                j = (size_t)pl[2];
            } else
#endif
                j = lane_slot(ln, q + a, len, &k1, &k2);
            const centry *ce = &cache[j];
            /* no length to compare: see KEY_ODD */
            if ((ce->key8 ^ k1) | (ce->key2 ^ k2)) {
                ce = probe(cache, ln->cmask, ln->arena, q + a, len, 16, j, k1,
                           k2);
                if (!ce && !(ce = lane_new(ln, q + a, len))) break;
            }
            /* lane bits (a clitic to split, an abbreviation that may take
             * a period) and a norm not computed yet: apart, so that the
             * loop keeps few values live */
            if (__builtin_expect(ce->lane || (!no_norm && ce->norm < 0), 0)) {
                int k = lane_special(&bc, ce, a, z, E, t, no_norm);
                if (k == SPECIAL_STOP) break;
                t += k & 3;
                if (k & SPECIAL_TOOK_NEXT) {
                    S &= S - 1;
                    E &= E - 1;
#ifdef LANE_X86_64_V4
                    pl += 4;
#endif
                }
                S &= S - 1;
                E &= E - 1;
#ifdef LANE_X86_64_V4
                pl += 4;
#endif
                continue;
            }
            uint64_t hi;
            memcpy(&hi, &ce->norm, 8); /* lane is 0 here */
            if (no_norm) hi &= 0xFFFFFFFF00000000ull;
            /* start | end << 32 from at: one add a token fewer */
            uint64_t lo = at + a + ((uint64_t)z << 32);
            hi |= ((SB >> a) & 1) * SPACE_HI;
            memcpy(t, &lo, 8);
            memcpy((char *)t + 8, &hi, 8);
            t++;
            S &= S - 1;
            E &= E - 1;
#ifdef LANE_X86_64_V4
            pl += 4;
#endif
        } while (E);
        if (t == t0) break;
        /* the bits of the tokens stored, and of what lies before the last
         * one's end */
        size_t end = t[-1].end;
        uint64_t done = (2ull << (end - 1 - off)) - 1;
        uint64_t hyj = (HY & E0 & done & (S0 >> 1)) |
                       (before == '-' && (S0 & 1) ? 1ull << 63 : 0);
        if ((NL & done) | hyj) {
            uint64_t Sd = (S0 | bc.Sx) & ~bc.Sr & done;
            uint64_t Ed = (E0 | bc.Ex) & ~bc.Er & done;
            if (hyj >> 63) { /* a hyphen just before the block */
                if (joins_hyphen(t0->kind))
                    join_hyphen(s, t0 + 1, (size_t)(t0 + 1 - ln->first));
                hyj &= ~(1ull << 63);
            }
#ifdef LANE_X86_64_V4
            if (v4)
                block_events_v4(s, ln->first, t0, Sd, Ed, NL & done, hyj);
            else
#endif
                block_events_sse2(s, ln->first, t0, Sd, Ed, NL & done, hyj);
        }
        q = s + end;
        pend = 0;
        nlc = 0;
        /* stopped at a token, or at a byte for the general path */
        if (E || h < 63) break;
    }
    if (ln->pend->n) lane_flush(ln); /* every token's norm, before leaving */
    *tp = t;
    *pendingp = pend ? LECTOR_TF_SPACE_BEFORE : 0;
    *newlinesp = nlc;
    return q;
}

/* blocks_loop compiled once for each use: with and without norms, for
 * each level of the CPU, each with its target's instructions. */
#define BLOCKS_FN(name, target, no_norm, level)                                \
    static target __attribute__((noinline)) const uint8_t *name(               \
        const lane *ln, const uint8_t *q, const uint8_t *lim,                  \
        lector_token **tp, unsigned *pendingp, int *newlinesp)                 \
    {                                                                          \
        return blocks_loop(ln, q, lim, tp, pendingp, newlinesp, no_norm,       \
                           level);                                             \
    }

BLOCKS_FN(blocks_norm, , 0, 0)
BLOCKS_FN(blocks_nonorm, , 1, 0)
#ifdef LANE_X86_64_V4
BLOCKS_FN(blocks_norm_v4, TARGET_V4, 0, 1)
BLOCKS_FN(blocks_nonorm_v4, TARGET_V4, 1, 1)
BLOCKS_FN(blocks_norm_vbmi, TARGET_VBMI, 0, 2)
BLOCKS_FN(blocks_nonorm_vbmi, TARGET_VBMI, 1, 2)
#endif

typedef const uint8_t *(*blocks_fn)(const lane *, const uint8_t *,
                                    const uint8_t *, lector_token **,
                                    unsigned *, int *);

/* The block lane for this CPU (at most the tokenizer's lane_cap), with
 * or without norms. */
static blocks_fn blocks_for(const lector_tokenizer *tk, int no_norm)
{
#ifdef LANE_X86_64_V4
    static int level = -1;
    if (level < 0) { /* every CPU with BMI2 has LZCNT too */
        level = __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("bmi2");
        if (level && __builtin_cpu_supports("avx512vbmi") &&
            __builtin_cpu_supports("avx512vbmi2") &&
            __builtin_cpu_supports("avx512dq"))
            level = 2;
    }
    int l = level < tk->lane_cap ? level : tk->lane_cap;
    if (l == 2) return no_norm ? blocks_nonorm_vbmi : blocks_norm_vbmi;
    if (l == 1) return no_norm ? blocks_nonorm_v4 : blocks_norm_v4;
#endif
    (void)tk;
    return no_norm ? blocks_nonorm : blocks_norm;
}
#endif
#endif

/* Where the hot loop's one-token-at-a-time paths must stop, at q with
 * room tokens left in the array: every token is at least a byte long, so
 * up to there the array has room. */
static inline const uint8_t *room_lim(const uint8_t *q, const uint8_t *text_lim,
                                      size_t room)
{
    return room < (size_t)(text_lim - q) ? q + room : text_lim;
}

/* Stores plain tokens from p for as long as it can decide them alone, and
 * returns where the general path must go on (p when it stored none). A
 * plain token is a run of ASCII letters or digits, or common punctuation,
 * whose next byte rules out every tailoring, and which is found in the
 * surface cache with nothing to split or glue; white space between them
 * is ASCII spaces and line feeds. The output is exactly what the general
 * path would give.
 *
 * The fast lane (words_loop) takes the bulk of prose; this loop takes
 * what it leaves that is still plain: line feeds, space runs, digits,
 * words of 16 letters or more, and the text's last 16 bytes. The last 8
 * bytes of the text are left to the general path, so the 8-byte loads
 * here need no bounds checks. */
static inline __attribute__((always_inline)) size_t hot_loop(run *r, size_t p,
                                                             const int no_norm)
{
    const uint8_t *const s = r->s;
    const uint8_t *const end = s + r->n;
    if (r->n < 8 || p >= r->n - 8) return p;
    const uint8_t *q = s + p;
    size_t room = r->out->cap - r->out->n;
    const uint8_t *const text_lim = end - 8;
    if (room < 2 * BLOCK_TOKENS && room < (size_t)(text_lim - q)) {
        /* the array nearly full with text to go: grow it now, or the block
         * lane would stand idle until the general path filled it */
        if (tok_grow(r->out)) room = r->out->cap - r->out->n;
    }
    const uint8_t *lim = room_lim(q, text_lim, room);
    lector_token *t = r->out->tok + r->out->n;
    /* the cache's fields: tok_first_sight may grow the cache under them */
    const centry *cache = r->tk->cache;
    size_t cmask = r->tk->cmask;
    const char *arena = r->tk->arena;
    lector_token *const first = r->out->tok;
    uint64_t pending = r->pending;
    int newlines = r->newlines;
#ifdef HOT_WORDS
    lane_pending pend_norms;
    pend_norms.n = pend_norms.oom = 0;
    lane ln = {s,     r->n,       first,         first + r->out->cap,
               cache, cmask,      r->tk->cshift, arena,
               r->tk, &pend_norms};
#endif
#ifdef HOT_BLOCKS
    const blocks_fn blocks = blocks_for(r->tk, no_norm);
#endif
    /* Once the block lane stops, one token is taken here before it is
     * called again: it stopped because it could not take that token. */
    int lane_wait = 0;
    while (q < lim) {
#ifdef HOT_WORDS
        if (q + 16 <= end && q < lim && !lane_wait) {
            unsigned pend = (unsigned)pending;
            lector_token *t0 = t;
#ifdef HOT_BLOCKS
            if (q + 80 <= end && (size_t)(ln.tend - t) >= BLOCK_TOKENS) {
                lane_wait = 1;
                q = blocks(&ln, q, end - 79, &t, &pend, &newlines);
                if (pend_norms.oom) {
                    r->oom = 1; /* lector_tokenize reports it */
                    break;
                }
                /* the lane's first sights may have grown the cache */
                ln.cache = cache = r->tk->cache;
                ln.cmask = cmask = r->tk->cmask;
                ln.cshift = r->tk->cshift;
                ln.arena = arena = r->tk->arena;
                /* the lane goes by the array's room, not by lim */
                lim = room_lim(q, text_lim, (size_t)(ln.tend - t));
            } else
#endif
            {
                const uint8_t *lim16 = lim < end - 16 ? lim : end - 16;
                q = (no_norm ? words_nonorm : words_norm)(&ln, q, lim16, &t,
                                                          &pend);
            }
            pending = pend;
            if (t != t0)
                newlines = 0; /* line feeds count from the last token */
            if (q >= lim) break;
        }
#endif
        uint8_t c = *q;
        if (c == ' ') {
            const uint8_t *e = q + 1;
            while (*e == ' ' && e < end - 1)
                e++;
            if (*e >= 0x80) break;
            pending = LECTOR_TF_SPACE_BEFORE;
            q = e;
            continue;
        }
        if (c == '\n') {
            /* as space() does for a line feed segment */
            pending = LECTOR_TF_SPACE_BEFORE;
            if (t > first) {
                t[-1].flags |= LECTOR_TF_LINE_END;
                if (++newlines >= 2) t[-1].flags |= LECTOR_TF_PARA_END;
            }
            q++;
            continue;
        }
        const uint8_t *e;
        unsigned period_after = 0;
        if (tok_cls[c] == C_L) {
            e = s + letters_end(s, r->n, (size_t)(q - s) + 1);
            if (e < end && !tok_ends_plain[*e]) {
                /* "word." ending a sentence: plain unless the word is an
                 * abbreviation or an e-mail address could start. */
                if (*e != '.' ||
                    (e + 1 < end && (e[1] >= 0x80 || email_local(e[1]))))
                    break;
                period_after = 1;
            }
        } else if (tok_cls[c] == C_N) {
            /* digits: plain unless a letter, a separator between digits
             * (5,000 3.5) or a tailoring byte follows */
            e = q + 1;
            while (e < end && tok_cls[*e] == C_N)
                e++;
            if (e < end && (!tok_ends_plain[*e] ||
                            (tok_cls[*e] == C_MN && e + 1 < end &&
                             (tok_cls[e[1]] == C_N || e[1] >= 0x80))))
                break;
        } else if (tok_plain_punct[c] || (c == '.' && !email_local(q[1]))) {
            e = q + 1;
            if (*e >= 0x80) break;
        } else {
            break;
        }
        size_t len = (size_t)(e - q);
        uint64_t k1, k2;
        uint64_t x = surface_mix(q, len, (size_t)(end - q), &k1, &k2);
        const centry *ce = probe(cache, cmask, arena, q, len, (size_t)(end - q),
                                 (size_t)(x >> r->tk->cshift), k1, k2);
        if (!ce || (!no_norm && ce->norm < 0)) {
            ce = tok_first_sight(r->tk, q, len, (size_t)(end - q), period_after,
                                 no_norm);
            cache = r->tk->cache;
            cmask = r->tk->cmask;
            arena = r->tk->arena;
#ifdef HOT_WORDS
            ln.cache = cache;
            ln.cmask = cmask;
            ln.cshift = r->tk->cshift;
            ln.arena = arena;
#endif
            if (!ce) break;
        }
        if (!takes_as_is(ce, period_after, no_norm)) break;
        uint8_t kind = ce->kind;
        store_token(t, (size_t)(q - s), (size_t)(q - s) + len,
                    entry_hi(ce, no_norm) | pending << 32);
        t++;
        if (!pending && (kind == LECTOR_TK_WORD || kind == LECTOR_TK_NUMBER))
            join_hyphen(s, t, (size_t)(t - first));
        newlines = 0;
        lane_wait = 0;
        q += len;
        /* the single space after most words, without a trip round */
        if (q + 1 < end && q[0] == ' ' && q[1] != ' ' && q[1] < 0x80) {
            pending = LECTOR_TF_SPACE_BEFORE;
            q++;
        } else {
            pending = 0;
        }
    }
    r->out->n = (size_t)(t - first);
    r->pending = (uint16_t)pending;
    r->newlines = newlines;
    return (size_t)(q - s);
}

/* The hot path with and without norms, each compiled on its own. */
__attribute__((noinline)) size_t tok_hot_path(run *r, size_t p)
{
    if (r->opts & LECTOR_TOK_NO_NORM) return hot_loop(r, p, 1);
    return hot_loop(r, p, 0);
}
