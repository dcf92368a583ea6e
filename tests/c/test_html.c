/* HTML to text (core/html.c): visible text, breaks, white space, entities,
 * broken markup, charsets, junk, and each metadata source. Every case
 * asserts the exact output. */
#include "check.h"

#include "lector.h"

#include <stdlib.h>

/* The visible text of a NUL-terminated page, or "(rc N)" on failure; the
 * result is a static buffer valid until the next call. */
static const char *text_of(const char *html)
{
    static char res[4096];
    lector_html_doc d;
    int rc = lector_html_text(html, strlen(html), &d);
    if (rc != LECTOR_OK)
        snprintf(res, sizeof res, "(rc %d)", rc);
    else
        snprintf(res, sizeof res, "%s", d.text);
    lector_html_doc_release(&d);
    return res;
}

static void visible_text(void)
{
    CHECK_STR("html-1.1", text_of("<p>Hello <b>bold</b> world</p>"),
              "Hello bold world");
    CHECK_STR("html-1.2",
              text_of("<head><script>var x = '<p>no</p>';</script>"
                      "<style>p { color: red }</style></head>"
                      "<body><script>alert(1)</script>Seen<noscript>no "
                      "script</noscript><template><p>t</p></template>"
                      "</body>"),
              "Seen");
    CHECK_STR("html-1.3", text_of("<p>a</p><p>b</p><h2>c</h2>d"),
              "a\n\nb\n\nc\n\nd");
    CHECK_STR("html-1.4", text_of("<div>a</div><div>b</div><section>c"),
              "a\nb\nc");
    CHECK_STR("html-1.5", text_of("one<br>two<br><br>three"),
              "one\ntwo\n\nthree");
    CHECK_STR("html-1.6", text_of("<ul><li>one</li><li>two</li></ul>after"),
              "one\n\ntwo\n\nafter");
    CHECK_STR("html-1.7",
              text_of("<table><tr><th>k</th><th>v</th></tr>"
                      "<tr><td>a</td><td>1</td></tr></table>"),
              "k\tv\na\t1");
    CHECK_STR("html-1.8", text_of("<blockquote>q</blockquote>x"), "q\n\nx");
    /* Nested inline elements add nothing, not even a space. */
    CHECK_STR(
        "html-1.9",
        text_of("<p>Al-<i>B<b>a</b></i>b <a href='x'><em>now</em></a>.</p>"),
        "Al-Bab now.");
    /* A block inside a paragraph-level block: still one blank line. */
    CHECK_STR("html-1.10", text_of("<div><p>a</p></div><div><p>b</p></div>"),
              "a\n\nb");
    CHECK_STR("html-1.11", text_of("<div>a</div><br><div>b</div>"), "a\n\nb");
}

static void whitespace_and_entities(void)
{
    CHECK_STR("html-2.1", text_of("  <p>\n  a \t\r\n b  </p>\n\n  "), "a b");
    CHECK_STR("html-2.2", text_of("x <span> </span> y"), "x y");
    CHECK_STR("html-2.3",
              text_of("<p>Tom &amp; Jerry &lt;3 &eacute;t&eacute; &#8217; "
                      "&#x2014; &quot;q&quot;</p>"),
              "Tom & Jerry <3 été ’ — \"q\"");
    /* NBSP is text, not collapsible white space. */
    CHECK_STR("html-2.4", text_of("a&nbsp;&nbsp;b"),
              "a\xC2\xA0\xC2\xA0"
              "b");
    /* <pre>: spaces, tabs and line breaks kept; the break after <pre>
     * dropped; CR LF becomes LF; a paragraph break around it. */
    CHECK_STR("html-2.5",
              text_of("<p>before</p><pre>\n  x  =  1\r\n\ty\n</pre>after"),
              "before\n\n  x  =  1\n\ty\n\nafter");
    CHECK_STR("html-2.6", text_of("<pre><b>a</b>  <i>b</i></pre>"), "a  b");
    /* An unknown entity stays as written. */
    CHECK_STR("html-2.7", text_of("AT&T &bogus; x"), "AT&T &bogus; x");
    /* A form feed is white space (libxml2 alone would drop it). */
    CHECK_STR("html-2.8", text_of("<p>a\fb</p><pre>c\fd</pre>"), "a b\n\nc d");
}

