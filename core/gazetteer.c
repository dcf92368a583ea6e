/* The gazetteer: aliases compiled into a trie over normalized-token ids,
 * matched leftmost-longest over a token array. Loading files is in
 * gaz_load.c, dump/undump in gaz_dump.c, string tables in gaz_strtab.c.
 *
 * Why a token trie: a match is a sequence of whole tokens, so walking the
 * trie from each token touches only the few nodes that share a prefix with
 * the text. The first level is an array indexed by token id (a text token
 * finds its node with one load, and a byte table says first whether there
 * is one at all) and each deeper edge is one hash probe behind two Bloom
 * filters, so the cost per token does not grow with the number of aliases:
 * what costs is text whose tokens begin aliases. The layout is in
 * gaz_internal.h. */
#include "common.h"
#include "gaz_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

lector_gazetteer *lector_gazetteer_new(lector_tokenizer *tk, lector_intern *in,
                                       unsigned opts)
{
    if (!tk || !in) return NULL;
    lector_gazetteer *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->tk = tk;
    g->in = in;
    g->opts = opts & LECTOR_GAZ_HYPHENS_STRICT;
    g->hyphen_id = lector_intern_add(in, "-", 1);
    gaz_strtab_init(&g->text);
    lector_tokens_init(&g->scratch);
    if (g->hyphen_id <= 0 || gaz_nodes_reserve(g, 1) < 0 ||
        gaz_names_init(&g->entities) < 0 || gaz_names_init(&g->types) < 0 ||
        gaz_names_init(&g->sources) < 0) {
        lector_gazetteer_free(g);
        return NULL;
    }
    g->nnodes = 1;
    g->nodes[0] = (gaz_node){-1, 0};
    return g;
}

void lector_gazetteer_free(lector_gazetteer *g)
{
    if (!g) return;
    free(g->firsts);
    free(g->starts);
    free(g->edges);
    free(g->pairs);
    free(g->nodes);
    free(g->hits);
    free(g->entries);
    gaz_strtab_free(&g->text);
    gaz_names_free(&g->entities);
    gaz_names_free(&g->types);
    gaz_names_free(&g->sources);
    lector_tokens_release(&g->scratch);
    gaz_fuzzy_free(g->fz);
    free(g);
}

const char *lector_gazetteer_errmsg(const lector_gazetteer *g)
{
    return g ? g->errmsg : "no gazetteer";
}

/* ---- the trie ---------------------------------------------------------- */

/* One 64-bit hash of an edge: the low bits pick its hash slot, the high
 * bits its word and two bits in the pair filter. */
static inline uint64_t edge_hash(int32_t parent, int32_t tok)
{
    uint64_t k = ((uint64_t)(uint32_t)parent << 32) | (uint32_t)tok;
    k *= 0x9E3779B97F4A7C15ull;
    k ^= k >> 32;
    k *= 0xD6E8FEB86659FD93ull;
    return k ^ (k >> 32);
}

/* The pair filter's word for hash h, with edge_slots slots. */
static inline size_t pair_word(size_t edge_slots, uint64_t h)
{
    return (size_t)(h >> 32) & (edge_slots / 16 - 1);
}

static inline uint64_t pair_bits(uint64_t h)
{
    return 1ull << (h >> 58) | 1ull << ((h >> 52) & 63);
}

/* The slot of edge (parent, tok) whose hash is h, or the empty slot where
 * it would go. */
static inline size_t edge_slot(const lector_gazetteer *g, int32_t parent,
                               int32_t tok, uint64_t h)
{
    size_t mask = g->edge_slots - 1, i = h & mask;
    for (; g->edges[i].child; i = (i + 1) & mask)
        if (g->edges[i].parent == parent && g->edges[i].tok == tok) break;
    return i;
}

