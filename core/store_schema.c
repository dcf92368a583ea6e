/* The store's schema and its migrations. PRAGMA user_version is the schema
 * version; migrations[v] takes a file from version v to v + 1 inside one
 * transaction, so a crash mid-migration leaves the old version intact.
 * The README documents every table; change both together. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

/* "LCTR": marks the file as a lector store for file(1) and for us. */
#define STORE_APPLICATION_ID 0x4c435452

/* The indexes of annotation_rows, for the queries analysts run: by layer
 * and label, by entity, by document and position. Migration 2 -> 3
 * creates them; a bulk batch (store_bulk.c) drops two and rebuilds them
 * with these same statements, so a later migration that changes them
 * changes these. */
#define ANN_INDEXES                                                            \
    "CREATE INDEX IF NOT EXISTS annotation_rows_label\n"                       \
    "  ON annotation_rows(label_id);\n"                                        \
    "CREATE INDEX IF NOT EXISTS annotation_rows_entity\n"                      \
    "  ON annotation_rows(entity_id) WHERE entity_id IS NOT NULL;\n"           \
    "CREATE INDEX IF NOT EXISTS annotation_rows_doc\n"                         \
    "  ON annotation_rows(doc_id, start_byte);\n"

/* In the triggers that write through the annotations view: the labels and
 * entities rows that new's names need, when missing. */
#define NEW_NAMES                                                              \
    "  INSERT INTO labels(layer, label) SELECT new.layer, new.label\n"         \
    "    WHERE NOT EXISTS (SELECT 1 FROM labels\n"                             \
    "      WHERE layer = new.layer AND label IS new.label);\n"                 \
    "  INSERT OR IGNORE INTO entities(key) SELECT new.entity\n"                \
    "    WHERE new.entity IS NOT NULL;\n"

/* The view's INSTEAD OF triggers for INSERT and UPDATE: names become
 * ids, new ones added. Migration 2 -> 3 creates them and 4 -> 5 again,
 * with the sentence column (COLS, VALS and SET: what it adds). */
#define ANN_WRITE_TRIGGERS(COLS, VALS, SET)                                    \
    "CREATE TRIGGER annotations_insert INSTEAD OF INSERT ON annotations\n"     \
    "BEGIN\n" NEW_NAMES                                                        \
    "  INSERT INTO annotation_rows(id, doc_id, label_id, entity_id,\n"         \
    "    start_byte, end_byte, attrs, run_id" COLS ")\n"                       \
    "  VALUES (new.id, new.doc_id,\n"                                          \
    "    (SELECT id FROM labels WHERE layer = new.layer\n"                     \
    "      AND label IS new.label),\n"                                         \
    "    (SELECT id FROM entities WHERE key = new.entity),\n"                  \
    "    new.start_byte, new.end_byte, new.attrs, new.run_id" VALS ");\n"      \
    "END;\n"                                                                   \
    "CREATE TRIGGER annotations_update INSTEAD OF UPDATE ON annotations\n"     \
    "BEGIN\n" NEW_NAMES                                                        \
    "  UPDATE annotation_rows SET id = new.id, doc_id = new.doc_id,\n"         \
    "    label_id = (SELECT id FROM labels WHERE layer = new.layer\n"          \
    "      AND label IS new.label),\n"                                         \
    "    entity_id = (SELECT id FROM entities WHERE key = new.entity),\n"      \
    "    start_byte = new.start_byte, end_byte = new.end_byte,\n"              \
    "    attrs = new.attrs, run_id = new.run_id" SET "\n"                      \
    "  WHERE id = old.id;\n"                                                   \
    "END;\n"                                                                   \
    "CREATE TRIGGER annotations_delete INSTEAD OF DELETE ON annotations\n"     \
    "BEGIN\n"                                                                  \
    "  DELETE FROM annotation_rows WHERE id = old.id;\n"                       \
    "END;\n"

const char store_ann_index_create[] = ANN_INDEXES;
/* The bulk path keeps the index by document, which a batch of one
 * document touches only at its end, and builds these two again. */
const char store_ann_index_drop[] = "DROP INDEX annotation_rows_label;\n"
                                    "DROP INDEX annotation_rows_entity;\n";

