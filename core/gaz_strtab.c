/* The gazetteer's strings: the byte pool of aliases, surfaces and
 * attributes (NUL-terminated, addressed by 32-bit offsets, so that a dump
 * writes it as one block), and the name tables of entities, types and
 * sources, which intern each name in an intern table of their own (the
 * core's one string-interning table, intern.c). */
#include "common.h"
#include "gaz_internal.h"
#include "intern.h"

#include <stdlib.h>
#include <string.h>

void gaz_strtab_init(gaz_strtab *t)
{
    memset(t, 0, sizeof *t);
}

void gaz_strtab_free(gaz_strtab *t)
{
    free(t->buf);
    memset(t, 0, sizeof *t);
}

int64_t gaz_strtab_append(gaz_strtab *t, const char *s, size_t n)
{
    if ((uint64_t)t->len + n + 1 > UINT32_MAX) return -1;
    if (t->len + n + 1 > t->cap) {
        /* cap is 32-bit (offsets are): lector__grow_cap, not lector__grow. */
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

size_t gaz_strtab_memory(const gaz_strtab *t)
{
    return t->cap;
}

int gaz_names_init(gaz_names *t)
{
    t->in = lector_intern_new();
    t->last = -1;
    return t->in ? 0 : -1;
}

void gaz_names_free(gaz_names *t)
{
    lector_intern_free(t->in);
    t->in = NULL;
    t->last = -1;
}

int32_t gaz_names_add(gaz_names *t, const char *s)
{
    size_t n = strlen(s);
    /* A file names one source on every line, and mostly one type, and
     * lists an entity's aliases together: the last name, compared first,
     * saves the hash and its probe. */
    if (t->last >= 0) {
        size_t ln;
        const char *p = lector_intern_str(t->in, t->last + 1, &ln);
        if (ln == n && memcmp(p, s, n) == 0) return t->last;
    }
    int32_t id = lector_intern_add(t->in, s, n) - 1;
    if (id >= 0) t->last = id;
    return id;
}

int32_t gaz_names_find(const gaz_names *t, const char *s)
{
    return lector_intern_find(t->in, s, strlen(s)) - 1;
}

void gaz_names_prefetch(const gaz_names *t, const char *s)
{
    lector__intern_prefetch(t->in, s, strlen(s));
}

size_t gaz_names_memory(const gaz_names *t)
{
    return lector__intern_memory(t->in);
}

size_t gaz_names_bytes(const gaz_names *t)
{
    size_t total = 0, count = lector_intern_count(t->in);
    for (size_t id = 1; id <= count; id++) {
        size_t n;
        lector_intern_str(t->in, (int32_t)id, &n);
        total += n + 1;
    }
    return total;
}

void gaz_names_write(const gaz_names *t, char *out)
{
    size_t count = lector_intern_count(t->in);
    for (size_t id = 1; id <= count; id++) {
        size_t n;
        const char *s = lector_intern_str(t->in, (int32_t)id, &n);
        memcpy(out, s, n + 1);
        out += n + 1;
    }
}

int gaz_names_load(gaz_names *t, const char *p, size_t n)
{
    if (!n) return 0;
    if (p[n - 1] != '\0') return -1;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += p[i] == '\0';
    if (!lector__intern_reserve(t->in, count)) return -1;
    for (size_t i = 0; i < n;) {
        size_t len = strlen(p + i);
        size_t want = lector_intern_count(t->in) + 1;
        if ((size_t)lector_intern_add(t->in, p + i, len) != want) return -1;
        i += len + 1;
    }
    return 0;
}

void gaz_names_clear(gaz_names *t)
{
    lector__intern_clear(t->in);
    t->last = -1;
}
