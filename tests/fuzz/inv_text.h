/* Invariants of the text core: UTF-8 validation, repair, normalization,
 * folding, offsets, the tokenizer (tailored and UAX #29, fast path on and
 * off) and the sentence splitter. See inv.h for the calling convention.
 *
 * The oracles are libunistring's own u8_check and u8_wordbreaks: the core
 * is built on them, so these checks are about what lector adds on top —
 * offsets, spans, coverage, folding — not about Unicode tables. */
#ifndef LECTOR_FUZZ_INV_TEXT_H
#define LECTOR_FUZZ_INV_TEXT_H

#include "inv.h"

#include <unictype.h>
#include <unistr.h>
#include <uniwbrk.h>

static int inv_valid(const char *s, size_t n)
{
    return u8_check((const uint8_t *)s, n) == NULL;
}

/* The character starting at byte i of valid (s, n), and its length. */
static ucs4_t inv_char_at(const char *s, size_t n, size_t i, int *len)
{
    ucs4_t uc;
    *len = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
    return uc;
}

/* Bytes the tokenizer may leave outside every token: white space only
 * (Unicode White_Space: spaces, tabs, line ends, NEL, NBSP, ...). Every
 * other character — NUL and other controls, format characters, emoji —
 * must end up inside a token so no text is silently lost. */
static int inv_is_gap_char(ucs4_t uc)
{
    return uc_is_property_white_space(uc);
}

/* ---- UTF-8: check, repair, normalize, fold, offsets ----------------- */

