/* tok_cache: the tokenizer's surface cache (surface -> kind, flags,
 * clitic split, norm id, each computed once per distinct surface), the
 * classification that fills it, and the abbreviation classes it uses.
 * See token.c for the whole design. */
#include "common.h"
#include "intern.h"
#include "lector.h"
#include "tok_internal.h"
#include "token.h"

#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Past this many cached surfaces the cache starts over, so memory stays
 * flat over endless vocabularies (numbers, URLs); norm ids are kept by
 * the intern table, so nothing observable changes. */
#define CACHE_MAX_ENTRIES  (1u << 20)
#define CACHE_MAX_ARENA    ((size_t)64 << 20)
#define CACHE_QUICK_GROWTH (1u << 18) /* slots: see cache_grow */

/* The slot array of the surface cache: zeroed, on huge pages when
 * large (lector__table_alloc). */
static centry *cache_alloc(size_t slots)
{
    return lector__table_alloc(slots * sizeof(centry));
}

void tok_cache_free(lector_tokenizer *tk)
{
    lector__table_free(tk->cache, (tk->cmask + 1) * sizeof(centry));
    tk->cache = NULL;
}

int tok_cache_reset(lector_tokenizer *tk, size_t slots)
{
    centry *c = cache_alloc(slots);
    if (!c) return 0;
    tok_cache_free(tk);
    tk->cache = c;
    tk->cmask = slots - 1;
    tk->cshift = 64u - (unsigned)__builtin_ctzll(slots);
    tk->ccount = 0;
    tk->alen = 0;
    return 1;
}

static uint64_t entry_mix(const lector_tokenizer *tk, const centry *e)
{
    if (e->len <= 16) return short_mix(e->key8, e->key2);
    return lector_hash(tk->arena + e->off, e->len);
}

static int cache_grow(lector_tokenizer *tk)
{
    /* four times the slots while small: a first pass over new text grows
     * the cache from 4K slots to 256K, and each step rehashes what it
     * holds into fresh memory */
    unsigned by = tk->cmask + 1 < CACHE_QUICK_GROWTH ? 2 : 1;
    size_t ncap = (tk->cmask + 1) << by;
    centry *nc = cache_alloc(ncap);
    if (!nc) return 0;
    unsigned nshift = tk->cshift - by;
    for (size_t i = 0; i <= tk->cmask; i++) {
        centry *e = &tk->cache[i];
        if (!e->len) continue;
        size_t j = (size_t)(entry_mix(tk, e) >> nshift);
        while (nc[j].len)
            j = (j + 1) & (ncap - 1);
        nc[j] = *e;
    }
    tok_cache_free(tk);
    tk->cache = nc;
    tk->cmask = ncap - 1;
    tk->cshift = nshift;
    return 1;
}

/* ---- abbreviations: their classes (token.c adds them) ----------- */

int tok_abbr_find(const lector_tokenizer *tk, const char *s, size_t n)
{
    if (!tk->abbr || !n || n > tk->amax ||
        !((tk->afirst[n] >> ((uint8_t)s[0] & 63)) & 1))
        return LECTOR_ABBR_NONE;
    uint32_t h = (uint32_t)lector_hash(s, n);
    for (size_t j = h & tk->amask;; j = (j + 1) & tk->amask) {
        const aentry *e = &tk->abbr[j];
        if (!e->len) return LECTOR_ABBR_NONE;
        if (e->hash == h && e->len == n && !memcmp(tk->astr + e->off, s, n))
            return e->cls;
    }
}

/* Letter-period shapes: a single letter, or letters each followed by a
 * period (U.S, e.g, U.N, a.m), given without the final period. A single
 * letter is an initial only when upper case (George W. Bush). */
static int abbrev_shape(const uint8_t *s, size_t n)
{
    if (n == 1) return s[0] >= 'A' && s[0] <= 'Z';
    if (n < 3 || !(n & 1)) return 0;
    for (size_t i = 0; i < n; i++) {
        int letter = (s[i] | 32) >= 'a' && (s[i] | 32) <= 'z';
        if ((i & 1) ? s[i] != '.' : !letter) return 0;
    }
    return 1;
}

int lector__abbrev_class(const lector_tokenizer *tk, const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != '.') return LECTOR_ABBR_NONE;
    int c = tok_abbr_find(tk, s, n - 1);
    if (c) return c;
    return abbrev_shape((const uint8_t *)s, n - 1) ? LECTOR_ABBR_SHAPE
                                                   : LECTOR_ABBR_NONE;
}

/* ---- character classes ------------------------------------------- */

uint16_t tok_gc_low[GC_LOW], tok_gc_punct[GC_PUNCT_N];

