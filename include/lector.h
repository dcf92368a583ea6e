/*
 * lector.h — the public C API of lector's core, and the LuaJIT FFI contract.
 *
 * Conventions (they hold for every function below unless it says otherwise):
 *
 *  - Text is UTF-8. "(s, n)" means the bytes s[0..n-1]; s need not be
 *    NUL-terminated and may contain NUL bytes.
 *  - Byte ranges are 0-based and half-open: [start, end). The Lua layer
 *    turns them into 1-based inclusive positions, so that in Lua
 *    s:sub(t.start, t.stop) is the token's text.
 *  - Functions that can fail return an int: LECTOR_OK (0) on success or a
 *    negative LECTOR_E* code. Objects that can fail keep a readable message
 *    of their last failure, fetched with lector_<object>_errmsg(obj); the
 *    string belongs to the object and stays valid until its next call.
 *  - Constructors (lector_*_new, lector_*_open) return a new object or NULL;
 *    the caller frees it with the matching lector_*_free / lector_*_close.
 *    Every free/close function accepts NULL and does nothing.
 *  - Results returned through "char **out" are freshly malloc'ed and owned
 *    by the caller (release with lector_free); results returned as
 *    "const char *" are borrowed and must not be freed.
 *  - The core never prints, never exits, never aborts on bad input, and
 *    never calls back into Lua.
 *
 * The block between LECTOR_FFI_BEGIN and LECTOR_FFI_END is extracted by the
 * build into scripts/lector/cdef.lua for ffi.cdef: keep it free of
 * preprocessor directives and of types the FFI does not know.
 */
#ifndef LECTOR_H
#define LECTOR_H

#include <stddef.h>
#include <stdint.h>

#define LECTOR_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* LECTOR_FFI_BEGIN */

/* ---- common ---------------------------------------------------------- */

enum {
    LECTOR_OK = 0,
    LECTOR_ENOMEM = -1,   /* out of memory */
    LECTOR_EINVAL = -2,   /* bad argument (misuse by the caller) */
    LECTOR_EUTF8 = -3,    /* invalid UTF-8 in the input */
    LECTOR_EIO = -4,      /* reading or writing a file failed */
    LECTOR_EFORMAT = -5,  /* malformed input data (gazetteer line, pattern) */
    LECTOR_ELIMIT = -6,   /* input exceeds a documented limit */
    LECTOR_EDB = -7,      /* the database reported an error */
    LECTOR_EBUSY = -8,    /* the database is locked by another process */
    LECTOR_EREADONLY = -9 /* the database or file is read-only */
};

/* The library version, "MAJOR.MINOR.PATCH"; a static string. */
const char *lector_version(void);

/* A static, readable name for a LECTOR_E* code ("out of memory", ...). */
const char *lector_strerror(int code);

/* Releases memory the core handed to the caller through "char **out". */
void lector_free(void *p);

/* LECTOR_TEXT_BEGIN (owned by the text core: text.c, intern.c, token.c,
 * sentence.c) */

/* -- text: validation, normalization, folding, offsets (text.c) -- */

/* Checks (s, n) is valid UTF-8. Returns LECTOR_OK, or LECTOR_EUTF8 with
 * *bad_offset set to the byte offset of the first invalid sequence and
 * *reason to a static description. bad_offset and reason may be NULL. */
int lector_utf8_check(const char *s, size_t n, size_t *bad_offset,
                      const char **reason);

/* Replaces every invalid sequence of (s, n) with U+FFFD. *out receives a
 * fresh NUL-terminated copy of *out_n bytes; *repairs the count of
 * replacements (0 when s was valid). */
int lector_utf8_repair(const char *s, size_t n, char **out, size_t *out_n,
                       size_t *repairs);

enum { LECTOR_NFC = 0, LECTOR_NFD = 1, LECTOR_NFKC = 2, LECTOR_NFKD = 3 };

/* Unicode normalization of valid UTF-8 (s, n) into a fresh *out. */
int lector_normalize(const char *s, size_t n, int form, char **out,
                     size_t *out_n);

/* The matching key of (s, n): NFKC, case folded, combining marks removed,
 * typographic apostrophes and quotes unified to ' and ", dashes unified
 * to -. Defines equality for gazetteers and patterns. Fresh *out. */
int lector_fold(const char *s, size_t n, char **out, size_t *out_n);

/* Offsets: the byte offset of the character with 0-based index ci (n if
 * ci is past the end), and the character index of byte offset bi (which
 * is rounded down to the start of its character). */
size_t lector_char_to_byte(const char *s, size_t n, size_t ci);
size_t lector_byte_to_char(const char *s, size_t n, size_t bi);

/* -- intern: symbol table of normalized forms (intern.c) -- */

typedef struct lector_intern lector_intern;

lector_intern *lector_intern_new(void);
void lector_intern_free(lector_intern *in);

/* Returns the id (>= 1) of (s, n), adding it when new; 0 when out of
 * memory. Ids are dense: 1..lector_intern_count(in). */
int32_t lector_intern_add(lector_intern *in, const char *s, size_t n);

/* Returns the id of (s, n) or 0 when it was never added. */
int32_t lector_intern_find(const lector_intern *in, const char *s, size_t n);

/* The bytes of id (borrowed, NUL-terminated) and their length; NULL for
 * an unknown id. */
const char *lector_intern_str(const lector_intern *in, int32_t id, size_t *len);
size_t lector_intern_count(const lector_intern *in);

/* -- token: tailored UAX #29 word segmentation (token.c) -- */

enum lector_token_kind {
    LECTOR_TK_WORD = 1,
    LECTOR_TK_NUMBER = 2,
    LECTOR_TK_PUNCT = 3,
    LECTOR_TK_SYMBOL = 4,
    LECTOR_TK_URL = 5,
    LECTOR_TK_EMAIL = 6,
    LECTOR_TK_CLITIC = 7, /* 's n't 're 'll ... split off a word */
    LECTOR_TK_OTHER = 8,  /* emoji, pictographs, unassigned */
    LECTOR_TK_SPACE = 9   /* white space: only with LECTOR_TOK_UAX29 */
};

enum lector_token_flag {
    LECTOR_TF_CAP = 1 << 0,           /* first letter is upper case */
    LECTOR_TF_UPPER = 1 << 1,         /* every letter is upper case (>= 1) */
    LECTOR_TF_DIGIT = 1 << 2,         /* contains a digit */
    LECTOR_TF_HYPHEN_JOINED = 1 << 3, /* part of, or the hyphen inside, a
                                         hyphenated word: Al-Bab */
    LECTOR_TF_ABBREV = 1 << 4,        /* an abbreviation with periods: U.S. */
    LECTOR_TF_SPACE_BEFORE = 1 << 5,  /* whitespace precedes the token */
    LECTOR_TF_LINE_END = 1 << 6,      /* a line break follows the token */
    LECTOR_TF_PARA_END = 1 << 7,      /* a blank line follows the token */
    LECTOR_TF_NONASCII = 1 << 8,      /* contains a non-ASCII byte */
    LECTOR_TF_TERMINAL = 1 << 9       /* punctuation made only of . ? ! and
                                         U+2026 (and fullwidth ! ? .): what
                                         may end a sentence */
};

