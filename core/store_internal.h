/* Private to the store's files (store_*.c): the store object, and what
 * each file offers the others, from the base up (store_base.c, then
 * store_schema.c, store_ids.c, store_bulk.c, store_hash.c; store_write.c
 * and store_open.c use them). Not part of the public API. */
#ifndef LECTOR_STORE_INTERNAL_H
#define LECTOR_STORE_INTERNAL_H

#include "common.h"
#include "lector.h"

#include <sqlite3.h>

/* A cache of names to ids (labels.id, entities.id): open addressing,
 * keys copied. A key is two byte strings; b may be absent (blen -1). */
typedef struct store_idslot {
    uint64_t hash;
    int64_t id; /* 0: empty slot */
    char *key;  /* a then b, malloc'd */
    uint32_t alen;
    int32_t blen;
} store_idslot;

typedef struct store_idmap {
    store_idslot *slots;
    size_t cap, used; /* cap is 0 or a power of two */
} store_idmap;

/* One annotation row of a batch, its names resolved to ids; the batch
 * virtual table (store_ids.c) hands these to the INSERT. */
typedef struct store_row {
    int64_t start, end;
    int64_t label_id;
    int64_t entity_id; /* 0: NULL */
    const char *attrs;
    size_t attrs_len;
    int64_t sentence; /* 0: NULL */
    size_t index;     /* position in the caller's array */
    int64_t doc_id;   /* read by store_ids_insert_rows only */
} store_row;

/* What the store tells the bulk-index mode (store_bulk.c). */
enum store_bulk_event {
    STORE_BULK_TX,          /* a transaction begins or ends */
    STORE_BULK_ROLLED_BACK, /* SQLite rolled back (from the rollback hook:
                               runs no SQL); the dropped indexes are back */
    STORE_BULK_SQL,         /* other SQL, or a commit, is about to run: the
                               indexes must be back first */
    STORE_BULK_CHANGED      /* as SQL, from SQL that may change the schema or
                               took back part of the transaction (a
                               savepoint's rollback, exec, a write) */
};

/* The bulk-index mode (store_bulk.c): on while a big batch writes
 * annotation_rows without two of its indexes; whoever runs SQL on the
 * connection first puts them back. In a long write
 * (lector_store_bulk_begin .. end) they stay out across commits and SQL
 * until its end. */
typedef struct store_bulk {
    /* The one way the rest of the store reaches the mode: called, once the mode
     * has run (store_bulk_begin sets it), at every event; an SQLite result code
     * (not OK only when putting the indexes back failed). db is the connection
     * (a statement's, which may outlive its store). */
    int (*hook)(sqlite3 *db, struct store_bulk *b, enum store_bulk_event ev);
    int on;
    unsigned rebuilds;      /* times the indexes were put back */
    int64_t tx_rows;        /* annotations written in this transaction (since
                               the indexes were last put back in it) */
    int64_t tx_base;        /* rows the table held when it began (then); -1 */
    unsigned rebuilds_seen; /* rebuilds when tx_rows began counting */
    int run;     /* long writes begun and not ended (then tx_rows and tx_base
                    count over the whole of it) */
    int stale;   /* in a long write: whether the indexes are out must be
                    looked up (a rollback or SQL may have put them back) */
    int lock_fd; /* while run: the lock it holds on PATH-lector-bulk */
} store_bulk;

/* Documents added without their full-text index, which one statement
 * writes before any other SQL or the commit (store_fts.c). */
typedef struct store_fts {
    int off;       /* the connection's triggers are switched off */
    int pending;   /* documents with ids above `after` are not indexed */
    int64_t after; /* the largest document id when deferring began */
} store_fts;

/* Shared by the store and the statements it prepared (which may outlive
 * it). gen is bumped whenever SQL we do not control may have rolled back
 * or rewritten labels or entities, so the id caches cannot be trusted. */
typedef struct store_shared {
    int refs;
    unsigned gen;
    store_bulk bulk;
    store_fts fts;
    /* The connection's CHECK constraints are off: an insert of rows whose
     * attrs their caller encoded (store_write.c) could not switch them
     * back on; the next SQL does first (store_tell_bulk). */
    int checks_off;

    /* lector_store_set_time_limit: the progress handler's deadline */
    int64_t deadline_ms; /* CLOCK_MONOTONIC ms when statements stop; 0 none */
    int timed_out;       /* a statement stopped at the deadline */
} store_shared;

