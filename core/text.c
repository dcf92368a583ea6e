/* text: UTF-8 validation and repair, Unicode normalization, the folding
 * that defines token equality, and character <-> byte offsets. All the
 * Unicode knowledge comes from libunistring; this file only chains it. */
#include "lector.h"

#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

/* Why the sequence at s[0..n-1] (known to be invalid) is invalid. */
static const char *utf8_reason(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c >= 0x80 && c < 0xC0) return "unexpected continuation byte";
    if (c == 0xC0 || c == 0xC1) return "overlong encoding";
    if (c >= 0xF5) return "invalid byte";
    size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < need; i++) {
        if (i >= n) return "truncated sequence at end of input";
        if ((s[i] & 0xC0) != 0x80) return "truncated sequence";
    }
    if (c == 0xE0 && s[1] < 0xA0) return "overlong encoding";
    if (c == 0xF0 && s[1] < 0x90) return "overlong encoding";
    if (c == 0xED && s[1] >= 0xA0) return "surrogate code point";
    if (c == 0xF4 && s[1] >= 0x90) return "code point beyond U+10FFFF";
    return "invalid sequence";
}

int lector_utf8_check(const char *s, size_t n, size_t *bad_offset,
                      const char **reason)
{
    if (!s && n) return LECTOR_EINVAL;
    const uint8_t *u = (const uint8_t *)s;
    const uint8_t *bad = n ? u8_check(u, n) : NULL;
    if (!bad) return LECTOR_OK;
    if (bad_offset) *bad_offset = (size_t)(bad - u);
    if (reason) *reason = utf8_reason(bad, n - (size_t)(bad - u));
    return LECTOR_EUTF8;
}

int lector_utf8_repair(const char *s, size_t n, char **out, size_t *out_n,
                       size_t *repairs)
{
    if ((!s && n) || !out || !out_n) return LECTOR_EINVAL;
    /* Each invalid byte becomes at most 3 bytes of U+FFFD. */
    if (n > (SIZE_MAX - 1) / 3) return LECTOR_ELIMIT;
    char *buf = malloc(n * 3 + 1);
    if (!buf) return LECTOR_ENOMEM;
    const uint8_t *u = (const uint8_t *)s;
    size_t i = 0, o = 0, fixes = 0;
    while (i < n) {
        const uint8_t *bad = u8_check(u + i, n - i);
        size_t good = bad ? (size_t)(bad - (u + i)) : n - i;
        memcpy(buf + o, s + i, good);
        o += good;
        i += good;
        if (!bad) break;
        /* u8_mbtouc consumes the maximal invalid subpart, so one bad
         * sequence gives one U+FFFD (the W3C/Unicode recommendation). */
        ucs4_t uc;
        int len = u8_mbtouc(&uc, u + i, n - i);
        i += len > 0 ? (size_t)len : 1;
        memcpy(buf + o, "\xEF\xBF\xBD", 3);
        o += 3;
        fixes++;
    }
    buf[o] = '\0';
    *out = buf;
    *out_n = o;
    if (repairs) *repairs = fixes;
    return LECTOR_OK;
}

static uninorm_t form_of(int form)
{
    switch (form) {
    case LECTOR_NFC: return UNINORM_NFC;
    case LECTOR_NFD: return UNINORM_NFD;
    case LECTOR_NFKC: return UNINORM_NFKC;
    case LECTOR_NFKD: return UNINORM_NFKD;
    default: return NULL;
    }
}

/* Copies a libunistring result into a NUL-terminated malloc'ed string. */
static int give(uint8_t *r, size_t rn, char **out, size_t *out_n)
{
    char *buf = malloc(rn + 1);
    if (!buf) {
        free(r);
        return LECTOR_ENOMEM;
    }
    if (rn) memcpy(buf, r, rn);
    buf[rn] = '\0';
    free(r);
    *out = buf;
    *out_n = rn;
    return LECTOR_OK;
}

int lector_normalize(const char *s, size_t n, int form, char **out,
                     size_t *out_n)
{
    uninorm_t nf = form_of(form);
    if (!nf || (!s && n) || !out || !out_n) return LECTOR_EINVAL;
    if (n && u8_check((const uint8_t *)s, n)) return LECTOR_EUTF8;
    size_t rn = 0;
    uint8_t *r = u8_normalize(nf, (const uint8_t *)(n ? s : ""), n, NULL, &rn);
    if (!r) return LECTOR_ENOMEM;
    return give(r, rn, out, out_n);
}

/* The typographic variants fold maps to ASCII, after NFKC and case
 * folding: apostrophes and single quotes, double quotes, dashes. */
static ucs4_t fold_punct(ucs4_t c)
{
    switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0x02BC:
    case 0xFF07: return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0xFF02: return '"';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D: return '-';
    default: return c;
    }
}

int lector_fold(const char *s, size_t n, char **out, size_t *out_n)
{
    if ((!s && n) || !out || !out_n) return LECTOR_EINVAL;
    const uint8_t *u = (const uint8_t *)s;
    /* ASCII is fixed by NFKC and by the mark and punctuation steps, and
     * its case folding is tolower: the common case skips libunistring. */
    size_t i = 0;
    while (i < n && u[i] < 0x80)
        i++;
    if (i == n) {
        char *buf = malloc(n + 1);
        if (!buf) return LECTOR_ENOMEM;
        for (i = 0; i < n; i++) {
            uint8_t c = u[i];
            buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        buf[n] = '\0';
        *out = buf;
        *out_n = n;
        return LECTOR_OK;
    }
    if (u8_check(u, n)) return LECTOR_EUTF8;
    /* Case fold into NFKD so every mark is a separate character, drop the
     * non-spacing and enclosing marks, unify punctuation, recompose. */
    size_t dn = 0;
    uint8_t *d = u8_casefold(u, n, NULL, UNINORM_NFKD, NULL, &dn);
    if (!d) return LECTOR_ENOMEM;
    size_t o = 0;
    for (size_t j = 0; j < dn;) {
        ucs4_t c;
        int len = u8_mbtouc_unsafe(&c, d + j, dn - j);
        j += (size_t)len;
        if (uc_is_general_category(c, UC_CATEGORY_Mn) ||
            uc_is_general_category(c, UC_CATEGORY_Me))
            continue;
        c = fold_punct(c);
        /* The output never grows: a replacement is never longer. */
        o += (size_t)u8_uctomb(d + o, c, (ptrdiff_t)(dn - o));
    }
    size_t rn = 0;
    uint8_t *r =
        u8_normalize(UNINORM_NFKC, o ? d : (const uint8_t *)"", o, NULL, &rn);
    free(d);
    if (!r) return LECTOR_ENOMEM;
    return give(r, rn, out, out_n);
}

size_t lector_char_to_byte(const char *s, size_t n, size_t ci)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t i = 0;
    while (i < n && ci > 0) {
        i++;
        while (i < n && (u[i] & 0xC0) == 0x80)
            i++;
        ci--;
    }
    return i;
}

size_t lector_byte_to_char(const char *s, size_t n, size_t bi)
{
    const uint8_t *u = (const uint8_t *)s;
    if (bi > n) bi = n;
    size_t count = 0;
    for (size_t i = 0; i < bi; i++)
        count += (u[i] & 0xC0) != 0x80;
    /* bi inside a character: that character, not the next one. */
    if (bi < n && (u[bi] & 0xC0) == 0x80 && count > 0) count--;
    return count;
}
