/* Loading a gazetteer from a TSV or CSV file with a header row. The file is
 * read whole; each line is split into fields in place, checked, and handed
 * to lector_gazetteer_add with "FILE" and its line number as provenance. */
#include "common.h"
#include "gaz_internal.h"
#include "token.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_COLS = 64 };

typedef struct field {
    char *s;
    size_t n;
} field;

/* Splits line (s, n) into fields. TSV: plain tab-separated. CSV: commas,
 * "quoted" fields with "" for a quote (unquoted in place). Returns the
 * number of fields, -1 for an unterminated quote, -2 for too many. */
static int split(char *s, size_t n, int csv, field *f)
{
    int nf = 0;
    size_t i = 0;
    for (;;) {
        if (nf == MAX_COLS) return -2;
        if (csv && i < n && s[i] == '"') {
            size_t w = i, r = i + 1;
            for (;;) {
                if (r >= n) return -1;
                if (s[r] == '"') {
                    if (r + 1 < n && s[r + 1] == '"') {
                        s[w++] = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                s[w++] = s[r++];
            }
            f[nf].s = s + i;
            f[nf].n = w - i;
            nf++;
            /* Anything between the closing quote and the comma is an error. */
            if (r < n && s[r] != ',') return -1;
            if (r >= n) return nf;
            i = r + 1;
            continue;
        }
        char sep = csv ? ',' : '\t';
        size_t j = i;
        while (j < n && s[j] != sep)
            j++;
        f[nf].s = s + i;
        f[nf].n = j - i;
        nf++;
        if (j >= n) return nf;
        i = j + 1;
    }
}

static void trim(field *f)
{
    while (f->n && (f->s[0] == ' '))
        f->s++, f->n--;
    while (f->n && (f->s[f->n - 1] == ' ' || f->s[f->n - 1] == '\r'))
        f->n--;
}

/* Appends (s, n) to b as a JSON string body. */
static int json_str(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n * 6 + 8 > *cap) {
        char *nb = lector__grow(*b, cap, *len + n * 6 + 8, 1, 128);
        if (!nb) return -1;
        *b = nb;
    }
    *len = (size_t)(lector__json_quoted(*b + *len, s, n) - *b);
    return 0;
}

static int parse_case(const field *f)
{
    if (f->n == 0) return LECTOR_CASE_AUTO;
    if (f->n == 4 && strncasecmp(f->s, "auto", 4) == 0) return LECTOR_CASE_AUTO;
    if (f->n == 9 && strncasecmp(f->s, "sensitive", 9) == 0)
        return LECTOR_CASE_SENSITIVE;
    if (f->n == 11 && strncasecmp(f->s, "insensitive", 11) == 0)
        return LECTOR_CASE_INSENSITIVE;
    return -1;
}

/* The bad lines a failed load reports, so one run shows them all. */
enum { GAZ_BAD_SHOWN = 20 };

typedef struct loader {
    lector_gazetteer *g;
    const char *path;
    unsigned opts;
    size_t skipped;
    int have_first;
    char first[512];
    /* without LECTOR_GAZ_SKIP_BAD: the bad lines so far, one a line */
    size_t nbad;
    int bad_code;
    char bad[sizeof((lector_gazetteer *)0)->errmsg];
    size_t bad_len;
} loader;

/* Records a bad line: skipped with LECTOR_GAZ_SKIP_BAD, else remembered
 * (the first GAZ_BAD_SHOWN of them) for the error the load returns once
 * the file is read. Returns 0 to go on. */
static int bad_line(loader *L, int code, size_t line, const char *what)
{
    char msg[sizeof L->first];
    snprintf(msg, sizeof msg, "%s:%zu: %s", L->path, line, what);
    if (!(L->opts & LECTOR_GAZ_SKIP_BAD)) {
        if (!L->nbad) L->bad_code = code;
        if (L->nbad < GAZ_BAD_SHOWN && L->bad_len < sizeof L->bad) {
            int w = snprintf(L->bad + L->bad_len, sizeof L->bad - L->bad_len,
                             "%s%s", L->nbad ? "\n" : "", msg);
            if (w > 0) L->bad_len += (size_t)w;
            if (L->bad_len >= sizeof L->bad) L->bad_len = sizeof L->bad - 1;
        }
        L->nbad++;
        return 0;
    }
    if (!L->have_first) {
        memcpy(L->first, msg, sizeof msg);
        L->have_first = 1;
    }
    L->skipped++;
    return 0;
}

/* Reads the file line by line (memory stays at one line, however large the
 * gazetteer file); the header line is kept for the attribute names. */
static int load_stream(loader *L, FILE *fp)
{
    lector_gazetteer *g = L->g;
    size_t line = 0, linecap = 0;
    char *buf = NULL, *header = NULL;
    int ncols = 0, csv = 0, c_alias = -1, c_entity = -1, c_type = -1,
        c_case = -1;
    char *names[MAX_COLS];
    size_t name_n[MAX_COLS];
    field f[MAX_COLS];
    char *attrs = NULL, *tmp = NULL;
    size_t acap = 0, tcap = 0;
    int rc = LECTOR_OK;
    ssize_t got;
    while ((got = getline(&buf, &linecap, fp)) >= 0) {
        char *s = buf;
        size_t n = (size_t)got;
        if (n && s[n - 1] == '\n') n--;
        line++;
        if (line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3; /* BOM */
            n -= 3;
        }
        if (n && s[n - 1] == '\r') n--;
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == n || s[k] == '#') continue;
        size_t bad;
        if (lector_utf8_check(s, n, &bad, NULL) != LECTOR_OK) {
            char what[96];
            snprintf(what, sizeof what, "invalid UTF-8 at byte %zu of the line",
                     bad + 1);
            /* No header yet: not a gazetteer file at all (a binary). */
            if (!ncols) {
                rc = gaz_error(g, LECTOR_EUTF8, "%s:%zu: %s", L->path, line,
                               what);
                goto out;
            }
            if ((rc = bad_line(L, LECTOR_EUTF8, line, what))) goto out;
            continue;
        }
        if (!ncols) { /* the header, kept: names point into it */
            free(header);
            if (!(header = malloc(n + 1))) goto nomem;
            memcpy(header, s, n);
            header[n] = '\0';
            s = header;
            csv = memchr(s, '\t', n) == NULL;
            int nf = split(s, n, csv, f);
            if (nf < 0) {
                rc = gaz_error(
                    g, LECTOR_EFORMAT, "%s:%zu: bad header (%s)", L->path, line,
                    nf == -1 ? "unterminated quote" : "too many columns");
                goto out;
            }
            for (int i = 0; i < nf; i++) {
                trim(&f[i]);
                names[i] = f[i].s;
                name_n[i] = f[i].n;
                if (f[i].n == 5 && strncasecmp(f[i].s, "alias", 5) == 0)
                    c_alias = i;
                else if (f[i].n == 6 && strncasecmp(f[i].s, "entity", 6) == 0)
                    c_entity = i;
                else if (f[i].n == 4 && strncasecmp(f[i].s, "type", 4) == 0)
                    c_type = i;
                else if (f[i].n == 4 && strncasecmp(f[i].s, "case", 4) == 0)
                    c_case = i;
            }
            if (c_alias < 0 || c_entity < 0) {
                rc = gaz_error(g, LECTOR_EFORMAT,
                               "%s:%zu: the header must name the columns alias "
                               "and entity (%s separated)",
                               L->path, line, csv ? "comma" : "tab");
                goto out;
            }
            ncols = nf;
            continue;
        }
        int nf = split(s, n, csv, f);
        char what[160];
        if (nf < 0) {
            if ((rc = bad_line(L, LECTOR_EFORMAT, line,
                               nf == -1 ? "unterminated or misplaced quote"
                                        : "too many fields")))
                goto out;
            continue;
        }
        if (nf > ncols) {
            snprintf(what, sizeof what, "%d fields, the header has %d", nf,
                     ncols);
            if ((rc = bad_line(L, LECTOR_EFORMAT, line, what))) goto out;
            continue;
        }
        for (int i = 0; i < nf; i++)
            trim(&f[i]);
        for (int i = nf; i < ncols; i++)
            f[i] = (field){s, 0};
        if (!f[c_alias].n || !f[c_entity].n) {
            if (!csv && nf == 1 && memchr(f[0].s, ' ', f[0].n))
                snprintf(what, sizeof what,
                         "no tab in the row: the fields must be separated "
                         "by tabs, not spaces");
            else
                snprintf(what, sizeof what, "empty %s",
                         !f[c_alias].n ? "alias" : "entity");
            if ((rc = bad_line(L, LECTOR_EFORMAT, line, what))) goto out;
            continue;
        }
        int cm = c_case >= 0 ? parse_case(&f[c_case]) : LECTOR_CASE_AUTO;
        if (cm < 0) {
            snprintf(
                what, sizeof what,
                "case must be sensitive, insensitive or auto, not \"%.*s\"",
                (int)(f[c_case].n > 40 ? 40 : f[c_case].n), f[c_case].s);
            if ((rc = bad_line(L, LECTOR_EFORMAT, line, what))) goto out;
            continue;
        }
        /* Attributes: every other non-empty column, as a JSON object. */
        size_t alen = 0;
        for (int i = 0; i < ncols; i++) {
            if (i == c_alias || i == c_entity || i == c_type || i == c_case ||
                !f[i].n)
                continue;
            /* json_str reserves room for the separator and the colon. */
            if (json_str(&attrs, &alen, &acap, "", 0) < 0) goto nomem;
            alen -= 2;
            char sep = alen ? ',' : '{';
            attrs[alen++] = sep;
            if (json_str(&attrs, &alen, &acap, names[i], name_n[i]) < 0)
                goto nomem;
            attrs[alen++] = ':';
            if (json_str(&attrs, &alen, &acap, f[i].s, f[i].n) < 0) goto nomem;
        }
        if (alen) {
            attrs[alen++] = '}';
            attrs[alen] = '\0';
        }
        /* entity and type need NUL termination: copy them side by side. */
        size_t need = f[c_entity].n + (c_type >= 0 ? f[c_type].n : 0) + 2;
        if (need > tcap) { /* scratch: the longest row's size, no doubling */
            char *t = realloc(tmp, need);
            if (!t) goto nomem;
            tmp = t;
            tcap = need;
        }
        memcpy(tmp, f[c_entity].s, f[c_entity].n);
        tmp[f[c_entity].n] = '\0';
        char *type = tmp + f[c_entity].n + 1;
        size_t tn = c_type >= 0 ? f[c_type].n : 0;
        if (tn) memcpy(type, f[c_type].s, tn);
        type[tn] = '\0';
        rc = gaz_add(g, f[c_alias].s, f[c_alias].n, tmp, type,
                     alen ? attrs : NULL, L->path, (int32_t)line, cm, 1);
        if (rc == LECTOR_ENOMEM || rc == LECTOR_ELIMIT) {
            char m[sizeof g->errmsg];
            memcpy(m, g->errmsg, sizeof m);
            gaz_error(g, rc, "%s:%zu: %s", L->path, line, m);
            goto out;
        }
        if (rc != LECTOR_OK) {
            char m[sizeof g->errmsg];
            memcpy(m, g->errmsg, sizeof m);
            if ((rc = bad_line(L, rc, line, m))) goto out;
        }
    }
    if (ferror(fp)) {
        rc = gaz_error(g, LECTOR_EIO, "%s: read error: %s", L->path,
                       strerror(errno));
        goto out;
    }
    if (!ncols)
        rc = gaz_error(g, LECTOR_EFORMAT,
                       "%s: no header row (alias, entity, ...)", L->path);
    goto out;
nomem:
    rc = gaz_error(g, LECTOR_ENOMEM, "%s:%zu: out of memory", L->path, line);
out:
    free(attrs);
    free(tmp);
    free(buf);
    free(header);
    return rc;
}