uint16_t tok_gc_compute(uint32_t c)
{
    /* not static: libunistring's categories are objects, not constants */
    const struct {
        uc_general_category_t cat;
        uint16_t bit;
    } cats[] = {{UC_CATEGORY_L, GC_L},   {UC_CATEGORY_Lu, GC_UP},
                {UC_CATEGORY_Lt, GC_UP}, {UC_CATEGORY_Ll, GC_LO},
                {UC_CATEGORY_N, GC_N},   {UC_CATEGORY_Nd, GC_ND},
                {UC_CATEGORY_P, GC_P},   {UC_CATEGORY_S, GC_S},
                {UC_CATEGORY_Z, GC_Z},   {UC_CATEGORY_Zs, GC_ZS},
                {UC_CATEGORY_Cc, GC_CC}, {UC_CATEGORY_Cf, GC_CF},
                {UC_CATEGORY_M, GC_M}};
    uint16_t b = 0;
    for (size_t i = 0; i < sizeof cats / sizeof *cats; i++)
        if (uc_is_general_category(c, cats[i].cat)) b |= cats[i].bit;
    if (uc_is_property_extended_pictographic(c)) b |= GC_PICT;
    if (uc_is_property_white_space(c)) b |= GC_WS;
    return b;
}

/* The bits of BMP characters met so far, GC_KNOWN set on each: filled as
 * characters come (computing all 64K at start would cost 40M
 * instructions), shared by every tokenizer of the process, read and
 * written with relaxed atomics as threads may fill it at once (a
 * character's bits are the same whoever computes them). Its pages are
 * only touched where text has such characters. */
#define GC_KNOWN (1u << 15)
_Static_assert(GC_WS < GC_KNOWN, "GC_KNOWN is a bit no class uses");
static uint16_t gc_bmp[0x10000];

uint16_t tok_gc_other(uint32_t c)
{
    if (c > 0xFFFF) return tok_gc_compute(c);
    uint16_t g = __atomic_load_n(&gc_bmp[c], __ATOMIC_RELAXED);
    if (g & GC_KNOWN) return (uint16_t)(g & ~GC_KNOWN);
    g = tok_gc_compute(c);
    __atomic_store_n(&gc_bmp[c], (uint16_t)(g | GC_KNOWN), __ATOMIC_RELAXED);
    return g;
}

void tok_gc_init(void)
{
    for (uint32_t c = 0; c < GC_LOW; c++)
        tok_gc_low[c] = tok_gc_compute(c);
    for (uint32_t c = 0; c < GC_PUNCT_N; c++)
        tok_gc_punct[c] = tok_gc_compute(GC_PUNCT0 + c);
}

/* ---- surface classification (once per distinct surface) ----------- */

static int is_apos(const uint8_t *s, size_t n, size_t i, size_t *len)
{
    if (i < n && s[i] == '\'') {
        *len = 1;
        return 1;
    }
    if (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x99) {
        *len = 3;
        return 1;
    }
    return 0;
}

int tok_lower_eq(const uint8_t *s, size_t n, const char *w)
{
    size_t m = strlen(w);
    if (n != m) return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 32) != (uint8_t)w[i]) return 0;
    return 1;
}

/* The suffixes split off as clitics, after the apostrophe. */
static int clitic_suffix(const uint8_t *s, size_t n)
{
    static const char *const suf[] = {"s", "re", "ve", "ll", "d", "m"};
    for (size_t i = 0; i < sizeof suf / sizeof *suf; i++)
        if (tok_lower_eq(s, n, suf[i])) return 1;
    return 0;
}

/* A surface that is itself a clitic: 's 're ... n't (either apostrophe). */
static int is_clitic(const uint8_t *s, size_t n)
{
    size_t al;
    if (is_apos(s, n, 0, &al)) return clitic_suffix(s + al, n - al);
    if (n >= 2 && (s[0] | 32) == 'n' && is_apos(s, n, 1, &al))
        return tok_lower_eq(s + 1 + al, n - 1 - al, "t");
    return 0;
}

/* Where a word splits before a final clitic (ISIS’s, don't), or 0. */
size_t tok_clitic_split(const uint8_t *s, size_t n)
{
    /* most words have no apostrophe at all: two scans say so */
    if (n < 2 || (!memchr(s + 1, '\'', n - 1) && !memchr(s + 1, 0xE2, n - 1)))
        return 0;
    /* Find the last apostrophe; the tail after it decides. */
    for (size_t i = n; i-- > 1;) {
        size_t al;
        if (!is_apos(s, n, i, &al)) continue;
        if (i + al >= n) return 0;
        const uint8_t *t = s + i + al;
        size_t tn = n - i - al;
        if (tok_lower_eq(t, tn, "t") && i >= 2 && (s[i - 1] | 32) == 'n') {
            /* don't -> do n't: needs a letter before the n */
            uint8_t b = s[i - 2];
            return (b | 32) >= 'a' && (b | 32) <= 'z' ? i - 1 : 0;
        }
        if (clitic_suffix(t, tn)) return i;
        return 0;
    }
    return 0;
}

