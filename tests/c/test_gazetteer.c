/* Gazetteer: compile, match (longest, overlap, case, hyphens, clitics),
 * provenance, TSV/CSV loading and its errors, dump/undump. */
#include "../../core/token.h"
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static lector_intern *in;
static lector_tokenizer *tk;
static lector_tokens toks;
static lector_gazetteer_matches ms;

/* Matches text and writes "entity[text] entity[text] ..." into buf. */
static const char *run(lector_gazetteer *g, const char *text, unsigned opts,
                       char *buf, size_t cap)
{
    size_t n = strlen(text);
    buf[0] = '\0';
    if (lector_tokenize(tk, text, n, 0, &toks) != LECTOR_OK)
        return "tokenize failed";
    if (lector_gazetteer_match(g, text, n, &toks, opts, &ms) != LECTOR_OK)
        return "match failed";
    size_t len = 0;
    for (size_t i = 0; i < ms.n; i++) {
        lector_gaz_entry e;
        lector_gazetteer_entry(g, ms.m[i].entry, &e);
        len += (size_t)snprintf(
            buf + len, cap - len, "%s%s[%.*s]", i ? " " : "", e.entity,
            (int)(ms.m[i].end - ms.m[i].start), text + ms.m[i].start);
        if (len >= cap) break;
    }
    return buf;
}

static int add(lector_gazetteer *g, const char *alias, const char *entity,
               const char *type)
{
    return lector_gazetteer_add(g, alias, strlen(alias), entity, type, NULL,
                                "test", 0, LECTOR_CASE_AUTO);
}

static lector_gazetteer *sample(unsigned opts)
{
    lector_gazetteer *g = lector_gazetteer_new(tk, in, opts);
    add(g, "ISIS", "Islamic State", "ORG");
    add(g, "ISIL", "Islamic State", "ORG");
    add(g, "IS", "Islamic State", "ORG");
    add(g, "Daesh", "Islamic State", "ORG");
    add(g, "Islamic State", "Islamic State", "ORG");
    add(g, "al-Bab", "al-Bab", "PLACE");
    add(g, "Deir ez-Zor", "Deir ez-Zor", "PLACE");
    add(g, "Deir Ezzor", "Deir ez-Zor", "PLACE");
    add(g, "Halab", "Aleppo", "PLACE");
    add(g, "Aleppo", "Aleppo", "PLACE");
    add(g, "Syrian Army", "Syrian Arab Army", "ORG");
    add(g, "Syrian", "Syria", "NORP");
    add(g, "Bab", "Bab", "PLACE");
    add(g, "Georgia", "Georgia (country)", "PLACE");
    add(g, "Georgia", "Georgia (US state)", "PLACE");
    return g;
}