static int inv_utf8(const char *s, size_t n)
{
    const uint8_t *bad = u8_check((const uint8_t *)s, n);
    size_t off = (size_t)-1;
    const char *reason = NULL;
    int rc = lector_utf8_check(s, n, &off, &reason);
    if (bad == NULL && rc != LECTOR_OK)
        return inv_fail("utf8_check: valid input of %zu bytes rejected "
                        "(rc %d at %zu)", n, rc, off);
    if (bad != NULL) {
        size_t want = (size_t)(bad - (const uint8_t *)s);
        if (rc != LECTOR_EUTF8)
            return inv_fail("utf8_check: invalid input (first bad byte %zu) "
                            "gave rc %d", want, rc);
        if (off != want)
            return inv_fail("utf8_check: bad_offset %zu, want %zu", off, want);
        if (!reason || !reason[0])
            return inv_fail("utf8_check: no reason for the bad byte at %zu",
                            want);
    }
    /* The out-parameters are optional. */
    if (lector_utf8_check(s, n, NULL, NULL) != rc)
        return inv_fail("utf8_check: result changes without out-parameters");

    char *out = NULL;
    size_t out_n = 0, repairs = 0;
    rc = lector_utf8_repair(s, n, &out, &out_n, &repairs);
    if (rc != LECTOR_OK) return inv_fail("utf8_repair: rc %d", rc);
    if (!out) return inv_fail("utf8_repair: NULL output");
    int ok = 1;
    if (out[out_n] != '\0')
        ok = inv_fail("utf8_repair: output not NUL-terminated");
    else if (!inv_valid(out, out_n))
        ok = inv_fail("utf8_repair: output is not valid UTF-8");
    else if ((repairs == 0) != (bad == NULL))
        ok = inv_fail("utf8_repair: %zu repairs of %s input", repairs,
                      bad ? "invalid" : "valid");
    else if (!bad && (out_n != n || memcmp(out, s, n) != 0))
        ok = inv_fail("utf8_repair: valid input was changed");
    else if (bad) {
        size_t pre = (size_t)(bad - (const uint8_t *)s);
        if (out_n < pre + 3 || memcmp(out, s, pre) != 0 ||
            memcmp(out + pre, "\xEF\xBF\xBD", 3) != 0)
            ok = inv_fail("utf8_repair: the valid prefix of %zu bytes is "
                          "not kept, followed by U+FFFD", pre);
    }
    if (ok && bad) {
        /* Repairing a repaired text changes nothing. */
        char *again = NULL;
        size_t again_n = 0, again_r = 0;
        if (lector_utf8_repair(out, out_n, &again, &again_n, &again_r) !=
                LECTOR_OK ||
            again_r != 0 || again_n != out_n || memcmp(again, out, out_n))
            ok = inv_fail("utf8_repair: not idempotent");
        lector_free(again);
    }
    lector_free(out);
    if (!ok) return 0;
    if (bad) {
        /* Functions documented for valid input must refuse, not crash. */
        char *o = NULL;
        size_t on = 0;
        rc = lector_fold(s, n, &o, &on);
        if (rc == LECTOR_OK && !inv_valid(o, on))
            ok = inv_fail("fold: invalid input gave invalid output");
        lector_free(o);
        o = NULL;
        rc = lector_normalize(s, n, LECTOR_NFC, &o, &on);
        if (ok && rc == LECTOR_OK && !inv_valid(o, on))
            ok = inv_fail("normalize: invalid input gave invalid output");
        lector_free(o);
        return ok;
    }

    for (int form = LECTOR_NFC; form <= LECTOR_NFKD && ok; form++) {
        char *a = NULL, *b = NULL;
        size_t an = 0, bn = 0;
        if ((rc = lector_normalize(s, n, form, &a, &an)) != LECTOR_OK)
            ok = inv_fail("normalize(form %d): rc %d on valid input", form, rc);
        else if (!inv_valid(a, an))
            ok = inv_fail("normalize(form %d): invalid output", form);
        else if (lector_normalize(a, an, form, &b, &bn) != LECTOR_OK ||
                 bn != an || memcmp(a, b, an) != 0)
            ok = inv_fail("normalize(form %d): not idempotent", form);
        lector_free(a);
        lector_free(b);
    }
    if (!ok) return 0;

    char *f1 = NULL, *f2 = NULL;
    size_t f1n = 0, f2n = 0;
    if ((rc = lector_fold(s, n, &f1, &f1n)) != LECTOR_OK)
        ok = inv_fail("fold: rc %d on valid input", rc);
    else if (!inv_valid(f1, f1n))
        ok = inv_fail("fold: invalid output");
    else if (lector_fold(f1, f1n, &f2, &f2n) != LECTOR_OK || f2n != f1n ||
             memcmp(f1, f2, f1n) != 0)
        ok = inv_fail("fold: not idempotent (fold(fold(x)) != fold(x))");
    lector_free(f1);
    lector_free(f2);
    if (!ok) return 0;

    /* Offsets: character i starts at the byte char_to_byte gives, and
     * every byte of it maps back to i. Checked over the first 512
     * characters to keep the cost linear. */
    size_t b = 0, ci = 0;
    while (b < n && ci < 512) {
        int len;
        inv_char_at(s, n, b, &len);
        size_t got = lector_char_to_byte(s, n, ci);
        if (got != b)
            return inv_fail("char_to_byte(%zu) = %zu, want %zu", ci, got, b);
        for (int k = 0; k < len; k++) {
            size_t c = lector_byte_to_char(s, n, b + (size_t)k);
            if (c != ci)
                return inv_fail("byte_to_char(%zu) = %zu, want %zu",
                                b + (size_t)k, c, ci);
        }
        b += (size_t)len;
        ci++;
    }
    if (b == n) {
        if (lector_char_to_byte(s, n, ci) != n ||
            lector_char_to_byte(s, n, ci + 7) != n)
            return inv_fail("char_to_byte past the end is not n (%zu)", n);
        if (lector_byte_to_char(s, n, n) != ci)
            return inv_fail("byte_to_char(n) = %zu, want %zu",
                            lector_byte_to_char(s, n, n), ci);
    }
    return 1;
}

/* ---- tokens --------------------------------------------------------- */

static const char *inv_mode_name(unsigned opts)
{
    switch (opts & (LECTOR_TOK_UAX29 | LECTOR_TOK_NO_FAST)) {
    case 0: return "tailored";
    case LECTOR_TOK_NO_FAST: return "tailored/no-fast";
    case LECTOR_TOK_UAX29: return "uax29";
    default: return "uax29/no-fast";
    }
}

