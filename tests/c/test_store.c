/* Unit tests of the store core: schema and migrations, documents and
 * versions, bulk annotations, transactions, errors that name the path. */
#include "../../core/store_internal.h"
#define STORE_TEST_DIR "/tmp/lector-test-store-XXXXXX"
#include "store_check.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_hash(void)
{
    /* FIPS 180-4's examples, the portable loop and (when the CPU has them)
     * the SHA extensions */
    static const char *const want[] = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"};
    const char *in[] = {
        "", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
    char h[65], id[32];
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "hash-1.%d", i + 1);
        lector_store_sha256(in[i], strlen(in[i]), h);
        CHECK_STR(id, h, want[i]);
        snprintf(id, sizeof id, "hash-2.%d", i + 1);
        lector__sha256_with(0, in[i], strlen(in[i]), h);
        CHECK_STR(id, h, want[i]);
    }
    /* a million 'a's, FIPS 180-4's long example */
    char *big = malloc(1000000);
    memset(big, 'a', 1000000);
    lector_store_sha256(big, 1000000, h);
    CHECK_STR(
        "hash-1.4", h,
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    if (!lector__sha256_ni()) {
        CHECK_SKIP("hash-3", "the CPU has no SHA extensions: the portable "
                             "loop is the only one");
        free(big);
        return;
    }
    /* the SHA extensions against the portable loop: every length through
     * three blocks and their padding cases, random bytes, unaligned */
    unsigned seed = 7;
    for (int i = 0; i < 1000000; i++) {
        seed = seed * 1103515245u + 12345u;
        big[i] = (char)(seed >> 16);
    }
    int same = 0;
    char h2[65];
    for (int n = 0; n <= 200; n++) {
        lector__sha256_with(1, big + 1 + n % 7, (size_t)n, h);
        lector__sha256_with(0, big + 1 + n % 7, (size_t)n, h2);
        same += strcmp(h, h2) == 0;
    }
    CHECK_INT("hash-3.1", same, 201);
    lector__sha256_with(1, big, 999999, h);
    lector__sha256_with(0, big, 999999, h2);
    CHECK_STR("hash-3.2", h, h2);
    free(big);
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
    CHECK("add-2.2", strstr(lector_store_errmsg(st), "bad.txt: invalid UTF-8 "
                                                     "at byte 4") != NULL);
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

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* A file as schema version 1 wrote it, with annotations and entities, is
 * migrated in place to the current version: every annotation reads back
 * the same through the annotations view. */
static void test_migrate(void)
{
    sqlite3 *db;
    sqlite3_open(tmp("v1.db"), &db);
    int rc = exec(
        db,
        "CREATE TABLE documents(id INTEGER PRIMARY KEY, uri TEXT NOT NULL "
        "UNIQUE, hash TEXT NOT NULL, title TEXT, author TEXT, outlet TEXT, "
        "published TEXT, text TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}', "
        "added TEXT);"
        "CREATE TABLE runs(id INTEGER PRIMARY KEY, name TEXT, options TEXT, "
        "version TEXT, started TEXT, finished TEXT, status TEXT);"
        "CREATE TABLE entities(key TEXT PRIMARY KEY, type TEXT, attrs TEXT);"
        "CREATE TABLE annotations(id INTEGER PRIMARY KEY, doc_id INTEGER NOT "
        "NULL REFERENCES documents(id) ON DELETE CASCADE, layer TEXT NOT "
        "NULL, label TEXT, entity TEXT, start_byte INTEGER NOT NULL, end_byte "
        "INTEGER NOT NULL, attrs TEXT, run_id INTEGER REFERENCES runs(id));"
        "CREATE INDEX annotations_layer_label ON annotations(layer, label);"
        "CREATE INDEX annotations_entity ON annotations(entity) WHERE entity "
        "IS NOT NULL;"
        "CREATE INDEX annotations_doc ON annotations(doc_id, start_byte);"
        "INSERT INTO documents(uri, hash, text) VALUES ('old.txt', 'h', "
        "'old text');"
        "INSERT INTO runs VALUES (4, 'tag', '{}', '0.0.1', 'a', 'b', 'ok');"
        "INSERT INTO entities VALUES ('Aleppo', 'PLACE', '{\"pop\":2}');"
        "INSERT INTO annotations VALUES (7, 1, 'entity', 'PLACE', 'Aleppo', "
        "0, 3, '{\"a\":1}', 4), (9, 1, 'entity', 'ORG', 'ISIS', 4, 8, NULL, "
        "4), (12, 1, 'meta', NULL, NULL, 0, 8, NULL, NULL), (13, 1, 'meta', "
        "NULL, NULL, 1, 2, NULL, NULL);"
        "PRAGMA user_version = 1; PRAGMA application_id = 1279480914;");
    const char *rows = "SELECT group_concat(id || '|' || doc_id || '|' || "
                       "layer || '|' || coalesce(label, '-') || '|' || "
                       "coalesce(entity, '-') || '|' || start_byte || '|' || "
                       "end_byte || '|' || coalesce(attrs, '-') || '|' || "
                       "coalesce(run_id, '-'), ' ') FROM (SELECT * FROM "
                       "annotations ORDER BY id)";
    char want[1024] = "";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, rows, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        snprintf(want, sizeof want, "%s", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK_INT("mig-1.0", rc, SQLITE_OK);
    CHECK("mig-1.0b", strlen(want) > 20);

    lector_store *st;
    rc = lector_store_open(tmp("v1.db"), 0, -1, &st);
    CHECK_INT("mig-1.1", rc, LECTOR_OK);
    CHECK_INT("mig-1.2", lector_store_schema_version(st), LECTOR_STORE_SCHEMA);
    CHECK_INT("mig-1.3",
              count(st, "SELECT count(*) FROM documents WHERE "
                        "base_uri = 'old.txt' AND version = 1"),
              1);
    CHECK_STR("mig-1.4", text(st, rows), want);
    CHECK_STR("mig-1.5",
              text(st, "SELECT group_concat(layer || ':' || "
                       "coalesce(label, '-'), ' ') FROM (SELECT * FROM "
                       "labels ORDER BY id)"),
              "entity:ORG entity:PLACE meta:-");
    CHECK_STR("mig-1.6",
              text(st, "SELECT group_concat(key || ':' || coalesce(type, "
                       "'-') || ':' || coalesce(attrs, '-'), ' ') FROM "
                       "(SELECT * FROM entities ORDER BY id)"),
              "Aleppo:PLACE:{\"pop\":2} ISIS:-:-");
    CHECK_STR("mig-1.7", text(st, "PRAGMA integrity_check"), "ok");
    CHECK_INT("mig-1.8",
              count(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    CHECK_INT("mig-1.9",
              count(st, "SELECT count(*) FROM sqlite_schema WHERE "
                        "name LIKE '%v3%' OR sql LIKE '%v3%'"),
              0);
    lector_doc d = doc("old.txt", "new text");
    int64_t id;
    int is_new, version;
    CHECK_INT("mig-1.10", lector_store_add(st, &d, 0, &id, &is_new, &version),
              LECTOR_OK);
    CHECK_INT("mig-1.11", version, 2);
    lector_store_close(st);
    /* Opening it again finds the current version and changes nothing. */
    CHECK_INT("mig-1.12", lector_store_open(tmp("v1.db"), 0, -1, &st),
              LECTOR_OK);
    CHECK_STR("mig-1.13", text(st, rows), want);
    lector_store_close(st);
}

/* Opens (creating) the store file name with one document of text; its id
 * into *id. check_id names the check that the open succeeded. */
static lector_store *store_with_doc(const char *check_id, const char *name,
                                    const char *text, int64_t *id)
{
    lector_store *st;
    CHECK_INT(check_id, lector_store_open(tmp(name), 0, -1, &st), LECTOR_OK);
    lector_doc d = doc(name, text);
    int is_new, version;
    lector_store_add(st, &d, 0, id, &is_new, &version);
    return st;
}

/* Another SQLite client (no lector, foreign keys off as the shell has
 * them) reads and writes annotations through the view; names it gives
 * become labels and entities rows; stored names cannot be deleted. */
static void test_view(void)
{
    int64_t id;
    lector_store *st =
        store_with_doc("view-1.0", "v.db", "Aleppo and al-Bab", &id);
    lector_store_close(st);

    sqlite3 *db;
    sqlite3_open(tmp("v.db"), &db);
    CHECK_INT("view-1.1",
              exec(db, "INSERT INTO annotations(doc_id, layer, label, "
                       "entity, start_byte, end_byte, attrs) VALUES "
                       "(1, 'entity', 'PLACE', 'Aleppo', 0, 6, "
                       "'{\"x\":1}'), (1, 'entity', 'PLACE', 'al-Bab', 11, "
                       "17, NULL), (1, 'note', NULL, NULL, 0, 17, NULL)"),
              SQLITE_OK);
    CHECK_INT("view-1.2",
              exec(db, "INSERT INTO annotations(doc_id, layer, start_byte, "
                       "end_byte, attrs) VALUES (1, 'x', 0, 1, '{bad')"),
              SQLITE_CONSTRAINT);
    CHECK_INT("view-1.3",
              exec(db, "INSERT INTO annotations(doc_id, layer, start_byte, "
                       "end_byte) VALUES (1, NULL, 0, 1)"),
              SQLITE_CONSTRAINT);
    CHECK_INT("view-1.4",
              exec(db, "UPDATE annotations SET label = 'CITY', attrs = "
                       "'{\"y\":2}' WHERE entity = 'al-Bab'"),
              SQLITE_OK);
    CHECK_INT("view-1.5",
              exec(db, "DELETE FROM annotations WHERE layer = 'note'"),
              SQLITE_OK);
    CHECK_INT("view-1.6", exec(db, "DELETE FROM entities WHERE key = 'Aleppo'"),
              SQLITE_CONSTRAINT);
    CHECK_INT("view-1.7", exec(db, "UPDATE labels SET id = 99 WHERE id = 1"),
              SQLITE_CONSTRAINT);
    sqlite3_close(db);

    CHECK_INT("view-2.0", lector_store_open(tmp("v.db"), 0, -1, &st),
              LECTOR_OK);
    CHECK_STR("view-2.1",
              text(st, "SELECT group_concat(layer || ':' || label || ':' || "
                       "entity || ':' || coalesce(attrs, '-'), ' ') FROM "
                       "(SELECT * FROM annotations ORDER BY id)"),
              "entity:PLACE:Aleppo:{\"x\":1} entity:CITY:al-Bab:{\"y\":2}");
    CHECK_INT("view-2.2",
              count(st, "SELECT count(*) FROM annotation_rows WHERE attrs "
                        "IS NOT NULL"),
              2);
    CHECK_STR("view-2.3",
              text(st, "SELECT type FROM entities WHERE key = "
                       "'al-Bab'"),
              "");
    /* Deleting the document takes its annotations. */
    CHECK_INT("view-2.4", lector_store_exec(st, "DELETE FROM documents"),
              LECTOR_OK);
    CHECK_INT("view-2.5", count(st, "SELECT count(*) FROM annotation_rows"), 0);
    /* Unused names can go. */
    CHECK_INT("view-2.6", lector_store_exec(st, "DELETE FROM entities"),
              LECTOR_OK);
    lector_store_close(st);
}

/* Queries by layer and label, by entity, by document and position use
 * the indexes of annotation_rows through the view. */
static void test_plans(void)
{
    lector_store *st;
    CHECK_INT("plan-1.0", lector_store_open(tmp("v.db"), 0, -1, &st),
              LECTOR_OK);
    static const struct {
        const char *id, *sql, *index;
    } cases[] = {
        {"plan-1.1",
         "SELECT * FROM annotations WHERE layer = 'entity' AND label = 'X'",
         "annotation_rows_label"},
        {"plan-1.2", "SELECT * FROM annotations WHERE layer = 'entity'",
         "annotation_rows_label"},
        {"plan-1.3", "SELECT * FROM annotations WHERE entity = 'Aleppo'",
         "annotation_rows_entity"},
        {"plan-1.4",
         "SELECT entity, count(*) FROM annotations WHERE layer = 'entity' "
         "AND entity = 'Aleppo' GROUP BY entity",
         "annotation_rows_entity"},
        {"plan-1.5",
         "SELECT * FROM annotations WHERE doc_id = 3 ORDER BY start_byte",
         "annotation_rows_doc"},
        {"plan-1.6",
         "SELECT * FROM annotations WHERE doc_id = 3 AND start_byte < 100",
         "annotation_rows_doc"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* EXPLAIN QUERY PLAN cannot be a subquery: step it, collect the
         * details. */
        char sql[512];
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", cases[i].sql);
        lector_stmt *s = NULL;
        char plan[1024] = "";
        if (lector_store_prepare(st, sql, strlen(sql), &s) == LECTOR_OK) {
            while (lector_stmt_step(s) == 1) {
                size_t n = 0;
                const char *p = lector_stmt_column_text(s, 3, &n);
                size_t len = strlen(plan);
                snprintf(plan + len, sizeof plan - len, "%.*s; ", (int)n, p);
            }
        }
        lector_stmt_free(s);
        char want[128];
        snprintf(want, sizeof want, "INDEX %s (", cases[i].index);
        if (!strstr(plan, want))
            fprintf(stderr, "%s: plan of %s: %s\n", cases[i].id, cases[i].sql,
                    plan);
        CHECK(cases[i].id, strstr(plan, want) != NULL);
        CHECK(cases[i].id, strstr(plan, "SCAN a") == NULL &&
                               strstr(plan, "SCAN annotation_rows") == NULL);
    }
    lector_store_close(st);
}

static lector_span span(int64_t start, int64_t end, const char *label,
                        const char *entity)
{
    lector_span sp;
    memset(&sp, 0, sizeof sp);
    sp.start = start;
    sp.end = end;
    sp.label = label;
    sp.label_len = label ? strlen(label) : 0;
    sp.entity = entity;
    sp.entity_len = entity ? strlen(entity) : 0;
    return sp;
}

/* Prepares sql and steps it once: what lector_stmt_step returned, or the
 * code of a failed prepare. */
static int step_once(lector_store *st, const char *sql)
{
    lector_stmt *s = NULL;
    int rc = lector_store_prepare(st, sql, strlen(sql), &s);
    if (rc == LECTOR_OK) rc = lector_stmt_step(s);
    lector_stmt_free(s);
    return rc;
}

/* Annotations whose label_id or entity_id names no row. */
static long long dangling(lector_store *st)
{
    return count(st, "SELECT count(*) FROM annotation_rows a WHERE NOT "
                     "EXISTS (SELECT 1 FROM labels l WHERE l.id = "
                     "a.label_id) OR (a.entity_id IS NOT NULL AND NOT EXISTS "
                     "(SELECT 1 FROM entities e WHERE e.id = a.entity_id))");
}

/* The connection caches label and entity ids; whatever takes rows back
 * (a rollback, a savepoint's, another connection deleting) must not leave
 * an annotation pointing at an id that is gone. Rows go in order of
 * position, and a new entity gets the span's type. */
static void test_ids(void)
{
    lector_store *other;
    int64_t id;
    lector_store *st = store_with_doc("ids-1.0", "ids.db", "0123456789", &id);
    lector_span sp[3] = {span(5, 6, "L1", "E1"), span(1, 2, "L1", "E2"),
                         span(3, 4, "L2", NULL)};
    sp[0].type = "PLACE";
    sp[0].type_len = 5;

    /* A full rollback takes back the new names. */
    CHECK_INT("ids-1.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("ids-1.2", lector_store_annotate(st, id, "x", 1, sp, 3, 0),
              LECTOR_OK);
    CHECK_INT("ids-1.3", lector_store_rollback(st), LECTOR_OK);
    CHECK_INT("ids-1.4", lector_store_annotate(st, id, "x", 1, sp, 3, 0),
              LECTOR_OK);
    CHECK_INT("ids-1.5", dangling(st), 0);
    CHECK_INT("ids-1.6", count(st, "SELECT count(*) FROM annotations"), 3);
    CHECK_STR("ids-1.7",
              text(st, "SELECT group_concat(start_byte || coalesce(entity, "
                       "'-'), ' ') FROM (SELECT * FROM annotations ORDER BY "
                       "id)"),
              "1E2 3- 5E1");
    CHECK_STR("ids-1.8",
              text(st, "SELECT group_concat(key || ':' || type, ' ') FROM "
                       "(SELECT * FROM entities ORDER BY id)"),
              "E1:PLACE E2:L1");

    /* A savepoint's rollback, ours and one in plain SQL. */
    lector_span sp2[1] = {span(0, 1, "L3", "E3")};
    CHECK_INT("ids-2.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("ids-2.2", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("ids-2.3", lector_store_annotate(st, id, "y", 1, sp2, 1, 0),
              LECTOR_OK);
    CHECK_INT("ids-2.4", lector_store_rollback(st), LECTOR_OK);
    CHECK_INT("ids-2.5", lector_store_annotate(st, id, "y", 1, sp2, 1, 0),
              LECTOR_OK);
    CHECK_INT("ids-2.6", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("ids-2.7", dangling(st), 0);
    lector_span sp3[1] = {span(0, 1, "L4", "E4")};
    CHECK_INT("ids-2.8", step_once(st, "SAVEPOINT mine"), 0);
    CHECK_INT("ids-2.9", lector_store_annotate(st, id, "z", 1, sp3, 1, 0),
              LECTOR_OK);
    CHECK_INT("ids-2.10", step_once(st, "ROLLBACK TO mine"), 0);
    CHECK_INT("ids-2.11", step_once(st, "RELEASE mine"), 0);
    CHECK_INT("ids-2.12", lector_store_annotate(st, id, "z", 1, sp3, 1, 0),
              LECTOR_OK);
    CHECK_INT("ids-2.13", dangling(st), 0);

    /* Another connection deletes an entity and a label we cached. */
    CHECK_INT("ids-3.1", lector_store_open(tmp("ids.db"), 0, -1, &other),
              LECTOR_OK);
    CHECK_INT("ids-3.2",
              lector_store_exec(other,
                                "DELETE FROM annotation_rows WHERE label_id "
                                "IN (SELECT id FROM labels WHERE layer = "
                                "'z'); DELETE FROM labels WHERE layer = 'z'; "
                                "DELETE FROM entities WHERE key = 'E4'"),
              LECTOR_OK);
    lector_store_close(other);
    CHECK_INT("ids-3.3", lector_store_annotate(st, id, "z", 1, sp3, 1, 0),
              LECTOR_OK);
    CHECK_INT("ids-3.4", dangling(st), 0);
    CHECK_INT("ids-3.5",
              count(st, "SELECT count(*) FROM annotations WHERE layer = 'z' "
                        "AND label = 'L4' AND entity = 'E4'"),
              1);

    /* A batch failing on its attrs inside a transaction leaves nothing. */
    lector_span bad[2] = {span(0, 1, "L5", NULL), span(1, 2, "L5", NULL)};
    bad[0].attrs = "{\"ok\":1}";
    bad[0].attrs_len = strlen(bad[0].attrs);
    bad[1].attrs = "{no";
    bad[1].attrs_len = 3;
    long long before = count(st, "SELECT count(*) FROM annotation_rows");
    CHECK_INT("ids-4.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("ids-4.2", lector_store_annotate(st, id, "w", 1, bad, 2, 0),
              LECTOR_EINVAL);
    CHECK("ids-4.3",
          strstr(lector_store_errmsg(st), "CHECK constraint") != NULL);
    CHECK_INT("ids-4.4", count(st, "SELECT count(*) FROM annotation_rows"),
              before);
    CHECK_INT("ids-4.5",
              count(st, "SELECT count(*) FROM annotation_rows "
                        "WHERE attrs = '{\"ok\":1}'"),
              0);
    CHECK_INT("ids-4.6", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("ids-4.7", lector_store_annotate(st, id, "w", 1, bad, 2, 0),
              LECTOR_EINVAL);
    CHECK_INT("ids-4.8", count(st, "SELECT count(*) FROM annotation_rows"),
              before);
    CHECK_INT("ids-4.9", lector_store_annotate(st, id, "w", 1, bad, 1, 0),
              LECTOR_OK);
    CHECK_STR("ids-4.10",
              text(st, "SELECT attrs FROM annotations WHERE layer = 'w'"),
              "{\"ok\":1}");
    /* A run that does not exist is refused before anything is written. */
    CHECK_INT("ids-5.1", lector_store_annotate(st, id, "w", 1, bad, 1, 4242),
              LECTOR_EINVAL);
    CHECK("ids-5.2", strstr(lector_store_errmsg(st), "no run") != NULL);
    lector_store_close(st);
}

/* The CREATE statements of annotation_rows' indexes, as stored. */
static const char *index_sql(lector_store *st)
{
    return text(st, "SELECT group_concat(sql, '; ') FROM (SELECT sql FROM "
                    "sqlite_schema WHERE type = 'index' AND tbl_name = "
                    "'annotation_rows' ORDER BY name)");
}

static int annotate_n(lector_store *st, int64_t id, const lector_span *sp,
                      size_t n, int batches)
{
    int rc = LECTOR_OK;
    for (int b = 0; b < batches && !rc; b++)
        rc = lector_store_annotate(st, id, "entity", 6, sp, n, 0);
    return rc;
}

/* A transaction writing many annotations drops the indexes of
 * annotation_rows and builds them again before anyone can see the table:
 * SQL in the middle of it, a commit, a rollback all find them as a fresh
 * store has them. */
static void test_bulk(void)
{
    lector_store *st;
    CHECK_INT("bulk-1.0", lector_store_open(tmp("fresh.db"), 0, -1, &st),
              LECTOR_OK);
    char want[2048];
    snprintf(want, sizeof want, "%s", index_sql(st));
    lector_store_close(st);
    CHECK("bulk-1.1", strstr(want, "annotation_rows_entity") != NULL);

    char body[2000];
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    int64_t id;
    st = store_with_doc("bulk-1.2", "bulk.db", body, &id);
    enum { B = 1000, BATCHES = 80 };
    lector_span *sp = calloc(B, sizeof *sp);
    char ents[50][16];
    for (int i = 0; i < 50; i++)
        snprintf(ents[i], sizeof ents[i], "E%d", i);
    for (int i = 0; i < B; i++)
        sp[i] = span((i * 7919) % 1990, (i * 7919) % 1990 + 5,
                     i % 3 ? "PLACE" : "ORG", ents[(i * 31) % 50]);

    /* Rolled back: the indexes are intact. */
    CHECK_INT("bulk-2.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("bulk-2.2", annotate_n(st, id, sp, B, BATCHES), LECTOR_OK);
    /* SQL in the middle of the transaction is planned with the indexes
     * and sees every row. */
    CHECK_INT("bulk-2.3",
              count(st, "SELECT count(*) FROM sqlite_schema WHERE type = "
                        "'index' AND tbl_name = 'annotation_rows'"),
              3);
    CHECK_INT("bulk-2.4",
              count(st, "SELECT count(*) FROM annotations WHERE entity = "
                        "'E7'"),
              (long long)BATCHES * B / 50);
    CHECK_INT("bulk-2.5", annotate_n(st, id, sp, B, BATCHES), LECTOR_OK);
    CHECK_INT("bulk-2.6", lector_store_rollback(st), LECTOR_OK);
    CHECK_STR("bulk-2.7", index_sql(st), want);
    CHECK_INT("bulk-2.8", count(st, "SELECT count(*) FROM annotation_rows"), 0);

    /* Committed: the same indexes, the same answers as row by row. The
     * schema cookie counts the DROP and CREATE INDEX that happened. */
    long long cookie = count(st, "PRAGMA schema_version");
    CHECK_INT("bulk-3.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("bulk-3.2", annotate_n(st, id, sp, B, BATCHES), LECTOR_OK);
    CHECK_INT("bulk-3.3", lector_store_commit(st), LECTOR_OK);
    CHECK("bulk-3.3b", count(st, "PRAGMA schema_version") > cookie);
    CHECK_STR("bulk-3.4", index_sql(st), want);
    CHECK_STR("bulk-3.5", text(st, "PRAGMA integrity_check"), "ok");
    CHECK_INT("bulk-3.6",
              count(st, "SELECT count(*) FROM annotations WHERE layer = "
                        "'entity' AND label = 'ORG'"),
              (long long)BATCHES * 334);
    CHECK_INT("bulk-3.7",
              count(st, "SELECT count(*) FROM annotations WHERE doc_id = 1 "
                        "AND start_byte < 100"),
              count(st, "SELECT count(*) FROM annotation_rows NOT INDEXED "
                        "WHERE doc_id = 1 AND start_byte < 100"));
    /* Every row is there, its names resolved. */
    CHECK_INT("bulk-3.8", count(st, "SELECT count(*) FROM annotations"),
              (long long)BATCHES * B);
    CHECK_INT("bulk-3.9", dangling(st), 0);
    /* A table holding more than a transaction adds keeps its indexes up
     * to date row by row. */
    cookie = count(st, "PRAGMA schema_version");
    CHECK_INT("bulk-4.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("bulk-4.2", annotate_n(st, id, sp, B, BATCHES / 2), LECTOR_OK);
    CHECK_INT("bulk-4.3",
              count(st, "SELECT count(*) FROM sqlite_schema WHERE type = "
                        "'index' AND tbl_name = 'annotation_rows'"),
              3);
    CHECK_INT("bulk-4.4", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("bulk-4.4b", count(st, "PRAGMA schema_version"), cookie);
    CHECK_STR("bulk-4.5", text(st, "PRAGMA integrity_check"), "ok");
    /* On that path a batch is one statement too, its rows taking ids in
     * the order of their start (the spans come scattered), so that the
     * index by document takes them at its end. */
    CHECK_INT("bulk-4.6",
              count(st, "SELECT count(*) FROM (SELECT start_byte, "
                        "lag(start_byte) OVER (ORDER BY id) AS prev FROM "
                        "annotation_rows WHERE id > (SELECT max(id) - 1000 "
                        "FROM annotation_rows)) WHERE start_byte < prev"),
              0);
    CHECK_INT("bulk-4.7",
              count(st, "SELECT count(DISTINCT start_byte) FROM "
                        "annotation_rows WHERE id > (SELECT max(id) - 1000 "
                        "FROM annotation_rows)"),
              count(st, "SELECT count(DISTINCT start_byte) FROM "
                        "annotation_rows WHERE id <= 1000"));
    /* Adding more than the table holds (here 120,000) takes the bulk path
     * again, once past the rows there were. */
    CHECK_INT("bulk-5.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("bulk-5.2", annotate_n(st, id, sp, B, 119), LECTOR_OK);
    CHECK_INT("bulk-5.3", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("bulk-5.4", count(st, "PRAGMA schema_version"), cookie);
    CHECK_INT("bulk-5.5", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("bulk-5.6", annotate_n(st, id, sp, B, 250), LECTOR_OK);
    CHECK_INT("bulk-5.7", lector_store_commit(st), LECTOR_OK);
    CHECK("bulk-5.8", count(st, "PRAGMA schema_version") > cookie);
    CHECK_STR("bulk-5.9", index_sql(st), want);
    CHECK_STR("bulk-5.10", text(st, "PRAGMA integrity_check"), "ok");
    lector_store_close(st);

    /* A loop that annotates and runs SQL in one transaction (a recipe's
     * delete-then-annotate per document): the indexes go when the
     * transaction has added 10,000 rows, come back at the next SQL, and go
     * again only once the rows added since match the table's: 3 rebuilds
     * in 50 turns (at 10,000, 20,000 and 40,000 rows), not one a turn. */
    st = store_with_doc("bulk-6.0", "loop.db", body, &id);
    unsigned before = lector__store_rebuilds(st);
    CHECK_INT("bulk-6.1", lector_store_begin(st), LECTOR_OK);
    int ok = 0;
    for (int turn = 0; turn < 50; turn++) {
        ok += annotate_n(st, id, sp, B, 1) == LECTOR_OK;
        ok += count(st, "SELECT count(*) FROM annotation_rows") ==
              (long long)(turn + 1) * B;
    }
    CHECK_INT("bulk-6.2", ok, 100);
    CHECK_INT("bulk-6.3", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("bulk-6.4", lector__store_rebuilds(st) - before, 3);
    CHECK_STR("bulk-6.5", index_sql(st), want);
    CHECK_STR("bulk-6.6", text(st, "PRAGMA integrity_check"), "ok");
    free(sp);
    lector_store_close(st);
}

/* Documents many at a time: in order, a uri given twice, across the
 * statement's 64 rows, all or nothing. */
static void test_add_many(void)
{
    lector_store *st;
    CHECK_INT("many-0.1", lector_store_open(tmp("many.db"), 0, -1, &st),
              LECTOR_OK);
    enum { N = 150 };
    static char uris[N][16], texts[N][32];
    lector_doc d[N];
    int64_t ids[N];
    int is_new[N], vers[N];
    for (int i = 0; i < N; i++) {
        snprintf(uris[i], sizeof uris[i], "m/%03d", i);
        snprintf(texts[i], sizeof texts[i], "text %d of Ḥalab", i);
        d[i] = doc(uris[i], texts[i]);
    }
    CHECK_INT("many-1.1", lector_store_add_many(st, d, N, 0, ids, is_new, vers),
              LECTOR_OK);
    int right = 0;
    for (int i = 0; i < N; i++) {
        char sql[128];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM documents WHERE id = %lld AND "
                 "uri = 'm/%03d' AND version = 1",
                 (long long)ids[i], i);
        right += is_new[i] == 1 && vers[i] == 1 && count(st, sql) == 1;
    }
    CHECK_INT("many-1.2", right, N);
    CHECK_INT("many-1.3",
              count(st, "SELECT count(*) FROM documents_fts "
                        "WHERE documents_fts MATCH 'halab'"),
              N);
    CHECK_INT("many-1.4", lector_store_depth(st), 0);
    /* the same again: nothing new */
    CHECK_INT("many-1.5", lector_store_add_many(st, d, N, 0, ids, is_new, vers),
              LECTOR_OK);
    CHECK("many-1.6", is_new[0] == 0 && is_new[N - 1] == 0 && vers[7] == 1);
    CHECK_INT("many-1.7", count(st, "SELECT count(*) FROM documents"), N);

    /* a uri twice in one call: unchanged, or the next version */
    lector_doc t[5] = {doc("x", "A"), doc("x", "A"), doc("x", "B"),
                       doc("y", "C"), doc("x", "B")};
    CHECK_INT("many-2.1", lector_store_add_many(st, t, 5, 0, ids, is_new, vers),
              LECTOR_OK);
    CHECK("many-2.2", is_new[0] == 1 && vers[0] == 1);
    CHECK("many-2.3", is_new[1] == 0 && ids[1] == ids[0] && vers[1] == 1);
    CHECK("many-2.4", is_new[2] == 1 && vers[2] == 2 && ids[2] != ids[0]);
    CHECK("many-2.5", is_new[3] == 1 && vers[3] == 1);
    CHECK("many-2.6", is_new[4] == 0 && ids[4] == ids[2] && vers[4] == 2);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM documents WHERE id = %lld AND "
             "uri = 'x#v2' AND supersedes = %lld AND text = 'B'",
             (long long)ids[2], (long long)ids[0]);
    CHECK_INT("many-2.7", count(st, sql), 1);

    /* a document that cannot be stored: refused before anything is
     * written, named by its place and uri */
    long long before = count(st, "SELECT count(*) FROM documents");
    lector_doc b[3] = {doc("ok/1", "fine"), doc("bad/2", "no \xc3("),
                       doc("ok/3", "fine")};
    CHECK_INT("many-3.1", lector_store_add_many(st, b, 3, 0, ids, is_new, vers),
              LECTOR_EUTF8);
    CHECK("many-3.2", strstr(lector_store_errmsg(st),
                             "bad/2: invalid UTF-8 at byte 4") != NULL);
    b[1] = doc("", "x");
    CHECK_INT("many-3.3", lector_store_add_many(st, b, 3, 0, ids, is_new, vers),
              LECTOR_EINVAL);
    CHECK("many-3.4",
          strstr(lector_store_errmsg(st), "document 2 empty uri") != NULL);
    CHECK_INT("many-3.5", count(st, "SELECT count(*) FROM documents"), before);
    CHECK("many-3.6", ids[0] == 0 && is_new[0] == 0);
    CHECK_INT("many-3.7",
              lector_store_add_many(st, NULL, 0, 0, ids, is_new, vers),
              LECTOR_OK);

    /* a hash the caller computed (-j N workers) is stored as given and
     * finds the same text again; one that is not 64 lowercase hex digits
     * is refused before anything is written */
    char h[65];
    lector_store_sha256("hashed", 6, h);
    lector_doc hd[2] = {doc("hash/1", "hashed"), doc("hash/2", "hashed")};
    hd[0].hash = h;
    CHECK_INT("many-4.1",
              lector_store_add_many(st, hd, 2, 0, ids, is_new, vers),
              LECTOR_OK);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM documents WHERE uri LIKE 'hash/%%' AND "
             "hash = '%s'",
             h);
    CHECK_INT("many-4.2", count(st, sql), 2);
    CHECK_INT("many-4.3",
              lector_store_add_many(st, hd, 1, 0, ids, is_new, vers),
              LECTOR_OK);
    CHECK("many-4.4", is_new[0] == 0);
    before = count(st, "SELECT count(*) FROM documents");
    lector_doc bad = doc("hash/3", "x");
    bad.hash = "ABC";
    CHECK_INT("many-4.5",
              lector_store_add_many(st, &bad, 1, 0, ids, is_new, vers),
              LECTOR_EINVAL);
    CHECK("many-4.6",
          strstr(lector_store_errmsg(st), "64 lowercase hex") != NULL);
    char upper[65];
    memcpy(upper, h, 65);
    upper[0] = upper[0] >= 'a' ? 'A' : upper[0] == '0' ? 'g' : 'G';
    bad.hash = upper;
    CHECK_INT("many-4.7",
              lector_store_add_many(st, &bad, 1, 0, ids, is_new, vers),
              LECTOR_EINVAL);
    CHECK_INT("many-4.8", count(st, "SELECT count(*) FROM documents"), before);

    /* random calls against one document at a time: 600 documents over
     * 25 uris and 3 texts each, in calls of 1 to 150 (across the
     * statement's 64 rows, a uri often twice in a call), give the same
     * ids, versions and rows as lector_store_add one by one */
    lector_store *seq;
    CHECK_INT("many-5.0", lector_store_open(tmp("many1.db"), 0, -1, &seq),
              LECTOR_OK);
    lector_store *bat;
    CHECK_INT("many-5.1", lector_store_open(tmp("manyb.db"), 0, -1, &bat),
              LECTOR_OK);
    enum { R = 600 };
    static char ru[R][16], rt[R][16];
    static lector_doc rd[R];
    static int64_t id1[R], idb[R];
    static int new1[R], newb[R], ver1[R], verb[R];
    unsigned seed = 12345;
    for (int i = 0; i < R; i++) {
        seed = seed * 1103515245u + 12345u;
        snprintf(ru[i], sizeof ru[i], "u/%u", (seed >> 16) % 25);
        seed = seed * 1103515245u + 12345u;
        snprintf(rt[i], sizeof rt[i], "text %u", (seed >> 16) % 3);
        rd[i] = doc(ru[i], rt[i]);
        lector_store_add(seq, &rd[i], 0, &id1[i], &new1[i], &ver1[i]);
    }
    int calls_ok = 1;
    for (int i = 0; i < R;) {
        seed = seed * 1103515245u + 12345u;
        int k = 1 + (int)((seed >> 16) % 150);
        if (k > R - i) k = R - i;
        calls_ok &= lector_store_add_many(bat, rd + i, (size_t)k, 0, idb + i,
                                          newb + i, verb + i) == LECTOR_OK;
        i += k;
    }
    CHECK("many-5.2", calls_ok);
    int agree = 0;
    for (int i = 0; i < R; i++)
        agree += id1[i] == idb[i] && new1[i] == newb[i] && ver1[i] == verb[i];
    CHECK_INT("many-5.3", agree, R);
    char attach[300];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS seq", tmp("many1.db"));
    CHECK_INT("many-5.4", lector_store_exec(bat, attach), LECTOR_OK);
    /* the same rows both ways round (EXCEPT: rows of one missing from the
     * other) */
    CHECK_INT("many-5.5",
              count(bat, "SELECT count(*) FROM (SELECT id, uri, base_uri, "
                         "version, supersedes, hash FROM main.documents "
                         "EXCEPT SELECT id, uri, base_uri, version, "
                         "supersedes, hash FROM seq.documents)"),
              0);
    CHECK_INT("many-5.6",
              count(bat, "SELECT count(*) FROM (SELECT id, uri, base_uri, "
                         "version, supersedes, hash FROM seq.documents "
                         "EXCEPT SELECT id, uri, base_uri, version, "
                         "supersedes, hash FROM main.documents)"),
              0);
    CHECK("many-5.7", count(bat, "SELECT count(*) FROM documents") > 25);
    lector_store_close(seq);
    lector_store_close(bat);

    /* a statement failing after an earlier one of the same call wrote its
     * 64 rows (a constraint: LECTOR_EINVAL): none of the call's documents
     * stay, inside a transaction of the caller's as on their own */
    CHECK_INT("many-4.1",
              lector_store_exec(st, "CREATE TRIGGER boom BEFORE INSERT ON "
                                    "documents WHEN new.base_uri = 'm/069' "
                                    "BEGIN SELECT RAISE(ABORT, 'boom'); END"),
              LECTOR_OK);
    for (int i = 0; i < N; i++)
        snprintf(texts[i], sizeof texts[i], "changed %d", i);
    for (int i = 0; i < N; i++)
        d[i] = doc(uris[i], texts[i]);
    CHECK_INT("many-4.2",
              lector_store_add_many(st, d, 70, 0, ids, is_new, vers),
              LECTOR_EINVAL);
    CHECK("many-4.3", strstr(lector_store_errmsg(st), "boom") != NULL);
    CHECK_INT("many-4.4", count(st, "SELECT count(*) FROM documents"), before);
    CHECK("many-4.5", ids[0] == 0 && is_new[0] == 0 && vers[0] == 0);
    CHECK_INT("many-4.6", lector_store_begin(st), LECTOR_OK);
    lector_doc one = doc("z", "kept");
    CHECK_INT("many-4.7", lector_store_add(st, &one, 0, ids, is_new, vers),
              LECTOR_OK);
    CHECK_INT("many-4.8",
              lector_store_add_many(st, d, 70, 0, ids, is_new, vers),
              LECTOR_EINVAL);
    /* one document inside a transaction goes without a savepoint: its
     * failed INSERT undoes itself and the transaction goes on */
    CHECK_INT("many-4.9", lector_store_add(st, &d[69], 0, ids, is_new, vers),
              LECTOR_EINVAL);
    CHECK_INT("many-4.10", lector_store_depth(st), 1);
    CHECK_INT("many-4.11", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("many-4.12", count(st, "SELECT count(*) FROM documents"),
              before + 1);
    CHECK_INT("many-4.13",
              count(st, "SELECT count(*) FROM documents WHERE uri = 'z'"), 1);
    lector_store_close(st);
}

/* The texts' byte lengths read from the rows' headers: multibyte text
 * counted in bytes, a long text over overflow pages, a missing id -1. */
static void test_text_lengths(void)
{
    lector_store *st;
    CHECK_INT("len-1.1", lector_store_open(tmp("len.db"), 0, -1, &st),
              LECTOR_OK);
    static char big[100000];
    memset(big, 'x', sizeof big - 1);
    lector_doc a = doc("a", "Ḥalab 🙂"), b = doc("b", big);
    int64_t ids[3] = {0, 0, 999};
    int is_new, version;
    lector_store_add(st, &a, 0, &ids[0], &is_new, &version);
    lector_store_add(st, &b, 0, &ids[1], &is_new, &version);
    int64_t lens[3] = {0, 0, 0};
    CHECK_INT("len-1.2", lector_store_text_lengths(st, ids, 3, lens),
              LECTOR_OK);
    CHECK_INT("len-1.3", lens[0], (int64_t)strlen("Ḥalab 🙂"));
    CHECK_INT("len-1.4", lens[1], (int64_t)sizeof big - 1);
    CHECK_INT("len-1.5", lens[2], -1);
    CHECK_INT("len-1.6", lector_store_text_lengths(st, NULL, 1, lens),
              LECTOR_EINVAL);
    CHECK_INT("len-1.7", lector_store_text_lengths(st, ids, 0, NULL),
              LECTOR_OK);
    lector_store_close(st);
}

int main(void)
{
    if (store_tests_begin() != 0) return 1;
    test_text_lengths();
    test_hash();
    test_open_add();
    test_add_many();
    test_open_errors();
    test_migrate();
    test_view();
    test_plans();
    test_ids();
    test_bulk();
    return store_tests_end();
}
