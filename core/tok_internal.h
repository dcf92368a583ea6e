/* Private to the tokenizer's files (token.c, tok_cache.c,
 * tok_lanes.c): the tokenizer object, its surface cache entries, the
 * ASCII classes, and the helpers more than one of them uses (inline where
 * the hot path calls them per token). Not part of the public API; the
 * rest of the core uses token.h. */
#ifndef LECTOR_TOKEN_INTERNAL_H
#define LECTOR_TOKEN_INTERNAL_H

#include "common.h"
#include "intern.h"
#include "lector.h"

#include <stdint.h>
#include <string.h>

/* ---- ASCII classes for the fast scanner (UAX #29 Word_Break values) --- */

enum {
    C_NA = 0, /* non-ASCII: the scanner gives up */
    C_L,      /* ALetter */
    C_N,      /* Numeric */
    C_EX,     /* ExtendNumLet: _ */
    C_ML,     /* MidLetter: : */
    C_MNL,    /* MidNumLet: . */
    C_SQ,     /* Single_Quote: ' */
    C_MN,     /* MidNum: , ; */
    C_SP,     /* WSegSpace: space */
    C_CR,
    C_LF,
    C_NL, /* Newline: VT FF */
    C_OT  /* everything else, one segment per byte */
};

/* The Word_Break class of each byte (C_NA for every non-ASCII byte); the
 * bytes after a run of ASCII letters that end the word with nothing for
 * tailoring to do; single-byte punctuation that tailoring leaves alone
 * when an ASCII byte follows (token.c, filled by lector_tokenizer_new). */
extern uint8_t tok_cls[256], tok_ends_plain[256], tok_plain_punct[256];

/* ---- the surface cache --------------------------------------------- */

typedef struct {
    uint64_t key8; /* the first (up to) 8 bytes, zero padded */
    uint64_t key2; /* bytes 8 to 15, zero padded */
    /* norm, flags, kind and lane are laid out as the second half of a
     * lector_token, so the hot path copies them with one load (and masks
     * lane off: it lands on the token's reserved byte). */
    int32_t norm;   /* intern id, or -1 while not computed */
    uint16_t flags; /* surface flags: CAP UPPER DIGIT ABBREV NONASCII
                       TERMINAL */
    uint8_t kind;
    uint8_t lane; /* LANE_SPLIT, LANE_ABBREV */
    uint32_t len; /* 0: empty slot (the empty surface is never cached) */
    uint32_t off; /* over 16 bytes: where the surface is in tk->arena */
} centry;         /* 32 bytes: two per cache line */

/* What tailoring may still do to a cached word: split a clitic off
 * (clitic_split gives where), or glue a following period (surface + "."
 * is an abbreviation). */
enum { LANE_SPLIT = 1, LANE_ABBREV = 2 };

typedef struct {
    uint32_t hash, off, len;
    uint8_t cls;
} aentry;

struct lector_tokenizer {
    lector_intern *in;
    centry *cache;
    size_t cmask, ccount;
    unsigned cshift; /* 64 - log2(slots): a hash's top bits pick its slot */
    int lane_cap;    /* the most the block lane may use: 2 all, 1 AVX-512BW
                        without VBMI, 0 SSE2 (tests) */
    char *arena;
    size_t alen, acap;
    aentry *abbr;
    size_t amask, acount;
    size_t amax; /* the longest abbreviation: longer words skip the lookup */
    /* bit (first byte & 63) of afirst[n]: some abbreviation of n bytes
     * starts with such a byte; most words skip the lookup by it */
    uint64_t afirst[65];
    char *astr;
    size_t astr_len, astr_cap;
    uint8_t *brk;
    size_t brk_cap;
    /* Recycled token arrays, by size class: class k holds arrays of at
     * least 2^k tokens, linked through their first token. */
    lector_token *pool[48];
    size_t pool_bytes;
    /* While lector_tokenize runs with norms: a new surface's intern slot
     * is prefetched when it is cached (its norm comes when it is pushed,
     * after classification), and the hash of its fold kept for then.
     * pf_s is the surface's address in the text being tokenized; NULL
     * when none (cleared by every lector_tokenize). */
    int norm_prefetch;
    const uint8_t *pf_s;
    size_t pf_n;
    uint64_t pf_h;
    char pf_low[64]; /* the fold itself (TOK_FOLD_MAX bytes) */
    void *fold1;     /* characters' folds, made as met (tok_fold.c) */
    char errmsg[200];
};

