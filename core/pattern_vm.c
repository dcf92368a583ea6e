/* The pattern matcher: a backtracking VM over the token array, one run per
 * start token, with a visited set of (instruction, position) states in the
 * manner of RE2's BitState. Every path is explored, but a state is entered
 * at most once per start, so a run costs at most (instructions x tokens
 * reached); the longest match wins, and among equally long ones the first
 * found in priority order (earlier alternative, greedier repeat) gives the
 * captures.
 *
 * @TYPE consumes a whole gazetteer match: the gazetteer's overlapping
 * matches are computed once per call and indexed by first token. */
#include "pattern_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct pat_job {
    int32_t pc; /* -1: restore capture slot `pos` to `val` */
    int32_t pos;
    int32_t val;
} pat_job;

void lector_pattern_matches_init(lector_pattern_matches *m)
{
    if (m) memset(m, 0, sizeof *m);
}

void lector_pattern_matches_release(lector_pattern_matches *m)
{
    if (!m) return;
    free(m->m);
    free(m->caps);
    memset(m, 0, sizeof *m);
}

static int push(lector_pattern *p, size_t *sp, pat_job j)
{
    if (*sp == p->stack_cap) {
        size_t cap = p->stack_cap ? p->stack_cap * 2 : 256;
        pat_job *s = realloc(p->stack, cap * sizeof *s);
        if (!s) return -1;
        p->stack = s;
        p->stack_cap = cap;
    }
    p->stack[(*sp)++] = j;
    return 0;
}

/* Marks (pc, pos) for the run from start; 0 when it was already marked.
 * The window grows when a run goes further than it has before. */
static int visit(lector_pattern *p, size_t start, int32_t pc, int32_t pos,
                 int *err)
{
    size_t off = (size_t)pos - start;
    if (off >= p->vis_window) {
        size_t w = p->vis_window ? p->vis_window : 64;
        while (w <= off)
            w *= 2;
        uint32_t *v = calloc(w * p->ncode, sizeof *v);
        if (!v) {
            *err = 1;
            return 0;
        }
        free(p->visited);
        p->visited = v; /* marks of this run are lost: re-exploring is safe */
        p->vis_window = w;
    }
    uint32_t *cell = &p->visited[off * p->ncode + (size_t)pc];
    if (*cell == p->stamp) return 0;
    *cell = p->stamp;
    return 1;
}

static int set_has(const int32_t *ids, int32_t n, int32_t id)
{
    int32_t lo = 0, hi = n - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id) return 1;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

/* Runs from token start; returns the end position of the longest match
 * (> start), 0 for none, -1 when out of memory. best_caps gets its
 * captures. */
static int32_t run(lector_pattern *p, const char *s, const lector_tokens *toks,
                   size_t start)
{
    const lector_token *tok = toks->tok;
    int32_t nt = (int32_t)toks->n, best = 0;
    int nslots = p->ncaps * 2, err = 0;
    for (int k = 0; k < nslots; k++)
        p->caps[k] = -1;
    if (++p->stamp == 0) { /* wrapped: clear the stamps once */
        if (p->visited)
            memset(p->visited, 0,
                   p->vis_window * p->ncode * sizeof *p->visited);
        p->stamp = 1;
    }
    size_t sp = 0;
    if (push(p, &sp, (pat_job){0, (int32_t)start, 0}) < 0) return -1;
    while (sp) {
        pat_job j = p->stack[--sp];
        if (j.pc < 0) {
            p->caps[j.pos] = j.val;
            continue;
        }
        int32_t pc = j.pc, pos = j.pos;
        for (;;) {
            if (!visit(p, start, pc, pos, &err)) {
                if (err) return -1;
                break;
            }
            const pat_inst *in = &p->code[pc];
            const lector_token *t = pos < nt ? &tok[pos] : NULL;
            int ok;
            switch (in->op) {
            case OP_NORM: ok = t && t->norm == in->a; break;
            case OP_EXACT:
                ok = t && t->end - t->start == (uint32_t)in->b &&
                     memcmp(s + t->start, p->exact + in->a, (size_t)in->b) == 0;
                break;
            case OP_KIND: ok = t && t->kind == in->a; break;
            case OP_FLAG: ok = t && (t->flags & in->a) == in->a; break;
            case OP_ANY: ok = t != NULL; break;
            case OP_SET:
                ok = t && set_has(p->set_ids + in->a, in->b, t->norm);
                break;
            case OP_GAZ: {
                /* Queue every distinct end of a fitting match here, the
                 * longest on top so it is tried first. */
                if (!t) goto dead;
                uint32_t a = p->gstart[pos], b = p->gstart[pos + 1];
                int32_t prev = -1;
                for (uint32_t k = a; k < b; k++) {
                    const lector_gazetteer_hit *m = &p->gm.m[k];
                    if (in->a >= 0 && m->type_id != in->a) continue;
                    if ((int32_t)m->last == prev) continue;
                    prev = (int32_t)m->last;
                    if (push(p, &sp,
                             (pat_job){pc + 1, (int32_t)m->last + 1, 0}) < 0)
                        return -1;
                }
                goto dead;
            }
            case OP_SPLIT:
                if (push(p, &sp, (pat_job){in->b, pos, 0}) < 0) return -1;
                pc = in->a;
                continue;
            case OP_JMP: pc = in->a; continue;
            case OP_SAVE:
                if (push(p, &sp, (pat_job){-1, in->a, p->caps[in->a]}) < 0)
                    return -1;
                p->caps[in->a] = pos;
                pc++;
                continue;
            case OP_MATCH:
                if (pos > best) {
                    best = pos;
                    memcpy(p->best_caps, p->caps,
                           (size_t)nslots * sizeof *p->caps);
                }
                goto dead;
            default: goto dead;
            }
            if (!ok) break;
            pc++;
            pos++;
        }
    dead:;
    }
    return best > (int32_t)start ? best : 0;
}

