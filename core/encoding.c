/* Text that is not UTF-8: recognising UTF-16 (so that it is named as such
 * instead of "invalid UTF-8 at byte 1"), and converting latin1, cp1252,
 * UTF-16 and whatever else iconv knows into UTF-8 for ingest. */
#include "lector.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A byte that is the high byte of a UTF-16 code unit of U+0000..U+1FFF but
 * rarely appears in UTF-8 text: a C0 control other than tab, LF, FF, CR. */
static int rare_control(unsigned char c)
{
    return c <= 0x1F && c != '\t' && c != '\n' && c != '\f' && c != '\r';
}

int lector_guess_utf16(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!s) return 0;
    if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return LECTOR_ENC_UTF16LE | LECTOR_ENC_BOM;
    if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return LECTOR_ENC_UTF16BE | LECTOR_ENC_BOM;
    /* Without a mark, too short a text says nothing: "a\0b\0" is as
     * likely UTF-8 with NUL bytes. */
    if (n < 16 || n % 2 != 0) return 0;
    size_t pairs = (n < 65536 ? n : 65536) / 2;
    size_t hi_le = 0, hi_be = 0; /* high bytes at odd / even offsets */
    for (size_t i = 0; i < pairs; i++) {
        hi_le += rare_control(u[2 * i + 1]);
        hi_be += rare_control(u[2 * i]);
    }
    /* Nearly all high bytes in place, and the other half mostly text. */
    if (hi_le * 10 >= pairs * 9 && hi_be * 2 < pairs) return LECTOR_ENC_UTF16LE;
    if (hi_be * 10 >= pairs * 9 && hi_le * 2 < pairs) return LECTOR_ENC_UTF16BE;
    return 0;
}

int lector_convert_to_utf8(const char *from, const char *s, size_t n,
                           char **out, size_t *out_n, size_t *bad_offset)
{
    if (!from || (!s && n) || !out || !out_n) return LECTOR_EINVAL;
    *out = NULL;
    *out_n = 0;
    const char *enc = from;
    size_t skip = 0;
    int guess = lector_guess_utf16(s, n);
    int utf16 = !strcasecmp(from, "utf-16") || !strcasecmp(from, "utf16");
    if (utf16) {
        /* iconv's "UTF-16" reads a missing BOM as big-endian; Windows
         * writes little-endian. Say which, and drop the BOM ourselves. */
        enc = (guess & LECTOR_ENC_UTF16BE) ? "UTF-16BE" : "UTF-16LE";
        if (guess & LECTOR_ENC_BOM) skip = 2;
    } else if ((!strcasecmp(from, "utf-16le") ||
                !strcasecmp(from, "utf-16be")) &&
               (guess & LECTOR_ENC_BOM)) {
        skip = 2;
    }
    if (n - skip > (SIZE_MAX - 4) / 3) return LECTOR_ELIMIT;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) return LECTOR_EINVAL;
    /* UTF-8 needs at most 3 bytes per input byte (a BMP character from one
     * byte of a single-byte encoding), plus the terminating NUL. */
    size_t cap = (n - skip) * 3 + 4;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return LECTOR_ENOMEM;
    }
    char *in = (char *)s + skip, *o = buf;
    size_t in_left = n - skip, o_left = cap - 1;
    int rc = LECTOR_OK;
    while (in_left > 0) {
        if (iconv(cd, &in, &in_left, &o, &o_left) != (size_t)-1) break;
        if (errno == E2BIG) { /* cannot happen with the bound above */
            rc = LECTOR_ENOMEM;
            break;
        }
        /* EILSEQ: an invalid sequence; EINVAL: one cut off at the end */
        if (bad_offset) *bad_offset = (size_t)(in - s);
        rc = LECTOR_EFORMAT;
        break;
    }
    iconv_close(cd);
    if (rc != LECTOR_OK) {
        free(buf);
        return rc;
    }
    *o = '\0';
    *out = buf;
    *out_n = (size_t)(o - buf);
    return LECTOR_OK;
}
