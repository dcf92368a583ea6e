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
const char *lector_intern_str(const lector_intern *in, int32_t id,
                              size_t *len);
size_t lector_intern_count(const lector_intern *in);

/* -- token: tailored UAX #29 word segmentation (token.c) -- */

enum lector_token_kind {
    LECTOR_TK_WORD = 1,
    LECTOR_TK_NUMBER = 2,
    LECTOR_TK_PUNCT = 3,
    LECTOR_TK_SYMBOL = 4,
    LECTOR_TK_URL = 5,
    LECTOR_TK_EMAIL = 6,
    LECTOR_TK_CLITIC = 7,  /* 's n't 're 'll ... split off a word */
    LECTOR_TK_OTHER = 8    /* emoji, pictographs, unassigned */
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
    LECTOR_TF_NONASCII = 1 << 8       /* contains a non-ASCII byte */
};

/* One token: 16 bytes, read in place by Lua through the FFI. */
typedef struct lector_token {
    uint32_t start;  /* byte offset of the first byte */
    uint32_t end;    /* byte offset one past the last byte */
    int32_t norm;    /* intern id of lector_fold(text) */
    uint16_t flags;  /* LECTOR_TF_* */
    uint8_t kind;    /* LECTOR_TK_* */
    uint8_t reserved;
} lector_token;

/* A growable token array owned by the caller; reused across documents. */
typedef struct lector_tokens {
    lector_token *tok;
    size_t n;
    size_t cap;
} lector_tokens;

enum {
    LECTOR_TOK_UAX29 = 1 << 0,   /* untailored UAX #29 segments (incl. spaces
                                    as their own segments are dropped) */
    LECTOR_TOK_NO_FAST = 1 << 1  /* disable the ASCII fast path (testing) */
};

typedef struct lector_tokenizer lector_tokenizer;

/* A tokenizer interning norms into in (borrowed: in must outlive it). */
lector_tokenizer *lector_tokenizer_new(lector_intern *in);
void lector_tokenizer_free(lector_tokenizer *tk);
const char *lector_tokenizer_errmsg(const lector_tokenizer *tk);

/* Adds an abbreviation kept whole with its periods ("Gen.", "approx."). */
int lector_tokenizer_add_abbrev(lector_tokenizer *tk, const char *s,
                                size_t n);

/* Tokenizes valid UTF-8 (s, n) into out (cleared first). n must be below
 * 4 GiB (LECTOR_ELIMIT). Invalid UTF-8 gives LECTOR_EUTF8 with the offset
 * in the errmsg. */
int lector_tokenize(lector_tokenizer *tk, const char *s, size_t n,
                    unsigned opts, lector_tokens *out);

void lector_tokens_init(lector_tokens *t);
void lector_tokens_release(lector_tokens *t);  /* frees t->tok, keeps t */

/* -- sentence: sentence boundaries over tokens (sentence.c) -- */

typedef struct lector_sentence {
    uint32_t first;  /* index of the first token */
    uint32_t last;   /* index of the last token (inclusive) */
} lector_sentence;

/* Splits toks (made from (s, n)) into sentences: *out receives a fresh
 * array of *count sentences that partition the tokens in order. */
int lector_sentences(const lector_tokenizer *tk, const char *s, size_t n,
                     const lector_tokens *toks, lector_sentence **out,
                     size_t *count);

/* LECTOR_TEXT_END */

/* LECTOR_STORE_BEGIN (owned by store.c) */

/* LECTOR_STORE_END */

/* LECTOR_MATCH_BEGIN (owned by gazetteer.c and pattern.c) */

/* LECTOR_MATCH_END */

/* LECTOR_FS_BEGIN (owned by fs.c: what Lua lacks for walking inputs) */

enum { LECTOR_FILE = 1, LECTOR_DIR = 2, LECTOR_OTHER = 3 };

typedef struct lector_fileinfo {
    int kind;        /* LECTOR_FILE, LECTOR_DIR or LECTOR_OTHER */
    int readable;    /* nonzero when the process may read it */
    int64_t size;    /* bytes */
    uint64_t dev;    /* device and inode identify a file across links, */
    uint64_t ino;    /* so a walk can detect symlink loops */
} lector_fileinfo;

/* Fills *out for path, following symlinks. Returns LECTOR_OK or LECTOR_EIO
 * with *err_no set to the errno (see lector_errno_str). */
int lector_stat(const char *path, lector_fileinfo *out, int *err_no);

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

/* LECTOR_FFI_END */

#ifdef __cplusplus
}
#endif

#endif /* LECTOR_H */
