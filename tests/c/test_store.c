/* Unit tests of the store core: schema and migrations, documents and
 * versions, bulk annotations, transactions, errors that name the path. */
#include "check.h"
#include "lector.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/lector-test-store-XXXXXX";

static const char *tmp(const char *name)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static long long count(lector_store *st, const char *sql)
{
    lector_stmt *s = NULL;
    long long v = -1;
    if (lector_store_prepare(st, sql, strlen(sql), &s) == LECTOR_OK &&
        lector_stmt_step(s) == 1)
        v = lector_stmt_column_int64(s, 0);
    lector_stmt_free(s);
    return v;
}

static lector_doc doc(const char *uri, const char *text)
{
    lector_doc d;
    memset(&d, 0, sizeof d);
    d.uri = uri;
    d.uri_len = strlen(uri);
    d.text = text;
    d.text_len = strlen(text);
    return d;
}

static void test_hash(void)
{
    char h[65];
    lector_store_sha256("", 0, h);
    CHECK_STR(
        "hash-1.1", h,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    lector_store_sha256("abc", 3, h);
    CHECK_STR(
        "hash-1.2", h,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *s56 =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    lector_store_sha256(s56, strlen(s56), h);
    CHECK_STR(
        "hash-1.3", h,
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_open_add(void)
{
    lector_store *st;
    int rc = lector_store_open(tmp("a.db"), 0, -1, &st);
    CHECK_INT("open-1.1", rc, LECTOR_OK);
    CHECK_INT("open-1.2", lector_store_schema_version(st), LECTOR_STORE_SCHEMA);
    CHECK_INT("open-1.3",
              count(st, "SELECT count(*) FROM pragma_journal_mode "
                        "WHERE journal_mode = 'wal'"),
              1);

    int64_t id, id2;
    int is_new, version;
    lector_doc d = doc("news/a.txt", "Aleppo, Ḥalab: \"quoted\" 🙂");
    CHECK_INT("add-1.1", lector_store_add(st, &d, 0, &id, &is_new, &version),
              LECTOR_OK);
    CHECK("add-1.2", id > 0 && is_new == 1 && version == 1);
    CHECK_INT("add-1.3", lector_store_add(st, &d, 0, &id2, &is_new, &version),
              LECTOR_OK);
    CHECK("add-1.4", id2 == id && is_new == 0 && version == 1);
    lector_doc d2 = doc("news/a.txt", "Aleppo, changed");
    CHECK_INT("add-1.5", lector_store_add(st, &d2, 0, &id2, &is_new, &version),
              LECTOR_OK);
    CHECK("add-1.6", id2 != id && is_new == 1 && version == 2);
    CHECK_INT("add-1.7",
              count(st, "SELECT count(*) FROM documents WHERE "
                        "uri = 'news/a.txt#v2' AND version = 2 "
                        "AND base_uri = 'news/a.txt'"),
              1);
    CHECK_INT("add-1.8", count(st, "SELECT count(*) FROM current_documents"),
              1);
    CHECK_INT("add-1.9",
              count(st, "SELECT count(*) FROM documents_fts "
                        "WHERE documents_fts MATCH 'halab'"),
              1);

    lector_doc bad = doc("bad.txt", "ok \xff\xfe here");
    CHECK_INT("add-2.1", lector_store_add(st, &bad, 0, &id2, &is_new, &version),
              LECTOR_EUTF8);
    CHECK("add-2.2",
          strstr(lector_store_errmsg(st), "bad.txt: invalid UTF-8 "
                                          "at byte offset 3") != NULL);
    CHECK_INT("add-2.3", lector_store_depth(st), 0);

    /* Annotations: bulk, checked, all or nothing. */
    enum { N = 10000 };
    lector_span *sp = calloc(N, sizeof *sp);
    for (int i = 0; i < N; i++) {
        sp[i].start = i % 6;
        sp[i].end = i % 6 + 1;
        sp[i].label = i % 2 ? "PLACE" : "ORG";
        sp[i].label_len = strlen(sp[i].label);
        sp[i].entity = "Aleppo";
        sp[i].entity_len = 6;
    }
    int64_t run;
    CHECK_INT("run-1.1", lector_store_begin_run(st, "test", "{\"a\":1}", &run),
              LECTOR_OK);
    CHECK_INT("ann-1.1", lector_store_annotate(st, id, "entity", 6, sp, N, run),
              LECTOR_OK);
    CHECK_INT("ann-1.2", count(st, "SELECT count(*) FROM annotations"), N);
    CHECK_INT("ann-1.3",
              count(st, "SELECT count(*) FROM annotations WHERE "
                        "label = 'PLACE' AND run_id IS NOT NULL"),
              N / 2);
    sp[N - 1].end = 1000; /* past the end of the text */
    CHECK_INT("ann-1.4", lector_store_annotate(st, id, "entity", 6, sp, N, run),
              LECTOR_EINVAL);
    CHECK("ann-1.5", strstr(lector_store_errmsg(st), "span 10000") != NULL);
    CHECK_INT("ann-1.6", count(st, "SELECT count(*) FROM annotations"), N);
    CHECK_INT("ann-1.7", lector_store_annotate(st, 9999, "x", 1, sp, 1, 0),
              LECTOR_EINVAL);
    CHECK("ann-1.8", strstr(lector_store_errmsg(st), "no document") != NULL);
    CHECK_INT("run-1.2", lector_store_finish_run(st, run, "ok"), LECTOR_OK);
    CHECK_INT("run-1.3",
              count(st, "SELECT count(*) FROM runs WHERE status = "
                        "'ok' AND finished IS NOT NULL"),
              1);
    free(sp);

    /* Nested transactions: the inner rollback undoes only its part. */
    lector_doc t1 = doc("t1", "one"), t2 = doc("t2", "two");
    CHECK_INT("tx-1.1", lector_store_begin(st), LECTOR_OK);
    lector_store_add(st, &t1, 0, &id2, &is_new, &version);
    CHECK_INT("tx-1.2", lector_store_begin(st), LECTOR_OK);
    lector_store_add(st, &t2, 0, &id2, &is_new, &version);
    CHECK_INT("tx-1.3", lector_store_depth(st), 2);
    CHECK_INT("tx-1.4", lector_store_rollback(st), LECTOR_OK);
    CHECK_INT("tx-1.5", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("tx-1.6",
              count(st, "SELECT count(*) FROM documents WHERE uri "
                        "IN ('t1', 't2')"),
              1);
    CHECK_INT("tx-1.7", lector_store_commit(st), LECTOR_EINVAL);

    /* Statements: bound text with a NUL comes back byte for byte. */
    lector_stmt *s;
    const char *sql = "SELECT ?1 || 'x', length(CAST(?1 AS BLOB))";
    CHECK_INT("stmt-1.1", lector_store_prepare(st, sql, strlen(sql), &s),
              LECTOR_OK);
    CHECK_INT("stmt-1.2", lector_stmt_bind_text(s, 1, "a\0b", 3), LECTOR_OK);
    CHECK_INT("stmt-1.3", lector_stmt_step(s), 1);
    size_t n = 0;
    const char *p = lector_stmt_column_text(s, 0, &n);
    CHECK("stmt-1.4", n == 4 && memcmp(p, "a\0bx", 4) == 0);
    CHECK_INT("stmt-1.5", lector_stmt_column_int64(s, 1), 3);
    CHECK_INT("stmt-1.6", lector_stmt_step(s), 0);
    lector_stmt_free(s);
    const char *two = "SELECT 1; SELECT 2";
    CHECK_INT("stmt-1.7", lector_store_prepare(st, two, strlen(two), &s),
              LECTOR_EINVAL);
    CHECK("stmt-1.8", s == NULL);

    /* Another connection waits, then reports the lock. */
    lector_store *other;
    CHECK_INT("busy-1.1", lector_store_open(tmp("a.db"), 0, 50, &other),
              LECTOR_OK);
    CHECK_INT("busy-1.2", lector_store_begin(st), LECTOR_OK);
    lector_doc t3 = doc("t3", "three");
    CHECK_INT("busy-1.3",
              lector_store_add(other, &t3, 0, &id2, &is_new, &version),
              LECTOR_EBUSY);
    CHECK("busy-1.4", strstr(lector_store_errmsg(other), "locked") != NULL);
    lector_store_rollback(st);
    CHECK_INT("busy-1.5",
              lector_store_add(other, &t3, 0, &id2, &is_new, &version),
              LECTOR_OK);
    lector_store_close(other);
    lector_store_close(st);
    lector_store_close(NULL);
}

static void test_open_errors(void)
{
    lector_store *st;
    int rc = lector_store_open(tmp("no/such/dir/x.db"), 0, -1, &st);
    CHECK_INT("err-1.1", rc, LECTOR_EIO);
    CHECK("err-1.2", strstr(lector_store_errmsg(st), "does not exist") != NULL);
    lector_store_close(st);

    FILE *f = fopen(tmp("junk.db"), "wb");
    for (int i = 0; i < 200; i++)
        fputs("this is not a database at all\n", f);
    fclose(f);
    rc = lector_store_open(tmp("junk.db"), 0, -1, &st);
    CHECK_INT("err-2.1", rc, LECTOR_EDB);
    CHECK("err-2.2", strstr(lector_store_errmsg(st), "junk.db: not an SQLite "
                                                     "database") != NULL);
    lector_store_close(st);

    /* An SQLite file of someone else's is left alone. */
    sqlite3 *db;
    sqlite3_open(tmp("other.db"), &db);
    sqlite3_exec(db, "CREATE TABLE mine(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    rc = lector_store_open(tmp("other.db"), 0, -1, &st);
    CHECK_INT("err-3.1", rc, LECTOR_EDB);
    CHECK("err-3.2", strstr(lector_store_errmsg(st), "not a lector store"));
    lector_store_close(st);

    /* A newer schema is refused. */
    rc = lector_store_open(tmp("new.db"), 0, -1, &st);
    lector_store_exec(st, "PRAGMA user_version = 99");
    lector_store_close(st);
    rc = lector_store_open(tmp("new.db"), 0, -1, &st);
    CHECK_INT("err-4.1", rc, LECTOR_EDB);
    CHECK("err-4.2", strstr(lector_store_errmsg(st), "newer") != NULL);
    lector_store_close(st);

    rc = lector_store_open(tmp("absent.db"), LECTOR_STORE_READONLY, -1, &st);
    CHECK_INT("err-5.1", rc, LECTOR_EIO);
    CHECK("err-5.2", access(tmp("absent.db"), F_OK) != 0);
    lector_store_close(st);

    /* Read-only files: only meaningful when permissions bind us. */
    rc = lector_store_open(tmp("ro.db"), 0, -1, &st);
    lector_store_close(st);
    chmod(tmp("ro.db"), 0444);
    if (geteuid() == 0) {
        CHECK_SKIP("err-6.1", "running as root: file permissions do not "
                              "apply (the e2e test covers it as nobody)");
    } else {
        rc = lector_store_open(tmp("ro.db"), 0, -1, &st);
        CHECK_INT("err-6.1", rc, LECTOR_EREADONLY);
        lector_store_close(st);
    }
    rc = lector_store_open(tmp("ro.db"), LECTOR_STORE_READONLY, -1, &st);
    CHECK_INT("err-6.2", rc, LECTOR_OK);
    lector_doc d = doc("x", "y");
    int64_t id;
    int is_new, version;
    CHECK_INT("err-6.3", lector_store_add(st, &d, 0, &id, &is_new, &version),
              LECTOR_EREADONLY);
    lector_store_close(st);
}

/* A file as schema version 1 wrote it is migrated in place. */
static void test_migrate(void)
{
    sqlite3 *db;
    sqlite3_open(tmp("v1.db"), &db);
    int rc = sqlite3_exec(
        db,
        "CREATE TABLE documents(id INTEGER PRIMARY KEY, uri TEXT NOT NULL "
        "UNIQUE, hash TEXT NOT NULL, title TEXT, author TEXT, outlet TEXT, "
        "published TEXT, text TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}', "
        "added TEXT);"
        "CREATE TABLE runs(id INTEGER PRIMARY KEY, name TEXT, options TEXT, "
        "version TEXT, started TEXT, finished TEXT, status TEXT);"
        "INSERT INTO documents(uri, hash, text) VALUES ('old.txt', 'h', "
        "'old text');"
        "PRAGMA user_version = 1; PRAGMA application_id = 1279480914;",
        NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT("mig-1.0", rc, SQLITE_OK);
    lector_store *st;
    rc = lector_store_open(tmp("v1.db"), 0, -1, &st);
    CHECK_INT("mig-1.1", rc, LECTOR_OK);
    CHECK_INT("mig-1.2", lector_store_schema_version(st), LECTOR_STORE_SCHEMA);
    CHECK_INT("mig-1.3",
              count(st, "SELECT count(*) FROM documents WHERE "
                        "base_uri = 'old.txt' AND version = 1"),
              1);
    lector_doc d = doc("old.txt", "new text");
    int64_t id;
    int is_new, version;
    CHECK_INT("mig-1.4", lector_store_add(st, &d, 0, &id, &is_new, &version),
              LECTOR_OK);
    CHECK_INT("mig-1.5", version, 2);
    lector_store_close(st);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_hash();
    test_open_add();
    test_open_errors();
    test_migrate();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
