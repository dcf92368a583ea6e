/* HTML to visible text and head metadata, through libxml2's HTML parser.
 *
 * The input is decoded first (BOM, else the charset a <meta> declares,
 * else UTF-8 with invalid sequences and NUL bytes repaired to U+FFFD), so
 * libxml2 never meets bytes it would silently reinterpret as Latin-1. The
 * parsed tree is then walked without recursion (a deep document cannot
 * exhaust the stack), writing text with browser-like rules: invisible
 * elements dropped, block elements giving line or paragraph breaks, white
 * space collapsed outside <pre>. The rules are in core/README.md ("HTML").
 *
 * libxml2 reports encoding problems through its thread-local generic error
 * handler, which prints by default; each parse swaps in a silent handler
 * and restores the caller's afterwards. xmlInitParser runs once
 * (pthread_once); xmlCleanupParser is never called, since the host may use
 * libxml2 itself. */
#include "common.h"
#include "lector.h"

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- output buffer ---------------------------------------------------- */

typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} buf;

static void buf_put(buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        char *p = lector__grow(b->p, &b->cap, b->n + n + 1, 1, 256);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* HTML's ASCII white space: what collapses outside <pre>. NBSP and the
 * other Unicode spaces are text and are kept. */
static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A fresh copy of s with white space runs collapsed to one space and the
 * ends trimmed; NULL when nothing is left (or out of memory: *oom set). */
static char *collapse(const char *s, int *oom)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out) {
        *oom = 1;
        return NULL;
    }
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_ws(c)) {
            space = k > 0;
            continue;
        }
        if (space) out[k++] = ' ';
        space = 0;
        out[k++] = (char)c;
    }
    out[k] = '\0';
    if (k == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* ---- charset: BOM, then <meta charset>, then UTF-8 --------------------- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq_n(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn) return 0;
    for (size_t i = 0; i < an; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return 0;
    return 1;
}

static int starts_i(const char *s, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    return n >= k && ieq_n(s, k, pre);
}

/* One attribute of a tag being scanned: name and value as byte ranges. */
typedef struct {
    const char *name, *val;
    size_t name_n, val_n;
} raw_attr;

/* Reads the next attribute of a tag from s[*i..n); 0 at '>' or the end
 * (leaving *i past the '>'). Follows the HTML5 attribute syntax closely
 * enough that a quoted '>' does not end the tag. */
static int next_attr(const char *s, size_t n, size_t *i, raw_attr *a)
{
    size_t k = *i;
    while (k < n && (is_ws((unsigned char)s[k]) || s[k] == '/'))
        k++;
    if (k >= n || s[k] == '>') {
        *i = k < n ? k + 1 : n;
        return 0;
    }
    a->name = s + k;
    while (k < n && !is_ws((unsigned char)s[k]) && s[k] != '=' && s[k] != '>' &&
           s[k] != '/')
        k++;
    a->name_n = (size_t)(s + k - a->name);
    a->val = s + k;
    a->val_n = 0;
    while (k < n && is_ws((unsigned char)s[k]))
        k++;
    if (k < n && s[k] == '=') {
        k++;
        while (k < n && is_ws((unsigned char)s[k]))
            k++;
        if (k < n && (s[k] == '"' || s[k] == '\'')) {
            char q = s[k++];
            a->val = s + k;
            while (k < n && s[k] != q)
                k++;
            a->val_n = (size_t)(s + k - a->val);
            if (k < n) k++;
        } else {
            a->val = s + k;
            while (k < n && !is_ws((unsigned char)s[k]) && s[k] != '>')
                k++;
            a->val_n = (size_t)(s + k - a->val);
        }
    }
    *i = k;
    return 1;
}

/* The charset named in a Content-Type value ("text/html; charset=x"). */
static int charset_in_content(const char *s, size_t n, const char **cs,
                              size_t *cs_n)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if (!starts_i(s + i, n - i, "charset")) continue;
        size_t k = i + 7;
        while (k < n && is_ws((unsigned char)s[k]))
            k++;
        if (k >= n || s[k] != '=') continue;
        k++;
        while (k < n && is_ws((unsigned char)s[k]))
            k++;
        if (k < n && (s[k] == '"' || s[k] == '\'')) k++;
        size_t start = k;
        while (k < n && !is_ws((unsigned char)s[k]) && s[k] != ';' &&
               s[k] != '"' && s[k] != '\'')
            k++;
        if (k == start) return 0;
        *cs = s + start;
        *cs_n = k - start;
        return 1;
    }
    return 0;
}