/* The character at s (n bytes left) into *c; its length. */
static inline size_t next_char(const uint8_t *s, size_t n, ucs4_t *c)
{
    if (s[0] < 0x80) {
        *c = s[0];
        return 1;
    }
    return (size_t)u8_mbtouc_unsafe(c, s, n);
}

static int number_surface(const uint8_t *s, size_t n)
{
    size_t i = 0;
    ucs4_t c;
    size_t len = next_char(s, n, &c);
    if (!(tok_gc(c) & GC_ND)) return 0;
    while (i < n) {
        len = next_char(s + i, n - i, &c);
        if ((tok_gc(c) & GC_ND) || c == ',' || c == '.' || c == '\'' ||
            c == 0x066B || c == 0x066C) {
            i += len;
            continue;
        }
        break;
    }
    if (i == n) return 1;
    /* an ordinal or decade suffix: 3rd 21st 1990s */
    const uint8_t *t = s + i;
    size_t tn = n - i;
    return tok_lower_eq(t, tn, "st") || tok_lower_eq(t, tn, "nd") ||
           tok_lower_eq(t, tn, "rd") || tok_lower_eq(t, tn, "th") ||
           tok_lower_eq(t, tn, "s");
}

/* What classify needs of a surface of printable ASCII (no space or
 * control byte), whose first character is then its first that counts and
 * whose every byte is a letter of one case, a digit or neither: bit 0 of
 * the result, some upper-case letter; bit 1, some lower-case; bit 2, a
 * digit; bit 3, the first letter is upper case; bit 4, an apostrophe
 * after the first byte (what tok_clitic_split looks for); bit 5, the
 * surface is such ASCII. 0 when not: the general loop decides. 16 bytes
 * at a time while avail (the bytes readable at s) allows. */
enum {
    AC_UP = 1,
    AC_LO = 2,
    AC_DIGIT = 4,
    AC_CAP = 8,
    AC_APOS = 16,
    AC_OK = 32
};

static unsigned ascii_shape(const uint8_t *s, size_t n, size_t avail)
{
    unsigned up = 0, lo = 0, dg = 0, ap = 0, bad = 0;
    int cap = -1; /* the first letter's case: -1 till one is met */
    size_t i = 0;
#ifdef __SSE2__
    for (; i < n && avail - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
#define IN(lo_, hi_)                                                           \
    (unsigned)_mm_movemask_epi8(                                               \
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)((lo_)-1))),       \
                      _mm_cmplt_epi8(v, _mm_set1_epi8((char)((hi_) + 1)))))
        unsigned keep = n - i >= 16 ? 0xFFFFu : (1u << (n - i)) - 1;
        bad |= ~IN(0x21, 0x7E) & keep; /* bytes of 0x80 up are negative */
        unsigned u = IN('A', 'Z') & keep, l = IN('a', 'z') & keep;
        dg |= IN('0', '9') & keep;
#undef IN
        ap |= (unsigned)_mm_movemask_epi8(
                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\''))) &
              keep & (i ? ~0u : ~1u);
        unsigned let = u | l;
        if (cap < 0 && let) cap = (let & (0u - let) & u) != 0;
        up |= u;
        lo |= l;
    }
#endif
    for (; i < n; i++) {
        unsigned c = s[i];
        unsigned u = c - 'A' < 26u, l = c - 'a' < 26u;
        bad |= c - 0x21u > 0x7Eu - 0x21u;
        up |= u;
        lo |= l;
        dg |= c - '0' < 10u;
        ap |= c == '\'' && i > 0;
        if (cap < 0 && (u | l)) cap = (int)u;
    }
    if (bad) return 0;
    return AC_OK | (up ? AC_UP : 0) | (lo ? AC_LO : 0) | (dg ? AC_DIGIT : 0) |
           (cap > 0 ? AC_CAP : 0) | (ap ? AC_APOS : 0);
}

/* Whether punctuation (s, n) is made only of . ? ! and U+2026 (and the
 * fullwidth ! ? .): LECTOR_TF_TERMINAL, which the sentence splitter
 * stops at, so it reads no other punctuation's bytes. */