/* Token spans of valid (s, n) are in bounds, non-empty, ordered and
 * non-overlapping, start and end on character boundaries, and cover every
 * byte that is not white space; kinds are known, the norm id is the
 * interned lector_fold of the token's text, and the byte-level flags
 * agree with the bytes. In UAX #29 mode every span edge is a word break. */
static int inv_tokens(lector_intern *in, const char *s, size_t n,
                      unsigned opts, const lector_tokens *t)
{
    const char *mode = inv_mode_name(opts);
    uint8_t *brk = NULL;
    if ((opts & LECTOR_TOK_UAX29) && n > 0) {
        brk = malloc(n);
        if (!brk) return inv_fail("out of memory in the check");
        u8_wordbreaks((const uint8_t *)s, n, (char *)brk);
    }
    int ok = 1;
    size_t pos = 0; /* end of the previous token */
    for (size_t i = 0; i < t->n && ok; i++) {
        const lector_token *k = &t->tok[i];
        size_t st = k->start, en = k->end;
        if (st >= en || en > n) {
            ok = inv_fail("%s token %zu: span [%zu,%zu) out of bounds (n=%zu)",
                          mode, i, st, en, n);
            break;
        }
        if (st < pos) {
            ok = inv_fail("%s token %zu: [%zu,%zu) overlaps or precedes the "
                          "previous token ending at %zu", mode, i, st, en, pos);
            break;
        }
        if ((s[st] & 0xC0) == 0x80 || (en < n && (s[en] & 0xC0) == 0x80)) {
            ok = inv_fail("%s token %zu: [%zu,%zu) splits a character",
                          mode, i, st, en);
            break;
        }
        /* The gap before this token is white space only. */
        for (size_t g = pos; g < st;) {
            int len;
            ucs4_t uc = inv_char_at(s, n, g, &len);
            if (!inv_is_gap_char(uc)) {
                ok = inv_fail("%s: byte %zu (U+%04X) is in no token", mode, g,
                              (unsigned)uc);
                break;
            }
            g += (size_t)len;
        }
        if (!ok) break;
        if (brk && (brk[st] == 0 && st != 0)) {
            ok = inv_fail("%s token %zu: start %zu is not a UAX #29 break",
                          mode, i, st);
            break;
        }
        if (brk && en < n && brk[en] == 0) {
            ok = inv_fail("%s token %zu: end %zu is not a UAX #29 break",
                          mode, i, en);
            break;
        }
        if (k->kind < LECTOR_TK_WORD || k->kind > LECTOR_TK_OTHER) {
            ok = inv_fail("%s token %zu: unknown kind %u", mode, i, k->kind);
            break;
        }
        int nonascii = 0, digit = 0;
        for (size_t b = st; b < en; b++) {
            if ((unsigned char)s[b] >= 0x80) nonascii = 1;
            if (s[b] >= '0' && s[b] <= '9') digit = 1;
        }
        if (nonascii != !!(k->flags & LECTOR_TF_NONASCII)) {
            ok = inv_fail("%s token %zu [%zu,%zu): NONASCII flag %d, bytes "
                          "say %d", mode, i, st, en,
                          !!(k->flags & LECTOR_TF_NONASCII), nonascii);
            break;
        }
        if (digit && !(k->flags & LECTOR_TF_DIGIT)) {
            ok = inv_fail("%s token %zu [%zu,%zu): has an ASCII digit but no "
                          "DIGIT flag", mode, i, st, en);
            break;
        }
        char *f = NULL;
        size_t fn = 0;
        if (lector_fold(s + st, en - st, &f, &fn) != LECTOR_OK) {
            ok = inv_fail("%s token %zu: fold of its text fails", mode, i);
            break;
        }
        int32_t id = lector_intern_find(in, f, fn);
        if (id <= 0 || id != k->norm)
            ok = inv_fail("%s token %zu [%zu,%zu): norm id %d, but the fold of "
                          "its text is id %d", mode, i, st, en, k->norm, id);
        lector_free(f);
        pos = en;
    }
    for (size_t g = pos; ok && g < n;) {
        int len;
        ucs4_t uc = inv_char_at(s, n, g, &len);
        if (!inv_is_gap_char(uc))
            ok = inv_fail("%s: byte %zu (U+%04X) after the last token is in "
                          "no token", mode, g, (unsigned)uc);
        g += (size_t)len;
    }
    free(brk);
    return ok;
}

