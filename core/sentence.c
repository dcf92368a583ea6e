/* sentence: sentence boundaries over a token array. The rules, in order:
 *
 *  - A blank line (PARA_END) always ends a sentence.
 *  - A line end (LINE_END) ends one, unless the line is long (40 bytes or
 *    more, like hard-wrapped prose) and the next line starts with a
 *    lower-case word: headlines, bylines, datelines, "SIGN UP FOR OUR
 *    NEWSLETTER" and short web furniture ("Notify of" / "guest") are
 *    sentences of their own, wrapped paragraphs are not cut.
 *  - . ? ! … and runs of them end a sentence, together with the closing
 *    quotes and brackets glued after them ("... casualties.”"), unless the
 *    next token starts with a lower-case letter ("….this", "“Why?” he
 *    asked") or the sentence so far is only a list number ("1.", "(2).").
 *  - Abbreviations (tokens with LECTOR_TF_ABBREV) never end a sentence by
 *    their period, except "may end" ones (etc. Inc. Ltd.) before a
 *    capitalised word; titles (Mr. Gen.), months and letter shapes (U.S.,
 *    initials) only end one at a line end. */
#include "common.h"
#include "lector.h"
#include "token.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Lines at least this long that run on into a lower-case word are taken
 * for hard-wrapped prose. */
#define WRAPPED_LINE 40

/* Whether the line that ends with token t is shorter than WRAPPED_LINE
 * bytes: the scan back to the line's start goes no further than that
 * (prose lines run to 70 bytes and more). */
static int short_line(const char *s, const lector_token *t)
{
    if (t->end < WRAPPED_LINE) return 1;
    if (t->end - t->start >= WRAPPED_LINE) return 0;
    /* short when the line starts at stop or after it: a line break in
     * [stop - 1, start) (start >= stop, as the token is shorter) */
    size_t stop = t->end - WRAPPED_LINE + 1;
    return memrchr(s + stop - 1, '\n', t->start - stop + 1) != NULL;
}

/* Closing quotes and brackets that belong to the sentence before them. */
static int closing(const char *s, const lector_token *t)
{
    const unsigned char *p = (const unsigned char *)s + t->start;
    size_t n = t->end - t->start;
    if (n == 1)
        return p[0] == '"' || p[0] == '\'' || p[0] == ')' || p[0] == ']' ||
               p[0] == '}';
    if (n == 2) return p[0] == 0xC2 && p[1] == 0xBB; /* » */
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x80)
        return p[2] == 0x99 || p[2] == 0x9D || p[2] == 0xBA; /* ’ ” › */
    return 0;
}

static int lower_start(const char *s, const lector_token *t)
{
    if (t->kind != LECTOR_TK_WORD || (t->flags & LECTOR_TF_CAP)) return 0;
    unsigned char c = (unsigned char)s[t->start];
    if (c < 0x80) return c >= 'a' && c <= 'z';
    return 1; /* a non-ASCII word whose first letter is not upper case */
}

static int cap_start(const char *s, const lector_token *t)
{
    (void)s;
    return (t->kind == LECTOR_TK_WORD || t->kind == LECTOR_TK_NUMBER) &&
           (t->flags & LECTOR_TF_CAP);
}

/* The sentence [first, i) holds only a list number: 1 / (1 / 2) */
static int list_number(const char *s, const lector_token *tok, size_t first,
                       size_t i)
{
    int num = 0;
    for (size_t k = first; k < i; k++) {
        const lector_token *t = &tok[k];
        if (t->kind == LECTOR_TK_NUMBER && !num) {
            num = 1;
            continue;
        }
        unsigned char c = (unsigned char)s[t->start];
        if (t->end - t->start == 1 && (c == '(' || c == ')')) continue;
        return 0;
    }
    return num;
}

/* A token that does not fit the text (lector_tokenize never makes one). */
static inline int invalid(const lector_token *t, size_t n)
{
    return t->end > n || t->start > t->end;
}

/* Bit k: tok[k] (k < cnt <= 64) may end a sentence (a flag among stops:
 * terminal punctuation, an abbreviation, a line end) or does not fit the
 * text (the caller checks it again). Four tokens at a time where SSE2 is
 * there, and a mask for up to 64 of them at once: the loop that builds
 * it has no branch on the tokens, and its constants are set once per 64
 * tokens rather than once per stop. */
_Static_assert(sizeof(lector_token) == 16 &&
                   offsetof(lector_token, flags) == 12,
               "stop_mask reads a token's flags as the low half of a word");

#ifdef __SSE2__
/* The constants of the stop test, each in every lane: the sign bit (for
 * unsigned compares), the text's length with it, the stop flags. */
typedef struct {
    __m128i sign, lim, stops;
} stop_k;

static inline stop_k stop_consts(size_t n, unsigned stops)
{
    stop_k k;
    k.sign = _mm_set1_epi32(INT32_MIN);
    k.lim = _mm_set1_epi32(
        (int)((uint32_t)(n < UINT32_MAX ? n : UINT32_MAX) ^ 0x80000000u));
    k.stops = _mm_set1_epi32((int)stops);
    return k;
}
#endif