static const char *const migrations[LECTOR_STORE_SCHEMA] = {
    /* 0 -> 1: the tables, with the column names analysts rely on. */
    "CREATE TABLE documents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  uri TEXT NOT NULL UNIQUE,\n"
    "  hash TEXT NOT NULL,\n"
    "  title TEXT, author TEXT, outlet TEXT, published TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),\n"
    "  added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE TABLE runs(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  options TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),\n"
    "  version TEXT NOT NULL,\n"
    "  started TEXT NOT NULL,\n"
    "  finished TEXT,\n"
    "  status TEXT NOT NULL DEFAULT 'running');\n"
    "CREATE TABLE entities(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  type TEXT,\n"
    "  attrs TEXT CHECK (attrs IS NULL OR json_valid(attrs)));\n"
    "CREATE TABLE annotations(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  layer TEXT NOT NULL,\n"
    "  label TEXT,\n"
    "  entity TEXT,\n"
    "  start_byte INTEGER NOT NULL,\n"
    "  end_byte INTEGER NOT NULL,\n"
    "  attrs TEXT CHECK (attrs IS NULL OR json_valid(attrs)),\n"
    "  run_id INTEGER REFERENCES runs(id),\n"
    "  CHECK (start_byte >= 0 AND end_byte >= start_byte));\n"
    "CREATE INDEX annotations_layer_label ON annotations(layer, label);\n"
    "CREATE INDEX annotations_entity ON annotations(entity)\n"
    "  WHERE entity IS NOT NULL;\n"
    "CREATE INDEX annotations_doc ON annotations(doc_id, start_byte);\n"
    /* External content: the text lives once, in documents. unicode61 with
     * remove_diacritics 2 folds case and accents like lector.text.fold and
     * needs no lector to read: any sqlite3 shell can MATCH it. */
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text,\n"
    "  content='documents', content_rowid='id',\n"
    "  tokenize='unicode61 remove_diacritics 2');\n"
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN\n"
    "  INSERT INTO documents_fts(rowid, title, text)\n"
    "  VALUES (new.id, new.title, new.text);\n"
    "END;\n"
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN\n"
    "  INSERT INTO documents_fts(documents_fts, rowid, title, text)\n"
    "  VALUES ('delete', old.id, old.title, old.text);\n"
    "END;\n"
    "CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN\n"
    "  INSERT INTO documents_fts(documents_fts, rowid, title, text)\n"
    "  VALUES ('delete', old.id, old.title, old.text);\n"
    "  INSERT INTO documents_fts(rowid, title, text)\n"
    "  VALUES (new.id, new.title, new.text);\n"
    "END;\n",

    /* 1 -> 2: versions of a document under one uri, and the run that
     * added each document. */
    "ALTER TABLE documents ADD COLUMN base_uri TEXT;\n"
    "ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"
    "ALTER TABLE documents ADD COLUMN supersedes INTEGER\n"
    "  REFERENCES documents(id);\n"
    "ALTER TABLE documents ADD COLUMN run_id INTEGER REFERENCES runs(id);\n"
    "UPDATE documents SET base_uri = uri;\n"
    "CREATE UNIQUE INDEX documents_base ON documents(base_uri, version);\n"
    "CREATE VIEW current_documents AS\n"
    "  SELECT * FROM documents d WHERE d.version =\n"
    "    (SELECT max(version) FROM documents v\n"
    "     WHERE v.base_uri = d.base_uri);\n",

    /* 2 -> 3: layers, labels and entity keys stored once, as integer
     * ids: annotation_rows and its indexes hold integers, about half the
     * bytes, and inserts compare integers. annotations becomes a view
     * with the same columns, writable through its triggers, so SQL
     * written for version 2 keeps working. (Runs with legacy_alter_table
     * on: see store_migrate.) */
    "CREATE TABLE labels(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  layer TEXT NOT NULL,\n"
    "  label TEXT,\n"
    "  UNIQUE (layer, label));\n"
    "INSERT INTO labels(layer, label)\n"
    "  SELECT DISTINCT layer, label FROM annotations ORDER BY 1, 2;\n"
    /* entities gets an INTEGER PRIMARY KEY: a plain rowid may change in a
     * VACUUM, an id that annotation_rows points at must not. */
    "CREATE TABLE entities_v3(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  key TEXT NOT NULL,\n"
    "  type TEXT,\n"
    "  attrs TEXT CHECK (attrs IS NULL OR json_valid(attrs)));\n"
    "CREATE UNIQUE INDEX entities_key ON entities_v3(key);\n"
    "INSERT INTO entities_v3(key, type, attrs)\n"
    "  SELECT key, type, attrs FROM entities WHERE key IS NOT NULL\n"
    "  ORDER BY rowid;\n"
    "INSERT OR IGNORE INTO entities_v3(key)\n"
    "  SELECT DISTINCT entity FROM annotations WHERE entity IS NOT NULL;\n"
    "CREATE TABLE annotation_rows(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  label_id INTEGER NOT NULL,\n"
    "  entity_id INTEGER,\n"
    "  start_byte INTEGER NOT NULL,\n"
    "  end_byte INTEGER NOT NULL,\n"
    "  attrs TEXT CHECK (attrs IS NULL OR json_valid(attrs)),\n"
    "  run_id INTEGER REFERENCES runs(id),\n"
    "  CHECK (start_byte >= 0 AND end_byte >= start_byte));\n"
    "INSERT INTO annotation_rows(id, doc_id, label_id, entity_id,\n"
    "  start_byte, end_byte, attrs, run_id)\n"
    "  SELECT a.id, a.doc_id, l.id, e.id, a.start_byte, a.end_byte,\n"
    "    a.attrs, a.run_id\n"
    "  FROM annotations a JOIN labels l\n"
    "    ON l.layer = a.layer AND l.label IS a.label\n"
    "  LEFT JOIN entities_v3 e ON e.key = a.entity ORDER BY a.id;\n"
    "DROP TABLE annotations;\n"
    "DROP TABLE entities;\n"
    "ALTER TABLE entities_v3 RENAME TO entities;\n" ANN_INDEXES
    "CREATE VIEW annotations AS\n"
    "  SELECT a.id AS id, a.doc_id AS doc_id, l.layer AS layer,\n"
    "    l.label AS label, e.key AS entity, a.start_byte AS start_byte,\n"
    "    a.end_byte AS end_byte, a.attrs AS attrs, a.run_id AS run_id\n"
    "  FROM annotation_rows a JOIN labels l ON l.id = a.label_id\n"
    "  LEFT JOIN entities e ON e.id = a.entity_id;\n"
    /* Writing through the view: names become ids, new ones added. */
    ANN_WRITE_TRIGGERS("", "", "")
    /* No foreign keys on label_id and entity_id (each would cost a
     * lookup per inserted row); these keep the names of stored
     * annotations from going away, whatever the client's foreign_keys
     * setting. */
    "CREATE TRIGGER labels_keep BEFORE DELETE ON labels\n"
    "  WHEN EXISTS (SELECT 1 FROM annotation_rows WHERE label_id = old.id)\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'labels: annotations use this label; delete "
    "them first');\n"
    "END;\n"
    "CREATE TRIGGER entities_keep BEFORE DELETE ON entities\n"
    "  WHEN EXISTS (SELECT 1 FROM annotation_rows WHERE entity_id = old.id)\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'entities: annotations name this entity; "
    "delete them first');\n"
    "END;\n"
    "CREATE TRIGGER labels_keep_id BEFORE UPDATE OF id ON labels\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'labels: an id cannot change');\n"
    "END;\n"
    "CREATE TRIGGER entities_keep_id BEFORE UPDATE OF id ON entities\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'entities: an id cannot change');\n"
    "END;\n",

    /* 3 -> 4: which runs a recipe made. A recipe run that writes a layer
     * of a document replaces what earlier recipe runs wrote there, while
     * annotations from scripts and SQL (recipe NULL) stay; the runs the
     * built-in recipes made before this version are theirs. */
    "ALTER TABLE runs ADD COLUMN recipe TEXT;\n"
    "UPDATE runs SET recipe = name\n"
    "  WHERE name IN ('ingest', 'entities', 'tag', 'stats', 'report');\n",

    /* 4 -> 5: lean annotation rows. The sentence number, which every
     * tagged annotation carried in its attrs JSON, is an integer column;
     * the view puts it back into attrs (SQL reading attrs.sentence keeps
     * working) and gives it and the span's text (a substring of the
     * document, no longer copied into attrs) as columns. The view's
     * INSTEAD OF triggers go with it and come back. */
    "ALTER TABLE annotation_rows ADD COLUMN sentence INTEGER;\n"
    "UPDATE annotation_rows SET sentence = json_extract(attrs, '$.sentence'),\n"
    "  attrs = nullif(json_remove(attrs, '$.sentence'), '{}')\n"
    "  WHERE json_type(attrs, '$.sentence') = 'integer'\n"
    "    AND json_extract(attrs, '$.sentence') > 0;\n"
    "DROP VIEW annotations;\n"
    "CREATE VIEW annotations AS\n"
    "  SELECT a.id AS id, a.doc_id AS doc_id, l.layer AS layer,\n"
    "    l.label AS label, e.key AS entity, a.start_byte AS start_byte,\n"
    "    a.end_byte AS end_byte,\n"
    "    CASE WHEN a.sentence IS NULL THEN a.attrs\n"
    "      ELSE json_set(coalesce(a.attrs, '{}'), '$.sentence', a.sentence)\n"
    "    END AS attrs,\n"
    "    a.run_id AS run_id, a.sentence AS sentence,\n"
    "    (SELECT CAST(substr(CAST(d.text AS BLOB), a.start_byte + 1,\n"
    "       a.end_byte - a.start_byte) AS TEXT)\n"
    "     FROM documents d WHERE d.id = a.doc_id) AS span_text\n"
    "  FROM annotation_rows a JOIN labels l ON l.id = a.label_id\n"
    "  LEFT JOIN entities e ON e.id = a.entity_id;\n" ANN_WRITE_TRIGGERS(
        ", sentence", ",\n    new.sentence", ", sentence = new.sentence"),
};