/* One token: 16 bytes, read in place by Lua through the FFI. */
typedef struct lector_token {
    uint32_t start; /* byte offset of the first byte */
    uint32_t end;   /* byte offset one past the last byte */
    int32_t norm;   /* intern id of lector_fold(text) */
    uint16_t flags; /* LECTOR_TF_* */
    uint8_t kind;   /* LECTOR_TK_* */
    uint8_t reserved;
} lector_token;

/* A growable token array owned by the caller; reused across documents. */
typedef struct lector_tokens {
    lector_token *tok;
    size_t n;
    size_t cap;
} lector_tokens;

enum {
    LECTOR_TOK_UAX29 = 1 << 0,   /* untailored UAX #29 segments, every one of
                                    them, white space too (LECTOR_TK_SPACE) */
    LECTOR_TOK_NO_FAST = 1 << 1, /* disable the ASCII fast path (testing) */
    LECTOR_TOK_NO_NORM = 1 << 2  /* skip norms: every token's norm is 0 */
};

typedef struct lector_tokenizer lector_tokenizer;

/* A tokenizer interning norms into in (borrowed: in must outlive it). */
lector_tokenizer *lector_tokenizer_new(lector_intern *in);
void lector_tokenizer_free(lector_tokenizer *tk);
const char *lector_tokenizer_errmsg(const lector_tokenizer *tk);

/* The process-wide tokenizer and its intern table: created on the first
 * call (NULL when out of memory), owned by the library and freed at exit
 * (never free them). Lua's lector.token.default() returns these, so norm
 * ids agree across documents, gazetteers and patterns. Not thread-safe on
 * the first call. */
lector_tokenizer *lector_tokenizer_default(void);
/* The intern table tk interns into (borrowed). */
lector_intern *lector_tokenizer_intern(const lector_tokenizer *tk);

/* Adds an abbreviation kept whole with its period ("Gen.", "approx."):
 * at most 64 bytes, ending in '.', no white space (else LECTOR_EINVAL).
 * Such abbreviations never end a sentence by their period. */
int lector_tokenizer_add_abbrev(lector_tokenizer *tk, const char *s, size_t n);

/* Tokenizes valid UTF-8 (s, n) into out (cleared first; its array is
 * reused and grown as needed). opts: LECTOR_TOK_* flags. n must be below
 * 4 GiB (LECTOR_ELIMIT). Invalid UTF-8 gives LECTOR_EUTF8 and the errmsg
 * "invalid UTF-8 at byte OFFSET: REASON" (0-based offset of the first
 * invalid sequence) and leaves out empty. The tailoring rules are in README.md
 * ("Text"). */
int lector_tokenize(lector_tokenizer *tk, const char *s, size_t n,
                    unsigned opts, lector_tokens *out);

void lector_tokens_init(lector_tokens *t);
void lector_tokens_release(lector_tokens *t); /* frees t->tok, keeps t */

/* Hands t's array to tk for reuse and leaves t empty, as after
 * lector_tokens_init. tk keeps up to 64 MiB of arrays, by size, and frees
 * the rest (all of them with tk). lector_tokenize takes a kept array big
 * enough for the text when its output has none: a caller that makes a
 * fresh lector_tokens per document (the Lua binding) does not pay for
 * fresh memory each time. */
void lector_tokenizer_recycle(lector_tokenizer *tk, lector_tokens *t);

/* -- sentence: sentence boundaries over tokens (sentence.c) -- */

typedef struct lector_sentence {
    uint32_t first; /* index of the first token */
    uint32_t last;  /* index of the last token (inclusive) */
} lector_sentence;

/* Splits toks (made from (s, n) by tk) into sentences: *out receives a
 * fresh array (lector_free) of *count sentences that partition the tokens
 * in order; NULL and 0 when there are no tokens. LECTOR_EINVAL when a
 * token lies outside (s, n). */
int lector_sentences(const lector_tokenizer *tk, const char *s, size_t n,
                     const lector_tokens *toks, lector_sentence **out,
                     size_t *count);

/* LECTOR_TEXT_END */

/* LECTOR_STORE_BEGIN (owned by store.c) */

/* -- store: the SQLite corpus store (store.c, store_write.c) --
 *
 * One SQLite file holds documents, annotations, entities and runs; its
 * schema is documented in the README. Every failing call leaves a message
 * naming the database path and what to do in lector_store_errmsg(st).
 * Writes run inside a transaction: lector_store_begin/commit/rollback nest
 * (the outermost is BEGIN IMMEDIATE, inner ones are savepoints), and
 * lector_store_add and lector_store_annotate open their own when none is
 * open, so each call is all-or-nothing. Strings given as (p, n) pairs may
 * contain NUL bytes; a NULL pointer stores SQL NULL. */

typedef struct lector_store lector_store;
typedef struct lector_stmt lector_stmt;

enum { LECTOR_STORE_SCHEMA = 5 }; /* PRAGMA user_version this code writes */

enum {
    LECTOR_STORE_READONLY = 1 << 0, /* open read-only; never create/migrate */
    /* run the store's own triggers and views even when they are not the
     * ones lector creates (see lector_store_open) */
    LECTOR_STORE_TRUST_SCHEMA = 1 << 1
};

/* Opens (creating it when missing, unless read-only) the store at path and
 * migrates an older schema. Waits up to busy_ms for locks (negative: the
 * default, 5000). *out receives the store even on failure, so that
 * lector_store_errmsg(*out) explains it (NULL only when out of memory);
 * the caller closes it in both cases. Fails with LECTOR_EIO (missing
 * directory, disk full), LECTOR_EREADONLY, LECTOR_EBUSY, LECTOR_EDB (not a
 * database, not a lector store, a newer schema).
 *
 * A store is code: its triggers and views run inside lector. Every store
 * is opened with SQLITE_DBCONFIG_DEFENSIVE and extension loading off, and
 * what the file is gets checked before
 * anything in it changes (no WAL switch, no migration): a database of
 * another application, one claiming a schema version without lector's
 * tables, and one whose triggers or views differ from those lector
 * creates for its version (the message names the object) are refused
 * with LECTOR_EDB, the last unless flags has LECTOR_STORE_TRUST_SCHEMA. */
int lector_store_open(const char *path, unsigned flags, int busy_ms,
                      lector_store **out);

/* Limits the time statements of st may run from now on to ms
 * milliseconds in all (0: no limit, the default); past it, a running
 * statement stops with LECTOR_EDB and lector_store_timed_out says so. */
