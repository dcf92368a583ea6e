/* Private to pattern.c (parser, compiler) and pattern_vm.c (matcher). */
#ifndef LECTOR_PATTERN_INTERNAL_H
#define LECTOR_PATTERN_INTERNAL_H

#include "lector.h"

#include <stdint.h>
#include <stdio.h>

enum pat_op {
    OP_NORM,  /* a: token norm id */
    OP_EXACT, /* a: offset in exact pool, b: length */
    OP_KIND,  /* a: LECTOR_TK_* */
    OP_FLAG,  /* a: LECTOR_TF_* mask, all required */
    OP_ANY,
    OP_SET,   /* a: offset in set_ids, b: count (sorted ids) */
    OP_GAZ,   /* a: type id, -1 any type */
    OP_SPLIT, /* try a, then b */
    OP_JMP,   /* a */
    OP_SAVE,  /* a: capture slot */
    OP_MATCH
};

typedef struct pat_inst {
    uint8_t op;
    int32_t a, b;
} pat_inst;

enum { PAT_MAX_INSTS = 20000, PAT_MAX_REPEAT = 1000, PAT_MAX_CAPTURES = 64 };

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
    char *names[PAT_MAX_CAPTURES];
    int ncaps;

    /* matcher scratch, kept between calls */
    uint32_t *visited; /* stamps, [(pos - start) * ncode + pc] */
    size_t vis_window; /* positions covered by visited */
    uint32_t stamp;
    struct pat_job *stack;
    size_t stack_cap;
    int32_t *caps, *best_caps;
    lector_gazetteer_matches gm;
    uint32_t *gstart; /* gm index of the first match at each token */
    size_t gstart_cap;

    int errcol;
    char errmsg[256];
};

#endif
