/* Invariants of the text core: UTF-8 validation, repair, normalization,
 * folding, offsets, and the tokenizer (tailored and UAX #29, fast path on
 * and off); the sentence splitter is in inv_sentence.h. See inv.h for the
 * calling convention.
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

/* Characters the tailored tokenizer may leave outside every token, as
 * token.c documents for its "space" segments: Unicode White_Space, space
 * separators (Zs), controls (Cc: NUL, ESC, ...) and format characters (Cf:
 * BOM, ZWSP, soft hyphen). Combining marks (M*) may follow one of them in
 * the same gap (UAX #29 attaches them to the preceding character). Every
 * other character must end up inside a token, so no text is lost. */
static int inv_is_gap_char(ucs4_t uc)
{
    return uc_is_property_white_space(uc) ||
           uc_is_general_category(uc, UC_CATEGORY_Zs) ||
           uc_is_general_category(uc, UC_CATEGORY_Cc) ||
           uc_is_general_category(uc, UC_CATEGORY_Cf);
}

/* Checks the bytes [from, to) of valid s hold only gap characters; on
 * failure says which byte, with what (a mode name) and where. */
static int inv_gap_ok(const char *s, size_t n, size_t from, size_t to,
                      const char *mode, const char *where)
{
    int prev_gap = 0;
    for (size_t g = from; g < to;) {
        int len;
        ucs4_t uc = inv_char_at(s, n, g, &len);
        if (inv_is_gap_char(uc))
            prev_gap = 1;
        else if (!(prev_gap && uc_is_general_category(uc, UC_CATEGORY_M)))
            return inv_fail("%s: byte %zu (U+%04X) %s is in no token", mode, g,
                            (unsigned)uc, where);
        g += (size_t)len;
    }
    return 1;
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
                        "(rc %d at %zu)",
                        n, rc, off);
    if (bad != NULL) {
        size_t want = (size_t)(bad - (const uint8_t *)s);
        if (rc != LECTOR_EUTF8)
            return inv_fail("utf8_check: invalid input (first bad byte %zu) "
                            "gave rc %d",
                            want, rc);
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
                          "not kept, followed by U+FFFD",
                          pre);
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
static int inv_tokens(lector_intern *in, const char *s, size_t n, unsigned opts,
                      const lector_tokens *t)
{
    const char *mode = inv_mode_name(opts);
    int uax = (opts & LECTOR_TOK_UAX29) != 0;
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
                          "previous token ending at %zu",
                          mode, i, st, en, pos);
            break;
        }
        if ((s[st] & 0xC0) == 0x80 || (en < n && (s[en] & 0xC0) == 0x80)) {
            ok = inv_fail("%s token %zu: [%zu,%zu) splits a character", mode, i,
                          st, en);
            break;
        }
        /* No token holds a NUL byte (the README's promise), in the
         * tailored modes; a UAX #29 segment is what the standard says. */
        if (!uax && memchr(s + st, 0, en - st)) {
            ok = inv_fail("%s token %zu: [%zu,%zu) holds a NUL byte", mode, i,
                          st, en);
            break;
        }
        /* The gap before this token holds no text. In UAX #29 mode every
         * segment is a token, white space included: no gaps at all. */
        if (uax && st != pos) {
            ok = inv_fail("%s: bytes [%zu,%zu) are in no segment", mode, pos,
                          st);
            break;
        }
        if (!inv_gap_ok(s, n, pos, st, mode, "before a token")) ok = 0;
        if (ok && k->kind == LECTOR_TK_SPACE) {
            if (!uax)
                ok = inv_fail("%s token %zu: SPACE kind outside UAX #29 mode",
                              mode, i);
            else if (!inv_gap_ok(s, n, st, en, mode, "in a SPACE token"))
                ok = 0;
        }
        if (!ok) break;
        if (brk && (brk[st] == 0 && st != 0)) {
            ok = inv_fail("%s token %zu: start %zu is not a UAX #29 break",
                          mode, i, st);
            break;
        }
        if (brk && en < n && brk[en] == 0) {
            ok = inv_fail("%s token %zu: end %zu is not a UAX #29 break", mode,
                          i, en);
            break;
        }
        if (k->kind < LECTOR_TK_WORD || k->kind > LECTOR_TK_SPACE) {
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
                          "say %d",
                          mode, i, st, en, !!(k->flags & LECTOR_TF_NONASCII),
                          nonascii);
            break;
        }
        if (digit && !(k->flags & LECTOR_TF_DIGIT)) {
            ok = inv_fail("%s token %zu [%zu,%zu): has an ASCII digit but no "
                          "DIGIT flag",
                          mode, i, st, en);
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
                          "its text is id %d",
                          mode, i, st, en, k->norm, id);
        lector_free(f);
        pos = en;
    }
    if (ok && uax && pos != n)
        ok = inv_fail("%s: bytes [%zu,%zu) after the last segment", mode, pos,
                      n);
    if (ok) ok = inv_gap_ok(s, n, pos, n, mode, "after the last token");
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

/* The whole text pipeline on any bytes: invalid UTF-8 must be refused with
 * LECTOR_EUTF8 and a message, then the repaired text goes through every
 * tokenizer mode; fast path on and off must agree exactly. */
static int inv_text_pipeline(const char *s0, size_t n0)
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
        if (!inv_tokens(in, s, n, o, &a)) {
            ok = 0;
            break;
        }
        if ((rc = lector_tokenize(tk, s, n, o | LECTOR_TOK_NO_FAST, &b)) !=
            LECTOR_OK) {
            ok = inv_fail("tokenize(%s): rc %d", inv_mode_name(o | 2), rc);
            break;
        }
        if (!inv_same_tokens(m ? "uax29 fast vs no-fast"
                               : "tailored fast vs no-fast",
                             &a, &b)) {
            ok = 0;
            break;
        }
        /* Without norms: the same tokens, every norm 0. */
        if ((rc = lector_tokenize(tk, s, n, o | LECTOR_TOK_NO_NORM, &b)) !=
            LECTOR_OK) {
            ok = inv_fail("tokenize(%s, no-norm): rc %d", inv_mode_name(o), rc);
            break;
        }
        for (size_t i = 0; i < a.n && i < b.n; i++) {
            if (b.tok[i].norm != 0) {
                ok =
                    inv_fail("no-norm token %zu has norm %d", i, b.tok[i].norm);
                break;
            }
            b.tok[i].norm = a.tok[i].norm;
        }
        if (!ok || !inv_same_tokens("norm vs no-norm", &a, &b)) {
            ok = 0;
            break;
        }
    }
    lector_tokens_release(&a);
    lector_tokens_release(&b);
    lector_free(fixed);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return ok;
}

#endif
