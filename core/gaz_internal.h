/* Private to gazetteer.c and the gaz_*.c files: the gazetteer's layout.
 *
 * Strings live in a byte pool (gaz_strtab: NUL-terminated strings
 * addressed by offset, so the dump writes it as one block) and in name
 * tables (gaz_names: entities, types, sources, each interned in an intern
 * table of its own, with dense ids from 0).
 *
 * The trie over token ids. Its first level is an array indexed by token id:
 * firsts[t] is the node reached by an alias's first token t, so a text
 * token finds its node with one load and no hash. Deeper nodes are
 * nodes[1..nnodes-1], and every edge below the first level is a slot of
 * one open-addressing hash keyed by (parent, token id). A node is named by
 * a key: t > 0 for firsts[t], -d for nodes[d], 0 for the root (which has
 * no record). A node's entry heads the list of entries ending there,
 * chained through gaz_hit.next in the order they were added. */
#ifndef LECTOR_GAZ_INTERNAL_H
#define LECTOR_GAZ_INTERNAL_H

#include "common.h"
#include "lector.h"

#include <stdint.h>
#include <stdio.h>

/* A byte pool of NUL-terminated strings, addressed by offset. */
typedef struct gaz_strtab {
    char *buf;
    uint32_t len, cap;
} gaz_strtab;

void gaz_strtab_init(gaz_strtab *t);
void gaz_strtab_free(gaz_strtab *t);
/* Appends (s, n) and a NUL; returns its offset, -1 when out of memory or
 * past 4 GiB. */
int64_t gaz_strtab_append(gaz_strtab *t, const char *s, size_t n);
static inline const char *gaz_str(const gaz_strtab *t, uint32_t off)
{
    return t->buf ? t->buf + off : "";
}
size_t gaz_strtab_memory(const gaz_strtab *t);

/* A table of names: the core's intern table (its id - 1 is the name's id
 * here), and the id of the last name added. */
typedef struct gaz_names {
    lector_intern *in;
    int32_t last; /* -1 none */
} gaz_names;

/* 0, or -1 when out of memory. */
int gaz_names_init(gaz_names *t);
void gaz_names_free(gaz_names *t);
/* The id of the name s, added when new; -1 when out of memory. */
int32_t gaz_names_add(gaz_names *t, const char *s);
/* The id of the name s; -1 when absent. */
int32_t gaz_names_find(const gaz_names *t, const char *s);
/* Starts loading where gaz_names_add will look for s. */
void gaz_names_prefetch(const gaz_names *t, const char *s);
static inline uint32_t gaz_names_count(const gaz_names *t)
{
    return (uint32_t)lector_intern_count(t->in);
}
/* The name of id; "" for -1 (none) or an unknown id. */
static inline const char *gaz_name(const gaz_names *t, int32_t id)
{
    const char *s = id < 0 ? NULL : lector_intern_str(t->in, id + 1, NULL);
    return s ? s : "";
}
size_t gaz_names_memory(const gaz_names *t);
/* The names in id order, each NUL-terminated, as the dump holds them:
 * their length in bytes, and writing them to out. */
size_t gaz_names_bytes(const gaz_names *t);
void gaz_names_write(const gaz_names *t, char *out);
/* Fills an empty table from such bytes (n of them at p); -1 when they are
 * not that (no final NUL, a name twice) or out of memory. */
int gaz_names_load(gaz_names *t, const char *p, size_t n);
/* Empties the table. */
void gaz_names_clear(gaz_names *t);

typedef struct gaz_edge {
    int32_t parent; /* the parent's key */
    int32_t tok;
    int32_t child; /* index in nodes; 0: empty slot */
} gaz_edge;

/* What the matcher reads at each node, side by side so that one cache line
 * answers both "does an alias end here?" and "can the next token go on?". */
typedef struct gaz_node {
    int32_t entry; /* first entry ending at the node, -1 none */
    uint32_t kids; /* a 32-bit Bloom filter of the token ids of the node's
                      children: the matcher stops without a hash probe
                      when the next token cannot be one */
} gaz_node;

/* A node of the first level. Its children are many where aliases share a
 * first word (New, San, Al): a second, independent filter of their token
 * ids keeps most text pairs from going further even then. */
typedef struct gaz_first {
    gaz_node node;
    uint64_t kids2;
} gaz_first;

/* An entry is split in two arrays indexed alike: what matching reads
 * (gaz_hit, 12 bytes, so that the entries of frequent aliases share cache
 * lines) and the rest, read only to describe a match. */
typedef struct gaz_hit {
    int32_t next;      /* next entry at the same node, -1 ends */
    int32_t type;      /* dense type id, -1 none */
    int32_t case_mode; /* resolved: SENSITIVE, INSENSITIVE or GAZ_CASE_SHOUT */
} gaz_hit;

/* An `auto` alias of at most three capitals (IS, US, AP): sensitive, and
 * besides never matched in a line without a lower-case letter, where
 * capitals say nothing (a headline: "WHAT IS HAPPENING TO US AT THE AP"). */
#define GAZ_CASE_SHOUT        3
#define gaz_case_sensitive(m) ((m) >= LECTOR_CASE_SENSITIVE)

