/* tok_fold: the norm of a new non-ASCII surface, character by character.
 * lector_fold (case fold into NFKD, marks dropped, typographic
 * punctuation unified, NFKC) costs about 7,000 instructions a word in
 * libunistring, and on a first pass over new text every accented word,
 * every CJK character and every curly-quoted token pays it once: 46M
 * instructions of the 1.6G of the distinct corpus's cold pass
 * (tests/bench/RESULTS.md, "Fifth round"). For the scripts where no
 * character composes with the one before it once marks are dropped
 * (Latin, Greek, Cyrillic, General Punctuation, kana, CJK ideographs,
 * Hangul syllables) the fold of a word is the fold of each character in
 * turn, so each character is folded once, by lector_fold itself, and
 * remembered. Anything else (Hangul jamo, the Indic vowel signs that
 * compose, symbols, invalid UTF-8) goes to lector_fold whole. */
#include "lector.h"
#include "tok_internal.h"

#include <stdlib.h>
#include <string.h>

/* One character's fold: len + 1 (0 not known yet, FOLD1_SLOW when longer
 * than FOLD1_BYTES: the word goes to lector_fold) and its bytes. */
#define FOLD1_BYTES 7
#define FOLD1_SLOW  0xFF
typedef struct {
    uint8_t len;
    char b[FOLD1_BYTES];
} fold1;

/* The characters folded one by one, and each one's place in the table
 * (-1 for the others): Latin-1 to Cyrillic, Latin and Greek extended and
 * General Punctuation, CJK punctuation and kana, but the ideographic
 * tone marks (two of them are spacing, so kept, with a combining class,
 * which the normalization orders against the iota a Greek ypogegrammeni
 * folds to). CJK ideographs and Hangul syllables are their own fold.
 * test_tok_fold checks every one of them against lector_fold. */
#define FOLD1_N (0x4B0 + 0x270 + 0x100)
static int per_char(uint32_t c)
{
    if (c >= 0x80 && c < 0x530) return (int)(c - 0x80);
    if (c >= 0x1E00 && c < 0x2070) return (int)(c - 0x1E00 + 0x4B0);
    if (c >= 0x3000 && c < 0x3100 && (c < 0x302A || c > 0x302F))
        return (int)(c - 0x3000 + 0x4B0 + 0x270);
    return -1;
}

static int own_fold(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3);
}

/* The UTF-8 character at s (n > 0 bytes, s[0] >= 0x80) into *c: its
 * length, or 0 when not a well-formed sequence of two or three bytes. */
static size_t utf8_at(const uint8_t *s, size_t n, uint32_t *c)
{
    if (s[0] >= 0xC2 && s[0] <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *c = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] >= 0xE0 && s[0] <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
             (s[2] & 0x3F);
        /* surrogates fall outside every range taken */
        return *c >= 0x800 ? 3 : 0;
    }
    return 0;
}

/* The fold of the character at place k of the table (len bytes at s),
 * made once. */
static const fold1 *fold_of(lector_tokenizer *tk, int k, const uint8_t *s,
                            size_t len)
{
    if (!tk->fold1 && !(tk->fold1 = calloc(FOLD1_N, sizeof(fold1))))
        return NULL;
    fold1 *f = &((fold1 *)tk->fold1)[k];
    if (f->len) return f;
    char *out;
    size_t on;
    if (lector_fold((const char *)s, len, &out, &on) != LECTOR_OK) return NULL;
    if (on <= FOLD1_BYTES) {
        memcpy(f->b, out, on);
        f->len = (uint8_t)(on + 1);
    } else {
        f->len = FOLD1_SLOW;
    }
    free(out);
    return f;
}

int tok_fold_chars(lector_tokenizer *tk, const uint8_t *s, size_t n, char *out,
                   size_t cap, size_t *out_n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint8_t b = s[i];
        if (b < 0x80) {
            if (o == cap) return 0;
            out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        uint32_t c;
        size_t len = utf8_at(s + i, n - i, &c);
        if (!len) return 0;
        if (own_fold(c)) {
            if (cap - o < len) return 0;
            memcpy(out + o, s + i, len);
            o += len;
        } else {
            int k = per_char(c);
            if (k < 0) return 0;
            const fold1 *f = fold_of(tk, k, s + i, len);
            if (!f || f->len == FOLD1_SLOW || cap - o < f->len - 1u) return 0;
            memcpy(out + o, f->b, f->len - 1u);
            o += f->len - 1u;
        }
        i += len;
    }
    *out_n = o;
    return 1;
}

void tok_fold_free(lector_tokenizer *tk)
{
    free(tk->fold1);
    tk->fold1 = NULL;
}