static uint64_t stop_mask(const lector_token *tok, size_t cnt, size_t n,
                          unsigned stops)
{
    uint64_t mask = 0;
    size_t k = 0;
#ifdef __SSE2__
    const stop_k K = stop_consts(n, stops);
    const __m128i sign = K.sign, lim = K.lim, fmask = K.stops;
    const __m128i zero = _mm_setzero_si128();
    for (; k + 4 <= cnt; k += 4) {
        const __m128i *p = (const __m128i *)&tok[k];
        __m128i t0 = _mm_loadu_si128(p), t1 = _mm_loadu_si128(p + 1);
        __m128i t2 = _mm_loadu_si128(p + 2), t3 = _mm_loadu_si128(p + 3);
        /* columns: starts, ends, and flags | kind << 16 */
        __m128i a = _mm_unpacklo_epi32(t0, t1), b = _mm_unpacklo_epi32(t2, t3);
        __m128i c = _mm_unpackhi_epi32(t0, t1), d = _mm_unpackhi_epi32(t2, t3);
        __m128i st = _mm_xor_si128(_mm_unpacklo_epi64(a, b), sign);
        __m128i en = _mm_xor_si128(_mm_unpackhi_epi64(a, b), sign);
        __m128i fk = _mm_unpackhi_epi64(c, d);
        /* what ends nothing: no flag among stops, and fits */
        __m128i calm = _mm_cmpeq_epi32(_mm_and_si128(fk, fmask), zero);
        __m128i bad =
            _mm_or_si128(_mm_cmpgt_epi32(en, lim), _mm_cmpgt_epi32(st, en));
        int m = _mm_movemask_ps(_mm_castsi128_ps(_mm_andnot_si128(bad, calm)));
        mask |= (uint64_t)(~m & 15) << k;
    }
#endif
    for (; k < cnt; k++) {
        const lector_token *t = &tok[k];
        if (invalid(t, n) || (t->flags & stops)) mask |= 1ull << k;
    }
    return mask;
}

#if defined(__x86_64__) && defined(__GNUC__) && defined(__SSE2__)
#include <immintrin.h>
#define STOP_AVX2 1

/* stop_mask eight tokens at a time, where the CPU has AVX2: the same
 * test, on two tokens per 128-bit lane. */
static __attribute__((target("avx2"))) uint64_t
stop_mask_avx2(const lector_token *tok, size_t cnt, size_t n, unsigned stops)
{
    uint64_t mask = 0;
    size_t k = 0;
    const stop_k K = stop_consts(n, stops);
#define W(x) _mm256_broadcastsi128_si256(K.x) /* in both lanes */
    const __m256i zero = _mm256_setzero_si256();
    /* the columns come as tokens 0 2 4 6 1 3 5 7: back in order */
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (; k + 8 <= cnt; k += 8) {
        const __m256i *p = (const __m256i *)(const void *)&tok[k];
        __m256i t0 = _mm256_loadu_si256(p), t1 = _mm256_loadu_si256(p + 1);
        __m256i t2 = _mm256_loadu_si256(p + 2), t3 = _mm256_loadu_si256(p + 3);
        __m256i a = _mm256_unpacklo_epi32(t0, t1);
        __m256i b = _mm256_unpacklo_epi32(t2, t3);
        __m256i c = _mm256_unpackhi_epi32(t0, t1);
        __m256i d = _mm256_unpackhi_epi32(t2, t3);
        __m256i st = _mm256_xor_si256(_mm256_unpacklo_epi64(a, b), W(sign));
        __m256i en = _mm256_xor_si256(_mm256_unpackhi_epi64(a, b), W(sign));
        __m256i fk = _mm256_unpackhi_epi64(c, d);
        __m256i calm = _mm256_cmpeq_epi32(_mm256_and_si256(fk, W(stops)), zero);
        __m256i bad = _mm256_or_si256(_mm256_cmpgt_epi32(en, W(lim)),
                                      _mm256_cmpgt_epi32(st, en));
        __m256i ok =
            _mm256_permutevar8x32_epi32(_mm256_andnot_si256(bad, calm), order);
        int m = _mm256_movemask_ps(_mm256_castsi256_ps(ok));
        mask |= (uint64_t)(~m & 255) << k;
    }
#undef W
    if (k < cnt) mask |= stop_mask(tok + k, cnt - k, n, stops) << k;
    return mask;
}

/* Whether this CPU runs stop_mask_avx2 (asked once). */
static int stop_wide(void)
{
    static int wide = -1;
    if (wide < 0) wide = __builtin_cpu_supports("avx2") != 0;
    return wide;
}
#endif

/* The sentences found so far. */
typedef struct {
    lector_sentence *v;
    size_t cap, m;
} found;

static int emit(found *f, size_t first, size_t last)
{
    if (f->m == f->cap) {
        lector_sentence *nv =
            lector__grow(f->v, &f->cap, f->m + 1, sizeof *nv, 16);
        if (!nv) return 0;
        f->v = nv;
    }
    f->v[f->m].first = (uint32_t)first;
    f->v[f->m].last = (uint32_t)last;
    f->m++;
    return 1;
}

