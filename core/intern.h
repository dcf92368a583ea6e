/* The core's hash, and what the rest of the core (the tokenizer, the
 * gazetteer's name tables) uses of the intern table beyond the public API.
 * Not public API. */
#ifndef LECTOR_INTERN_H
#define LECTOR_INTERN_H

#include "lector.h"

#include <stdint.h>
#include <string.h>

/* Starts loading the slot where lector_intern_add will look for (s, n),
 * for a caller that has other work to do meanwhile. */
void lector__intern_prefetch(const lector_intern *in, const char *s, size_t n);

/* lector_intern_add and lector__intern_prefetch for a caller that has
 * the hash of (s, n) already: h is lector_hash(s, n). */
int32_t lector__intern_add_hashed(lector_intern *in, const char *s, size_t n,
                                  uint64_t h);
void lector__intern_prefetch_hash(const lector_intern *in, uint64_t h);

/* The bytes in holds (its slots, id arrays and string blocks). */
size_t lector__intern_memory(const lector_intern *in);

/* Makes room for n more strings without growing; 0 when out of memory. */
int lector__intern_reserve(lector_intern *in, size_t n);

/* A zeroed table of bytes (huge pages when large), and its release
 * (given the same size). */
void *lector__table_alloc(size_t bytes);
void lector__table_free(void *p, size_t bytes);

/* Forgets every string: ids start again at 1. */
void lector__intern_clear(lector_intern *in);

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
