/* The backtracking pattern VM that pattern_vm.c replaced (issue 16), kept
 * only as a test oracle: a run per start token with a visited set of
 * (instruction, token) states in the manner of RE2's BitState, so every
 * path is explored but no state twice; the longest match wins, and among
 * equally long ones the first found in priority order gives the captures.
 * Quadratic in the worst case (`_* rare`): the differential tests keep
 * their inputs small. The one-token tests are the library's
 * (pat_test_token); the search is the old one, unchanged but for its
 * scratch living here, not in the pattern. */
#ifndef LECTOR_PATTERN_ORACLE_H
#define LECTOR_PATTERN_ORACLE_H

#include "../../core/pattern_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct oracle_job {
    int32_t pc; /* -1: restore capture slot `pos` to `val` */
    int32_t pos;
    int32_t val;
} oracle_job;

typedef struct oracle {
    uint32_t *visited; /* stamps, [(pos - start) * ncode + pc] */
    size_t vis_window;
    uint32_t stamp;
    oracle_job *stack;
    size_t stack_cap;
    int32_t caps[2 * PAT_MAX_CAPTURES], best_caps[2 * PAT_MAX_CAPTURES];
    lector_gazetteer_matches gm;
    uint32_t *gstart;
    size_t gstart_cap;
} oracle;

static int oracle_push(oracle *o, size_t *sp, oracle_job j)
{
    if (*sp == o->stack_cap) {
        size_t cap = o->stack_cap ? o->stack_cap * 2 : 256;
        oracle_job *s = realloc(o->stack, cap * sizeof *s);
        if (!s) return -1;
        o->stack = s;
        o->stack_cap = cap;
    }
    o->stack[(*sp)++] = j;
    return 0;
}

static int oracle_visit(oracle *o, const lector_pattern *p, size_t start,
                        int32_t pc, int32_t pos, int *err)
{
    size_t off = (size_t)pos - start;
    if (off >= o->vis_window) {
        size_t w = o->vis_window ? o->vis_window : 64;
        while (w <= off)
            w *= 2;
        uint32_t *v = calloc(w * p->ncode, sizeof *v);
        if (!v) {
            *err = 1;
            return 0;
        }
        free(o->visited);
        o->visited = v; /* marks of this run are lost: re-exploring is safe */
        o->vis_window = w;
    }
    uint32_t *cell = &o->visited[off * p->ncode + (size_t)pc];
    if (*cell == o->stamp) return 0;
    *cell = o->stamp;
    return 1;
}

static int32_t oracle_run(oracle *o, const lector_pattern *p, const char *s,
                          const lector_tokens *toks, size_t start)
{
    const lector_token *tok = toks->tok;
    int32_t nt = (int32_t)toks->n, best = 0;
    int nslots = p->ncaps * 2, err = 0;
    for (int k = 0; k < nslots; k++)
        o->caps[k] = -1;
    if (++o->stamp == 0) {
        if (o->visited)
            memset(o->visited, 0,
                   o->vis_window * p->ncode * sizeof *o->visited);
        o->stamp = 1;
    }
    size_t sp = 0;
    if (oracle_push(o, &sp, (oracle_job){0, (int32_t)start, 0}) < 0) return -1;
    while (sp) {
        oracle_job j = o->stack[--sp];
        if (j.pc < 0) {
            o->caps[j.pos] = j.val;
            continue;
        }
        int32_t pc = j.pc, pos = j.pos;
        for (;;) {
            if (!oracle_visit(o, p, start, pc, pos, &err)) {
                if (err) return -1;
                break;
            }
            const pat_inst *in = &p->code[pc];
            const lector_token *t = pos < nt ? &tok[pos] : NULL;
            int ok;
            if (PAT_ONE_TOKEN(in->op)) {
                ok = t && pat_test_token(p, s, in, t);
            } else {
                switch (in->op) {
                case OP_GAZ: {
                    if (!t) goto dead;
                    uint32_t a = o->gstart[pos], b = o->gstart[pos + 1];
                    int32_t prev = -1;
                    for (uint32_t k = a; k < b; k++) {
                        const lector_gazetteer_hit *m = &o->gm.m[k];
                        if (in->a >= 0 && m->type_id != in->a) continue;
                        if ((int32_t)m->last == prev) continue;
                        prev = (int32_t)m->last;
                        if (oracle_push(
                                o, &sp,
                                (oracle_job){pc + 1, (int32_t)m->last + 1, 0}) <
                            0)
                            return -1;
                    }
                    goto dead;
                }
                case OP_SPLIT:
                    if (oracle_push(o, &sp, (oracle_job){in->b, pos, 0}) < 0)
                        return -1;
                    pc = in->a;
                    continue;
                case OP_JMP: pc = in->a; continue;
                case OP_SAVE:
                    if (oracle_push(o, &sp,
                                    (oracle_job){-1, in->a, o->caps[in->a]}) <
                        0)
                        return -1;
                    o->caps[in->a] = pos;
                    pc++;
                    continue;
                case OP_MATCH:
                    if (pos > best) {
                        best = pos;
                        memcpy(o->best_caps, o->caps,
                               (size_t)nslots * sizeof *o->caps);
                    }
                    goto dead;
                default: goto dead;
                }
            }
            if (!ok) break;
            pc++;
            pos++;
        }
    dead:;
    }
    return best > (int32_t)start ? best : 0;
}

