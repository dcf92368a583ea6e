/* Unit tests of what lector_store_open checks before it trusts a file
 * (issue 16): another program's database and a file claiming a schema
 * version are refused unchanged; triggers and views lector does not
 * create are refused by name unless LECTOR_STORE_TRUST_SCHEMA; a time
 * limit stops a statement that runs too long. */
#define STORE_TEST_DIR "/tmp/lector-test-storeguard-XXXXXX"
#include "store_check.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int sql(const char *path, const char *q)
{
    sqlite3 *db;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, q, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* The whole file, for comparing before and after. */
static char *slurp(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)*n + 1);
    if (b && fread(b, 1, (size_t)*n, f) != (size_t)*n) *n = -1;
    fclose(f);
    return b;
}

static int open_rc(const char *path, unsigned flags, char *msg, size_t n)
{
    lector_store *st = NULL;
    int rc = lector_store_open(path, flags, -1, &st);
    snprintf(msg, n, "%s", rc ? lector_store_errmsg(st) : "");
    lector_store_close(st);
    return rc;
}

static void test_foreign(void)
{
    char msg[1024];
    const char *p = tmp("other.db");
    CHECK_INT("guard-1.0", sql(p, "CREATE TABLE t(a, b)"), SQLITE_OK);
    long n0, n1;
    char *before = slurp(p, &n0);
    CHECK_INT("guard-1.1", open_rc(p, 0, msg, sizeof msg), LECTOR_EDB);
    CHECK("guard-1.2", strstr(msg, "not a lector store") != NULL);
    char *after = slurp(p, &n1);
    CHECK("guard-1.3", before && after && n0 == n1 &&
                           memcmp(before, after, (size_t)n0) == 0);
    free(before);
    free(after);
    struct stat sb;
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", p);
    CHECK("guard-1.4", stat(wal, &sb) != 0);

    p = tmp("claims.db");
    CHECK_INT("guard-1.5", sql(p, "PRAGMA user_version = 3"), SQLITE_OK);
    CHECK_INT("guard-1.6", open_rc(p, 0, msg, sizeof msg), LECTOR_EDB);
    CHECK("guard-1.7",
          strstr(msg, "claims schema version 3 but has no lector tables"));
}

static void test_schema_objects(void)
{
    char msg[1024];
    const char *p = tmp("s.db");
    CHECK_INT("guard-2.0", open_rc(p, 0, msg, sizeof msg), LECTOR_OK);
    CHECK_INT("guard-2.1", open_rc(p, 0, msg, sizeof msg), LECTOR_OK);
    CHECK_INT("guard-2.2",
              sql(p, "CREATE VIEW mine AS SELECT 1; CREATE TRIGGER spy "
                     "AFTER INSERT ON documents BEGIN DELETE FROM runs; END"),
              SQLITE_OK);
    CHECK_INT("guard-2.3", open_rc(p, 0, msg, sizeof msg), LECTOR_EDB);
    CHECK_STR("guard-2.4", strstr(msg, "the store's view mine"),
              "the store's view mine is not one lector creates; a store's "
              "triggers and views run inside lector, so one that differs is "
              "refused (--trust-schema opens it anyway)");
    CHECK_INT("guard-2.5", open_rc(p, LECTOR_STORE_READONLY, msg, sizeof msg),
              LECTOR_EDB);
    CHECK_INT("guard-2.6",
              open_rc(p, LECTOR_STORE_TRUST_SCHEMA, msg, sizeof msg),
              LECTOR_OK);
    CHECK_INT("guard-2.7", sql(p, "DROP VIEW mine"), SQLITE_OK);
    CHECK_INT("guard-2.8", open_rc(p, 0, msg, sizeof msg), LECTOR_EDB);
    CHECK("guard-2.9", strstr(msg, "the store's trigger spy") != NULL);
}

static void test_time_limit(void)
{
    lector_store *st = NULL;
    CHECK_INT("guard-3.0", lector_store_open(tmp("t.db"), 0, -1, &st),
              LECTOR_OK);
    const char *q = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                    "FROM c) SELECT count(*) FROM c";
    lector_stmt *s = NULL;
    CHECK_INT("guard-3.1", lector_store_prepare(st, q, strlen(q), &s),
              LECTOR_OK);
    lector_store_set_time_limit(st, 200);
    CHECK_INT("guard-3.2", lector_stmt_step(s), LECTOR_EDB);
    CHECK_INT("guard-3.3", lector_store_timed_out(st), 1);
    lector_stmt_free(s);
    lector_store_set_time_limit(st, 0);
    CHECK_INT("guard-3.4", lector_store_timed_out(st), 0);
    const char *q2 = "SELECT count(*) FROM documents";
    CHECK_INT("guard-3.5", lector_store_prepare(st, q2, strlen(q2), &s),
              LECTOR_OK);
    CHECK_INT("guard-3.6", lector_stmt_step(s), 1);
    lector_stmt_free(s);
    lector_store_close(st);
}

int main(void)
{
    if (store_tests_begin() != 0) return 1;
    test_foreign();
    test_schema_objects();
    test_time_limit();
    return store_tests_end();
}
