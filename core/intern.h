/* Internal helpers shared by intern.c and token.c (not public API). */
#ifndef LECTOR_INTERN_H
#define LECTOR_INTERN_H

#include <stdint.h>
#include <string.h>

/* A fast 64-bit hash of (s, n): 8 bytes at a time, multiply-xorshift
 * mixing (in the spirit of wyhash/rapidhash, not their exact output). */
static inline uint64_t lector_hash(const void *p, size_t n)
{
    const uint8_t *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    }
    h ^= h >> 29;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 32;
    return h;
}

#endif