/* The HTML5 "prescan": the first <meta charset=x> or <meta http-equiv=
 * "Content-Type" content="...charset=x"> within the first PRESCAN bytes,
 * skipping comments and other tags. Returns 0 when there is none. */
enum { PRESCAN = 8192 };

static int prescan_charset(const char *s, size_t n, const char **cs,
                           size_t *cs_n)
{
    if (n > PRESCAN) n = PRESCAN;
    size_t i = 0;
    while (i < n) {
        if (s[i] != '<') {
            i++;
            continue;
        }
        if (starts_i(s + i, n - i, "<!--")) {
            size_t k = i + 4;
            while (k < n && !(k + 3 <= n && memcmp(s + k, "-->", 3) == 0))
                k++;
            i = k + 3;
            continue;
        }
        if (starts_i(s + i, n - i, "<meta") && i + 5 < n &&
            (is_ws((unsigned char)s[i + 5]) || s[i + 5] == '/')) {
            size_t k = i + 5;
            raw_attr a;
            const char *content = NULL, *charset = NULL;
            size_t content_n = 0, charset_n = 0;
            int pragma = 0;
            while (next_attr(s, n, &k, &a)) {
                if (ieq_n(a.name, a.name_n, "charset") && !charset) {
                    charset = a.val;
                    charset_n = a.val_n;
                } else if (ieq_n(a.name, a.name_n, "http-equiv")) {
                    pragma = ieq_n(a.val, a.val_n, "content-type");
                } else if (ieq_n(a.name, a.name_n, "content") && !content) {
                    content = a.val;
                    content_n = a.val_n;
                }
            }
            i = k;
            if (charset && charset_n > 0) {
                *cs = charset;
                *cs_n = charset_n;
                return 1;
            }
            if (pragma && content &&
                charset_in_content(content, content_n, cs, cs_n))
                return 1;
            continue;
        }
        if (i + 1 < n && (lower((unsigned char)s[i + 1]) >= 'a' &&
                          lower((unsigned char)s[i + 1]) <= 'z')) {
            size_t k = i + 1;
            raw_attr a;
            while (k < n && !is_ws((unsigned char)s[k]) && s[k] != '>')
                k++;
            while (next_attr(s, n, &k, &a))
                ;
            i = k;
            continue;
        }
        if (i + 1 < n &&
            (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
            size_t k = i + 2;
            while (k < n && s[k] != '>')
                k++;
            i = k + 1;
            continue;
        }
        i++;
    }
    return 0;
}

/* The encoding to hand libxml2 for a declared charset name, following the
 * WHATWG Encoding Standard where it differs from iconv: Latin-1 and ASCII
 * labels mean windows-1252, a UTF-16 or UTF-32 label in a byte-scanned
 * <meta> means UTF-8. Writes into name (cap bytes); returns 0 for UTF-8. */
static int choose_encoding(const char *cs, size_t cs_n, char *name, size_t cap)
{
    while (cs_n > 0 && is_ws((unsigned char)*cs))
        cs++, cs_n--;
    while (cs_n > 0 && is_ws((unsigned char)cs[cs_n - 1]))
        cs_n--;
    if (cs_n == 0 || cs_n >= cap) return 0;
    for (size_t i = 0; i < cs_n; i++) {
        int c = lower((unsigned char)cs[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.' || c == ':'))
            return 0;
        name[i] = (char)c;
    }
    name[cs_n] = '\0';
    static const char *const win1252[] = {
        "iso-8859-1", "iso8859-1",  "iso_8859-1",  "latin1",         "l1",
        "us-ascii",   "ascii",      "cp1252",      "x-cp1252",       "cp819",
        "ibm819",     "iso-ir-100", "csisolatin1", "iso_8859-1:1987"};
    for (size_t i = 0; i < sizeof win1252 / sizeof *win1252; i++)
        if (strcmp(name, win1252[i]) == 0) {
            strcpy(name, "windows-1252");
            return 1;
        }
    /* A page whose bytes spell "<meta charset=...>" in ASCII is not in a
     * wide or 7-bit Unicode form, whatever it claims. */
    static const char *const as_utf8[] = {
        "utf-8",  "utf8",   "unicode-1-1-utf-8",
        "utf-16", "utf16",  "utf-32",
        "utf32",  "ucs-2",  "ucs2",
        "ucs-4",  "ucs4",   "utf-7",
        "utf7",   "unicode"};
    for (size_t i = 0; i < sizeof as_utf8 / sizeof *as_utf8; i++)
        if (strncmp(name, as_utf8[i], strlen(as_utf8[i])) == 0) return 0;
    /* Only an encoding libxml2 (or iconv behind it) can decode. */
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);
    if (!h) return 0;
    xmlCharEncCloseFunc(h);
    return 1;
}

/* ---- the tree walk ----------------------------------------------------- */

enum {
    K_INLINE = 0,
    K_SKIP,  /* not rendered: script, style, head, ... */
    K_INERT, /* not rendered, and no document metadata inside (svg, template) */
    K_LINE,  /* a line break before and after */
    K_PARA,  /* a blank line before and after */
    K_PRE,   /* a paragraph whose white space is kept */
    K_CELL,  /* a tab before (table cells) */
    K_BR     /* one more line break */
};

typedef struct {
    const char *name;
    int kind;
} kind_entry;

static const kind_entry kinds[] = {
    /* sorted by name: bsearch */
    {"address", K_LINE},    {"applet", K_SKIP},     {"article", K_LINE},
    {"aside", K_LINE},      {"audio", K_SKIP},      {"base", K_SKIP},
    {"blockquote", K_PARA}, {"body", K_LINE},       {"br", K_BR},
    {"canvas", K_SKIP},     {"caption", K_LINE},    {"center", K_LINE},
    {"datalist", K_SKIP},   {"dd", K_LINE},         {"details", K_LINE},
    {"dialog", K_LINE},     {"dir", K_PARA},        {"div", K_LINE},
    {"dl", K_PARA},         {"dt", K_LINE},         {"embed", K_SKIP},
    {"fieldset", K_LINE},   {"figcaption", K_LINE}, {"figure", K_PARA},
    {"footer", K_LINE},     {"form", K_LINE},       {"frameset", K_SKIP},
    {"h1", K_PARA},         {"h2", K_PARA},         {"h3", K_PARA},
    {"h4", K_PARA},         {"h5", K_PARA},         {"h6", K_PARA},
    {"head", K_SKIP},       {"header", K_LINE},     {"hgroup", K_LINE},
    {"hr", K_PARA},         {"iframe", K_SKIP},     {"legend", K_LINE},
    {"li", K_PARA},         {"link", K_SKIP},       {"listing", K_PRE},
    {"main", K_LINE},       {"map", K_SKIP},        {"math", K_INERT},
    {"menu", K_PARA},       {"meta", K_SKIP},       {"nav", K_LINE},
    {"noembed", K_SKIP},    {"noframes", K_SKIP},   {"noscript", K_SKIP},
    {"object", K_SKIP},     {"ol", K_PARA},         {"option", K_SKIP},
    {"p", K_PARA},          {"param", K_SKIP},      {"plaintext", K_PRE},
    {"pre", K_PRE},         {"rp", K_SKIP},         {"script", K_SKIP},
    {"section", K_LINE},    {"select", K_SKIP},     {"source", K_SKIP},
    {"style", K_SKIP},      {"summary", K_LINE},    {"svg", K_INERT},
    {"table", K_PARA},      {"td", K_CELL},         {"template", K_INERT},
    {"textarea", K_SKIP},   {"th", K_CELL},         {"title", K_SKIP},
    {"tr", K_LINE},         {"track", K_SKIP},      {"ul", K_PARA},
    {"video", K_SKIP},      {"xmp", K_PRE},
};

static int kind_cmp(const void *key, const void *elt)
{
    return strcmp((const char *)key, ((const kind_entry *)elt)->name);
}

static int kind_of(const xmlChar *name)
{
    const void *hit = bsearch(name, kinds, sizeof kinds / sizeof *kinds,
                              sizeof *kinds, kind_cmp);
    return hit ? ((const kind_entry *)hit)->kind : K_INLINE;
}

/* The value of attribute name (attribute names are lower case in libxml2's
 * HTML trees), borrowed; "" for an attribute without a value; NULL when
 * absent. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, name) != 0) continue;
        if (a->children && a->children->type == XML_TEXT_NODE &&
            a->children->content)
            return (const char *)a->children->content;
        return "";
    }
    return NULL;
}

/* Case-insensitive equality with s trimmed of white space. */
static int ieq_trim(const char *s, const char *want)
{
    while (is_ws((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_ws((unsigned char)s[n - 1]))
        n--;
    return ieq_n(s, n, want);
}

/* Is the space-separated token list s holding want (case-insensitively)? */
static int has_token(const char *s, const char *want)
{
    size_t i = 0, n = strlen(s);
    while (i < n) {
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < n && !is_ws((unsigned char)s[i]))
            i++;
        if (i > start && ieq_n(s + start, i - start, want)) return 1;
    }
    return 0;
}

/* An inline style that hides the element: display:none or
 * visibility:hidden among its declarations (no CSS engine: only the
 * element's own style attribute is read). */
static int style_hides(const char *s)
{
    while (*s) {
        const char *decl = s;
        while (*s && *s != ';')
            s++;
        const char *colon = memchr(decl, ':', (size_t)(s - decl));
        if (colon) {
            const char *p = decl, *pe = colon, *v = colon + 1, *ve = s;
            while (p < pe && is_ws((unsigned char)*p))
                p++;
            while (pe > p && is_ws((unsigned char)pe[-1]))
                pe--;
            while (v < ve && is_ws((unsigned char)*v))
                v++;
            while (ve > v && is_ws((unsigned char)ve[-1]))
                ve--;
            /* "none !important" counts as none. */
            const char *bang = memchr(v, '!', (size_t)(ve - v));
            if (bang) {
                ve = bang;
                while (ve > v && is_ws((unsigned char)ve[-1]))
                    ve--;
            }
            if ((ieq_n(p, (size_t)(pe - p), "display") &&
                 ieq_n(v, (size_t)(ve - v), "none")) ||
                (ieq_n(p, (size_t)(pe - p), "visibility") &&
                 ieq_n(v, (size_t)(ve - v), "hidden")))
                return 1;
        }
        if (*s) s++;
    }
    return 0;
}

/* Metadata candidates, by source; the first of each kind in document
 * order is kept, and lector_html_text picks among them by priority. */
enum {
    M_TITLE_TAG,
    M_OG_TITLE,
    M_AUTHOR,
    M_ARTICLE_AUTHOR,
    M_SITE_NAME,
    M_PUBLISHED_TIME,
    M_NAME_DATE,
    M_ITEMPROP_DATE,
    M_TIME,
    M_CANONICAL,
    M_OG_URL,
    M_LANG,
    M_CONTENT_LANGUAGE,
    M_COUNT
};

/* Per-element marks kept in the node's _private slot between enter and
 * leave (the tree is ours: libxml2 leaves _private to the application). */
enum { F_HIDES = 1, F_INERT = 2, F_PRE = 4, F_KIND_SHIFT = 4 };

typedef struct {
    buf out;
    int hidden;      /* enclosing elements that are not rendered */
    int inert;       /* enclosing svg/math/template: no metadata */
    int pre;         /* enclosing <pre>-like elements */
    int pre_fresh;   /* nothing yet written inside the innermost <pre> */
    int pending_nl;  /* line breaks owed before the next text (0..2) */
    int pending_sep; /* 1: a space, 2: a tab owed before the next text */
    int trailing_nl; /* line breaks at the end of out */
    char *meta[M_COUNT];
    int oom;
} walker;

static void want_nl(walker *w, int nl)
{
    if (nl > w->pending_nl) w->pending_nl = nl;
}

/* Writes what is owed before text: breaks (never at the start of the
 * output, never more than already ends it), else a space or tab. */
static void flush(walker *w)
{
    if (w->out.n > 0) {
        if (w->pending_nl > 0) {
            while (w->trailing_nl < w->pending_nl) {
                buf_put(&w->out, "\n", 1);
                w->trailing_nl++;
            }
        } else if (w->pending_sep && w->trailing_nl == 0) {
            buf_put(&w->out, w->pending_sep == 2 ? "\t" : " ", 1);
        }
    }
    w->pending_nl = 0;
    w->pending_sep = 0;
}

static void text_collapsed(walker *w, const char *s)
{
    size_t i = 0;
    while (s[i]) {
        if (is_ws((unsigned char)s[i])) {
            if (w->pending_sep < 1) w->pending_sep = 1;
            i++;
            continue;
        }
        size_t start = i;
        while (s[i] && !is_ws((unsigned char)s[i]))
            i++;
        flush(w);
        buf_put(&w->out, s + start, i - start);
        w->trailing_nl = 0;
    }
}

/* Text inside <pre>: kept as is, but CR LF and CR become LF and the line
 * break right after the start tag is dropped, as browsers do. */
static void text_pre(walker *w, const char *s)
{
    if (w->pre_fresh && *s) {
        if (s[0] == '\r' && s[1] == '\n')
            s += 2;
        else if (s[0] == '\n' || s[0] == '\r')
            s++;
        w->pre_fresh = 0;
    }
    if (!*s) return;
    flush(w);
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (c == '\r') {
            if (s[i + 1] == '\n') continue;
            c = '\n';
        }
        buf_put(&w->out, &c, 1);
        w->trailing_nl = c == '\n' ? w->trailing_nl + 1 : 0;
    }
}

static void set_meta(walker *w, int slot, const char *value)
{
    if (w->meta[slot] || !value) return;
    w->meta[slot] = collapse(value, &w->oom);
}

static void meta_tag(walker *w, const xmlNode *n)
{
    const char *content = attr(n, "content");
    if (!content) return;
    const char *name = attr(n, "name");
    const char *prop = attr(n, "property");
    const char *itemprop = attr(n, "itemprop");
    const char *equiv = attr(n, "http-equiv");
    /* Open Graph uses property=, but name= is common in the wild too. */
    const char *key = prop ? prop : name;
    if (key) {
        if (ieq_trim(key, "og:title")) set_meta(w, M_OG_TITLE, content);
        if (ieq_trim(key, "og:site_name")) set_meta(w, M_SITE_NAME, content);
        if (ieq_trim(key, "og:url")) set_meta(w, M_OG_URL, content);
        if (ieq_trim(key, "article:published_time"))
            set_meta(w, M_PUBLISHED_TIME, content);
        if (ieq_trim(key, "article:author") &&
            !(strncmp(content, "http://", 7) == 0 ||
              strncmp(content, "https://", 8) == 0))
            set_meta(w, M_ARTICLE_AUTHOR, content);
    }
    if (name) {
        if (ieq_trim(name, "author")) set_meta(w, M_AUTHOR, content);
        if (ieq_trim(name, "date") || ieq_trim(name, "pubdate") ||
            ieq_trim(name, "publish-date") ||
            ieq_trim(name, "dc.date.issued") || ieq_trim(name, "dc.date"))
            set_meta(w, M_NAME_DATE, content);
    }
    if (itemprop && ieq_trim(itemprop, "datePublished"))
        set_meta(w, M_ITEMPROP_DATE, content);
    if (equiv && ieq_trim(equiv, "content-language"))
        set_meta(w, M_CONTENT_LANGUAGE, content);
}

static void metadata(walker *w, const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (strcmp(name, "meta") == 0) {
        meta_tag(w, n);
    } else if (strcmp(name, "title") == 0) {
        if (!w->meta[M_TITLE_TAG]) {
            xmlChar *t = xmlNodeGetContent(n);
            set_meta(w, M_TITLE_TAG, (const char *)t);
            xmlFree(t);
        }
    } else if (strcmp(name, "link") == 0) {
        const char *rel = attr(n, "rel");
        if (rel && has_token(rel, "canonical"))
            set_meta(w, M_CANONICAL, attr(n, "href"));
    } else if (strcmp(name, "time") == 0) {
        set_meta(w, M_TIME, attr(n, "datetime"));
    } else if (strcmp(name, "html") == 0) {
        const char *lang = attr(n, "lang");
        set_meta(w, M_LANG, lang ? lang : attr(n, "xml:lang"));
    }
}

static void enter(walker *w, xmlNode *n)
{
    int kind = kind_of(n->name);
    unsigned flags = (unsigned)kind << F_KIND_SHIFT;
    if (!w->inert) metadata(w, n);
    const char *style;
    if (kind == K_SKIP || kind == K_INERT || attr(n, "hidden") ||
        ((style = attr(n, "style")) && style_hides(style)))
        flags |= F_HIDES;
    if (kind == K_INERT) flags |= F_INERT;
    if (kind == K_PRE) flags |= F_PRE;
    n->_private = (void *)(uintptr_t)flags;
    if (flags & F_HIDES) w->hidden++;
    if (flags & F_INERT) w->inert++;
    if (w->hidden) return;
    switch (kind) {
    case K_LINE: want_nl(w, 1); break;
    case K_PARA: want_nl(w, 2); break;
    case K_PRE:
        want_nl(w, 2);
        w->pre++;
        w->pre_fresh = 1;
        break;
    case K_CELL:
        if (w->pending_sep < 2) w->pending_sep = 2;
        break;
    case K_BR:
        if (w->pending_nl < 2) w->pending_nl++;
        break;
    default: break;
    }
}

static void leave(walker *w, xmlNode *n)
{
    unsigned flags = (unsigned)(uintptr_t)n->_private;
    n->_private = NULL;
    int kind = (int)(flags >> F_KIND_SHIFT);
    if (!w->hidden) {
        switch (kind) {
        case K_LINE: want_nl(w, 1); break;
        case K_PARA: want_nl(w, 2); break;
        case K_PRE:
            want_nl(w, 2);
            w->pre--;
            w->pre_fresh = 0;
            break;
        default: break;
        }
    }
    if (flags & F_HIDES) w->hidden--;
    if (flags & F_INERT) w->inert--;
}

/* Walks the whole document in order without recursion. */
static void walk(walker *w, xmlDoc *doc)
{
    xmlNode *n = doc->children;
    while (n && !w->out.oom && !w->oom) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE) {
            enter(w, n);
            descend = n->children != NULL;
        } else if ((n->type == XML_TEXT_NODE ||
                    n->type == XML_CDATA_SECTION_NODE) &&
                   n->content && !w->hidden) {
            if (w->pre)
                text_pre(w, (const char *)n->content);
            else
                text_collapsed(w, (const char *)n->content);
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* Leave n, and every ancestor whose last child it was. */
        for (;;) {
            if (n->type == XML_ELEMENT_NODE) leave(w, n);
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (!n || n->type == XML_DOCUMENT_NODE ||
                n->type == XML_HTML_DOCUMENT_NODE) {
                n = NULL;
                break;
            }
        }
    }
}

/* ---- input preparation and the entry point ---------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

/* A copy of UTF-8 (s, n) with invalid sequences and NUL bytes replaced by
 * U+FFFD; *repairs counts them. Form feeds become spaces: HTML counts
 * them as white space, libxml2 would drop them and join the words. */
static int repair_utf8(const char *s, size_t n, char **out, size_t *out_n,
                       size_t *repairs)
{
    char *fixed;
    size_t fixed_n, bad = 0;
    int rc = lector_utf8_repair(s, n, &fixed, &fixed_n, &bad);
    if (rc != LECTOR_OK) return rc;
    size_t nuls = 0;
    for (size_t i = 0; i < fixed_n; i++) {
        nuls += fixed[i] == '\0';
        if (fixed[i] == '\f') fixed[i] = ' ';
    }
    if (nuls) {
        char *p = malloc(fixed_n + 2 * nuls + 1);
        if (!p) {
            free(fixed);
            return LECTOR_ENOMEM;
        }
        size_t k = 0;
        for (size_t i = 0; i < fixed_n; i++) {
            if (fixed[i] == '\0') {
                memcpy(p + k, "\xEF\xBF\xBD", 3);
                k += 3;
            } else {
                p[k++] = fixed[i];
            }
        }
        p[k] = '\0';
        free(fixed);
        fixed = p;
        fixed_n = k;
    }
    *out = fixed;
    *out_n = fixed_n;
    *repairs = bad + nuls;
    return LECTOR_OK;
}

/* A copy of (s, n) without its NUL bytes (for ASCII-compatible
 * encodings, where libxml2 would take a NUL for the end of the input),
 * form feeds turned into spaces as above. */
static char *drop_nuls(const char *s, size_t n, size_t *out_n, size_t *dropped)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\0') p[k++] = s[i] == '\f' ? ' ' : s[i];
    p[k] = '\0';
    *out_n = k;
    *dropped = n - k;
    return p;
}