/* Orders the gazetteer matches by first token, longer first, so OP_GAZ
 * pushes the longest last (tried first). */
static int gm_cmp(const void *a, const void *b)
{
    const lector_gazetteer_hit *x = a, *y = b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    if (x->last != y->last) return x->last < y->last ? -1 : 1;
    return 0;
}

static int index_gazetteer(lector_pattern *p, const char *s, size_t n,
                           const lector_tokens *toks)
{
    int rc =
        lector_gazetteer_match(p->g, s, n, toks, LECTOR_MATCH_OVERLAP, &p->gm);
    if (rc) return rc;
    /* qsort's array must not be NULL even when empty (UBSan: nonnull). */
    if (p->gm.n > 1) qsort(p->gm.m, p->gm.n, sizeof *p->gm.m, gm_cmp);
    if (toks->n + 2 > p->gstart_cap) {
        uint32_t *g = realloc(p->gstart, (toks->n + 2) * sizeof *g);
        if (!g) return LECTOR_ENOMEM;
        p->gstart = g;
        p->gstart_cap = toks->n + 2;
    }
    size_t k = 0;
    for (size_t t = 0; t <= toks->n + 1; t++) {
        while (k < p->gm.n && p->gm.m[k].first < t)
            k++;
        p->gstart[t] = (uint32_t)k;
    }
    return LECTOR_OK;
}

static int uses_gazetteer(const lector_pattern *p)
{
    for (size_t i = 0; i < p->ncode; i++)
        if (p->code[i].op == OP_GAZ) return 1;
    return 0;
}

int lector_pattern_match(lector_pattern *p, const char *s, size_t n,
                         const lector_tokens *toks, unsigned opts,
                         lector_pattern_matches *out)
{
    if (!p || !toks || !out || (!s && n)) return LECTOR_EINVAL;
    if (!p->compiled) {
        snprintf(p->errmsg, sizeof p->errmsg, "pattern not compiled");
        return LECTOR_EINVAL;
    }
    out->n = out->ncaps = 0;
    if (toks->n >= INT32_MAX - 2) {
        snprintf(p->errmsg, sizeof p->errmsg, "too many tokens");
        return LECTOR_ELIMIT;
    }
    if (uses_gazetteer(p)) {
        int rc = index_gazetteer(p, s, n, toks);
        if (rc) {
            snprintf(p->errmsg, sizeof p->errmsg, "gazetteer: %s",
                     lector_gazetteer_errmsg(p->g));
            return rc;
        }
    }
    int overlap = opts & LECTOR_MATCH_OVERLAP;
    for (size_t i = 0; i < toks->n;) {
        int32_t end = run(p, s, toks, i);
        if (end < 0) goto nomem;
        if (end == 0) {
            i++;
            continue;
        }
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 32;
            lector_pattern_hit *m = realloc(out->m, cap * sizeof *m);
            if (!m) goto nomem;
            out->m = m;
            out->cap = cap;
        }
        if (out->ncaps + (size_t)p->ncaps > out->capcap) {
            size_t cap = out->capcap ? out->capcap * 2 : 64;
            while (cap < out->ncaps + (size_t)p->ncaps)
                cap *= 2;
            lector_pattern_capture *c = realloc(out->caps, cap * sizeof *c);
            if (!c) goto nomem;
            out->caps = c;
            out->capcap = cap;
        }
        out->m[out->n++] =
            (lector_pattern_hit){(uint32_t)i,          (uint32_t)end - 1,
                               toks->tok[i].start,   toks->tok[end - 1].end,
                               (uint32_t)out->ncaps, 0};
        for (int k = 0; k < p->ncaps; k++) {
            int32_t a = p->best_caps[2 * k], b = p->best_caps[2 * k + 1];
            out->caps[out->ncaps++] = a >= 0 && b > a
                                          ? (lector_pattern_capture){a, b - 1}
                                          : (lector_pattern_capture){-1, -1};
        }
        i = overlap ? i + 1 : (size_t)end;
    }
    return LECTOR_OK;
nomem:
    snprintf(p->errmsg, sizeof p->errmsg, "out of memory");
    return LECTOR_ENOMEM;
}