static int terminal_surface(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (p[i] == '.' || p[i] == '?' || p[i] == '!') {
            i++;
        } else if (i + 3 <= n && p[i] == 0xE2 && p[i + 1] == 0x80 &&
                   p[i + 2] == 0xA6) { /* U+2026 */
            i += 3;
        } else if (i + 3 <= n && p[i] == 0xEF && p[i + 1] == 0xBC &&
                   (p[i + 2] == 0x81 || p[i + 2] == 0x9F || p[i + 2] == 0x8E)) {
            i += 3; /* fullwidth ! ? . */
        } else {
            return 0;
        }
    }
    return 1;
}

static void classify(const lector_tokenizer *tk, const uint8_t *s, size_t n,
                     size_t avail, centry *e)
{
    int letters = 0, digits = 0, upper = 0, lower = 0, nonascii = 0;
    int first_letter_upper = -1, apos = 1;
    ucs4_t first = 0, first_any = 0;
    int i_first = 0; /* 0: none yet, 1: first_any set, 2: first set */
    unsigned a = n ? ascii_shape(s, n, avail) : 0;
    if (a) {
        /* counts stand for "some": only that is asked of them below */
        upper = (a & AC_UP) != 0;
        lower = (a & AC_LO) != 0;
        letters = upper | lower;
        digits = (a & AC_DIGIT) != 0;
        first_letter_upper = letters ? (a & AC_CAP) != 0 : -1;
        apos = (a & AC_APOS) != 0;
        first = s[0];
        i_first = 2;
    }
    for (size_t i = i_first ? n : 0; i < n;) {
        ucs4_t c;
        if (s[i] >= 0x80) nonascii = 1;
        i += next_char(s + i, n - i, &c);
        uint16_t g = tok_gc(c);
        /* The kind follows the first character that is not space-like
         * (Z, Cc, Cf) or a mark: a leading control or ZWJ says nothing
         * about what the token is (ZWJ + emoji is one UAX #29 segment). */
        if (i_first == 0) first_any = c, i_first = 1;
        if (i_first == 1 && !(g & (GC_CF | GC_CC | GC_Z | GC_M)))
            first = c, i_first = 2;
        if (g & GC_L) {
            letters++;
            int up = (g & GC_UP) != 0;
            upper += up;
            lower += (g & GC_LO) != 0;
            if (first_letter_upper < 0) first_letter_upper = up;
        } else if (g & GC_N) {
            digits++;
        }
    }
    if (i_first < 2) first = first_any;
    uint16_t gf = tok_gc(first);
    uint16_t f = 0;
    if (first_letter_upper > 0) f |= LECTOR_TF_CAP;
    if (upper && !lower) f |= LECTOR_TF_UPPER;
    if (digits) f |= LECTOR_TF_DIGIT;
    if (nonascii) f |= LECTOR_TF_NONASCII;
    uint8_t kind;
    if (is_clitic(s, n))
        kind = LECTOR_TK_CLITIC;
    else if (letters || digits)
        kind = number_surface(s, n) ? LECTOR_TK_NUMBER : LECTOR_TK_WORD;
    else if (gf & GC_P) {
        kind = LECTOR_TK_PUNCT;
        if (terminal_surface(s, n)) f |= LECTOR_TF_TERMINAL;
    } else if (gf & GC_PICT)
        kind = LECTOR_TK_OTHER;
    else if (gf & GC_S)
        kind = LECTOR_TK_SYMBOL;
    else if (gf & (GC_Z | GC_CC | GC_CF))
        kind = LECTOR_TK_SPACE;
    else
        kind = LECTOR_TK_OTHER;
    e->lane = 0;
    if (kind == LECTOR_TK_WORD) {
        size_t sp = apos ? tok_clitic_split(s, n) : 0;
        if (sp && sp < 256) {
            e->lane |= LANE_SPLIT;
            if (n <= 16) e->off = (uint32_t)sp; /* off is free up to 16 */
        }
        if (tok_abbr_find(tk, (const char *)s, n) != LECTOR_ABBR_NONE ||
            abbrev_shape(s, n))
            e->lane |= LANE_ABBREV;
        if (n >= 2 && s[n - 1] == '.' &&
            lector__abbrev_class(tk, (const char *)s, n))
            f |= LECTOR_TF_ABBREV;
    }
    e->kind = kind;
    e->flags = f;
}

/* Starts loading the intern slot of the norm of the ASCII surface (s, n)
 * and keeps the hash of its fold for tok_norm_of (see pf_s). */