static void hidden_content(void)
{
    CHECK_STR("html-3.1", text_of("a<!-- comment -->b"), "ab");
    CHECK_STR("html-3.2", text_of("<p>a</p><div hidden><p>gone</p></div>b"),
              "a\n\nb");
    CHECK_STR("html-3.3",
              text_of("x<span style='color:red; DISPLAY : None !important'>"
                      "gone</span>y<span style='visibility:hidden'>g</span>"),
              "xy");
    /* Only display:none hides: a style that merely mentions it does not. */
    CHECK_STR("html-3.4",
              text_of("<span style='content: \"display:none\"'>kept</span>"),
              "kept");
    /* aria-hidden content is visible on screen, so it is text. */
    CHECK_STR("html-3.5", text_of("<span aria-hidden='true'>icon</span> x"),
              "icon x");
    CHECK_STR("html-3.6",
              text_of("<svg><title>logo</title><text>svg</text></svg>"
                      "<iframe>frame</iframe><select><option>o</option>"
                      "</select>ok"),
              "ok");
}

static void broken_and_junk(void)
{
    CHECK_STR("html-4.1", text_of("<p>unclosed <b>bold"), "unclosed bold");
    CHECK_STR("html-4.2", text_of("<p>a<p>b</i></div></p>c"), "a\n\nb\n\nc");
    CHECK_STR("html-4.3", text_of("<div <p>x</p> < y > z"), "x < y > z");
    CHECK_STR("html-4.4", text_of("just text, no tags"), "just text, no tags");

    lector_html_doc d;
    CHECK_INT("html-4.5", lector_html_text("", 0, &d), LECTOR_OK);
    CHECK("html-4.5b", d.text && d.text_n == 0 && d.text[0] == '\0' &&
                           !d.title && !d.url && d.repairs == 0);
    lector_html_doc_release(&d);
    CHECK_INT("html-4.6", lector_html_text(NULL, 0, &d), LECTOR_OK);
    CHECK("html-4.6b", d.text && d.text_n == 0);
    lector_html_doc_release(&d);
    CHECK_INT("html-4.7", lector_html_text(NULL, 3, &d), LECTOR_EINVAL);
    CHECK("html-4.7b", d.text == NULL && d.errmsg && strstr(d.errmsg, "NULL"));
    lector_html_doc_release(&d);
    CHECK_INT("html-4.8", lector_html_text("x", 1, NULL), LECTOR_EINVAL);
    CHECK_INT("html-4.9",
              lector_html_text("x", (size_t)LECTOR_HTML_MAX + 1, &d),
              LECTOR_ELIMIT);
    CHECK("html-4.9b", d.text == NULL && d.errmsg && strstr(d.errmsg, "1 GiB"));
    lector_html_doc_release(&d);
    lector_html_doc_release(NULL);

    /* Invalid UTF-8 becomes U+FFFD and is counted; NUL bytes too, and
     * they neither end the page nor reach the text. */
    static const char bad[] = "<p>a\xFF"
                              "b\xE2\x80</p><p>c\0d</p>";
    CHECK_INT("html-4.10", lector_html_text(bad, sizeof bad - 1, &d),
              LECTOR_OK);
    CHECK_STR("html-4.10b", d.text,
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD\n\nc\xEF\xBF\xBD"
              "d");
    CHECK_INT("html-4.10c", d.repairs, 3);
    CHECK_INT("html-4.10d", d.text_n, strlen(d.text));
    lector_html_doc_release(&d);

    /* Binary junk: no crash, valid UTF-8 out, no NUL inside. */
    unsigned char junk[4096];
    unsigned s = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        s = s * 1103515245u + 12345u;
        junk[i] = (unsigned char)(s >> 16);
    }
    memcpy(junk + 100, "<p>x</p><script>", 16);
    CHECK_INT("html-4.11",
              lector_html_text((const char *)junk, sizeof junk, &d), LECTOR_OK);
    CHECK("html-4.11b", d.text && strlen(d.text) == d.text_n);
    CHECK_INT("html-4.11c", lector_utf8_check(d.text, d.text_n, NULL, NULL),
              LECTOR_OK);
    lector_html_doc_release(&d);

    /* Deep nesting: the walk does not recurse. */
    size_t depth = 20000;
    char *deep = malloc(depth * 6 + 16);
    if (deep) {
        size_t k = 0;
        for (size_t i = 0; i < depth; i++) {
            memcpy(deep + k, "<div>", 5);
            k += 5;
        }
        memcpy(deep + k, "deep", 5);
        CHECK_STR("html-4.12", text_of(deep), "deep");
        /* Unclosed inline tags nest too: the text after them is kept. */
        k = 0;
        for (size_t i = 0; i < 1000; i++) {
            memcpy(deep + k, "<font>", 6);
            k += 6;
        }
        memcpy(deep + k, "a</font><p>b", 13);
        CHECK_STR("html-4.13", text_of(deep), "a\n\nb");
        free(deep);
    }
}

