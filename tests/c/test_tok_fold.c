/* A surface's first sight. tok_fold.c: a new non-ASCII surface's norm,
 * made from the folds of its characters, is the one lector_fold makes of
 * the whole surface: every
 * code point of the scripts folded that way (and the others, which go to
 * lector_fold whole), alone, after an ASCII letter and after a Greek
 * letter with ypogegrammeni (whose iota the normalization orders against
 * spacing characters of a combining class), on a fresh tokenizer so each
 * character is met first in its test. And classify's printable-ASCII
 * shape, 16 bytes at a time where 16 can be read and byte by byte at the
 * text's end, gives the same tokens either way. */
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>

static size_t utf8(uint32_t c, char *b)
{
    if (c < 0x80) {
        b[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        b[0] = (char)(0xC0 | c >> 6);
        b[1] = (char)(0x80 | (c & 63));
        return 2;
    }
    b[0] = (char)(0xE0 | c >> 12);
    b[1] = (char)(0x80 | ((c >> 6) & 63));
    b[2] = (char)(0x80 | (c & 63));
    return 3;
}

/* Whether every token of (s, n) has lector_fold's fold of its surface as
 * its norm; *ntok counts the tokens. */
static int norms_fold(lector_tokenizer *tk, lector_tokens *toks, const char *s,
                      size_t n, size_t *ntok)
{
    if (lector_tokenize(tk, s, n, 0, toks) != LECTOR_OK) return 0;
    lector_intern *in = lector_tokenizer_intern(tk);
    for (size_t i = 0; i < toks->n; i++) {
        const lector_token *t = &toks->tok[i];
        char *f;
        size_t fn, nn;
        if (lector_fold(s + t->start, t->end - t->start, &f, &fn) != LECTOR_OK)
            return 0;
        const char *norm = lector_intern_str(in, t->norm, &nn);
        int same = norm && nn == fn && !memcmp(norm, f, fn);
        free(f);
        if (!same) {
            fprintf(stderr, "  norm of token %zu of \"%.*s\" differs\n", i,
                    (int)n, s);
            return 0;
        }
        (*ntok)++;
    }
    return 1;
}

int main(void)
{
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = lector_tokenizer_new(in);
    lector_tokens toks;
    lector_tokens_init(&toks);
    CHECK("tokfold-0.1 new", tk != NULL);

    /* every two- and three-byte code point up to the end of kana, and
     * every CJK ideograph and Hangul syllable; "\xe1\xbe\xb3" is U+1FB3 */
    static const struct {
        uint32_t lo, hi;
    } ranges[] = {{0x80, 0x3100}, {0x4E00, 0xA000}, {0xAC00, 0xD7A4}};
    size_t cps = 0, ntok = 0, bad = 0;
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
        for (uint32_t c = ranges[r].lo; c < ranges[r].hi; c++) {
            char s[32], ch[4];
            size_t cl = utf8(c, ch), n = 0;
            memcpy(s + n, ch, cl), n += cl;
            memcpy(s + n, " x", 2), n += 2;
            memcpy(s + n, ch, cl), n += cl;
            memcpy(s + n, " \xe1\xbe\xb3", 4), n += 4;
            memcpy(s + n, ch, cl), n += cl;
            if (!norms_fold(tk, &toks, s, n, &ntok)) bad++;
            cps++;
        }
    CHECK("tokfold-1.1 every character's norm is lector_fold's",
          bad == 0 && cps == 0x3080 + 0x5200 + 0x2BA4);
    CHECK("tokfold-1.2 as many tokens as texts, at least", ntok >= cps);

    /* words of several scripts at once, met for the first time */
    static const char *const words[] = {
        "Éibhear",    "Παναγιωτίδης", "METİN",
        "geliþmeler", "Straße",       "ǄEMAL",
        "ﬁnance",     "Cuiabá",       "výdeosuna",
        "kết",        "ᾼΣ",           "Ωμέγα’s",
        "がぎぐ",     "ｶﾞｷﾞ",         "한국어",
        "한",     "প্রো",          "café’s",
        "naïve—ish",  "«Ça»",         "\xcd\x85\xe3\x80\xae"};
    size_t wbad = 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!norms_fold(tk, &toks, words[i], strlen(words[i]), &ntok)) wbad++;
    CHECK("tokfold-1.3 mixed words", wbad == 0);

    /* random printable-ASCII words, each on a fresh tokenizer at the
     * text's end and on another followed by 32 spaces */
    lector_tokenizer *ta = lector_tokenizer_new(in);
    lector_tokens tb;
    lector_tokens_init(&tb);
    static const char alpha[] = "aZq'.-9Ex0_'/nT.";
    srand(24);
    size_t diff = 0, nwords = 0, ntoks = 0;
    for (int r = 0; r < 3000; r++) {
        char w[80];
        size_t n = 1 + (size_t)rand() % 40;
        for (size_t i = 0; i < n; i++)
            w[i] = rand() % 3 ? alpha[rand() % 16] : (char)(0x21 + rand() % 94);
        memset(w + n, ' ', 32);
        lector_tokenizer *t1 = lector_tokenizer_new(in);
        if (!t1 || lector_tokenize(t1, w, n, 0, &toks) != LECTOR_OK ||
            lector_tokenize(ta, w, n + 32, 0, &tb) != LECTOR_OK ||
            toks.n != tb.n) {
            diff++;
        } else {
            for (size_t i = 0; i < toks.n; i++)
                if (memcmp(&toks.tok[i], &tb.tok[i], sizeof *tb.tok)) diff++;
            ntoks += toks.n;
        }
        lector_tokenizer_free(t1);
        nwords++;
        /* the second tokenizer meets each word once: start it over */
        lector_tokenizer_free(ta);
        ta = lector_tokenizer_new(in);
    }
    CHECK("tokfold-2.1 ASCII shapes agree at the text's end and before it",
          diff == 0 && nwords == 3000 && ntoks >= 3000);
    lector_tokens_release(&tb);
    lector_tokenizer_free(ta);

    lector_tokens_release(&toks);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return check_done();
}