typedef struct gaz_entry {
    int32_t entity;   /* dense entity id */
    uint32_t alias;   /* offset in g->text */
    uint32_t surface; /* offset in g->text: surface tokens joined by \x1f
                         (only for case-sensitive entries) */
    uint32_t attrs;   /* offset in g->text */
    int32_t source;   /* source id, -1 none */
    int32_t line;
} gaz_entry;

struct lector_gazetteer {
    lector_tokenizer *tk;
    lector_intern *in;
    unsigned opts;
    int32_t hyphen_id; /* intern id of "-" */

    gaz_first *firsts; /* by token id; entry -1 when no alias starts there */
    uint8_t *starts;   /* starts[t]: 1 when an alias starts with token t,
                          else 0; a text's frequent words, which mostly
                          start none, cost one byte read each, from a
                          table 16 times smaller than firsts */
    size_t nfirsts;    /* length of firsts and starts */
    size_t nstarts;    /* ones in starts */

    gaz_node *nodes; /* deeper nodes, from 1 */
    size_t nnodes, node_cap;

    gaz_edge *edges;           /* child 0: empty slot */
    size_t nedges, edge_slots; /* edge_slots: a power of two */
    /* A Bloom filter of the edges, edge_slots / 16 words (8 to 16 bits an
     * edge): a text's token pairs are mostly not edges, and this answers
     * that from a table 24 times smaller than the hash, which a million
     * aliases would make too large for any cache. */
    uint64_t *pairs;

    gaz_hit *hits;
    gaz_entry *entries;
    size_t nentries, entry_cap;

    gaz_strtab text;    /* aliases, surfaces, attrs: offsets */
    gaz_names entities; /* entity ids */
    gaz_names types;    /* type ids */
    gaz_names sources;  /* source ids */

    lector_tokens scratch;
    struct gaz_fuzzy *fz; /* gaz_fuzzy.c; NULL until a key is set */
    char errmsg[8192];    /* up to 20 bad lines of a file, one a line */
};

/* A hyphen the matchers step over in loose mode: inside a hyphenated word
 * (flagged by the tokenizer, or with no space on either side). Inline:
 * the exact matcher asks it in its inner loop. */
static inline int gaz_joined_hyphen(const lector_gazetteer *g,
                                    const lector_tokens *toks, size_t k)
{
    const lector_token *t = &toks->tok[k];
    if (t->norm != g->hyphen_id || k + 1 >= toks->n) return 0;
    if (t->flags & LECTOR_TF_HYPHEN_JOINED) return 1;
    return !(t->flags & LECTOR_TF_SPACE_BEFORE) &&
           !(toks->tok[k + 1].flags & LECTOR_TF_SPACE_BEFORE);
}

/* Sets g's message from printf-style arguments and returns code. */
#define gaz_error(g, code, ...)                                                \
    lector__errorf((g)->errmsg, sizeof(g)->errmsg, code, __VA_ARGS__)

/* gaz_fuzzy.c: frees g->fz (NULL is fine); the entry a fuzzy id met, -1
 * when id is not one. */
void gaz_fuzzy_free(struct gaz_fuzzy *fz);
int32_t gaz_fuzzy_resolve(const lector_gazetteer *g, int32_t id);
size_t gaz_fuzzy_memory(const struct gaz_fuzzy *fz); /* 0 for NULL */
/* The key of node key's child for token id tok; 0 when it has none. */
int32_t gaz_child(const lector_gazetteer *g, int32_t key, int32_t tok);

/* lector_gazetteer_add; checked: the caller has validated the UTF-8 of
 * the alias already (the file loader checks whole lines). */
int gaz_add(lector_gazetteer *g, const char *alias, size_t alias_n,
            const char *entity, const char *type, const char *attrs,
            const char *source, int32_t line, int case_mode, int checked);

/* The Bloom bits of a token id in gaz_node.kids and gaz_first.kids2. */
static inline uint32_t gaz_kid_bit(int32_t tok)
{
    return 1u << (((uint32_t)tok * 2654435761u) >> 27);
}
static inline uint64_t gaz_kid_bit2(int32_t tok)
{
    return 1ull << (((uint32_t)tok * 0x85EBCA6Bu) >> 26);
}

/* The record of node key (not the root). */
static inline gaz_node *gaz_rec(const lector_gazetteer *g, int32_t key)
{
    return key > 0 ? &g->firsts[key].node : &g->nodes[-key];
}

/* Makes sure firsts covers token id tok, then marks that an alias starts
 * with it. -1 when out of memory. */
int gaz_first_add(lector_gazetteer *g, int32_t tok);
/* A new deeper node, its index (> 0); -1 when out of memory or past
 * INT32_MAX nodes. */
int32_t gaz_node_new(lector_gazetteer *g);
/* Inserts a new edge to nodes[child]; the caller has reserved room (load
 * under 1/2) and made sure it is new. */
void gaz_edge_put(lector_gazetteer *g, int32_t parent, int32_t tok,
                  int32_t child);
/* Grows the edge hash to at least want slots (power of two), rehashing. */
int gaz_edges_reserve(lector_gazetteer *g, size_t want);
int gaz_nodes_reserve(lector_gazetteer *g, size_t n);
int gaz_entries_reserve(lector_gazetteer *g, size_t n);
#endif
