/* A tiny assert harness for lector's C tests: every CHECK counts as one
 * test, a failure prints its id and location and the run goes on, and
 * check_done() prints the closing "N passed, N failed, N skipped" line. */
#ifndef LECTOR_CHECK_H
#define LECTOR_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed, check_skipped;

#define CHECK(id, cond)                                                        \
    do {                                                                       \
        if (cond) {                                                            \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "FAIL %s: %s (%s:%d)\n", (id), #cond, __FILE__,    \
                    __LINE__);                                                 \
        }                                                                      \
    } while (0)

/* Compares two NUL-terminated strings and shows both on failure. */
#define CHECK_STR(id, got, want)                                               \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                 \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "FAIL %s: got \"%s\", want \"%s\" (%s:%d)\n",      \
                    (id), g_ ? g_ : "(null)", w_ ? w_ : "(null)", __FILE__,    \
                    __LINE__);                                                 \
        }                                                                      \
    } while (0)

#define CHECK_INT(id, got, want)                                               \
    do {                                                                       \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        if (g_ == w_) {                                                        \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "FAIL %s: got %lld, want %lld (%s:%d)\n", (id),    \
                    g_, w_, __FILE__, __LINE__);                               \
        }                                                                      \
    } while (0)

/* A case that cannot run here (missing shared corpus): counted, not hidden. */
#define CHECK_SKIP(id, why)                                                    \
    do {                                                                       \
        check_skipped++;                                                       \
        fprintf(stderr, "SKIP %s: %s\n", (id), (why));                         \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed, %d skipped\n", check_passed, check_failed,
           check_skipped);
    return check_failed ? 1 : 0;
}

#endif
