/* What the store's C tests share: a scratch folder made when they start
 * and removed when they end, paths inside it, and one-number queries.
 * Define STORE_TEST_DIR (a mkdtemp template) before including. */
#ifndef LECTOR_STORE_CHECK_H
#define LECTOR_STORE_CHECK_H

#include "check.h"
#include "lector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[] = STORE_TEST_DIR;

/* A path in the scratch folder; four in use at once. */
static inline const char *tmp(const char *name)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

/* The first column of sql's first row through lector's connection. */
static inline long long count(lector_store *st, const char *sql)
{
    lector_stmt *s = NULL;
    long long v = -1;
    if (lector_store_prepare(st, sql, strlen(sql), &s) == LECTOR_OK &&
        lector_stmt_step(s) == 1)
        v = lector_stmt_column_int64(s, 0);
    lector_stmt_free(s);
    return v;
}

/* The first text column of the first row of sql, into a static buffer
 * ("" when there is none). */
static inline const char *text(lector_store *st, const char *sql)
{
    static char buf[4096];
    lector_stmt *s = NULL;
    buf[0] = '\0';
    if (lector_store_prepare(st, sql, strlen(sql), &s) == LECTOR_OK &&
        lector_stmt_step(s) == 1) {
        size_t n = 0;
        const char *p = lector_stmt_column_text(s, 0, &n);
        snprintf(buf, sizeof buf, "%.*s", (int)n, p);
    }
    lector_stmt_free(s);
    return buf;
}

/* A document of uri and text (NUL-terminated), no other field. */
static inline lector_doc doc(const char *uri, const char *text)
{
    lector_doc d;
    memset(&d, 0, sizeof d);
    d.uri = uri;
    d.uri_len = strlen(uri);
    d.text = text;
    d.text_len = strlen(text);
    return d;
}

static inline int store_tests_begin(void)
{
    if (mkdtemp(dir)) return 0;
    perror("mkdtemp");
    return -1;
}

static inline int store_tests_end(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}

#endif