void lector_store_set_time_limit(lector_store *st, int64_t ms);

/* Nonzero when a statement stopped at the time limit. */
int lector_store_timed_out(const lector_store *st);

/* Rolls back an open transaction and closes; statements still alive keep
 * the connection until they are freed (sqlite3_close_v2). */
void lector_store_close(lector_store *st);

const char *lector_store_errmsg(const lector_store *st);
const char *lector_store_path(const lector_store *st);
int lector_store_readonly(const lector_store *st);

/* The schema version found in the file (after migration). */
int lector_store_schema_version(lector_store *st);

/* Runs SQL (one or more statements, no parameters, results ignored). */
int lector_store_exec(lector_store *st, const char *sql);

/* Transactions; depth is how many are open (0: none). rollback with none
 * open is a no-op, and so is anything after SQLite rolled back by itself
 * (disk full): depth drops to 0 and commit reports the failure. */
int lector_store_begin(lector_store *st);
int lector_store_commit(lector_store *st);
int lector_store_rollback(lector_store *st);
int lector_store_depth(const lector_store *st);

/* A long write: many transactions of annotations (a recipe's run, in
 * short groups) written as one bulk load. on 1 begins it (nests), on 0
 * ends it. In between, once it has written 10,000 annotations and as many
 * as the table held at its start, the indexes of annotation_rows by
 * label and by entity are left out, across commits and SQL, and its end
 * builds them once (in a transaction of its own when none is open);
 * lector_store_close ends one left open. Every transaction committed in
 * between is whole, and queries are right without the two indexes, only
 * slower. A long write holds a lock on PATH-lector-bulk; a process killed
 * in the middle leaves the indexes out, and the next read-write open
 * finds no live lock and builds them. Without the lock (a directory it
 * cannot write, another long write on the file) or on a read-only store,
 * it does nothing. A failure to build the indexes at the end is returned
 * (the next open tries again). */
int lector_store_long_write(lector_store *st, int on);
/* Ends the long write in progress now, however deeply nested: builds the
 * indexes it left out (in the open transaction, or one of its own) and
 * drops its lock, so that what is written after keeps them up to date;
 * the lector_store_long_write(st, 0) calls still to come do nothing. The
 * -j N writer calls it while its workers tag the last documents, so that
 * the index build is not left for the end, when only it works. A no-op
 * outside a long write. */
int lector_store_long_write_end(lector_store *st);

/* A document to add. text must be valid UTF-8 (LECTOR_EUTF8 names the
 * byte offset otherwise); meta is JSON text or NULL for {}. hash is NULL,
 * or the text's SHA-256 as lector_store_sha256 writes it (64 lowercase hex
 * digits), computed by the caller: -j N workers hash what they read, so
 * that the one writer does not. It is trusted, not checked against the
 * text. */
typedef struct lector_doc {
    const char *uri;
    size_t uri_len;
    const char *text;
    size_t text_len;
    const char *title;
    size_t title_len;
    const char *author;
    size_t author_len;
    const char *outlet;
    size_t outlet_len;
    const char *published;
    size_t published_len;
    const char *meta;
    size_t meta_len;
    const char *hash;
} lector_doc;

/* Adds a document unless the latest version under the same uri has the
 * same text. *id receives the document's id; *version its version: 1 for a
 * first version, n > 1 when the text under this uri changed (the new row's
 * uri is "URI#vN" and base_uri is URI); *is_new 1 when a row was added, 0
 * when unchanged. run_id 0 records no run. */
int lector_store_add(lector_store *st, const lector_doc *doc, int64_t run_id,
                     int64_t *id, int *is_new, int *version);

/* Adds docs[0..n-1] as lector_store_add adds each, in order, all or none:
 * ids[i], is_new[i] and versions[i] say what became of docs[i]. Documents
 * go in many rows to a statement, so the full-text index takes them in
 * bulk (ingest's path; a uri given twice is a new version the second
 * time, or unchanged). A document that cannot be added (no uri, invalid
 * UTF-8) is reported before anything is written, by its index from 1 and
 * uri. */
int lector_store_add_many(lector_store *st, const lector_doc *docs, size_t n,
                          int64_t run_id, int64_t *ids, int *is_new,
                          int *versions);

/* The SHA-256 of (s, n) as 64 lowercase hex digits and a NUL into out[65]:
 * documents.hash, the same as `sha256sum` prints for the text. */
void lector_store_sha256(const char *s, size_t n, char *out);

/* One annotation span: bytes [start, end) of the document's text. */
typedef struct lector_span {
    int64_t start;
    int64_t end;
    const char *label;
    size_t label_len;
    const char *entity;
    size_t entity_len;
    const char *attrs; /* JSON text */
    size_t attrs_len;
    const char *type; /* of an entity new to the catalogue; NULL: label */
    size_t type_len;
    int64_t sentence; /* 1-based sentence number in the document; 0: none */
} lector_span;

/* Stores n spans of layer for document doc_id with one step of one
 * prepared statement, in one transaction (inside an open one, a failure
 * deletes the rows it stored): all or none. Checks every span lies within
 * the text (LECTOR_EINVAL names the span's index). Layer and label become
 * a labels row and the entity an entities row (with type, or else label)
 * when they are new. The rows of a batch get consecutive ids in order of
 * start (then as given; in a transaction big enough for the bulk path, in
 * order of entity first: core/README.md, "Store internals"). run_id 0
 * records no run. */
int lector_store_annotate(lector_store *st, int64_t doc_id, const char *layer,
                          size_t layer_len, const lector_span *spans, size_t n,
                          int64_t run_id);

/* One batch of lector_store_annotate_batches: spans[first .. first + n)
 * of layer (layer_len bytes) on document doc_id. attrs_own: 1 when every
 * attrs text of the batch is JSON its caller encoded itself (valid by
 * construction, as lector's Lua side writes it), so that the store need
 * not have SQLite check it again (json_valid); 0: checked. */
typedef struct lector_span_batch {
    int64_t doc_id;
    const char *layer;
    size_t layer_len;
    size_t first, n;
    int attrs_own;
} lector_span_batch;

/* Stores nb batches of spans as nb calls of lector_store_annotate would,
 * in order: the same rows with the same ids, and the same checks. Once the
 * bulk path is on (in a long write, or a transaction big enough) the
 * batches go in with one statement (a writer's group of documents: the
 * pipeline's store sink). Outside a transaction all or none; inside one, a
 * failure may leave earlier batches stored for the caller to roll back. */
int lector_store_annotate_batches(lector_store *st, const lector_span *spans,
                                  const lector_span_batch *batches, size_t nb,
                                  int64_t run_id);

