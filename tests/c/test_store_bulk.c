/* Unit tests of the store's long write (lector_store_long_write): the
 * indexes of annotation_rows by label and entity stay out across the
 * transactions it commits and come back at its end; a process killed in
 * the middle leaves committed transactions whole and a store that the
 * next read-write open mends, unless the long write is still alive. */
#include "../../core/store_internal.h"
#define STORE_TEST_DIR "/tmp/lector-test-store-bulk-XXXXXX"
#include "store_check.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

/* The same through a plain SQLite connection (another program reading
 * the file), which mends nothing; with attach (SQL), that run first. */
static long long raw_query(const char *path, const char *attach,
                           const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        (!attach || sqlite3_exec(db, attach, NULL, NULL, NULL) == SQLITE_OK) &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static long long raw_count(const char *path, const char *sql)
{
    return raw_query(path, NULL, sql);
}

static const char indexes[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = "
    "'annotation_rows'";

enum { B = 1000 };
static lector_span spans[B];
static char ents[50][16];

static void make_spans(void)
{
    for (int i = 0; i < 50; i++)
        snprintf(ents[i], sizeof ents[i], "E%d", i);
    for (int i = 0; i < B; i++) {
        lector_span *sp = &spans[i];
        memset(sp, 0, sizeof *sp);
        sp->start = (i * 7919) % 1990;
        sp->end = sp->start + 5;
        sp->label = i % 3 ? "PLACE" : "ORG";
        sp->label_len = strlen(sp->label);
        sp->entity = ents[(i * 31) % 50];
        sp->entity_len = strlen(sp->entity);
    }
}

/* A transaction of `batches` batches of B annotations on doc id. */
static int group(lector_store *st, int64_t id, int batches)
{
    int rc = lector_store_begin(st);
    for (int b = 0; b < batches && !rc; b++)
        rc = lector_store_annotate(st, id, "entity", 6, spans, B, 0);
    if (rc) {
        lector_store_rollback(st);
        return rc;
    }
    return lector_store_commit(st);
}

static lector_store *store_with_doc(const char *name, int64_t *id)
{
    static char body[2000];
    memset(body, 'x', sizeof body - 1);
    lector_store *st = NULL;
    if (lector_store_open(tmp(name), 0, -1, &st) != LECTOR_OK) return st;
    lector_doc d = doc(name, body);
    int is_new, version;
    lector_store_add(st, &d, 0, id, &is_new, &version);
    return st;
}

/* Across commits and SQL the indexes stay out; the end builds them once;
 * queries in the middle are right; another connection does not mend a
 * live long write's store. */
static void test_across_commits(void)
{
    int64_t id = 0;
    lector_store *st = store_with_doc("long.db", &id);
    CHECK("long-1.0", st != NULL && id > 0);
    unsigned before = lector__store_rebuilds(st);
    CHECK_INT("long-1.1", lector_store_long_write(st, 1), LECTOR_OK);
    CHECK_INT("long-1.2", lector_store_long_write(st, 1),
              LECTOR_OK); /* nests */
    int ok = 0;
    for (int g = 0; g < 6; g++)
        ok += group(st, id, 4) == LECTOR_OK;
    CHECK_INT("long-1.3", ok, 6);
    /* Committed, without the two indexes (another program sees it). */
    CHECK_INT("long-1.4", raw_count(tmp("long.db"), indexes), 1);
    CHECK_INT("long-1.5",
              raw_count(tmp("long.db"), "SELECT count(*) FROM annotation_rows"),
              6 * 4 * B);
    /* SQL in the middle: right answers, and the indexes stay out. */
    CHECK_INT("long-1.6",
              count(st, "SELECT count(*) FROM annotations WHERE entity = 'E7'"),
              6 * 4 * B / 50);
    CHECK_INT("long-1.7", count(st, indexes), 1);
    /* Another connection of this process: the long write is alive. */
    lector_store *other = NULL;
    CHECK_INT("long-1.8", lector_store_open(tmp("long.db"), 0, -1, &other),
              LECTOR_OK);
    CHECK_INT("long-1.9", count(other, indexes), 1);
    lector_store_close(other);
    CHECK_INT("long-1.10", lector_store_long_write(st, 0), LECTOR_OK);
    CHECK_INT("long-1.11", count(st, indexes), 1); /* the outer one goes on */
    CHECK_INT("long-1.12", group(st, id, 2), LECTOR_OK);
    CHECK_INT("long-1.13", lector_store_long_write(st, 0), LECTOR_OK);
    CHECK_INT("long-1.14", count(st, indexes), 3);
    CHECK_INT("long-1.15", lector__store_rebuilds(st) - before, 1);
    CHECK_STR("long-1.16", text(st, "PRAGMA integrity_check"), "ok");
    CHECK_INT("long-1.17",
              count(st, "SELECT count(*) FROM annotations WHERE label = 'ORG'"),
              26 * 334);
    CHECK("long-1.18", access(tmp("long.db-lector-bulk"), F_OK) != 0);

    /* A rollback that takes back the DROP: the long write finds the
     * indexes back and goes on correctly; its end leaves them whole. */
    CHECK_INT("long-2.1", lector_store_long_write(st, 1), LECTOR_OK);
    CHECK_INT("long-2.2", lector_store_begin(st), LECTOR_OK);
    for (int b = 0; b < 40; b++)
        lector_store_annotate(st, id, "entity", 6, spans, B, 0);
    CHECK_INT("long-2.3", count(st, indexes), 1);
    CHECK_INT("long-2.4", lector_store_rollback(st), LECTOR_OK);
    CHECK_INT("long-2.5", count(st, indexes), 3);
    CHECK_INT("long-2.6", group(st, id, 1), LECTOR_OK);
    CHECK_INT("long-2.7", lector_store_long_write(st, 0), LECTOR_OK);
    CHECK_INT("long-2.8", count(st, indexes), 3);
    CHECK_STR("long-2.9", text(st, "PRAGMA integrity_check"), "ok");
    CHECK_INT("long-2.10", count(st, "SELECT count(*) FROM annotation_rows"),
              27 * B);

    /* Closing the store ends a long write left open. */
    CHECK_INT("long-3.1", lector_store_long_write(st, 1), LECTOR_OK);
    CHECK_INT("long-3.2", group(st, id, 30), LECTOR_OK);
    CHECK_INT("long-3.3", count(st, indexes), 1);
    lector_store_close(st);
    CHECK_INT("long-3.4", raw_count(tmp("long.db"), indexes), 3);
}

/* Ended early (the -j N writer's last documents): the indexes are built
 * inside the open transaction, the lock goes, what follows keeps them up
 * to date, and the ends still to come (nested ones too) do nothing. */
static void test_end_early(void)
{
    int64_t id = 0;
    lector_store *st = store_with_doc("early.db", &id);
    CHECK("early-1.0", st != NULL && id > 0);
    CHECK_INT("early-1.1", lector_store_long_write_end(st), LECTOR_OK);
    unsigned before = lector__store_rebuilds(st);
    CHECK_INT("early-1.2", lector_store_long_write(st, 1), LECTOR_OK);
    CHECK_INT("early-1.3", lector_store_long_write(st, 1), LECTOR_OK);
    int ok = 0;
    for (int g = 0; g < 6; g++)
        ok += group(st, id, 4) == LECTOR_OK;
    CHECK_INT("early-1.4", ok, 6);
    CHECK_INT("early-1.5", count(st, indexes), 1);
    CHECK("early-1.6", access(tmp("early.db-lector-bulk"), F_OK) == 0);
    CHECK_INT("early-1.7", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("early-1.8",
              lector_store_annotate(st, id, "entity", 6, spans, B, 0),
              LECTOR_OK);
    CHECK_INT("early-1.9", lector_store_long_write_end(st), LECTOR_OK);
    CHECK_INT("early-1.10", count(st, indexes), 3);
    CHECK("early-1.11", access(tmp("early.db-lector-bulk"), F_OK) != 0);
    CHECK_INT("early-1.12",
              lector_store_annotate(st, id, "entity", 6, spans, B, 0),
              LECTOR_OK);
    CHECK_INT("early-1.13", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("early-1.14", group(st, id, 4), LECTOR_OK);
    CHECK_INT("early-1.15", count(st, indexes), 3);
    CHECK_INT("early-1.16", lector_store_long_write(st, 0), LECTOR_OK);
    CHECK_INT("early-1.17", lector_store_long_write(st, 0), LECTOR_OK);
    CHECK_INT("early-1.18", lector__store_rebuilds(st) - before, 1);
    CHECK_STR("early-1.19", text(st, "PRAGMA integrity_check"), "ok");
    CHECK_INT("early-1.20",
              count(st, "SELECT count(*) FROM annotations WHERE label = 'ORG'"),
              30 * 334);
    lector_store_close(st);
    CHECK_INT("early-1.21", raw_count(tmp("early.db"), indexes), 3);
}

/* A process killed in the middle of a long write: what it committed is
 * there, the indexes are out; an open while a long write holds the lock
 * leaves them; the next read-write open with none alive builds them. */
static void test_killed(void)
{
    int64_t id = 0;
    lector_store *st = store_with_doc("killed.db", &id);
    CHECK("killed-1.0", st != NULL && id > 0);
    lector_store_close(st);
    pid_t pid = fork();
    if (pid == 0) {
        lector_store *c = NULL;
        if (lector_store_open(tmp("killed.db"), 0, -1, &c) != LECTOR_OK)
            _exit(1);
        lector_store_long_write(c, 1);
        if (group(c, id, 15) != LECTOR_OK) _exit(1);
        lector_store_begin(c); /* a group in the middle: lost */
        lector_store_annotate(c, id, "entity", 6, spans, B, 0);
        raise(SIGKILL);
        _exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK("killed-1.1", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK_INT("killed-1.2", raw_count(tmp("killed.db"), indexes), 1);
    CHECK_INT(
        "killed-1.3",
        raw_count(tmp("killed.db"), "SELECT count(*) FROM annotation_rows"),
        15 * B);

    /* A live long write (here: its lock held) keeps an open from
     * building them. */
    int fd = open(tmp("killed.db-lector-bulk"), O_RDWR | O_CREAT, 0644);
    CHECK("killed-2.1", fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
    CHECK_INT("killed-2.2", lector_store_open(tmp("killed.db"), 0, -1, &st),
              LECTOR_OK);
    CHECK_INT("killed-2.3", count(st, indexes), 1);
    CHECK_INT("killed-2.4",
              count(st, "SELECT count(*) FROM annotations WHERE entity = 'E3'"),
              15 * B / 50);
    lector_store_close(st);
    close(fd);
    /* Read-only: nothing is written. */
    CHECK_INT(
        "killed-3.1",
        lector_store_open(tmp("killed.db"), LECTOR_STORE_READONLY, -1, &st),
        LECTOR_OK);
    CHECK_INT("killed-3.2", count(st, indexes), 1);
    lector_store_close(st);
    /* The next read-write open mends the store. */
    CHECK_INT("killed-4.1", lector_store_open(tmp("killed.db"), 0, -1, &st),
              LECTOR_OK);
    CHECK_INT("killed-4.2", count(st, indexes), 3);
    CHECK_INT("killed-4.3", raw_count(tmp("killed.db"), indexes), 3);
    CHECK_STR("killed-4.4", text(st, "PRAGMA integrity_check"), "ok");
    CHECK_INT("killed-4.5", count(st, "SELECT count(*) FROM annotation_rows"),
              15 * B);
    CHECK_INT("killed-4.6",
              count(st, "SELECT count(*) FROM annotations WHERE entity = 'E3'"),
              15 * B / 50);
    lector_store_close(st);
}

/* The rows two stores hold that the other does not (id, document, label
 * and entity ids, bytes, attrs, sentence, run): 0 when the same. */
static long long rows_differ(const char *a, const char *b)
{
    char sql[1024];
    const char *cols = "id, doc_id, label_id, entity_id, start_byte, "
                       "end_byte, attrs, sentence, run_id";
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM (SELECT %s FROM annotation_rows "
             "EXCEPT SELECT %s FROM b.annotation_rows)) + (SELECT count(*) "
             "FROM (SELECT %s FROM b.annotation_rows EXCEPT SELECT %s FROM "
             "annotation_rows)) + abs((SELECT count(*) FROM annotation_rows) "
             "- (SELECT count(*) FROM b.annotation_rows)) + (SELECT count(*) "
             "FROM (SELECT * FROM entities EXCEPT SELECT * FROM b.entities))",
             cols, cols, cols, cols);
    char attach[512];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS b", b);
    return raw_query(a, attach, sql);
}

enum { NB = 40 };

/* A writer's groups: NB batches of three documents and two layers, some
 * empty, some out of order, attrs and sentences on some. */
static void make_batches(lector_span_batch *b, const int64_t *ids)
{
    for (int k = 0; k < NB; k++) {
        size_t n = (size_t)((k * 389) % B);
        if (k % 7 == 3) n = 0;
        b[k] = (lector_span_batch){.doc_id = ids[k % 3],
                                   .layer = k % 2 ? "entity" : "other",
                                   .layer_len = k % 2 ? 6 : 5,
                                   .first = (size_t)(B - n) / 2,
                                   .n = n};
    }
}

/* lector_store_annotate_batches stores what lector_store_annotate does
 * batch by batch: the same rows with the same ids, before and after the
 * bulk path goes on (in a long write, and in plain transactions), and
 * refuses what it refuses. */
static void test_batches(void)
{
    for (int i = 0; i < B; i += 3) {
        spans[i].attrs = "{\"k\":1}";
        spans[i].attrs_len = 7;
        spans[i].sentence = i % 11 + 1;
    }
    lector_span_batch b[NB];
    for (int long_write = 1; long_write >= 0; long_write--) {
        const char *names[2] = {long_write ? "one-l.db" : "one.db",
                                long_write ? "many-l.db" : "many.db"};
        for (int way = 0; way < 2; way++) {
            int64_t ids[3] = {0, 0, 0};
            lector_store *st = store_with_doc(names[way], &ids[0]);
            for (int d = 1; d < 3; d++) {
                char uri[16], body[2000];
                snprintf(uri, sizeof uri, "d%d", d);
                memset(body, 'y', sizeof body - 1);
                body[sizeof body - 1] = '\0';
                lector_doc dd = doc(uri, body);
                int is_new, version;
                lector_store_add(st, &dd, 0, &ids[d], &is_new, &version);
            }
            make_batches(b, ids);
            if (long_write) lector_store_long_write(st, 1);
            int rc = LECTOR_OK;
            for (int g = 0; g < 3 && !rc; g++) { /* three groups */
                rc = lector_store_begin(st);
                if (way == 0)
                    for (int k = 0; k < NB && !rc; k++)
                        rc = lector_store_annotate(
                            st, b[k].doc_id, b[k].layer, b[k].layer_len,
                            spans + b[k].first, b[k].n, 0);
                else
                    rc = lector_store_annotate_batches(st, spans, b, NB, 0);
                if (!rc) rc = lector_store_commit(st);
            }
            CHECK_INT(long_write ? "batches-1.1" : "batches-2.1", rc,
                      LECTOR_OK);
            if (long_write) lector_store_long_write(st, 0);
            CHECK_INT(long_write ? "batches-1.2" : "batches-2.2",
                      count(st, indexes), 3);
            lector_store_close(st);
        }
        CHECK_INT(long_write ? "batches-1.3" : "batches-2.3",
                  rows_differ(tmp(names[0]), tmp(names[1])), 0);
        CHECK(long_write ? "batches-1.4" : "batches-2.4",
              raw_count(tmp(names[1]), "SELECT count(*) FROM annotation_rows") >
                  20000);
    }

    /* A span past its document's end: refused, naming it; outside a
     * transaction nothing of the call is stored. */
    int64_t id = 0;
    lector_store *st = store_with_doc("bad.db", &id);
    lector_span bad[3] = {spans[0], spans[1], spans[2]};
    bad[2].end = 5000;
    lector_span_batch two[2] = {
        {.doc_id = id, .layer = "x", .layer_len = 1, .first = 0, .n = 2},
        {.doc_id = id, .layer = "y", .layer_len = 1, .first = 1, .n = 2}};
    CHECK_INT("batches-3.1", lector_store_annotate_batches(st, bad, two, 2, 0),
              LECTOR_EINVAL);
    CHECK("batches-3.2", strstr(lector_store_errmsg(st), "span 2 [") != NULL);
    CHECK_INT("batches-3.3", count(st, "SELECT count(*) FROM annotation_rows"),
              0);
    two[1].layer_len = 0;
    CHECK_INT("batches-3.4",
              lector_store_annotate_batches(st, spans, two, 2, 0),
              LECTOR_EINVAL);
    CHECK_INT("batches-3.5",
              lector_store_annotate_batches(st, spans, two, 1, 0), LECTOR_OK);
    CHECK_INT("batches-3.6", count(st, "SELECT count(*) FROM annotation_rows"),
              2);

    /* The documents' lengths (read through one blob handle, moved from
     * row to row): a span may end at its document's last byte, not past
     * it; a missing document in the middle is named, its handle given up
     * and the next call reads lengths again; inside a transaction, a bad
     * batch leaves nothing of its call stored. */
    lector_span edge[2] = {{.start = 0, .end = 1998},
                           {.start = 0, .end = 1999}};
    lector_span_batch three[3] = {
        {.doc_id = id, .layer = "e", .layer_len = 1, .first = 0, .n = 1},
        {.doc_id = id + 100, .layer = "e", .layer_len = 1, .first = 0, .n = 1},
        {.doc_id = id, .layer = "e", .layer_len = 1, .first = 1, .n = 1}};
    CHECK_INT("batches-4.1", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("batches-4.2",
              lector_store_annotate_batches(st, edge, three, 3, 0),
              LECTOR_EINVAL);
    CHECK("batches-4.3",
          strstr(lector_store_errmsg(st), "no document with id") != NULL);
    CHECK_INT("batches-4.4", count(st, "SELECT count(*) FROM annotation_rows"),
              2);
    three[1].doc_id = id;
    CHECK_INT("batches-4.5",
              lector_store_annotate_batches(st, edge, three, 3, 0), LECTOR_OK);
    CHECK_INT("batches-4.6", lector_store_commit(st), LECTOR_OK);
    CHECK_INT("batches-4.7",
              count(st, "SELECT count(*) FROM annotation_rows "
                        "WHERE end_byte = 1999"),
              1);
    edge[1].end = 2000;
    CHECK_INT("batches-4.8",
              lector_store_annotate_batches(st, edge, three, 3, 0),
              LECTOR_EINVAL);
    CHECK("batches-4.9", strstr(lector_store_errmsg(st), "1999 bytes") != NULL);
    lector_store_close(st);
}

/* Batches whose attrs their caller encoded (attrs_own) go in gathered
 * without SQLite's check of the attrs, on the caller's word; the checks
 * are back for whatever is written next: batches not marked so, the
 * store's SQL. */
static void test_own_attrs(void)
{
    static lector_span mine[B + 1];
    memcpy(mine, spans, sizeof spans);
    for (int i = 0; i <= B; i++) {
        if (i == B) mine[i] = spans[0];
        mine[i].attrs = i < B ? "{\"k\":1}" : "{not json";
        mine[i].attrs_len = strlen(mine[i].attrs);
    }
    int64_t id = 0;
    lector_store *st = store_with_doc("own.db", &id);
    enum { NO = 20 };
    lector_span_batch b[NO];
    /* the first 10,000 rows go in batch by batch (checked), the rest
     * gathered: the text that is no JSON is in those only */
    for (int k = 0; k < NO; k++)
        b[k] = (lector_span_batch){.doc_id = id,
                                   .layer = "entity",
                                   .layer_len = 6,
                                   .first = k < 12 ? 0 : 1,
                                   .n = B,
                                   .attrs_own = 1};
    CHECK_INT("own-1.1", lector_store_long_write(st, 1), LECTOR_OK);
    CHECK_INT("own-1.2", lector_store_begin(st), LECTOR_OK);
    CHECK_INT("own-1.3", lector_store_annotate_batches(st, mine, b, NO, 0),
              LECTOR_OK);
    CHECK_INT("own-1.4",
              count(st, "SELECT count(*) FROM annotation_rows WHERE NOT "
                        "json_valid(attrs)"),
              NO - 12);
    for (int k = 0; k < NO; k++)
        b[k].attrs_own = 0, b[k].first = 1;
    CHECK_INT("own-1.5", lector_store_annotate_batches(st, mine, b, NO, 0),
              LECTOR_EINVAL);
    CHECK("own-1.6", strstr(lector_store_errmsg(st), "json_valid") != NULL);
    CHECK("own-1.7", lector_store_exec(st, "INSERT INTO annotation_rows("
                                           "doc_id, label_id, start_byte, "
                                           "end_byte, attrs) VALUES (1, 1, "
                                           "0, 1, '{no')") != LECTOR_OK);
    CHECK_INT("own-1.8",
              count(st, "SELECT count(*) FROM annotation_rows WHERE NOT "
                        "json_valid(attrs)"),
              NO - 12);
    lector_store_rollback(st);
    lector_store_long_write(st, 0);
    lector_store_close(st);
}

int main(void)
{
    if (store_tests_begin() != 0) return 1;
    make_spans();
    test_across_commits();
    test_end_early();
    test_killed();
    test_batches();
    test_own_attrs();
    return store_tests_end();
}