int gaz_edges_reserve(lector_gazetteer *g, size_t want)
{
    if (want <= g->edge_slots) return 0;
    size_t ns = g->edge_slots ? g->edge_slots : 1024;
    while (ns < want)
        ns *= 2;
    gaz_edge *e = calloc(ns, sizeof *e);
    uint64_t *pairs = calloc(ns / 16, sizeof *pairs);
    if (!e || !pairs) {
        free(e);
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < g->edge_slots; i++) {
        gaz_edge *o = &g->edges[i];
        if (!o->child) continue;
        uint64_t h = edge_hash(o->parent, o->tok);
        size_t j = h & (ns - 1);
        while (e[j].child)
            j = (j + 1) & (ns - 1);
        e[j] = *o;
        pairs[pair_word(ns, h)] |= pair_bits(h);
    }
    free(g->edges);
    free(g->pairs);
    g->edges = e;
    g->pairs = pairs;
    g->edge_slots = ns;
    return 0;
}

int gaz_first_add(lector_gazetteer *g, int32_t tok)
{
    size_t t = (size_t)tok;
    if (t >= g->nfirsts) {
        /* Two arrays, one capacity: lector__grow_cap, then each realloc. */
        size_t cap =
            lector__grow_cap(g->nfirsts, t + 1, 1024, sizeof(gaz_first));
        if (!cap) return -1;
        gaz_first *f = realloc(g->firsts, cap * sizeof *f);
        if (!f) return -1;
        for (size_t i = g->nfirsts; i < cap; i++)
            f[i] = (gaz_first){{-1, 0}, 0};
        g->firsts = f;
        uint8_t *b = realloc(g->starts, cap);
        if (!b) return -1;
        memset(b + g->nfirsts, 0, cap - g->nfirsts);
        g->starts = b;
        g->nfirsts = cap;
    }
    if (!g->starts[t]) {
        g->starts[t] = 1;
        g->nstarts++;
    }
    return 0;
}

int gaz_nodes_reserve(lector_gazetteer *g, size_t n)
{
    if (n <= g->node_cap) return 0;
    gaz_node *nd = lector__grow(g->nodes, &g->node_cap, n, sizeof *nd, 1024);
    if (!nd) return -1;
    g->nodes = nd;
    return 0;
}

int gaz_entries_reserve(lector_gazetteer *g, size_t n)
{
    if (n <= g->entry_cap) return 0;
    /* hits and entries share entry_cap: lector__grow_cap, two reallocs. */
    size_t cap = lector__grow_cap(g->entry_cap, n, 256, sizeof(gaz_entry));
    if (!cap) return -1;
    gaz_hit *h = realloc(g->hits, cap * sizeof *h);
    if (!h) return -1;
    g->hits = h;
    gaz_entry *e = realloc(g->entries, cap * sizeof *e);
    if (!e) return -1;
    g->entries = e;
    g->entry_cap = cap;
    return 0;
}

/* The filters' bits for a new edge (h is its hash). */
static void set_edge_bits(lector_gazetteer *g, int32_t parent, int32_t tok,
                          uint64_t h)
{
    g->pairs[pair_word(g->edge_slots, h)] |= pair_bits(h);
    gaz_rec(g, parent)->kids |= gaz_kid_bit(tok);
    if (parent > 0) g->firsts[parent].kids2 |= gaz_kid_bit2(tok);
}

void gaz_edge_put(lector_gazetteer *g, int32_t parent, int32_t tok,
                  int32_t child)
{
    uint64_t h = edge_hash(parent, tok);
    size_t mask = g->edge_slots - 1, i = h & mask;
    while (g->edges[i].child)
        i = (i + 1) & mask;
    g->edges[i] = (gaz_edge){parent, tok, child};
    g->nedges++;
    set_edge_bits(g, parent, tok, h);
}

int32_t gaz_node_new(lector_gazetteer *g)
{
    if (g->nnodes >= INT32_MAX || gaz_nodes_reserve(g, g->nnodes + 1) < 0)
        return -1;
    g->nodes[g->nnodes] = (gaz_node){-1, 0};
    return (int32_t)g->nnodes++;
}

/* The key of parent's child for tok, created when absent; 0 when out of
 * memory. */