struct lector_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int trust_schema; /* LECTOR_STORE_TRUST_SCHEMA */
    int busy_ms;
    int depth;          /* open transactions (BEGIN + savepoints) */
    int began;          /* the outermost is our BEGIN, not the caller's */
    sqlite3_stmt *find; /* latest version of a base_uri */
    sqlite3_stmt *insert_doc, *insert_docs; /* 1 row; STORE_ADD_ROWS rows */
    sqlite3_stmt *doc_len;
    sqlite3_stmt *insert_entity;
    sqlite3_stmt *upsert_entity;
    sqlite3_stmt *find_label, *add_label; /* id caches' misses */
    sqlite3_stmt *find_entity, *add_entity;
    sqlite3_stmt *data_version;
    sqlite3_stmt *insert_batch, *insert_rows, *max_ann, *run_exists;
    sqlite3_stmt *max_doc, *own_triggers; /* store_fts.c */
    store_idmap labels, entities;         /* (layer, label) and key -> id */
    store_shared *sh;
    unsigned ids_gen;    /* sh->gen when the caches were last valid */
    int64_t ids_version; /* PRAGMA data_version then */
    /* The document and run the last annotation batch checked, trusted
     * while the id caches are (a writer stores a document's layers in
     * several batches: its text was read again for each). 0: none. */
    int64_t known_doc, known_len, known_run;
    store_row *rows; /* the batch being written */
    size_t rows_cap;
    char err[1024];
};

/* Documents a statement inserts at most (lector_store_add_many). FTS5
 * writes its pending terms out as a new segment at the end of every
 * statement that inserts into documents through the trigger (the foreign
 * keys give each such statement a journal, and FTS5 flushes at its
 * savepoint). One document per statement would make one segment per
 * document, and writing and merging those would dominate ingest; many
 * documents per statement share a segment (tests/bench/RESULTS.md has the
 * measurement), and inside a caller's transaction the whole transaction's
 * documents share one (store_fts.c). */
#define STORE_ADD_ROWS 64

/* Tests only: how many times the indexes a bulk batch dropped were put
 * back on st's connection. */
unsigned lector__store_rebuilds(const lector_store *st);

/* Tests only: whether the CPU has the SHA extensions lector_store_sha256
 * uses, and the hash computed with them (ni 1, when the CPU has them) or
 * with the portable loop (ni 0). */
int lector__sha256_ni(void);
void lector__sha256_with(int ni, const char *s, size_t n, char *out);

/* ---- store_base.c: what every store file builds on ---- */

/* Sets the message from printf-style arguments and returns code. */
#define store_fail(st, code, ...)                                              \
    lector__errorf((st)->err, sizeof(st)->err, code, __VA_ARGS__)

/* Turns the SQLite result rc (not OK/ROW/DONE) into a LECTOR_E* code and a
 * message naming the path, what was being done, and what to do about it. */
int store_sqlite_fail(lector_store *st, int rc, const char *doing);

/* Binds (p, n) as text, or NULL when p is NULL; p must outlive the
 * statement's next reset. */
static inline int store_bind_str(sqlite3_stmt *s, int i, const char *p,
                                 size_t n)
{
    if (!p) return sqlite3_bind_null(s, i);
    return sqlite3_bind_text64(s, i, p, n, SQLITE_STATIC, SQLITE_UTF8);
}

/* Binds the id v, or NULL when v is 0 (no run, no entity). */
static inline int store_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
    return v > 0 ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
}

/* Prepares sql once into *slot (kept until close). */
int store_prepare_cached(lector_store *st, sqlite3_stmt **slot,
                         const char *sql);

/* Runs sql (any number of statements); on failure, the message says what
 * was being done. */
int store_run_sql(lector_store *st, const char *sql, const char *doing);

/* The directory part of path ("." when it has none), into buf. */
void store_dir_of(const char *path, char *buf, size_t cap);

/* Tells the bulk-index mode of ev through its hook, when it has one;
 * an SQLite result code. */
int store_tell_bulk(sqlite3 *db, store_shared *sh, enum store_bulk_event ev);

/* A transaction starts or ends: what the bulk mode counts starts over. */
void store_tx_reset(lector_store *st);

