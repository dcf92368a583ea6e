/* Unit tests of the full-text index of documents added inside a
 * transaction (store_fts.c): they go in without the trigger and one
 * statement indexes them before any other SQL of the connection or the
 * commit, so every reader, and SQL in the same transaction, finds the
 * index as the trigger would have left it. */
#include "../../core/store_internal.h"
#define STORE_TEST_DIR "/tmp/lector-test-store-fts-XXXXXX"
#include "store_check.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

enum { N = 200 };
static char uris[N][32], texts[N][64];
static lector_doc docs[N];
static int64_t ids[N];
static int is_new[N], vers[N];

/* Documents prefix/0 .. prefix/n-1, whose texts hold the word word. */
static lector_doc *make_docs(const char *prefix, const char *word, int n)
{
    for (int i = 0; i < n; i++) {
        snprintf(uris[i], sizeof uris[i], "%s/%03d", prefix, i);
        snprintf(texts[i], sizeof texts[i], "%s number %d of %s", word, i,
                 prefix);
        docs[i] = doc(uris[i], texts[i]);
    }
    return docs;
}

static int add(lector_store *st, const char *prefix, const char *word, int n)
{
    return lector_store_add_many(st, make_docs(prefix, word, n), (size_t)n, 0,
                                 ids, is_new, vers);
}

/* The index agrees with the documents (FTS5's own check). */
static int fts_ok(lector_store *st)
{
    return lector_store_exec(st, "INSERT INTO documents_fts(documents_fts) "
                                 "VALUES('integrity-check')") == LECTOR_OK;
}

static long long matches(lector_store *st, const char *q)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH "
             "'%s'",
             q);
    return count(st, sql);
}

/* The FTS5 segments the index has: each has a row in documents_fts_idx. */
static long long segments(lector_store *st)
{
    return count(st, "SELECT count(DISTINCT segid) FROM documents_fts_idx");
}

/* Whether the connection's triggers run: a document added by plain SQL
 * is indexed by the trigger. */
static int triggers_on(lector_store *st, const char *uri)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO documents(uri, base_uri, hash, text) VALUES "
             "('%s', '%s', 'h', 'zebracorn')",
             uri, uri);
    long long before = matches(st, "zebracorn");
    return lector_store_exec(st, sql) == LECTOR_OK &&
           matches(st, "zebracorn") == before + 1;
}

/* A new store in the scratch folder, opened (the check named label). */
static lector_store *fresh(const char *name, const char *label)
{
    lector_store *st = NULL;
    CHECK_INT(label, lector_store_open(tmp(name), 0, 0, &st), LECTOR_OK);
    return st;
}

