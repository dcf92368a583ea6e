/* Private to pattern.c (parser, compiler) and pattern_vm.c (matcher). */
#ifndef LECTOR_PATTERN_INTERNAL_H
#define LECTOR_PATTERN_INTERNAL_H

#include "lector.h"

#include <stdint.h>
#include <stdio.h>

/* The one-token tests come first (PAT_ONE_TOKEN), then @TYPE, then the
 * instructions that consume nothing. */
enum pat_op {
    OP_NORM,  /* a: token norm id */
    OP_EXACT, /* a: offset in exact pool, b: length */
    OP_KIND,  /* a: LECTOR_TK_* */
    OP_FLAG,  /* a: LECTOR_TF_* mask, all required */
    OP_ANY,
    OP_SET,   /* a: offset in set_ids, b: count (sorted ids) */
    OP_ONEOF, /* a: offset in tests, b: count; any of them passes */
    OP_NONE,  /* a: offset in tests, b: count; none of them passes */
    OP_GAZ,   /* a: type id, -1 any type */
    OP_SPLIT, /* try a, then b */
    OP_JMP,   /* a */
    OP_SAVE,  /* a: capture slot */
    OP_MATCH
};
#define PAT_ONE_TOKEN(op) ((op) <= OP_NONE)

typedef struct pat_inst {
    uint8_t op;
    int32_t a, b;
} pat_inst;

enum { PAT_MAX_INSTS = 20000, PAT_MAX_REPEAT = 1000, PAT_MAX_CAPTURES = 64 };

/* Whole capture passes kept for later ones to meet (LECTOR_MATCH_OVERLAP):
 * starts whose matches end at up to PAT_RECS - 1 places in turn. */
enum { PAT_RECS = 8 };

/* A thread of the capture pass: at instruction pc; inside @TYPE (pc is
 * OP_GAZ) p0 is the token where the gazetteer match began, else -1; par:
 * the thread of the previous token it came from (-1 at the start). */
typedef struct pat_thread {
    int32_t pc, p0, par;
} pat_thread;

/* A capture pass's thread lists, token by token, and the path of the
 * thread that won (LECTOR_MATCH_OVERLAP: later passes reuse it). */
typedef struct pat_rec {
    int32_t start, end, valid;
    uint32_t *off; /* threads at token q: th[off[q - start] .. off[+1]) */
    int32_t *anc;  /* anc[q - start]: the winner's ancestor at q */
    size_t offcap, anccap;
    pat_thread *th;
    size_t n, thcap;
    int32_t *final; /* the winner's captures */
    size_t finalcap;
} pat_rec;

typedef struct pat_tlist {
    pat_thread *t;
    int32_t *caps; /* ncaps * 2 slots per thread */
    size_t n, tcap, ccap;
} pat_tlist;

/* A set of instructions with a value each (the reverse pass: the furthest
 * end a match can reach from there), listed in the order they were added. */
typedef struct pat_rset {
    int32_t *val, *list;
    uint32_t *mark; /* mark[pc] == stamp: pc is in the set */
    size_t n;
    uint32_t stamp;
} pat_rset;

struct lector_pattern {
    lector_intern *in;
    lector_gazetteer *g;
    int compiled;

    pat_inst *code;
    size_t ncode, code_cap;
    int32_t *set_ids;
    size_t nset, set_cap;
    char *exact;
    size_t nexact, exact_cap;
    pat_inst *tests; /* the one-token tests of OP_ONEOF and OP_NONE */
    size_t ntests, tests_cap;
    char *names[PAT_MAX_CAPTURES];
    int ncaps;

    /* matcher tables, built on the first match (pattern_vm.c) */
    int prepared;
    unsigned prep_gen; /* bumped by every build (pattern sets compare it) */
    int32_t *pred_off, *pred; /* instructions that reach pc consuming nothing:
                                 pred[pred_off[pc] .. pred_off[pc + 1]) */
    int32_t *gaz_pc;          /* the OP_GAZ instructions */
    int ngaz;
    int32_t match_pc;
    /* The reverse pass's skip (pattern_vm.c): the norms a match's last
     * token can have, as a bitmap over [last_lo, last_lo + last_nbits),
     * when every test that can take a last token is a norm test. */
    int skip_ok;
    int32_t last_lo;
    uint32_t last_nbits;
    uint8_t *last_bits;
    int last_gaz; /* a match can end with a gazetteer match (@TYPE) */
    /* The same of a match's first token (pattern sets): first_ok when
     * every test that can take it is a norm test, first_gaz when @TYPE can
     * take it. */
    int first_ok, first_gaz;
    int32_t first_lo;
    uint32_t first_nbits;
    uint8_t *first_bits;
    int reset_has0;       /* the pattern matches no tokens */
    uint8_t *reset_after; /* per @TYPE: the rest matches no tokens */
    /* matcher scratch, kept between calls */
    pat_rset rs[2];
    uint32_t rstamp;
    int32_t *rstack;
    struct pat_seed *seeds;
    int32_t *cand; /* (start, end) of the longest match from each start */
    size_t cand_cap, ncand;
    int32_t *ring; /* reverse pass, @TYPE: values at the next tokens */
    size_t ring_cap;
    pat_tlist tl[2];
    pat_rec rec[PAT_RECS]; /* rec[cur_rec]: this pass; the others: the
                              last whole passes */
    int cur_rec;
    uint32_t *fmark, fstamp;
    struct pat_job *stack;
    size_t stack_cap;
    int32_t *wcaps, *best_caps;
    lector_gazetteer_matches gm;     /* the matches it found itself */
    const lector_gazetteer_hit *gaz; /* the matches in use: gm's or given */
    size_t ngaz_hits;
    uint32_t *gstart; /* gaz index of the first match at each token */
    size_t gstart_cap;
    int32_t gaz_maxlen; /* tokens in the longest gazetteer match */

    int errcol;
    char errmsg[256];
};

/* 1 when token t passes the one-token test in (PAT_ONE_TOKEN(in->op));
 * s is the text the token points into. */
int pat_test_token(const lector_pattern *p, const char *s, const pat_inst *in,
                   const lector_token *t);

/* Frees the matcher's tables and scratch (pattern_vm.c). */
void pat_release_matcher(lector_pattern *p);

/* Builds the matcher's tables unless built (pattern_vm.c): 0, or -1 out
 * of memory (p->errmsg says so). */
int pat_prepare(lector_pattern *p);

#endif
