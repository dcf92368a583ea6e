/* Core-wide helpers, not public API: the one way the core grows a
 * buffer, and the one way an object's error message is set. */
#ifndef LECTOR_COMMON_H
#define LECTOR_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Capacities double, so n appends cost O(n) copying in all. */

/* The capacity an array of cap elements (of size bytes) grows to so that
 * it holds need: cap, or first when cap is 0, doubled until it holds
 * need. 0 when need elements would not fit in memory's address space. */
static inline size_t lector__grow_cap(size_t cap, size_t need, size_t first,
                                      size_t size)
{
    if (need > SIZE_MAX / 2 / size) return 0;
    size_t c = cap ? cap : first;
    while (c < need)
        c *= 2;
    return c;
}

/* Reallocates the array p of *cap elements of size bytes to hold at least
 * need (see lector__grow_cap) and sets *cap; the new array, or NULL when
 * out of memory (p and *cap unchanged then). For need > *cap. */
void *lector__grow(void *p, size_t *cap, size_t need, size_t size,
                   size_t first);

/* Writes (s, n) at o as a JSON string, quotes included: '"' and '\\'
 * escaped, control bytes as \u00XX, other bytes as they are; o needs
 * room for 6 * n + 2 bytes. Returns the end of what it wrote. */
char *lector__json_quoted(char *o, const char *s, size_t n);

/* Writes the printf-style message into buf (cap bytes, truncated to
 * fit) and returns code: an object's errmsg and the code its method
 * returns, in one call (gaz_error, store_fail). */
int lector__errorf(char *buf, size_t cap, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