/* Moves a metadata candidate into a result field. */
static char *take(walker *w, int slot)
{
    char *s = w->meta[slot];
    w->meta[slot] = NULL;
    return s;
}

static char *first_of(walker *w, int a, int b)
{
    return w->meta[a] ? take(w, a) : take(w, b);
}

/* Makes sure a result string is valid UTF-8 (libxml2's output should be;
 * this is the guarantee, not the expectation). */
static int ensure_utf8(char **s, size_t *n, size_t *repairs)
{
    if (!*s) return LECTOR_OK;
    size_t len = n ? *n : strlen(*s);
    if (lector_utf8_check(*s, len, NULL, NULL) == LECTOR_OK) return LECTOR_OK;
    char *fixed;
    size_t fixed_n, bad;
    int rc = lector_utf8_repair(*s, len, &fixed, &fixed_n, &bad);
    if (rc != LECTOR_OK) return rc;
    free(*s);
    *s = fixed;
    if (n) *n = fixed_n;
    *repairs += bad;
    return LECTOR_OK;
}

void lector_html_doc_release(lector_html_doc *d)
{
    if (!d) return;
    free(d->text);
    free(d->title);
    free(d->author);
    free(d->outlet);
    free(d->published);
    free(d->url);
    free(d->lang);
    memset(d, 0, sizeof *d);
}

