/* Hyperscan peer for bench_match.sh, as a careful user writes it:
 * compiles every line of NAMES as a caseless literal (ASCII case only: so
 * Hyperscan folds) and scans TEXT in block mode; keeps the occurrences
 * whose both ends sit on word boundaries (ASCII letters, digits, _ and any
 * non-ASCII byte count as word characters, like grep -w in a UTF-8 locale
 * roughly does), then selects leftmost-longest, non-overlapping ones (the
 * matches lector reports). A fresh process; the first scan (with its
 * selection) is the headline (cold), ROUNDS - 1 more give a warm figure
 * (the fastest). Times are process CPU times, as for every tool in
 * bench_match.sh.
 *
 * Prints: patterns N compile S scan S matches N hits H warm S
 * (H: occurrences at word boundaries, overlapping ones included).
 * HS_DUMP=FILE writes the selected matches as "START END" byte offsets.
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
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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

typedef struct span {
    unsigned long long start, end;
} span;

typedef struct ctx {
    const unsigned char *text;
    size_t n;
    const size_t *lens;
    span *hits; /* at word boundaries, in the order Hyperscan reports */
    size_t nhits, cap;
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
    if (c->nhits == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1 << 16;
        c->hits = realloc(c->hits, c->cap * sizeof *c->hits);
        if (!c->hits) return 1;
    }
    c->hits[c->nhits++] = (span){start, to};
    return 0;
}

/* leftmost first, the longest first among those starting together */
static int by_start(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* Sorts the hits and keeps, in place, the leftmost-longest ones that do
 * not overlap; returns how many. */
static size_t select_longest(span *h, size_t n)
{
    qsort(h, n, sizeof *h, by_start);
    size_t k = 0;
    unsigned long long last = 0;
    for (size_t i = 0; i < n; i++)
        if (h[i].start >= last) {
            h[k++] = h[i];
            last = h[i].end;
        }
    return k;
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
    ctx c = {(const unsigned char *)text, tn, lens, NULL, 0, 0};
    double first = 0, warm = 0;
    size_t hits = 0, chosen = 0;
    for (int r = 0; r < (rounds > 0 ? rounds : 1); r++) {
        c.nhits = 0;
        double t2 = now();
        if (hs_scan(db, text, (unsigned)tn, 0, scratch, on_match, &c) !=
            HS_SUCCESS) {
            fprintf(stderr, "hs_scan failed\n");
            return 1;
        }
        hits = c.nhits;
        chosen = select_longest(c.hits, c.nhits);
        double t = now() - t2;
        if (r == 0) first = warm = t;
        if (r == 1 || (r > 1 && t < warm)) warm = t;
    }
    printf(
        "patterns %zu compile %.3f scan %.3f matches %zu hits %zu warm %.3f\n",
        k, t1 - t0, first, chosen, hits, warm);
    if (getenv("HS_DUMP")) {
        FILE *d = fopen(getenv("HS_DUMP"), "w");
        if (!d) {
            perror(getenv("HS_DUMP"));
            return 1;
        }
        for (size_t i = 0; i < chosen; i++)
            fprintf(d, "%llu %llu\n", c.hits[i].start, c.hits[i].end);
        fclose(d);
    }
    free(c.hits);
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}