static void test_match(void)
{
    char buf[2048];
    lector_gazetteer *g = sample(0);
    CHECK("gaz-1.1", g != NULL);
    CHECK_INT("gaz-1.2", lector_gazetteer_entities(g), 9);
    CHECK_STR(
        "gaz-1.3",
        run(g, "ISIS and Daesh, the Islamic State (IS).", 0, buf, sizeof buf),
        "Islamic State[ISIS] Islamic State[Daesh] Islamic State[Islamic State] "
        "Islamic State[IS]");
    CHECK_STR("gaz-1.4", run(g, "It is what Is is.", 0, buf, sizeof buf), "");
    CHECK_STR("gaz-1.5",
              run(g, "ISIS\xE2\x80\x99s fighters and ISIS's allies", 0, buf,
                  sizeof buf),
              "Islamic State[ISIS] Islamic State[ISIS]");
    CHECK_STR(
        "gaz-1.6",
        run(g, "In al-Bab, Al-Bab, AL-BAB and al Bab.", 0, buf, sizeof buf),
        "al-Bab[al-Bab] al-Bab[Al-Bab] al-Bab[AL-BAB] al-Bab[al Bab]");
    CHECK_STR("gaz-1.7", run(g, "Babylon is not Bab.", 0, buf, sizeof buf),
              "Bab[Bab]");
    CHECK_STR("gaz-1.8",
              run(g, "the Syrian Army and Syrian troops", 0, buf, sizeof buf),
              "Syrian Arab Army[Syrian Army] Syria[Syrian]");
    CHECK_STR("gaz-1.9",
              run(g, "Deir\nEzzor and Deir ez Zor and Deir ez-Zor", 0, buf,
                  sizeof buf),
              "Deir ez-Zor[Deir\nEzzor] Deir ez-Zor[Deir ez Zor] Deir "
              "ez-Zor[Deir ez-Zor]");
    CHECK_STR("gaz-1.10",
              run(g,
                  "\xE1\xB8\xA4"
                  "alab and HALAB",
                  0, buf, sizeof buf),
              "Aleppo[\xE1\xB8\xA4"
              "alab] Aleppo[HALAB]");
    CHECK_STR("gaz-1.11", run(g, "Georgia", 0, buf, sizeof buf),
              "Georgia (country)[Georgia] Georgia (US state)[Georgia]");
    CHECK_STR("gaz-1.12",
              run(g, "the Syrian Army", LECTOR_MATCH_OVERLAP, buf, sizeof buf),
              "Syria[Syrian] Syrian Arab Army[Syrian Army]");
    CHECK_STR("gaz-1.13", run(g, "", 0, buf, sizeof buf), "");
    /* spans and token indexes */
    run(g, "In Al-Bab now", 0, buf, sizeof buf);
    CHECK_INT("gaz-1.14", ms.n, 1);
    CHECK_INT("gaz-1.15", ms.m[0].start, 3);
    CHECK_INT("gaz-1.16", ms.m[0].end, 9);
    CHECK_INT("gaz-1.17", ms.m[0].first, 1);
    CHECK_INT("gaz-1.18", ms.m[0].last, 3);
    /* provenance */
    lector_gaz_entry e;
    CHECK_INT("gaz-1.19", lector_gazetteer_entry(g, ms.m[0].entry, &e),
              LECTOR_OK);
    CHECK_STR("gaz-1.20", e.source, "test");
    CHECK_STR("gaz-1.21", e.alias, "al-Bab");
    CHECK_STR("gaz-1.22", e.type, "PLACE");
    CHECK_INT("gaz-1.23", lector_gazetteer_entry(g, 9999, &e), LECTOR_EINVAL);
    CHECK("gaz-1.24", lector_gazetteer_type_id(g, "PLACE") >= 0);
    CHECK_INT("gaz-1.25", lector_gazetteer_type_id(g, "NOPE"), -1);
    /* errors */
    CHECK_INT("gaz-1.26", add(g, "  ", "x", NULL), LECTOR_EFORMAT);
    CHECK_INT("gaz-1.27", add(g, "x", "", NULL), LECTOR_EFORMAT);
    CHECK_INT("gaz-1.28",
              lector_gazetteer_add(g, "\xff", 1, "x", NULL, NULL, NULL, 0, 0),
              LECTOR_EUTF8);
    CHECK("gaz-1.29", strstr(lector_gazetteer_errmsg(g), "byte 0") != NULL);
    /* duplicates collapse */
    size_t before = lector_gazetteer_count(g);
    add(g, "Daesh", "Islamic State", "ORG");
    CHECK_INT("gaz-1.30", lector_gazetteer_count(g), before);
    /* a failed match leaves its reason, as every other method does */
    CHECK_INT("gaz-1.31", lector_gazetteer_match(g, "x", 1, NULL, 0, &ms),
              LECTOR_EINVAL);
    CHECK("gaz-1.32",
          strstr(lector_gazetteer_errmsg(g), "needs tokens") != NULL);
    lector_gazetteer_free(g);

    /* strict hyphens */
    g = sample(LECTOR_GAZ_HYPHENS_STRICT);
    CHECK_STR(
        "gaz-2.1",
        run(g, "Deir ez Zor, Deir ez-Zor, al Bab, Al-Bab", 0, buf, sizeof buf),
        "Deir ez-Zor[Deir ez-Zor] Bab[Bab] al-Bab[Al-Bab]");
    lector_gazetteer_free(g);

    /* explicit case policies */
    g = lector_gazetteer_new(tk, in, 0);
    lector_gazetteer_add(g, "Turkey", 6, "Turkey", "PLACE", NULL, NULL, 0,
                         LECTOR_CASE_SENSITIVE);
    lector_gazetteer_add(g, "US", 2, "United States", "PLACE", NULL, NULL, 0,
                         LECTOR_CASE_INSENSITIVE);
    CHECK_STR("gaz-2.2", run(g, "turkey Turkey us", 0, buf, sizeof buf),
              "Turkey[Turkey] United States[us]");
    lector_gazetteer_free(g);
}

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/lector-test-gaz-%d-%s", (int)getpid(),
             name);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_load(void)
{
    char buf[1024];
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    const char *p =
        write_file("a.tsv", "# a comment\nalias\tentity\ttype\tcase\tcountry\n"
                            "Aleppo\tAleppo\tPLACE\t\tSyria\n"
                            "\n"
                            "SAA\tSyrian Arab Army\tORG\tauto\tSyria\n"
                            "Putin\tVladimir Putin\tPERSON\n");
    size_t skipped = 99;
    CHECK_INT("load-1.1", lector_gazetteer_load(g, p, 0, &skipped), LECTOR_OK);
    CHECK_INT("load-1.2", skipped, 0);
    CHECK_INT("load-1.3", lector_gazetteer_count(g), 3);
    CHECK_STR(
        "load-1.4",
        run(g, "Putin in aleppo with the SAA, not the saa", 0, buf, sizeof buf),
        "Vladimir Putin[Putin] Aleppo[aleppo] Syrian Arab Army[SAA]");
    lector_gaz_entry e;
    lector_gazetteer_entry(g, ms.m[1].entry, &e);
    CHECK_STR("load-1.5", e.source, p);
    CHECK_INT("load-1.6", e.line, 3);
    CHECK_STR("load-1.7", e.attrs, "{\"country\":\"Syria\"}");
    lector_gazetteer_entry(g, ms.m[0].entry, &e);
    CHECK_STR("load-1.8", e.attrs, "");
    lector_gazetteer_free(g);

    /* CSV with quotes */
    g = lector_gazetteer_new(tk, in, 0);
    p = write_file("b.csv", "entity,alias,note\n\"Washington, "
                            "D.C.\",Washington,\"say \"\"hi\"\"\"\n");
    CHECK_INT("load-2.1", lector_gazetteer_load(g, p, 0, NULL), LECTOR_OK);
    lector_gazetteer_entry(g, 0, &e);
    CHECK_STR("load-2.2", e.entity, "Washington, D.C.");
    CHECK_STR("load-2.3", e.attrs, "{\"note\":\"say \\\"hi\\\"\"}");
    lector_gazetteer_free(g);

    /* errors: FILE:LINE: what */
    struct {
        const char *id, *text, *want;
    } bad[] = {
        {"load-3.1", "alias\ttype\nx\ty\n",
         "header must name the columns alias and entity"},
        {"load-3.2", "alias\tentity\nx\ty\n\ty\n", ":3: empty alias"},
        {"load-3.3", "alias\tentity\tcase\nx\ty\tloud\n",
         ":2: case must be sensitive, insensitive or auto"},
        {"load-3.4", "alias\tentity\nx\ty\tz\n",
         ":2: 3 fields, the header has 2"},
        {"load-3.5", "alias\tentity\nx\xff\ty\n",
         ":2: invalid UTF-8 at byte 2"},
        {"load-3.6", "alias,entity\n\"x,y\n",
         ":2: unterminated or misplaced quote"},
        {"load-3.7", "", "no header row"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        g = lector_gazetteer_new(tk, in, 0);
        p = write_file("bad.tsv", bad[i].text);
        int rc = lector_gazetteer_load(g, p, 0, NULL);
        CHECK(bad[i].id, rc == LECTOR_EFORMAT || rc == LECTOR_EUTF8);
        CHECK(bad[i].id,
              strstr(lector_gazetteer_errmsg(g), bad[i].want) != NULL);
        CHECK(bad[i].id,
              strncmp(lector_gazetteer_errmsg(g), p, strlen(p)) == 0);
        if (!strstr(lector_gazetteer_errmsg(g), bad[i].want))
            fprintf(stderr, "  errmsg: %s\n", lector_gazetteer_errmsg(g));
        lector_gazetteer_free(g);
    }
    g = lector_gazetteer_new(tk, in, 0);
    p = write_file("skip.tsv", "alias\tentity\nx\ty\n\tz\na\tb\tc\nq\tr\n");
    size_t sk = 0;
    CHECK_INT("load-4.1", lector_gazetteer_load(g, p, LECTOR_GAZ_SKIP_BAD, &sk),
              LECTOR_OK);
    CHECK_INT("load-4.2", sk, 2);
    CHECK_INT("load-4.3", lector_gazetteer_count(g), 2);
    CHECK("load-4.4",
          strstr(lector_gazetteer_errmsg(g), ":3: empty alias") != NULL);
    CHECK_INT("load-4.5",
              lector_gazetteer_load(g, "/nonexistent/x.tsv", 0, NULL),
              LECTOR_EIO);
    CHECK("load-4.6",
          strstr(lector_gazetteer_errmsg(g),
                 "/nonexistent/x.tsv: No such file or directory") != NULL);
    CHECK_INT("load-4.7", lector_gazetteer_load(g, "/tmp", 0, NULL),
              LECTOR_EIO);
    CHECK("load-4.8",
          strstr(lector_gazetteer_errmsg(g), "/tmp: read error") != NULL);
    lector_gazetteer_free(g);
    /* a BOM, CRLF line ends and a last line without its newline */
    g = lector_gazetteer_new(tk, in, 0);
    p = write_file("bom.tsv", "\xEF\xBB\xBF"
                              "alias\tentity\r\nHoms\tHoms\r\nHama\tHama");
    CHECK_INT("load-4.9", lector_gazetteer_load(g, p, 0, NULL), LECTOR_OK);
    CHECK_STR("load-4.10", run(g, "Homs and Hama", 0, buf, sizeof buf),
              "Homs[Homs] Hama[Hama]");
    lector_gazetteer_free(g);
    unlink(write_file("bom.tsv", ""));
    unlink(write_file("a.tsv", ""));
    unlink(write_file("b.csv", ""));
    unlink(write_file("bad.tsv", ""));
    unlink(write_file("skip.tsv", ""));
}

/* A file's aliases are tokenized by a fork of the tokenizer: its cache
 * keeps the text's surfaces alone, and the aliases match as before, with
 * the abbreviations added to it. */
static void test_load_fork(void)
{
    char buf[256];
    CHECK_INT("load-5.1 abbreviation",
              lector_tokenizer_add_abbrev(tk, "Xyzzy.", 6), LECTOR_OK);
    const char *text = "in Xyzzy. Plughton and Frobozzville Quendor";
    CHECK_INT("load-5.2 text",
              lector_tokenize(tk, text, strlen(text), 0, &toks), LECTOR_OK);
    size_t cached = lector__tokenizer_cached(tk);
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    const char *p = write_file("fork.tsv", "alias\tentity\n"
                                           "Xyzzy. Plughton\tPlughton\n"
                                           "Frobozzville Quendor\tQuendor\n"
                                           "Zorkmid Flathead\tFlathead\n");
    CHECK_INT("load-5.3", lector_gazetteer_load(g, p, 0, NULL), LECTOR_OK);
    CHECK_INT("load-5.4 the tokenizer's cache has no alias surfaces",
              lector__tokenizer_cached(tk), cached);
    CHECK_STR("load-5.5 the aliases match", run(g, text, 0, buf, sizeof buf),
              "Plughton[Xyzzy. Plughton] Quendor[Frobozzville Quendor]");
    lector_gazetteer_free(g);
}

static void test_dump(void)
{
    char buf[1024], want[1024];
    const char *text =
        "ISIS left al-Bab for Deir Ezzor; Georgia; the Syrian Army; it is";
    lector_gazetteer *g = sample(0);
    run(g, text, 0, want, sizeof want);
    char *d;
    size_t dn;
    CHECK_INT("dump-1.1", lector_gazetteer_dump(g, &d, &dn), LECTOR_OK);
    /* into a fresh intern table and tokenizer: ids are remapped */
    lector_intern *in2 = lector_intern_new();
    lector_tokenizer *tk2 = lector_tokenizer_new(in2);
    lector_intern_add(in2, "padding", 7);
    lector_gazetteer *h = lector_gazetteer_new(tk2, in2, 0);
    CHECK_INT("dump-1.2", lector_gazetteer_undump(h, d, dn), LECTOR_OK);
    lector_tokens t2;
    lector_tokens_init(&t2);
    lector_tokenize(tk2, text, strlen(text), 0, &t2);
    lector_gazetteer_matches m2;
    lector_gazetteer_matches_init(&m2);
    lector_gazetteer_match(h, text, strlen(text), &t2, 0, &m2);
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m2.n; i++) {
        lector_gaz_entry e;
        lector_gazetteer_entry(h, m2.m[i].entry, &e);
        len += (size_t)snprintf(
            buf + len, sizeof buf - len, "%s%s[%.*s]", i ? " " : "", e.entity,
            (int)(m2.m[i].end - m2.m[i].start), text + m2.m[i].start);
    }
    CHECK_STR("dump-1.3", buf, want);
    CHECK_INT("dump-1.4", lector_gazetteer_count(h), lector_gazetteer_count(g));
    CHECK("dump-1.5", lector_gazetteer_type_id(h, "PLACE") >= 0);
    /* not empty any more */
    CHECK_INT("dump-1.6", lector_gazetteer_undump(h, d, dn), LECTOR_EINVAL);
    /* every truncation and some corruption is refused cleanly */
    int refused = 1;
    for (size_t cut = 0; cut < dn; cut += 1 + dn / 200) {
        lector_gazetteer *x = lector_gazetteer_new(tk2, in2, 0);
        if (lector_gazetteer_undump(x, d, cut) != LECTOR_EFORMAT) refused = 0;
        lector_gazetteer_free(x);
    }
    CHECK("dump-1.7", refused);
    lector_gazetteer *x = lector_gazetteer_new(tk2, in2, 0);
    CHECK_INT("dump-1.8", lector_gazetteer_undump(x, "LECTORGZ", 8),
              LECTOR_EFORMAT);
    CHECK("dump-1.9", strstr(lector_gazetteer_errmsg(x),
                             "not a lector gazetteer dump") != NULL);
    lector_gazetteer_free(x);
    /* Each of the four string pools (text, entities, types, sources; the
     * last bytes of the dump, sizes in the header's counts 5..8) must end
     * in a NUL: a damaged pool is refused, never read past its end. */
    uint64_t c[9];
    memcpy(c, d + 8 + 12, sizeof c);
    size_t end = dn, damaged = 0, refused_pool = 0;
    for (int k = 8; k >= 5; k--) {
        if (c[k]) {
            char *bad = malloc(dn);
            memcpy(bad, d, dn);
            bad[end - 1] = 'x';
            x = lector_gazetteer_new(tk2, in2, 0);
            damaged++;
            if (lector_gazetteer_undump(x, bad, dn) == LECTOR_EFORMAT &&
                strstr(lector_gazetteer_errmsg(x), "bad string pool"))
                refused_pool++;
            lector_gazetteer_free(x);
            free(bad);
        }
        end -= c[k];
    }
    CHECK("dump-1.10 pools to damage", damaged >= 3);
    CHECK_INT("dump-1.11 a pool without its final NUL is refused", refused_pool,
              damaged);
    /* through a file */
    char path[128];
    snprintf(path, sizeof path, "/tmp/lector-test-gaz-%d.lgz", (int)getpid());
    CHECK_INT("dump-2.1", lector_gazetteer_save(g, path), LECTOR_OK);
    x = lector_gazetteer_new(tk, in, 0);
    CHECK_INT("dump-2.2", lector_gazetteer_open(x, path), LECTOR_OK);
    CHECK_STR("dump-2.3", run(x, text, 0, buf, sizeof buf), want);
    lector_gazetteer_free(x);
    x = lector_gazetteer_new(tk, in, 0);
    CHECK_INT("dump-2.4", lector_gazetteer_open(x, "/nonexistent.lgz"),
              LECTOR_EIO);
    lector_gazetteer_free(x);
    unlink(path);
    lector_gazetteer_matches_release(&m2);
    lector_tokens_release(&t2);
    lector_gazetteer_free(h);
    lector_tokenizer_free(tk2);
    lector_intern_free(in2);
    lector_free(d);
    lector_gazetteer_free(g);
}

