/* tok_classify: the byte classes of 64 bytes of text as bit masks, for
 * tok_lanes' block lane (SSE2 always, AVX-512BW where the CPU has it,
 * chosen at run time by the caller), and the x86-64-v4 target
 * attributes (LANE_X86_64_V4, TARGET_V4, TARGET_VBMI) the lane's other
 * AVX-512 code uses. Included by tok_lanes.c alone: the functions are
 * inline into its loops. Needs __SSE2__ (the includer tests it). */
#ifndef LECTOR_TOK_CLASSIFY_H
#define LECTOR_TOK_CLASSIFY_H

#include <emmintrin.h>
#include <stdint.h>

/* The byte classes of 64 bytes of text, one bit per byte (bit i for
 * q[i]). */
typedef struct {
    uint64_t letter, digit;
    uint64_t single;     /* single-byte tokens: , ; ( ) ! " # $ & * ? . : -
                            / < = > (each its own UAX #29 segment unless it
                            joins a word or number, see block_tokens; not %
                            or +, which e-mail addresses hold) */
    uint64_t slash;      /* /: after a colon it makes http: a URL */
    uint64_t dot, colon; /* . (a MidNumLet) and : (a MidLetter) */
    uint64_t numsep;     /* , and ; (MidNum) */
    uint64_t hyphen, nl;
    uint64_t apos;  /* ': a joiner (Atlanta's, don't, 5'6) or a quote */
    uint64_t space; /* space and line feed */
    uint64_t plain; /* everything above: the rest is for hot_loop */
} blockmask;

static inline __attribute__((always_inline)) void classify64(const uint8_t *q,
                                                             blockmask *bm)
{
    uint64_t m[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        __m128i v =
            _mm_loadu_si128((const __m128i *)(const void *)(q + 16 * k));
        /* 'a'..'z' after lower-casing, and '0'..'9', shifted onto the
         * smallest signed byte values: one compare each (see letters16) */
        __m128i l =
            _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
                                        _mm_set1_epi8(0x1F)),
                           _mm_set1_epi8((char)(0x80 + 26)));
        __m128i d = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x50)),
                                   _mm_set1_epi8((char)(0x80 + 10)));
        __m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
        __m128i colon = _mm_cmpeq_epi8(v, _mm_set1_epi8(':'));
        __m128i numsep = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                      _mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
        __m128i hy = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
        __m128i nl = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
        __m128i sp = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), nl);
        /* the rest of the singles: , ; ( ) ! " # $ & * ? ('!'..'$'
         * shifted onto the smallest signed byte values) */
        __m128i p1 = _mm_or_si128(
            numsep,
            _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)),
                                        _mm_set1_epi8(')')),
                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')),
                                      _mm_cmplt_epi8(
                                          _mm_add_epi8(v, _mm_set1_epi8(0x5F)),
                                          _mm_set1_epi8((char)(0x80 + 4))))));
        p1 = _mm_or_si128(p1,
                          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('*'))));
        /* / and < = > (the markup and quoted-printable of mail) */
        __m128i sl = _mm_cmpeq_epi8(v, _mm_set1_epi8('/'));
        p1 = _mm_or_si128(
            p1, _mm_or_si128(
                    sl, _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x44)),
                                       _mm_set1_epi8((char)(0x80 + 3)))));
        __m128i single =
            _mm_or_si128(_mm_or_si128(p1, hy), _mm_or_si128(dot, colon));
        __m128i ap = _mm_cmpeq_epi8(v, _mm_set1_epi8('\''));
        __m128i plain = _mm_or_si128(_mm_or_si128(_mm_or_si128(l, d), ap),
                                     _mm_or_si128(sp, single));
        int sh = 16 * k;
        m[0] |= (uint64_t)(unsigned)_mm_movemask_epi8(l) << sh;
        m[1] |= (uint64_t)(unsigned)_mm_movemask_epi8(d) << sh;
        m[2] |= (uint64_t)(unsigned)_mm_movemask_epi8(single) << sh;
        m[3] |= (uint64_t)(unsigned)_mm_movemask_epi8(dot) << sh;
        m[9] |= (uint64_t)(unsigned)_mm_movemask_epi8(colon) << sh;
        m[10] |= (uint64_t)(unsigned)_mm_movemask_epi8(numsep) << sh;
        m[4] |= (uint64_t)(unsigned)_mm_movemask_epi8(hy) << sh;
        m[5] |= (uint64_t)(unsigned)_mm_movemask_epi8(nl) << sh;
        m[6] |= (uint64_t)(unsigned)_mm_movemask_epi8(sp) << sh;
        m[7] |= (uint64_t)(unsigned)_mm_movemask_epi8(plain) << sh;
        m[8] |= (uint64_t)(unsigned)_mm_movemask_epi8(ap) << sh;
        m[11] |= (uint64_t)(unsigned)_mm_movemask_epi8(sl) << sh;
    }
    bm->letter = m[0];
    bm->digit = m[1];
    bm->single = m[2];
    bm->dot = m[3];
    bm->colon = m[9];
    bm->numsep = m[10];
    bm->hyphen = m[4];
    bm->nl = m[5];
    bm->space = m[6];
    bm->plain = m[7];
    bm->apos = m[8];
    bm->slash = m[11];
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* The block lane compiled for AVX-512BW and BMI2 too, chosen at run time:
 * a 64-byte compare gives a class's mask in one instruction. */
