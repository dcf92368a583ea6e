/* Invariant checks shared by the libFuzzer targets (tests/fuzz/fuzz_*.c)
 * and the regression replay in `make test` (tests/c/test_regress.c).
 *
 * Every inv_* function returns 1 when its invariants hold, and 0 after
 * writing what broke into inv_msg. The fuzz targets abort on 0 (so
 * libFuzzer keeps the input); test_regress.c counts it as a failed check
 * and prints inv_msg. Everything here is static: each program that
 * includes this header gets its own copy. */
#ifndef LECTOR_FUZZ_INV_H
#define LECTOR_FUZZ_INV_H

#include "lector.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char inv_msg[1024];

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int inv_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(inv_msg, sizeof inv_msg, fmt, ap);
    va_end(ap);
    return 0;
}

/* Splits (data, size) at the first occurrence of the byte sep: the head is
 * (data, *head_n), the tail starts after sep (or is empty). */
static void inv_split(const uint8_t *data, size_t size, uint8_t sep,
                      size_t *head_n, const uint8_t **tail, size_t *tail_n)
{
    const uint8_t *p = memchr(data, sep, size);
    if (!p) {
        *head_n = size;
        *tail = data + size;
        *tail_n = 0;
        return;
    }
    *head_n = (size_t)(p - data);
    *tail = p + 1;
    *tail_n = size - *head_n - 1;
}

/* A message from the core must be a readable, non-empty C string. */
static int inv_errmsg(const char *what, const char *msg)
{
    if (!msg) return inv_fail("%s: errmsg is NULL after a failure", what);
    if (!msg[0]) return inv_fail("%s: errmsg is empty after a failure", what);
    return 1;
}

#endif