/* The first min(n, 8) bytes of s, zero padded, as memcpy would lay them
 * out; avail is how many bytes may be read at s (>= n). */
static inline uint64_t load8(const uint8_t *s, size_t n, size_t avail)
{
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (avail >= 8) {
        memcpy(&w, s, 8); /* one unaligned load, then keep n bytes */
        return n >= 8 ? w : w & ((1ull << (8 * n)) - 1);
    }
#endif
    (void)avail;
    memcpy(&w, s, n < 8 ? n : 8);
    return w;
}

/* The hash of a surface of at most 16 bytes, from its first 8 (k1) and
 * the rest (k2), each zero padded: two multiplies. Its top bits pick the
 * slot (they depend on every input byte). The padding gives the length,
 * but for surfaces with a NUL byte: see KEY_ODD. */
static inline uint64_t short_mix(uint64_t k1, uint64_t k2)
{
    return k1 * 0x9E3779B97F4A7C15ull + k2 * 0xC2B2AE3D27D4EB4Full;
}

/* Set in k2 for a surface over 16 bytes or with a NUL byte in its first
 * 16. The lanes look up only ASCII surfaces of at most 16 bytes without
 * NUL, whose keys never have this bit; so equal keys mean, through the
 * zero padding, equal surfaces, and the lanes compare no length. (The
 * general path compares lengths too: a 16-byte surface ending in a UTF-8
 * byte has this bit without it.) */
#define KEY_ODD (1ull << 63)

/* The index of the first zero byte of w, or 8 (the lowest byte the
 * borrow trick flags is always a real zero). */
static inline unsigned zero_byte(uint64_t w)
{
    uint64_t z = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
    return z ? (unsigned)__builtin_ctzll(z) >> 3 : 8;
}

/* The hash of surface (s, n) and its cache keys (avail bytes readable). */
static inline uint64_t surface_mix(const uint8_t *s, size_t n, size_t avail,
                                   uint64_t *k1p, uint64_t *k2p)
{
    uint64_t k1 = load8(s, n, avail);
    uint64_t k2 = n > 8 ? load8(s + 8, n - 8, avail - 8) : 0;
    if (n > 16 || zero_byte(k1) < (n < 8 ? n : 8) ||
        (n > 8 && zero_byte(k2) < n - 8))
        k2 |= KEY_ODD;
    *k1p = k1;
    *k2p = k2;
    if (n <= 16) return short_mix(k1, k2);
    return lector_hash(s, n);
}

/* ---- character classes (tok_cache.c) ------------------------------ */

/* What classification asks of a character, as bits: the general
 * categories and properties libunistring gives, looked up once per code
 * point for the first GC_LOW code points and General Punctuation (curly
 * quotes, dashes, ZWJ), where most text's characters are; libunistring
 * answers for the rest each time. */
enum {
    GC_L = 1 << 0,  /* L */
    GC_UP = 1 << 1, /* Lu or Lt */
    GC_LO = 1 << 2, /* Ll */
    GC_N = 1 << 3,
    GC_ND = 1 << 4,
    GC_P = 1 << 5,
    GC_S = 1 << 6,
    GC_Z = 1 << 7,
    GC_ZS = 1 << 8,
    GC_CC = 1 << 9,
    GC_CF = 1 << 10,
    GC_M = 1 << 11,
    GC_PICT = 1 << 12, /* Extended_Pictographic */
    GC_WS = 1 << 13    /* White_Space */
};
#define GC_LOW     0x800u  /* every one- and two-byte UTF-8 character */
#define GC_PUNCT0  0x2000u /* General Punctuation */
#define GC_PUNCT_N 0x70u
extern uint16_t tok_gc_low[GC_LOW], tok_gc_punct[GC_PUNCT_N];

