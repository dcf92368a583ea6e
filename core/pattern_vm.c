/* The pattern matcher: threads in step over the token array, never a
 * backtrack, so a call costs tokens x instructions whatever the pattern.
 *
 * Leftmost-longest takes two kinds of pass, as RE2 finds a match's bounds
 * with one automaton and its submatches with another:
 *
 * 1. The reverse pass walks the tokens from the last to the first, keeping
 *    for each instruction the furthest token a match can reach from it at
 *    the current token (the set of states is that of a Pike VM run
 *    backwards; where two paths meet, the one reaching further is kept).
 *    Its result is the list of tokens a match starts from, each with the
 *    end of the longest match from there, in one pass. Choosing the
 *    matches is then a walk over that list: the first start, then the
 *    first at or after its end (every start, with LECTOR_MATCH_OVERLAP).
 *
 * 2. For a pattern with captures, the capture pass runs the Pike VM
 *    forward from each chosen start to its known end: threads in priority
 *    order (earlier alternative, greedier repeat), each (instruction,
 *    token) state taken by the first thread to reach it; the first thread
 *    to reach the match instruction at the end gives the captures. That is
 *    the path a backtracking matcher finds first among the longest, so the
 *    results are those of the backtracking VM this replaced (kept as a test
 *    oracle in tests/c/pattern_oracle.h). Chosen matches do not overlap, so
 *    the capture passes cover each token once. With LECTOR_MATCH_OVERLAP a
 *    pass stops where it meets the last whole pass to the same end (see
 *    capture_pass); passes that never meet cost the matches' lengths.
 *
 * @TYPE consumes a whole gazetteer match, several tokens. The gazetteer's
 * overlapping matches are computed once per call and indexed by first
 * token. The reverse pass reads the values at the match's end from a ring
 * of the last (longest match + 1) tokens. The capture pass steps through a
 * gazetteer match one token at a time: a thread inside one remembers the
 * token where it began, goes on while a fitting match is longer, and
 * leaves where one ends, the longer first (as the backtracking VM tried the
 * longest first), so that threads stay in priority order. */
#include "common.h"
#include "pattern_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct pat_job {
    int32_t pc; /* -1: restore capture slot `slot` to `val` */
    int32_t slot, val;
} pat_job;

typedef struct pat_seed {
    int32_t pc, end;
} pat_seed;

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

/* Grows *buf (of *cap elements of size elem) to hold need; -1 when out of
 * memory (then *buf is unchanged). */