static void norm_prefetch(lector_tokenizer *tk, const uint8_t *s, size_t n,
                          size_t avail)
{
#ifdef __SSE2__
    if (n <= 16 && avail >= 16) {
        /* the fold of up to 16 bytes at once: a word's usual case */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        if ((unsigned)_mm_movemask_epi8(v) & ((1u << n) - 1)) return;
        __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                   _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
        v = _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(32)));
        _mm_storeu_si128((__m128i *)(void *)tk->pf_low, v);
    } else
#endif
        if (!tok_fold_ascii(s, n, tk->pf_low))
        return;
    tk->pf_h = lector_hash(tk->pf_low, n);
    tk->pf_s = s;
    tk->pf_n = n;
    lector__intern_prefetch_hash(tk->in, tk->pf_h);
}

/* The cache entry of surface (s, n), classifying it when new; NULL when
 * out of memory. */
centry *tok_lookup(lector_tokenizer *tk, const uint8_t *s, size_t n,
                   size_t avail)
{
    uint64_t k1, k2;
    size_t j = (size_t)(surface_mix(s, n, avail, &k1, &k2) >> tk->cshift);
    for (;;) {
        centry *e = &tk->cache[j];
        if (e->len == n && e->key8 == k1 && e->key2 == k2 &&
            (n <= 16 || !memcmp(tk->arena + e->off + 16, s + 16, n - 16)))
            return e;
        if (!e->len) break;
        j = (j + 1) & tk->cmask;
    }
    /* Miss: make room, then fill the slot. */
    /* A surface longer than the whole arena cap is let in when the arena
     * is empty: resetting again could never make room for it, and the
     * retry below would loop forever. */
    if (tk->ccount >= CACHE_MAX_ENTRIES ||
        (tk->alen > 0 && tk->alen + n > CACHE_MAX_ARENA)) {
        if (!tok_cache_reset(tk, tk->cmask + 1)) return NULL;
        return tok_lookup(tk, s, n, avail);
    }
    if ((tk->ccount + 1) * 4 > (tk->cmask + 1) * 3) { /* load <= 3/4 */
        if (!cache_grow(tk)) return NULL;
        return tok_lookup(tk, s, n, avail);
    }
    if (n > 16) {
        if (tk->alen + n + 8 > tk->acap) { /* + 8: see tail_eq */
            char *na =
                lector__grow(tk->arena, &tk->acap, tk->alen + n + 8, 1, 65536);
            if (!na) return NULL;
            tk->arena = na;
        }
        memcpy(tk->arena + tk->alen, s, n);
    }
    if (tk->norm_prefetch) norm_prefetch(tk, s, n, avail);
    centry *e = &tk->cache[j];
    e->key8 = k1;
    e->key2 = k2;
    e->len = (uint32_t)n;
    e->off = n > 16 ? (uint32_t)tk->alen : 0;
    if (n > 16) tk->alen += n;
    e->norm = -1;
    classify(tk, s, n, avail, e);
    tk->ccount++;
    return e;
}

int tok_fold_ascii(const uint8_t *s, size_t n, char *low)
{
    if (n > TOK_FOLD_MAX) return 0;
    size_t i = 0;
    for (; i < n && s[i] < 0x80; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    return i == n;
}

int32_t tok_norm_of(lector_tokenizer *tk, const uint8_t *s, size_t n)
{
    if (tk->pf_s == s && tk->pf_n == n) /* folded and hashed already */
        return lector__intern_add_hashed(tk->in, tk->pf_low, n, tk->pf_h);
    char low[TOK_FOLD_MAX];
    if (tok_fold_ascii(s, n, low)) return lector_intern_add(tk->in, low, n);
    char chars[4 * TOK_FOLD_MAX];
    size_t cn;
    if (tok_fold_chars(tk, s, n, chars, sizeof chars, &cn))
        return lector_intern_add(tk->in, chars, cn);
    char *f;
    size_t fn;
    if (lector_fold((const char *)s, n, &f, &fn) != LECTOR_OK) return 0;
    int32_t id = lector_intern_add(tk->in, f, fn);
    free(f);
    return id;
}

const centry *tok_first_sight(lector_tokenizer *tk, const uint8_t *s,
                              size_t len, size_t avail, unsigned period_after,
                              int no_norm)
{
    /* tok_lookup starts loading the norm's intern slot before it
     * classifies a new surface (norm_prefetch), which hides the miss */
    centry *e = tok_lookup(tk, s, len, avail);
    if (!e || (e->lane & (LANE_SPLIT | (period_after ? LANE_ABBREV : 0))))
        return NULL;
    if (!no_norm && e->norm < 0) {
        int32_t id = tok_norm_of(tk, s, len);
        if (!id) return NULL;
        e->norm = id;
    }
    return e;
}
