/* The gazetteer's string tables: a byte pool of NUL-terminated strings
 * addressed by 32-bit offsets, and for interning tables a dense id per
 * distinct string with an open-addressing hash over the ids. */
#include "gaz_internal.h"

#include <stdlib.h>
#include <string.h>

void gaz_strtab_init(gaz_strtab *t)
{
    memset(t, 0, sizeof *t);
}

void gaz_strtab_free(gaz_strtab *t)
{
    free(t->buf);
    free(t->offs);
    free(t->slots);
    free(t->hashes);
    memset(t, 0, sizeof *t);
}

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

int64_t gaz_strtab_append(gaz_strtab *t, const char *s, size_t n)
{
    if ((uint64_t)t->len + n + 1 > UINT32_MAX) return -1;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        if (cap > UINT32_MAX) cap = UINT32_MAX;
        char *b = realloc(t->buf, cap);
        if (!b) return -1;
        t->buf = b;
        t->cap = (uint32_t)cap;
    }
    uint32_t off = t->len;
    if (n) memcpy(t->buf + off, s, n);
    t->buf[off + n] = '\0';
    t->len += (uint32_t)n + 1;
    return off;
}

static int32_t strtab_lookup(const gaz_strtab *t, const char *s, size_t n,
                             uint32_t h, uint32_t *slot)
{
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t v = t->slots[i];
        if (!v) {
            *slot = i;
            return -1;
        }
        if (t->hashes[i] != h) continue;
        const char *c = t->buf + t->offs[v - 1];
        if (strncmp(c, s, n) == 0 && c[n] == '\0' && memchr(s, 0, n) == NULL)
            return (int32_t)(v - 1);
    }
}

/* (Re)builds the hash of ids with ns slots; the hash of each slot's string
 * is kept beside it so probes rarely touch the strings. */
static int fill_slots(gaz_strtab *t, uint32_t ns)
{
    uint32_t *sl = calloc(ns, sizeof *sl), *hs = malloc(ns * sizeof *hs);
    if (!sl || !hs) {
        free(sl);
        free(hs);
        return -1;
    }
    for (uint32_t id = 0; id < t->count; id++) {
        const char *c = t->buf + t->offs[id];
        uint32_t h = hash_bytes(c, strlen(c)), i = h & (ns - 1);
        while (sl[i])
            i = (i + 1) & (ns - 1);
        sl[i] = id + 1;
        hs[i] = h;
    }
    free(t->slots);
    free(t->hashes);
    t->slots = sl;
    t->hashes = hs;
    t->nslots = ns;
    return 0;
}

/* Doubles the hash, moving (id, hash) pairs without rehashing strings. */
static int grow_slots(gaz_strtab *t)
{
    if (!t->nslots) return fill_slots(t, 64);
    uint32_t ns = t->nslots * 2;
    uint32_t *sl = calloc(ns, sizeof *sl), *hs = malloc(ns * sizeof *hs);
    if (!sl || !hs) {
        free(sl);
        free(hs);
        return -1;
    }
    for (uint32_t k = 0; k < t->nslots; k++) {
        if (!t->slots[k]) continue;
        uint32_t i = t->hashes[k] & (ns - 1);
        while (sl[i])
            i = (i + 1) & (ns - 1);
        sl[i] = t->slots[k];
        hs[i] = t->hashes[k];
    }
    free(t->slots);
    free(t->hashes);
    t->slots = sl;
    t->hashes = hs;
    t->nslots = ns;
    return 0;
}

int32_t gaz_strtab_find(const gaz_strtab *t, const char *s, size_t n)
{
    uint32_t slot;
    if (!t->nslots) return -1;
    return strtab_lookup(t, s, n, hash_bytes(s, n), &slot);
}

int32_t gaz_strtab_intern(gaz_strtab *t, const char *s, size_t n)
{
    if ((t->count + 1) * 2 > t->nslots && grow_slots(t) < 0) return -1;
    uint32_t h = hash_bytes(s, n), slot;
    int32_t id = strtab_lookup(t, s, n, h, &slot);
    if (id >= 0) return id;
    if (t->count == t->offs_cap) {
        uint32_t cap = t->offs_cap ? t->offs_cap * 2 : 16;
        uint32_t *o = realloc(t->offs, cap * sizeof *o);
        if (!o) return -1;
        t->offs = o;
        t->offs_cap = cap;
    }
    int64_t off = gaz_strtab_append(t, s, n);
    if (off < 0) return -1;
    t->offs[t->count] = (uint32_t)off;
    t->slots[slot] = t->count + 1;
    t->hashes[slot] = h;
    return (int32_t)t->count++;
}

int gaz_strtab_reindex(gaz_strtab *t)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < t->len; i++)
        if (t->buf[i] == '\0') count++;
    free(t->offs);
    free(t->slots);
    free(t->hashes);
    t->slots = t->hashes = NULL;
    t->nslots = 0;
    t->offs = malloc((count ? count : 1) * sizeof *t->offs);
    if (!t->offs) return -1;
    t->offs_cap = count ? count : 1;
    t->count = 0;
    for (uint32_t i = 0; i < t->len;) {
        t->offs[t->count++] = i;
        i += (uint32_t)strlen(t->buf + i) + 1;
    }
    uint32_t ns = 64;
    while (ns < t->count * 2)
        ns *= 2;
    return fill_slots(t, ns);
}

size_t gaz_strtab_memory(const gaz_strtab *t)
{
    return t->cap + (size_t)t->offs_cap * sizeof *t->offs +
           (size_t)t->nslots * (sizeof *t->slots + sizeof *t->hashes);
}