static int grow(void *buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    void *b = lector__grow(*(void **)buf, cap, need, elem, 64);
    if (!b) return -1;
    *(void **)buf = b;
    return 0;
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

int pat_test_token(const lector_pattern *p, const char *s, const pat_inst *in,
                   const lector_token *t)
{
    switch (in->op) {
    case OP_NORM: return t->norm == in->a;
    case OP_EXACT:
        return t->end - t->start == (uint32_t)in->b &&
               memcmp(s + t->start, p->exact + in->a, (size_t)in->b) == 0;
    case OP_KIND: return t->kind == in->a;
    case OP_FLAG: return (t->flags & in->a) == in->a;
    case OP_ANY: return 1;
    case OP_SET: return set_has(p->set_ids + in->a, in->b, t->norm);
    case OP_ONEOF:
    case OP_NONE:
        for (int32_t k = 0; k < in->b; k++)
            if (pat_test_token(p, s, &p->tests[in->a + k], t))
                return in->op == OP_ONEOF;
        return in->op == OP_NONE;
    }
    return 0;
}

void pat_release_matcher(lector_pattern *p)
{
    free(p->pred_off);
    free(p->pred);
    free(p->gaz_pc);
    free(p->seeds);
    free(p->rstack);
    free(p->fmark);
    free(p->wcaps);
    free(p->best_caps);
    for (int k = 0; k < 2; k++) {
        free(p->rs[k].val);
        free(p->rs[k].list);
        free(p->rs[k].mark);
        free(p->tl[k].t);
        free(p->tl[k].caps);
    }
    for (int k = 0; k < PAT_RECS; k++) {
        free(p->rec[k].off);
        free(p->rec[k].anc);
        free(p->rec[k].th);
        free(p->rec[k].final);
    }
    memset(p->rec, 0, sizeof p->rec);
    free(p->cand);
    free(p->ring);
    free(p->stack);
    lector_gazetteer_matches_release(&p->gm);
    free(p->gstart);
    free(p->last_bits);
    free(p->first_bits);
    free(p->reset_after);
    p->last_bits = p->first_bits = p->reset_after = NULL;
    p->skip_ok = p->first_ok = p->first_gaz = p->last_gaz = 0;
    p->pred_off = p->pred = p->gaz_pc = p->rstack = NULL;
    p->seeds = NULL;
    p->fmark = NULL;
    p->wcaps = p->best_caps = p->cand = p->ring = NULL;
    p->stack = NULL;
    p->gstart = NULL;
    memset(p->rs, 0, sizeof p->rs);
    memset(p->tl, 0, sizeof p->tl);
    p->cand_cap = p->ring_cap = p->stack_cap = p->gstart_cap = 0;
    p->ncand = 0;
    p->ngaz = 0;
    p->rstamp = p->fstamp = 0;
    p->prepared = 0;
}

static int prepare_skip(lector_pattern *p);

/* The tables every match uses: reverse edges of the instructions that
 * consume nothing, the @TYPE instructions, and scratch sized by the
 * program. */
static int prepare(lector_pattern *p)
{
    size_t nc = p->ncode;
    pat_release_matcher(p);
    p->pred_off = calloc(nc + 2, sizeof *p->pred_off);
    if (!p->pred_off) return -1;
    int ngaz = 0;
    for (size_t pc = 0; pc < nc; pc++) {
        const pat_inst *in = &p->code[pc];
        if (in->op == OP_SPLIT) {
            p->pred_off[in->a + 1]++;
            p->pred_off[in->b + 1]++;
        } else if (in->op == OP_JMP) {
            p->pred_off[in->a + 1]++;
        } else if (in->op == OP_SAVE) {
            p->pred_off[pc + 2]++;
        } else if (in->op == OP_GAZ) {
            ngaz++;
        } else if (in->op == OP_MATCH) {
            p->match_pc = (int32_t)pc;
        }
    }
    for (size_t pc = 0; pc <= nc; pc++)
        p->pred_off[pc + 1] += p->pred_off[pc];
    int32_t *fill = calloc(nc + 1, sizeof *fill);
    p->pred = malloc(((size_t)p->pred_off[nc] + 1) * sizeof *p->pred);
    p->gaz_pc = malloc(((size_t)ngaz + 1) * sizeof *p->gaz_pc);
    p->seeds = malloc(((size_t)ngaz + 1) * sizeof *p->seeds);
    p->rstack = malloc(nc * sizeof *p->rstack);
    p->fmark = calloc(nc, sizeof *p->fmark);
    size_t ns = (size_t)p->ncaps * 2 + 1;
    p->wcaps = malloc(ns * sizeof *p->wcaps);
    int ok = fill && p->pred && p->gaz_pc && p->seeds && p->rstack &&
             p->fmark && p->wcaps &&
             (p->best_caps = malloc(ns * sizeof *p->best_caps)) != NULL;
    for (int k = 0; ok && k < 2; k++) {
        pat_rset *r = &p->rs[k];
        r->val = malloc(nc * sizeof *r->val);
        r->list = malloc(nc * sizeof *r->list);
        r->mark = calloc(nc, sizeof *r->mark);
        ok = r->val && r->list && r->mark;
    }
    if (!ok) {
        free(fill);
        pat_release_matcher(p);
        return -1;
    }
#define ADD_PRED(to, from) p->pred[p->pred_off[to] + fill[to]++] = (from)
    for (size_t pc = 0; pc < nc; pc++) {
        const pat_inst *in = &p->code[pc];
        if (in->op == OP_SPLIT) {
            ADD_PRED(in->a, (int32_t)pc);
            ADD_PRED(in->b, (int32_t)pc);
        } else if (in->op == OP_JMP) {
            ADD_PRED(in->a, (int32_t)pc);
        } else if (in->op == OP_SAVE) {
            ADD_PRED(pc + 1, (int32_t)pc);
        } else if (in->op == OP_GAZ) {
            p->gaz_pc[p->ngaz++] = (int32_t)pc;
        }
    }
#undef ADD_PRED
    free(fill);
    if (prepare_skip(p) < 0) {
        pat_release_matcher(p);
        return -1;
    }
    p->prepared = 1;
    p->prep_gen++;
    return 0;
}

int pat_prepare(lector_pattern *p)
{
    if (p->prepared) return 0;
    if (prepare(p) == 0) return 0;
    snprintf(p->errmsg, sizeof p->errmsg, "out of memory");
    return -1;
}

/* ---- reverse pass -------------------------------------------------------- */

static int rs_has(const pat_rset *r, int32_t pc)
{
    return r->mark[pc] == r->stamp;
}

/* Adds pc with end e to r, and every instruction that reaches pc consuming
 * nothing. Called in order of decreasing e, so the first e an instruction
 * gets is its furthest. */
static void rs_close(lector_pattern *p, pat_rset *r, int32_t pc, int32_t e)
{
    if (rs_has(r, pc)) return;
    size_t sp = 0;
    r->mark[pc] = r->stamp;
    r->val[pc] = e;
    r->list[r->n++] = pc;
    p->rstack[sp++] = pc;
    while (sp) {
        int32_t x = p->rstack[--sp];
        for (int32_t k = p->pred_off[x]; k < p->pred_off[x + 1]; k++) {
            int32_t y = p->pred[k];
            if (rs_has(r, y)) continue;
            r->mark[y] = r->stamp;
            r->val[y] = e;
            r->list[r->n++] = y;
            p->rstack[sp++] = y;
        }
    }
}

static int gaz_fits(const pat_inst *in, const lector_gazetteer_hit *m)
{
    return in->a < 0 || m->type_id == in->a;
}

/* ---- the reverse pass's skip ---------------------------------------------
 * Where no test that can take a match's last token passes, no gazetteer
 * match starts, and the next token's state is the one such a token leaves
 * (the instructions that reach the match consuming nothing), a token's
 * state is that same one again, and no match starts there. Most tokens of
 * a text are such tokens, so the pass steps over a run of them with one
 * bitmap test each instead of the state's tests, and notes only the
 * @TYPE ring values the token below the run can read. */

/* Adds the norm ids a one-token test can pass on to ids (n of them, cap
 * cap); -1 when it can pass on a token whatever its norm (kind, flag, any,
 * exact text, none-of), -2 out of memory. */
static int last_norms(const lector_pattern *p, const pat_inst *in,
                      int32_t **ids, size_t *n, size_t *cap)
{
    switch (in->op) {
    case OP_NORM:
        if (grow(ids, cap, *n + 1, sizeof **ids) < 0) return -2;
        (*ids)[(*n)++] = in->a;
        return 0;
    case OP_SET:
        if (grow(ids, cap, *n + (size_t)in->b, sizeof **ids) < 0) return -2;
        for (int32_t k = 0; k < in->b; k++)
            (*ids)[(*n)++] = p->set_ids[in->a + k];
        return 0;
    case OP_ONEOF:
        for (int32_t k = 0; k < in->b; k++) {
            int rc = last_norms(p, &p->tests[in->a + k], ids, n, cap);
            if (rc < 0) return rc;
        }
        return 0;
    default: return -1;
    }
}

/* The bitmap of the n ids (over [*lo, *lo + *nbits)) into *bits, when
 * *ok: a bitmap of up to 1 MB; ids further apart than that clear *ok.
 * -1 out of memory. */
static int norm_bitmap(const int32_t *ids, size_t n, int *ok, int32_t *lo,
                       uint32_t *nbits, uint8_t **bits)
{
    int32_t a = 0, b = -1;
    for (size_t k = 0; *ok && k < n; k++) {
        if (k == 0 || ids[k] < a) a = ids[k];
        if (k == 0 || ids[k] > b) b = ids[k];
    }
    if (*ok && n && (int64_t)b - a >= ((int64_t)1 << 23)) *ok = 0;
    if (!*ok) return 0;
    *lo = a;
    *nbits = n ? (uint32_t)(b - a) + 1 : 0;
    *bits = calloc(*nbits / 8 + 1, 1);
    if (!*bits) return -1;
    for (size_t k = 0; k < n; k++) {
        uint32_t d = (uint32_t)(ids[k] - a);
        (*bits)[d >> 3] |= (uint8_t)(1u << (d & 7));
    }
    return 0;
}

/* What can take a match's first token: the instructions pc 0 reaches
 * consuming nothing (p->fmark as the visited set, p->rstack as the
 * stack), each a one-token test or @TYPE. ids: scratch. */
static int first_tests(lector_pattern *p, int32_t **ids, size_t *cap)
{
    if (!p->ncode) return 0;
    size_t n = 0, sp = 0;
    int ok = 1;
    uint32_t stamp = ++p->fstamp;
    p->fmark[0] = stamp;
    p->rstack[sp++] = 0;
    while (sp) {
        int32_t pc = p->rstack[--sp];
        const pat_inst *in = &p->code[pc];
        int32_t next[2], nn = 0;
        if (in->op == OP_SPLIT) {
            next[nn++] = in->a;
            next[nn++] = in->b;
        } else if (in->op == OP_JMP) {
            next[nn++] = in->a;
        } else if (in->op == OP_SAVE) {
            next[nn++] = pc + 1;
        } else if (in->op == OP_GAZ) {
            p->first_gaz = 1;
        } else if (PAT_ONE_TOKEN(in->op) && ok) {
            int rc = last_norms(p, in, ids, &n, cap);
            if (rc == -2) return -1;
            ok = rc == 0;
        }
        for (int32_t k = 0; k < nn; k++)
            if (next[k] < (int32_t)p->ncode && p->fmark[next[k]] != stamp) {
                p->fmark[next[k]] = stamp;
                p->rstack[sp++] = next[k];
            }
    }
    int rc = norm_bitmap(*ids, n, &ok, &p->first_lo, &p->first_nbits,
                         &p->first_bits);
    p->first_ok = ok && p->ncode > 0;
    return rc;
}

static int prepare_skip(lector_pattern *p)
{
    size_t nc = p->ncode;
    pat_rset *r = &p->rs[0];
    r->n = 0;
    r->stamp = ++p->rstamp;
    rs_close(p, r, p->match_pc, 0);
    p->reset_has0 = rs_has(r, 0);
    p->reset_after = malloc((size_t)p->ngaz + 1);
    if (!p->reset_after) return -1;
    for (int k = 0; k < p->ngaz; k++)
        p->reset_after[k] = (uint8_t)rs_has(r, p->gaz_pc[k] + 1);
    int32_t *ids = NULL;
    size_t n = 0, cap = 0;
    int ok = 1;
    for (size_t li = 0; ok && li < r->n; li++) {
        int32_t q = r->list[li];
        if (q == 0 || !PAT_ONE_TOKEN(p->code[q - 1].op)) continue;
        int rc = last_norms(p, &p->code[q - 1], &ids, &n, &cap);
        if (rc == -2) {
            free(ids);
            return -1;
        }
        ok = rc == 0;
    }
    for (size_t li = 0; li < r->n; li++) {
        int32_t q = r->list[li];
        if (q > 0 && p->code[q - 1].op == OP_GAZ) p->last_gaz = 1;
    }
    int rc =
        norm_bitmap(ids, n, &ok, &p->last_lo, &p->last_nbits, &p->last_bits);
    p->skip_ok = ok && nc > 0;
    if (!rc) rc = first_tests(p, &ids, &cap);
    free(ids);
    return rc;
}

/* 1 when the token at pos can be skipped (see above): its norm is not in
 * the bitmap of last-token norms and no gazetteer match starts there. */
static inline int skippable(const lector_token *tok, int32_t pos, uint32_t lo,
                            uint32_t nbits, const uint8_t *bits,
                            const uint32_t *gstart)
{
    uint32_t d = (uint32_t)tok[pos].norm - lo;
    if (d < nbits && (bits[d >> 3] >> (d & 7)) & 1) return 0;
    return !gstart || gstart[pos] == gstart[pos + 1];
}

/* Fills p->cand with (start, end) pairs, by decreasing start: each token
 * from which a match of one token or more starts, and the end (exclusive
 * token index) of the longest such match. Runs of skippable tokens are
 * passed over in one tight loop: nothing starts there, and the state at
 * their lowest token is the reset one. */
static int reverse_pass(lector_pattern *p, const char *s,
                        const lector_tokens *toks)
{
    int32_t n = (int32_t)toks->n;
    size_t R = (size_t)p->gaz_maxlen + 1;
    if (grow(&p->ring, &p->ring_cap, (size_t)p->ngaz * R + 1, sizeof *p->ring) <
        0)
        return -1;
    p->ncand = 0;
    if (p->rstamp > UINT32_MAX - 2 * (uint32_t)n - 8) {
        for (int k = 0; k < 2; k++)
            memset(p->rs[k].mark, 0, p->ncode * sizeof *p->rs[k].mark);
        p->rstamp = 0;
    }
    pat_rset *cur = &p->rs[0], *nxt = &p->rs[1];
    nxt->n = 0;
    nxt->stamp = ++p->rstamp;
    int reset = 0;     /* nxt is the state a skipped token leaves */
    int32_t pend = -1; /* nxt is that state at token pend, not built yet */
    /* The skip's reads in locals: the stores to the ring could alias p's
     * fields for the compiler. */
    const int skip_ok = p->skip_ok, ngaz = p->ngaz;
    const uint32_t *gstart = ngaz ? p->gstart : NULL, lo = (uint32_t)p->last_lo,
                   nbits = p->last_nbits;
    const lector_token *tok = toks->tok;
    int32_t *ring = p->ring;
    const uint8_t *bits = p->last_bits, *after_empty = p->reset_after;
    for (int32_t pos = n; pos >= 0; pos--) {
        if (reset && skip_ok && pos < n) {
            int32_t top = pos;
            while (pos >= 0 && skippable(tok, pos, lo, nbits, bits, gstart))
                pos--;
            if (pos < top) {
                /* Of the run, only the ring slots of its lowest R - 1
                 * tokens can still be read: a gazetteer match starting
                 * below the run ends at most R - 1 tokens on. */
                int32_t hi =
                    pos + (int32_t)R - 1 < top ? pos + (int32_t)R - 1 : top;
                for (int32_t x = pos + 1; x <= hi; x++)
                    for (int k = 0; k < ngaz; k++)
                        ring[(size_t)k * R + (size_t)x % R] =
                            after_empty[k] ? x : -1;
                pend = pos + 1;
                if (pos < 0) break;
            }
        }
        const lector_token *t = pos < n ? &tok[pos] : NULL;
        size_t rp = (size_t)pos % R;
        if (pend >= 0) {
            nxt->n = 0;
            nxt->stamp = ++p->rstamp;
            rs_close(p, nxt, p->match_pc, pend);
            pend = -1;
        }
        cur->n = 0;
        cur->stamp = ++p->rstamp;
        /* @TYPE at pos: the furthest end through any fitting match. */
        int ng = 0;
        for (int k = 0; t && k < p->ngaz; k++) {
            const pat_inst *in = &p->code[p->gaz_pc[k]];
            int32_t best = -1;
            for (uint32_t g = p->gstart[pos]; g < p->gstart[pos + 1]; g++) {
                const lector_gazetteer_hit *m = &p->gaz[g];
                if (!gaz_fits(in, m)) continue;
                int32_t e = p->ring[(size_t)k * R + (m->last + 1) % R];
                if (e > best) best = e;
            }
            if (best < 0) continue;
            int j = ng++;
            while (j > 0 && p->seeds[j - 1].end < best) {
                p->seeds[j] = p->seeds[j - 1];
                j--;
            }
            p->seeds[j] = (pat_seed){p->gaz_pc[k], best};
        }
        /* One-token tests that pass at pos, from the next token's set
         * (listed by decreasing end), merged with the @TYPE ones. */
        int gi = 0, passed = 0;
        for (size_t li = 0; t && li < nxt->n; li++) {
            int32_t q = nxt->list[li];
            if (q == 0) continue;
            const pat_inst *in = &p->code[q - 1];
            if (!PAT_ONE_TOKEN(in->op) || !pat_test_token(p, s, in, t))
                continue;
            int32_t e = nxt->val[q];
            for (; gi < ng && p->seeds[gi].end > e; gi++)
                rs_close(p, cur, p->seeds[gi].pc, p->seeds[gi].end);
            rs_close(p, cur, q - 1, e);
            passed = 1;
        }
        for (; gi < ng; gi++)
            rs_close(p, cur, p->seeds[gi].pc, p->seeds[gi].end);
        rs_close(p, cur, p->match_pc, pos);
        reset = !passed && ng == 0;
        if (pos < n && rs_has(cur, 0) && cur->val[0] > pos) {
            if (grow(&p->cand, &p->cand_cap, 2 * p->ncand + 2,
                     sizeof *p->cand) < 0)
                return -1;
            p->cand[2 * p->ncand] = pos;
            p->cand[2 * p->ncand + 1] = cur->val[0];
            p->ncand++;
        }
        for (int k = 0; k < p->ngaz; k++) {
            int32_t after = p->gaz_pc[k] + 1;
            p->ring[(size_t)k * R + rp] =
                rs_has(cur, after) ? cur->val[after] : -1;
        }
        pat_rset *x = cur;
        cur = nxt;
        nxt = x;
    }
    return 0;
}

/* ---- capture pass -------------------------------------------------------- */

static int push(lector_pattern *p, size_t *sp, pat_job j)
{
    if (grow(&p->stack, &p->stack_cap, *sp + 1, sizeof *p->stack) < 0)
        return -1;
    p->stack[(*sp)++] = j;
    return 0;
}

static int add_thread(lector_pattern *p, pat_tlist *l, int32_t pc, int32_t p0,
                      int32_t par, const int32_t *caps)
{
    size_t ns = (size_t)p->ncaps * 2;
    if (grow(&l->t, &l->tcap, l->n + 1, sizeof *l->t) < 0 ||
        grow(&l->caps, &l->ccap, (l->n + 1) * ns + 1, sizeof *l->caps) < 0)
        return -1;
    l->t[l->n] = (pat_thread){pc, p0, par};
    memcpy(l->caps + l->n * ns, caps, ns * sizeof *caps);
    l->n++;
    return 0;
}

/* Follows the instructions that consume nothing from pc at token pos, in
 * priority order, adding a thread to l at each token test not yet taken.
 * caps (the path's captures) is restored on return. 1: the match
 * instruction was reached at end (best_caps has the captures), 0: not, -1:
 * out of memory. */
static int closure(lector_pattern *p, pat_tlist *l, int32_t pc, int32_t pos,
                   int32_t end, int32_t par, int32_t *caps)
{
    size_t sp = 0;
    if (push(p, &sp, (pat_job){pc, 0, 0}) < 0) return -1;
    while (sp) {
        pat_job j = p->stack[--sp];
        if (j.pc < 0) {
            caps[j.slot] = j.val;
            continue;
        }
        for (pc = j.pc;;) {
            if (p->fmark[pc] == p->fstamp) break;
            p->fmark[pc] = p->fstamp;
            const pat_inst *in = &p->code[pc];
            if (in->op == OP_JMP) {
                pc = in->a;
            } else if (in->op == OP_SPLIT) {
                if (push(p, &sp, (pat_job){in->b, 0, 0}) < 0) return -1;
                pc = in->a;
            } else if (in->op == OP_SAVE) {
                if (push(p, &sp, (pat_job){-1, in->a, caps[in->a]}) < 0)
                    return -1;
                caps[in->a] = pos;
                pc++;
            } else if (in->op == OP_MATCH) {
                if (pos != end) break;
                memcpy(p->best_caps, caps, (size_t)p->ncaps * 2 * sizeof *caps);
                return 1;
            } else {
                if (pos < end &&
                    add_thread(p, l, pc, in->op == OP_GAZ ? pos : -1, par,
                               caps) < 0)
                    return -1;
                break;
            }
        }
    }
    return 0;
}

static void next_fstamp(lector_pattern *p)
{
    if (++p->fstamp == 0) {
        memset(p->fmark, 0, p->ncode * sizeof *p->fmark);
        p->fstamp = 1;
    }
}

/* Records list l as the threads at token pos of pass r. */
static int rec_list(pat_rec *r, int32_t pos, const pat_tlist *l)
{
    r->off[pos - r->start] = (uint32_t)r->n;
    if (grow(&r->th, &r->thcap, r->n + l->n + 1, sizeof *r->th) < 0) return -1;
    memcpy(r->th + r->n, l->t, l->n * sizeof *l->t);
    r->n += l->n;
    r->off[pos - r->start + 1] = (uint32_t)r->n;
    return 0;
}

/* 1 when l holds the same threads, in the same order, as pass r at pos:
 * from there on both passes are the same but for the captures taken
 * before pos. */
static int rec_same(const pat_rec *r, int32_t pos, const pat_tlist *l)
{
    const pat_thread *t = r->th + r->off[pos - r->start];
    if (r->off[pos - r->start + 1] - r->off[pos - r->start] != l->n) return 0;
    for (size_t i = 0; i < l->n; i++)
        if (t[i].pc != l->t[i].pc || t[i].p0 != l->t[i].p0) return 0;
    return 1;
}

/* The captures of the first path, in priority order, from token start to
 * the match instruction at token end, into p->best_caps.
 *
 * With overlaps the passes of neighbouring starts to the same end tend to
 * meet (`x:_* _*`: each start's pass would run to the end). So each pass
 * records its thread lists; when a later pass's list at some token equals
 * the list of one of the last whole passes to the same end there, the rest
 * is known: the same thread wins, its captures taken after that token are
 * the recorded winner's, the earlier ones this pass's. */
static int capture_pass(lector_pattern *p, const char *s,
                        const lector_tokens *toks, int32_t start, int32_t end,
                        int overlap)
{
    size_t ns = (size_t)p->ncaps * 2;
    pat_tlist *cl = &p->tl[0], *nl = &p->tl[1];
    pat_rec *rec = NULL, *refs[PAT_RECS];
    int nref = 0;
    if (overlap) {
        rec = &p->rec[p->cur_rec];
        size_t len = (size_t)(end - start) + 2;
        if (grow(&rec->off, &rec->offcap, len, sizeof *rec->off) < 0 ||
            grow(&rec->anc, &rec->anccap, len, sizeof *rec->anc) < 0 ||
            grow(&rec->final, &rec->finalcap, ns + 1, sizeof *rec->final) < 0)
            return -1;
        rec->valid = 0;
        rec->start = start;
        rec->end = end;
        rec->n = 0;
        for (int k = 0; k < PAT_RECS; k++)
            if (p->rec[k].valid && p->rec[k].end == end)
                refs[nref++] = &p->rec[k];
    }
    for (size_t k = 0; k < ns; k++)
        p->wcaps[k] = -1;
    memcpy(p->best_caps, p->wcaps, ns * sizeof *p->wcaps);
    cl->n = 0;
    next_fstamp(p);
    if (closure(p, cl, 0, start, end, -1, p->wcaps) < 0) return -1;
    for (int32_t pos = start; pos < end && cl->n; pos++) {
        for (int k = 0; k < nref; k++) {
            const pat_rec *ref = refs[k];
            if (pos < ref->start || !rec_same(ref, pos, cl)) continue;
            int32_t w = ref->anc[pos - ref->start];
            const int32_t *c = cl->caps + (size_t)w * ns;
            for (size_t j = 0; j < ns; j++)
                p->best_caps[j] = ref->final[j] > pos ? ref->final[j] : c[j];
            return 0;
        }
        if (rec && rec_list(rec, pos, cl) < 0) return -1;
        const lector_token *t = &toks->tok[pos];
        nl->n = 0;
        next_fstamp(p);
        for (size_t i = 0; i < cl->n; i++) {
            pat_thread th = cl->t[i];
            const pat_inst *in = &p->code[th.pc];
            memcpy(p->wcaps, cl->caps + i * ns, ns * sizeof *p->wcaps);
            int r = 0;
            if (th.p0 < 0) {
                if (pat_test_token(p, s, in, t))
                    r = closure(p, nl, th.pc + 1, pos + 1, end, (int32_t)i,
                                p->wcaps);
            } else {
                /* Inside a gazetteer match from p0: go on while a fitting
                 * one is longer, leave where one ends (the longer first). */
                int longer = 0, here = 0;
                for (uint32_t g = p->gstart[th.p0]; g < p->gstart[th.p0 + 1];
                     g++) {
                    const lector_gazetteer_hit *m = &p->gaz[g];
                    if (!gaz_fits(in, m)) continue;
                    if ((int32_t)m->last > pos) longer = 1;
                    if ((int32_t)m->last == pos) here = 1;
                }
                if (longer && pos + 1 < end &&
                    add_thread(p, nl, th.pc, th.p0, (int32_t)i, p->wcaps) < 0)
                    return -1;
                if (here)
                    r = closure(p, nl, th.pc + 1, pos + 1, end, (int32_t)i,
                                p->wcaps);
            }
            if (r < 0) return -1;
            if (r == 0) continue;
            if (rec) { /* the winner's ancestors, back to the start */
                int32_t w = (int32_t)i;
                for (int32_t q = pos; q >= start; q--) {
                    rec->anc[q - start] = w;
                    w = rec->th[rec->off[q - start] + (uint32_t)w].par;
                }
                memcpy(rec->final, p->best_caps, ns * sizeof *rec->final);
                rec->valid = 1;
                p->cur_rec = (p->cur_rec + 1) % PAT_RECS;
            }
            return 0;
        }
        pat_tlist *x = cl;
        cl = nl;
        nl = x;
    }
    return 0; /* not reached: the reverse pass found a path to end */
}

/* ---- the call ------------------------------------------------------------ */

/* Orders the gazetteer matches by first token, then last. */
static int gm_cmp(const void *a, const void *b)
{
    const lector_gazetteer_hit *x = a, *y = b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    if (x->last != y->last) return x->last < y->last ? -1 : 1;
    return 0;
}

/* Whether hits are in gm_cmp's order (the gazetteer's own output is). */
static int gm_sorted(const lector_gazetteer_hit *m, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (gm_cmp(&m[i - 1], &m[i]) > 0) return 0;
    return 1;
}

/* The gazetteer's overlapping matches of toks, indexed by first token:
 * the given ones when the caller has them (and they are in order), else
 * found here. */
static int index_gazetteer(lector_pattern *p, const char *s, size_t n,
                           const lector_tokens *toks,
                           const lector_gazetteer_matches *given)
{
    if (given && gm_sorted(given->m, given->n)) {
        p->gaz = given->m;
        p->ngaz_hits = given->n;
    } else {
        int rc;
        if (given) {
            if (grow(&p->gm.m, &p->gm.cap, given->n, sizeof *p->gm.m) < 0)
                return LECTOR_ENOMEM;
            if (given->n) memcpy(p->gm.m, given->m, given->n * sizeof *p->gm.m);
            p->gm.n = given->n;
        } else if ((rc = lector_gazetteer_match(p->g, s, n, toks,
                                                LECTOR_MATCH_OVERLAP, &p->gm)))
            return rc;
        /* qsort's array must not be NULL even when empty (UBSan: nonnull). */
        if (p->gm.n > 1) qsort(p->gm.m, p->gm.n, sizeof *p->gm.m, gm_cmp);
        p->gaz = p->gm.m;
        p->ngaz_hits = p->gm.n;
    }
    if (grow(&p->gstart, &p->gstart_cap, toks->n + 2, sizeof *p->gstart) < 0)
        return LECTOR_ENOMEM;
    /* gstart[t]: the first match starting at token t or later; in locals,
     * since the stores to gstart could alias p's fields for the compiler */
    const lector_gazetteer_hit *gaz = p->gaz;
    uint32_t *gstart = p->gstart;
    size_t nh = p->ngaz_hits, t = 0;
    int32_t maxlen = 0;
    for (size_t k = 0; k < nh; k++) {
        int32_t len = (int32_t)(gaz[k].last - gaz[k].first) + 1;
        if (len > maxlen) maxlen = len;
        for (; t <= gaz[k].first && t <= toks->n + 1; t++)
            gstart[t] = (uint32_t)k;
    }
    for (; t <= toks->n + 1; t++)
        gstart[t] = (uint32_t)nh;
    p->gaz_maxlen = maxlen;
    return LECTOR_OK;
}

/* After a call over a large text, the scratch sized by its tokens goes:
 * a pattern kept for a corpus holds no document's worth of memory. */
enum { PAT_KEEP_TOKENS = 1 << 18 };

static void shrink(lector_pattern *p, size_t ntok)
{
    if (ntok < PAT_KEEP_TOKENS) return;
    /* Everything sized by the text goes; the next call prepares afresh. */
    pat_release_matcher(p);
    p->gaz = NULL;
    p->ngaz_hits = 0;
}

static int match(lector_pattern *p, const char *s, size_t n,
                 const lector_tokens *toks,
                 const lector_gazetteer_matches *given, unsigned opts,
                 lector_pattern_matches *out);

int lector_pattern_match(lector_pattern *p, const char *s, size_t n,
                         const lector_tokens *toks, unsigned opts,
                         lector_pattern_matches *out)
{
    int rc = match(p, s, n, toks, NULL, opts, out);
    if (p && toks) shrink(p, toks->n);
    return rc;
}

int lector_pattern_match_with(lector_pattern *p, const char *s, size_t n,
                              const lector_tokens *toks,
                              const lector_gazetteer_matches *gm, unsigned opts,
                              lector_pattern_matches *out)
{
    if (!gm) return LECTOR_EINVAL;
    int rc = match(p, s, n, toks, gm, opts, out);
    if (p && toks) shrink(p, toks->n);
    return rc;
}

/* 1 when every token of toks is skippable with no gazetteer match in
 * the text: the reverse pass would then pass over them all and find no
 * start. */
static int none_can_end(const lector_pattern *p, const lector_tokens *toks)
{
    const lector_token *tok = toks->tok;
    const uint32_t lo = (uint32_t)p->last_lo, nbits = p->last_nbits;
    const uint8_t *bits = p->last_bits;
    for (size_t pos = 0; pos < toks->n; pos++)
        if (!skippable(tok, (int32_t)pos, lo, nbits, bits, NULL)) return 0;
    return 1;
}

static int match(lector_pattern *p, const char *s, size_t n,
                 const lector_tokens *toks,
                 const lector_gazetteer_matches *given, unsigned opts,
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
    if (!p->prepared && prepare(p) < 0) goto nomem;
    /* Most texts hold no token a match can end at: one look at each norm
     * says so, without indexing the gazetteer's matches (none here) or
     * the reverse pass's work around its skip (tag's patterns 0.116 ->
     * 0.102 s on the job bench). */
    if (p->skip_ok && toks->n && (!p->ngaz || (given && given->n == 0)) &&
        none_can_end(p, toks))
        return LECTOR_OK;
    if (p->ngaz) {
        int rc = index_gazetteer(p, s, n, toks, given);
        if (rc) {
            snprintf(p->errmsg, sizeof p->errmsg, "gazetteer: %s",
                     rc == LECTOR_ENOMEM ? "out of memory"
                                         : lector_gazetteer_errmsg(p->g));
            return rc;
        }
    }
    if (toks->n == 0) return LECTOR_OK;
    if (reverse_pass(p, s, toks) < 0) goto nomem;
    for (int k = 0; k < PAT_RECS; k++)
        p->rec[k].valid = 0;
    int overlap = opts & LECTOR_MATCH_OVERLAP;
    /* The starts in text order; without overlaps, the first at or after
     * the end of the match before. */
    size_t from = 0;
    for (size_t c = p->ncand; c-- > 0;) {
        size_t i = (size_t)p->cand[2 * c];
        int32_t end = p->cand[2 * c + 1];
        if (i < from) continue;
        if (p->ncaps && capture_pass(p, s, toks, (int32_t)i, end, overlap) < 0)
            goto nomem;
        if (out->n == out->cap) {
            lector_pattern_hit *m =
                lector__grow(out->m, &out->cap, out->n + 1, sizeof *m, 32);
            if (!m) goto nomem;
            out->m = m;
        }
        if (out->ncaps + (size_t)p->ncaps > out->capcap) {
            lector_pattern_capture *c =
                lector__grow(out->caps, &out->capcap,
                             out->ncaps + (size_t)p->ncaps, sizeof *c, 64);
            if (!c) goto nomem;
            out->caps = c;
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
        from = overlap ? i + 1 : (size_t)end;
    }
    return LECTOR_OK;
nomem:
    snprintf(p->errmsg, sizeof p->errmsg, "out of memory");
    return LECTOR_ENOMEM;
}
