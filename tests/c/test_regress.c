/* Replays every kept fuzz input (the files of tests/fuzz/regress/TARGET/)
 * through the
 * same invariant checks as the libFuzzer targets, so a finding stays
 * fixed; then runs the repository's test inputs (tests/data/) and, when
 * present, the shared seed corpus through every target as well. The
 * tokenizer checks always run with the ASCII fast path on and off.
 * Run from the repository root (as tests/run.sh does). */
#include "check.h"

#include "../fuzz/inv_html.h"
#include "../fuzz/inv_match.h"
#include "../fuzz/inv_sentence.h"
#include "../fuzz/inv_store.h"
#include "../fuzz/inv_text.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int (*inv_target)(const uint8_t *data, size_t size);

static int t_utf8(const uint8_t *d, size_t n)
{
    return inv_utf8((const char *)d, n);
}

static int t_tokenize(const uint8_t *d, size_t n)
{
    return inv_text_pipeline((const char *)d, n);
}

static const struct {
    const char *name;
    inv_target fn;
} targets[] = {
    {"utf8", t_utf8},
    {"tokenize", t_tokenize},
    {"sentence", inv_sentence_input},
    {"store", inv_store_input},
    {"gazetteer", inv_gazetteer_input},
    {"gazdump", inv_undump_input},
    {"pattern", inv_pattern_input},
    {"html", inv_html_input},
};
enum { NTARGETS = sizeof targets / sizeof *targets };

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *n = len;
    return buf;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted; NULL when dir does not exist. */
static char **list_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    *count = 0;
    if (!d) return NULL;
    size_t cap = 16;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (*count == cap) {
            char **nn = realloc(names, (cap *= 2) * sizeof *names);
            if (!nn) break;
            names = nn;
        }
        names[(*count)++] = strdup(path);
    }
    closedir(d);
    if (names) qsort(names, *count, sizeof *names, by_name);
    return names;
}

static void free_list(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

static void replay(const char *tag, int ti, const char *path)
{
    size_t n = 0;
    char *buf = read_all(path, &n);
    char id[512];
    snprintf(id, sizeof id, "%s-%s:%s", tag, targets[ti].name, path);
    if (!buf) {
        CHECK(id, !"readable");
        return;
    }
    int ok = targets[ti].fn((const uint8_t *)buf, n);
    if (!ok) fprintf(stderr, "  %s: %s\n", id, inv_msg);
    CHECK(id, ok);
    free(buf);
}

/* A limit case that hangs is a failure, not a stuck `make test`. */
static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL limits: timed out (a hang)\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

/* Documented limits (README, robustness): a token longer than the
 * tokenizer's 64 MiB surface cache, and a length past 4 GiB. */
static void limits(void)
{
    signal(SIGALRM, on_alarm);
    alarm(120);
    size_t big = ((size_t)64 << 20) + 4096;
    char *s = malloc(big + 8);
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    lector_tokens t;
    lector_tokens_init(&t);
    if (!s || !tk) {
        CHECK("limits-0", !"allocated");
    } else {
        memset(s, 'x', big);
        memcpy(s + big, " word.", 6);
        CHECK_INT("limits-1.1", lector_tokenize(tk, s, big + 6, 0, &t),
                  LECTOR_OK);
        CHECK_INT("limits-1.2", t.n, 3);
        CHECK("limits-1.3",
              t.n > 0 && t.tok[0].start == 0 && t.tok[0].end == big);
        /* The cache is usable afterwards. */
        CHECK_INT("limits-1.4", lector_tokenize(tk, "a b", 3, 0, &t),
                  LECTOR_OK);
        CHECK_INT("limits-1.5", t.n, 2);
        /* Past 4 GiB: refused before any byte is read. */
        CHECK_INT("limits-2.1",
                  lector_tokenize(tk, s, (size_t)UINT32_MAX + 1, 0, &t),
                  LECTOR_ELIMIT);
        CHECK("limits-2.2", strstr(lector_tokenizer_errmsg(tk), "4 GiB"));
    }
    lector_tokens_release(&t);
    lector_tokenizer_free(tk);
    lector_intern_free(in);
    free(s);
    alarm(0);
}

int main(void)
{
    limits();
    for (int ti = 0; ti < NTARGETS; ti++) {
        char dir[256], id[300];
        snprintf(dir, sizeof dir, "tests/fuzz/regress/%s", targets[ti].name);
        size_t count;
        char **files = list_dir(dir, &count);
        for (size_t i = 0; i < count; i++)
            replay("regress", ti, files[i]);
        /* Every target must have found its kept inputs: a wrong working
         * directory or a renamed folder would otherwise pass silently. */
        snprintf(id, sizeof id, "regress-found:%s", targets[ti].name);
        CHECK(id, count > 0);
        free_list(files, count);
    }

    size_t count;
    char **files = list_dir("tests/data", &count);
    for (size_t i = 0; i < count; i++)
        for (int ti = 0; ti < NTARGETS; ti++)
            replay("data", ti, files[i]);
    free_list(files, count);

    /* The seed corpus, file by file: a missing file skips one case per
     * target, the cases its replay would have counted. */
    static const char *const seed[] = {
        "000_edbceb3384c84068.txt", "001_24d23fa43b9e9066.txt",
        "002_5238b16f6bbe1952.txt", "003_2df66e9c9227f2b9.txt",
        "004_fcb48b072c5b7eb4.txt"};
    const char *sh = getenv("LECTOR_SHARED");
    for (size_t i = 0; i < sizeof seed / sizeof *seed; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/corpus/news/%s", sh ? sh : "../shared",
                 seed[i]);
        int there = access(path, R_OK) == 0;
        for (int ti = 0; ti < NTARGETS; ti++) {
            if (there) {
                replay("shared", ti, path);
            } else {
                char id[600];
                snprintf(id, sizeof id, "shared:%s:%s", seed[i],
                         targets[ti].name);
                CHECK_SKIP(id, "no seed corpus at ../shared/corpus/news");
            }
        }
    }
    return check_done();
}
