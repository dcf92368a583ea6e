/* extract_lines.c: lector_lines_next stops at the lines a rule's prefix,
 * length and last byte admit, at short head and tail lines starting with
 * a byte of short_first, at every line from glued on, and nowhere else. */
#include "check.h"
#include "lector.h"

#include <stdint.h>
#include <string.h>

static void set(unsigned char *s, unsigned b)
{
    s[b >> 3] |= (unsigned char)(1u << (b & 7));
}

/* Every stop over text, as "line:offset" joined by ",". */
static const char *stops(lector_line_rules *r, const char *text,
                         lector_lines_at at)
{
    static char buf[256];
    size_t o = 0, pos = 0, len = strlen(text);
    buf[0] = '\0';
    at.line = 0;
    for (;;) {
        pos = lector_lines_next(r, text, len, pos, &at);
        if (pos >= len) break;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%zu:%zu",
                              o ? "," : "", at.line, pos);
        const char *nl = memchr(text + pos, '\n', len - pos);
        pos = nl ? (size_t)(nl - text) + 1 : len;
        at.line++;
    }
    return buf;
}

int main(void)
{
    lector_line_rules *r = lector_line_rules_new();
    CHECK("lines-0 new", r != NULL);
    unsigned char dot[32] = {0}, digits[32] = {0};
    set(dot, '.');
    for (unsigned b = '0'; b <= '9'; b++)
        set(digits, b);
    /* "share this" + anything ending in "."; "%d+ comments" (no prefix,
     * first byte a digit, last "s" only) */
    CHECK_INT("lines-1 add",
              lector_line_rules_add(r, (const unsigned char *)"share this", 10,
                                    NULL, dot),
              LECTOR_OK);
    unsigned char s_[32] = {0};
    set(s_, 's');
    CHECK_INT("lines-2 add, no prefix",
              lector_line_rules_add(r, NULL, 0, digits, s_), LECTOR_OK);
    lector_lines_at at;
    memset(&at, 0, sizeof at);
    at.head = 0;
    at.near = 0;
    at.glued = SIZE_MAX;
    at.max_len = 400;
    at.short_len = 60;
    set(at.short_first, 'b');
    /* lines: 0 "Some text.", 1 "  SHARE This story.  " (trimmed, lowered),
     * 2 "share this" (no "."), 3 "Share thus.", 4 "12 comments",
     * 5 "By Ann", 6 "" */
    const char *t = "Some text.\n  SHARE This story.  \nshare this\n"
                    "Share thus.\n12 comments\nBy Ann\n";
    CHECK_STR("lines-3 rules only", stops(r, t, at), "1:11,4:56");
    at.head = 6;
    CHECK_STR("lines-4 a short head line", stops(r, t, at), "1:11,4:56,5:68");
    at.head = 0;
    at.near = 7;
    CHECK_STR("lines-5 a short line near the end", stops(r, t, at),
              "1:11,4:56,5:68");
    at.near = 0;
    at.short_len = 5;
    at.head = 6;
    CHECK_STR("lines-6 too long for short", stops(r, t, at), "1:11,4:56");
    at.head = 0;
    at.max_len = 11;
    CHECK_STR("lines-7 max_len", stops(r, t, at), "4:56");
    at.max_len = 400;
    at.glued = 44;
    CHECK_STR("lines-8 glued: every line not blank from there", stops(r, t, at),
              "1:11,3:44,4:56,5:68");
    at.glued = SIZE_MAX;
    /* a lower-case letter first never takes a rule with no prefix; the
     * text's last line has no newline */
    CHECK_STR("lines-9 no newline at the end", stops(r, "x\n7 comments", at),
              "1:2");
    CHECK_STR("lines-10 blank lines and spaces", stops(r, " \t\n\f\r\n", at),
              "");
    CHECK_INT("lines-11 from past the end",
              lector_lines_next(r, "abc", 3, 3, &at), 3);
    lector_line_rules_free(r);
    lector_line_rules_free(NULL);
    return check_done();
}
