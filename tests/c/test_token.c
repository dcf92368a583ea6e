/* token.c: each tailoring, kinds, flags, norms through the intern table,
 * and the ASCII fast path giving exactly the slow path's output (random
 * mixed text, and the seed corpus when ../shared is there). */
#include "../../core/token.h"
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>

static lector_intern *in;
static lector_tokenizer *tk;
static lector_tokens toks;
static char buf[8192];

/* The tokens of (s, n) with opts joined by '|'; with mark, each token
 * that has the flag mark gets a '*' after it. */
static const char *tokens_marked(const char *s, size_t n, unsigned opts,
                                 unsigned mark)
{
    if (lector_tokenize(tk, s, n, opts, &toks) != LECTOR_OK)
        return lector_tokenizer_errmsg(tk);
    size_t o = 0;
    for (size_t i = 0; i < toks.n && o < sizeof buf - 64; i++) {
        if (i) buf[o++] = '|';
        size_t len = toks.tok[i].end - toks.tok[i].start;
        memcpy(buf + o, s + toks.tok[i].start, len);
        o += len;
        if (toks.tok[i].flags & mark) buf[o++] = '*';
    }
    buf[o] = '\0';
    return buf;
}

/* The tokens of (s, n) joined by '|', with opts. */
static const char *tokens_n(const char *s, size_t n, unsigned opts)
{
    return tokens_marked(s, n, opts, 0);
}

/* The tokens of s joined by '|', with opts. */
static const char *tokens(const char *s, unsigned opts)
{
    return tokens_n(s, strlen(s), opts);
}

static const char *tok(const char *s)
{
    return tokens(s, 0);
}

/* The index of the token whose text is w in the last result, or -1. */
static int find(const char *s, const char *w)
{
    for (size_t i = 0; i < toks.n; i++)
        if (toks.tok[i].end - toks.tok[i].start == strlen(w) &&
            !memcmp(s + toks.tok[i].start, w, strlen(w)))
            return (int)i;
    return -1;
}

static int kind_of(const char *s, const char *w)
{
    tok(s);
    int i = find(s, w);
    return i < 0 ? -1 : toks.tok[i].kind;
}

static int flags_of(const char *s, const char *w)
{
    tok(s);
    int i = find(s, w);
    return i < 0 ? -1 : toks.tok[i].flags;
}

/* The tokens of s with opts joined by '|', each with LECTOR_TF_TERMINAL
 * marked by a '*' after it. */
static const char *terminals_opts(const char *s, unsigned opts)
{
    return tokens_marked(s, strlen(s), opts, LECTOR_TF_TERMINAL);
}

static const char *terminals(const char *s)
{
    return terminals_opts(s, 0);
}

static const char *norm_of(const char *s, const char *w)
{
    tok(s);
    int i = find(s, w);
    if (i < 0) return "(no such token)";
    return lector_intern_str(in, toks.tok[i].norm, NULL);
}

/* Same tokens (all fields) with the fast path on and off. */
static int same_both_ways(const char *s, size_t n)
{
    lector_tokens a, b;
    lector_tokens_init(&a);
    lector_tokens_init(&b);
    int ra = lector_tokenize(tk, s, n, 0, &a);
    int rb = lector_tokenize(tk, s, n, LECTOR_TOK_NO_FAST, &b);
    int same = ra == rb && a.n == b.n &&
               (a.n == 0 || !memcmp(a.tok, b.tok, a.n * sizeof *a.tok));
    lector_tokens_release(&a);
    lector_tokens_release(&b);
    return same;
}

/* Each of the shapes four times among words, after 0 to 69 bytes of
 * other words (so at every offset from a block lane's block), on each
 * lane level: the same tokens with the fast path on and off. Reports the
 * first text that differs; counts the texts in *cases. */
static int same_at_every_offset(const char *id, const char *const *shapes,
                                size_t nshapes, int *cases)
{
    int same = 1;
    *cases = 0;
    for (int level = 0; level <= 2; level++) {
        lector__tokenizer_set_lane(tk, level);
        for (size_t k = 0; k < nshapes; k++)
            for (int pre = 0; pre < 70; pre++) {
                char s[512];
                size_t n = 0;
                for (int i = 0; i < pre; i++)
                    s[n++] = "ab cd"[i % 5];
                for (int r = 0; r < 4; r++) {
                    memcpy(s + n, shapes[k], strlen(shapes[k]));
                    n += strlen(shapes[k]);
                    memcpy(s + n, "and the words go on and on ", 27);
                    n += 27;
                }
                if (!same_both_ways(s, n)) {
                    if (same)
                        fprintf(stderr, "FAIL token-%s lane %d: [%.*s]\n", id,
                                level, (int)n, s);
                    same = 0;
                }
                ++*cases;
            }
    }
    lector__tokenizer_set_lane(tk, 2);
    return same;
}

/* same_at_every_offset, and whether every shape ran at every offset on
 * every lane level. */
static int every_offset_ok(const char *id, const char *const *shapes,
                           size_t nshapes)
{
    int cases;
    int same = same_at_every_offset(id, shapes, nshapes, &cases);
    return same && cases == 3 * 70 * (int)nshapes;
}

static const char *const pieces[] = {
    "a", "Z", "7", " ", "  ", "\n", "\r\n", "\t", ".", ",", ":", ";", "'", "’",
    "-", "–", "@", "_", "é", "e\xCC\x81", "\xCC\x81", "Ḥ", "ß", "中", "文",
    "ア", "…", "“", "”", "!", "?", "(", ")", "/", "http://", "www.", "x.com",
    "U.S.", "n't", "'s", "\xC2\xA0", "\xE2\x80\x8B", "\xC2\xAD",
    "\xF0\x9F\x87\xAB", "\xF0\x9F\x91\x8D", "\xE2\x80\x8D", "Al", "Bab",
    "5,000", "3.5", "3rd", "Mr", "Gen", "john", "+", "%", "\xD7\x90", "\"",
    "\xE2\x80\xA8", "\xEF\xBC\x8E", "\xD9\xA0", "٣", "\xE3\x80\x80", "$", "0",
    "12", " 1,2", "a.b", "e.g", "ftp", "mailto:", "#", "&", "\n\n", "Qu",
    /* the fast lane: long words, words
     * at hyphens and e-mail lookalikes */
    "presentments", "counterrevolutionaries", "term-end", "al-Bab ",
    "x-y@z.org", "-@", "Atlanta's ", "Fulton County said "};