/* The first level of the trie is an array by token id, sized to the
 * highest first token: words interned later, and aliases added later whose
 * first tokens have higher ids, must match all the same. */
static void test_ids(void)
{
    char buf[2048];
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    add(g, "Aleppo", "Aleppo", "PLACE");
    add(g, "Deir ez-Zor", "Deir ez-Zor", "PLACE");
    /* thousands of words interned after the gazetteer was built */
    char word[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(word, sizeof word, "newword%d", i);
        lector_intern_add(in, word, (size_t)n);
    }
    CHECK_STR("ids-1.1",
              run(g, "newword4999 Aleppo zzfresh Deir ez Zor newword3", 0, buf,
                  sizeof buf),
              "Aleppo[Aleppo] Deir ez-Zor[Deir ez Zor]");
    /* an alias whose first token has the highest id so far, added after
     * matching, and one that extends an old first token */
    add(g, "newword4999 gate", "Gate", "PLACE");
    add(g, "Aleppo citadel", "Citadel", "PLACE");
    CHECK_STR("ids-1.2",
              run(g, "the newword4999 gate, the Aleppo citadel, Aleppo", 0, buf,
                  sizeof buf),
              "Gate[newword4999 gate] Citadel[Aleppo citadel] Aleppo[Aleppo]");
    CHECK_INT("ids-1.3", lector_gazetteer_nodes(g), 1 + 3 + 2 + 2);
    lector_gazetteer_free(g);

    /* Many aliases sharing a first word fill its children's filters: the
     * walk must still find each one, and nothing else. */
    g = lector_gazetteer_new(tk, in, 0);
    for (int i = 0; i < 300; i++) {
        char alias[32], entity[32];
        snprintf(alias, sizeof alias, "New Town%d", i);
        snprintf(entity, sizeof entity, "T%d", i);
        add(g, alias, entity, "PLACE");
    }
    add(g, "New", "New", NULL);
    CHECK_STR("ids-2.1",
              run(g, "New Town7, new town299, New Town300, New Towns", 0, buf,
                  sizeof buf),
              "T7[New Town7] T299[new town299] New[New] New[New]");
    size_t hits = 0;
    for (int i = 0; i < 300; i++) {
        char text[40], want[40];
        snprintf(text, sizeof text, "in New Town%d.", i);
        snprintf(want, sizeof want, "T%d[New Town%d]", i, i);
        if (strcmp(run(g, text, 0, buf, sizeof buf), want) == 0) hits++;
    }
    CHECK_INT("ids-2.2", hits, 300);
    lector_gazetteer_free(g);
}

