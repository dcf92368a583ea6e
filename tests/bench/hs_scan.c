/* Hyperscan peer for bench_match.sh: compiles every line of NAMES as a
 * caseless literal and scans TEXT in block mode, counting matches whose
 * both ends sit on word boundaries (ASCII letters, digits, _ and any
 * non-ASCII byte count as word characters, like grep -w in a UTF-8
 * locale roughly does). Hyperscan reports every occurrence, overlapping
 * ones included. Prints compile and scan seconds and the count; the scan
 * runs ROUNDS times (default 1) and the fastest is reported, as for every
 * tool in bench_match.sh.
 *
 * Build: cc -O2 -o hs_scan hs_scan.c $(pkg-config --cflags --libs libhs)
 * Usage: hs_scan NAMES TEXT [ROUNDS] */
#include <hs/hs.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) {
        perror(path);
        exit(1);
    }
    b[sz] = '\0';
    fclose(f);
    *n = (size_t)sz;
    return b;
}

typedef struct ctx {
    const unsigned char *text;
    size_t n;
    const size_t *lens;
    unsigned long long count;
    FILE *dump; /* HS_DUMP=FILE: every counted match as "start end" */
} ctx;

static int wordc(unsigned char c)
{
    return isalnum(c) || c == '_' || c >= 0x80;
}

static int on_match(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *p)
{
    (void)from;
    (void)flags;
    ctx *c = p;
    unsigned long long start = to - c->lens[id];
    if (start > 0 && wordc(c->text[start - 1])) return 0;
    if (to < c->n && wordc(c->text[to])) return 0;
    c->count++;
    if (c->dump) fprintf(c->dump, "%llu %llu\n", start, to);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: hs_scan NAMES TEXT [ROUNDS]\n");
        return 2;
    }
    int rounds = argc == 4 ? atoi(argv[3]) : 1;
    size_t nn, tn;
    char *names = slurp(argv[1], &nn);
    char *text = slurp(argv[2], &tn);
    size_t cap = 1024, k = 0;
    const char **exprs = malloc(cap * sizeof *exprs);
    size_t *lens = malloc(cap * sizeof *lens);
    for (char *s = names; s < names + nn;) {
        char *e = memchr(s, '\n', (size_t)(names + nn - s));
        if (!e) e = names + nn;
        if (e > s) {
            if (k == cap) {
                cap *= 2;
                exprs = realloc(exprs, cap * sizeof *exprs);
                lens = realloc(lens, cap * sizeof *lens);
            }
            exprs[k] = s;
            lens[k] = (size_t)(e - s);
            k++;
        }
        s = e + 1;
    }
    unsigned *flags = malloc(k * sizeof *flags), *ids = malloc(k * sizeof *ids);
    for (size_t i = 0; i < k; i++)
        flags[i] = HS_FLAG_CASELESS, ids[i] = (unsigned)i;
    hs_database_t *db;
    hs_compile_error_t *err;
    double t0 = now();
    if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)k,
                             HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
        fprintf(stderr, "hs_compile_lit_multi: %s\n", err->message);
        return 1;
    }
    double t1 = now();
    hs_scratch_t *scratch = NULL;
    hs_alloc_scratch(db, &scratch);
    ctx c = {(const unsigned char *)text, tn, lens, 0, NULL};
    if (getenv("HS_DUMP")) c.dump = fopen(getenv("HS_DUMP"), "w");
    double best = 0;
    for (int r = 0; r < (rounds > 0 ? rounds : 1); r++) {
        c.count = 0;
        double t2 = now();
        if (hs_scan(db, text, (unsigned)tn, 0, scratch, on_match, &c) !=
            HS_SUCCESS) {
            fprintf(stderr, "hs_scan failed\n");
            return 1;
        }
        double t3 = now();
        if (r == 0 || t3 - t2 < best) best = t3 - t2;
        if (c.dump) {
            fclose(c.dump); /* the first round's matches */
            c.dump = NULL;
        }
    }
    printf("patterns %zu compile %.3f scan %.3f matches %llu\n", k, t1 - t0,
           best, c.count);
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}
