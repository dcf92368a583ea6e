/* The gazetteer's string tables: a byte pool of NUL-terminated strings
 * addressed by 32-bit offsets, and for interning tables a dense id per
 * distinct string with an open-addressing hash over the ids. */
#include "array.h"
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
        size_t cap = lector__grow_cap(t->cap, (size_t)t->len + n + 1, 256, 1);
        if (cap > UINT32_MAX) cap = UINT32_MAX; /* the check above: enough */
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

/* Is string id (s, n)? */
static int same(const gaz_strtab *t, uint32_t id, const char *s, size_t n)
{
    const char *c = t->buf + t->offs[id];
    return strncmp(c, s, n) == 0 && c[n] == '\0' && memchr(s, 0, n) == NULL;
}

static int32_t strtab_lookup(const gaz_strtab *t, const char *s, size_t n,
                             uint32_t h, uint32_t *slot)
{
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t v = t->slots[i].id1;
        if (!v) {
            *slot = i;
            return -1;
        }
        if (t->slots[i].hash != h) continue;
        if (same(t, v - 1, s, n)) return (int32_t)(v - 1);
    }
}

/* Moves the (id, hash) pairs to a hash of ns slots; with all, makes them
 * from the strings instead (after a load). */
static int fill_slots(gaz_strtab *t, uint32_t ns, int all)
{
    gaz_slot *sl = calloc(ns, sizeof *sl);
    if (!sl) return -1;
    for (uint32_t k = 0; k < (all ? t->count : t->nslots); k++) {
        gaz_slot e = {k + 1, 0};
        if (all) {
            const char *c = t->buf + t->offs[k];
            e.hash = hash_bytes(c, strlen(c));
        } else if (!(e = t->slots[k]).id1) {
            continue;
        }
        uint32_t i = e.hash & (ns - 1);
        while (sl[i].id1)
            i = (i + 1) & (ns - 1);
        sl[i] = e;
    }
    free(t->slots);
    t->slots = sl;
    t->nslots = ns;
    return 0;
}

int32_t gaz_strtab_find(const gaz_strtab *t, const char *s, size_t n)
{
    uint32_t slot;
    if (!t->nslots) return -1;
    return strtab_lookup(t, s, n, hash_bytes(s, n), &slot);
}

void gaz_strtab_prefetch(const gaz_strtab *t, const char *s, size_t n)
{
    if (t->nslots)
        __builtin_prefetch(&t->slots[hash_bytes(s, n) & (t->nslots - 1)]);
}

int32_t gaz_strtab_intern(gaz_strtab *t, const char *s, size_t n)
{
    if ((t->count + 1) * 2 > t->nslots &&
        fill_slots(t, t->nslots ? t->nslots * 2 : 64, 0) < 0)
        return -1;
    /* A file names one source on every line, and mostly one type, and
     * lists an entity's aliases together: the last string, compared
     * first, saves the hash and its probe. */
    if (t->last1 && same(t, t->last1 - 1, s, n)) return (int32_t)t->last1 - 1;
    uint32_t h = hash_bytes(s, n), slot;
    int32_t id = strtab_lookup(t, s, n, h, &slot);
    if (id >= 0) {
        t->last1 = (uint32_t)id + 1;
        return id;
    }
    if (t->count == t->offs_cap) {
        size_t cap = lector__grow_cap(t->offs_cap, (size_t)t->count + 1, 16,
                                      sizeof(uint32_t));
        if (!cap || cap > UINT32_MAX) return -1;
        uint32_t *o = realloc(t->offs, cap * sizeof *o);
        if (!o) return -1;
        t->offs = o;
        t->offs_cap = (uint32_t)cap;
    }
    int64_t off = gaz_strtab_append(t, s, n);
    if (off < 0) return -1;
    t->offs[t->count] = (uint32_t)off;
    t->slots[slot] = (gaz_slot){t->count + 1, h};
    t->last1 = t->count + 1;
    return (int32_t)t->count++;
}

int gaz_strtab_reindex(gaz_strtab *t)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < t->len; i++)
        if (t->buf[i] == '\0') count++;
    free(t->offs);
    free(t->slots);
    t->slots = NULL;
    t->nslots = t->last1 = 0;
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
    return fill_slots(t, ns, 1);
}

size_t gaz_strtab_memory(const gaz_strtab *t)
{
    return t->cap + (size_t)t->offs_cap * sizeof *t->offs +
           (size_t)t->nslots * sizeof *t->slots;
}
