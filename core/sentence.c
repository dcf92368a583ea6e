/* sentence: sentence boundaries over a token array. The rules, in order:
 *
 *  - A blank line (PARA_END) always ends a sentence.
 *  - A line end (LINE_END) ends one, unless the line is long (40 bytes or
 *    more, like hard-wrapped prose) and the next line starts with a
 *    lower-case word: headlines, bylines, datelines, "SIGN UP FOR OUR
 *    NEWSLETTER" and short web furniture ("Notify of" / "guest") are
 *    sentences of their own, wrapped paragraphs are not cut.
 *  - . ? ! … and runs of them end a sentence, together with the closing
 *    quotes and brackets glued after them ("... casualties.”"), unless the
 *    next token starts with a lower-case letter ("….this", "“Why?” he
 *    asked") or the sentence so far is only a list number ("1.", "(2).").
 *  - Abbreviations (tokens with LECTOR_TF_ABBREV) never end a sentence by
 *    their period, except "may end" ones (etc. Inc. Ltd.) before a
 *    capitalised word; titles (Mr. Gen.), months and letter shapes (U.S.,
 *    initials) only end one at a line end. */
#include "common.h"
#include "lector.h"
#include "token.h"

#include <stdlib.h>

/* Lines at least this long that run on into a lower-case word are taken
 * for hard-wrapped prose. */
#define WRAPPED_LINE 40

/* The length of the line that ends with token t. */
static size_t line_length(const char *s, const lector_token *t)
{
    size_t a = t->start;
    while (a > 0 && s[a - 1] != '\n')
        a--;
    return t->end - a;
}

static int terminal(const char *s, const lector_token *t)
{
    if (t->kind != LECTOR_TK_PUNCT) return 0;
    const unsigned char *p = (const unsigned char *)s + t->start;
    size_t n = t->end - t->start;
    for (size_t i = 0; i < n;) {
        if (p[i] == '.' || p[i] == '?' || p[i] == '!') {
            i++;
        } else if (i + 3 <= n && p[i] == 0xE2 && p[i + 1] == 0x80 &&
                   p[i + 2] == 0xA6) { /* … */
            i += 3;
        } else if (i + 3 <= n && p[i] == 0xEF && p[i + 1] == 0xBC &&
                   (p[i + 2] == 0x81 || p[i + 2] == 0x9F || p[i + 2] == 0x8E)) {
            i += 3; /* fullwidth ! ? . */
        } else {
            return 0;
        }
    }
    return 1;
}

/* Closing quotes and brackets that belong to the sentence before them. */
static int closing(const char *s, const lector_token *t)
{
    const unsigned char *p = (const unsigned char *)s + t->start;
    size_t n = t->end - t->start;
    if (n == 1)
        return p[0] == '"' || p[0] == '\'' || p[0] == ')' || p[0] == ']' ||
               p[0] == '}';
    if (n == 2) return p[0] == 0xC2 && p[1] == 0xBB; /* » */
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x80)
        return p[2] == 0x99 || p[2] == 0x9D || p[2] == 0xBA; /* ’ ” › */
    return 0;
}

static int lower_start(const char *s, const lector_token *t)
{
    if (t->kind != LECTOR_TK_WORD || (t->flags & LECTOR_TF_CAP)) return 0;
    unsigned char c = (unsigned char)s[t->start];
    if (c < 0x80) return c >= 'a' && c <= 'z';
    return 1; /* a non-ASCII word whose first letter is not upper case */
}

static int cap_start(const char *s, const lector_token *t)
{
    (void)s;
    return (t->kind == LECTOR_TK_WORD || t->kind == LECTOR_TK_NUMBER) &&
           (t->flags & LECTOR_TF_CAP);
}

/* The sentence [first, i) holds only a list number: 1 / (1 / 2) */
static int list_number(const char *s, const lector_token *tok, size_t first,
                       size_t i)
{
    int num = 0;
    for (size_t k = first; k < i; k++) {
        const lector_token *t = &tok[k];
        if (t->kind == LECTOR_TK_NUMBER && !num) {
            num = 1;
            continue;
        }
        unsigned char c = (unsigned char)s[t->start];
        if (t->end - t->start == 1 && (c == '(' || c == ')')) continue;
        return 0;
    }
    return num;
}

