/* Shared by the C drivers of bench_text.sh and bench_match.sh: loads the
 * corpus, splits it into documents at "\n\f\n", and times with the
 * process CPU clock. */
#ifndef TEXT_DOCS_H
#define TEXT_DOCS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *all;
    char **doc;
    size_t *len;
    size_t n, bytes;
} docs_t;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int docs_load(docs_t *d, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    d->all = malloc((size_t)size + 1);
    if (!d->all || fread(d->all, 1, (size_t)size, f) != (size_t)size) return -1;
    fclose(f);
    d->all[size] = 0;
    size_t cap = 1024;
    d->n = d->bytes = 0;
    d->doc = malloc(cap * sizeof *d->doc);
    d->len = malloc(cap * sizeof *d->len);
    char *p = d->all;
    for (;;) {
        char *q = strstr(p, "\n\f\n");
        if (d->n == cap) {
            cap *= 2;
            d->doc = realloc(d->doc, cap * sizeof *d->doc);
            d->len = realloc(d->len, cap * sizeof *d->len);
        }
        d->doc[d->n] = p;
        d->len[d->n] = q ? (size_t)(q - p) : strlen(p);
        d->bytes += d->len[d->n++];
        if (!q) break;
        p = q + 3;
    }
    return 0;
}

static void docs_free(docs_t *d)
{
    free(d->all);
    free(d->doc);
    free(d->len);
}

#endif
