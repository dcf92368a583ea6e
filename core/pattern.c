/* Token patterns: the parser and the compiler. The source is parsed into a
 * small tree (nodes in one array), then compiled into instructions for the
 * VM in pattern_vm.c.
 *
 *   alt   := seq ('|' seq)*
 *   seq   := item*
 *   item  := [NAME ':'] atom quant*
 *   atom  := test | '!' test | '!' '(' test ('|' test)* ')' | _ | @[TYPE]
 *          | '(' alt ')'
 *   test  := WORD | "EXACT" | <kind-or-flag> | {ITEM...}
 *   ITEM  := "EXACT" | any characters but space, '}' and '"'
 *   quant := ? | * | + | {m} | {m,} | {m,n} | {,n}
 *
 * Inside "EXACT", \" is a double quote and \\ a backslash. A '!' or ':' that
 * begins no negation and follows no capture name is part of a word.
 */
#include "common.h"
#include "pattern_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum node_kind { N_PRED, N_GAZ, N_CAT, N_ALT, N_REP, N_CAP };

typedef struct node {
    int kind;
    pat_inst pred; /* N_PRED: the token test; N_GAZ: pred.a = type */
    int kid, next; /* first child; next sibling (-1 ends) */
    int min, max;  /* N_REP; max -1: unbounded. N_CAP: min = capture */
} node;

typedef struct parser {
    lector_pattern *p;
    const char *s;
    size_t n, i;
    node *nodes;
    int nnodes;
    size_t cap;
    int depth;
} parser;

static const struct {
    const char *name;
    int kind;
    unsigned flag;
} classes[] = {
    {"word", LECTOR_TK_WORD, 0},         {"number", LECTOR_TK_NUMBER, 0},
    {"punct", LECTOR_TK_PUNCT, 0},       {"symbol", LECTOR_TK_SYMBOL, 0},
    {"url", LECTOR_TK_URL, 0},           {"email", LECTOR_TK_EMAIL, 0},
    {"clitic", LECTOR_TK_CLITIC, 0},     {"other", LECTOR_TK_OTHER, 0},
    {"cap", 0, LECTOR_TF_CAP},           {"upper", 0, LECTOR_TF_UPPER},
    {"digit", 0, LECTOR_TF_DIGIT},       {"hyphen", 0, LECTOR_TF_HYPHEN_JOINED},
    {"abbrev", 0, LECTOR_TF_ABBREV},     {"nonascii", 0, LECTOR_TF_NONASCII},
    {"line_end", 0, LECTOR_TF_LINE_END}, {"para_end", 0, LECTOR_TF_PARA_END},
};