static void test_one_statement(void)
{
    lector_store *st = fresh("one.db", "one-1.1");
    /* three calls of 64 documents in one transaction: one segment, where
     * the trigger made one a statement */
    CHECK_INT("one-1.2", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("one-1.3", add(st, "a", "apple", 64), LECTOR_OK);
    CHECK_INT("one-1.4", add(st, "b", "banana", 64), LECTOR_OK);
    CHECK_INT("one-1.5", add(st, "c", "cherry", 64), LECTOR_OK);
    CHECK_INT("one-1.6", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("one-1.7", segments(st), 1);
    CHECK("one-1.8", fts_ok(st));
    CHECK_INT("one-1.9", matches(st, "apple OR banana OR cherry"), 192);
    CHECK_INT("one-1.10", matches(st, "\"banana number 7\""), 1);
    /* the same without a transaction of the caller's: each call its own
     * transaction, indexed by the trigger */
    CHECK_INT("one-2.1", add(st, "d", "damson", 64), LECTOR_OK);
    CHECK_INT("one-2.2", add(st, "e", "elder", 64), LECTOR_OK);
    CHECK_INT("one-2.3", segments(st), 3);
    CHECK_INT("one-2.4", matches(st, "damson OR elder"), 128);
    CHECK("one-2.5", fts_ok(st));
    CHECK("one-2.6", triggers_on(st, "sql/1"));
    lector_store_close(st);

    /* another program reading the file finds them all indexed */
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    long long n = -1;
    if (sqlite3_open_v2(tmp("one.db"), &db, SQLITE_OPEN_READONLY, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM documents_fts WHERE "
                           "documents_fts MATCH 'number'",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    CHECK_INT("one-3.1", n, 320);
}

/* SQL in the middle of the transaction finds the documents indexed, and
 * the update and delete triggers keep the index right. */
static void test_sql_between(void)
{
    lector_store *st = fresh("sql.db", "sql-1.1");
    CHECK_INT("sql-1.2", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("sql-1.3", add(st, "a", "apple", 10), LECTOR_OK);
    CHECK_INT("sql-1.4", matches(st, "apple"), 10);
    CHECK_INT("sql-1.5", add(st, "b", "banana", 10), LECTOR_OK);
    CHECK_INT("sql-1.6",
              lector_store_exec(st, "UPDATE documents SET title = 'tangerine' "
                                    "WHERE uri = 'b/003'"),
              LECTOR_OK);
    CHECK_INT("sql-1.7", matches(st, "title:tangerine"), 1);
    CHECK_INT("sql-1.8", add(st, "c", "cherry", 10), LECTOR_OK);
    CHECK_INT(
        "sql-1.9",
        lector_store_exec(st, "DELETE FROM documents WHERE uri = 'c/004'"),
        LECTOR_OK);
    CHECK_INT("sql-1.10", matches(st, "cherry"), 9);
    /* the triggers are back for SQL that adds documents */
    CHECK("sql-1.11", triggers_on(st, "sql/1"));
    CHECK_INT("sql-1.12", add(st, "d", "damson", 10), LECTOR_OK);
    CHECK_INT("sql-1.13", lector_store_commit(st), LECTOR_OK);
    CHECK("sql-1.14", fts_ok(st));
    CHECK_INT("sql-1.15", matches(st, "number"), 39);
    CHECK_INT("sql-1.16", matches(st, "damson"), 10);
    /* a transaction begun and committed by SQL, by exec and by a statement */
    CHECK_INT("sql-2.1", lector_store_exec(st, "BEGIN"), LECTOR_OK);
    CHECK_INT("sql-2.2", add(st, "e", "elder", 70), LECTOR_OK);
    CHECK_INT("sql-2.3", lector_store_exec(st, "COMMIT"), LECTOR_OK);
    CHECK_INT("sql-2.4", matches(st, "elder"), 70);
    /* (the COMMIT prepared before the documents are added: its step is
     * what indexes them) */
    lector_stmt *c = NULL;
    CHECK_INT("sql-2.5", lector_store_prepare(st, "COMMIT", 6, &c), LECTOR_OK);
    CHECK_INT("sql-2.6", lector_store_exec(st, "BEGIN"), LECTOR_OK);
    CHECK_INT("sql-2.7", add(st, "f", "fig", 70), LECTOR_OK);
    CHECK_INT("sql-2.8", lector_stmt_step(c), 0);
    lector_stmt_free(c);
    CHECK_INT("sql-2.9", matches(st, "fig"), 70);
    CHECK("sql-2.10", fts_ok(st));
    lector_store_close(st);
}

/* A rollback takes the documents away with their pending index; a
 * savepoint's rollback only those added inside it. */
static void test_rollback(void)
{
    lector_store *st = fresh("rb.db", "rb-1.1");
    CHECK_INT("rb-1.2", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("rb-1.3", add(st, "a", "apple", 70), LECTOR_OK);
    CHECK_INT("rb-1.4", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("rb-1.5", add(st, "b", "banana", 70), LECTOR_OK);
    CHECK_INT("rb-1.6", lector_store_rollback(st), LECTOR_OK);
    CHECK_INT("rb-1.7", add(st, "c", "cherry", 5), LECTOR_OK);
    CHECK_INT("rb-1.8", lector_store_commit(st), LECTOR_OK);
    CHECK("rb-1.9", fts_ok(st));
    CHECK_INT("rb-1.10", matches(st, "apple"), 70);
    CHECK_INT("rb-1.11", matches(st, "banana"), 0);
    CHECK_INT("rb-1.12", matches(st, "cherry"), 5);

    CHECK_INT("rb-2.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("rb-2.2", add(st, "d", "damson", 70), LECTOR_OK);
    CHECK_INT("rb-2.3", lector_store_rollback(st), LECTOR_OK);
    CHECK_INT("rb-2.4", count(st, "SELECT count(*) FROM documents"), 75);
    CHECK("rb-2.5", fts_ok(st));
    CHECK("rb-2.6", triggers_on(st, "sql/1"));
    /* a rollback by SQL in the middle: what came before it stays indexed */
    CHECK_INT("rb-3.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("rb-3.2", add(st, "e", "elder", 3), LECTOR_OK);
    CHECK_INT("rb-3.3", lector_store_exec(st, "SAVEPOINT mine"), LECTOR_OK);
    CHECK_INT("rb-3.4", add(st, "f", "fig", 3), LECTOR_OK);
    CHECK_INT("rb-3.5", lector_store_exec(st, "ROLLBACK TO mine"), LECTOR_OK);
    CHECK_INT("rb-3.6", add(st, "g", "grape", 3), LECTOR_OK);
    CHECK_INT("rb-3.7", lector_store_exec(st, "RELEASE mine"), LECTOR_OK);
    CHECK_INT("rb-3.8", lector_store_commit(st), LECTOR_OK);
    CHECK("rb-3.9", fts_ok(st));
    CHECK_INT("rb-3.10", matches(st, "elder OR grape"), 6);
    CHECK_INT("rb-3.11", matches(st, "fig"), 0);
    /* closed with a transaction open: nothing of it stays, and the file
     * opens again with its index whole */
    CHECK_INT("rb-4.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("rb-4.2", add(st, "h", "hazel", 70), LECTOR_OK);
    lector_store_close(st);
    st = NULL;
    CHECK_INT("rb-4.3", lector_store_open(tmp("rb.db"), 0, 0, &st), LECTOR_OK);
    CHECK_INT("rb-4.4", matches(st, "hazel"), 0);
    CHECK("rb-4.5", fts_ok(st));
    lector_store_close(st);
}

/* Triggers that are not lector's fire as before: documents then go in
 * with the triggers. A loop over a query that adds documents goes on
 * through the switching of triggers (SQLite prepares a statement again
 * only when it starts over). */
static void test_other_triggers(void)
{
    lector_store *st = fresh("oth.db", "oth-1.1");
    CHECK_INT("oth-1.2",
              lector_store_exec(
                  st, "CREATE TEMP TABLE seen(uri TEXT); CREATE TEMP TRIGGER "
                      "watch AFTER INSERT ON main.documents BEGIN INSERT INTO "
                      "seen VALUES (new.uri); END"),
              LECTOR_OK);
    CHECK_INT("oth-1.3", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("oth-1.4", add(st, "a", "apple", 70), LECTOR_OK);
    CHECK_INT("oth-1.5", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("oth-1.6", count(st, "SELECT count(*) FROM seen"), 70);
    CHECK_INT("oth-1.7", matches(st, "apple"), 70);
    CHECK_INT("oth-1.8", lector_store_exec(st, "DROP TRIGGER watch"),
              LECTOR_OK);

    /* adding while a query of the connection steps through rows */
    lector_stmt *q = NULL;
    const char *sql = "SELECT uri FROM documents ORDER BY id";
    CHECK_INT("oth-2.1", lector_store_prepare(st, sql, strlen(sql), &q),
              LECTOR_OK);
    CHECK_INT("oth-2.2", lector_store_begin(st), LECTOR_OK);
    int rows = 0, added = 0;
    while (lector_stmt_step(q) == 1) {
        rows++;
        if (rows % 10 == 0 && rows <= 70) {
            char p[32];
            snprintf(p, sizeof p, "loop%d", rows);
            added += add(st, p, "kiwi", 2) == LECTOR_OK ? 2 : 0;
        }
    }
    lector_stmt_free(q);
    CHECK_INT("oth-2.3", lector_store_commit(st), LECTOR_OK);
    CHECK("oth-2.4", rows >= 70);
    CHECK_INT("oth-2.5", matches(st, "kiwi"), added);
    CHECK("oth-2.6", fts_ok(st));
    lector_store_close(st);
}

/* One document a call keeps the trigger (no switching a document); one
 * that comes while documents wait is indexed with them. */
static void test_one_at_a_time(void)
{
    lector_store *st = fresh("single.db", "single-1.1");
    lector_doc d = doc("x/1", "walnut one");
    int64_t id;
    int nw, v;
    CHECK_INT("single-1.2", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("single-1.3", lector_store_add(st, &d, 0, &id, &nw, &v),
              LECTOR_OK);
    CHECK_INT("single-1.4", segments(st), 1);
    d = doc("x/2", "walnut two");
    CHECK_INT("single-1.5", lector_store_add(st, &d, 0, &id, &nw, &v),
              LECTOR_OK);
    CHECK_INT("single-1.6", segments(st), 2);
    CHECK_INT("single-1.7", add(st, "y", "walnut", 5), LECTOR_OK);
    d = doc("x/3", "walnut three");
    CHECK_INT("single-1.8", lector_store_add(st, &d, 0, &id, &nw, &v),
              LECTOR_OK);
    CHECK_INT("single-1.9", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("single-1.10", segments(st), 3);
    CHECK_INT("single-1.11", matches(st, "walnut"), 8);
    CHECK("single-1.12", fts_ok(st));
    lector_store_close(st);
}

int main(void)
{
    if (store_tests_begin() != 0) return 1;
    test_one_statement();
    test_sql_between();
    test_rollback();
    test_other_triggers();
    test_one_at_a_time();
    return store_tests_end();
}