static int fail(lector_html_doc *out, int rc, const char *msg)
{
    lector_html_doc_release(out);
    out->errmsg = msg;
    return rc;
}

int lector_html_text(const char *html, size_t n, lector_html_doc *out)
{
    if (!out) return LECTOR_EINVAL;
    memset(out, 0, sizeof *out);
    if (!html && n > 0)
        return fail(out, LECTOR_EINVAL, "no input (NULL with a length)");
    if (n > LECTOR_HTML_MAX)
        return fail(out, LECTOR_ELIMIT,
                    "the HTML is larger than 1 GiB, the parser's limit");
    strcpy(out->charset, "UTF-8");
    if (n == 0) {
        out->text = calloc(1, 1);
        return out->text ? LECTOR_OK
                         : fail(out, LECTOR_ENOMEM, "out of memory");
    }
    pthread_once(&init_once, init_libxml);

    /* Decode: a BOM wins, then a <meta> charset, else UTF-8 (repaired). */
    const char *src = html;
    size_t src_n = n;
    char *copy = NULL;
    const char *enc = "UTF-8";
    char name[40];
    const char *cs;
    size_t cs_n;
    int rc;
    if (n >= 2 && (memcmp(html, "\xFF\xFE", 2) == 0 ||
                   memcmp(html, "\xFE\xFF", 2) == 0)) {
        enc = html[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
        src += 2;
        src_n -= 2;
    } else if (!(n >= 3 && memcmp(html, "\xEF\xBB\xBF", 3) == 0) &&
               prescan_charset(html, n, &cs, &cs_n) &&
               choose_encoding(cs, cs_n, name, sizeof name)) {
        enc = name;
        copy = drop_nuls(html, n, &src_n, &out->repairs);
        if (!copy) return fail(out, LECTOR_ENOMEM, "out of memory");
        src = copy;
    } else {
        if (n >= 3 && memcmp(html, "\xEF\xBB\xBF", 3) == 0)
            src += 3, src_n -= 3;
        rc = repair_utf8(src, src_n, &copy, &src_n, &out->repairs);
        if (rc != LECTOR_OK) return fail(out, rc, "out of memory");
        src = copy;
    }
    snprintf(out->charset, sizeof out->charset, "%s", enc);
    if (src_n > INT_MAX) {
        free(copy);
        return fail(out, LECTOR_ELIMIT,
                    "the HTML is larger than 1 GiB, the parser's limit");
    }

    /* Parse with the thread's libxml2 error handlers silenced.
     * XML_PARSE_HUGE lifts the nesting limit of 256 elements, past which
     * libxml2 drops the rest of the page: hundreds of unclosed <font> or
     * <b> tags are real-world HTML, and the walk below does not recurse. */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
    xmlDoc *doc =
        src_n == 0
            ? NULL
            : htmlReadMemory(src, (int)src_n, NULL, enc,
                             HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                 HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                 HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
    xmlResetLastError();
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    free(copy);

    walker w;
    memset(&w, 0, sizeof w);
    if (doc) {
        walk(&w, doc);
        xmlFreeDoc(doc);
    }
    if (w.out.oom || w.oom) {
        free(w.out.p);
        for (int i = 0; i < M_COUNT; i++)
            free(w.meta[i]);
        return fail(out, LECTOR_ENOMEM, "out of memory");
    }
    /* Trailing white space (a <pre>'s last line break) is not text, nor
     * are line breaks before the first line (a <pre> starting blank). */
    while (w.out.n > 0 && is_ws((unsigned char)w.out.p[w.out.n - 1]))
        w.out.p[--w.out.n] = '\0';
    size_t lead = 0;
    while (lead < w.out.n && (w.out.p[lead] == '\n' || w.out.p[lead] == '\f'))
        lead++;
    if (lead) {
        memmove(w.out.p, w.out.p + lead, w.out.n - lead + 1);
        w.out.n -= lead;
    }
    out->text = w.out.p ? w.out.p : calloc(1, 1);
    out->text_n = w.out.n;
    out->title = first_of(&w, M_OG_TITLE, M_TITLE_TAG);
    out->author = first_of(&w, M_AUTHOR, M_ARTICLE_AUTHOR);
    out->outlet = take(&w, M_SITE_NAME);
    out->published = w.meta[M_PUBLISHED_TIME]  ? take(&w, M_PUBLISHED_TIME)
                     : w.meta[M_NAME_DATE]     ? take(&w, M_NAME_DATE)
                     : w.meta[M_ITEMPROP_DATE] ? take(&w, M_ITEMPROP_DATE)
                                               : take(&w, M_TIME);
    out->url = first_of(&w, M_CANONICAL, M_OG_URL);
    out->lang = first_of(&w, M_LANG, M_CONTENT_LANGUAGE);
    for (int i = 0; i < M_COUNT; i++)
        free(w.meta[i]);
    if (!out->text) return fail(out, LECTOR_ENOMEM, "out of memory");
    char **fields[] = {&out->title,     &out->author, &out->outlet,
                       &out->published, &out->url,    &out->lang};
    rc = ensure_utf8(&out->text, &out->text_n, &out->repairs);
    for (size_t i = 0; rc == LECTOR_OK && i < sizeof fields / sizeof *fields;
         i++)
        rc = ensure_utf8(fields[i], NULL, &out->repairs);
    if (rc != LECTOR_OK) return fail(out, rc, "out of memory");
    return LECTOR_OK;
}