static void charsets(void)
{
    lector_html_doc d;
    /* windows-1252: 0x92 is a right single quotation mark. */
    static const char w1252[] = "<html><head><meta charset=\"windows-1252\">"
                                "</head><body><p>It\x92s \x93quoted\x94 "
                                "caf\xE9</p></body></html>";
    CHECK_INT("html-5.1", lector_html_text(w1252, sizeof w1252 - 1, &d),
              LECTOR_OK);
    CHECK_STR("html-5.1b", d.text, "It’s “quoted” café");
    CHECK_STR("html-5.1c", d.charset, "windows-1252");
    CHECK_INT("html-5.1d", d.repairs, 0);
    lector_html_doc_release(&d);
    /* The http-equiv form, and ISO-8859-1 read as windows-1252 as
     * browsers do; the declaration may come after the title. */
    static const char latin1[] =
        "<head><title>Caf\xE9</title><meta http-equiv='Content-Type' "
        "content='text/html; charset=ISO-8859-1'></head><p>\x96 x</p>";
    CHECK_INT("html-5.2", lector_html_text(latin1, sizeof latin1 - 1, &d),
              LECTOR_OK);
    CHECK_STR("html-5.2b", d.text, "– x");
    CHECK_STR("html-5.2c", d.title, "Café");
    CHECK_STR("html-5.2d", d.charset, "windows-1252");
    lector_html_doc_release(&d);
    /* A commented-out declaration does not count. */
    static const char commented[] =
        "<!-- <meta charset=windows-1252> --><p>\xE2\x80\x99</p>";
    CHECK_INT("html-5.3", lector_html_text(commented, sizeof commented - 1, &d),
              LECTOR_OK);
    CHECK_STR("html-5.3b", d.text, "’");
    CHECK_STR("html-5.3c", d.charset, "UTF-8");
    lector_html_doc_release(&d);
    /* An unknown charset falls back to UTF-8. */
    static const char unknown[] = "<meta charset='no-such-enc'><p>\xC3\xA9</p>";
    CHECK_INT("html-5.4", lector_html_text(unknown, sizeof unknown - 1, &d),
              LECTOR_OK);
    CHECK_STR("html-5.4b", d.text, "é");
    CHECK_STR("html-5.4c", d.charset, "UTF-8");
    lector_html_doc_release(&d);
    /* A BOM wins over the declaration. */
    static const char bom[] = "\xEF\xBB\xBF<meta charset=windows-1252>"
                              "<p>\xC3\xA9</p>";
    CHECK_INT("html-5.5", lector_html_text(bom, sizeof bom - 1, &d), LECTOR_OK);
    CHECK_STR("html-5.5b", d.text, "é");
    lector_html_doc_release(&d);
    static const char u16[] = "\xFF\xFE<\0p\0>\0\xE9\0!\0";
    CHECK_INT("html-5.6", lector_html_text(u16, sizeof u16 - 1, &d), LECTOR_OK);
    CHECK_STR("html-5.6b", d.text, "é!");
    CHECK_STR("html-5.6c", d.charset, "UTF-16LE");
    lector_html_doc_release(&d);
    /* KOI8-R through iconv. */
    static const char koi8[] =
        "<meta charset=koi8-r><p>\xED\xCF\xD3\xCB\xD7\xC1</p>";
    CHECK_INT("html-5.7", lector_html_text(koi8, sizeof koi8 - 1, &d),
              LECTOR_OK);
    CHECK_STR("html-5.7b", d.text, "Москва");
    lector_html_doc_release(&d);
    /* A page that spells its <meta> in ASCII is not UTF-32, whatever it
     * says: read as UTF-8. */
    static const char u32[] = "<meta charset=UTF-32LE><p>\xC3\xA9</p>";
    CHECK_INT("html-5.8", lector_html_text(u32, sizeof u32 - 1, &d), LECTOR_OK);
    CHECK_STR("html-5.8b", d.text, "é");
    CHECK_STR("html-5.8c", d.charset, "UTF-8");
    lector_html_doc_release(&d);
}