static int32_t child_add(lector_gazetteer *g, int32_t parent, int32_t tok)
{
    /* Keep the load factor under 1/2 so probes stay short; grow first so
     * that one probe finds the edge or the slot for it. */
    if ((g->nedges + 1) * 2 > g->edge_slots &&
        gaz_edges_reserve(g, (g->nedges + 1) * 2) < 0)
        return 0;
    uint64_t h = edge_hash(parent, tok);
    size_t i = edge_slot(g, parent, tok, h);
    if (g->edges[i].child) return -g->edges[i].child;
    int32_t c = gaz_node_new(g);
    if (c < 0) return 0;
    g->edges[i] = (gaz_edge){parent, tok, c};
    g->nedges++;
    set_edge_bits(g, parent, tok, h);
    return -c;
}

int32_t gaz_child(const lector_gazetteer *g, int32_t key, int32_t tok)
{
    if (!g->edge_slots || !(gaz_rec(g, key)->kids & gaz_kid_bit(tok))) return 0;
    int32_t c = g->edges[edge_slot(g, key, tok, edge_hash(key, tok))].child;
    return c ? -c : 0;
}

/* ---- adding aliases ------------------------------------------------------ */

static int is_hyphen(const lector_gazetteer *g, const lector_token *t)
{
    return t->norm == g->hyphen_id;
}

/* Auto case policy: at most 3 letters, all of them capitals. */
static int short_all_caps(const char *s, size_t n)
{
    size_t letters = 0;
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        ucs4_t c;
        int len = u8_mbtouc(&c, p, (size_t)(end - p));
        p += len > 0 ? len : 1;
        if (!uc_is_alpha(c)) continue;
        if (!uc_is_upper(c)) return 0;
        letters++;
    }
    return letters >= 1 && letters <= 3;
}

int lector_gazetteer_add(lector_gazetteer *g, const char *alias, size_t alias_n,
                         const char *entity, const char *type,
                         const char *attrs, const char *source, int32_t line,
                         int case_mode)
{
    return gaz_add(g, alias, alias_n, entity, type, attrs, source, line,
                   case_mode, 0);
}