/* Stores the annotations of document doc_id given as JSON text (json,
 * len), parsed here (store_json.c): an array of [layer, rows] pairs, each
 * row [start_byte, end_byte, label, entity, sentence, attrs] with
 * optionally a seventh element, type (label, entity, type: a string or
 * null; sentence: a positive integer or null; attrs: an object, stored as
 * its text, or null). Each layer is stored as lector_store_annotate
 * stores it. counts (n_layers + 1 entries, or NULL): counts[k] grows by
 * the rows stored in layers[k] (pointers and lengths), counts[n_layers]
 * by all the rows stored. The whole text is checked before anything is stored
 * (LECTOR_EFORMAT names the byte offset); outside a transaction the call
 * is all or none, inside one a span past the text's end leaves rows of
 * earlier layers for the caller to roll back. */
int lector_store_annotate_json(lector_store *st, int64_t doc_id,
                               const char *json, size_t len, int64_t run_id,
                               const char *const *layers,
                               const size_t *layer_lens, size_t n_layers,
                               int64_t *counts);

/* A writer's group of documents' annotations, gathered to go to the store
 * in one call (tag -j N's writer: its workers' JSON text and its own
 * packed spans, document after document, stored as one
 * lector_store_annotate_batches). The spans point into the texts and
 * layer names given, which must live until the set is stored or cleared.
 * layers (n_layers names, copied): the run's layers, whose rows the set
 * counts (lector_batch_set_count). */
typedef struct lector_batch_set lector_batch_set;
lector_batch_set *lector_batch_set_new(const char *const *layers,
                                       const size_t *layer_lens,
                                       size_t n_layers);
void lector_batch_set_free(lector_batch_set *bs);
/* Empties the set (its counts stay). */
void lector_batch_set_clear(lector_batch_set *bs);
/* Adds the annotations of document doc_id given as JSON text, as
 * lector_store_annotate_json reads it (checked here; the spans point into
 * json). LECTOR_EFORMAT: *at is the byte offset, *what says what was
 * wrong, and nothing was added. */
int lector_batch_set_json(lector_batch_set *bs, int64_t doc_id,
                          const char *json, size_t len, size_t *at,
                          const char **what);
/* Adds spans[0..n-1] of layer (copied structs, pointing where they
 * pointed) on document doc_id; attrs_own as in lector_span_batch (the
 * batches of lector_batch_set_json are the set's own: it checked them). */
int lector_batch_set_spans(lector_batch_set *bs, int64_t doc_id,
                           const char *layer, size_t layer_len,
                           const lector_span *spans, size_t n, int attrs_own);
/* The rows added so far (since lector_batch_set_new) in layers[k], or
 * every row with k = n_layers. */
int64_t lector_batch_set_count(const lector_batch_set *bs, size_t k);
/* The length in bytes of the text of each document ids[0..n-1] into
 * lens (-1 for an id with no document), read from each row's header
 * through one blob handle rather than by loading the texts: how tag -j N
 * learns its documents' sizes before its workers start on them. */
int lector_store_text_lengths(lector_store *st, const int64_t *ids, size_t n,
                              int64_t *lens);
/* Stores the set's batches (lector_store_annotate_batches). */
int lector_store_annotate_set(lector_store *st, const lector_batch_set *bs,
                              int64_t run_id);

/* Writes spans[0..n-1] as the rows lector_store_annotate_json reads (an
 * array of [start_byte, end_byte, label, entity, sentence, attrs (, type
 * when it is not the label)]) into *out (malloc'd: lector_free) and
 * *out_len: how tag -j N workers send their annotations. A span not
 * inside [0, text_len] (text_len < 0: not checked), or whose attrs are not
 * one JSON object, fails with LECTOR_EINVAL and its index in *bad. */
int lector_spans_json(const lector_span *spans, size_t n, int64_t text_len,
                      char **out, size_t *out_len, size_t *bad);

/* Adds an entity to the catalogue. With replace 0 an existing key is kept
 * as it is; with replace 1 its type and attrs are overwritten (NULL keeps
 * the old value). */
int lector_store_entity(lector_store *st, const char *key, size_t key_len,
                        const char *type, size_t type_len, const char *attrs,
                        size_t attrs_len, int replace);

/* Records the start of a run (name, options as JSON, lector's version,
 * start time) and returns its id; finish sets its status and end time. */
int lector_store_begin_run(lector_store *st, const char *name,
                           const char *options_json, int64_t *run_id);
int lector_store_finish_run(lector_store *st, int64_t run_id,
                            const char *status);

/* Prepared statements with bound parameters: the query path. (sql, n) is
 * one statement; columns and parameters are 1-based for bind, 0-based for
 * column_* (as in SQLite). Strings from column_text are borrowed until the
 * next step/reset/free. A statement may outlive lector_store_close. */
int lector_store_prepare(lector_store *st, const char *sql, size_t n,
                         lector_stmt **out);
void lector_stmt_free(lector_stmt *s);
int lector_stmt_bind_int64(lector_stmt *s, int i, int64_t v);
int lector_stmt_bind_double(lector_stmt *s, int i, double v);
int lector_stmt_bind_text(lector_stmt *s, int i, const char *p, size_t n);
int lector_stmt_bind_null(lector_stmt *s, int i);
int lector_stmt_params(lector_stmt *s);
/* 1 when a row is ready, 0 when done, a negative code on error. */
int lector_stmt_step(lector_stmt *s);
int lector_stmt_reset(lector_stmt *s);
int lector_stmt_columns(lector_stmt *s);
const char *lector_stmt_column_name(lector_stmt *s, int i);
/* 1 integer, 2 float, 3 text, 4 blob, 5 null (SQLite's codes). */
int lector_stmt_column_type(lector_stmt *s, int i);
int64_t lector_stmt_column_int64(lector_stmt *s, int i);
double lector_stmt_column_double(lector_stmt *s, int i);
const char *lector_stmt_column_text(lector_stmt *s, int i, size_t *n);
/* The message of the statement's last failure (the SQLite connection's). */
const char *lector_stmt_errmsg(lector_stmt *s);

/* LECTOR_STORE_END */

/* LECTOR_MATCH_BEGIN (owned by gazetteer.c and pattern.c) */

/* -- gazetteer: aliases -> entities over normalized tokens (gazetteer.c,
 *    gaz_*.c) --
 *
 * Aliases are tokenized with the same tokenizer (and so the same intern
 * table) as the text they are matched against; the compiled structure is a
 * trie over intern ids (a direct array for the first token, one hash table
 * of (node, token id) -> child edges below it), so a lookup costs the same
 * whatever the gazetteer's size. A match never starts or ends inside a
 * token. Entries are numbered from 0 in the order they were added;
 * duplicates (same alias key, entity and case policy) are dropped. */

typedef struct lector_gazetteer lector_gazetteer;

enum {
    LECTOR_GAZ_HYPHENS_STRICT = 1 << 0, /* new: "ez-Zor" does not match
                                           "ez Zor" (default: it does) */
    LECTOR_GAZ_SKIP_BAD = 1 << 2        /* load: skip bad lines, counting */
};

