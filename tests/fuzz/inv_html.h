/* Invariants of HTML to text (core/html.c). See inv.h for the calling
 * convention.
 *
 * Any bytes are a page: lector_html_text must succeed, give valid UTF-8
 * text without NUL bytes or outer white space, metadata that is valid,
 * non-empty, collapsed and trimmed, and the same result twice. The
 * oracle: the input, made valid UTF-8 and escaped into <p>…</p> (and
 * <title>…</title>), must come back as exactly its white-space-collapsed
 * self — no character lost, added or reordered by the parse or the walk. */
#ifndef LECTOR_FUZZ_INV_HTML_H
#define LECTOR_FUZZ_INV_HTML_H

#include "inv.h"

#include <unistr.h>

static int inv_html_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int inv_html_field(const char *what, const char *s)
{
    if (!s) return 1;
    size_t n = strlen(s);
    if (n == 0) return inv_fail("html: %s is empty, not absent", what);
    if (u8_check((const uint8_t *)s, n))
        return inv_fail("html: %s is not valid UTF-8", what);
    if (inv_html_ws((unsigned char)s[0]) ||
        inv_html_ws((unsigned char)s[n - 1]))
        return inv_fail("html: %s is not trimmed", what);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (inv_html_ws(c) && c != ' ')
            return inv_fail("html: %s holds a control white space at %zu", what,
                            i);
        if (c == ' ' && s[i + 1] == ' ')
            return inv_fail("html: %s holds two spaces at %zu", what, i);
    }
    return 1;
}

static int inv_html_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Parses (s, n) into *d and checks the invariants of any result. */
static int inv_html_parse(const char *s, size_t n, lector_html_doc *d)
{
    int rc = lector_html_text(s, n, d);
    if (rc != LECTOR_OK)
        return inv_fail("html: rc %d (%s) for %zu bytes", rc,
                        d->errmsg ? d->errmsg : "no message", n);
    if (!d->text) return inv_fail("html: text is NULL after LECTOR_OK");
    if (strlen(d->text) != d->text_n)
        return inv_fail("html: text_n %zu but a NUL at %zu", d->text_n,
                        strlen(d->text));
    if (u8_check((const uint8_t *)d->text, d->text_n))
        return inv_fail("html: text is not valid UTF-8");
    if (d->text_n > 0 && (d->text[0] == '\n' ||
                          inv_html_ws((unsigned char)d->text[d->text_n - 1])))
        return inv_fail(
            "html: text starts with a line break or ends in white space");
    const char *names[] = {"title",     "author", "outlet",
                           "published", "url",    "lang"};
    const char *vals[] = {d->title,     d->author, d->outlet,
                          d->published, d->url,    d->lang};
    for (int i = 0; i < 6; i++)
        if (!inv_html_field(names[i], vals[i])) return 0;
    return 1;
}

/* The input as text: valid UTF-8, without the characters libxml2 does not
 * carry (the C0 controls but white space, U+FFFE/U+FFFF), escaped between
 * open and close; *plain receives the text unescaped. */
static char *inv_html_wrap(const char *s, size_t n, const char *open,
                           const char *close, char **plain)
{
    char *fixed;
    size_t fixed_n, reps;
    if (lector_utf8_repair(s, n, &fixed, &fixed_n, &reps) != LECTOR_OK)
        return NULL;
    char *p = malloc(fixed_n + 1);
    char *h = malloc(fixed_n * 5 + strlen(open) + strlen(close) + 1);
    if (!p || !h) {
        free(fixed), free(p), free(h);
        return NULL;
    }
    size_t k = 0, j = strlen(open);
    memcpy(h, open, j);
    for (size_t i = 0; i < fixed_n;) {
        ucs4_t uc;
        int len = u8_mbtouc(&uc, (const uint8_t *)fixed + i, fixed_n - i);
        int drop = (uc < 0x20 && !inv_html_ws((unsigned char)uc)) ||
                   uc == 0xFFFE || uc == 0xFFFF;
        if (!drop) {
            memcpy(p + k, fixed + i, (size_t)len);
            k += (size_t)len;
            const char *esc = uc == '&'   ? "&amp;"
                              : uc == '<' ? "&lt;"
                              : uc == '>' ? "&gt;"
                                          : NULL;
            if (esc) {
                memcpy(h + j, esc, strlen(esc));
                j += strlen(esc);
            } else {
                memcpy(h + j, fixed + i, (size_t)len);
                j += (size_t)len;
            }
        }
        i += (size_t)len;
    }
    p[k] = '\0';
    memcpy(h + j, close, strlen(close) + 1);
    free(fixed);
    *plain = p;
    return h;
}

/* (s) with white space runs collapsed to one space, trimmed; fresh. */
static char *inv_html_collapse(const char *s)
{
    size_t n = strlen(s), k = 0;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        if (inv_html_ws((unsigned char)s[i])) {
            space = k > 0;
            continue;
        }
        if (space) out[k++] = ' ';
        space = 0;
        out[k++] = s[i];
    }
    out[k] = '\0';
    return out;
}

static int inv_html_input(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    lector_html_doc a, b;
    int ok = inv_html_parse(s, size, &a);
    if (ok) {
        ok = inv_html_parse(s, size, &b);
        if (ok &&
            (strcmp(a.text, b.text) != 0 || !inv_html_same(a.title, b.title) ||
             !inv_html_same(a.published, b.published) ||
             !inv_html_same(a.url, b.url) || a.repairs != b.repairs ||
             strcmp(a.charset, b.charset) != 0))
            ok = inv_fail("html: two parses of the same page differ");
        lector_html_doc_release(&b);
    }
    lector_html_doc_release(&a);
    if (!ok) return 0;

    /* The oracle, in a paragraph and in the title. */
    static const char *const wraps[][2] = {{"<p>", "</p>"},
                                           {"<title>", "</title>"}};
    for (int w = 0; w < 2 && ok; w++) {
        char *plain = NULL;
        char *page = inv_html_wrap(s, size, wraps[w][0], wraps[w][1], &plain);
        if (!page) return 1; /* out of memory: nothing to check */
        char *want = inv_html_collapse(plain);
        ok = inv_html_parse(page, strlen(page), &a);
        if (ok && want) {
            const char *got = w == 0 ? a.text : a.title;
            /* The text is "" when empty, a field is absent. */
            if (!inv_html_same(got, want[0] || w == 0 ? want : NULL))
                ok = inv_fail(
                    "html: escaped text in %s came back as \"%.200s\", "
                    "want \"%.200s\"",
                    wraps[w][0], got ? got : "(null)", want);
        }
        lector_html_doc_release(&a);
        free(want);
        free(plain);
        free(page);
    }
    return ok;
}

#endif
