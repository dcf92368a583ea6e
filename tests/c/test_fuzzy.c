/* Fuzzy gazetteer matching (gaz_fuzzy.c): keys set by the caller, the
 * need-keys protocol (lazy: a few rounds), articles and joined hyphens dropped,
 * exact matches first, capitals only, fuzzy ids resolved, errors. The keys here
 * are written by hand; the rules that make them are Lua's (lector.translit). */
#include "check.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>

static lector_intern *in;
static lector_tokenizer *tk;
static lector_tokens toks;
static lector_gazetteer_matches ms;

/* word -> key ("" for an article, "-" for a joined article) */
static const char *KEYS[][2] = {
    {"deir", "dar"},    {"dayr", "dar"},   {"dair", "dar"},   {"zor", "zar"},
    {"zawr", "zar"},    {"zour", "zar"},   {"al", ""},        {"ez", "-"},
    {"az", "-"},        {"raqqa", "raka"}, {"rakka", "raka"}, {"ar", "-"},
    {"raqqah", "raka"},
};

static int set_keys(lector_gazetteer *g, size_t need)
{
    const int32_t *ids = lector_gazetteer_fuzzy_needed(g);
    for (size_t i = 0; i < need; i++) {
        const char *w = lector_intern_str(in, ids[i], NULL);
        int kind = LECTOR_FZ_NONE;
        const char *key = NULL;
        for (size_t k = 0; k < sizeof KEYS / sizeof *KEYS; k++) {
            if (strcmp(w, KEYS[k][0]) != 0) continue;
            key = KEYS[k][1];
            kind = !*key                   ? LECTOR_FZ_SKIP
                   : strcmp(key, "-") == 0 ? LECTOR_FZ_SKIP_JOINED
                                           : LECTOR_FZ_KEY;
        }
        if (lector_gazetteer_fuzzy_key(g, ids[i], kind, key,
                                       key ? strlen(key) : 0) != LECTOR_OK)
            return -1;
    }
    return 0;
}

/* Matches text (keys set as asked) into "entity[text]~ ..." (~: fuzzy). */
static const char *run(lector_gazetteer *g, const char *text, unsigned opts,
                       char *buf, size_t cap)
{
    size_t n = strlen(text), need = 0;
    buf[0] = '\0';
    if (lector_tokenize(tk, text, n, 0, &toks) != LECTOR_OK)
        return "tokenize failed";
    if (lector_gazetteer_fuzzy_match(g, text, n, &toks, opts, &ms, &need) !=
        LECTOR_OK)
        return "match failed";
    /* keys are asked for lazily (the words walks reach): a few rounds,
     * each asking for new words only */
    for (int round = 0; need; round++) {
        if (round == 8) return "keys asked for again and again";
        if (set_keys(g, need) < 0) return "keys failed";
        if (lector_gazetteer_fuzzy_match(g, text, n, &toks, opts, &ms, &need) !=
            LECTOR_OK)
            return "second match failed";
    }
    size_t len = 0;
    for (size_t i = 0; i < ms.n; i++) {
        lector_gaz_entry e;
        if (lector_gazetteer_entry(g, ms.m[i].entry, &e) != LECTOR_OK)
            return "no entry";
        len += (size_t)snprintf(
            buf + len, cap - len, "%s%s[%.*s]%s", i ? " " : "", e.entity,
            (int)(ms.m[i].end - ms.m[i].start), text + ms.m[i].start,
            ms.m[i].entry & LECTOR_GAZ_FUZZY_BIT ? "~" : "");
        if (len >= cap) break;
    }
    return buf;
}