int gaz_add(lector_gazetteer *g, const char *alias, size_t alias_n,
            const char *entity, const char *type, const char *attrs,
            const char *source, int32_t line, int case_mode, int checked)
{
    if (!g) return LECTOR_EINVAL;
    if (!alias || !entity)
        return gaz_error(g, LECTOR_EINVAL, "alias and entity are required");
    if (!*entity) return gaz_error(g, LECTOR_EFORMAT, "empty entity");
    if (case_mode < LECTOR_CASE_AUTO || case_mode > LECTOR_CASE_SENSITIVE)
        return gaz_error(g, LECTOR_EINVAL, "bad case mode %d", case_mode);
    size_t bad;
    const char *why;
    if (!checked && lector_utf8_check(alias, alias_n, &bad, &why) != LECTOR_OK)
        return gaz_error(g, LECTOR_EUTF8,
                         "alias has invalid UTF-8 at byte %zu (%s)", bad,
                         why ? why : "invalid");
    if (gaz_names_count(&g->entities) >= INT32_MAX - 1 ||
        g->nentries >= INT32_MAX - 1)
        return gaz_error(g, LECTOR_ELIMIT, "too many entries");
    /* With many entities, the entity's hash slot is a cache miss: ask for
     * it now, and it arrives while the alias is tokenized. */
    gaz_names_prefetch(&g->entities, entity);
    lector_tokens *tk = &g->scratch;
    int rc = lector_tokenize(g->tk, alias, alias_n, 0, tk);
    if (rc != LECTOR_OK)
        return gaz_error(g, rc, "cannot tokenize alias: %s",
                         lector_tokenizer_errmsg(g->tk));
    int strict = g->opts & LECTOR_GAZ_HYPHENS_STRICT;
    /* The alias's first two token ids: with many aliases, the first-level
     * record and the first edge's slot are cache misses; ask for them now,
     * and intern the entity meanwhile. */
    int32_t first[2] = {0, 0};
    size_t used = 0;
    for (size_t i = 0; i < tk->n; i++) {
        if (!strict && is_hyphen(g, &tk->tok[i])) continue;
        if (used < 2) first[used] = tk->tok[i].norm;
        used++;
    }
    if (!used)
        return gaz_error(g, LECTOR_EFORMAT, "alias \"%.*s\" has no tokens",
                         (int)(alias_n > 60 ? 60 : alias_n), alias);
    if (first[0] > 0 && (size_t)first[0] < g->nfirsts)
        __builtin_prefetch(&g->firsts[first[0]]);
    if (first[0] > 0 && first[1] > 0 && g->edge_slots)
        __builtin_prefetch(
            &g->edges[edge_hash(first[0], first[1]) & (g->edge_slots - 1)]);
    int mode = case_mode;
    if (mode == LECTOR_CASE_AUTO)
        mode = short_all_caps(alias, alias_n) ? GAZ_CASE_SHOUT
                                              : LECTOR_CASE_INSENSITIVE;
    int32_t ent = gaz_names_add(&g->entities, entity);
    int32_t ty = type && *type ? gaz_names_add(&g->types, type) : -1;
    int32_t src = source && *source ? gaz_names_add(&g->sources, source) : -1;
    if (ent < 0 || (type && *type && ty < 0) || (source && *source && src < 0))
        return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    int32_t node = 0; /* the key of the node reached, 0 for the root */
    for (size_t i = 0; i < tk->n; i++) {
        int32_t t = tk->tok[i].norm;
        if (!strict && is_hyphen(g, &tk->tok[i])) continue;
        if (t <= 0) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        if (node == 0 ? gaz_first_add(g, t) < 0
                      : (t = child_add(g, node, t)) == 0)
            return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        node = t;
    }
    /* A case-sensitive alias's surface tokens, \x1f-separated, compared
     * at match time. */
    char *surface = NULL;
    size_t surface_n = 0;
    if (gaz_case_sensitive(mode)) {
        surface = malloc(alias_n + tk->n + 1);
        if (!surface) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        for (size_t i = 0; i < tk->n; i++) {
            const lector_token *t = &tk->tok[i];
            if (!strict && is_hyphen(g, t)) continue;
            if (surface_n) surface[surface_n++] = '\x1f';
            memcpy(surface + surface_n, alias + t->start, t->end - t->start);
            surface_n += t->end - t->start;
        }
        surface[surface_n] = '\0';
    }
    /* The same entity reached twice through one key is one entry (a
     * case-sensitive one only with the same surface: "The Independent"
     * and "the Independent" are two). */
    for (int32_t e = gaz_rec(g, node)->entry; e >= 0; e = g->hits[e].next)
        if (g->entries[e].entity == ent && g->hits[e].case_mode == mode &&
            g->hits[e].type == ty &&
            (!surface ||
             strcmp(gaz_str(&g->text, g->entries[e].surface), surface) == 0)) {
            free(surface);
            return LECTOR_OK;
        }
    if (gaz_entries_reserve(g, g->nentries + 1) < 0) {
        free(surface);
        return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    }
    int64_t a = gaz_strtab_append(&g->text, alias, alias_n);
    int64_t at = attrs && *attrs
                     ? gaz_strtab_append(&g->text, attrs, strlen(attrs))
                     : gaz_strtab_append(&g->text, "", 0);
    int64_t sf = a;
    if (surface && a >= 0) sf = gaz_strtab_append(&g->text, surface, surface_n);
    free(surface);
    if (a < 0 || at < 0 || sf < 0)
        return gaz_error(g, LECTOR_ELIMIT, "gazetteer text exceeds 4 GiB");
    g->hits[g->nentries] = (gaz_hit){-1, ty, mode};
    g->entries[g->nentries] = (gaz_entry){.entity = ent,
                                          .alias = (uint32_t)a,
                                          .surface = (uint32_t)sf,
                                          .attrs = (uint32_t)at,
                                          .source = src,
                                          .line = line};
    /* Append at the tail so entries come back in the order they were added. */
    int32_t *link = &gaz_rec(g, node)->entry;
    while (*link >= 0)
        link = &g->hits[*link].next;
    *link = (int32_t)g->nentries++;
    return LECTOR_OK;
}

/* ---- introspection ------------------------------------------------------- */

size_t lector_gazetteer_count(const lector_gazetteer *g)
{
    return g ? g->nentries : 0;
}
size_t lector_gazetteer_entities(const lector_gazetteer *g)
{
    return g ? gaz_names_count(&g->entities) : 0;
}
size_t lector_gazetteer_nodes(const lector_gazetteer *g)
{
    /* The first level, and nodes[1..] below it: nodes[0], unused, counts
     * the root. */
    return g ? g->nstarts + g->nnodes : 0;
}