/* A token that does not fit the text (lector_tokenize never makes one). */
static inline int invalid(const lector_token *t, size_t n)
{
    return t->end > n || t->start > t->end;
}

int lector_sentences(const lector_tokenizer *tk, const char *s, size_t n,
                     const lector_tokens *toks, lector_sentence **out,
                     size_t *count)
{
    if (!tk || !toks || !out || !count || (!s && n)) return LECTOR_EINVAL;
    *out = NULL;
    *count = 0;
    size_t nt = toks->n;
    if (!nt) return LECTOR_OK;
    const lector_token *tok = toks->tok;
    size_t cap = nt / 16 + 16, m = 0;
    lector_sentence *v = malloc(cap * sizeof *v);
    if (!v) return LECTOR_ENOMEM;
    size_t first = 0;
    /* Each token is checked against the text before its bytes are read:
     * in the one pass that skips the tokens that end nothing (not
     * punctuation, no abbreviation, no line end, not the last), or where
     * the rules below look ahead. */
    const unsigned stops =
        LECTOR_TF_ABBREV | LECTOR_TF_LINE_END | LECTOR_TF_PARA_END;
    for (size_t i = 0; i < nt; i++) {
        while (i + 1 < nt) {
            const lector_token *t = &tok[i];
            if (invalid(t, n)) goto bad;
            if (t->kind == LECTOR_TK_PUNCT || (t->flags & stops)) break;
            i++;
        }
        const lector_token *t = &tok[i];
        if (invalid(t, n)) goto bad;
        size_t j = i;
        int end = 0;
        if (terminal(s, t)) {
            /* Glue the punctuation and closing quotes that follow. */
            while (j + 1 < nt && !(tok[j].flags & LECTOR_TF_LINE_END) &&
                   !(tok[j + 1].flags & LECTOR_TF_SPACE_BEFORE)) {
                if (invalid(&tok[j + 1], n)) goto bad;
                if (!terminal(s, &tok[j + 1]) && !closing(s, &tok[j + 1]))
                    break;
                j++;
            }
            if (j + 1 < nt && invalid(&tok[j + 1], n)) goto bad;
            end = j + 1 >= nt || !lower_start(s, &tok[j + 1]);
            if (end && list_number(s, tok, first, i)) end = 0;
        } else if (t->flags & LECTOR_TF_ABBREV) {
            int c = lector__abbrev_class(tk, s + t->start, t->end - t->start);
            while (j + 1 < nt && !(tok[j].flags & LECTOR_TF_LINE_END) &&
                   !(tok[j + 1].flags & LECTOR_TF_SPACE_BEFORE)) {
                if (invalid(&tok[j + 1], n)) goto bad;
                if (!closing(s, &tok[j + 1])) break;
                j++;
            }
            if (j + 1 < nt && invalid(&tok[j + 1], n)) goto bad;
            if (j > i) /* "... the U.S.”" */
                end = j + 1 >= nt || !lower_start(s, &tok[j + 1]);
            else if (c == LECTOR_ABBR_MAYEND)
                end = j + 1 >= nt || cap_start(s, &tok[j + 1]);
        }
        const lector_token *last = &tok[j];
        if (last->flags & LECTOR_TF_PARA_END)
            end = 1;
        else if (last->flags & LECTOR_TF_LINE_END) {
            if (j + 1 < nt && invalid(&tok[j + 1], n)) goto bad;
            if (j + 1 >= nt || !lower_start(s, &tok[j + 1]) ||
                line_length(s, last) < WRAPPED_LINE)
                end = 1;
        }
        if (j + 1 >= nt) end = 1;
        if (!end) {
            i = j;
            continue;
        }
        if (m == cap) {
            lector_sentence *nv = lector__grow(v, &cap, m + 1, sizeof *nv, 16);
            if (!nv) {
                free(v);
                return LECTOR_ENOMEM;
            }
            v = nv;
        }
        v[m].first = (uint32_t)first;
        v[m].last = (uint32_t)j;
        m++;
        first = j + 1;
        i = j;
    }
    *out = v;
    *count = m;
    return LECTOR_OK;
bad:
    free(v);
    return LECTOR_EINVAL;
}
