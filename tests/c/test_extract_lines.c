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

/* What lector_lines_next stops at besides the rules' lines, short_first
 * being "b". */
static lector_lines_at at(size_t head, size_t near, size_t max_len,
                          size_t short_len, size_t glued)
{
    lector_lines_at a = {.head = head,
                         .near = near,
                         .glued = glued,
                         .max_len = max_len,
                         .short_len = short_len};
    set(a.short_first, 'b');
    return a;
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
    /* lines: 0 "Some text.", 1 "  SHARE This story.  " (trimmed, lowered),
     * 2 "share this" (no "."), 3 "Share thus.", 4 "12 comments",
     * 5 "By Ann", 6 "" */
    const char *t = "Some text.\n  SHARE This story.  \nshare this\n"
                    "Share thus.\n12 comments\nBy Ann\n";
    CHECK_STR("lines-3 rules only", stops(r, t, at(0, 0, 400, 60, SIZE_MAX)),
              "1:11,4:56");
    CHECK_STR("lines-4 a short head line",
              stops(r, t, at(6, 0, 400, 60, SIZE_MAX)), "1:11,4:56,5:68");
    CHECK_STR("lines-5 a short line near the end",
              stops(r, t, at(0, 7, 400, 60, SIZE_MAX)), "1:11,4:56,5:68");
    CHECK_STR("lines-6 too long for short",
              stops(r, t, at(6, 0, 400, 5, SIZE_MAX)), "1:11,4:56");
    CHECK_STR("lines-7 max_len", stops(r, t, at(0, 0, 11, 60, SIZE_MAX)),
              "4:56");
    CHECK_STR("lines-8 glued: every line not blank from there",
              stops(r, t, at(0, 0, 400, 60, 44)), "1:11,3:44,4:56,5:68");
    /* a lower-case letter first never takes a rule with no prefix; the
     * text's last line has no newline */
    lector_lines_at plain = at(0, 0, 400, 60, SIZE_MAX);
    CHECK_STR("lines-9 no newline at the end", stops(r, "x\n7 comments", plain),
              "1:2");
    CHECK_STR("lines-10 blank lines and spaces", stops(r, " \t\n\f\r\n", plain),
              "");
    CHECK_INT("lines-11 from past the end",
              lector_lines_next(r, "abc", 3, 3, &plain), 3);
    lector_line_rules_free(r);
    lector_line_rules_free(NULL);
    return check_done();
}