/* One alias, entities of both case policies: each entity checks its own. */
static void test_case_lists(void)
{
    char buf[512];
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    lector_gazetteer_add(g, "Us", 2, "Band", NULL, NULL, NULL, 0,
                         LECTOR_CASE_SENSITIVE);
    lector_gazetteer_add(g, "us", 2, "Pronoun", NULL, NULL, NULL, 0,
                         LECTOR_CASE_INSENSITIVE);
    lector_gazetteer_add(g, "US", 2, "United States", NULL, NULL, NULL, 0,
                         LECTOR_CASE_AUTO);
    CHECK_STR("case-1.1", run(g, "us", 0, buf, sizeof buf), "Pronoun[us]");
    CHECK_STR("case-1.2", run(g, "Us", 0, buf, sizeof buf),
              "Band[Us] Pronoun[Us]");
    CHECK_STR("case-1.3", run(g, "US say", 0, buf, sizeof buf),
              "Pronoun[US] United States[US]");
    /* In a line without lower case, the auto alias of short capitals is
     * silent; the explicit policies are not. */
    CHECK_STR("case-1.4", run(g, "US SAY\nno", 0, buf, sizeof buf),
              "Pronoun[US]");
    CHECK_STR("case-1.5", run(g, "no\nUS SAY", 0, buf, sizeof buf),
              "Pronoun[US]");
    CHECK_STR("case-1.6", run(g, "\xc3\xa9 US", 0, buf, sizeof buf),
              "Pronoun[US] United States[US]");
    lector_gazetteer_free(g);

    /* One entity under two case-sensitive spellings of one key: each
     * spelling matches, an alias added twice is one entry, and a spelling
     * not added matches neither. */
    g = lector_gazetteer_new(tk, in, 0);
    lector_gazetteer_add(g, "The Hill", 8, "The Hill", "MEDIA", NULL, NULL, 0,
                         LECTOR_CASE_SENSITIVE);
    lector_gazetteer_add(g, "the Hill", 8, "The Hill", "MEDIA", NULL, NULL, 0,
                         LECTOR_CASE_SENSITIVE);
    lector_gazetteer_add(g, "the Hill", 8, "The Hill", "MEDIA", NULL, NULL, 0,
                         LECTOR_CASE_SENSITIVE);
    CHECK_STR(
        "case-2.1",
        run(g, "The Hill said; told the Hill; up the hill", 0, buf, sizeof buf),
        "The Hill[The Hill] The Hill[the Hill]");
    CHECK("case-2.2", lector_gazetteer_count(g) == 2);
    lector_gazetteer_free(g);
}