size_t lector_gazetteer_memory(const lector_gazetteer *g)
{
    if (!g) return 0;
    return sizeof *g + g->nfirsts * (sizeof *g->firsts + 1) +
           g->edge_slots * sizeof *g->edges + g->edge_slots / 2 +
           g->node_cap * sizeof *g->nodes +
           g->entry_cap * (sizeof *g->hits + sizeof *g->entries) +
           gaz_strtab_memory(&g->text) + gaz_names_memory(&g->entities) +
           gaz_names_memory(&g->types) + gaz_names_memory(&g->sources) +
           g->scratch.cap * sizeof(lector_token) + gaz_fuzzy_memory(g->fz);
}

int32_t lector_gazetteer_type_id(const lector_gazetteer *g, const char *type)
{
    if (!g || !type) return -1;
    return gaz_names_find(&g->types, type);
}

int lector_gazetteer_entry(const lector_gazetteer *g, int32_t entry,
                           lector_gaz_entry *out)
{
    if (g && entry >= 0 && (entry & LECTOR_GAZ_FUZZY_BIT))
        entry = gaz_fuzzy_resolve(g, entry);
    if (!g || !out || entry < 0 || (size_t)entry >= g->nentries)
        return LECTOR_EINVAL;
    const gaz_entry *e = &g->entries[entry];
    const gaz_hit *h = &g->hits[entry];
    out->alias = gaz_str(&g->text, e->alias);
    out->entity = gaz_name(&g->entities, e->entity);
    out->type = gaz_name(&g->types, h->type);
    out->attrs = gaz_str(&g->text, e->attrs);
    out->source = gaz_name(&g->sources, e->source);
    out->line = e->line;
    out->case_mode =
        gaz_case_sensitive(h->case_mode) ? LECTOR_CASE_SENSITIVE : h->case_mode;
    out->entity_id = e->entity;
    out->type_id = h->type;
    return LECTOR_OK;
}

/* ---- matching ------------------------------------------------------------ */

void lector_gazetteer_matches_init(lector_gazetteer_matches *m)
{
    if (m) memset(m, 0, sizeof *m);
}

void lector_gazetteer_matches_release(lector_gazetteer_matches *m)
{
    if (!m) return;
    free(m->m);
    memset(m, 0, sizeof *m);
}

/* Does the text's tokens first..last (hyphens skipped as in matching) read
 * exactly like the entry's surface? */
static int surface_equal(const lector_gazetteer *g, int32_t e, const char *s,
                         const lector_tokens *toks, size_t first, size_t last)
{
    const char *want = gaz_str(&g->text, g->entries[e].surface);
    int strict = g->opts & LECTOR_GAZ_HYPHENS_STRICT;
    for (size_t k = first; k <= last; k++) {
        const lector_token *t = &toks->tok[k];
        if (!strict && k > first && gaz_joined_hyphen(g, toks, k)) continue;
        if (k > first) {
            if (*want != '\x1f') return 0;
            want++;
        }
        size_t len = t->end - t->start;
        if (strncmp(want, s + t->start, len) != 0) return 0;
        want += len;
        if (*want && *want != '\x1f') return 0;
    }
    return *want == '\0';
}

/* Whether the line of s holding byte pos has a lower-case letter; memo
 * keeps the last line looked at, so a long line is read once however many
 * short capitals it holds. end bounds the text. */
typedef struct gaz_line_memo {
    uint32_t start, end; /* the line [start, end), end 0: none yet */
    int lower;
} gaz_line_memo;

