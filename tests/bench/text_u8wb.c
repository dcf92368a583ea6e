/* Peer: the raw libunistring u8_wordbreaks pass over each document, plus
 * a kind per segment from its first character (what a tokenizer built
 * directly on it pays). A library (-shared): bench_text.lua calls
 * u8wb_pass between its own rounds, so that lector and this pass take
 * turns round by round and a slow spell of the machine falls on both. */
#include <stdio.h>
#include <stdlib.h>
#include <unictype.h>
#include <unistr.h>
#include <uniwbrk.h>

/* One pass over n documents: counts the segments by kind into kinds[0..4]
 * (white space, letter, number, punctuation, other) and returns those that
 * are not white space (the tokens). */
size_t u8wb_pass(const char *const *doc, const size_t *len, size_t n,
                 size_t *kinds)
{
    size_t maxlen = 0;
    for (size_t i = 0; i < n; i++)
        if (len[i] > maxlen) maxlen = len[i];
    char *brk = malloc(maxlen + 1);
    if (!brk) {
        fprintf(stderr, "u8wb_pass: out of memory (%zu bytes)\n", maxlen + 1);
        exit(1);
    }
    size_t ntok = 0;
    for (int k = 0; k < 5; k++)
        kinds[k] = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *s = (const uint8_t *)doc[i];
        size_t m = len[i];
        u8_wordbreaks(s, m, brk);
        for (size_t p = 0; p < m;) {
            size_t q = p + 1;
            while (q < m && !brk[q])
                q++;
            ucs4_t c;
            u8_mbtouc_unsafe(&c, s + p, m - p);
            int k = uc_is_property_white_space(c)              ? 0
                    : uc_is_general_category(c, UC_CATEGORY_L) ? 1
                    : uc_is_general_category(c, UC_CATEGORY_N) ? 2
                    : uc_is_general_category(c, UC_CATEGORY_P) ? 3
                                                               : 4;
            kinds[k]++;
            if (k) ntok++;
            p = q;
        }
    }
    free(brk);
    return ntok;
}