/* An option of lector_gazetteer_match and lector_pattern_match: every
 * match, not just the leftmost-longest ones. Its bit is apart from the
 * gazetteer's own options. */
enum { LECTOR_MATCH_OVERLAP = 1 << 1 };

enum {
    LECTOR_CASE_AUTO = 0,        /* sensitive for short all-capitals aliases
                                    (at most 3 letters: IS, US, SAA), else
                                    insensitive */
    LECTOR_CASE_INSENSITIVE = 1, /* compare folded tokens */
    LECTOR_CASE_SENSITIVE = 2    /* folded tokens and the exact surface */
};

/* A gazetteer tokenizing aliases with tk, whose norms live in in (both
 * borrowed: they must outlive the gazetteer, and text to match must be
 * tokenized by tk). opts: LECTOR_GAZ_HYPHENS_STRICT. NULL when out of
 * memory. */
lector_gazetteer *lector_gazetteer_new(lector_tokenizer *tk, lector_intern *in,
                                       unsigned opts);
void lector_gazetteer_free(lector_gazetteer *g);
const char *lector_gazetteer_errmsg(const lector_gazetteer *g);

/* Adds alias (valid UTF-8 (alias, alias_n)) for entity. entity is a
 * non-empty NUL-terminated string; type, attrs (a JSON object text) and
 * source (a file name or label) are NUL-terminated or NULL; line is the
 * source line (0: none); case_mode is LECTOR_CASE_*. Returns LECTOR_OK
 * (also for a dropped duplicate), LECTOR_EFORMAT (an alias without tokens,
 * an empty entity), LECTOR_EUTF8, LECTOR_ELIMIT or LECTOR_ENOMEM. */
int lector_gazetteer_add(lector_gazetteer *g, const char *alias, size_t alias_n,
                         const char *entity, const char *type,
                         const char *attrs, const char *source, int32_t line,
                         int case_mode);

/* Adds every line of a TSV or CSV file (the separator is the header's:
 * a tab if it has one, else a comma; CSV fields may be "quoted"). The
 * header names the columns: alias and entity required, type and case
 * optional, any other column an attribute (attrs JSON, empty values left
 * out). Blank lines and lines starting with # are skipped. A bad line
 * fails with LECTOR_EFORMAT and "FILE:LINE: what is wrong" in the errmsg,
 * unless opts has LECTOR_GAZ_SKIP_BAD: then it is skipped and counted in
 * *skipped (may be NULL), and the errmsg keeps the first one. */
int lector_gazetteer_load(lector_gazetteer *g, const char *path, unsigned opts,
                          size_t *skipped);

/* Number of entries, distinct entities, trie nodes, and the bytes the
 * gazetteer holds (not counting the shared intern table). */
size_t lector_gazetteer_count(const lector_gazetteer *g);
size_t lector_gazetteer_entities(const lector_gazetteer *g);
size_t lector_gazetteer_nodes(const lector_gazetteer *g);
size_t lector_gazetteer_memory(const lector_gazetteer *g);

/* The id (>= 0) of a type name, or -1 when no entry has that type. */
int32_t lector_gazetteer_type_id(const lector_gazetteer *g, const char *type);

/* One entry, its strings borrowed from the gazetteer (valid until it is
 * freed; never NULL: absent fields are ""). */
typedef struct lector_gaz_entry {
    const char *alias; /* as written in the source */
    const char *entity;
    const char *type;
    const char *attrs;  /* JSON object text, "" when none */
    const char *source; /* file name or label, "" when none */
    int32_t line;       /* line in source, 0 when none */
    int32_t case_mode;  /* LECTOR_CASE_SENSITIVE or _INSENSITIVE (resolved) */
    int32_t entity_id;  /* dense id, 0 .. entities-1 */
    int32_t type_id;    /* dense id, -1 for no type */
} lector_gaz_entry;

/* Fills *out for entry (0 .. count-1); LECTOR_EINVAL when out of range. */
int lector_gazetteer_entry(const lector_gazetteer *g, int32_t entry,
                           lector_gaz_entry *out);

/* One match: tokens first..last (0-based, inclusive), bytes [start, end),
 * and the entry that fired. An alias with several entities gives one
 * match per entity, with the same span, next to each other. */
typedef struct lector_gazetteer_hit {
    uint32_t first;
    uint32_t last;
    uint32_t start;
    uint32_t end;
    int32_t entry;
    int32_t type_id;
} lector_gazetteer_hit;

/* A growable match array owned by the caller; reused across documents. */
typedef struct lector_gazetteer_matches {
    lector_gazetteer_hit *m;
    size_t n;
    size_t cap;
} lector_gazetteer_matches;

void lector_gazetteer_matches_init(lector_gazetteer_matches *m);
/* Frees m->m. */
void lector_gazetteer_matches_release(lector_gazetteer_matches *m);

/* Matches toks (made by the gazetteer's tokenizer from (s, n)) into out
 * (cleared first), in token order. Default: leftmost-longest without
 * overlaps; LECTOR_MATCH_OVERLAP: every alias occurrence. Hyphens inside a
 * hyphenated word are skipped unless the gazetteer is HYPHENS_STRICT.
 * LECTOR_EINVAL or LECTOR_ENOMEM with lector_gazetteer_errmsg(g) set. */
int lector_gazetteer_match(lector_gazetteer *g, const char *s, size_t n,
                           const lector_tokens *toks, unsigned opts,
                           lector_gazetteer_matches *out);

/* A compiled gazetteer as bytes (host byte order, with a version header):
 * *out is fresh (lector_free), *out_n its length. lector_gazetteer_undump
 * fills an empty gazetteer from such bytes (its intern table may differ
 * from the one it was dumped from: ids are remapped); LECTOR_EFORMAT for
 * bytes that are not a dump of this version. */
int lector_gazetteer_dump(const lector_gazetteer *g, char **out, size_t *out_n);
int lector_gazetteer_undump(lector_gazetteer *g, const char *buf, size_t n);

/* The same through a file: LECTOR_EIO names the path in the errmsg. */
int lector_gazetteer_save(lector_gazetteer *g, const char *path);
int lector_gazetteer_open(lector_gazetteer *g, const char *path);

/* -- fuzzy (transliteration-aware) matching (gaz_fuzzy.c) --
 *
 * A second trie over fuzzy keys: each normalized token has a key (a word
 * of lower-case ASCII letters that spellings of one sound share: "Deir"
 * and "Dayr" both key "dar") or a class, both set by the caller (the Lua
 * side computes them from the rules in scripts/lexicons/translit.tsv) and
 * cached here by norm id, so a word costs one rewrite the first time it
 * is seen. Entries opted in get a fuzzy alias: their key words. Matching
 * runs the exact matcher, then the fuzzy trie over the keys of the text's
 * capitalised tokens, and keeps a fuzzy match only where no exact match
 * overlaps it. A fuzzy match's entry is LECTOR_GAZ_FUZZY_BIT | a fuzzy
 * entry id; lector_gazetteer_entry resolves it to the entry it met. */