int main(void)
{
    in = lector_intern_new();
    tk = lector_tokenizer_new(in);
    lector_tokens_init(&toks);
    lector_gazetteer_matches_init(&ms);
    char buf[512];
    lector_gazetteer *g = lector_gazetteer_new(tk, in, 0);
    CHECK_INT("fuzzy-1.1",
              lector_gazetteer_add(g, "Deir ez-Zor", 11, "Deir ez-Zor", "PLACE",
                                   NULL, "t", 1, LECTOR_CASE_AUTO),
              LECTOR_OK);
    CHECK_INT("fuzzy-1.2",
              lector_gazetteer_add(g, "Raqqa", 5, "Raqqa", "PLACE", NULL, "t",
                                   2, LECTOR_CASE_AUTO),
              LECTOR_OK);
    /* no fuzzy alias yet: the exact matcher alone */
    CHECK_STR("fuzzy-1.3", run(g, "Dayr az-Zawr, Raqqa", 0, buf, sizeof buf),
              "Raqqa[Raqqa]");
    CHECK_INT("fuzzy-1.4", lector_gazetteer_fuzzy_add(g, 0, "dar zar", 7),
              LECTOR_OK);
    CHECK_INT("fuzzy-1.5", lector_gazetteer_fuzzy_add(g, 1, "raka", 4),
              LECTOR_OK);
    CHECK_INT("fuzzy-1.6", lector_gazetteer_fuzzy_count(g), 2);
    size_t before = lector_gazetteer_memory(g);
    CHECK_STR("fuzzy-2.1",
              run(g, "Dayr az-Zawr, Deir al-Zour; Ar-Raqqah and Rakka.", 0, buf,
                  sizeof buf),
              "Deir ez-Zor[Dayr az-Zawr]~ Deir ez-Zor[Deir al-Zour]~ "
              "Raqqa[Ar-Raqqah]~ Raqqa[Rakka]~");
    CHECK("fuzzy-2.0", lector_gazetteer_memory(g) > before); /* the key cache */
    /* exact first; lower case and a spaced joined article never fuzzy */
    CHECK_STR(
        "fuzzy-2.2",
        run(g, "Raqqa, rakka, Deir az Zawr, Deir ez-Zor", 0, buf, sizeof buf),
        "Raqqa[Raqqa] Deir ez-Zor[Deir ez-Zor]");
    CHECK_STR("fuzzy-2.3",
              run(g, "Rakka Raqqa", LECTOR_MATCH_OVERLAP, buf, sizeof buf),
              "Raqqa[Rakka]~ Raqqa[Raqqa]");
    /* fuzzy ids resolve to the entry they met */
    const char *keys = NULL;
    run(g, "Rakka", 0, buf, sizeof buf);
    CHECK_INT("fuzzy-3.1", ms.n, 1);
    CHECK_INT("fuzzy-3.2",
              lector_gazetteer_fuzzy_entry(g, ms.m[0].entry, &keys), 1);
    CHECK_STR("fuzzy-3.3", keys, "raka");
    CHECK_INT("fuzzy-3.4", lector_gazetteer_fuzzy_entry(g, 1, &keys), -1);
    CHECK_STR("fuzzy-3.5", keys, "");
    CHECK_INT("fuzzy-3.6", ms.m[0].type_id,
              lector_gazetteer_type_id(g, "PLACE"));
    /* rules against floods: a word the text also writes in lower case;
     * a one-word match starting a sentence or line (after an opening
     * quote too), and not one inside a sentence */
    CHECK_INT("fuzzy-5.1",
              lector_gazetteer_fuzzy_rules(g, LECTOR_FZ_LOWER_SEEN), LECTOR_OK);
    CHECK_STR("fuzzy-5.2", run(g, "The Rakka and a rakka.", 0, buf, sizeof buf),
              "");
    CHECK_STR("fuzzy-5.3",
              run(g, "The Rakka and Deir al-Zour.", 0, buf, sizeof buf),
              "Raqqa[Rakka]~ Deir ez-Zor[Deir al-Zour]~");
    CHECK_INT("fuzzy-5.4", lector_gazetteer_fuzzy_rules(g, LECTOR_FZ_INITIAL),
              LECTOR_OK);
    CHECK_STR("fuzzy-5.5",
              run(g, "Rakka fell. \"Rakka fell.\"\nRakka\nIn Rakka, a rakka.",
                  0, buf, sizeof buf),
              "Raqqa[Rakka]~");
    CHECK_STR("fuzzy-5.6", run(g, "Dayr az-Zawr fell.", 0, buf, sizeof buf),
              "Deir ez-Zor[Dayr az-Zawr]~"); /* two words: kept */
    CHECK_INT("fuzzy-5.7", lector_gazetteer_fuzzy_rules(g, 0), LECTOR_OK);
    CHECK_STR("fuzzy-5.8", run(g, "Rakka fell.", 0, buf, sizeof buf),
              "Raqqa[Rakka]~");
    /* errors */
    CHECK_INT("fuzzy-4.1", lector_gazetteer_fuzzy_key(g, 5, 9, NULL, 0),
              LECTOR_EINVAL);
    CHECK_INT("fuzzy-4.2",
              lector_gazetteer_fuzzy_key(g, 5, LECTOR_FZ_KEY, "Ab", 2),
              LECTOR_EINVAL);
    CHECK("fuzzy-4.3", strstr(lector_gazetteer_errmsg(g), "a-z only"));
    CHECK_INT("fuzzy-4.4",
              lector_gazetteer_fuzzy_key(g, 0, LECTOR_FZ_NONE, NULL, 0),
              LECTOR_EINVAL);
    CHECK_INT("fuzzy-4.5", lector_gazetteer_fuzzy_add(g, 7, "abc", 3),
              LECTOR_EINVAL);
    CHECK("fuzzy-4.6", strstr(lector_gazetteer_errmsg(g), "no entry 7"));
    CHECK_INT("fuzzy-4.7", lector_gazetteer_fuzzy_add(NULL, 0, "abc", 3),
              LECTOR_EINVAL);
    lector_gazetteer_free(g);
    lector_gazetteer_matches_release(&ms);
    lector_tokens_release(&toks);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    return check_done();
}