static int oracle_gm_cmp(const void *a, const void *b)
{
    const lector_gazetteer_hit *x = a, *y = b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    if (x->last != y->last) return x->last < y->last ? -1 : 1;
    return 0;
}

/* The old lector_pattern_match, on a compiled pattern. */
static int oracle_match(const lector_pattern *p, const char *s, size_t n,
                        const lector_tokens *toks, unsigned opts,
                        lector_pattern_matches *out)
{
    oracle o;
    memset(&o, 0, sizeof o);
    lector_gazetteer_matches_init(&o.gm);
    out->n = out->ncaps = 0;
    int rc = LECTOR_OK, usegaz = 0;
    for (size_t i = 0; i < p->ncode; i++)
        if (p->code[i].op == OP_GAZ) usegaz = 1;
    if (usegaz) {
        rc = lector_gazetteer_match(p->g, s, n, toks, LECTOR_MATCH_OVERLAP,
                                    &o.gm);
        if (rc) goto done;
        if (o.gm.n > 1) qsort(o.gm.m, o.gm.n, sizeof *o.gm.m, oracle_gm_cmp);
        o.gstart = malloc((toks->n + 2) * sizeof *o.gstart);
        if (!o.gstart) {
            rc = LECTOR_ENOMEM;
            goto done;
        }
        size_t k = 0;
        for (size_t t = 0; t <= toks->n + 1; t++) {
            while (k < o.gm.n && o.gm.m[k].first < t)
                k++;
            o.gstart[t] = (uint32_t)k;
        }
    }
    /* One change from the library's old VM: the visited set covers every
     * token from the start, where the old one began with 64 and, when a
     * run went further, grew and dropped the run's marks. Re-exploring
     * left the match's end alone but could let a later path take a state
     * first and give other captures (found by this test on texts of a few
     * hundred tokens); the set sized once is the scheme as designed. */
    o.vis_window = toks->n + 1;
    o.visited = calloc(o.vis_window * p->ncode, sizeof *o.visited);
    if (!o.visited) {
        rc = LECTOR_ENOMEM;
        goto done;
    }
    int overlap = opts & LECTOR_MATCH_OVERLAP;
    for (size_t i = 0; i < toks->n;) {
        int32_t end = oracle_run(&o, p, s, toks, i);
        if (end < 0) {
            rc = LECTOR_ENOMEM;
            goto done;
        }
        if (end == 0) {
            i++;
            continue;
        }
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 32;
            lector_pattern_hit *m = realloc(out->m, cap * sizeof *m);
            if (!m) {
                rc = LECTOR_ENOMEM;
                goto done;
            }
            out->m = m;
            out->cap = cap;
        }
        if (out->ncaps + (size_t)p->ncaps > out->capcap) {
            size_t cap = out->capcap ? out->capcap * 2 : 64;
            while (cap < out->ncaps + (size_t)p->ncaps)
                cap *= 2;
            lector_pattern_capture *c = realloc(out->caps, cap * sizeof *c);
            if (!c) {
                rc = LECTOR_ENOMEM;
                goto done;
            }
            out->caps = c;
            out->capcap = cap;
        }
        out->m[out->n++] =
            (lector_pattern_hit){(uint32_t)i,          (uint32_t)end - 1,
                                 toks->tok[i].start,   toks->tok[end - 1].end,
                                 (uint32_t)out->ncaps, 0};
        for (int k = 0; k < p->ncaps; k++) {
            int32_t a = o.best_caps[2 * k], b = o.best_caps[2 * k + 1];
            out->caps[out->ncaps++] = a >= 0 && b > a
                                          ? (lector_pattern_capture){a, b - 1}
                                          : (lector_pattern_capture){-1, -1};
        }
        i = overlap ? i + 1 : (size_t)end;
    }
done:
    free(o.visited);
    free(o.stack);
    free(o.gstart);
    lector_gazetteer_matches_release(&o.gm);
    return rc;
}

#endif