/* Appends (p, n) to a byte buffer. */
static void put_bytes(char *buf, size_t *len, const void *p, size_t n)
{
    memcpy(buf + *len, p, n);
    *len += n;
}

/* A dump as the code before the first level became an array wrote it:
 * nodes numbered in the order aliases made them (root 0, deir 1, ez 2,
 * zor 3, aleppo 4), "Deir ez-Zor" and "Aleppo" in a loose gazetteer.
 * bad_tree makes "aleppo" lead to node 3 too; bad_next links entry 0 to
 * itself. */
static size_t old_dump(char *buf, int bad_tree, int bad_next)
{
    static const char toks[] = "deir\0ez\0zor\0aleppo";
    static const char text[] = "Deir ez-Zor\0\0Aleppo\0";
    static const char ents[] = "Deir ez-Zor\0Aleppo";
    static const char types[] = "PLACE";
    int32_t edges[4][3] = {
        {0, 0, 1}, {1, 1, 2}, {2, 2, 3}, {0, 3, bad_tree ? 3 : 4}};
    int32_t node_entry[5] = {-1, -1, -1, 0, 1};
    int32_t entries[2][9] = {
        {bad_next ? 0 : -1, 0, 0, 0, 0, 12, -1, 0, LECTOR_CASE_INSENSITIVE},
        {-1, 1, 0, 13, 13, 20, -1, 0, LECTOR_CASE_INSENSITIVE}};
    uint32_t hdr[3] = {1, 0x01020304, 0};
    uint64_t counts[9] = {4,           sizeof toks,  5, 4, 2, sizeof text + 1,
                          sizeof ents, sizeof types, 0};
    size_t len = 0;
    put_bytes(buf, &len, "LECTORGZ", 8);
    put_bytes(buf, &len, hdr, sizeof hdr);
    put_bytes(buf, &len, counts, sizeof counts);
    put_bytes(buf, &len, toks, sizeof toks);
    put_bytes(buf, &len, edges, sizeof edges);
    put_bytes(buf, &len, node_entry, sizeof node_entry);
    put_bytes(buf, &len, entries, sizeof entries);
    put_bytes(buf, &len, text, sizeof text);
    put_bytes(buf, &len, "", 1); /* the last attrs: "" */
    put_bytes(buf, &len, ents, sizeof ents);
    put_bytes(buf, &len, types, sizeof types);
    return len;
}