/* Fills the tables (once, from lector_tokenizer_new). */
void tok_gc_init(void);

/* The bits of c computed by libunistring. */
uint16_t tok_gc_compute(uint32_t c);

/* The bits of c outside the tables: remembered for the rest of the Basic
 * Multilingual Plane once computed (CJK, Hangul, ...), computed each time
 * above it. */
uint16_t tok_gc_other(uint32_t c);

static inline uint16_t tok_gc(uint32_t c)
{
    if (c < GC_LOW) return tok_gc_low[c];
    if (c - GC_PUNCT0 < GC_PUNCT_N) return tok_gc_punct[c - GC_PUNCT0];
    return tok_gc_other(c);
}

/* Whether the m bytes at a (in the cache arena, which is padded so 8
 * bytes can always be read) equal those at b (avail bytes readable). */
static inline int tail_eq(const char *a, const uint8_t *b, size_t m,
                          size_t avail)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (m <= 8 && avail >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        uint64_t mask = m == 8 ? ~0ull : (1ull << (8 * m)) - 1;
        return ((x ^ y) & mask) == 0;
    }
#endif
    (void)avail;
    return memcmp(a, b, m) == 0;
}

/* The cache entry of surface (s, len) with keys k1 and k2, probing from
 * slot j, or NULL (avail bytes are readable at s). The cache's fields come
 * as values, so that a loop storing tokens keeps them in registers. */
static inline const centry *probe(const centry *cache, size_t cmask,
                                  const char *arena, const uint8_t *s,
                                  size_t len, size_t avail, size_t j,
                                  uint64_t k1, uint64_t k2)
{
    if (len <= 16) { /* the keys are the whole surface: the common case */
        for (;; j = (j + 1) & cmask) {
            const centry *ce = &cache[j];
            if (ce->key8 == k1 && ce->key2 == k2 && ce->len == len) return ce;
            if (!ce->len) return NULL;
        }
    }
    for (;; j = (j + 1) & cmask) {
        const centry *ce = &cache[j];
        if (ce->key8 == k1 && ce->key2 == k2 && ce->len == len &&
            tail_eq(arena + ce->off + 16, s + 16, len - 16, avail - 16))
            return ce;
        if (!ce->len) return NULL;
    }
}

/* ---- tok_cache.c ------------------------------------------------- */

/* Empties the cache, with room for slots surfaces (a power of two); 0
 * when out of memory (the old cache is kept then). */
int tok_cache_reset(lector_tokenizer *tk, size_t slots);
/* Releases the cache's slot array. */
void tok_cache_free(lector_tokenizer *tk);

/* The cache entry of surface (s, n), classifying it when new; NULL when
 * out of memory (avail bytes are readable at s, avail >= n). */
centry *tok_lookup(lector_tokenizer *tk, const uint8_t *s, size_t n,
                   size_t avail);

/* A plain token's surface (s, n) that the cache does not have, or has
 * without its norm: classified, cached and given its norm (unless
 * no_norm), as tailor would for it, so that a word's first sight in the
 * hot loop costs no trip through the general path. NULL when tailor has
 * more to do with it (a clitic to split, an abbreviation's period when
 * period_after) or out of memory, which the general path then meets and
 * reports. May grow or reset the cache. */
const centry *tok_first_sight(lector_tokenizer *tk, const uint8_t *s, size_t n,
                              size_t avail, unsigned period_after, int no_norm);

/* The norm id of (s, n), added to tk's intern table; 0 when out of
 * memory. */
int32_t tok_norm_of(lector_tokenizer *tk, const uint8_t *s, size_t n);

/* An ASCII surface of at most TOK_FOLD_MAX bytes folded into low: lower
 * case, as lector_fold folds ASCII, on the caller's stack instead of a
 * fresh allocation. 0 (low undefined) for longer or non-ASCII ones. */
#define TOK_FOLD_MAX 64
_Static_assert(sizeof(((lector_tokenizer *)0)->pf_low) == TOK_FOLD_MAX,
               "pf_low holds a fold of TOK_FOLD_MAX bytes");