/* Puts back indexes a bulk batch dropped, before SQL of the caller's or a
 * commit reads or keeps the table; changes: the SQL may change the schema
 * or took back part of the transaction (STORE_BULK_CHANGED). */
int store_bulk_restore(lector_store *st, int changes);

/* SQLite's rollback hook (arg: the store): the id caches and the bulk
 * mode learn that SQLite rolled back. */
void store_on_rollback(void *arg);

/* Creates or migrates the schema to LECTOR_STORE_SCHEMA (store_schema.c). */
int store_migrate(lector_store *st);

/* Checks what the file is before anything in it changes: not another
 * application's database, not a version without lector's tables, and
 * (unless trust) triggers and views exactly those lector creates for its
 * version (store_schema.c). */
int store_identify(lector_store *st, int trust);

/* The indexes of annotation_rows as the current schema defines them:
 * DROP statements for those a bulk batch drops, CREATE ... IF NOT EXISTS
 * statements for all (store_schema.c). */
extern const char store_ann_index_drop[], store_ann_index_create[];

/* ---- store_bulk.c: the bulk-index mode ---- */

/* Before a batch of n annotations in a write transaction: sets the hook,
 * and drops the two indexes when the transaction has written enough (sets
 * st->sh->bulk.on);
 * LECTOR_OK unless reading the table's size failed. */
int store_bulk_begin(lector_store *st, size_t n);

/* After a batch of n annotations was written. */
void store_bulk_added(lector_store *st, size_t n);

/* At open (read-write): builds the indexes of annotation_rows a long
 * write killed before its end left out, unless a long write on the file
 * is alive (it holds PATH-lector-bulk locked) or another connection
 * holds the write lock (the next open tries again). Never fails: without
 * them queries are slower, not wrong. */
void store_bulk_recover(lector_store *st);

/* At close: ends a long write left open (building the indexes). */
void store_bulk_close(lector_store *st);

/* ---- store_fts.c: documents indexed when their transaction's adding ends */

/* Before lector_store_add_many writes n documents inside the caller's
 * transaction: from now on documents go in without the trigger that
 * indexes them (unless they are deferred already; not for one document,
 * nor when ids are too large). */
int store_fts_defer(lector_store *st, size_t n);

/* After documents were added (ids and is_new as add_many reports them):
 * LECTOR_OK, unless one whose id is not above those deferred could not be
 * indexed at once. */
int store_fts_added(lector_store *st, const int64_t *ids, const int *is_new,
                    size_t n);

/* From store_tell_bulk: before SQL, a commit or a transaction's start,
 * indexes the deferred documents and switches the triggers back on; after
 * SQLite rolled back, forgets them. An SQLite result code. */
int store_fts_event(sqlite3 *db, store_shared *sh, enum store_bulk_event ev);

/* ---- store_ids.c: labels and entities as integer ids ---- */

/* Registers the batch virtual table (lector_batch) on the connection. */
int store_ids_register(lector_store *st);

/* Forgets every cached id (after a rollback, or SQL we cannot see into). */
void store_ids_clear(lector_store *st);

/* Frees the caches and the row buffer (at close). */
void store_ids_free(lector_store *st);

/* Makes the caches safe to use in the transaction now open: clears them
 * when another connection committed or sh->gen moved since they were
 * filled. */
int store_ids_check(lector_store *st);

/* The id of (layer, label) in labels, and of an entity key in entities,
 * adding the row when missing (a new entity gets type, which may be
 * NULL). Must run inside a write transaction. */
int store_ids_label(lector_store *st, const char *layer, size_t layer_len,
                    const char *label, size_t label_len, int64_t *id);
int store_ids_entity(lector_store *st, const char *key, size_t key_len,
                     const char *type, size_t type_len, int64_t *id);

/* Inserts rows[0..n) for doc_id and run_id (0: NULL) with one step of
 * one statement: INSERT INTO annotation_rows ... SELECT FROM lector_batch
 * (all or none: SQLite undoes the statement on failure). */
int store_ids_insert(lector_store *st, int64_t doc_id, int64_t run_id,
                     const store_row *rows, size_t n);

/* The same, each row for its own doc_id (lector_store_annotate_batches:
 * the batches of many documents in one statement). */
int store_ids_insert_rows(lector_store *st, int64_t run_id,
                          const store_row *rows, size_t n);

#endif
