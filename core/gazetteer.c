/* The gazetteer: aliases compiled into a trie over normalized-token ids,
 * matched leftmost-longest over a token array. Loading files is in
 * gaz_load.c, dump/undump in gaz_dump.c, string tables in gaz_strtab.c.
 *
 * Why a token trie: a match is a sequence of whole tokens, so walking the
 * trie from each token touches only the few nodes that share a prefix with
 * the text; the root is a direct array indexed by token id (most tokens
 * fail there with one load) and deeper edges one hash probe each, so the
 * cost per token does not grow with the number of aliases. */
#include "gaz_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

int gaz_error(lector_gazetteer *g, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->errmsg, sizeof g->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

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
    gaz_strtab_init(&g->entities);
    gaz_strtab_init(&g->types);
    gaz_strtab_init(&g->sources);
    lector_tokens_init(&g->scratch);
    if (g->hyphen_id <= 0 || gaz_nodes_reserve(g, 1) < 0) {
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
    free(g->root);
    free(g->starts);
    free(g->edges);
    free(g->nodes);
    free(g->entries);
    gaz_strtab_free(&g->text);
    gaz_strtab_free(&g->entities);
    gaz_strtab_free(&g->types);
    gaz_strtab_free(&g->sources);
    lector_tokens_release(&g->scratch);
    free(g);
}

const char *lector_gazetteer_errmsg(const lector_gazetteer *g)
{
    return g ? g->errmsg : "no gazetteer";
}

/* ---- the trie ---------------------------------------------------------- */

static inline uint32_t edge_hash(int32_t parent, int32_t tok)
{
    uint64_t k = ((uint64_t)(uint32_t)parent << 32) | (uint32_t)tok;
    k *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(k >> 32);
}

int32_t gaz_child(const lector_gazetteer *g, int32_t node, int32_t tok)
{
    if (node == 0) return tok > 0 && (size_t)tok < g->nroot ? g->root[tok] : 0;
    if (!g->edge_slots) return 0;
    size_t mask = g->edge_slots - 1;
    for (size_t i = edge_hash(node, tok) & mask;; i = (i + 1) & mask) {
        const gaz_edge *e = &g->edges[i];
        if (e->child == 0) return 0;
        if (e->parent == node && e->tok == tok) return e->child;
    }
}

int gaz_edges_reserve(lector_gazetteer *g, size_t want)
{
    if (want <= g->edge_slots) return 0;
    size_t ns = g->edge_slots ? g->edge_slots : 1024;
    while (ns < want)
        ns *= 2;
    gaz_edge *e = calloc(ns, sizeof *e);
    if (!e) return -1;
    for (size_t i = 0; i < g->edge_slots; i++) {
        gaz_edge *o = &g->edges[i];
        if (!o->child) continue;
        size_t j = edge_hash(o->parent, o->tok) & (ns - 1);
        while (e[j].child)
            j = (j + 1) & (ns - 1);
        e[j] = *o;
    }
    free(g->edges);
    g->edges = e;
    g->edge_slots = ns;
    return 0;
}

int gaz_root_reserve(lector_gazetteer *g, size_t n)
{
    if (n <= g->nroot) return 0;
    size_t cap = g->nroot ? g->nroot : 1024;
    while (cap < n)
        cap *= 2;
    int32_t *r = realloc(g->root, cap * sizeof *r);
    if (!r) return -1;
    memset(r + g->nroot, 0, (cap - g->nroot) * sizeof *r);
    g->root = r;
    uint64_t *b = realloc(g->starts, cap / 64 * sizeof *b);
    if (!b) return -1;
    memset(b + g->nroot / 64, 0, (cap - g->nroot) / 64 * sizeof *b);
    g->starts = b;
    g->nroot = cap;
    return 0;
}

void gaz_root_put(lector_gazetteer *g, int32_t tok, int32_t node)
{
    g->root[tok] = node;
    g->starts[(uint32_t)tok / 64] |= 1ull << ((uint32_t)tok % 64);
}

int gaz_nodes_reserve(lector_gazetteer *g, size_t n)
{
    if (n <= g->node_cap) return 0;
    size_t cap = g->node_cap ? g->node_cap : 1024;
    while (cap < n)
        cap *= 2;
    gaz_node *nd = realloc(g->nodes, cap * sizeof *nd);
    if (!nd) return -1;
    g->nodes = nd;
    g->node_cap = cap;
    return 0;
}

int gaz_entries_reserve(lector_gazetteer *g, size_t n)
{
    if (n <= g->entry_cap) return 0;
    size_t cap = g->entry_cap ? g->entry_cap : 256;
    while (cap < n)
        cap *= 2;
    gaz_entry *e = realloc(g->entries, cap * sizeof *e);
    if (!e) return -1;
    g->entries = e;
    g->entry_cap = cap;
    return 0;
}

void gaz_edge_put(lector_gazetteer *g, int32_t parent, int32_t tok,
                  int32_t child)
{
    size_t mask = g->edge_slots - 1, i = edge_hash(parent, tok) & mask;
    while (g->edges[i].child)
        i = (i + 1) & mask;
    g->edges[i] = (gaz_edge){parent, tok, child};
    g->nedges++;
    g->nodes[parent].kids |= gaz_kid_bit(tok);
}

static int32_t new_node(lector_gazetteer *g)
{
    if (g->nnodes >= INT32_MAX || gaz_nodes_reserve(g, g->nnodes + 1) < 0)
        return -1;
    g->nodes[g->nnodes] = (gaz_node){-1, 0};
    return (int32_t)g->nnodes++;
}

int32_t gaz_child_add(lector_gazetteer *g, int32_t node, int32_t tok)
{
    int32_t c;
    if (node == 0) {
        if ((c = gaz_child(g, 0, tok))) return c;
        if (gaz_root_reserve(g, (size_t)tok + 1) < 0) return -1;
        if ((c = new_node(g)) < 0) return -1;
        gaz_root_put(g, tok, c);
        return c;
    }
    /* Keep the load factor under 1/2 so probes stay short; grow first so
     * one probe finds the edge or the slot for it. */
    if ((g->nedges + 1) * 2 > g->edge_slots &&
        gaz_edges_reserve(g, (g->nedges + 1) * 2) < 0)
        return -1;
    size_t mask = g->edge_slots - 1, i = edge_hash(node, tok) & mask;
    for (; g->edges[i].child; i = (i + 1) & mask)
        if (g->edges[i].parent == node && g->edges[i].tok == tok)
            return g->edges[i].child;
    if ((c = new_node(g)) < 0) return -1;
    g->edges[i] = (gaz_edge){node, tok, c};
    g->nedges++;
    g->nodes[node].kids |= gaz_kid_bit(tok);
    return c;
}

/* ---- adding aliases ------------------------------------------------------ */

static int is_hyphen(const lector_gazetteer *g, const lector_token *t)
{
    return t->norm == g->hyphen_id;
}

/* A hyphen the matcher steps over in loose mode: inside a hyphenated word
 * (flagged by the tokenizer, or with no space on either side). */
static int joined_hyphen(const lector_gazetteer *g, const lector_tokens *toks,
                         size_t k)
{
    const lector_token *t = &toks->tok[k];
    if (t->norm != g->hyphen_id || k + 1 >= toks->n) return 0;
    if (t->flags & LECTOR_TF_HYPHEN_JOINED) return 1;
    return !(t->flags & LECTOR_TF_SPACE_BEFORE) &&
           !(toks->tok[k + 1].flags & LECTOR_TF_SPACE_BEFORE);
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
    if (g->entities.count >= INT32_MAX - 1 || g->nentries >= INT32_MAX - 1)
        return gaz_error(g, LECTOR_ELIMIT, "too many entries");
    lector_tokens *tk = &g->scratch;
    int rc = lector_tokenize(g->tk, alias, alias_n, 0, tk);
    if (rc != LECTOR_OK)
        return gaz_error(g, rc, "cannot tokenize alias: %s",
                         lector_tokenizer_errmsg(g->tk));
    int strict = g->opts & LECTOR_GAZ_HYPHENS_STRICT;
    int32_t node = 0;
    size_t used = 0;
    for (size_t i = 0; i < tk->n; i++) {
        if (!strict && is_hyphen(g, &tk->tok[i])) continue;
        if (tk->tok[i].norm <= 0)
            return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        node = gaz_child_add(g, node, tk->tok[i].norm);
        if (node < 0) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        used++;
    }
    if (!used)
        return gaz_error(g, LECTOR_EFORMAT, "alias \"%.*s\" has no tokens",
                         (int)(alias_n > 60 ? 60 : alias_n), alias);
    int mode = case_mode;
    if (mode == LECTOR_CASE_AUTO)
        mode = short_all_caps(alias, alias_n) ? LECTOR_CASE_SENSITIVE
                                              : LECTOR_CASE_INSENSITIVE;
    int32_t ent = gaz_strtab_intern(&g->entities, entity, strlen(entity));
    int32_t ty =
        type && *type ? gaz_strtab_intern(&g->types, type, strlen(type)) : -1;
    int32_t src = source && *source
                      ? gaz_strtab_intern(&g->sources, source, strlen(source))
                      : -1;
    if (ent < 0 || (type && *type && ty < 0) || (source && *source && src < 0))
        return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    /* The same entity reached twice through one key is one entry. */
    for (int32_t e = g->nodes[node].entry; e >= 0; e = g->entries[e].next)
        if (g->entries[e].entity == ent && g->entries[e].case_mode == mode &&
            g->entries[e].type == ty)
            return LECTOR_OK;
    if (gaz_entries_reserve(g, g->nentries + 1) < 0)
        return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    int64_t a = gaz_strtab_append(&g->text, alias, alias_n);
    int64_t at = attrs && *attrs
                     ? gaz_strtab_append(&g->text, attrs, strlen(attrs))
                     : gaz_strtab_append(&g->text, "", 0);
    int64_t sf = a;
    if (mode == LECTOR_CASE_SENSITIVE && a >= 0) {
        /* The surface tokens, \x1f-separated, compared at match time. */
        size_t len = 0;
        char *buf = malloc(alias_n + tk->n + 1);
        if (!buf) return gaz_error(g, LECTOR_ENOMEM, "out of memory");
        for (size_t i = 0; i < tk->n; i++) {
            const lector_token *t = &tk->tok[i];
            if (!strict && is_hyphen(g, t)) continue;
            if (len) buf[len++] = '\x1f';
            memcpy(buf + len, alias + t->start, t->end - t->start);
            len += t->end - t->start;
        }
        sf = gaz_strtab_append(&g->text, buf, len);
        free(buf);
    }
    if (a < 0 || at < 0 || sf < 0)
        return gaz_error(g, LECTOR_ELIMIT, "gazetteer text exceeds 4 GiB");
    gaz_entry *en = &g->entries[g->nentries];
    *en = (gaz_entry){.next = -1,
                      .entity = ent,
                      .type = ty,
                      .alias = (uint32_t)a,
                      .surface = (uint32_t)sf,
                      .attrs = (uint32_t)at,
                      .source = src,
                      .line = line,
                      .case_mode = mode};
    /* Append at the tail so entries come back in the order they were added. */
    int32_t *link = &g->nodes[node].entry;
    while (*link >= 0)
        link = &g->entries[*link].next;
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
    return g ? g->entities.count : 0;
}
size_t lector_gazetteer_nodes(const lector_gazetteer *g)
{
    return g ? g->nnodes : 0;
}

size_t lector_gazetteer_memory(const lector_gazetteer *g)
{
    if (!g) return 0;
    return sizeof *g + g->nroot * sizeof *g->root + g->nroot / 8 +
           g->edge_slots * sizeof *g->edges + g->node_cap * sizeof *g->nodes +
           g->entry_cap * sizeof *g->entries + gaz_strtab_memory(&g->text) +
           gaz_strtab_memory(&g->entities) + gaz_strtab_memory(&g->types) +
           gaz_strtab_memory(&g->sources) +
           g->scratch.cap * sizeof(lector_token);
}

int32_t lector_gazetteer_type_id(const lector_gazetteer *g, const char *type)
{
    if (!g || !type) return -1;
    return gaz_strtab_find(&g->types, type, strlen(type));
}

int lector_gazetteer_entry(const lector_gazetteer *g, int32_t entry,
                           lector_gaz_entry *out)
{
    if (!g || !out || entry < 0 || (size_t)entry >= g->nentries)
        return LECTOR_EINVAL;
    const gaz_entry *e = &g->entries[entry];
    out->alias = gaz_str(&g->text, e->alias);
    out->entity = gaz_name(&g->entities, e->entity);
    out->type = gaz_name(&g->types, e->type);
    out->attrs = gaz_str(&g->text, e->attrs);
    out->source = gaz_name(&g->sources, e->source);
    out->line = e->line;
    out->case_mode = e->case_mode;
    out->entity_id = e->entity;
    out->type_id = e->type;
    return LECTOR_OK;
}

/* ---- matching ------------------------------------------------------------ */

void lector_gaz_matches_init(lector_gaz_matches *m)
{
    if (m) memset(m, 0, sizeof *m);
}

void lector_gaz_matches_release(lector_gaz_matches *m)
{
    if (!m) return;
    free(m->m);
    memset(m, 0, sizeof *m);
}

/* Does the text's tokens first..last (hyphens skipped as in matching) read
 * exactly like the entry's surface? */
static int surface_equal(const lector_gazetteer *g, const gaz_entry *e,
                         const char *s, const lector_tokens *toks, size_t first,
                         size_t last)
{
    const char *want = gaz_str(&g->text, e->surface);
    int strict = g->opts & LECTOR_GAZ_HYPHENS_STRICT;
    for (size_t k = first; k <= last; k++) {
        const lector_token *t = &toks->tok[k];
        if (!strict && k > first && joined_hyphen(g, toks, k)) continue;
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

static int accepts(const lector_gazetteer *g, const gaz_entry *e, const char *s,
                   const lector_tokens *toks, size_t first, size_t last)
{
    return e->case_mode != LECTOR_CASE_SENSITIVE ||
           surface_equal(g, e, s, toks, first, last);
}

/* The first entry of the list from e that the text's tokens first..last
 * satisfy, -1 when none does. */
static int32_t first_accepted(const lector_gazetteer *g, int32_t e,
                              const char *s, const lector_tokens *toks,
                              size_t first, size_t last)
{
    for (; e >= 0; e = g->entries[e].next)
        if (accepts(g, &g->entries[e], s, toks, first, last)) return e;
    return -1;
}

/* Room for one more match. */
static inline int match_room(lector_gaz_matches *out)
{
    if (out->n < out->cap) return LECTOR_OK;
    size_t cap = out->cap ? out->cap * 2 : 64;
    lector_gaz_match *m = realloc(out->m, cap * sizeof *m);
    if (!m) return LECTOR_ENOMEM;
    out->m = m;
    out->cap = cap;
    return LECTOR_OK;
}

/* Appends a match for e (accepted already) and every later entry of its
 * list that the text satisfies. */
static inline int emit(const lector_gazetteer *g, int32_t e, const char *s,
                       const lector_tokens *toks, size_t first, size_t last,
                       lector_gaz_matches *out)
{
    uint32_t start = toks->tok[first].start, end = toks->tok[last].end;
    do {
        const gaz_entry *en = &g->entries[e];
        if (match_room(out) != LECTOR_OK) return LECTOR_ENOMEM;
        out->m[out->n++] = (lector_gaz_match){
            (uint32_t)first, (uint32_t)last, start, end, e, en->type};
        e = en->next < 0 ? -1
                         : first_accepted(g, en->next, s, toks, first, last);
    } while (e >= 0);
    return LECTOR_OK;
}

/* The child of a node other than the root for token id tok, 0 when none
 * (gaz_child without the root's case, for the matcher's inner loop). */
static inline int32_t deep_child(const lector_gazetteer *g, int32_t node,
                                 int32_t tok)
{
    size_t mask = g->edge_slots - 1;
    for (size_t i = edge_hash(node, tok) & mask;; i = (i + 1) & mask) {
        const gaz_edge *e = &g->edges[i];
        if (e->child == 0) return 0;
        if (e->parent == node && e->tok == tok) return e->child;
    }
}

/* Matches from each candidate token cand[0..nc-1] (each starts some
 * alias) on, skipping those before *from, the token after the last
 * leftmost-longest match, which it advances. */
static int match_from(const lector_gazetteer *g, const char *s,
                      const lector_tokens *toks, const uint32_t *cand,
                      size_t nc, int overlap, size_t *from,
                      lector_gaz_matches *out)
{
    const lector_token *tok = toks->tok;
    size_t nt = toks->n;
    int loose = !(g->opts & LECTOR_GAZ_HYPHENS_STRICT);
    for (size_t c = 0; c < nc; c++) {
        size_t i = cand[c], last = i;
        if (i < *from) continue; /* inside the last match */
        int32_t node = g->root[tok[i].norm], best = -1;
        for (size_t j = i;;) {
            const gaz_node *nd = &g->nodes[node];
            if (nd->entry >= 0) {
                int32_t e = first_accepted(g, nd->entry, s, toks, i, j);
                if (e >= 0) {
                    int rc;
                    if (overlap && (rc = emit(g, e, s, toks, i, j, out)))
                        return rc;
                    best = e;
                    last = j;
                }
            }
            uint32_t kids = nd->kids;
            size_t k = j + 1;
            if (!kids || k >= nt) break;
            int32_t next = tok[k].norm;
            /* Hyphens are rare: the full test only when the token is one. */
            if (next == g->hyphen_id && loose) {
                while (k < nt && joined_hyphen(g, toks, k))
                    k++;
                if (k >= nt) break;
                next = tok[k].norm;
            }
            if (!(kids & gaz_kid_bit(next))) break;
            if (!(node = deep_child(g, node, next))) break;
            j = k;
        }
        if (overlap || best < 0) continue;
        int rc = emit(g, best, s, toks, i, last, out);
        if (rc) return rc;
        *from = last + 1;
    }
    return LECTOR_OK;
}

int lector_gazetteer_match(const lector_gazetteer *g, const char *s, size_t n,
                           const lector_tokens *toks, unsigned opts,
                           lector_gaz_matches *out)
{
    if (!g || !toks || !out || (!s && n)) return LECTOR_EINVAL;
    out->n = 0;
    if (!g->nroot) return LECTOR_OK; /* no alias yet */
    int overlap = opts & LECTOR_GAZ_OVERLAP;
    const lector_token *tok = toks->tok;
    const uint64_t *starts = g->starts;
    size_t nt = toks->n, from = 0;
    uint32_t nroot = (uint32_t)g->nroot;
    /* Two passes over each block of tokens: the first lists the tokens
     * that start some alias without a branch per token (whether a word
     * starts an alias is as good as random to the branch predictor), the
     * second walks the trie from those. */
    enum { BLOCK = 256 };
    uint32_t cand[BLOCK];
    for (size_t b = 0; b < nt; b += BLOCK) {
        size_t end = nt - b < BLOCK ? nt : b + BLOCK, nc = 0;
        for (size_t i = b; i < end; i++) {
            /* Norms are >= 0 and bit 0 is never set; an id past the table
             * is a word interned after every alias, so it starts none. */
            uint32_t id = (uint32_t)tok[i].norm;
            id &= -(uint32_t)(id < nroot);
            cand[nc] = (uint32_t)i;
            nc += starts[id / 64] >> (id % 64) & 1;
        }
        int rc = match_from(g, s, toks, cand, nc, overlap, &from, out);
        if (rc) return rc;
    }
    return LECTOR_OK;
}
