/* What the rest of the core (sentence.c, gaz_load.c) and the tests may use
 * of the tokenizer beyond the public API. The tokenizer's own layout is
 * in tok_internal.h, private to token.c and the tok_*.c files. */
#ifndef LECTOR_TOKEN_H
#define LECTOR_TOKEN_H

#include "lector.h"

enum {
    LECTOR_ABBR_NONE = 0,
    LECTOR_ABBR_TITLE = 1, /* never ends a sentence: Mr. Gen. Jan. */
    LECTOR_ABBR_SHAPE = 2, /* letter-period shapes: U.S. e.g. (rarely end) */
    LECTOR_ABBR_MAYEND = 3 /* may end a sentence: etc. Inc. Ltd. */
};

/* The class of the abbreviation (s, n), given WITH its final period. */
int lector__abbrev_class(const lector_tokenizer *tk, const char *s, size_t n);

/* A tokenizer that tokenizes exactly as tk does (the same intern table,
 * the same abbreviations) with a surface cache of its own: for bulk work
 * whose surfaces would crowd the text's hot ones out of tk's cache (a
 * gazetteer file's aliases). NULL when out of memory. */
lector_tokenizer *lector__tokenizer_fork(const lector_tokenizer *tk);

/* Tests only: how many surfaces tk's cache holds. */
size_t lector__tokenizer_cached(const lector_tokenizer *tk);

/* Tests only: the most the block lane may use of what the CPU offers:
 * 2 everything (the default), 1 AVX-512BW without VBMI (no planned
 * probes), 0 SSE2 only. */
void lector__tokenizer_set_lane(lector_tokenizer *tk, int level);

#endif