static int read_int(lector_store *st, const char *sql, int *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(s, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? LECTOR_OK
                           : store_sqlite_fail(st, rc, "reading the schema");
}

/* Version and ownership checks that need no transaction. */
static int check_version(lector_store *st, int version, int app_id, int tables)
{
    if (version > LECTOR_STORE_SCHEMA)
        return store_fail(st, LECTOR_EDB,
                          "%s: schema version %d is newer than this lector "
                          "(%s) knows (%d); upgrade lector to open it",
                          st->path, version, LECTOR_VERSION,
                          LECTOR_STORE_SCHEMA);
    if (app_id != 0 && app_id != STORE_APPLICATION_ID)
        return store_fail(st, LECTOR_EDB,
                          "%s: an SQLite database of another application "
                          "(application_id %d), not a lector store",
                          st->path, app_id);
    if (version == 0 && tables > 0 && app_id != STORE_APPLICATION_ID)
        return store_fail(st, LECTOR_EDB,
                          "%s: an SQLite database with tables of its own, "
                          "not a lector store; give a new file",
                          st->path);
    return LECTOR_OK;
}

/* The schema objects lector's migrations create up to version, in a
 * private in-memory database. */
static int reference_schema(int version, sqlite3 **out)
{
    *out = NULL;
    if (sqlite3_open_v2(":memory:", out, SQLITE_OPEN_READWRITE, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_exec(*out, "PRAGMA legacy_alter_table=ON", NULL, NULL, NULL);
    for (int v = 0; v < version && v < LECTOR_STORE_SCHEMA; v++)
        if (sqlite3_exec(*out, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
            return -1;
    return 0;
}

#define OBJECTS_SQL                                                            \
    "SELECT type, name, sql FROM sqlite_schema "                               \
    "WHERE type IN ('trigger', 'view') ORDER BY name"

/* Compares the triggers and views of the file with the reference's; on a
 * difference, fails naming the first object that differs. */
static int compare_objects(lector_store *st, sqlite3 *ref)
{
    sqlite3_stmt *a = NULL, *b = NULL;
    int rc = LECTOR_OK;
    if (sqlite3_prepare_v2(st->db, OBJECTS_SQL, -1, &a, NULL) != SQLITE_OK) {
        rc = store_sqlite_fail(st, sqlite3_errcode(st->db),
                               "reading the schema");
        goto done;
    }
    if (sqlite3_prepare_v2(ref, OBJECTS_SQL, -1, &b, NULL) != SQLITE_OK) {
        rc = store_fail(st, LECTOR_ENOMEM, "out of memory");
        goto done;
    }
    /* Both lists are in name order: walk them together. An object the
     * store lacks runs nothing (a store made by an early lector may lack
     * the full-text triggers); one it adds or changes is refused. */
    int rb = sqlite3_step(b);
    for (;;) {
        int ra = sqlite3_step(a);
        if (ra == SQLITE_DONE) break;
        if (ra != SQLITE_ROW) {
            rc = store_sqlite_fail(st, ra, "reading the schema");
            break;
        }
        const char *ta = (const char *)sqlite3_column_text(a, 0);
        const char *na = (const char *)sqlite3_column_text(a, 1);
        const char *sa = (const char *)sqlite3_column_text(a, 2);
        int cmp = -1;
        while (rb == SQLITE_ROW &&
               (cmp = strcmp(na ? na : "",
                             (const char *)sqlite3_column_text(b, 1))) > 0)
            rb = sqlite3_step(b);
        if (rb == SQLITE_ROW && cmp == 0 &&
            strcmp(ta ? ta : "", (const char *)sqlite3_column_text(b, 0)) ==
                0 &&
            strcmp(sa ? sa : "", (const char *)sqlite3_column_text(b, 2)) == 0)
            continue;
        rc = store_fail(st, LECTOR_EDB,
                        "%s: the store's %s %s is not one lector creates; a "
                        "store's triggers and views run inside lector, so "
                        "one that differs is refused (--trust-schema opens "
                        "it anyway)",
                        st->path, ta ? ta : "object", na ? na : "?");
        break;
    }
done:
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    return rc;
}

static int has_table(lector_store *st, const char *name, int *yes)
{
    sqlite3_stmt *s = NULL;
    *yes = 0;
    int rc = sqlite3_prepare_v2(
        st->db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
        -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        *yes = rc == SQLITE_ROW;
        if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? LECTOR_OK
                           : store_sqlite_fail(st, rc, "reading the schema");
}

int store_identify(lector_store *st, int trust)
{
    int version = 0, app_id = 0, tables = 0, docs = 0;
    int rc = read_int(st, "PRAGMA user_version", &version);
    if (!rc) rc = read_int(st, "PRAGMA application_id", &app_id);
    if (!rc) rc = read_int(st, "SELECT count(*) FROM sqlite_schema", &tables);
    if (!rc) rc = check_version(st, version, app_id, tables);
    if (!rc && version > 0) rc = has_table(st, "documents", &docs);
    if (rc) return rc;
    if (version > 0 && !docs)
        return store_fail(st, LECTOR_EDB,
                          "%s: an SQLite database that claims schema version "
                          "%d but has no lector tables, not a lector store",
                          st->path, version);
    if (version == 0 || trust) return LECTOR_OK;
    sqlite3 *ref = NULL;
    if (reference_schema(version, &ref) < 0) {
        sqlite3_close(ref);
        return store_fail(st, LECTOR_ENOMEM,
                          "%s: cannot build lector's schema to compare the "
                          "store's with",
                          st->path);
    }
    rc = compare_objects(st, ref);
    sqlite3_close(ref);
    return rc;
}

int store_migrate(lector_store *st)
{
    int version = 0, app_id = 0, tables = 0;
    int rc = read_int(st, "PRAGMA user_version", &version);
    if (!rc) rc = read_int(st, "PRAGMA application_id", &app_id);
    if (!rc) rc = read_int(st, "SELECT count(*) FROM sqlite_schema", &tables);
    if (!rc) rc = check_version(st, version, app_id, tables);
    if (rc || version == LECTOR_STORE_SCHEMA) return rc;
    if (st->readonly)
        return store_fail(st, LECTOR_EREADONLY,
                          "%s: schema version %d is older than %d and a "
                          "read-only open cannot migrate it; open it once "
                          "read-write",
                          st->path, version, LECTOR_STORE_SCHEMA);
    rc = lector_store_begin(st);
    if (rc) return rc;
    /* Migrations replace tables by building the new one and renaming it:
     * legacy renaming leaves views and triggers (ours and the user's)
     * naming the table alone, so they read the new one. */
    sqlite3_exec(st->db, "PRAGMA legacy_alter_table=ON", NULL, NULL, NULL);
    /* Another process may have migrated while we waited for the lock. */
    rc = read_int(st, "PRAGMA user_version", &version);
    if (!rc) rc = check_version(st, version, app_id, 0);
    for (; !rc && version < LECTOR_STORE_SCHEMA; version++) {
        int src = sqlite3_exec(st->db, migrations[version], NULL, NULL, NULL);
        if (src != SQLITE_OK) {
            char doing[64];
            snprintf(doing, sizeof doing, "migrating schema %d to %d", version,
                     version + 1);
            rc = store_sqlite_fail(st, src, doing);
        }
    }
    if (!rc) {
        char sql[96];
        snprintf(sql, sizeof sql,
                 "PRAGMA user_version=%d; PRAGMA application_id=%d",
                 LECTOR_STORE_SCHEMA, STORE_APPLICATION_ID);
        int src = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
        if (src != SQLITE_OK) rc = store_sqlite_fail(st, src, "migrating");
    }
    sqlite3_exec(st->db, "PRAGMA legacy_alter_table=OFF", NULL, NULL, NULL);
    if (rc) {
        lector_store_rollback(st);
        return rc;
    }
    return lector_store_commit(st);
}
