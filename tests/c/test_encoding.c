/* encoding.c: recognising UTF-16 and converting other encodings to UTF-8. */
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>

/* (s, n) converted from `from`, in a static buffer, or NULL on failure
 * (rc and the offset of the bad byte in *rc_out and *bad_out). */
static const char *conv(const char *from, const char *s, size_t n, int *rc_out,
                        size_t *bad_out)
{
    static char buf[256];
    char *out = NULL;
    size_t out_n = 0, bad = 0;
    int rc = lector_convert_to_utf8(from, s, n, &out, &out_n, &bad);
    if (rc_out) *rc_out = rc;
    if (bad_out) *bad_out = bad;
    if (rc != LECTOR_OK) return NULL;
    snprintf(buf, sizeof buf, "%s", out);
    lector_free(out);
    return buf;
}

int main(void)
{
    /* "Ḥalab’s" in UTF-16LE and BE, with and without a byte order mark */
    static const char le_bom[] = "\xFF\xFE\x24\x1E"
                                 "a\0l\0a\0b\0\x19\x20s\0 \0i\0s\0\n";
    static const char be[] = "\x1E\x24\0a\0l\0a\0b\x20\x19\0s\0 \0i\0s\0\n";
    size_t le_n = sizeof le_bom, be_n = sizeof be - 1;
    CHECK_INT("enc-1.1 LE with a BOM", lector_guess_utf16(le_bom, le_n),
              LECTOR_ENC_UTF16LE | LECTOR_ENC_BOM);
    CHECK_INT("enc-1.2 LE without", lector_guess_utf16(le_bom + 2, le_n - 2),
              LECTOR_ENC_UTF16LE);
    CHECK_INT("enc-1.3 BE without", lector_guess_utf16(be, be_n),
              LECTOR_ENC_UTF16BE);
    CHECK_INT(
        "enc-1.4 UTF-8 text",
        lector_guess_utf16("Ḥalab’s is here..", strlen("Ḥalab’s is here..")),
        0);
    CHECK_INT("enc-1.5 short NUL text", lector_guess_utf16("a\0b\0", 4), 0);
    CHECK_INT("enc-1.6 odd length", lector_guess_utf16(be, be_n - 1), 0);
    CHECK_INT("enc-1.7 empty", lector_guess_utf16("", 0), 0);

    CHECK_STR("enc-2.1 utf-16 with a BOM",
              conv("utf-16", le_bom, le_n, NULL, NULL), "Ḥalab’s is\n");
    CHECK_STR("enc-2.2 utf-16 LE guessed",
              conv("utf-16", le_bom + 2, le_n - 2, NULL, NULL), "Ḥalab’s is\n");
    CHECK_STR("enc-2.3 utf-16 BE guessed", conv("UTF-16", be, be_n, NULL, NULL),
              "Ḥalab’s is\n");
    CHECK_STR("enc-2.4 UTF-16LE drops the BOM",
              conv("UTF-16LE", le_bom, le_n, NULL, NULL), "Ḥalab’s is\n");
    CHECK_STR("enc-2.5 latin1", conv("latin1", "caf\xE9", 4, NULL, NULL),
              "café");
    CHECK_STR("enc-2.6 cp1252 quotes",
              conv("cp1252", "\x93Homs\x94 \x96 \x80", 10, NULL, NULL),
              "“Homs” – €");
    int rc = 0;
    size_t bad = 0;
    CHECK("enc-3.1 cp1252 has no 0x81",
          !conv("cp1252", "ab\x81", 3, &rc, &bad));
    CHECK_INT("enc-3.2 ... EFORMAT", rc, LECTOR_EFORMAT);
    CHECK_INT("enc-3.3 ... at offset 2", bad, 2);
    CHECK("enc-3.4 unknown encoding", !conv("no-such-enc", "a", 1, &rc, NULL));
    CHECK_INT("enc-3.5 ... EINVAL", rc, LECTOR_EINVAL);
    CHECK("enc-3.6 cut UTF-16", !conv("UTF-16LE", "a\0b", 3, &rc, &bad));
    CHECK_INT("enc-3.7 ... EFORMAT at 2", rc * 100 + (int)bad,
              LECTOR_EFORMAT * 100 + 2);
    char *out = (char *)1;
    size_t n = 1;
    CHECK_INT("enc-3.8 NULL encoding",
              lector_convert_to_utf8(NULL, "a", 1, &out, &n, NULL),
              LECTOR_EINVAL);
    CHECK_STR("enc-3.9 empty input", conv("latin1", "", 0, NULL, NULL), "");
    return check_done();
}