enum {
    LECTOR_GAZ_FUZZY_BIT = 1 << 30,
    LECTOR_FZ_KEY = 0,        /* the token has key (key, key_n) */
    LECTOR_FZ_NONE = 1,       /* never part of a fuzzy match (stop words) */
    LECTOR_FZ_SKIP = 2,       /* dropped from keys: an article (al, el) */
    LECTOR_FZ_SKIP_JOINED = 3 /* dropped when a hyphen joins it to the next
                                 token (ar-, as-, ez-), else NONE */
};

/* Sets the key of norm id norm (kind LECTOR_FZ_KEY: (key, key_n), one
 * word of a-z) or its class (the other kinds; key ignored). LECTOR_EINVAL
 * for a bad norm, kind or key; LECTOR_ENOMEM. */
int lector_gazetteer_fuzzy_key(lector_gazetteer *g, int32_t norm, int kind,
                               const char *key, size_t key_n);
/* Adds a fuzzy alias for entry (0 .. count-1): keys, its key words
 * separated by spaces. LECTOR_OK also for a duplicate (the first entry
 * with those keys and entity keeps them). */
int lector_gazetteer_fuzzy_add(lector_gazetteer *g, int32_t entry,
                               const char *keys, size_t keys_n);
/* Rules against floods (flags, 0 for none), for gazetteers whose aliases
 * meet common words under the key: LECTOR_FZ_LOWER_SEEN drops a fuzzy
 * match whose words the same text also writes in lower case (There,
 * House: common words there, not names); LECTOR_FZ_INITIAL drops a
 * one-word fuzzy match at the start of a sentence or a line, where a
 * capital is no evidence of a name. LECTOR_ENOMEM. */
enum { LECTOR_FZ_LOWER_SEEN = 1 << 0, LECTOR_FZ_INITIAL = 1 << 1 };
int lector_gazetteer_fuzzy_rules(lector_gazetteer *g, unsigned flags);
/* Number of fuzzy aliases. */
size_t lector_gazetteer_fuzzy_count(const lector_gazetteer *g);
/* lector_gazetteer_match, then fuzzy matches where no exact one overlaps,
 * merged in text order. When some token of toks has no key yet, *need is
 * their number, the norm ids are at lector_gazetteer_fuzzy_needed(g) and
 * out holds the exact matches only: set their keys and call again, until
 * *need is 0. Keys are asked for lazily (capitalised words and the tokens
 * a walk reaches), so a text may take a few rounds; each asks only for
 * words not asked before. */
int lector_gazetteer_fuzzy_match(lector_gazetteer *g, const char *s, size_t n,
                                 const lector_tokens *toks, unsigned opts,
                                 lector_gazetteer_matches *out, size_t *need);
const int32_t *lector_gazetteer_fuzzy_needed(const lector_gazetteer *g);
/* For a fuzzy entry id (with LECTOR_GAZ_FUZZY_BIT): the entry it met and
 * its key words (borrowed); -1 and "" for any other id. */
int32_t lector_gazetteer_fuzzy_entry(const lector_gazetteer *g, int32_t id,
                                     const char **keys);

/* -- pattern: token-sequence patterns (pattern.c, pattern_*.c) --
 *
 * Compiled to a small program run by threads in step over the token
 * array (a Pike VM, never a backtrack), so a call costs at most program
 * size x tokens whatever the pattern (with LECTOR_MATCH_OVERLAP and
 * captures, at worst x the matches' total length). The longest match wins;
 * among equally long paths the first in priority order (earlier
 * alternative, greedier repeat) gives the captures. */

typedef struct lector_pattern lector_pattern;

/* A pattern whose words intern into in; g (may be NULL) serves @TYPE.
 * Both borrowed. NULL when out of memory. Matching matches g too, which
 * holds the message when that fails. */
lector_pattern *lector_pattern_new(lector_intern *in, lector_gazetteer *g);
void lector_pattern_free(lector_pattern *p);
const char *lector_pattern_errmsg(const lector_pattern *p);

/* Compiles (src, n) (once per pattern object). LECTOR_EFORMAT on a
 * syntax error: the errmsg reads "column C: expected X" and
 * lector_pattern_errcol gives C (1-based, in bytes). */
int lector_pattern_compile(lector_pattern *p, const char *src, size_t n);
int lector_pattern_errcol(const lector_pattern *p);

/* Named captures: their number and names (borrowed), index 0 .. n-1. */
int lector_pattern_ncaptures(const lector_pattern *p);
const char *lector_pattern_capture_name(const lector_pattern *p, int i);

/* One match: tokens first..last (inclusive), bytes [start, end), and its
 * captures at caps[cap .. cap + ncaptures - 1] of the match array. */
typedef struct lector_pattern_hit {
    uint32_t first;
    uint32_t last;
    uint32_t start;
    uint32_t end;
    uint32_t cap;
    uint32_t reserved;
} lector_pattern_hit;

/* A capture's tokens first..last; first = -1 when it did not take part. */
typedef struct lector_pattern_capture {
    int32_t first;
    int32_t last;
} lector_pattern_capture;

typedef struct lector_pattern_matches {
    lector_pattern_hit *m;
    size_t n;
    size_t cap;
    lector_pattern_capture *caps;
    size_t ncaps;
    size_t capcap;
} lector_pattern_matches;

void lector_pattern_matches_init(lector_pattern_matches *m);
void lector_pattern_matches_release(lector_pattern_matches *m);

/* Runs the pattern over toks (from (s, n)) into out (cleared first):
 * leftmost-longest without overlaps, or with LECTOR_MATCH_OVERLAP the
 * longest match at every start token. Empty matches are never reported. */
int lector_pattern_match(lector_pattern *p, const char *s, size_t n,
                         const lector_tokens *toks, unsigned opts,
                         lector_pattern_matches *out);

/* The same, with the gazetteer's overlapping matches of toks already at
 * hand (lector_gazetteer_match with LECTOR_MATCH_OVERLAP, by the
 * gazetteer the pattern was made with): @TYPE reads them instead of
 * matching the gazetteer again, so patterns over one document share one
 * gazetteer pass. gm is read, never kept past the call; NULL is
 * LECTOR_EINVAL. */
int lector_pattern_match_with(lector_pattern *p, const char *s, size_t n,
                              const lector_tokens *toks,
                              const lector_gazetteer_matches *gm, unsigned opts,
                              lector_pattern_matches *out);

/* Which patterns of a set can match a text at all, one pass over its
 * tokens for them all (the pipeline's patterns stage asks before it runs
 * each: most texts hold no token a match of most patterns can end at).
 * The set keeps the patterns by pointer: free it before them. NULL when
 * out of memory. */