static int line_has_lower(const char *s, uint32_t pos, uint32_t end,
                          gaz_line_memo *memo)
{
    if (memo->end && pos >= memo->start && pos < memo->end) return memo->lower;
    uint32_t a = pos, z = pos;
    while (a > 0 && s[a - 1] != '\n')
        a--;
    while (z < end && s[z] != '\n')
        z++;
    int lower = 0;
    const uint8_t *p = (const uint8_t *)s + a, *e = (const uint8_t *)s + z;
    while (p < e && !lower) {
        if (*p < 0x80) {
            lower = *p >= 'a' && *p <= 'z';
            p++;
            continue;
        }
        ucs4_t c;
        int len = u8_mbtouc(&c, p, (size_t)(e - p));
        p += len > 0 ? len : 1;
        lower = uc_is_lower(c);
    }
    *memo = (gaz_line_memo){a, z > a ? z : a + 1, lower};
    return lower;
}

/* The first entry of the list from e that the text's tokens first..last
 * satisfy, -1 when none does: the loop for lists with case-sensitive
 * entries, out of the matcher's way. */
__attribute__((noinline)) static int32_t
first_sensitive(const lector_gazetteer *g, int32_t e, const char *s,
                const lector_tokens *toks, size_t first, size_t last,
                gaz_line_memo *memo)
{
    for (; e >= 0; e = g->hits[e].next) {
        int mode = g->hits[e].case_mode;
        if (!gaz_case_sensitive(mode)) return e;
        if (!surface_equal(g, e, s, toks, first, last)) continue;
        if (mode == GAZ_CASE_SHOUT &&
            !line_has_lower(s, toks->tok[first].start,
                            toks->tok[toks->n - 1].end, memo))
            continue;
        return e;
    }
    return -1;
}

/* The same, inline for the common case: the first entry is insensitive. */
static inline int32_t first_accepted(const lector_gazetteer *g, int32_t e,
                                     const char *s, const lector_tokens *toks,
                                     size_t first, size_t last,
                                     gaz_line_memo *memo)
{
    if (!gaz_case_sensitive(g->hits[e].case_mode)) return e;
    return first_sensitive(g, e, s, toks, first, last, memo);
}

/* Appends a match for e (accepted already) and every later entry of its
 * list that the text satisfies. */
static inline int emit(const lector_gazetteer *g, int32_t e, const char *s,
                       const lector_tokens *toks, size_t first, size_t last,
                       gaz_line_memo *memo, lector_gazetteer_matches *out)
{
    uint32_t start = toks->tok[first].start, end = toks->tok[last].end;
    lector_gazetteer_hit *m = out->m;
    size_t n = out->n;
    for (;;) {
        if (n == out->cap) {
            m = lector__grow(out->m, &out->cap, n + 1, sizeof *m, 64);
            if (!m) return LECTOR_ENOMEM;
            out->m = m;
        }
        const gaz_hit *h = &g->hits[e];
        m[n++] = (lector_gazetteer_hit){
            (uint32_t)first, (uint32_t)last, start, end, e, h->type};
        if (h->next < 0 ||
            (e = first_accepted(g, h->next, s, toks, first, last, memo)) < 0)
            break;
    }
    out->n = n;
    return LECTOR_OK;
}

/* Matches from each candidate token cand[0..nc-1] (each starts some
 * alias) on, skipping those before *from, the token after the last
 * leftmost-longest match, which it advances. */