/* m random pieces in s (cap bytes, what fits): from prose when given,
 * one in five from pieces; else all from pieces. Returns the length. */
static size_t random_text(char *s, size_t cap, int m, const char *const *prose,
                          size_t nprose)
{
    size_t n = 0;
    for (int j = 0; j < m; j++) {
        const char *p = prose && rand() % 5
                            ? prose[rand() % nprose]
                            : pieces[rand() % (sizeof pieces / sizeof *pieces)];
        size_t l = strlen(p);
        if (n + l >= cap) break;
        memcpy(s + n, p, l);
        n += l;
    }
    s[n] = '\0';
    return n;
}

int main(void)
{
    in = lector_intern_new();
    tk = lector_tokenizer_new(in);
    lector_tokens_init(&toks);
    CHECK("token-0.1 new", tk != NULL);

    /* clitics */
    CHECK_STR("token-1.1 ISIS’s", tok("ISIS’s fighters"), "ISIS|’s|fighters");
    CHECK_STR("token-1.2 Turkey's", tok("Turkey's allies"), "Turkey|'s|allies");
    CHECK_STR("token-1.3 don't", tok("don't"), "do|n't");
    CHECK_STR("token-1.4 can’t", tok("can’t"), "ca|n’t");
    CHECK_STR("token-1.5 they're/I'll/we've/he'd/I'm",
              tok("they're I'll we've he'd I'm"),
              "they|'re|I|'ll|we|'ve|he|'d|I|'m");
    CHECK_STR("token-1.6 O'Brien kept", tok("O'Brien"), "O'Brien");
    CHECK_INT("token-1.7 clitic kind", kind_of("Turkey's", "'s"),
              LECTOR_TK_CLITIC);
    CHECK_STR("token-1.8 clitic norm", norm_of("ISIS’s", "’s"), "'s");
    CHECK_STR("token-1.9 trailing quote", tok("ISIS’ fighters"),
              "ISIS|’|fighters");
    /* a clitic is a clitic in any case: headlines are written in capitals */
    CHECK_STR("token-1.10 capitals", tok("ISIS’S I’M THEY’RE DON’T WE'LL"),
              "ISIS|’S|I|’M|THEY|’RE|DO|N’T|WE|'LL");
    CHECK_INT("token-1.11 capital clitic kind", kind_of("I’M", "’M"),
              LECTOR_TK_CLITIC);
    CHECK_STR("token-1.12 capital clitic norm", norm_of("ISIS’S", "’S"), "'s");
    /* n't is a contraction only after a letter: 5n't is no "do n't" */
    CHECK_STR("token-1.13 n't after a digit", tok("x2n't"), "x2n't");

    /* A NUL or control character that word breaks glue to what follows
     * (a ZWJ, an emoji modifier) is white space: no token holds one. */
    CHECK_STR("token-1.14 NUL and a modifier",
              tokens_n("\0\xF0\x9F\x8F\xBD", 5, 0), "\xF0\x9F\x8F\xBD");
    CHECK_STR("token-1.15 NUL, ZWJ, emoji",
              tokens_n("x \0\xE2\x80\x8D\xF0\x9F\x94\xA6 y", 12, 0),
              "x|\xF0\x9F\x94\xA6|y");
    CHECK_STR("token-1.16 tab, ZWJ, emoji",
              tok("\t\xE2\x80\x8D\xF0\x9F\x94\xA6"), "\xF0\x9F\x94\xA6");

    /* abbreviations */
    CHECK_STR("token-2.1 U.S.", tok("the U.S. trained"), "the|U.S.|trained");
    CHECK("token-2.2 abbrev flag",
          flags_of("the U.S. army", "U.S.") & LECTOR_TF_ABBREV);
    CHECK_STR("token-2.3 Gen.", tok("Gen. Smith"), "Gen.|Smith");
    /* A clitic after an abbreviation's period is a clitic, either
     * apostrophe, any case; an apostrophe and a longer word are not. */
    CHECK_STR("token-2.3a U.S.’s", tok("the U.S.’s role"), "the|U.S.|’s|role");
    CHECK_STR("token-2.3b U.N.'s", tok("the U.N.'s envoy"),
              "the|U.N.|'s|envoy");
    CHECK_STR("token-2.3c Gen.'s", tok("Gen.'s plan"), "Gen.|'s|plan");
    CHECK_STR("token-2.3d U.S.’S", tok("U.S.’S ROLE"), "U.S.|’S|ROLE");
    CHECK_INT("token-2.3e kind", kind_of("the U.S.’s role", "’s"),
              LECTOR_TK_CLITIC);
    CHECK_STR("token-2.3f not a clitic", tok("the U.S.'sx"), "the|U.S.|'|sx");
    CHECK_STR("token-2.3g trailing quote", tok("the U.S.’ allies"),
              "the|U.S.|’|allies");
    CHECK_STR("token-2.3h at the end", tok("U.S.’s"), "U.S.|’s");
    CHECK_STR("token-2.4 Mr. Dr.", tok("Mr. and Dr. Jones"),
              "Mr.|and|Dr.|Jones");
    CHECK_STR("token-2.5 month", tok("on Feb. 6"), "on|Feb.|6");
    CHECK_STR("token-2.6 e.g.", tok("e.g. this"), "e.g.|this");
    CHECK_STR("token-2.7 plain period", tok("the end. Next"), "the|end|.|Next");
    CHECK_STR("token-2.8 initial", tok("George W. Bush"), "George|W.|Bush");
    CHECK_STR("token-2.9 no period", tok("the U.S could"), "the|U.S|could");
    CHECK_STR("token-2.10 unknown before add", tok("approx. 5 and Brig. Gen."),
              "approx.|5|and|Brig.|Gen.");
    CHECK_STR("token-2.11 not yet known", tok("Xyz. Next"), "Xyz|.|Next");
    CHECK_INT("token-2.12 add", lector_tokenizer_add_abbrev(tk, "Xyz.", 4), 0);
    CHECK_STR("token-2.13 added", tok("Xyz. Next"), "Xyz.|Next");
    CHECK_INT("token-2.14 add needs period",
              lector_tokenizer_add_abbrev(tk, "Xyz", 3), LECTOR_EINVAL);
    CHECK("token-2.15 errmsg",
          strstr(lector_tokenizer_errmsg(tk), "period") != NULL);
    CHECK_STR("token-2.16 etc.", tok("guns, etc. and"), "guns|,|etc.|and");
    CHECK_STR("token-2.17 company and name suffixes",
              tok("Acme Inc. and Foo Ltd., Bar Co. and Smith Jr. said"),
              "Acme|Inc.|and|Foo|Ltd.|,|Bar|Co.|and|Smith|Jr.|said");

    /* URLs and e-mail */
    const char *url = "http://www.breitbart.com/national-security/2016/01/25/"
                      "islamic-state-close-to-defeating-syrian-army-in-key-"
                      "eastern-city/";
    char line[512];
    snprintf(line, sizeof line, "%s\n202", url);
    tok(line);
    CHECK_INT("token-3.1 url one token", toks.n, 2);
    CHECK_INT("token-3.2 url kind", toks.tok[0].kind, LECTOR_TK_URL);
    CHECK_INT("token-3.3 url end", toks.tok[0].end, strlen(url));
    CHECK_STR("token-3.4 url in parens", tok("(see https://x.org/a_(b)/c).”"),
              "(|see|https://x.org/a_(b)/c|)|.|”");
    CHECK_STR("token-3.5 www", tok("at www.rt.com, said"),
              "at|www.rt.com|,|said");
    CHECK_INT("token-3.6 www kind", kind_of("at www.rt.com", "www.rt.com"),
              LECTOR_TK_URL);
    CHECK_STR("token-3.7 url trailing period", tok("go to http://a.b/c."),
              "go|to|http://a.b/c|.");
    CHECK_STR("token-3.8 email", tok("mail john.doe-x@news.example.co.uk."),
              "mail|john.doe-x@news.example.co.uk|.");
    CHECK_INT("token-3.9 email kind", kind_of("a@b.org", "a@b.org"),
              LECTOR_TK_EMAIL);
    CHECK_STR("token-3.10 not email", tok("@handle and x@y"),
              "@|handle|and|x|@|y");
    CHECK_STR("token-3.11 bare http", tok("http: no"), "http|:|no");
    /* a URL ending in a balanced ')' keeps it; an unbalanced one is not
     * the URL's */
    CHECK_STR("token-3.12 balanced paren at the end",
              tok("see https://en.wikipedia.org/wiki/Foo_(bar) now"),
              "see|https://en.wikipedia.org/wiki/Foo_(bar)|now");
    CHECK_STR("token-3.13 balanced paren inside parens",
              tok("(https://en.wikipedia.org/wiki/Foo_(bar))."),
              "(|https://en.wikipedia.org/wiki/Foo_(bar)|)|.");
    CHECK_STR("token-3.14 ftp", tok("get ftp://ftp.example.org/pub/f.txt."),
              "get|ftp://ftp.example.org/pub/f.txt|.");
    CHECK_INT("token-3.15 ftp kind",
              kind_of("get ftp://ftp.example.org/pub/f.txt.",
                      "ftp://ftp.example.org/pub/f.txt"),
              LECTOR_TK_URL);
    CHECK_INT("token-3.16 scheme in capitals",
              kind_of("AT HTTP://EXAMPLE.COM/A NOW", "HTTP://EXAMPLE.COM/A"),
              LECTOR_TK_URL);
    CHECK_INT("token-3.17 www. needs a further dot",
              kind_of("at www.abc today", "www.abc"), LECTOR_TK_WORD);
    CHECK_STR("token-3.18 no e-mail with a one-letter top-level domain",
              tok("mail a@b.c now"), "mail|a|@|b.c|now");
    CHECK_STR("token-3.19 url then comma and semicolon",
              tok("http://a.b/c, http://a.b/d; http://a.b/e!"),
              "http://a.b/c|,|http://a.b/d|;|http://a.b/e|!");

    /* numbers */
    CHECK_STR("token-4.1 separators", tok("5,000 and 16,000 or 3.5"),
              "5,000|and|16,000|or|3.5");
    CHECK_INT("token-4.2 number kind", kind_of("5,000 men", "5,000"),
              LECTOR_TK_NUMBER);
    CHECK_INT("token-4.3 ordinal", kind_of("the 3rd", "3rd"), LECTOR_TK_NUMBER);
    CHECK_INT("token-4.4 year", kind_of("in 1945.", "1945"), LECTOR_TK_NUMBER);
    CHECK_INT("token-4.5 T90 word", kind_of("T90 tanks", "T90"),
              LECTOR_TK_WORD);
    CHECK("token-4.6 T90 digit flag",
          flags_of("T90 tanks", "T90") & LECTOR_TF_DIGIT);
    CHECK_STR("token-4.7 end period", tok("in 2012."), "in|2012|.");
    CHECK_INT("token-4.8 decade", kind_of("the 1990s", "1990s"),
              LECTOR_TK_NUMBER);
    CHECK_INT("token-4.9 arabic digits", kind_of("٣٤", "٣٤"), LECTOR_TK_NUMBER);
    /* ordinals, each suffix, in either case */
    CHECK_INT("token-4.10 21st", kind_of("the 21st century", "21st"),
              LECTOR_TK_NUMBER);
    CHECK_INT("token-4.11 2nd", kind_of("the 2nd day", "2nd"),
              LECTOR_TK_NUMBER);
    CHECK_INT("token-4.12 4th", kind_of("the 4th day", "4th"),
              LECTOR_TK_NUMBER);
    CHECK_INT("token-4.13 21ST", kind_of("THE 21ST CENTURY", "21ST"),
              LECTOR_TK_NUMBER);
    CHECK_INT("token-4.14 21xx is a word", kind_of("the 21xx", "21xx"),
              LECTOR_TK_WORD);

    /* hyphens */
    CHECK_STR("token-5.1 Al-Bab", tok("in Al-Bab today"), "in|Al|-|Bab|today");
    tok("in Al-Bab today");
    CHECK("token-5.2 joined",
          (toks.tok[1].flags & toks.tok[2].flags & toks.tok[3].flags) &
              LECTOR_TF_HYPHEN_JOINED);
    CHECK("token-5.3 neighbours not joined",
          !((toks.tok[0].flags | toks.tok[4].flags) & LECTOR_TF_HYPHEN_JOINED));
    CHECK("token-5.4 spaced dash not joined",
          !(flags_of("Turks - backed", "-") & LECTOR_TF_HYPHEN_JOINED));
    tok("block-by-block");
    int all = 1;
    for (size_t i = 0; i < toks.n; i++)
        all &= !!(toks.tok[i].flags & LECTOR_TF_HYPHEN_JOINED);
    CHECK("token-5.5 chain", all && toks.n == 5);
    CHECK_STR("token-5.6 Al Bab norms differ only by hyphen",
              norm_of("al-Bab", "al"), "al");

    /* kinds, flags, white space */
    CHECK_INT("token-6.1 punct", kind_of("a, b", ","), LECTOR_TK_PUNCT);
    CHECK_INT("token-6.2 symbol", kind_of("$5", "$"), LECTOR_TK_SYMBOL);
    CHECK_INT("token-6.3 emoji",
              kind_of("ok \xF0\x9F\x91\x8D", "\xF0\x9F\x91\x8D"),
              LECTOR_TK_OTHER);
    CHECK_INT("token-6.4 cap", flags_of("Syria", "Syria") & 3, LECTOR_TF_CAP);
    CHECK_INT("token-6.5 upper", flags_of("ISIS", "ISIS") & 3,
              LECTOR_TF_CAP | LECTOR_TF_UPPER);
    CHECK_INT("token-6.6 lower", flags_of("army", "army") & 3, 0);
    CHECK("token-6.7 nonascii",
          flags_of("Ḥalab", "Ḥalab") & LECTOR_TF_NONASCII);
    CHECK("token-6.8 cap non-ascii",
          flags_of("Ḥalab", "Ḥalab") & LECTOR_TF_CAP);
    CHECK_STR("token-6.9 no white space tokens",
              tok(" a \t b\n\n c\xC2\xA0"
                  "d "),
              "a|b|c|d");
    tok("one\ntwo\n\nthree four");
    CHECK_INT("token-6.10 line end",
              toks.tok[0].flags & (LECTOR_TF_LINE_END | LECTOR_TF_PARA_END),
              LECTOR_TF_LINE_END);
    CHECK_INT("token-6.11 para end",
              toks.tok[1].flags & (LECTOR_TF_LINE_END | LECTOR_TF_PARA_END),
              LECTOR_TF_LINE_END | LECTOR_TF_PARA_END);
    CHECK("token-6.12 space before",
          toks.tok[3].flags & LECTOR_TF_SPACE_BEFORE);
    CHECK("token-6.13 none at start",
          !(toks.tok[0].flags & LECTOR_TF_SPACE_BEFORE));
    /* the same rule without the fast path: a blank line ends a paragraph */
    tokens("one\ntwo\n\nthree four", LECTOR_TOK_NO_FAST);
    CHECK_INT("token-6.11b line end, no fast path",
              toks.tok[0].flags & (LECTOR_TF_LINE_END | LECTOR_TF_PARA_END),
              LECTOR_TF_LINE_END);
    CHECK_INT("token-6.11c para end, no fast path",
              toks.tok[1].flags & (LECTOR_TF_LINE_END | LECTOR_TF_PARA_END),
              LECTOR_TF_LINE_END | LECTOR_TF_PARA_END);
    CHECK_STR("token-6.14 ellipsis", tok("wait... what…."),
              "wait|...|what|…|.");
    CHECK_STR(
        "token-6.14a terminal flag",
        terminals("Yes. No?! Wait... so… (a, b; c: \"d\") e-f \xEF\xBC\x81 "
                  "\xEF\xBC\x8C U.S. 3.5 $ - ."),
        "Yes|.*|No|?*|!*|Wait|...*|so|…*|(|a|,|b|;|c|:|\"|d|\"|)|e|-|"
        "f|\xEF\xBC\x81*|\xEF\xBC\x8C|U.S.|3.5|$|-|.*");
    CHECK_STR("token-6.14b terminal flag, no fast path",
              terminals_opts("No?! Wait... so… (a, b.", LECTOR_TOK_NO_FAST),
              "No|?*|!*|Wait|...*|so|…*|(|a|,|b|.*");
    CHECK_STR("token-6.15 empty", tok(""), "");
    CHECK_STR("token-6.16 combining", tok("cafe\xCC\x81 ok"),
              "cafe\xCC\x81|ok");
    CHECK_STR("token-6.17 CJK", tok("中文 ok"), "中|文|ok");

    /* norms: fold of the text, shared through the intern table */
    CHECK_STR("token-7.1 norm lower", norm_of("Syria", "Syria"), "syria");
    CHECK_STR("token-7.2 norm fold", norm_of("Ḥalab", "Ḥalab"), "halab");
    tok("Syria syria SYRIA");
    CHECK("token-7.3 same norm id", toks.tok[0].norm == toks.tok[1].norm &&
                                        toks.tok[1].norm == toks.tok[2].norm);
    CHECK_INT("token-7.4 find in intern", lector_intern_find(in, "syria", 5),
              toks.tok[0].norm);
    tokens("Syria", LECTOR_TOK_NO_NORM);
    CHECK_INT("token-7.5 no norm", toks.tok[0].norm, 0);
    size_t before = lector_intern_count(in);
    for (int i = 0; i < 50; i++)
        tok("Syria syria SYRIA Ḥalab");
    CHECK_INT("token-7.6 no new norms on repeat", lector_intern_count(in),
              before);

    /* UAX #29 mode: white space and untailored segments */
    CHECK_STR("token-8.1 uax29", tokens("ISIS’s U.S. Al-Bab", LECTOR_TOK_UAX29),
              "ISIS’s| |U.S|.| |Al|-|Bab");
    CHECK_INT("token-8.2 space kind", toks.tok[1].kind, LECTOR_TK_SPACE);

    /* errors */
    CHECK_INT("token-9.1 bad utf8", lector_tokenize(tk, "ab\xC3", 3, 0, &toks),
              LECTOR_EUTF8);
    CHECK_STR("token-9.2 message", lector_tokenizer_errmsg(tk),
              "invalid UTF-8 at byte 2: truncated sequence at end of input");
    CHECK_INT("token-9.3 null", lector_tokenize(NULL, "a", 1, 0, &toks),
              LECTOR_EINVAL);

    /* fast path == slow path on random mixtures of tricky pieces */
    srand(12345);
    int same = 1, cases = 0;
    for (int k = 0; k < 20000; k++) {
        char s[512];
        size_t n = random_text(s, sizeof s, 1 + rand() % 24, NULL, 0);
        cases++;
        if (!same_both_ways(s, n)) {
            if (same) fprintf(stderr, "FAIL token-10.1 differs on [%s]\n", s);
            same = 0;
        }
    }
    CHECK("token-10.1 fast == slow on random text", same && cases == 20000);

    /* ... and on long random text, mostly plain prose, so that the block
     * lane (64 bytes at a time, from 80 readable bytes on) meets every
     * piece at every offset of a block; with the lane's CPU-specific
     * instructions and without */
    static const char *const prose[] = {"the ",
                                        "jury ",
                                        "said ",
                                        "it ",
                                        "of ",
                                        "Atlanta ",
                                        "election, ",
                                        "end. ",
                                        "term-end ",
                                        "(said) ",
                                        "\"well\" ",
                                        "a ",
                                        "I ",
                                        "x ",
                                        "presentments ",
                                        "\n",
                                        "\n\n",
                                        "  ",
                                        "and",
                                        " ",
                                        ".",
                                        "-",
                                        ",",
                                        "1945 ",
                                        "U ",
                                        "Mr ",
                                        "don",
                                        "Atlanta's ",
                                        "don't ",
                                        "n't",
                                        "it's",
                                        "rock'n'roll ",
                                        "'s ",
                                        "o'clock.",
                                        "5,000 ",
                                        "3:30 ",
                                        "Note: ",
                                        "Mr. ",
                                        "Gen.",
                                        "etc. ",
                                        "A.",
                                        "I. "};
    /* each variant of the block lane: all the CPU has (planned probes
     * with VBMI), AVX-512BW alone, SSE2 alone */
    static const struct {
        int level;
        const char *id, *name;
    } lanes[] = {
        {2, "10.4", "token-10.4 fast == slow on long text"},
        {0, "10.5", "token-10.5 fast == slow on long text, portable lane"},
        {1, "10.7", "token-10.7 fast == slow on long text, AVX-512BW lane"}};
    for (size_t v = 0; v < sizeof lanes / sizeof *lanes; v++) {
        lector__tokenizer_set_lane(tk, lanes[v].level);
        int same_long = 1, long_cases = 0;
        for (int k = 0; k < 3000; k++) {
            char s[4096];
            size_t n = random_text(s, sizeof s, 20 + rand() % 300, prose,
                                   sizeof prose / sizeof *prose);
            long_cases += n >= 80;
            if (!same_both_ways(s, n)) {
                if (same_long)
                    fprintf(stderr, "FAIL token-%s differs on [%s]\n",
                            lanes[v].id, s);
                same_long = 0;
            }
        }
        CHECK(lanes[v].name, same_long && long_cases > 2500);
    }
    lector__tokenizer_set_lane(tk, 2);

    /* apostrophes in the block lane, each variant: lone ones (quotes)
     * are tokens of their own, between letters part of the word, between
     * digits one segment with them; at every offset from a block's start */
    static const char *const apos[] = {
        "the boys' toys ", "'Tis said ", "a 5'6 man ", "'em ", "rock'n'roll ",
        "o'clock ", "x'5 ", "5'x ", "'' quoted '' ", "it's ", "don't ", "'90s ",
        /* and the symbols the lane takes as tokens of their own */
        "AT&T $5,000 ", "#1 a*b ", "x&y@z.org ", "$x.com "};
    int apos_cases;
    int same_apos = same_at_every_offset(
        "10.8", apos, sizeof apos / sizeof *apos, &apos_cases);
    CHECK("token-10.8 fast == slow: apostrophes and symbols at every offset",
          same_apos && apos_cases == 3 * 16 * 70);
    CHECK_STR("token-10.9 lone apostrophes are tokens",
              tok("the boys' toys and 'Tis said, as the words go on and on "
                  "and on and on and on and on and on, 5'6 and it's"),
              "the|boys|'|toys|and|'|Tis|said|,|as|the|words|go|on|and|on|"
              "and|on|and|on|and|on|and|on|and|on|,|5'6|and|it|'s");

    /* words and numbers with joiners inside (UAX #29 WB6, WB7, WB11, WB12),
     * letters against digits, and what tailor makes of their neighbours
     * (abbreviations, ellipses, URLs, e-mail addresses), in the block lane
     * at every offset from a block's start */
    static const char *const joined[] = {
        /* words and numbers with joiners, letters against digits */
        "5,000 ", "3.5 ", "U.S. ", "a:b ", "1;2 ", "x.y.z ", "1.2.3 ", "3rd ",
        "LD056 ", "1,000,000, ", "123456789,123456789 ", "x.y.z.w.v.u.t.s.r ",
        /* what tailor makes of their neighbours */
        "U.S.-led ", "e.g. ", "e.g, ", "Jr.. ", "p.m... ", "5,000. ", "U.S.'s ",
        "Jr.'s ", "mm.-wide ", "a.b's ", "(1.5) ", "3.5% ", "7:30 p.m. ",
        "1961-62 ",
        /* no joiner: UAX #29 breaks */
        "1,a ", "a.1 ", "1.a ", "A1.B2 ", "a1'b ", "1.5.a ", "a..b ", "5,,6 ",
        "5.,6 ", "a,b ", "x;y ",
        /* joined to non-ASCII: the general path's */
        "5,\xD9\xA3 ", "a.\xC3\xA9 ",
        /* URLs, e-mail addresses and lookalikes */
        "www.x.com ", "WWW.X.ORG, ", "awww.x ", "x.y@z.org ", "3.5-x@y.org ",
        "1,000.5-x@y.com ", "http://x.org ", "ftp:x ", "note:see ",
        "www.x.com-y ", "www.x.com'y ", "www.x.com.y. "};
    CHECK("token-10.11 fast == slow: joined words and numbers at every offset",
          every_offset_ok("10.11", joined, sizeof joined / sizeof *joined));
    CHECK_STR("token-10.12 joined words and numbers are one token each",
              tok("and on and on and on and on and on and on and on and on "
                  "U.S. 5,000 3.5 a:b 13th A1.B2 1961-62 5'6 7:30 x.y.z and "
                  "on and on and on and on and on and on"),
              "and|on|and|on|and|on|and|on|and|on|and|on|and|on|and|on|"
              "U.S.|5,000|3.5|a:b|13th|A1|.|B2|1961|-|62|5'6|7|:|30|x.y.z|and|"
              "on|and|on|and|on|and|on|and|on|and|on");

    /* more tokens than the array is first sized for (a token per five
     * bytes): prose, then a stretch of one-byte tokens, so that the array
     * fills while the block lane runs and must grow under it */
    int same_dense = 1, dense_grew = 1;
    for (int level = 0; level <= 2; level++) {
        lector__tokenizer_set_lane(tk, level);
        for (int prose_len = 0; prose_len <= 6000; prose_len += 1500) {
            static char s[16384];
            size_t n = 0;
            while (n < (size_t)prose_len)
                n += (size_t)sprintf(s + n, "%s", "the county said so ");
            for (; n < sizeof s - 8; n++)
                s[n] = ",;()!?&*"[n % 8];
            same_dense &= same_both_ways(s, n);
            lector_tokens a;
            lector_tokens_init(&a);
            dense_grew &= lector_tokenize(tk, s, n, 0, &a) == 0 &&
                          a.n > n / 5 + 16 && a.cap >= a.n;
            lector_tokens_release(&a);
        }
    }
    lector__tokenizer_set_lane(tk, 2);
    CHECK("token-10.10 fast == slow when the array grows under the lane",
          same_dense && dense_grew);

    /* a run of spaces then a joiner and an emoji (one UAX #29 segment
     * from the first space), at every distance from the text's end: the
     * word lane once took the run up to its limit and left the rest, so
     * the segment started at the wrong space */
    int same_run = 1;
    for (int pre = 0; pre < 60; pre++)
        for (int post = 0; post < 30; post++)
            for (int sp = 2; sp < 5; sp++) {
                char s[128];
                size_t n = 0;
                for (int i = 0; i < pre; i++)
                    s[n++] = "ab cd"[i % 5];
                for (int i = 0; i < sp; i++)
                    s[n++] = ' ';
                memcpy(s + n, "\xE2\x80\x8D\xF0\x9F\x91\x8D", 7);
                n += 7;
                for (int i = 0; i < post; i++)
                    s[n++] = "xy z"[i % 4];
                same_run &= same_both_ways(s, n);
            }
    CHECK("token-10.6 fast == slow: spaces, joiner, emoji near the end",
          same_run);

    /* random bytes, valid UTF-8 or not: the same verdict both ways, the
     * same tokens when valid, and (under ASan) no stray read */
    int agree = 1, valid = 0;
    for (int k = 0; k < 5000; k++) {
        char b[64];
        size_t n = (size_t)(rand() % 64);
        for (size_t j = 0; j < n; j++) {
            int r = rand() % 4;
            b[j] = (char)(r == 0   ? rand() % 256
                          : r == 1 ? " a.'-\n"[rand() % 6]
                                   : 'a' + rand() % 26);
        }
        lector_tokens x;
        lector_tokens_init(&x);
        int rc = lector_tokenize(tk, b, n, 0, &x);
        char msg[256];
        snprintf(msg, sizeof msg, "%s", lector_tokenizer_errmsg(tk));
        lector_tokenize(tk, b, n, LECTOR_TOK_NO_FAST, &x);
        if (strcmp(msg, lector_tokenizer_errmsg(tk))) agree = 0;
        lector_tokens_release(&x);
        if (rc != LECTOR_OK && rc != LECTOR_EUTF8) agree = 0;
        if (rc == LECTOR_OK) valid++;
        if (!same_both_ways(b, n)) agree = 0;
    }
    CHECK("token-10.3 random bytes", agree && valid > 0);

    /* ... and on the seed corpus */
    const char *dir = getenv("LECTOR_SHARED");
    char path[1024];
    int files = 0, all_same = 1;
    for (int i = 0; i < 5; i++) {
        static const char *const names[] = {
            "000_edbceb3384c84068.txt", "001_24d23fa43b9e9066.txt",
            "002_5238b16f6bbe1952.txt", "003_2df66e9c9227f2b9.txt",
            "004_fcb48b072c5b7eb4.txt"};
        snprintf(path, sizeof path, "%s/corpus/news/%s",
                 dir ? dir : "../shared", names[i]);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        static char doc[1 << 16];
        size_t n = fread(doc, 1, sizeof doc, f);
        fclose(f);
        files++;
        all_same &= same_both_ways(doc, n);
    }
    if (files)
        CHECK("token-10.2 fast == slow on the seed corpus", all_same);
    else
        CHECK_SKIP("token-10.2", "no seed corpus in ../shared/corpus/news");

    /* recycled arrays are reused by the next fresh output */
    lector_tokens a;
    lector_tokens_init(&a);
    lector_tokenize(tk, "a b c", 5, 0, &a);
    lector_token *arr = a.tok;
    lector_tokenizer_recycle(tk, &a);
    CHECK("token-12.1 recycled leaves empty",
          a.tok == NULL && a.n == 0 && a.cap == 0);
    lector_tokenize(tk, "d e", 3, 0, &a);
    CHECK("token-12.2 reused", a.tok == arr && a.n == 2);
    lector_tokenizer_recycle(NULL, &a); /* no tokenizer: freed */
    CHECK("token-12.3 freed", a.tok == NULL);

    /* the pool gives an array to a document it is big enough for, never
     * a smaller one; what it keeps is bounded */
    {
        static char big[200000];
        memset(big, 'x', sizeof big);
        for (size_t i = 5; i < sizeof big; i += 6)
            big[i] = ' ';
        lector_tokens small, large, again;
        lector_tokens_init(&small);
        lector_tokens_init(&large);
        lector_tokens_init(&again);
        lector_tokenize(tk, "one two", 7, 0, &small);
        lector_tokenize(tk, big, sizeof big, 0, &large);
        lector_token *small_arr = small.tok, *large_arr = large.tok;
        size_t large_cap = large.cap;
        lector_tokenizer_recycle(tk, &small);
        lector_tokenizer_recycle(tk, &large);
        lector_tokenize(tk, big, sizeof big, 0, &again);
        CHECK("token-12.4 a big document gets the big array, not the small",
              again.tok == large_arr && again.cap == large_cap &&
                  again.n == sizeof big / 6 + 1);
        lector_tokenizer_recycle(tk, &again);
        lector_tokens_init(&again);
        lector_tokenize(tk, "three", 5, 0, &again);
        CHECK("token-12.5 a small document takes the smallest that fits",
              again.tok == small_arr);
        lector_tokenizer_recycle(tk, &again);
        /* 300 arrays of 2^16 tokens (1 MiB each) offered: the pool keeps
         * at most its 64 MiB of them and frees the rest (ASan would see a
         * leak), and gives kept ones back to later documents */
        enum { OFFERED = 300 };
        static lector_token *offered[OFFERED];
        for (int i = 0; i < OFFERED; i++) {
            lector_tokens x;
            x.cap = (size_t)1 << 16;
            x.n = 0;
            x.tok = offered[i] = malloc(x.cap * sizeof *x.tok);
            lector_tokenizer_recycle(tk, &x);
        }
        static lector_tokens back[OFFERED];
        int returned = 0;
        for (int i = 0; i < OFFERED; i++) {
            lector_tokens_init(&back[i]);
            lector_tokenize(tk, "four", 4, 0, &back[i]);
            for (int j = 0; j < OFFERED; j++)
                returned += back[i].tok == offered[j];
        }
        for (int i = 0; i < OFFERED; i++)
            lector_tokens_release(&back[i]);
        CHECK("token-12.6 the pool keeps at most its budget of arrays",
              returned > 0 && returned <= 64);
    }

    /* a fork tokenizes as its tokenizer does (the same norm ids, the
     * abbreviations added to it: Xyz. above) into a cache of its own */
    lector_tokenizer *f = lector__tokenizer_fork(tk);
    CHECK("token-13.1 fork", f != NULL);
    if (f) {
        const char *ft = "Xyz. Qwertyfork met Mr. Smith in the U.S. on Feb. "
                         "6, don't you see? ISIS’s al-Bab 5,000";
        lector_tokens a, b;
        lector_tokens_init(&a);
        lector_tokens_init(&b);
        int ra = lector_tokenize(tk, ft, strlen(ft), 0, &a);
        size_t cached = lector__tokenizer_cached(tk);
        int rb = lector_tokenize(f, ft, strlen(ft), 0, &b);
        CHECK("token-13.2 a fork gives the same tokens, all fields",
              ra == 0 && rb == 0 && a.n == b.n && a.n > 20 &&
                  !memcmp(a.tok, b.tok, a.n * sizeof *a.tok));
        CHECK("token-13.3 with the abbreviations added to its tokenizer",
              b.n > 0 && b.tok[0].end == 4);
        rb = lector_tokenize(f, "Zqxfork Wvyfork Plughfork", 25, 0, &b);
        CHECK("token-13.4 the fork caches its surfaces, not its tokenizer",
              rb == 0 && lector__tokenizer_cached(tk) == cached &&
                  lector__tokenizer_cached(f) > 3);
        lector_tokens_release(&a);
        lector_tokens_release(&b);
        lector_tokenizer_free(f);
    }

    /* the markup symbols the lanes take as tokens of their own (/ < = >
     * and the rest of ASCII's lone symbols), against tailor's URLs after
     * ://, e-mail addresses and marks that attach to a symbol */
    static const char *const markup[] = {"</p> ",
                                         "<a href=\"x\"> ",
                                         "=3D ",
                                         "=20\n",
                                         "a=b ",
                                         "and/or ",
                                         "1/2 ",
                                         "a<b>c ",
                                         "x==y ",
                                         "//c ",
                                         "http://x.org/a ",
                                         "HTTP://X.ORG ",
                                         "https://x.y/z?a=b ",
                                         "ftp://x/ ",
                                         "a://b ",
                                         "x:/y ",
                                         "http:/x ",
                                         "www.x.com/y ",
                                         "x@y.org/z ",
                                         "a/b@c.org ",
                                         "[a] {b} |c| ~d ",
                                         "^e `f` \\g ",
                                         "/\xCC\x81 ",
                                         "<\xC3\xA9> ",
                                         "=\xE2\x80\x8D ",
                                         "http:\xCC\x81// ",
                                         "x:// ",
                                         "://x "};
    CHECK("token-14.1 fast == slow: markup symbols at every offset",
          every_offset_ok("14.1", markup, sizeof markup / sizeof *markup));
    CHECK_STR("token-14.2 markup symbols are tokens of their own",
              tok("and on and on and on and on and on and on and on and on "
                  "</p> a=3D and/or x<y> [a] http://x.org/a b and on and on "
                  "and on and on and on and on"),
              "and|on|and|on|and|on|and|on|and|on|and|on|and|on|and|on|"
              "<|/|p|>|a|=|3D|and|/|or|x|<|y|>|[|a|]|http://x.org/a|b|and|on|"
              "and|on|and|on|and|on|and|on|and|on");

    /* the first sight of every surface: each text into two fresh
     * tokenizers, each with a fresh intern table, one through the hot
     * path and one without it; the tokens agree in every field, norm ids
     * too (so words are interned in the same order either way) */
    static const char *const fresh_prose[] = {
        "Qwerty ", "zxcvb ", "Asdfgh. ", "poiuy, ", "LKJHG ", "mnbvc\n",
        "wertyu ", "Fghjkl ", "Uiop. ", "Dfgh! ", "xcvbnm ", "e.g. ", "Inc. ",
        "Mr. ", "rtyuiopasdfghjklzx ", "don't ", "Ltd.", "sdf-ghj ",
        /* Turkish dotless i and dotted I, ß, the fi ligature, combining
         * marks, ZWJ emoji, clitics after abbreviations */
        "\xC4\xB1s\xC4\xB1k ", "\xC4\xB0stanbul ",
        "Stra\xC3\x9F"
        "e ",
        "\xEF\xAC\x81ne ", "e\xCC\x81te\xCC\x81 ", "caf\xC3\xA9 ",
        "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 ", "U.S.\xE2\x80\x99s ",
        "Jr.'s ", "\xE2\x80\x9Cquoted\xE2\x80\x9D ",
        "a\xE2\x80\x94"
        "b ",
        "</p> ", "=3D ", "x@y.org "};
    srand(4242);
    int fresh_same = 1, fresh_cases = 0;
    for (int level = 0; level <= 2; level++)
        for (int k = 0; k < 300; k++) {
            static char s[4096];
            size_t n = random_text(s, sizeof s, 40 + rand() % 200, fresh_prose,
                                   sizeof fresh_prose / sizeof *fresh_prose);
            if (k % 50 == 7 && n > 10) s[n / 2] = '\0'; /* a NUL inside */
            lector_intern *ia = lector_intern_new(), *ib = lector_intern_new();
            lector_tokenizer *ta = ia ? lector_tokenizer_new(ia) : NULL;
            lector_tokenizer *tb = ib ? lector_tokenizer_new(ib) : NULL;
            lector_tokens a, b;
            lector_tokens_init(&a);
            lector_tokens_init(&b);
            int ok = ta && tb;
            if (ok) {
                lector__tokenizer_set_lane(ta, level);
                /* twice: cold, then warm */
                for (int round = 0; round < 2 && ok; round++) {
                    int ra = lector_tokenize(ta, s, n, 0, &a);
                    int rb = lector_tokenize(tb, s, n, LECTOR_TOK_NO_FAST, &b);
                    ok = ra == rb && a.n == b.n &&
                         (a.n == 0 ||
                          !memcmp(a.tok, b.tok, a.n * sizeof *a.tok));
                }
            }
            if (!ok && fresh_same)
                fprintf(stderr, "FAIL token-14.3 lane %d: [%.*s]\n", level,
                        (int)n, s);
            fresh_same &= ok;
            fresh_cases++;
            lector_tokens_release(&a);
            lector_tokens_release(&b);
            lector_tokenizer_free(ta);
            lector_tokenizer_free(tb);
            lector_intern_free(ia);
            lector_intern_free(ib);
        }
    CHECK("token-14.3 first sight == general path: fresh tokenizers, all "
          "fields and norm ids",
          fresh_same && fresh_cases == 900);
    /* what the tricky words fold to, whichever path saw them first */
    CHECK_STR("token-14.4 folds of first sights",
              tok("Stra\xC3\x9F"
                  "e \xEF\xAC\x81ne \xC4\xB0stanbul "
                  "QWERTYFRESH e\xCC\x81te\xCC\x81 U.S.\xE2\x80\x99s"),
              "Stra\xC3\x9F"
              "e|\xEF\xAC\x81ne|\xC4\xB0stanbul|QWERTYFRESH|"
              "e\xCC\x81te\xCC\x81|U.S.|\xE2\x80\x99s");
    CHECK_STR("token-14.5 norm of a first-sight ASCII word",
              norm_of("the QWERTYFRESHER word", "QWERTYFRESHER"),
              "qwertyfresher");
    CHECK_STR("token-14.6 norm of the ligature",
              norm_of("a \xEF\xAC\x81ne day", "\xEF\xAC\x81ne"), "fine");

    lector_tokenizer *d = lector_tokenizer_default();
    CHECK("token-11.1 default", d != NULL && d == lector_tokenizer_default());
    CHECK("token-11.2 default intern", lector_tokenizer_intern(d) != NULL &&
                                           lector_tokenizer_intern(tk) == in);
    CHECK_INT("token-11.3 default works",
              lector_tokenize(d, "a b", 3, 0, &toks), 0);
    CHECK_INT("token-11.4 default tokens", toks.n, 2);

    lector_tokens_release(&toks);
    lector_tokenizer_free(tk);
    lector_tokenizer_free(NULL);
    lector_intern_free(in);
    return check_done();
}
