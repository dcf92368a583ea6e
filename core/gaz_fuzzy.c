/* Fuzzy (transliteration-aware) matching: a second trie over fuzzy keys.
 *
 * Why a second trie rather than keys in the first: exact matching stays
 * as fast as it was for gazetteers that never opt in, and a fuzzy alias
 * never shadows an exact one. The keys themselves come from the caller
 * (the Lua side applies the rules of scripts/lexicons/translit.tsv, data
 * an analyst reads and extends); this file caches them by norm id, maps a
 * text's tokens to key ids (dropping articles and joined hyphens), walks
 * the key trie with the ordinary matcher, and merges what it finds with
 * the exact matches: a fuzzy match survives only where no exact match
 * overlaps it. */
#include "common.h"
#include "gaz_internal.h"

#include <stdlib.h>
#include <string.h>

/* Classes in gaz_fuzzy.key: > 0 a key id; 0 not set yet. */
enum {
    FZ_NONE = -1,
    FZ_SKIP = -2,
    FZ_SKIP_JOINED = -3,
    FZ_ASKED = -9 /* asked for in the last call, not set: NONE */
};

struct gaz_fuzzy {
    lector_gazetteer *trie; /* aliases: key words; entry line: the entry */
    int32_t *key;           /* by norm id */
    size_t nkey;
    int32_t *need;
    size_t nneed, need_cap;
    uint8_t *covered; /* by text token: inside an exact match */
    size_t covered_cap;
    lector_gazetteer_matches fm;     /* fuzzy matches: tokens and entry */
    lector_gazetteer_matches merged; /* exact and fuzzy, in order */
};

void gaz_fuzzy_free(struct gaz_fuzzy *fz)
{
    if (!fz) return;
    lector_gazetteer_free(fz->trie);
    free(fz->key);
    free(fz->need);
    free(fz->covered);
    lector_gazetteer_matches_release(&fz->fm);
    lector_gazetteer_matches_release(&fz->merged);
    free(fz);
}

static struct gaz_fuzzy *get_fz(lector_gazetteer *g)
{
    if (g->fz) return g->fz;
    struct gaz_fuzzy *fz = calloc(1, sizeof *fz);
    if (!fz) return NULL;
    fz->trie = lector_gazetteer_new(g->tk, g->in, LECTOR_GAZ_HYPHENS_STRICT);
    if (!fz->trie) {
        free(fz);
        return NULL;
    }
    g->fz = fz;
    return fz;
}

/* Makes key[] cover norm id norm, new slots 0. */
static int key_reserve(struct gaz_fuzzy *fz, size_t norm)
{
    if (norm < fz->nkey) return 0;
    size_t old = fz->nkey;
    int32_t *k = lector__grow(fz->key, &fz->nkey, norm + 1, sizeof *k, 1024);
    if (!k) return -1;
    memset(k + old, 0, (fz->nkey - old) * sizeof *k);
    fz->key = k;
    return 0;
}

int lector_gazetteer_fuzzy_key(lector_gazetteer *g, int32_t norm, int kind,
                               const char *key, size_t key_n)
{
    if (!g) return LECTOR_EINVAL;
    if (norm <= 0) return gaz_error(g, LECTOR_EINVAL, "bad norm id %d", norm);
    int32_t v;
    switch (kind) {
    case LECTOR_FZ_KEY:
        if (!key || !key_n)
            return gaz_error(g, LECTOR_EINVAL, "empty fuzzy key");
        for (size_t i = 0; i < key_n; i++)
            if (key[i] < 'a' || key[i] > 'z')
                return gaz_error(g, LECTOR_EINVAL,
                                 "fuzzy key \"%.*s\" is not a-z only",
                                 (int)(key_n > 40 ? 40 : key_n), key);
        v = lector_intern_add(g->in, key, key_n);
        if (v <= 0) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        break;
    case LECTOR_FZ_NONE: v = FZ_NONE; break;
    case LECTOR_FZ_SKIP: v = FZ_SKIP; break;
    case LECTOR_FZ_SKIP_JOINED: v = FZ_SKIP_JOINED; break;
    default: return gaz_error(g, LECTOR_EINVAL, "bad fuzzy kind %d", kind);
    }
    struct gaz_fuzzy *fz = get_fz(g);
    if (!fz || key_reserve(fz, (size_t)norm) < 0)
        return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    fz->key[norm] = v;
    return LECTOR_OK;
}

int lector_gazetteer_fuzzy_add(lector_gazetteer *g, int32_t entry,
                               const char *keys, size_t keys_n)
{
    if (!g) return LECTOR_EINVAL;
    lector_gaz_entry e;
    if (entry < 0 || (entry & LECTOR_GAZ_FUZZY_BIT) ||
        lector_gazetteer_entry(g, entry, &e) != LECTOR_OK)
        return gaz_error(g, LECTOR_EINVAL, "no entry %d", entry);
    if ((size_t)entry >= LECTOR_GAZ_FUZZY_BIT)
        return gaz_error(g, LECTOR_ELIMIT, "too many entries for fuzzy keys");
    if (!keys) return gaz_error(g, LECTOR_EINVAL, "no keys");
    struct gaz_fuzzy *fz = get_fz(g);
    if (!fz) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    int rc = gaz_add(fz->trie, keys, keys_n, e.entity, e.type, NULL, NULL,
                     entry, LECTOR_CASE_INSENSITIVE, 0);
    if (rc != LECTOR_OK)
        return gaz_error(g, rc, "fuzzy key: %s", fz->trie->errmsg);
    return LECTOR_OK;
}