static void test_old_dump(void)
{
    char buf[1024], d[512];
    size_t n = old_dump(d, 0, 0);
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    CHECK_INT("olddump-1.1", lector_gazetteer_undump(g, d, n), LECTOR_OK);
    CHECK_INT("olddump-1.2", lector_gazetteer_nodes(g), 5);
    CHECK_STR(
        "olddump-1.3",
        run(g, "from Deir ez Zor to aleppo, not Deir", 0, buf, sizeof buf),
        "Deir ez-Zor[Deir ez Zor] Aleppo[aleppo]");
    /* and it dumps again in today's numbering, which loads the same */
    char *d2;
    size_t n2;
    CHECK_INT("olddump-1.4", lector_gazetteer_dump(g, &d2, &n2), LECTOR_OK);
    lector_gazetteer *h = lector_gazetteer_new(tk, in, 0);
    CHECK_INT("olddump-1.5", lector_gazetteer_undump(h, d2, n2), LECTOR_OK);
    CHECK_STR("olddump-1.6", run(h, "Deir ez-Zor; ALEPPO", 0, buf, sizeof buf),
              "Deir ez-Zor[Deir ez-Zor] Aleppo[ALEPPO]");
    CHECK_INT("olddump-1.7", lector_gazetteer_nodes(h), 5);
    lector_free(d2);
    lector_gazetteer_free(h);
    lector_gazetteer_free(g);

    /* a node reached twice is not a trie; an entry list that loops back
     * would never end */
    g = lector_gazetteer_new(tk, in, 0);
    n = old_dump(d, 1, 0);
    CHECK_INT("olddump-2.1", lector_gazetteer_undump(g, d, n), LECTOR_EFORMAT);
    CHECK("olddump-2.2", strstr(lector_gazetteer_errmsg(g), "not a tree"));
    n = old_dump(d, 0, 1);
    CHECK_INT("olddump-2.3", lector_gazetteer_undump(g, d, n), LECTOR_EFORMAT);
    CHECK("olddump-2.4",
          strstr(lector_gazetteer_errmsg(g), "entry out of range"));
    /* a failed undump leaves the gazetteer empty and usable */
    CHECK_INT("olddump-2.5", lector_gazetteer_undump(g, d, old_dump(d, 0, 0)),
              LECTOR_OK);
    CHECK_STR("olddump-2.6", run(g, "Aleppo", 0, buf, sizeof buf),
              "Aleppo[Aleppo]");
    lector_gazetteer_free(g);
}

int main(void)
{
    in = lector_intern_new();
    tk = lector_tokenizer_new(in);
    lector_tokens_init(&toks);
    lector_gazetteer_matches_init(&ms);
    test_match();
    test_load();
    test_load_fork();
    test_dump();
    test_ids();
    test_case_lists();
    test_old_dump();
    lector_gazetteer_matches_release(&ms);
    lector_tokens_release(&toks);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    lector_gazetteer_free(NULL);
    return check_done();
}