int lector_gazetteer_load(lector_gazetteer *g, const char *path, unsigned opts,
                          size_t *skipped)
{
    if (!g || !path) return LECTOR_EINVAL;
    if (skipped) *skipped = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) return gaz_error(g, LECTOR_EIO, "%s: %s", path, strerror(errno));
    loader L = {.g = g, .path = path, .opts = opts};
    /* The aliases go through a fork of the text's tokenizer: the same
     * tokens, but their surfaces (a city list's names, rarely met in text)
     * stay out of its cache, which they would otherwise grow several times
     * over, scattering the text's common words through it and slowing
     * the tokenizing of text (tests/bench/RESULTS.md). */
    lector_tokenizer *text_tk = g->tk, *fork = lector__tokenizer_fork(text_tk);
    if (fork) g->tk = fork;
    int rc = load_stream(&L, fp);
    g->tk = text_tk;
    lector_tokenizer_free(fork);
    fclose(fp);
    if (skipped) *skipped = L.skipped;
    if (rc == LECTOR_OK && L.nbad) {
        if (L.nbad > GAZ_BAD_SHOWN)
            return gaz_error(g, L.bad_code, "%s\n... and %zu more bad lines",
                             L.bad, L.nbad - GAZ_BAD_SHOWN);
        return gaz_error(g, L.bad_code, "%s", L.bad);
    }
    if (rc == LECTOR_OK && L.have_first) gaz_error(g, LECTOR_OK, "%s", L.first);
    return rc;
}
