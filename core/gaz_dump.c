/* Saving and loading a compiled gazetteer. The dump holds the trie with
 * its token ids renumbered 0..k-1 over a table of the k token strings it
 * uses, so it loads into any intern table: loading interns k strings and
 * re-inserts the edges, skipping the tokenizing and folding of every alias
 * that makes up most of the compile time.
 *
 * Layout (host byte order, checked by the marker): "LECTORGZ", u32 version,
 * u32 0x01020304, u32 opts, then u64 counts (tokens, token bytes, nodes,
 * edges incl. the root's, entries, text, entities, types, sources bytes),
 * then the token strings, edges as (parent, token, child) int32 triples,
 * node_entry, the entries, and the four string pools.
 *
 * A token string is a u32 length and its bytes (version 2), since a
 * token's norm may hold a NUL byte; version 1 wrote NUL-terminated
 * strings, and is still read.
 *
 * The nodes of a dump are one array with the root at 0, whatever the
 * gazetteer's own layout: the reader takes any numbering of a tree, so
 * dumps written before the first level became an array by token id load
 * as they are. */
#include "gaz_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "LECTORGZ"
enum { VERSION = 2, MARKER = 0x01020304, NCOUNTS = 9 };

/* An entry in the dump: the fields of gaz_hit and gaz_entry in this
 * order (the layout of version 1, whatever the structs become). */
typedef struct dump_entry {
    int32_t next, entity, type;
    uint32_t alias, surface, attrs;
    int32_t source, line, case_mode;
} dump_entry;

typedef struct wbuf {
    char *p;
    size_t len;
} wbuf;

static void put(wbuf *w, const void *s, size_t n)
{
    if (n) memcpy(w->p + w->len, s, n);
    w->len += n;
}

int lector_gazetteer_dump(const lector_gazetteer *g, char **out, size_t *out_n)
{
    if (!g || !out || !out_n) return LECTOR_EINVAL;
    lector_gazetteer *mg = (lector_gazetteer *)g; /* errmsg only */
    *out = NULL;
    *out_n = 0;
    /* The dump numbers the nodes as one array: 0 the root, 1..F the first
     * level in token id order, then F + d for nodes[d]. */
    size_t F = g->nstarts, nnodes = F + g->nnodes, nedges = F + g->nedges;
    size_t nin = lector_intern_count(g->in) + 1;
    int32_t *local = malloc(nin * sizeof *local);
    int32_t *fno = malloc((g->nfirsts ? g->nfirsts : 1) * sizeof *fno);
    if (!local || !fno) {
        free(local);
        free(fno);
        return gaz_error(mg, LECTOR_ENOMEM, "out of memory");
    }
    /* Local numbering of the token ids the trie uses. */
    for (size_t i = 0; i < nin; i++)
        local[i] = -1;
    size_t ntok = 0, tokbytes = 0, f = 0;
#define USE(id)                                                                \
    do {                                                                       \
        if ((size_t)(id) < nin && local[id] < 0) {                             \
            size_t l_;                                                         \
            lector_intern_str(g->in, (id), &l_);                               \
            local[id] = (int32_t)ntok++;                                       \
            tokbytes += 4 + l_;                                                \
        }                                                                      \
    } while (0)
    for (size_t t = 0; t < g->nfirsts; t++)
        if (g->starts[t]) {
            fno[t] = (int32_t)++f;
            USE(t);
        }
    for (size_t i = 0; i < g->edge_slots; i++)
        if (g->edges[i].child) USE(g->edges[i].tok);
#undef USE
    size_t nbytes[3] = {gaz_names_bytes(&g->entities),
                        gaz_names_bytes(&g->types),
                        gaz_names_bytes(&g->sources)};
    uint64_t counts[NCOUNTS] = {ntok,      tokbytes,    nnodes,
                                nedges,    g->nentries, g->text.len,
                                nbytes[0], nbytes[1],   nbytes[2]};
    size_t total = 8 + 3 * 4 + sizeof counts + tokbytes + nedges * 12 +
                   nnodes * 4 + g->nentries * sizeof(dump_entry) + g->text.len +
                   nbytes[0] + nbytes[1] + nbytes[2];
    wbuf w = {malloc(total), 0};
    char **strs = malloc((ntok ? ntok : 1) * sizeof *strs);
    size_t *lens = malloc((ntok ? ntok : 1) * sizeof *lens);
    if (!w.p || !strs || !lens) {
        free(w.p);
        free(strs);
        free(lens);
        free(local);
        free(fno);
        return gaz_error(mg, LECTOR_ENOMEM, "out of memory");
    }
    uint32_t hdr[3] = {VERSION, MARKER, g->opts};
    put(&w, MAGIC, 8);
    put(&w, hdr, sizeof hdr);
    put(&w, counts, sizeof counts);
    for (size_t id = 0; id < nin; id++)
        if (local[id] >= 0)
            strs[local[id]] =
                (char *)lector_intern_str(g->in, (int32_t)id, &lens[local[id]]);
    for (size_t i = 0; i < ntok; i++) {
        uint32_t l = (uint32_t)lens[i];
        put(&w, &l, 4);
        put(&w, strs[i], lens[i]);
    }
    for (size_t t = 0; t < g->nfirsts; t++) {
        if (!g->starts[t]) continue;
        int32_t e[3] = {0, local[t], fno[t]};
        put(&w, e, sizeof e);
    }
    for (size_t i = 0; i < g->edge_slots; i++) {
        const gaz_edge *ed = &g->edges[i];
        if (!ed->child) continue;
        int32_t p = ed->parent > 0 ? fno[ed->parent] : (int32_t)F - ed->parent;
        int32_t e[3] = {p, local[ed->tok], (int32_t)F + ed->child};
        put(&w, e, sizeof e);
    }
    int32_t none = -1;
    put(&w, &none, 4);
    for (size_t t = 0; t < g->nfirsts; t++)
        if (g->starts[t]) put(&w, &g->firsts[t].node.entry, 4);
    for (size_t d = 1; d < g->nnodes; d++)
        put(&w, &g->nodes[d].entry, 4);
    for (size_t i = 0; i < g->nentries; i++) {
        const gaz_hit *h = &g->hits[i];
        const gaz_entry *e = &g->entries[i];
        dump_entry d = {h->next,  e->entity, h->type, e->alias,    e->surface,
                        e->attrs, e->source, e->line, h->case_mode};
        put(&w, &d, sizeof d);
    }
    put(&w, g->text.buf, g->text.len);
    const gaz_names *names[3] = {&g->entities, &g->types, &g->sources};
    for (int k = 0; k < 3; k++) {
        gaz_names_write(names[k], w.p + w.len);
        w.len += nbytes[k];
    }
    free(strs);
    free(lens);
    free(local);
    free(fno);
    *out = w.p;
    *out_n = w.len;
    return LECTOR_OK;
}