static inline int match_from(const lector_gazetteer *g, const char *s,
                             const lector_tokens *toks, const uint32_t *cand,
                             size_t nc, const int overlap, size_t *from,
                             gaz_line_memo *memo, lector_gazetteer_matches *out)
{
    /* Locals, not g's fields: the compiler cannot tell that writing a
     * match leaves them be. */
    const lector_token *tok = toks->tok;
    const gaz_first *firsts = g->firsts;
    const gaz_node *nodes = g->nodes;
    const uint64_t *pairs = g->pairs;
    size_t nt = toks->n, next_from = *from;
    int32_t hyphen = g->opts & LECTOR_GAZ_HYPHENS_STRICT ? 0 : g->hyphen_id;
    for (size_t c = 0; c < nc; c++) {
        size_t i = cand[c], last = i;
        if (i < next_from) continue; /* inside the last match */
        int32_t key = tok[i].norm, best = -1;
        const gaz_node *nd = &firsts[key].node;
        uint64_t kids2 = firsts[key].kids2; /* all ones below the first */
        for (size_t j = i;;) {
            if (nd->entry >= 0) {
                int32_t e = first_accepted(g, nd->entry, s, toks, i, j, memo);
                if (e >= 0) {
                    int rc;
                    if (overlap && (rc = emit(g, e, s, toks, i, j, memo, out)))
                        return rc;
                    best = e;
                    last = j;
                }
            }
            uint32_t kids = nd->kids;
            size_t k = j + 1;
            if (!kids || k >= nt) break;
            int32_t next = tok[k].norm;
            /* Hyphens are rare: the full test only when the token is one
             * (hyphen is 0, no norm, when they are strict). */
            if (next == hyphen) {
                while (k < nt && gaz_joined_hyphen(g, toks, k))
                    k++;
                if (k >= nt) break;
                next = tok[k].norm;
            }
            /* Most pairs stop at the node's own filters, most others at
             * the pair filter: the hash is probed for real edges and few
             * more. */
            if (!(kids & gaz_kid_bit(next)) || !(kids2 & gaz_kid_bit2(next)))
                break;
            uint64_t h = edge_hash(key, next), bits = pair_bits(h);
            if ((pairs[pair_word(g->edge_slots, h)] & bits) != bits) break;
            int32_t child = g->edges[edge_slot(g, key, next, h)].child;
            if (!child) break;
            nd = &nodes[child];
            kids2 = ~0ull;
            key = -child;
            j = k;
        }
        if (overlap || best < 0) continue;
        int rc = emit(g, best, s, toks, i, last, memo, out);
        if (rc) return rc;
        next_from = last + 1;
    }
    *from = next_from;
    return LECTOR_OK;
}

int lector_gazetteer_match(lector_gazetteer *g, const char *s, size_t n,
                           const lector_tokens *toks, unsigned opts,
                           lector_gazetteer_matches *out)
{
    if (!g) return LECTOR_EINVAL;
    if (!toks || !out || (!s && n))
        return gaz_error(g, LECTOR_EINVAL,
                         "match needs tokens, a match array and the text");
    out->n = 0;
    if (!g->nfirsts) return LECTOR_OK; /* no alias yet */
    int overlap = opts & LECTOR_MATCH_OVERLAP;
    const lector_token *tok = toks->tok;
    const uint8_t *starts = g->starts;
    const gaz_first *firsts = g->firsts;
    size_t nt = toks->n, from = 0;
    uint32_t nfirsts = (uint32_t)g->nfirsts;
    gaz_line_memo memo = {0, 0, 0};
    /* Two passes over each block of tokens: the first lists the tokens
     * that start some alias without a branch per token (whether a word
     * starts an alias is as good as random to the branch predictor), the
     * second walks the trie from those. */
    enum { BLOCK = 256 };
    uint32_t cand[BLOCK];
    for (size_t b = 0; b < nt; b += BLOCK) {
        size_t end = nt - b < BLOCK ? nt : b + BLOCK, nc = 0;
        const lector_token *t = tok + b, *te = tok + end;
        for (uint32_t i = (uint32_t)b; t < te; t++, i++) {
            /* Norms are >= 0 and starts[0] is 0; an id past the table is a
             * word interned after every alias, so it starts none. */
            uint32_t id = (uint32_t)t->norm;
            id &= -(uint32_t)(id < nfirsts);
            cand[nc] = i;
            uint32_t st = starts[id];
            /* A candidate's first-level node is a random line of a table
             * too big for the caches, more so on a first pass (whose new
             * words push the gazetteer out): loaded now, it has arrived
             * when the walk below reads it (match alone 0.067-0.075 ->
             * 0.052-0.058 s over distinct.txt with the cities). Other
             * tokens load node 0, always at hand, rather than take a
             * branch. (The entries' lines prefetched the same way, in a
             * second loop, cost more than they saved.) */
            __builtin_prefetch(&firsts[id & -st]);
            nc += st;
        }
        /* Two copies of the walk, each with overlap a constant. */
        int rc = overlap
                     ? match_from(g, s, toks, cand, nc, 1, &from, &memo, out)
                     : match_from(g, s, toks, cand, nc, 0, &from, &memo, out);
        if (rc) return gaz_error(g, rc, "out of memory for the matches");
    }
    return LECTOR_OK;
}
