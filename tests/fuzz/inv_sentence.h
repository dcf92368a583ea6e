/* Invariants of the sentence splitter: sentences partition the tokens.
 * See inv.h for the calling convention. */
#ifndef LECTOR_FUZZ_INV_SENTENCE_H
#define LECTOR_FUZZ_INV_SENTENCE_H

#include "inv_text.h"

/* Sentences partition the tokens: in order, contiguous, none empty. */
static int inv_sentences(const lector_sentence *sv, size_t count,
                         size_t ntok)
{
    if ((count == 0) != (ntok == 0))
        return inv_fail("sentences: %zu sentences over %zu tokens", count,
                        ntok);
    size_t next = 0;
    for (size_t i = 0; i < count; i++) {
        if (sv[i].first != next)
            return inv_fail("sentence %zu starts at token %u, want %zu", i,
                            sv[i].first, next);
        if (sv[i].last < sv[i].first || sv[i].last >= ntok)
            return inv_fail("sentence %zu: tokens %u..%u of %zu", i,
                            sv[i].first, sv[i].last, ntok);
        next = (size_t)sv[i].last + 1;
    }
    if (next != ntok)
        return inv_fail("sentences end at token %zu of %zu", next, ntok);
    return 1;
}

/* The sentence target's input: the first line is a list of abbreviations
 * (space separated) given to the tokenizer, the rest is the text; a single
 * line is all text. Sentences must partition the tailored tokens. */
static int inv_sentence_input(const uint8_t *data, size_t size)
{
    size_t head_n, n;
    const uint8_t *text;
    inv_split(data, size, '\n', &head_n, &text, &n);
    if (n == 0) { /* a single line: all text, no abbreviations */
        text = data;
        n = size;
        head_n = 0;
    }
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    if (!tk) {
        lector_intern_free(in);
        return inv_fail("tokenizer_new failed");
    }
    const char *h = (const char *)data;
    for (size_t i = 0; i < head_n;) {
        size_t j = i;
        while (j < head_n && h[j] != ' ') j++;
        if (j > i) (void)lector_tokenizer_add_abbrev(tk, h + i, j - i);
        i = j + 1;
    }
    char *fixed = NULL;
    const char *s = (const char *)text;
    size_t reps;
    if (!inv_valid(s, n)) {
        if (lector_utf8_repair(s, n, &fixed, &n, &reps) != LECTOR_OK)
            s = "", n = 0;
        else
            s = fixed;
    }
    lector_tokens t;
    lector_tokens_init(&t);
    int ok = 1;
    if (lector_tokenize(tk, s, n, 0, &t) != LECTOR_OK)
        ok = inv_fail("tokenize failed on valid text: %s",
                      lector_tokenizer_errmsg(tk));
    else if (inv_tokens(in, s, n, 0, &t)) {
        lector_sentence *sv = NULL;
        size_t count = 0;
        int rc = lector_sentences(tk, s, n, &t, &sv, &count);
        ok = rc == LECTOR_OK ? inv_sentences(sv, count, t.n)
                             : inv_fail("sentences: rc %d", rc);
        lector_free(sv);
    } else {
        ok = 0;
    }
    lector_tokens_release(&t);
    lector_free(fixed);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return ok;
}

#endif