typedef struct rbuf {
    const char *p;
    size_t len, pos;
} rbuf;

static const char *take(rbuf *r, size_t n)
{
    if (n > r->len - r->pos) return NULL;
    const char *p = r->p + r->pos;
    r->pos += n;
    return p;
}

static int load_pool(gaz_strtab *t, const char *p, size_t n)
{
    if (!n) return 0;
    if (p[n - 1] != '\0') return -1;
    t->buf = malloc(n);
    if (!t->buf) return -1;
    memcpy(t->buf, p, n);
    t->len = t->cap = (uint32_t)n;
    return 0;
}

#define BAD(what)                                                              \
    gaz_error(g, LECTOR_EFORMAT, "not a lector gazetteer dump: %s", what)

int lector_gazetteer_undump(lector_gazetteer *g, const char *buf, size_t n)
{
    if (!g || (!buf && n)) return LECTOR_EINVAL;
    if (g->nentries || g->nstarts || g->nnodes != 1)
        return gaz_error(g, LECTOR_EINVAL, "undump needs an empty gazetteer");
    rbuf r = {buf, n, 0};
    const char *m = take(&r, 8);
    uint32_t hdr[3];
    uint64_t c[NCOUNTS];
    if (!m || memcmp(m, MAGIC, 8) != 0) return BAD("bad magic");
    if (!(m = take(&r, sizeof hdr))) return BAD("truncated header");
    memcpy(hdr, m, sizeof hdr);
    if (hdr[1] != MARKER)
        return BAD("written on a machine of other byte order");
    if (hdr[0] != 1 && hdr[0] != VERSION) return BAD("unsupported version");
    if (!(m = take(&r, sizeof c))) return BAD("truncated header");
    memcpy(c, m, sizeof c);
    for (int i = 0; i < NCOUNTS; i++)
        if (c[i] > n) return BAD("counts larger than the data");
    uint64_t ntok = c[0], tokbytes = c[1], nnodes = c[2], nedges = c[3],
             nent = c[4];
    if (nnodes < 1 || nnodes > INT32_MAX || nent > INT32_MAX)
        return BAD("bad counts");
    const char *toks = take(&r, tokbytes);
    const char *edges = take(&r, nedges * 12);
    const char *nodes = take(&r, nnodes * 4);
    const char *ents = take(&r, nent * sizeof(dump_entry));
    const char *pools[4];
    for (int i = 0; i < 4; i++)
        pools[i] = take(&r, c[5 + i]);
    if (!toks || !edges || !nodes || !ents || !pools[0] || !pools[1] ||
        !pools[2] || !pools[3] || r.pos != n)
        return BAD("truncated or trailing data");
    if (hdr[0] == 1 && tokbytes && toks[tokbytes - 1] != '\0')
        return BAD("bad token table");
    int rc = LECTOR_ENOMEM;
    int32_t *key = NULL;
    int32_t *map = malloc((ntok ? ntok : 1) * sizeof *map);
    if (!map) goto fail;
    size_t k = 0;
    for (const char *p = toks, *end = toks + tokbytes; p < end && k < ntok;
         k++) {
        size_t l;
        if (hdr[0] == 1) {
            l = strlen(p);
        } else {
            uint32_t l32;
            if ((size_t)(end - p) < 4) break;
            memcpy(&l32, p, 4);
            p += 4;
            if (l32 > (size_t)(end - p)) break;
            l = l32;
        }
        map[k] = lector_intern_add(g->in, p, l);
        if (map[k] <= 0) goto fail;
        p += l + (hdr[0] == 1);
    }
    if (k != ntok) {
        rc = BAD("bad token table");
        goto fail;
    }
    g->opts = hdr[2] & LECTOR_GAZ_HYPHENS_STRICT;
    /* The key of each dump node (0: not reached yet): the first level by
     * its token, the deeper nodes a new index in nodes each, in dump order
     * (that is, in the order they were added). The dump must be a tree. */
    if (!(key = calloc(nnodes, sizeof *key))) goto fail;
    size_t deep = 0;
    for (uint64_t i = 0; i < nedges; i++) {
        int32_t e[3];
        memcpy(e, edges + i * 12, sizeof e);
        if (e[0] < 0 || (uint64_t)e[0] >= nnodes || e[1] < 0 ||
            (uint64_t)e[1] >= ntok || e[2] <= 0 || (uint64_t)e[2] >= nnodes) {
            rc = BAD("edge out of range");
            goto fail;
        }
        int32_t tok = map[e[1]];
        if (key[e[2]] != 0 ||
            (e[0] == 0 && (size_t)tok < g->nfirsts && g->starts[tok])) {
            rc = BAD("not a tree");
            goto fail;
        }
        if (e[0] == 0) {
            if (gaz_first_add(g, tok) < 0) goto fail;
            key[e[2]] = tok;
        } else {
            key[e[2]] = -1;
            deep++;
        }
    }
    if (gaz_nodes_reserve(g, deep + 1) < 0) goto fail;
    for (uint64_t i = 1; i < nnodes; i++)
        if (key[i] == -1) key[i] = -gaz_node_new(g);
    if (deep && gaz_edges_reserve(g, deep * 2 + 2) < 0) goto fail;
    for (uint64_t i = 0; i < nedges; i++) {
        int32_t e[3];
        memcpy(e, edges + i * 12, sizeof e);
        if (e[0] == 0) continue;
        if (key[e[0]] == 0) {
            rc = BAD("not a tree");
            goto fail;
        }
        gaz_edge_put(g, key[e[0]], map[e[1]], -key[e[2]]);
    }
    /* Nodes no edge reaches (the root, or none in a valid dump) have no
     * record: their entries cannot match. */
    for (uint64_t i = 0; i < nnodes; i++) {
        int32_t v;
        memcpy(&v, nodes + i * 4, 4);
        if (v < -1 || v >= (int64_t)nent) {
            rc = BAD("node entry out of range");
            goto fail;
        }
        if (key[i]) gaz_rec(g, key[i])->entry = v;
    }
    if (gaz_entries_reserve(g, nent ? nent : 1) < 0) goto fail;
    for (uint64_t i = 0; i < nent; i++) {
        dump_entry d;
        memcpy(&d, ents + i * sizeof d, sizeof d);
        g->hits[i] = (gaz_hit){d.next, d.type, d.case_mode};
        g->entries[i] = (gaz_entry){d.entity, d.alias,  d.surface,
                                    d.attrs,  d.source, d.line};
    }
    g->nentries = nent;
    if (load_pool(&g->text, pools[0], c[5]) < 0 ||
        gaz_names_load(&g->entities, pools[1], c[6]) < 0 ||
        gaz_names_load(&g->types, pools[2], c[7]) < 0 ||
        gaz_names_load(&g->sources, pools[3], c[8]) < 0) {
        rc = BAD("bad string pool");
        goto fail;
    }
    /* Every index a match will follow must stay in range, and an entry
     * list must end: entries are appended, so each links to a later one. */
    for (uint64_t i = 0; i < nent; i++) {
        const gaz_entry *e = &g->entries[i];
        const gaz_hit *h = &g->hits[i];
        if ((h->next != -1 &&
             (h->next <= (int64_t)i || h->next >= (int64_t)nent)) ||
            e->entity < 0 ||
            (uint32_t)e->entity >= gaz_names_count(&g->entities) ||
            h->type < -1 ||
            (h->type >= 0 && (uint32_t)h->type >= gaz_names_count(&g->types)) ||
            e->source < -1 ||
            (e->source >= 0 &&
             (uint32_t)e->source >= gaz_names_count(&g->sources)) ||
            e->alias >= g->text.len || e->surface >= g->text.len ||
            e->attrs >= g->text.len ||
            (h->case_mode != LECTOR_CASE_SENSITIVE &&
             h->case_mode != LECTOR_CASE_INSENSITIVE &&
             h->case_mode != GAZ_CASE_SHOUT)) {
            rc = BAD("entry out of range");
            goto fail;
        }
    }
    free(map);
    free(key);
    return LECTOR_OK;
fail:
    free(map);
    free(key);
    if (rc == LECTOR_ENOMEM) gaz_error(g, rc, "out of memory");
    /* Leave an empty gazetteer behind, as it was given. */
    free(g->firsts);
    g->firsts = NULL;
    free(g->starts);
    g->starts = NULL;
    g->nfirsts = g->nstarts = 0;
    free(g->edges);
    g->edges = NULL;
    free(g->pairs);
    g->pairs = NULL;
    g->edge_slots = g->nedges = 0;
    g->nnodes = 1;
    g->nentries = 0;
    gaz_strtab_free(&g->text);
    gaz_names_clear(&g->entities);
    gaz_names_clear(&g->types);
    gaz_names_clear(&g->sources);
    return rc;
}

