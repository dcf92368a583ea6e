/* The store's content hash: SHA-256, so that any tool can check
 * documents.hash with sha256sum. */
#include "lector.h"
#include "store_internal.h"

#include <stdatomic.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define SHA_NI 1
#endif

/* ---- SHA-256 (FIPS 180-4) -------------------------------------------- */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5],
             g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                      ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                      ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

#ifdef SHA_NI
/* The same blocks with the CPU's SHA extensions (SHA-NI: x86 since Intel
 * Goldmont and AMD Zen), several times faster than the portable loop
 * (tests/bench/RESULTS.md): ingest hashes every document. The state is
 * kept as the instructions want it, ABEF and CDGH; each group of 4 rounds
 * takes 4 words of the message schedule, which msg1/msg2 extend from the
 * 16 of the block. */
__attribute__((target("sha,sse4.1"))) static void
sha256_blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i t = _mm_loadu_si128((const __m128i *)&h[0]);    /* DCBA */
    __m128i cdgh = _mm_loadu_si128((const __m128i *)&h[4]); /* HGFE */
    t = _mm_shuffle_epi32(t, 0xB1);                         /* CDAB */
    cdgh = _mm_shuffle_epi32(cdgh, 0x1B);                   /* EFGH */
    __m128i abef = _mm_alignr_epi8(t, cdgh, 8);             /* ABEF */
    cdgh = _mm_blend_epi16(cdgh, t, 0xF0);                  /* CDGH */
    for (; nblocks; nblocks--, p += 64) {
        __m128i abef0 = abef, cdgh0 = cdgh, m[4];
        for (int g = 0; g < 16; g++) {
            __m128i w;
            if (g < 4) {
                w = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            } else {
                w = _mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]);
                w = _mm_add_epi32(
                    w, _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4));
                w = _mm_sha256msg2_epu32(w, m[(g + 3) & 3]);
            }
            m[g & 3] = w;
            __m128i k =
                _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&K[4 * g]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
            abef =
                _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(k, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }
    t = _mm_shuffle_epi32(abef, 0x1B);     /* FEBA */
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);  /* DCHG */
    abef = _mm_blend_epi16(t, cdgh, 0xF0); /* DCBA */
    cdgh = _mm_alignr_epi8(cdgh, t, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], abef);
    _mm_storeu_si128((__m128i *)&h[4], cdgh);
}
#endif

static void sha256_blocks(uint32_t h[8], const unsigned char *p, size_t nblocks,
                          int ni)
{
#ifdef SHA_NI
    if (ni) {
        sha256_blocks_ni(h, p, nblocks);
        return;
    }
#endif
    (void)ni;
    for (; nblocks; nblocks--, p += 64)
        sha256_block(h, p);
}

void lector__sha256_with(int ni, const char *s, size_t n, char *out)
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = (const unsigned char *)s;
    sha256_blocks(h, p, n / 64, ni);
    p += n / 64 * 64;
    size_t left = n % 64;
    unsigned char tail[128] = {0};
    memcpy(tail, p, left);
    tail[left] = 0x80;
    size_t tn = left + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++)
        tail[tn - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha256_blocks(h, tail, tn / 64, ni);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        unsigned char byte = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
        out[2 * i] = hex[byte >> 4];
        out[2 * i + 1] = hex[byte & 15];
    }
    out[64] = '\0';
}

int lector__sha256_ni(void)
{
#ifdef SHA_NI
    /* CPUID itself: clang's __builtin_cpu_supports does not know "sha".
     * Leaf 7 EBX bit 29 is SHA, leaf 1 ECX bit 19 SSE4.1. */
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & 1u << 19)) return 0;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & 1u << 29);
#else
    return 0;
#endif
}

void lector_store_sha256(const char *s, size_t n, char *out)
{
    /* Asked once: in a VM, CPUID leaves to the hypervisor, and asking
     * for every document was a tenth of ingest's time. Every thread
     * finds the same answer, so the race to store it is harmless; an
     * atomic keeps it defined. */
    static _Atomic int ni = -1;
    int v = atomic_load_explicit(&ni, memory_order_relaxed);
    if (v < 0) {
        v = lector__sha256_ni();
        atomic_store_explicit(&ni, v, memory_order_relaxed);
    }
    lector__sha256_with(v, s, n, out);
}