static int perr(parser *P, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int perr(parser *P, size_t at, const char *fmt, ...)
{
    lector_pattern *p = P->p;
    if (p->errcol) return -1; /* keep the first error */
    p->errcol = (int)at + 1;
    int k = snprintf(p->errmsg, sizeof p->errmsg, "column %d: ", p->errcol);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->errmsg + k, sizeof p->errmsg - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static int oom(parser *P)
{
    P->p->errcol = 0;
    snprintf(P->p->errmsg, sizeof P->p->errmsg, "out of memory");
    return -2;
}

static int new_node(parser *P, int kind)
{
    if ((size_t)P->nnodes == P->cap) {
        node *nn = lector__grow(P->nodes, &P->cap, P->cap + 1, sizeof *nn, 32);
        if (!nn) return oom(P);
        P->nodes = nn;
    }
    node *x = &P->nodes[P->nnodes];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->kid = x->next = -1;
    return P->nnodes++;
}

static void skip_space(parser *P)
{
    while (P->i < P->n && isspace((unsigned char)P->s[P->i]))
        P->i++;
}

static int is_syntax(char c)
{
    return strchr("()|?*+{}<>\"@", c) != NULL;
}

static int word_char(char c)
{
    return c && !isspace((unsigned char)c) && !is_syntax(c);
}

/* Reads a bare word at P->i: its extent. A word ends before syntax or
 * space (NAME: is a capture label, taken by parse_item before this). */
static size_t word_end(const parser *P, size_t i)
{
    while (i < P->n && word_char(P->s[i]))
        i++;
    return i;
}

/* The intern id of the fold of (w, n); <= 0 on failure. */
static int32_t fold_id(parser *P, const char *w, size_t n)
{
    char *f;
    size_t fn;
    if (lector_fold(w, n, &f, &fn) != LECTOR_OK) return 0;
    int32_t id = lector_intern_add(P->p->in, f, fn);
    lector_free(f);
    return id;
}

static int add_exact(lector_pattern *p, const char *s, size_t n)
{
    if (p->nexact + n > p->exact_cap) {
        char *e = lector__grow(p->exact, &p->exact_cap, p->nexact + n, 1, 64);
        if (!e) return -1;
        p->exact = e;
    }
    memcpy(p->exact + p->nexact, s, n);
    int off = (int)p->nexact;
    p->nexact += n;
    return off;
}

/* Appends k one-token tests to p->tests; their offset, -1 out of memory. */
static int add_tests(lector_pattern *p, const pat_inst *t, size_t k)
{
    if (p->ntests + k > p->tests_cap) {
        pat_inst *nt = lector__grow(p->tests, &p->tests_cap, p->ntests + k,
                                    sizeof *nt, 16);
        if (!nt) return -1;
        p->tests = nt;
    }
    memcpy(p->tests + p->ntests, t, k * sizeof *t);
    int off = (int)p->ntests;
    p->ntests += k;
    return off;
}

/* Reads "text" at P->i (on the opening quote) into the exact pool, \" and
 * \\ unescaped, and sets *in to its OP_EXACT test. */
static int parse_quoted(parser *P, pat_inst *in)
{
    lector_pattern *p = P->p;
    size_t at = P->i, e = at + 1, len = 0;
    int off = -1;
    for (;; e++) {
        if (e >= P->n)
            return perr(P, P->n,
                        "expected '\"' to close the text opened at column %zu",
                        at + 1);
        char c = P->s[e];
        if (c == '"') break;
        if (c == '\\') {
            if (e + 1 >= P->n || (P->s[e + 1] != '"' && P->s[e + 1] != '\\'))
                return perr(P, e,
                            "expected '\"' or '\\' after '\\' in the text "
                            "(\\\" is a quote, \\\\ a backslash)");
            c = P->s[++e];
        }
        int o = add_exact(p, &c, 1);
        if (o < 0) return oom(P);
        if (off < 0) off = o;
        len++;
    }
    if (len == 0) return perr(P, at + 1, "expected text inside the quotes");
    *in = (pat_inst){OP_EXACT, off, (int32_t)len};
    P->i = e + 1;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int parse_alt(parser *P);

static int parse_atom(parser *P);

/* A one-token test at P->i (a word, "text", <class>, {set} or a negation)
 * into *t. */
static int parse_test(parser *P, pat_inst *t)
{
    size_t at = P->i;
    char c = at < P->n ? P->s[at] : '\0';
    if (c == '(' || c == '@' || c == '_' || c == '\0' ||
        isspace((unsigned char)c) || c == ')' || c == '|') {
        if (c == '_' && at + 1 < P->n && word_char(P->s[at + 1]))
            goto word; /* _foo is a word */
        return perr(P, at,
                    "expected a word, '\"text\"', '<class>' or '{words}' "
                    "after '!'%s%.*s%s",
                    c ? ", not '" : "", c ? 1 : 0, c ? &P->s[at] : "",
                    c ? "'" : "");
    }
word:;
    int x = parse_atom(P);
    if (x < 0) return x;
    *t = P->nodes[x].pred;
    return 0;
}

/* !test or !(test | test ...): one token that passes none of the tests. */
static int parse_not(parser *P)
{
    lector_pattern *p = P->p;
    size_t at = P->i;
    pat_inst t[64];
    size_t k = 0;
    P->i++;
    if (++P->depth > 200) return perr(P, at, "expected fewer nested '!'");
    if (P->s[P->i] != '(') {
        int r = parse_test(P, &t[k++]);
        if (r < 0) return r;
    } else {
        size_t open = P->i++;
        for (;;) {
            skip_space(P);
            if (k == sizeof t / sizeof *t)
                return perr(P, P->i, "expected at most %zu tests after '!'",
                            sizeof t / sizeof *t);
            int r = parse_test(P, &t[k++]);
            if (r < 0) return r;
            skip_space(P);
            if (P->i < P->n && P->s[P->i] == '|') {
                P->i++;
                continue;
            }
            if (P->i < P->n && P->s[P->i] == ')') break;
            if (P->i >= P->n)
                return perr(P, P->i,
                            "expected ')' to close the group at column %zu",
                            open + 1);
            return perr(P, P->i,
                        "expected '|' or ')' in the group after '!' at column "
                        "%zu (it holds one-token tests), not '%c'",
                        at + 1, P->s[P->i]);
        }
        P->i++;
    }
    P->depth--;
    int off = add_tests(p, t, k);
    if (off < 0) return oom(P);
    int x = new_node(P, N_PRED);
    if (x < 0) return x;
    P->nodes[x].pred = (pat_inst){OP_NONE, off, (int32_t)k};
    return x;
}

static int parse_atom(parser *P)
{
    lector_pattern *p = P->p;
    size_t at = P->i;
    if (at >= P->n)
        return perr(P, at, "expected a token, got the end of the pattern");
    char c = P->s[at];
    int x;
    if (c == '!' && at + 1 < P->n && !isspace((unsigned char)P->s[at + 1]) &&
        P->s[at + 1] != ')' && P->s[at + 1] != '|')
        return parse_not(P);
    if (c == '(') {
        P->i++;
        if (++P->depth > 200)
            return perr(P, at, "expected fewer nested groups");
        int r = parse_alt(P);
        P->depth--;
        if (r < 0) return r;
        skip_space(P);
        if (P->i >= P->n || P->s[P->i] != ')')
            return perr(P, P->i,
                        "expected ')' to close the group at column %zu",
                        at + 1);
        P->i++;
        return r;
    }
    if (c == '"') {
        pat_inst t;
        int r = parse_quoted(P, &t);
        if (r < 0) return r;
        if ((x = new_node(P, N_PRED)) < 0) return x;
        P->nodes[x].pred = t;
        return x;
    }
    if (c == '<') {
        size_t e = at + 1;
        while (e < P->n && (isalnum((unsigned char)P->s[e]) || P->s[e] == '_'))
            e++;
        if (e >= P->n || P->s[e] != '>')
            return perr(P, e, "expected '>' to close the class at column %zu",
                        at + 1);
        size_t len = e - at - 1;
        for (size_t k = 0; k < sizeof classes / sizeof *classes; k++) {
            if (strlen(classes[k].name) != len ||
                strncmp(classes[k].name, P->s + at + 1, len) != 0)
                continue;
            if ((x = new_node(P, N_PRED)) < 0) return x;
            P->nodes[x].pred =
                classes[k].kind
                    ? (pat_inst){OP_KIND, classes[k].kind, 0}
                    : (pat_inst){OP_FLAG, (int32_t)classes[k].flag, 0};
            P->i = e + 1;
            return x;
        }
        return perr(
            P, at + 1,
            "expected a token class (word number punct symbol url email "
            "clitic other cap upper digit hyphen abbrev nonascii line_end "
            "para_end), not <%.*s>",
            (int)(len > 40 ? 40 : len), P->s + at + 1);
    }
    if (c == '{') {
        /* Words (folded, any characters but space, '}' and '"') in one
         * sorted run of set_ids; "text" items as exact tests beside it. */
        size_t i = at + 1;
        size_t first = p->nset;
        pat_inst ex[65]; /* 64 quoted texts and the words */
        size_t nex = 0;
        for (;;) {
            while (i < P->n && isspace((unsigned char)P->s[i]))
                i++;
            if (i >= P->n)
                return perr(P, i, "expected '}' to close the set at column %zu",
                            at + 1);
            if (P->s[i] == '}') break;
            if (P->s[i] == '"') {
                if (nex == 64)
                    return perr(P, i,
                                "expected at most 64 quoted texts in a set");
                P->i = i;
                int r = parse_quoted(P, &ex[nex++]);
                if (r < 0) return r;
                i = P->i;
                continue;
            }
            size_t e = i;
            while (e < P->n && !isspace((unsigned char)P->s[e]) &&
                   P->s[e] != '}' && P->s[e] != '"')
                e++;
            if (p->nset == p->set_cap) {
                int32_t *ids = lector__grow(p->set_ids, &p->set_cap,
                                            p->nset + 1, sizeof *ids, 16);
                if (!ids) return oom(P);
                p->set_ids = ids;
            }
            int32_t id = fold_id(P, P->s + i, e - i);
            if (id <= 0) return perr(P, i, "expected a word (cannot fold it)");
            p->set_ids[p->nset++] = id;
            i = e;
        }
        if (p->nset == first && nex == 0)
            return perr(P, at + 1, "expected at least one word in the set");
        if (p->nset > first + 1) /* set_ids is NULL in a set of texts */
            qsort(p->set_ids + first, p->nset - first, sizeof *p->set_ids,
                  cmp_id);
        if ((x = new_node(P, N_PRED)) < 0) return x;
        pat_inst words = {OP_SET, (int32_t)first, (int32_t)(p->nset - first)};
        if (nex == 0) {
            P->nodes[x].pred = words;
        } else {
            if (p->nset > first) ex[nex++] = words;
            int off = nex > 1 ? add_tests(p, ex, nex) : 0;
            if (off < 0) return oom(P);
            P->nodes[x].pred =
                nex == 1 ? ex[0] : (pat_inst){OP_ONEOF, off, (int32_t)nex};
        }
        P->i = i + 1;
        return x;
    }
    if (c == '@') {
        size_t e = at + 1;
        while (e < P->n && (isalnum((unsigned char)P->s[e]) || P->s[e] == '_' ||
                            P->s[e] == '-'))
            e++;
        if (!p->g)
            return perr(P, at,
                        "expected a gazetteer for @ "
                        "(lector.pattern(src, {gazetteer = g}))");
        int32_t type = -1;
        if (e > at + 1) {
            char name[128];
            size_t len = e - at - 1;
            if (len >= sizeof name)
                return perr(P, at + 1, "expected a shorter type name");
            memcpy(name, P->s + at + 1, len);
            name[len] = '\0';
            type = lector_gazetteer_type_id(p->g, name);
            if (type < 0)
                return perr(
                    P, at + 1,
                    "expected a type of the gazetteer; no entry has type %s",
                    name);
        }
        if ((x = new_node(P, N_GAZ)) < 0) return x;
        P->nodes[x].pred = (pat_inst){OP_GAZ, type, 0};
        P->i = e;
        return x;
    }
    if (c == '_' &&
        (at + 1 >= P->n || !word_char(P->s[at + 1]) || P->s[at + 1] == ':')) {
        if ((x = new_node(P, N_PRED)) < 0) return x;
        P->nodes[x].pred = (pat_inst){OP_ANY, 0, 0};
        P->i = at + 1;
        return x;
    }
    if (word_char(c)) {
        size_t e = word_end(P, at);
        int32_t id = fold_id(P, P->s + at, e - at);
        if (id <= 0) return perr(P, at, "expected a word (cannot fold it)");
        if ((x = new_node(P, N_PRED)) < 0) return x;
        P->nodes[x].pred = (pat_inst){OP_NORM, id, 0};
        P->i = e;
        return x;
    }
    if (c == '?' || c == '*' || c == '+')
        return perr(P, at, "expected a token before '%c'", c);
    return perr(P, at,
                "expected a token, '(', '\"text\"', '<class>', '{words}', "
                "'!', '_' or '@TYPE', not '%c'",
                c);
}

/* A {m,n} quantifier at P->i, if there is one (a '{' not followed by
 * digits and a comma is a set, the next atom). 1: parsed, 0: none. */
static int parse_braces(parser *P, int *min, int *max)
{
    size_t i = P->i + 1, at = P->i;
    if (i >= P->n || !(isdigit((unsigned char)P->s[i]) || P->s[i] == ','))
        return 0;
    long m = 0, x = -1;
    int have_m = 0;
    while (i < P->n && isdigit((unsigned char)P->s[i])) {
        m = m * 10 + (P->s[i++] - '0');
        have_m = 1;
        if (m > PAT_MAX_REPEAT)
            return perr(P, at + 1, "expected a count of at most %d",
                        PAT_MAX_REPEAT);
    }
    if (i < P->n && P->s[i] == ',') {
        i++;
        if (i < P->n && isdigit((unsigned char)P->s[i])) {
            x = 0;
            while (i < P->n && isdigit((unsigned char)P->s[i])) {
                x = x * 10 + (P->s[i++] - '0');
                if (x > PAT_MAX_REPEAT)
                    return perr(P, at + 1, "expected a count of at most %d",
                                PAT_MAX_REPEAT);
            }
        } else if (!have_m) {
            return perr(P, i, "expected a number in the repeat count");
        }
    } else {
        x = m;
    }
    if (i >= P->n || P->s[i] != '}')
        return perr(P, i,
                    "expected '}' to close the repeat count at column %zu",
                    at + 1);
    if (x >= 0 && x < m)
        return perr(P, at + 1, "expected a maximum >= the minimum in {%ld,%ld}",
                    m, x);
    if (x == 0) return perr(P, at + 1, "expected a maximum above 0");
    *min = (int)m;
    *max = (int)x;
    P->i = i + 1;
    return 1;
}

static int parse_item(parser *P)
{
    lector_pattern *p = P->p;
    size_t at = P->i;
    int cap = -1;
    /* NAME: (a capture label): letters, digits, _ then a colon. */
    if (isalpha((unsigned char)P->s[at]) || P->s[at] == '_') {
        size_t e = at;
        while (e < P->n && (isalnum((unsigned char)P->s[e]) || P->s[e] == '_'))
            e++;
        if (e < P->n && P->s[e] == ':') {
            if (p->ncaps == PAT_MAX_CAPTURES)
                return perr(P, at, "expected at most %d captures",
                            PAT_MAX_CAPTURES);
            for (int k = 0; k < p->ncaps; k++)
                if (strlen(p->names[k]) == e - at &&
                    strncmp(p->names[k], P->s + at, e - at) == 0)
                    return perr(
                        P, at,
                        "expected a new capture name; %.*s is used twice",
                        (int)(e - at), P->s + at);
            char *nm = malloc(e - at + 1);
            if (!nm) return oom(P);
            memcpy(nm, P->s + at, e - at);
            nm[e - at] = '\0';
            cap = p->ncaps;
            p->names[p->ncaps++] = nm;
            P->i = e + 1;
            if (P->i >= P->n || isspace((unsigned char)P->s[P->i]))
                return perr(P, P->i,
                            "expected a token or a group right after '%s:'",
                            nm);
        }
    }
    int x = parse_atom(P);
    if (x < 0) return x;
    for (;;) {
        if (P->i >= P->n) break;
        char c = P->s[P->i];
        int min = 0, max = 0;
        if (c == '?')
            min = 0, max = 1;
        else if (c == '*')
            min = 0, max = -1;
        else if (c == '+')
            min = 1, max = -1;
        else if (c == '{') {
            int r = parse_braces(P, &min, &max);
            if (r < 0) return r;
            if (r == 0) break;
            P->i--; /* parse_braces moved past '}' */
        } else
            break;
        P->i++;
        int r = new_node(P, N_REP);
        if (r < 0) return r;
        P->nodes[r].kid = x;
        P->nodes[r].min = min;
        P->nodes[r].max = max;
        x = r;
    }
    if (cap >= 0) {
        int c = new_node(P, N_CAP);
        if (c < 0) return c;
        P->nodes[c].kid = x;
        P->nodes[c].min = cap;
        x = c;
    }
    return x;
}

static int parse_seq(parser *P)
{
    int cat = new_node(P, N_CAT);
    if (cat < 0) return cat;
    int last = -1;
    for (;;) {
        skip_space(P);
        if (P->i >= P->n || P->s[P->i] == ')' || P->s[P->i] == '|') break;
        int x = parse_item(P);
        if (x < 0) return x;
        if (last < 0)
            P->nodes[cat].kid = x;
        else
            P->nodes[last].next = x;
        last = x;
    }
    if (last < 0) {
        size_t at = P->i;
        if (at >= P->n)
            return perr(P, at, "expected a token, got the end of the pattern");
        return perr(P, at, "expected a token before '%c'", P->s[at]);
    }
    return cat;
}

static int parse_alt(parser *P)
{
    int first = parse_seq(P);
    if (first < 0) return first;
    skip_space(P);
    if (P->i >= P->n || P->s[P->i] != '|') return first;
    int alt = new_node(P, N_ALT);
    if (alt < 0) return alt;
    P->nodes[alt].kid = first;
    int last = first;
    while (P->i < P->n && P->s[P->i] == '|') {
        P->i++;
        int x = parse_seq(P);
        if (x < 0) return x;
        P->nodes[last].next = x;
        last = x;
        skip_space(P);
    }
    return alt;
}

/* ---- code generation ----------------------------------------------------- */

static int emit(lector_pattern *p, pat_inst in)
{
    if (p->ncode >= PAT_MAX_INSTS) return -1;
    if (p->ncode == p->code_cap) {
        pat_inst *c =
            lector__grow(p->code, &p->code_cap, p->ncode + 1, sizeof *c, 64);
        if (!c) return -2;
        p->code = c;
    }
    p->code[p->ncode] = in;
    return (int)p->ncode++;
}

#define EMIT(...)                                                              \
    do {                                                                       \
        int r_ = emit(p, (pat_inst){__VA_ARGS__});                             \
        if (r_ < 0) return r_;                                                 \
    } while (0)

static int gen(lector_pattern *p, const node *nodes, int x)
{
    const node *nd = &nodes[x];
    switch (nd->kind) {
    case N_PRED:
    case N_GAZ: EMIT(nd->pred.op, nd->pred.a, nd->pred.b); return 0;
    case N_CAT:
        for (int k = nd->kid; k >= 0; k = nodes[k].next) {
            int r = gen(p, nodes, k);
            if (r < 0) return r;
        }
        return 0;
    case N_CAP: {
        EMIT(OP_SAVE, nd->min * 2, 0);
        int r = gen(p, nodes, nd->kid);
        if (r < 0) return r;
        EMIT(OP_SAVE, nd->min * 2 + 1, 0);
        return 0;
    }
    case N_ALT: {
        /* split L1, next; L1: a; jmp end; next: split L2, ... ; last */
        int jumps[256], nj = 0;
        for (int k = nd->kid; k >= 0; k = nodes[k].next) {
            int split = -1;
            if (nodes[k].next >= 0) {
                if ((split = emit(p, (pat_inst){OP_SPLIT, 0, 0})) < 0)
                    return split;
                p->code[split].a = split + 1;
            }
            int r = gen(p, nodes, k);
            if (r < 0) return r;
            if (nodes[k].next >= 0) {
                int j = emit(p, (pat_inst){OP_JMP, 0, 0});
                if (j < 0) return j;
                if (nj < 256)
                    jumps[nj++] = j;
                else
                    return -1;
                p->code[split].b = (int32_t)p->ncode;
            }
        }
        for (int k = 0; k < nj; k++)
            p->code[jumps[k]].a = (int32_t)p->ncode;
        return 0;
    }
    case N_REP: {
        for (int k = 0; k < nd->min; k++) {
            int r = gen(p, nodes, nd->kid);
            if (r < 0) return r;
        }
        if (nd->max < 0) { /* L: split body, end; body; jmp L; end: */
            int L = emit(p, (pat_inst){OP_SPLIT, 0, 0});
            if (L < 0) return L;
            p->code[L].a = L + 1;
            int r = gen(p, nodes, nd->kid);
            if (r < 0) return r;
            EMIT(OP_JMP, L, 0);
            p->code[L].b = (int32_t)p->ncode;
            return 0;
        }
        /* max - min optional copies, nested: any miss skips to the end. */
        int opt = nd->max - nd->min, splits[PAT_MAX_REPEAT];
        for (int k = 0; k < opt; k++) {
            int s = emit(p, (pat_inst){OP_SPLIT, 0, 0});
            if (s < 0) return s;
            p->code[s].a = s + 1;
            splits[k] = s;
            int r = gen(p, nodes, nd->kid);
            if (r < 0) return r;
        }
        for (int k = 0; k < opt; k++)
            p->code[splits[k]].b = (int32_t)p->ncode;
        return 0;
    }
    }
    return -1;
}

/* ---- public -------------------------------------------------------------- */

lector_pattern *lector_pattern_new(lector_intern *in, lector_gazetteer *g)
{
    if (!in) return NULL;
    lector_pattern *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->in = in;
    p->g = g;
    lector_gazetteer_matches_init(&p->gm);
    return p;
}

void lector_pattern_free(lector_pattern *p)
{
    if (!p) return;
    free(p->code);
    free(p->set_ids);
    free(p->exact);
    for (int i = 0; i < p->ncaps; i++)
        free(p->names[i]);
    free(p->tests);
    pat_release_matcher(p);
    free(p);
}

const char *lector_pattern_errmsg(const lector_pattern *p)
{
    return p ? p->errmsg : "no pattern";
}

int lector_pattern_errcol(const lector_pattern *p)
{
    return p ? p->errcol : 0;
}

int lector_pattern_ncaptures(const lector_pattern *p)
{
    return p ? p->ncaps : 0;
}

const char *lector_pattern_capture_name(const lector_pattern *p, int i)
{
    return p && i >= 0 && i < p->ncaps ? p->names[i] : NULL;
}

int lector_pattern_compile(lector_pattern *p, const char *src, size_t n)
{
    if (!p || (!src && n)) return LECTOR_EINVAL;
    if (p->compiled) {
        snprintf(p->errmsg, sizeof p->errmsg, "pattern already compiled");
        return LECTOR_EINVAL;
    }
    p->errcol = 0;
    p->errmsg[0] = '\0';
    if (lector_utf8_check(src, n, NULL, NULL) != LECTOR_OK) {
        snprintf(p->errmsg, sizeof p->errmsg, "pattern is not valid UTF-8");
        return LECTOR_EUTF8;
    }
    parser P = {.p = p, .s = src, .n = n};
    int root = parse_alt(&P);
    if (root >= 0 && P.i < P.n) {
        skip_space(&P);
        root = P.s[P.i] == ')'
                   ? perr(&P, P.i, "expected no ')' without its '('")
                   : perr(&P, P.i, "expected the end of the pattern");
    }
    int rc = LECTOR_OK;
    if (root == -2)
        rc = LECTOR_ENOMEM;
    else if (root < 0)
        rc = LECTOR_EFORMAT;
    else {
        int g = gen(p, P.nodes, root);
        if (g >= 0) g = emit(p, (pat_inst){OP_MATCH, 0, 0});
        if (g == -2) {
            snprintf(p->errmsg, sizeof p->errmsg, "out of memory");
            rc = LECTOR_ENOMEM;
        } else if (g < 0) {
            p->errcol = 1;
            snprintf(
                p->errmsg, sizeof p->errmsg,
                "column 1: expected a smaller pattern (at most %d instructions "
                "once repeats are expanded)",
                PAT_MAX_INSTS);
            rc = LECTOR_ELIMIT;
        }
    }
    free(P.nodes);
    if (rc == LECTOR_OK)
        p->compiled = 1;
    else {
        p->ncode = 0;
        p->nset = p->nexact = p->ntests = 0;
        for (int i = 0; i < p->ncaps; i++)
            free(p->names[i]);
        p->ncaps = 0;
    }
    return rc;
}