size_t gaz_fuzzy_memory(const struct gaz_fuzzy *fz)
{
    if (!fz) return 0;
    return sizeof *fz + lector_gazetteer_memory(fz->trie) +
           fz->nkey * sizeof *fz->key + fz->need_cap * sizeof *fz->need +
           fz->covered_cap + (fz->fm.cap + fz->merged.cap) * sizeof *fz->fm.m;
}

size_t lector_gazetteer_fuzzy_count(const lector_gazetteer *g)
{
    return g && g->fz ? g->fz->trie->nentries : 0;
}

const int32_t *lector_gazetteer_fuzzy_needed(const lector_gazetteer *g)
{
    return g && g->fz ? g->fz->need : NULL;
}

int32_t gaz_fuzzy_resolve(const lector_gazetteer *g, int32_t id)
{
    if (!g || !g->fz || id < 0 || !(id & LECTOR_GAZ_FUZZY_BIT)) return -1;
    size_t e = (size_t)(id & ~LECTOR_GAZ_FUZZY_BIT);
    if (e >= g->fz->trie->nentries) return -1;
    return g->fz->trie->entries[e].line;
}

int32_t lector_gazetteer_fuzzy_entry(const lector_gazetteer *g, int32_t id,
                                     const char **keys)
{
    int32_t e = gaz_fuzzy_resolve(g, id);
    if (keys)
        *keys =
            e < 0 ? ""
                  : gaz_str(
                        &g->fz->trie->text,
                        g->fz->trie->entries[id & ~LECTOR_GAZ_FUZZY_BIT].alias);
    return e;
}

/* The class or key of token t: 0 when not set yet (past the table too),
 * FZ_NONE for no norm. */
static inline int32_t key_of(const struct gaz_fuzzy *fz, const lector_token *t)
{
    if (t->norm <= 0) return FZ_NONE;
    return (size_t)t->norm < fz->nkey ? fz->key[t->norm] : 0;
}

/* Whether token k is left out of keys: a joined hyphen, an article. */
static int dropped(const lector_gazetteer *g, const struct gaz_fuzzy *fz,
                   const lector_tokens *toks, size_t k)
{
    if (gaz_joined_hyphen(g, toks, k)) return 1;
    int32_t v = key_of(fz, &toks->tok[k]);
    return v == FZ_SKIP || (v == FZ_SKIP_JOINED && k + 1 < toks->n &&
                            gaz_joined_hyphen(g, toks, k + 1));
}

/* The key id a text token walks the trie with: its key when capitalised,
 * else 0 (no alias holds it). */
static inline int32_t walk_key(const struct gaz_fuzzy *fz,
                               const lector_token *t)
{
    int32_t v = key_of(fz, t);
    return v > 0 && (t->flags & LECTOR_TF_CAP) ? v : 0;
}

static int push(lector_gazetteer_matches *m, lector_gazetteer_hit h)
{
    if (m->n == m->cap) {
        lector_gazetteer_hit *nm =
            lector__grow(m->m, &m->cap, m->n + 1, sizeof *nm, 64);
        if (!nm) return -1;
        m->m = nm;
    }
    m->m[m->n++] = h;
    return 0;
}

/* Asks for the keys of the word tokens that have none: fz->need; -1 when
 * out of memory. */
static int ask(struct gaz_fuzzy *fz, const lector_token *t)
{
    if (key_reserve(fz, (size_t)t->norm) < 0) return -1;
    if (fz->nneed == fz->need_cap) {
        int32_t *nd = lector__grow(fz->need, &fz->need_cap, fz->nneed + 1,
                                   sizeof *nd, 64);
        if (!nd) return -1;
        fz->need = nd;
    }
    fz->need[fz->nneed++] = t->norm;
    fz->key[t->norm] = FZ_ASKED;
    return 0;
}

/* One pass over the text: a token starts a walk only when its key starts
 * a fuzzy alias (one load from the key cache, one from the trie's start
 * table), so text whose words begin no alias costs little more than the
 * exact pass. Walks step over dropped tokens; leftmost-longest unless
 * overlap. Fuzzy matches go to fz->fm. */