typedef struct lector_pattern_set lector_pattern_set;
lector_pattern_set *lector_pattern_set_new(lector_pattern *const *ps,
                                           size_t np);
void lector_pattern_set_free(lector_pattern_set *set);

/* can[k] (np bytes) for pattern k: 0 when it has no match in toks
 * (lector_pattern_match of it finds nothing: no token of toks has a
 * norm its matches can begin with, or none one they can end with); 2
 * when it can match only through gazetteer matches (@TYPE), so that
 * lector_pattern_match_with given none finds nothing; 1 otherwise.
 * LECTOR_ENOMEM (a pattern's tables could not be built) or
 * LECTOR_EINVAL. */
int lector_pattern_set_can_match(lector_pattern_set *set,
                                 const lector_tokens *toks, uint8_t *can);

/* LECTOR_MATCH_END */

/* LECTOR_FS_BEGIN (owned by fs.c: what Lua lacks for walking inputs) */

enum { LECTOR_FS_FILE = 1, LECTOR_FS_DIR = 2, LECTOR_FS_OTHER = 3 };

typedef struct lector_fileinfo {
    int kind;     /* LECTOR_FS_FILE, LECTOR_FS_DIR or LECTOR_FS_OTHER */
    int readable; /* nonzero when the process may read it */
    int64_t size; /* bytes */
    uint64_t dev; /* device and inode identify a file across links, */
    uint64_t ino; /* so a walk can detect symlink loops */
    int is_link;  /* nonzero when path itself is a symbolic link */
} lector_fileinfo;

/* Fills *out for path, following symlinks. Returns LECTOR_OK or LECTOR_EIO
 * with *err_no set to the errno (see lector_errno_str). */
int lector_stat(const char *path, lector_fileinfo *out, int *err_no);

/* The absolute path of path with every symbolic link, "." and ".."
 * resolved, in *out (freshly allocated: lector_free it). Returns LECTOR_OK,
 * LECTOR_EIO with *err_no set, or LECTOR_EINVAL. */
int lector_realpath(const char *path, char **out, int *err_no);

/* A readable description of an errno value (static or thread-local). */
const char *lector_errno_str(int err_no);

typedef struct lector_dir lector_dir;

/* Opens a directory listing, or NULL with *err_no set. */
lector_dir *lector_dir_open(const char *path, int *err_no);

/* The next entry's name (borrowed until the next call), skipping "." and
 * "..", or NULL at the end. */
const char *lector_dir_next(lector_dir *d);
void lector_dir_close(lector_dir *d);

/* LECTOR_FS_END */

/* LECTOR_HTML_BEGIN (owned by html.c: HTML to text, over libxml2) */

/* -- html: visible text and head metadata of an HTML page (html.c) --
 *
 * The page is parsed by libxml2's HTML parser (recovering from broken
 * markup, no network), decoded from its byte-order mark, else the charset
 * its <meta> declares, else UTF-8 (invalid sequences and NUL bytes then
 * become U+FFFD and are counted in repairs). What becomes text, where line
 * breaks go and which tags give the metadata is in core/README.md
 * ("HTML"). */

enum { LECTOR_HTML_MAX = 1 << 30 }; /* the largest input, in bytes */

typedef struct lector_html_doc {
    char *text;         /* the visible text: UTF-8, NUL-terminated, no NUL
                           inside, never NULL after LECTOR_OK (maybe "") */
    size_t text_n;      /* its length in bytes */
    char *title;        /* og:title, else <title>; NULL when absent */
    char *author;       /* <meta name=author>, else article:author */
    char *outlet;       /* og:site_name */
    char *published;    /* article:published_time, else <meta name=date>,
                           else itemprop=datePublished, else the first
                           <time datetime>: the page's own string */
    char *url;          /* <link rel=canonical>, else og:url */
    char *lang;         /* <html lang>, else http-equiv content-language */
    size_t repairs;     /* bytes or sequences replaced by U+FFFD or dropped */
    char charset[40];   /* the encoding the page was decoded from */
    const char *errmsg; /* after a failure: a static message; else NULL */
} lector_html_doc;

/* Parses (html, n) into *out, which need not be initialized: its strings
 * are fresh (each NUL-terminated, valid UTF-8, white space collapsed and
 * trimmed in the metadata) and the caller releases them all with
 * lector_html_doc_release. Returns LECTOR_OK (any bytes at all are a page,
 * "" included), LECTOR_EINVAL (out NULL, or html NULL with n > 0),
 * LECTOR_ELIMIT (n > LECTOR_HTML_MAX) or LECTOR_ENOMEM; on failure every
 * pointer is NULL and out->errmsg says what happened. Thread-safe; libxml2
 * is initialized on the first call and its error output is silenced. */
int lector_html_text(const char *html, size_t n, lector_html_doc *out);

/* Frees the strings of d and zeroes it; d NULL is a no-op. */
void lector_html_doc_release(lector_html_doc *d);

/* LECTOR_HTML_END */

/* LECTOR_ENCODING_BEGIN (owned by encoding.c: text that is not UTF-8) */

enum {
    LECTOR_ENC_UTF16LE = 1, /* UTF-16, little-endian */
    LECTOR_ENC_UTF16BE = 2, /* UTF-16, big-endian */
    LECTOR_ENC_BOM = 4      /* ... starting with a byte order mark */
};

/* Recognises UTF-16 in (s, n): a byte order mark (FF FE or FE FF), or
 * without one an even length of 16 bytes or more where, in the first
 * 64 KiB, 90% of every other byte is the high byte of a character of
 * U+0000..U+1FFF (Latin, Greek, Cyrillic, Hebrew, Arabic ...) other than
 * tab, LF, FF or CR, and fewer than half of the bytes between are.
 * Returns 0 (not UTF-16) or LECTOR_ENC_UTF16LE or LECTOR_ENC_UTF16BE,
 * plus LECTOR_ENC_BOM when the text starts with a byte order mark. */
int lector_guess_utf16(const char *s, size_t n);

/* Converts (s, n) from the encoding `from` (a name iconv(3) knows:
 * "latin1", "cp1252", "UTF-16LE", ...; "utf-16" without an endianness
 * reads the byte order mark or else lector_guess_utf16's guess, little-
 * endian when it cannot tell) into UTF-8: a fresh NUL-terminated *out of
 * *out_n bytes. A leading byte order mark is not copied. Returns LECTOR_OK;
 * LECTOR_EINVAL for an encoding iconv does not know; LECTOR_EFORMAT when s
 * is not valid in that encoding, with *bad_offset (may be NULL) the 0-based
 * offset of the first byte that is not; LECTOR_ENOMEM. */
int lector_convert_to_utf8(const char *from, const char *s, size_t n,
                           char **out, size_t *out_n, size_t *bad_offset);