static void metadata(void)
{
    lector_html_doc d;
    static const char page[] =
        "<!DOCTYPE html><html lang=\"en-GB\"><head>"
        "<title>\n  Raqqa  offensive | The Daily\n</title>"
        "<meta name=\"author\" content=\"  Jane   Doe \">"
        "<meta property=\"og:title\" content=\"Raqqa offensive\">"
        "<meta property=\"og:site_name\" content=\"The Daily\">"
        "<meta property=\"article:published_time\" "
        "content=\"2017-06-06T08:00:00Z\">"
        "<meta name=\"date\" content=\"2017-01-01\">"
        "<link rel=\"stylesheet canonical\" "
        "href=\"https://daily.example/raqqa\">"
        "<meta property=\"og:url\" content=\"https://daily.example/og\">"
        "</head><body><time datetime=\"2016-01-01\">then</time></body></html>";
    CHECK_INT("html-6.1", lector_html_text(page, sizeof page - 1, &d),
              LECTOR_OK);
    CHECK_STR("html-6.1a", d.title, "Raqqa offensive");
    CHECK_STR("html-6.1b", d.author, "Jane Doe");
    CHECK_STR("html-6.1c", d.outlet, "The Daily");
    CHECK_STR("html-6.1d", d.published, "2017-06-06T08:00:00Z");
    CHECK_STR("html-6.1e", d.url, "https://daily.example/raqqa");
    CHECK_STR("html-6.1f", d.lang, "en-GB");
    CHECK_STR("html-6.1g", d.text, "then");
    lector_html_doc_release(&d);

    /* Fallbacks, one source at a time. */
    static const char fb[] =
        "<html><head><title>Only &amp; title</title>"
        "<meta property='article:author' content='https://x/jane'>"
        "<meta NAME='Date' content='2017-01-01'>"
        "<meta name='og:url' content='https://daily.example/og'>"
        "<meta http-equiv='content-language' content='ar'>"
        "</head><body><time datetime='2016-01-01'>t</time></body></html>";
    CHECK_INT("html-6.2", lector_html_text(fb, sizeof fb - 1, &d), LECTOR_OK);
    CHECK_STR("html-6.2a", d.title, "Only & title");
    CHECK("html-6.2b", d.author == NULL); /* a profile URL is no name */
    CHECK("html-6.2c", d.outlet == NULL);
    CHECK_STR("html-6.2d", d.published, "2017-01-01");
    CHECK_STR("html-6.2e", d.url, "https://daily.example/og");
    CHECK_STR("html-6.2f", d.lang, "ar");
    lector_html_doc_release(&d);

    static const char fb2[] =
        "<p>x</p><meta itemprop='datePublished' content='2015-05-05'>"
        "<meta property='article:author' content='John Roe'>"
        "<time datetime='2016-01-01'>a</time>";
    CHECK_INT("html-6.3", lector_html_text(fb2, sizeof fb2 - 1, &d), LECTOR_OK);
    CHECK_STR("html-6.3a", d.published, "2015-05-05");
    CHECK_STR("html-6.3b", d.author, "John Roe");
    CHECK("html-6.3c", d.title == NULL && d.url == NULL && d.lang == NULL);
    lector_html_doc_release(&d);

    /* The first <time datetime>; a <time> without one does not count; a
     * <title> inside SVG is no document title; empty content is absent. */
    static const char t[] =
        "<body><svg><title>icon</title></svg><time>now</time>"
        "<time datetime=' 2014-04-04 '>a</time><time datetime='2013'>b</time>"
        "<meta name='author' content='  '></body>";
    CHECK_INT("html-6.4", lector_html_text(t, sizeof t - 1, &d), LECTOR_OK);
    CHECK_STR("html-6.4a", d.published, "2014-04-04");
    CHECK("html-6.4b", d.title == NULL);
    CHECK("html-6.4c", d.author == NULL);
    CHECK_STR("html-6.4d", d.text, "nowab");
    lector_html_doc_release(&d);
}

int main(void)
{
    visible_text();
    whitespace_and_entities();
    hidden_content();
    broken_and_junk();
    charsets();
    metadata();
    return check_done();
}