static int inv_same_tokens(const char *what, const lector_tokens *a,
                           const lector_tokens *b)
{
    if (a->n != b->n)
        return inv_fail("%s: %zu tokens vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const lector_token *x = &a->tok[i], *y = &b->tok[i];
        if (x->start != y->start || x->end != y->end || x->norm != y->norm ||
            x->flags != y->flags || x->kind != y->kind)
            return inv_fail("%s: token %zu differs: [%u,%u) norm %d kind %u "
                            "flags %#x vs [%u,%u) norm %d kind %u flags %#x",
                            what, i, x->start, x->end, x->norm, x->kind,
                            x->flags, y->start, y->end, y->norm, y->kind,
                            y->flags);
    }
    return 1;
}

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

/* The whole text pipeline on any bytes: invalid UTF-8 must be refused with
 * LECTOR_EUTF8 and a message, then the repaired text goes through every
 * tokenizer mode; fast path on and off must agree exactly, and sentences
 * must partition the tailored tokens. with_sentences = 0 skips those. */
static int inv_text_pipeline(const char *s0, size_t n0, int with_sentences)
{
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    if (!tk) {
        lector_intern_free(in);
        return inv_fail("tokenizer_new failed");
    }
    lector_tokens a, b;
    lector_tokens_init(&a);
    lector_tokens_init(&b);
    char *fixed = NULL;
    const char *s = s0;
    size_t n = n0;
    int ok = 1, rc;

    if (!inv_valid(s0, n0)) {
        rc = lector_tokenize(tk, s0, n0, 0, &a);
        if (rc != LECTOR_EUTF8)
            ok = inv_fail("tokenize: invalid UTF-8 gave rc %d, want EUTF8", rc);
        else if (!inv_errmsg("tokenize", lector_tokenizer_errmsg(tk)))
            ok = 0;
        size_t reps;
        if (ok && lector_utf8_repair(s0, n0, &fixed, &n, &reps) != LECTOR_OK)
            ok = inv_fail("utf8_repair failed");
        s = fixed;
    }
    static const unsigned modes[] = {0, LECTOR_TOK_UAX29};
    for (int m = 0; m < 2 && ok; m++) {
        unsigned o = modes[m];
        if ((rc = lector_tokenize(tk, s, n, o, &a)) != LECTOR_OK) {
            ok = inv_fail("tokenize(%s): rc %d on valid input: %s",
                          inv_mode_name(o), rc, lector_tokenizer_errmsg(tk));
            break;
        }
        if (!inv_tokens(in, s, n, o, &a)) { ok = 0; break; }
        if ((rc = lector_tokenize(tk, s, n, o | LECTOR_TOK_NO_FAST, &b)) !=
            LECTOR_OK) {
            ok = inv_fail("tokenize(%s): rc %d", inv_mode_name(o | 2), rc);
            break;
        }
        if (!inv_same_tokens(m ? "uax29 fast vs no-fast"
                               : "tailored fast vs no-fast", &a, &b)) {
            ok = 0;
            break;
        }
        if (m == 0 && with_sentences) {
            lector_sentence *sv = NULL;
            size_t count = 0;
            rc = lector_sentences(tk, s, n, &a, &sv, &count);
            if (rc != LECTOR_OK)
                ok = inv_fail("sentences: rc %d", rc);
            else
                ok = inv_sentences(sv, count, a.n);
            lector_free(sv);
        }
    }
    lector_tokens_release(&a);
    lector_tokens_release(&b);
    lector_free(fixed);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return ok;
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
