/* text.c and intern.c: validation, repair, normalization, folding,
 * offsets, and the intern table. */
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>

static char *fold(const char *s)
{
    static char buf[256];
    char *out;
    size_t n;
    if (lector_fold(s, strlen(s), &out, &n) != LECTOR_OK) return NULL;
    snprintf(buf, sizeof buf, "%s", out);
    lector_free(out);
    return buf;
}

static char *norm(const char *s, int form)
{
    static char buf[256];
    char *out;
    size_t n;
    if (lector_normalize(s, strlen(s), form, &out, &n) != LECTOR_OK)
        return NULL;
    snprintf(buf, sizeof buf, "%s", out);
    lector_free(out);
    return buf;
}

int main(void)
{
    size_t off = 99;
    const char *why = NULL;
    CHECK_INT("text-1.1 valid", lector_utf8_check("Ḥalab", 6, &off, &why),
              LECTOR_OK);
    CHECK_INT("text-1.2 empty", lector_utf8_check("", 0, NULL, NULL), 0);
    CHECK_INT("text-1.3 bad",
              lector_utf8_check("ab\xFF"
                                "c",
                                4, &off, &why),
              LECTOR_EUTF8);
    CHECK_INT("text-1.4 offset", off, 2);
    CHECK_STR("text-1.5 reason", why, "invalid byte");
    lector_utf8_check("abc\xE2\x80", 5, &off, &why);
    CHECK_INT("text-1.6 truncated offset", off, 3);
    CHECK_STR("text-1.7 truncated", why, "truncated sequence at end of input");
    lector_utf8_check("\xC0\xAF", 2, &off, &why);
    CHECK_STR("text-1.8 overlong", why, "overlong encoding");
    lector_utf8_check("x\xED\xA0\x80", 4, &off, &why);
    CHECK_STR("text-1.9 surrogate", why, "surrogate code point");
    CHECK_INT("text-1.10 surrogate offset", off, 1);
    lector_utf8_check("\x80", 1, &off, &why);
    CHECK_STR("text-1.11 continuation", why, "unexpected continuation byte");

    char *out;
    size_t on, fixes;
    CHECK_INT("text-2.1 repair",
              lector_utf8_repair("a\xFF"
                                 "b\xE2\x80",
                                 5, &out, &on, &fixes),
              0);
    CHECK_STR("text-2.2 repaired", out,
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD");
    CHECK_INT("text-2.3 count", fixes, 2);
    CHECK_INT("text-2.4 length", on, 8);
    lector_free(out);
    lector_utf8_repair("ok", 2, &out, &on, &fixes);
    CHECK_STR("text-2.5 valid unchanged", out, "ok");
    CHECK_INT("text-2.6 no repairs", fixes, 0);
    lector_free(out);

    CHECK_STR("text-3.1 NFC", norm("e\xCC\x81", LECTOR_NFC), "\xC3\xA9");
    CHECK_STR("text-3.2 NFD", norm("\xC3\xA9", LECTOR_NFD), "e\xCC\x81");
    CHECK_STR("text-3.3 NFKC",
              norm("\xEF\xAC\x81"
                   "x",
                   LECTOR_NFKC),
              "fix");
    CHECK_STR("text-3.4 NFKD", norm("\xC2\xBD", LECTOR_NFKD),
              "1\xE2\x81\x84"
              "2");
    CHECK_INT("text-3.5 bad form", lector_normalize("a", 1, 9, &out, &on),
              LECTOR_EINVAL);
    CHECK_INT("text-3.6 bad utf8",
              lector_normalize("\xFF", 1, LECTOR_NFC, &out, &on), LECTOR_EUTF8);

    CHECK_STR("text-4.1 Halab", fold("Ḥalab"), "halab");
    CHECK_STR("text-4.2 apostrophe", fold("ISIS’s"), "isis's");
    CHECK_STR("text-4.3 quotes", fold("“Islamic State”"), "\"islamic state\"");
    CHECK_STR("text-4.4 dashes", fold("a–b—c‐d"), "a-b-c-d");
    CHECK_STR("text-4.5 ascii", fold("Al-Bab U.S."), "al-bab u.s.");
    /* ASCII folds A..Z, both ends included, and nothing else */
    CHECK_STR("text-4.5b every ASCII capital",
              fold("ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{"),
              "abcdefghijklmnopqrstuvwxyz@[`{");
    CHECK_STR("text-4.6 NFKC ligature", fold("ﬁnal"), "final");
    CHECK_STR("text-4.7 sharp s", fold("Straße"), "strasse");
    CHECK_STR("text-4.8 accents", fold("Dēir éz-Zōr"), "deir ez-zor");
    CHECK_STR("text-4.9 greek", fold("ΣΊΣΥΦΟΣ"), "σισυφοσ");
    CHECK_STR("text-4.10 arabic kept", fold("دير"), "دير");
    CHECK_STR("text-4.11 empty", fold(""), "");
    CHECK_INT("text-4.12 bad", lector_fold("\xFF", 1, &out, &on), LECTOR_EUTF8);

    const char *s = "aḤb€c"; /* a(1) Ḥ(3) b(1) €(3) c(1) */
    size_t n = strlen(s);
    CHECK_INT("text-5.1 c2b 0", lector_char_to_byte(s, n, 0), 0);
    CHECK_INT("text-5.2 c2b 2", lector_char_to_byte(s, n, 2), 4);
    CHECK_INT("text-5.3 c2b 4", lector_char_to_byte(s, n, 4), 8);
    CHECK_INT("text-5.4 c2b past", lector_char_to_byte(s, n, 40), n);
    CHECK_INT("text-5.5 b2c 4", lector_byte_to_char(s, n, 4), 2);
    CHECK_INT("text-5.6 b2c inside", lector_byte_to_char(s, n, 6), 3);
    CHECK_INT("text-5.7 b2c end", lector_byte_to_char(s, n, n), 5);
    CHECK_INT("text-5.8 b2c inside first", lector_byte_to_char(s, n, 2), 1);

    lector_intern *in = lector_intern_new();
    CHECK("intern-1.1 new", in != NULL);
    int32_t a = lector_intern_add(in, "syria", 5);
    int32_t b = lector_intern_add(in, "aleppo", 6);
    CHECK_INT("intern-1.2 first id", a, 1);
    CHECK_INT("intern-1.3 second id", b, 2);
    CHECK_INT("intern-1.4 again", lector_intern_add(in, "syria", 5), a);
    CHECK_INT("intern-1.5 find", lector_intern_find(in, "aleppo", 6), b);
    CHECK_INT("intern-1.6 missing", lector_intern_find(in, "raqqa", 5), 0);
    CHECK_INT("intern-1.7 empty string", lector_intern_add(in, "", 0), 3);
    size_t len;
    CHECK_STR("intern-1.8 str", lector_intern_str(in, b, &len), "aleppo");
    CHECK_INT("intern-1.9 len", len, 6);
    CHECK("intern-1.10 unknown id", lector_intern_str(in, 99, &len) == NULL);
    CHECK("intern-1.11 id 0", lector_intern_str(in, 0, NULL) == NULL);
    CHECK_INT("intern-1.12 NUL inside", lector_intern_add(in, "a\0b", 3), 4);
    CHECK_INT("intern-1.13 NUL differs", lector_intern_find(in, "a\0c", 3), 0);
    /* Many strings: ids stay dense, strings stay put across growth. */
    const char *first = lector_intern_str(in, a, NULL);
    char key[32];
    int dense = 1;
    for (int i = 0; i < 100000; i++) {
        int k = snprintf(key, sizeof key, "w%d", i);
        if (lector_intern_add(in, key, (size_t)k) != i + 5) dense = 0;
    }
    CHECK("intern-2.1 dense ids", dense);
    CHECK_INT("intern-2.2 count", lector_intern_count(in), 100004);
    CHECK("intern-2.3 stable pointer", lector_intern_str(in, a, NULL) == first);
    int found = 1;
    for (int i = 0; i < 100000; i += 7) {
        int k = snprintf(key, sizeof key, "w%d", i);
        if (lector_intern_find(in, key, (size_t)k) != i + 5) found = 0;
    }
    CHECK("intern-2.4 find after growth", found);
    lector_intern_free(in);
    lector_intern_free(NULL);
    return check_done();
}
