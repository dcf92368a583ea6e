/* Private to the store's files (store.c, store_write.c, store_schema.c):
 * the store object and its error helpers. Not part of the public API. */
#ifndef LECTOR_STORE_INTERNAL_H
#define LECTOR_STORE_INTERNAL_H

#include "lector.h"

#include <sqlite3.h>

struct lector_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int busy_ms;
    int depth;          /* open transactions (BEGIN + savepoints) */
    int began;          /* the outermost is our BEGIN, not the caller's */
    sqlite3_stmt *find; /* latest version of a base_uri */
    sqlite3_stmt *insert_doc;
    sqlite3_stmt *doc_len;
    sqlite3_stmt *insert_ann;
    sqlite3_stmt *insert_entity;
    sqlite3_stmt *upsert_entity;
    char err[1024];
};

/* Sets the message from printf-style arguments and returns code. */
int store_fail(lector_store *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Turns the SQLite result rc (not OK/ROW/DONE) into a LECTOR_E* code and a
 * message naming the path, what was being done, and what to do about it. */
int store_sqlite_fail(lector_store *st, int rc, const char *doing);

/* Prepares sql once into *slot (kept until close). */
int store_prepare_cached(lector_store *st, sqlite3_stmt **slot,
                         const char *sql);

/* Creates or migrates the schema to LECTOR_STORE_SCHEMA (store_schema.c). */
int store_migrate(lector_store *st);

#endif