#define LANE_X86_64_V4 1
#define TARGET_V4      __attribute__((target("avx512bw,bmi,bmi2,lzcnt,popcnt")))
/* with the byte permutes and compress of VBMI and VBMI2 and the 64-bit
 * multiply of DQ too: the lane plans each block's cache probes (see
 * plan_block) */
#define TARGET_VBMI                                                            \
    __attribute__((target(                                                     \
        "avx512bw,avx512vbmi,avx512vbmi2,avx512dq,bmi,bmi2,lzcnt,popcnt")))

static TARGET_V4 inline void classify64_v4(const uint8_t *q, blockmask *bm)
{
    __m512i v = _mm512_loadu_si512((const void *)q);
    __m512i lower = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    uint64_t l = _mm512_cmplt_epu8_mask(
        _mm512_sub_epi8(lower, _mm512_set1_epi8('a')), _mm512_set1_epi8(26));
    uint64_t d = _mm512_cmplt_epu8_mask(
        _mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
    uint64_t dot = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.'));
    uint64_t colon = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':'));
    uint64_t numsep = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(',')) |
                      _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(';'));
    uint64_t hy = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
    uint64_t nl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
    uint64_t sp = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' ')) | nl;
    uint64_t p1 =
        numsep | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('?')) |
        _mm512_cmpeq_epi8_mask(_mm512_or_si512(v, _mm512_set1_epi8(1)),
                               _mm512_set1_epi8(')')) |
        _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('!')),
                               _mm512_set1_epi8(4)) |
        _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('&')) |
        _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('*'));
    uint64_t sl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('/'));
    p1 |= sl | _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('<')),
                                      _mm512_set1_epi8(3));
    bm->letter = l;
    bm->digit = d;
    bm->single = p1 | dot | colon | hy;
    bm->dot = dot;
    bm->colon = colon;
    bm->numsep = numsep;
    bm->hyphen = hy;
    bm->nl = nl;
    bm->space = sp;
    bm->apos = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\''));
    bm->slash = sl;
    bm->plain = l | d | sp | bm->single | bm->apos;
}
#endif

/* The classes of the 64 bytes at q, with AVX-512 when v4. */
static inline __attribute__((always_inline)) void
classify_block(const uint8_t *q, blockmask *bm, const int v4)
{
#ifdef LANE_X86_64_V4
    if (v4) {
        classify64_v4(q, bm);
        return;
    }
#endif
    (void)v4;
    classify64(q, bm);
}

#endif