enum { STEP_ON, STEP_END, STEP_BAD };

/* The rules at token i (which fits the text), in the sentence that starts
 * at first: *jp receives the last token they take in (i, or the
 * punctuation and closing quotes glued after it); STEP_END when the
 * sentence ends there, STEP_BAD when a token they look at does not fit. */
static inline int step(const lector_tokenizer *tk, const char *s, size_t n,
                       const lector_token *tok, size_t nt, size_t first,
                       size_t i, size_t *jp)
{
    const lector_token *t = &tok[i];
    size_t j = i;
    int end = 0;
    if (t->flags & LECTOR_TF_TERMINAL) {
        /* Glue the punctuation and closing quotes that follow. */
        while (j + 1 < nt && !(tok[j].flags & LECTOR_TF_LINE_END) &&
               !(tok[j + 1].flags & LECTOR_TF_SPACE_BEFORE)) {
            if (invalid(&tok[j + 1], n)) return STEP_BAD;
            if (!(tok[j + 1].flags & LECTOR_TF_TERMINAL) &&
                !closing(s, &tok[j + 1]))
                break;
            j++;
        }
        if (j + 1 < nt && invalid(&tok[j + 1], n)) return STEP_BAD;
        end = j + 1 >= nt || !lower_start(s, &tok[j + 1]);
        if (end && list_number(s, tok, first, i)) end = 0;
    } else if (t->flags & LECTOR_TF_ABBREV) {
        int c = lector__abbrev_class(tk, s + t->start, t->end - t->start);
        while (j + 1 < nt && !(tok[j].flags & LECTOR_TF_LINE_END) &&
               !(tok[j + 1].flags & LECTOR_TF_SPACE_BEFORE)) {
            if (invalid(&tok[j + 1], n)) return STEP_BAD;
            if (!closing(s, &tok[j + 1])) break;
            j++;
        }
        if (j + 1 < nt && invalid(&tok[j + 1], n)) return STEP_BAD;
        if (j > i) /* "... the U.S.”" */
            end = j + 1 >= nt || !lower_start(s, &tok[j + 1]);
        else if (c == LECTOR_ABBR_MAYEND)
            end = j + 1 >= nt || cap_start(s, &tok[j + 1]);
    }
    const lector_token *last = &tok[j];
    if (last->flags & LECTOR_TF_PARA_END)
        end = 1;
    else if (last->flags & LECTOR_TF_LINE_END) {
        if (j + 1 < nt && invalid(&tok[j + 1], n)) return STEP_BAD;
        if (j + 1 >= nt || !lower_start(s, &tok[j + 1]) || short_line(s, last))
            end = 1;
    }
    if (j + 1 >= nt) end = 1;
    *jp = j;
    return end ? STEP_END : STEP_ON;
}

int lector_sentences(const lector_tokenizer *tk, const char *s, size_t n,
                     const lector_tokens *toks, lector_sentence **out,
                     size_t *count)
{
    if (!tk || !toks || !out || !count || (!s && n)) return LECTOR_EINVAL;
    *out = NULL;
    *count = 0;
    size_t nt = toks->n;
    if (!nt) return LECTOR_OK;
    const lector_token *tok = toks->tok;
    found f = {NULL, nt / 16 + 16, 0};
    if (!(f.v = malloc(f.cap * sizeof *f.v))) return LECTOR_ENOMEM;
    size_t first = 0;
    /* Each token is checked against the text before its bytes are read:
     * in the one pass that skips the tokens that end nothing (not
     * punctuation, no abbreviation, no line end, not the last), or where
     * the rules look ahead. */
    const unsigned stops = LECTOR_TF_TERMINAL | LECTOR_TF_ABBREV |
                           LECTOR_TF_LINE_END | LECTOR_TF_PARA_END;
#ifdef STOP_AVX2
    const int wide = stop_wide();
#endif
    for (size_t base = 0; base < nt;) {
        size_t cnt = nt - base < 64 ? nt - base : 64, next = base + cnt;
#ifdef STOP_AVX2
        uint64_t m = wide ? stop_mask_avx2(tok + base, cnt, n, stops)
                          : stop_mask(tok + base, cnt, n, stops);
#else
        uint64_t m = stop_mask(tok + base, cnt, n, stops);
#endif
        if (next == nt) m |= 1ull << (cnt - 1); /* the last token ends one */
        while (m) {
            size_t i = base + (size_t)__builtin_ctzll(m), j;
            int r = invalid(&tok[i], n) ? STEP_BAD
                                        : step(tk, s, n, tok, nt, first, i, &j);
            if (r == STEP_BAD) goto bad;
            if (r == STEP_END) {
                if (!emit(&f, first, j)) goto oom;
                first = j + 1;
            }
            if (j + 1 >= base + cnt) { /* the rules took in the rest */
                next = j + 1;
                break;
            }
            m &= ~((2ull << (j - base)) - 1);
        }
        base = next;
    }
    *out = f.v;
    *count = f.m;
    return LECTOR_OK;
oom:
    free(f.v);
    return LECTOR_ENOMEM;
bad:
    free(f.v);
    return LECTOR_EINVAL;
}
