/* tok_scan.c: lector_tokens_scan stops where its kinds and mask say, on
 * tokens the tokenizer makes from text, and nowhere else. */
#include "check.h"
#include "lector.h"

#include <string.h>

static lector_intern *in;
static lector_tokenizer *tk;
static lector_tokens toks;
static uint32_t mask[256];

/* Tokenizes s into toks; 0 on success. */
static int tokens_of(const char *s)
{
    return lector_tokenize(tk, s, strlen(s), 0, &toks);
}

/* Sets bits in the mask entry of word w (interned as the tokenizer
 * folds it: lower case). */
static void mark(const char *w, uint32_t bits)
{
    int32_t id = lector_intern_add(in, w, strlen(w));
    if (id > 0 && (size_t)id < sizeof mask / sizeof mask[0]) mask[id] |= bits;
}

/* Every stop of a whole-array scan, as token indices joined by ",". */
static const char *stops(uint32_t kinds, uint32_t bits, uint32_t cond,
                         uint32_t next)
{
    static char buf[256];
    size_t o = 0, i = 0, n = toks.n;
    buf[0] = '\0';
    for (;;) {
        i = lector_tokens_scan(toks.tok, toks.n, i, n, kinds, mask,
                               sizeof mask / sizeof mask[0], bits, cond, next);
        if (i >= n) break;
        o +=
            (size_t)snprintf(buf + o, sizeof buf - o, "%s%zu", o ? "," : "", i);
        i++;
    }
    return buf;
}

int main(void)
{
    in = lector_intern_new();
    tk = lector_tokenizer_new(in);
    lector_tokens_init(&toks);
    /* tokens: 0 In, 1 the, 2 past, 3 week, 4 the, 5 army, 6 lost, 7 12,
     * 8 tanks, 9 two, 10 days, 11 ago, 12 . */
    CHECK("tok_scan-0 tokenize",
          tokens_of("In the past week the army lost 12 tanks two days ago.") ==
                  0 &&
              toks.n == 13);
    mark("week", 1);
    mark("the", 2);
    mark("two", 2);
    mark("past", 4);
    mark("ago", 4);
    CHECK_STR("tok_scan-1 no kinds, no bits", stops(0, 0, 0, 0), "");
    CHECK_STR("tok_scan-2 numbers", stops(1u << LECTOR_TK_NUMBER, 0, 0, 0),
              "7");
    CHECK_STR("tok_scan-3 punctuation", stops(1u << LECTOR_TK_PUNCT, 0, 0, 0),
              "12");
    CHECK_STR("tok_scan-4 a bit", stops(0, 1, 0, 0), "3");
    CHECK_STR("tok_scan-5 bits or kinds",
              stops(1u << LECTOR_TK_NUMBER, 1 | 4, 0, 0), "2,3,7,11");
    /* "the" stops only before "past" (next token), "two" only before "ago"
     * (the one after): the second "the" is before "army" */
    CHECK_STR("tok_scan-6 cond and next", stops(0, 0, 2, 4), "1,9");
    CHECK_STR("tok_scan-7 next not set", stops(0, 0, 2, 8), "");
    /* from and n bound the scan; from >= n returns from */
    CHECK_INT("tok_scan-8 from",
              lector_tokens_scan(toks.tok, toks.n, 4, toks.n, 0, mask, 256,
                                 1 | 4, 0, 0),
              11);
    CHECK_INT(
        "tok_scan-9 n",
        lector_tokens_scan(toks.tok, toks.n, 4, 10, 0, mask, 256, 4, 0, 0), 10);
    CHECK_INT(
        "tok_scan-10 from past n",
        lector_tokens_scan(toks.tok, toks.n, 12, 10, 0, mask, 256, 4, 0, 0),
        12);
    CHECK_INT(
        "tok_scan-11 n past count",
        lector_tokens_scan(toks.tok, toks.n, 0, 99, 0, mask, 256, 0, 0, 0), 13);
    /* the last tokens: no entry past the array ("two days" at the end) */
    CHECK("tok_scan-12 tail", tokens_of("two days") == 0 && toks.n == 2);
    CHECK_STR("tok_scan-13 nothing after the end", stops(0, 0, 2, 4), "");
    /* a mask too short for the ids: every entry past it is 0 */
    CHECK_INT(
        "tok_scan-14 short mask",
        lector_tokens_scan(toks.tok, toks.n, 0, toks.n, 0, mask, 1, 2, 0, 0),
        2);
    lector_tokens_release(&toks);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return check_done();
}
