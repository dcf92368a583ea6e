/* tok_scan: the first token an extractor's scan must look at. The
 * extractors (scripts/lector/extract) walk every token of a document for
 * the few that may start a count or a date; a Lua loop paid table reads,
 * a string compare and a bit test at each of the 7 million tokens of the
 * job bench's corpus, and a Lua step (with its call back here) at each of
 * the 750k tokens of "the", "a", "in" that start no date. Here the same
 * tests are a few loads and ands a token, and the Lua loop runs only at
 * the tokens this returns. */
#include "lector.h"

/* The mask entry of token t's norm (0 past the mask, and for norm 0). */
static uint32_t entry(const lector_token *t, const uint32_t *mask, size_t nmask)
{
    return t->norm > 0 && (size_t)t->norm < nmask ? mask[t->norm] : 0;
}

size_t lector_tokens_scan(const lector_token *tok, size_t count, size_t from,
                          size_t n, uint32_t kinds, const uint32_t *mask,
                          size_t nmask, uint32_t bits, uint32_t cond,
                          uint32_t next)
{
    if (n > count) n = count;
    size_t i = from;
    for (; i < n; i++) {
        const lector_token *t = tok + i;
        if (kinds >> (t->kind & 31) & 1) return i;
        uint32_t m = entry(t, mask, nmask);
        if (m & bits) return i;
        if (m & cond) {
            uint32_t after = 0;
            if (i + 1 < count) after |= entry(t + 1, mask, nmask);
            if (i + 2 < count) after |= entry(t + 2, mask, nmask);
            if (after & next) return i;
        }
    }
    return i;
}