static int walk(const lector_gazetteer *g, struct gaz_fuzzy *fz,
                const lector_tokens *toks, int overlap)
{
    const lector_gazetteer *tr = fz->trie;
    const lector_token *tok = toks->tok;
    size_t nt = toks->n, nfirsts = tr->nfirsts;
    fz->fm.n = 0;
    fz->nneed = 0;
    for (size_t k = 0; k < nt; k++) {
        const lector_token *t = &tok[k];
        int32_t v = key_of(fz, t);
        if (v == 0 && t->kind == LECTOR_TK_WORD && t->norm > 0) {
            if (ask(fz, t) < 0) return -1;
            continue;
        }
        if (fz->nneed || v <= 0 || !(t->flags & LECTOR_TF_CAP) ||
            (size_t)v >= nfirsts || !tr->starts[v])
            continue;
        int32_t node = v, best = -1;
        size_t j = k, last = k;
        for (;;) {
            if (gaz_rec(tr, node)->entry >= 0) {
                best = gaz_rec(tr, node)->entry;
                last = j;
                if (overlap) {
                    for (int32_t e = best; e >= 0; e = tr->hits[e].next)
                        if (push(&fz->fm, (lector_gazetteer_hit){(uint32_t)k,
                                                                 (uint32_t)j, 0,
                                                                 0, e, 0}) < 0)
                            return -1;
                }
            }
            size_t n2 = j + 1;
            while (n2 < nt && dropped(g, fz, toks, n2))
                n2++;
            if (n2 >= nt) break;
            int32_t w = walk_key(fz, &tok[n2]);
            int32_t c = w ? gaz_child(tr, node, w) : 0;
            if (!c) break;
            node = c;
            j = n2;
        }
        if (best < 0 || overlap) continue;
        for (int32_t e = best; e >= 0; e = tr->hits[e].next)
            if (push(&fz->fm, (lector_gazetteer_hit){
                                  (uint32_t)k, (uint32_t)last, 0, 0, e, 0}) < 0)
                return -1;
        k = last;
    }
    return 0;
}

int lector_gazetteer_fuzzy_match(lector_gazetteer *g, const char *s, size_t n,
                                 const lector_tokens *toks, unsigned opts,
                                 lector_gazetteer_matches *out, size_t *need)
{
    if (need) *need = 0;
    int rc = lector_gazetteer_match(g, s, n, toks, opts, out);
    if (rc != LECTOR_OK) return rc;
    struct gaz_fuzzy *fz = g->fz;
    if (!fz || !fz->trie->nentries || !toks->n) return LECTOR_OK;
    if (walk(g, fz, toks, opts & LECTOR_MATCH_OVERLAP) < 0)
        return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    if (fz->nneed) {
        if (need) *need = fz->nneed;
        return LECTOR_OK;
    }
    if (!fz->fm.n) return LECTOR_OK;
    /* The tokens exact matches cover. */
    if (toks->n > fz->covered_cap) {
        uint8_t *c =
            lector__grow(fz->covered, &fz->covered_cap, toks->n, 1, 256);
        if (!c) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        fz->covered = c;
    }
    memset(fz->covered, 0, toks->n);
    for (size_t i = 0; i < out->n; i++)
        memset(fz->covered + out->m[i].first, 1,
               out->m[i].last - out->m[i].first + 1);
    /* Merge by first token: exact before fuzzy on a tie. */
    lector_gazetteer_matches *mg = &fz->merged;
    size_t need_n = out->n + fz->fm.n;
    if (need_n > mg->cap) {
        lector_gazetteer_hit *h =
            lector__grow(mg->m, &mg->cap, need_n, sizeof *h, 64);
        if (!h) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        mg->m = h;
    }
    const lector_gazetteer *tr = fz->trie;
    size_t a = 0, b = 0, k = 0;
    while (a < out->n || b < fz->fm.n) {
        lector_gazetteer_hit fh = {0, 0, 0, 0, -1, -1};
        if (b < fz->fm.n) {
            const lector_gazetteer_hit *h = &fz->fm.m[b];
            uint32_t first = h->first, last = h->last;
            /* back over the articles dropped before it: a match of
             * Raqqah spans Ar-Raqqah */
            size_t p = first;
            while (p > 0 && dropped(g, fz, toks, p - 1))
                p--;
            if (p < first) {
                int32_t v = key_of(fz, &toks->tok[p]);
                if (v == FZ_SKIP || v == FZ_SKIP_JOINED) first = (uint32_t)p;
            }
            int32_t e = tr->entries[h->entry].line;
            fh = (lector_gazetteer_hit){first,
                                        last,
                                        toks->tok[first].start,
                                        toks->tok[last].end,
                                        h->entry | LECTOR_GAZ_FUZZY_BIT,
                                        g->hits[e].type};
            if (memchr(fz->covered + first, 1, last - first + 1)) {
                b++;
                continue;
            }
        }
        if (a < out->n && (b >= fz->fm.n || out->m[a].first <= fh.first))
            mg->m[k++] = out->m[a++];
        else {
            mg->m[k++] = fh;
            b++;
        }
    }
    if (k > out->cap) {
        lector_gazetteer_hit *h =
            lector__grow(out->m, &out->cap, k, sizeof *h, 64);
        if (!h) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        out->m = h;
    }
    memcpy(out->m, mg->m, k * sizeof *out->m);
    out->n = k;
    return LECTOR_OK;
}