int tok_fold_ascii(const uint8_t *s, size_t n, char *low);

/* The fold of (s, n) into out (cap bytes), *out_n its length, as
 * lector_fold makes it, from the folds of its characters (tok_fold.c);
 * 0 when a character is not of the scripts that allows, or the fold
 * does not fit: lector_fold then folds it whole. */
int tok_fold_chars(lector_tokenizer *tk, const uint8_t *s, size_t n, char *out,
                   size_t cap, size_t *out_n);
void tok_fold_free(lector_tokenizer *tk);

/* Whether (s, n) is the lower-case ASCII word w, ignoring case. */
int tok_lower_eq(const uint8_t *s, size_t n, const char *w);

/* Where a word splits before a final clitic (ISIS's, don't), or 0. */
size_t tok_clitic_split(const uint8_t *s, size_t n);

/* The class (LECTOR_ABBR_*) of the abbreviation (s, n) given without its
 * period, from tk's list; LECTOR_ABBR_NONE when absent. */
int tok_abbr_find(const lector_tokenizer *tk, const char *s, size_t n);

/* ---- the tokenizing loop ------------------------------------------- */

typedef struct {
    lector_tokenizer *tk;
    const uint8_t *s;
    size_t n;
    unsigned opts;
    lector_tokens *out;
    uint16_t pending; /* SPACE_BEFORE for the next token */
    int newlines;     /* line breaks since the last token */
    int oom;          /* the hot path ran out of memory */
} run;

/* Doubles out's capacity; 0 when out of memory. */
static inline int tok_grow(lector_tokens *out)
{
    lector_token *nt =
        lector__grow(out->tok, &out->cap, out->cap + 1, sizeof *nt, 256);
    if (!nt) return 0;
    out->tok = nt;
    return 1;
}

static inline int is_hyphen(const uint8_t *s, const lector_token *t)
{
    size_t len = t->end - t->start;
    const uint8_t *p = s + t->start;
    return (len == 1 && p[0] == '-') ||
           (len == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
            (p[2] == 0x90 || p[2] == 0x91));
}

/* Word-hyphen-word with no space between marks all three HYPHEN_JOINED
 * (chains like block-by-block too): called once the word after the hyphen
 * is stored, end being one past it and count the tokens stored. */
static inline void join_hyphen(const uint8_t *s, lector_token *end,
                               size_t count)
{
    if (count < 3) return;
    lector_token *w = end - 1, *h = w - 1, *v = w - 2;
    if (h->end != w->start || v->end != h->start) return;
    if (!is_hyphen(s, h)) return;
    if (v->kind != LECTOR_TK_WORD && v->kind != LECTOR_TK_NUMBER) return;
    v->flags |= LECTOR_TF_HYPHEN_JOINED;
    h->flags |= LECTOR_TF_HYPHEN_JOINED;
    w->flags |= LECTOR_TF_HYPHEN_JOINED;
}

static inline int email_local(uint8_t c)
{
    return (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u ||
           c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static inline int email_domain(uint8_t c)
{
    return (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u ||
           c == '-';
}

/* An e-mail address starting at a: local@label.label; its end or 0. */
static inline size_t email_at(const uint8_t *s, size_t n, size_t a)
{
    size_t q = a;
    if (s[a] == '.') return 0;
    while (q < n && email_local(s[q]))
        q++;
    if (q == a || q >= n || s[q] != '@' || s[q - 1] == '.') return 0;
    size_t d = ++q, last_dot = 0;
    for (;;) {
        size_t l = q;
        while (q < n && email_domain(s[q]))
            q++;
        if (q == l) return 0;
        if (q + 1 < n && s[q] == '.' && email_domain(s[q + 1])) {
            last_dot = q;
            q++;
            continue;
        }
        break;
    }
    if (!last_dot || q - last_dot < 3 || q == d) return 0;
    return q;
}

/* ---- tok_lanes.c ------------------------------------------------- */

/* Stores plain tokens from p for as long as it can decide them alone, and
 * returns where the general path must go on (p when it stored none). */
size_t tok_hot_path(run *r, size_t p);

#endif