/* LECTOR_ENCODING_END */

/* LECTOR_PROC_BEGIN (owned by proc.c: worker processes for -j N) */

/* A child process whose stdin and stdout are connected to the caller
 * (stderr is shared). The caller's ends never block: writes and reads
 * take what the pipe can, and lector_proc_poll waits for several
 * children at once. A write to a child that has exited fails with
 * LECTOR_EIO; it never raises SIGPIPE. */
typedef struct lector_proc lector_proc;

enum {
    LECTOR_PROC_EOF = 1,      /* lector_proc_read: the child closed stdout */
    LECTOR_PROC_READABLE = 1, /* lector_proc_poll flags */
    LECTOR_PROC_WRITABLE = 2,
    LECTOR_PROC_MAX_POLL = 64 /* children one lector_proc_poll watches */
};

/* Starts argv[0] (searched in PATH when it has no slash) with the NULL-
 * terminated argv and the caller's environment; SIGINT, SIGTERM and
 * SIGPIPE start with their default actions. Returns the process, or NULL
 * with *err_no set (ENOENT when there is no such program). Free it with
 * lector_proc_free. */
lector_proc *lector_proc_spawn(const char *const *argv, int *err_no);

/* The child's process id, or -1 for NULL. */
int lector_proc_pid(const lector_proc *p);

/* Writes up to n bytes of (s, n) to the child's stdin without blocking.
 * Returns the number of bytes taken (0 when the pipe is full), or
 * LECTOR_EIO (the child is gone, or its input was closed). */
int64_t lector_proc_write(lector_proc *p, const char *s, size_t n);

/* Closes the child's stdin: it reads end of file. */
void lector_proc_close_input(lector_proc *p);

/* Reads up to cap bytes of the child's stdout into buf without blocking.
 * Returns LECTOR_OK with *got bytes (0 when none are ready),
 * LECTOR_PROC_EOF once the child has closed its stdout, or LECTOR_EIO. */
int lector_proc_read(lector_proc *p, char *buf, size_t cap, size_t *got);

/* Waits up to timeout_ms (-1: no limit) until one of the n children
 * (at most LECTOR_PROC_MAX_POLL) has output to read (or has closed it)
 * or, when want_write[i] is nonzero, room in its stdin. ready[i] gets
 * LECTOR_PROC_READABLE and LECTOR_PROC_WRITABLE flags. Returns how many
 * children are ready (0 on timeout or a signal), or a negative code. */
int lector_proc_poll(lector_proc *const *procs, int n, const int *want_write,
                     int *ready, int timeout_ms);

/* Sends SIGTERM, or SIGKILL when hard is nonzero, unless it was reaped. */
int lector_proc_kill(lector_proc *p, int hard);

/* Reaps the child: *status is its exit code, 128 + the signal that
 * ended it, or -1 while it runs (block = 0). Returns LECTOR_OK or
 * LECTOR_EIO. */
int lector_proc_wait(lector_proc *p, int block, int *status);

/* The message of the last failure (belongs to p). */
const char *lector_proc_errmsg(const lector_proc *p);

/* Closes the pipes and, if the child is still running, kills (SIGKILL)
 * and reaps it. NULL is a no-op. */
void lector_proc_free(lector_proc *p);

/* The number of processors online (at least 1). */
int lector_cpu_count(void);

/* In a worker: flushes stdout and points descriptor 1 at /dev/null, so
 * that the process reading this one's output sees its end now rather
 * than when the process has finished exiting. Returns LECTOR_OK, or
 * LECTOR_EIO when stdout could not be flushed (what was written may be
 * lost: the caller fails). */
int lector_proc_end_output(void);

/* LECTOR_PROC_END */

/* -- scan: the tokens an extractor's scan stops at (tok_scan.c) -- */

/* The index of the first token of tok[from, n) (tok holds count tokens)
 * that an extractor's scan stops at: its kind's bit (1 << LECTOR_TK_*) is
 * in kinds, or its norm id's entry m of mask has one of bits, or m has one
 * of cond and the entry of the next token or of the one after it has one
 * of next (a word that starts something only before certain words). Norm
 * ids at or past nmask have entry 0. Returns n (at most count) when no
 * token stops the scan, from when from >= n. mask is the caller's: one
 * word per norm id of the intern table, each bit a set of words. */
size_t lector_tokens_scan(const lector_token *tok, size_t count, size_t from,
                          size_t n, uint32_t kinds, const uint32_t *mask,
                          size_t nmask, uint32_t bits, uint32_t cond,
                          uint32_t next);

/* LECTOR_SCAN_END */

/* -- lines: the lines the boilerplate extractor reads (extract_lines.c) -- */

/* The boilerplate lexicon's line rules as the tests before a pattern
 * match see them (the patterns stay on the Lua side). */
typedef struct lector_line_rules lector_line_rules;

/* A new empty set of rules, or NULL when out of memory. */
lector_line_rules *lector_line_rules_new(void);

/* Frees r (NULL: nothing). */
void lector_line_rules_free(lector_line_rules *r);

/* Adds a rule: a trimmed line it may match starts with the np bytes of
 * prefix once lower-cased (ASCII letters only), is np bytes long at
 * least, and ends with a byte (lowered) in the 256-bit set last (NULL:
 * any byte). With no prefix (np 0) its first byte (lowered) is in the
 * set first (NULL: any byte) and is no lower-case letter. Returns
 * LECTOR_OK or LECTOR_ENOMEM. */
int lector_line_rules_add(lector_line_rules *r, const unsigned char *prefix,
                          size_t np, const unsigned char *first,
                          const unsigned char *last);

/* Where lector_lines_next stops besides the lines a rule may match. */
typedef struct {
    size_t line;      /* in: lines before pos; out: before the line returned */
    size_t head;      /* a line with fewer lines before it is in the head */
    size_t near;      /* a line starting fewer than near bytes before the
                         text's end is near it */
    size_t glued;     /* every line starting at or past this byte */
    size_t max_len;   /* a longer line (trimmed) only from glued on */
    size_t short_len; /* a head or near line of at most short_len bytes */
    unsigned char short_first[32]; /* ... whose first byte (lowered) is in
                                      this 256-bit set */
} lector_lines_at;

/* The offset of the first line of text (len bytes) starting at or after
 * pos (a line's start) whose trimmed form (leading space, tab, \v, \f,
 * \r and trailing space, tab, \r dropped) is not blank and is glued, or
 * is max_len bytes at most and either may match one of r's rules or is a
 * short head or near line as at says; len when there is none. at->line
 * counts the lines passed. A line is up to a newline or the end. */
size_t lector_lines_next(lector_line_rules *r, const char *text, size_t len,
                         size_t pos, lector_lines_at *at);

/* LECTOR_LINES_END */

/* LECTOR_FFI_END */

#ifdef __cplusplus
}
#endif

#endif /* LECTOR_H */
