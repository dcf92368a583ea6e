/* Internal helpers shared by intern.c and token.c (not public API). */
#ifndef LECTOR_INTERN_H
#define LECTOR_INTERN_H

#include <stdint.h>
#include <string.h>

#define LECTOR_HASH_SEED 0x9E3779B97F4A7C15ull
#define LECTOR_HASH_LEN  0xC2B2AE3D27D4EB4Full
#define LECTOR_HASH_MUL  0xFF51AFD7ED558CCDull

static inline uint64_t lector_hash_final(uint64_t h)
{
    h ^= h >> 29;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 32;
    return h;
}

/* A fast 64-bit hash of (s, n): 8 bytes at a time, multiply-xorshift
 * mixing (in the spirit of wyhash/rapidhash, not their exact output). */
static inline uint64_t lector_hash(const void *p, size_t n)
{
    const uint8_t *s = p;
    uint64_t h = LECTOR_HASH_SEED ^ (n * LECTOR_HASH_LEN);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * LECTOR_HASH_MUL;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * LECTOR_HASH_MUL;
    }
    return lector_hash_final(h);
}

#endif