int lector_gazetteer_save(lector_gazetteer *g, const char *path)
{
    if (!g || !path) return LECTOR_EINVAL;
    char *buf;
    size_t n;
    int rc = lector_gazetteer_dump(g, &buf, &n);
    if (rc) return rc;
    /* Write beside, then rename: a crash never leaves half a file. */
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 8);
    if (!tmp) {
        free(buf);
        return gaz_error(g, LECTOR_ENOMEM, "out of memory");
    }
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
    FILE *fp = fopen(tmp, "wb");
    int ok = fp && fwrite(buf, 1, n, fp) == n;
    int err = errno;
    if (fp && fclose(fp) != 0) ok = 0, err = errno;
    if (ok && rename(tmp, path) != 0) ok = 0, err = errno;
    if (!ok) remove(tmp);
    free(tmp);
    free(buf);
    if (!ok)
        return gaz_error(g, LECTOR_EIO, "%s: cannot write: %s", path,
                         strerror(err));
    return LECTOR_OK;
}

int lector_gazetteer_open(lector_gazetteer *g, const char *path)
{
    if (!g || !path) return LECTOR_EINVAL;
    FILE *fp = fopen(path, "rb");
    if (!fp) return gaz_error(g, LECTOR_EIO, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    long sz = -1;
    if (fseek(fp, 0, SEEK_END) == 0) sz = ftell(fp);
    if (sz < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return gaz_error(g, LECTOR_EIO, "%s: cannot read", path);
    }
    buf = malloc(sz ? (size_t)sz : 1);
    if (!buf) {
        fclose(fp);
        return gaz_error(g, LECTOR_ENOMEM, "%s: out of memory", path);
    }
    size_t r = fread(buf, 1, (size_t)sz, fp);
    fclose(fp);
    if (r != (size_t)sz) {
        free(buf);
        return gaz_error(g, LECTOR_EIO, "%s: short read", path);
    }
    int rc = lector_gazetteer_undump(g, buf, r);
    free(buf);
    if (rc != LECTOR_OK) {
        char m[sizeof g->errmsg];
        memcpy(m, g->errmsg, sizeof m);
        gaz_error(g, rc, "%s: %s", path, m);
    }
    return rc;
}
