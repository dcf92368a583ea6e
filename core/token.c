/* token: UAX #29 word segmentation (libunistring's u8_wordbreaks) with
 * tailorings for news text, and an ASCII fast path.
 *
 * The work is split in two layers so that the fast path cannot change the
 * output:
 *
 *  1. Segmentation yields the UAX #29 word segments of the text. Runs of
 *     ASCII go through a branch-light scanner that implements the UAX #29
 *     rules restricted to ASCII (WB3, WB3d, WB5-WB13b); whenever the
 *     scanner would have to look at a non-ASCII byte it gives up, and the
 *     stretch from the current boundary to the next "safe cut" (an ASCII
 *     white space byte after an ASCII non-space byte, where UAX #29 always
 *     breaks and later breaks do not depend on earlier text) is handed to
 *     u8_wordbreaks. With LECTOR_TOK_NO_FAST the whole text goes to
 *     u8_wordbreaks. Both give the same segments because a UAX #29
 *     boundary makes the rest of the segmentation independent of the text
 *     before it (the only long-range rule, WB15/16 on regional indicators,
 *     counts from the previous boundary).
 *
 *  2. Tailoring turns segments into tokens: it drops white space, splits
 *     clitics, glues abbreviation periods, URLs, e-mail addresses and
 *     ellipses, and flags hyphenated words. It sees only segments and
 *     bytes, so it behaves the same over either segmenter. When it
 *     consumes bytes past a segment (a URL, an abbreviation period) and
 *     the new position is not a UAX #29 boundary, segmentation restarts
 *     there as if the text began at that byte, in both modes.
 *
 * Everything a token's kind, flags and norm depend on that is a property
 * of its surface form is computed once per distinct surface form and kept
 * in a cache (surface -> kind, flags, clitic split, norm id).
 *
 * On top of both layers sits a hot path for the bulk of English text:
 * runs of ASCII letters or digits and common punctuation whose next byte
 * rules out every tailoring, already in the cache, are stored directly
 * (scan, hash, one probe, store). Its main lane (blocks_loop) takes 64
 * bytes at a time as bit masks, and its tokens by bit scans; hot_loop
 * takes what the lane leaves one token at a time, and classifies, caches
 * and interns a plain token seen for the first time itself (tok_first_sight:
 * the same entry tailor would make, in the same order, so norm ids do not
 * change), instead of leaving it to the general path. Whatever the hot path
 * cannot decide, it leaves to the two layers, so it too cannot change the
 * output; the tests compare
 * every field of every token with LECTOR_TOK_NO_FAST, which turns both
 * the ASCII scanner and the hot path off.
 *
 * The tokenizer is three files around tok_internal.h: this one (the
 * object, adding abbreviations, the array pool, segmentation and
 * tailoring), tok_cache.c (the surface cache, classification and
 * abbreviation classes) and tok_lanes.c (the hot path and its
 * SSE2/AVX-512 lanes). */
#include "token.h"
#include "common.h"
#include "lector.h"
#include "tok_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>
#include <uniwbrk.h>

/* ---- ASCII classes for the fast scanner (UAX #29 Word_Break values) --- */

uint8_t tok_cls[256];
/* Bytes after a run of ASCII letters that end the word with nothing for
 * tailoring to do: not a letter, digit or _ (the word goes on), not . : '
 * @ - + (abbreviations, URLs, clitics, e-mail, hyphens), not non-ASCII. */
uint8_t tok_ends_plain[256];
/* Single-byte punctuation that tailoring leaves alone when an ASCII byte
 * follows. */
uint8_t tok_plain_punct[256];

static void init_classes(void)
{
    for (int c = 0; c < 128; c++)
        tok_cls[c] = C_OT;
    for (int c = 'a'; c <= 'z'; c++)
        tok_cls[c] = C_L;
    for (int c = 'A'; c <= 'Z'; c++)
        tok_cls[c] = C_L;
    for (int c = '0'; c <= '9'; c++)
        tok_cls[c] = C_N;
    tok_cls['_'] = C_EX;
    tok_cls[':'] = C_ML;
    tok_cls['.'] = C_MNL;
    tok_cls['\''] = C_SQ;
    tok_cls[','] = C_MN;
    tok_cls[';'] = C_MN;
    tok_cls[' '] = C_SP;
    tok_cls['\r'] = C_CR;
    tok_cls['\n'] = C_LF;
    tok_cls['\v'] = C_NL;
    tok_cls['\f'] = C_NL;
    for (int c = 128; c < 256; c++)
        tok_cls[c] = C_NA;
    for (int c = 0; c < 128; c++)
        tok_ends_plain[c] = tok_cls[c] != C_L && tok_cls[c] != C_N &&
                            tok_cls[c] != C_EX && !strchr(".:'@-+", c);
    tok_ends_plain[0] = 1; /* strchr matches the terminating NUL */
    for (const char *p = ",;:()\"!?&*#$/<=>[]{}|~^`\\"; *p; p++)
        tok_plain_punct[(uint8_t)*p] = 1;
}

/* The end of the UAX #29 segment starting at boundary p, or 0 when that
 * depends on non-ASCII bytes (the caller then uses u8_wordbreaks). */
static size_t fast_seg(const uint8_t *s, size_t n, size_t p)
{
    uint8_t c = tok_cls[s[p]];
    size_t q = p + 1;
    switch (c) {
    case C_NA: return 0;
    case C_L:
    case C_N:
    case C_EX: {
        uint8_t last = c;
        for (;;) {
            if (q == n) return q;
            uint8_t d = tok_cls[s[q]];
            if (d <= C_EX) { /* WB5, WB8-10, WB13a/b */
                if (d == C_NA) return 0;
                last = d;
                q++;
                continue;
            }
            if (q + 1 < n) {
                uint8_t e = tok_cls[s[q + 1]];
                if (last == C_L && (d == C_ML || d == C_MNL || d == C_SQ)) {
                    if (e == C_L) { /* WB6/7 */
                        q += 2;
                        continue;
                    }
                    if (e == C_NA) return 0;
                } else if (last == C_N &&
                           (d == C_MN || d == C_MNL || d == C_SQ)) {
                    if (e == C_N) { /* WB11/12 */
                        q += 2;
                        continue;
                    }
                    if (e == C_NA) return 0;
                }
            }
            return q; /* s[q] is ASCII: no Extend/Format can attach */
        }
    }
    case C_SP:
        while (q < n && s[q] == ' ')
            q++; /* WB3d */
        if (q < n && s[q] >= 0x80) return 0;
        return q;
    case C_CR: return (q < n && s[q] == '\n') ? q + 1 : q; /* WB3 */
    case C_LF:
    case C_NL: return q; /* WB3a: nothing attaches after a newline */
    default:
        if (q < n && s[q] >= 0x80) return 0; /* WB4 could attach */
        return q;
    }
}

/* A position after some non-ASCII byte at or after x where UAX #29 surely
 * breaks and the following breaks are independent of what precedes: an
 * ASCII space, tab or LF preceded by a printable ASCII byte. */
static size_t safe_cut(const uint8_t *s, size_t n, size_t x)
{
    for (size_t r = x + 1; r < n; r++) {
        uint8_t c = s[r];
        if ((c == ' ' || c == '\n' || c == '\t') && s[r - 1] > ' ' &&
            s[r - 1] < 0x80)
            return r;
    }
    return n;
}

static int set_err(lector_tokenizer *tk, int code, const char *msg)
{
    snprintf(tk->errmsg, sizeof tk->errmsg, "%s", msg);
    return code;
}

/* ---- abbreviations -------------------------------------------------- */

static const char *const builtin_titles[] = {
    "Mr",   "Mrs",  "Ms",   "Messrs", "Dr",     "Prof", "Gen",  "Lt",  "Col",
    "Maj",  "Capt", "Cpt",  "Cmdr",   "Adm",    "Sgt",  "Cpl",  "Pvt", "Brig",
    "Rep",  "Reps", "Sen",  "Sens",   "Gov",    "Pres", "Rev",  "Fr",  "Hon",
    "Amb",  "Supt", "Insp", "St",     "Mt",     "Ft",   "Gen",  "Jan", "Feb",
    "Mar",  "Apr",  "Jun",  "Jul",    "Aug",    "Sep",  "Sept", "Oct", "Nov",
    "Dec",  "No",   "Nos",  "vs",     "approx", "cf",   "Vol",  "vol", "pp",
    "Fig",  "fig",  "Ave",  "Blvd",   "Rd",     "Dept", "Univ", "est", "Corp",
    "Bros", "al"};
static const char *const builtin_mayend[] = {"etc", "Inc", "Ltd", "Co",
                                             "Jr",  "Sr",  "Esq", "PLC"};

/* Adds (s, n) without its period; a later add of the same word updates its
 * class. */
static int abbr_add(lector_tokenizer *tk, const char *s, size_t n, int c)
{
    if (!tk->abbr || (tk->acount + 1) * 2 > tk->amask + 1) {
        size_t ncap = tk->abbr ? (tk->amask + 1) * 2 : 256;
        aentry *na = calloc(ncap, sizeof *na);
        if (!na) return LECTOR_ENOMEM;
        for (size_t i = 0; tk->abbr && i <= tk->amask; i++) {
            if (!tk->abbr[i].len) continue;
            size_t j = tk->abbr[i].hash & (ncap - 1);
            while (na[j].len)
                j = (j + 1) & (ncap - 1);
            na[j] = tk->abbr[i];
        }
        free(tk->abbr);
        tk->abbr = na;
        tk->amask = ncap - 1;
    }
    uint32_t h = (uint32_t)lector_hash(s, n);
    size_t j = h & tk->amask;
    for (;; j = (j + 1) & tk->amask) {
        aentry *e = &tk->abbr[j];
        if (!e->len) break;
        if (e->hash == h && e->len == n && !memcmp(tk->astr + e->off, s, n)) {
            e->cls = (uint8_t)c;
            return LECTOR_OK;
        }
    }
    if (tk->astr_len + n > tk->astr_cap) {
        char *ns =
            lector__grow(tk->astr, &tk->astr_cap, tk->astr_len + n, 1, 1024);
        if (!ns) return LECTOR_ENOMEM;
        tk->astr = ns;
    }
    memcpy(tk->astr + tk->astr_len, s, n);
    tk->abbr[j] = (aentry){h, (uint32_t)tk->astr_len, (uint32_t)n, (uint8_t)c};
    tk->astr_len += n;
    tk->acount++;
    if (n > tk->amax) tk->amax = n;
    tk->afirst[n] |= 1ull << ((uint8_t)s[0] & 63);
    return LECTOR_OK;
}

int lector_tokenizer_add_abbrev(lector_tokenizer *tk, const char *s, size_t n)
{
    if (!tk) return LECTOR_EINVAL;
    if (!s || n < 2 || s[n - 1] != '.' || n > 64)
        return set_err(tk, LECTOR_EINVAL,
                       "an abbreviation ends with its period and is at "
                       "most 64 bytes (\"Gen.\")");
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)s[i] <= ' ')
            return set_err(tk, LECTOR_EINVAL,
                           "an abbreviation has no white space");
    if (u8_check((const uint8_t *)s, n))
        return set_err(tk, LECTOR_EUTF8, "abbreviation is not valid UTF-8");
    int rc = abbr_add(tk, s, n - 1, LECTOR_ABBR_TITLE);
    if (rc) return set_err(tk, rc, "out of memory");
    /* Cached surfaces remember whether they take a period: start over. */
    if (!tok_cache_reset(tk, tk->cmask + 1))
        return set_err(tk, LECTOR_ENOMEM, "out of memory");
    return LECTOR_OK;
}

size_t lector__tokenizer_cached(const lector_tokenizer *tk)
{
    return tk->ccount;
}

void lector__tokenizer_set_lane(lector_tokenizer *tk, int level)
{
    tk->lane_cap = level;
}

/* ---- tokenizer object ---------------------------------------------- */

lector_tokenizer *lector_tokenizer_new(lector_intern *in)
{
    static int classes_ready;
    if (!in) return NULL;
    if (!classes_ready) {
        init_classes(); /* idempotent: concurrent first calls write the same */
        tok_gc_init();
        classes_ready = 1;
    }
    lector_tokenizer *tk = calloc(1, sizeof *tk);
    if (!tk) return NULL;
    tk->in = in;
    tk->lane_cap = 2;
    if (!tok_cache_reset(tk, 4096)) goto fail;
    for (size_t i = 0; i < sizeof builtin_titles / sizeof *builtin_titles; i++)
        if (abbr_add(tk, builtin_titles[i], strlen(builtin_titles[i]),
                     LECTOR_ABBR_TITLE))
            goto fail;
    for (size_t i = 0; i < sizeof builtin_mayend / sizeof *builtin_mayend; i++)
        if (abbr_add(tk, builtin_mayend[i], strlen(builtin_mayend[i]),
                     LECTOR_ABBR_MAYEND))
            goto fail;
    return tk;
fail:
    lector_tokenizer_free(tk);
    return NULL;
}

void lector_tokenizer_free(lector_tokenizer *tk)
{
    if (!tk) return;
    for (size_t k = 0; k < sizeof tk->pool / sizeof *tk->pool; k++)
        for (lector_token *a = tk->pool[k], *next; a; a = next) {
            memcpy(&next, (char *)a, sizeof next);
            free(a);
        }
    tok_cache_free(tk);
    tok_fold_free(tk);
    free(tk->arena);
    free(tk->abbr);
    free(tk->astr);
    free(tk->brk);
    free(tk);
}

lector_tokenizer *lector__tokenizer_fork(const lector_tokenizer *tk)
{
    lector_tokenizer *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->in = tk->in;
    f->lane_cap = tk->lane_cap;
    if (!tok_cache_reset(f, 4096)) goto fail;
    if (tk->abbr) {
        size_t bytes = (tk->amask + 1) * sizeof *tk->abbr;
        if (!(f->abbr = malloc(bytes))) goto fail;
        memcpy(f->abbr, tk->abbr, bytes);
        f->amask = tk->amask;
        f->acount = tk->acount;
        f->amax = tk->amax;
        memcpy(f->afirst, tk->afirst, sizeof f->afirst);
    }
    if (tk->astr_cap) {
        if (!(f->astr = malloc(tk->astr_cap))) goto fail;
        memcpy(f->astr, tk->astr, tk->astr_len);
        f->astr_len = tk->astr_len;
        f->astr_cap = tk->astr_cap;
    }
    return f;
fail:
    lector_tokenizer_free(f);
    return NULL;
}

static lector_tokenizer *default_tk;
static lector_intern *default_in;

static void free_default(void)
{
    lector_tokenizer_free(default_tk);
    lector_intern_free(default_in);
    default_tk = NULL;
    default_in = NULL;
}

lector_tokenizer *lector_tokenizer_default(void)
{
    if (default_tk) return default_tk;
    lector_intern *in = lector_intern_new();
    lector_tokenizer *tk = in ? lector_tokenizer_new(in) : NULL;
    if (!tk || atexit(free_default) != 0) {
        lector_tokenizer_free(tk);
        lector_intern_free(in);
        return NULL;
    }
    default_in = in;
    default_tk = tk;
    return tk;
}

lector_intern *lector_tokenizer_intern(const lector_tokenizer *tk)
{
    return tk ? tk->in : NULL;
}

const char *lector_tokenizer_errmsg(const lector_tokenizer *tk)
{
    return tk ? tk->errmsg : "no tokenizer";
}

/* Token arrays the pool keeps for reuse, in bytes. A loop over a corpus
 * that leaves its arrays to Lua's collector gets them back late and in
 * bursts (the collector does not see C memory); kept here, the next
 * documents reuse them instead of faulting in fresh pages. */
#define POOL_MAX_BYTES ((size_t)64 << 20)

/* The size class of an array of cap tokens: floor(log2(cap)). */
static unsigned pool_class(size_t cap)
{
    return (unsigned)(63 - __builtin_clzll((unsigned long long)cap));
}

void lector_tokenizer_recycle(lector_tokenizer *tk, lector_tokens *t)
{
    if (!t) return;
    size_t bytes = t->cap * sizeof *t->tok;
    if (tk && t->tok && t->cap && tk->pool_bytes + bytes <= POOL_MAX_BYTES) {
        unsigned k = pool_class(t->cap);
        if (k < sizeof tk->pool / sizeof *tk->pool) {
            lector_token *a = t->tok;
            memcpy((char *)a, &tk->pool[k], sizeof tk->pool[k]);
            memcpy((char *)a + sizeof(lector_token *), &t->cap, sizeof t->cap);
            tk->pool[k] = a;
            tk->pool_bytes += bytes;
            lector_tokens_init(t);
            return;
        }
    }
    lector_tokens_release(t);
}

/* An array of at least need tokens from the pool into t (empty), if the
 * pool has one. */
static void pool_take(lector_tokenizer *tk, lector_tokens *t, size_t need)
{
    unsigned k = pool_class(need);
    if ((size_t)1 << k < need) k++; /* every array of class k has >= 2^k */
    for (; k < sizeof tk->pool / sizeof *tk->pool; k++) {
        lector_token *a = tk->pool[k];
        if (!a) continue;
        memcpy(&tk->pool[k], (char *)a, sizeof tk->pool[k]);
        memcpy(&t->cap, (char *)a + sizeof(lector_token *), sizeof t->cap);
        t->tok = a;
        t->n = 0;
        tk->pool_bytes -= t->cap * sizeof *t->tok;
        return;
    }
}

void lector_tokens_init(lector_tokens *t)
{
    if (!t) return;
    t->tok = NULL;
    t->n = 0;
    t->cap = 0;
}

void lector_tokens_release(lector_tokens *t)
{
    if (!t) return;
    free(t->tok);
    lector_tokens_init(t);
}

static int reserve(lector_tokens *out)
{
    return out->n < out->cap || tok_grow(out);
}

/* Appends the token [a, b) described by e. */
static int push(run *r, size_t a, size_t b, centry *e, uint16_t extra)
{
    if (!reserve(r->out)) return 0;
    int32_t norm = 0;
    if (!(r->opts & LECTOR_TOK_NO_NORM)) {
        if (e->norm < 0) e->norm = tok_norm_of(r->tk, r->s + a, b - a);
        norm = e->norm;
        if (!norm) return 0;
    }
    lector_token *t = &r->out->tok[r->out->n++];
    t->start = (uint32_t)a;
    t->end = (uint32_t)b;
    t->norm = norm;
    t->flags = (uint16_t)(e->flags | r->pending | extra);
    t->kind = e->kind;
    t->reserved = 0;
    r->pending = 0;
    r->newlines = 0;
    return 1;
}

/* After pushing a word, number or clitic. */
static void mark_hyphen(run *r)
{
    join_hyphen(r->s, r->out->tok + r->out->n, r->out->n);
}

static int push_word(run *r, size_t a, size_t b, centry *e)
{
    if (!push(r, a, b, e, 0)) return 0;
    uint8_t k = e->kind;
    if (k == LECTOR_TK_WORD || k == LECTOR_TK_NUMBER || k == LECTOR_TK_CLITIC)
        mark_hyphen(r);
    return 1;
}

/* A URL starting at a: scheme://... or www.x.y; returns its end or 0. */
static size_t url_at(const uint8_t *s, size_t n, size_t a, size_t b)
{
    size_t q, min_end;
    size_t sl = b - a;
    if ((tok_lower_eq(s + a, sl, "http") || tok_lower_eq(s + a, sl, "https") ||
         tok_lower_eq(s + a, sl, "ftp")) &&
        b + 3 < n && s[b] == ':' && s[b + 1] == '/' && s[b + 2] == '/' &&
        s[b + 3] > ' ' && s[b + 3] < 0x80)
        q = min_end = b + 4;
    else if (sl >= 6 && (s[a] | 32) == 'w' && tok_lower_eq(s + a, 4, "www.") &&
             memchr(s + a + 4, '.', sl - 4))
        q = a, min_end = b;
    else
        return 0;
    /* ASCII up to white space or a delimiter that never ends a URL. */
    while (q < n && s[q] > ' ' && s[q] < 0x7F && s[q] != '"' && s[q] != '<' &&
           s[q] != '>')
        q++;
    int open = 0;
    for (size_t i = a; i < q; i++)
        open += (s[i] == '(') - (s[i] == ')');
    while (q > min_end) {
        uint8_t c = s[q - 1];
        if (c == ')' && open < 0) {
            open++;
            q--;
        } else if (strchr(".,;:!?'", c)) {
            q--;
        } else {
            break;
        }
    }
    return q >= min_end ? q : 0;
}

/* Pushes [a, q) as one token of kind (a URL or an e-mail address, glued
 * over several segments), whatever its surface classified as; 0 when out
 * of memory. */
static int push_whole(run *r, size_t a, size_t q, uint8_t kind)
{
    centry *e = tok_lookup(r->tk, r->s + a, q - a, r->n - a);
    if (!e) return 0;
    e->kind = kind;
    e->lane = 0;
    return push(r, a, q, e, 0);
}

/* The end of an apostrophe (' or ’) and ASCII letters at q that stand
 * alone (no letter or digit after them), or 0: a clitic after an
 * abbreviation's period (the U.S.’s role), which word breaks leave as
 * punctuation and a word. Whether it is a clitic, the cache decides. */
static size_t clitic_after(const uint8_t *s, size_t n, size_t q)
{
    size_t p;
    if (q < n && s[q] == '\'')
        p = q + 1;
    else if (q + 2 < n && s[q] == 0xE2 && s[q + 1] == 0x80 && s[q + 2] == 0x99)
        p = q + 3;
    else
        return 0;
    size_t e = p;
    while (e < n && e - p < 3 && ((s[e] | 32) >= 'a' && (s[e] | 32) <= 'z'))
        e++;
    if (e == p) return 0;
    if (e < n && (((s[e] | 32) >= 'a' && (s[e] | 32) <= 'z') ||
                  (s[e] >= '0' && s[e] <= '9') || s[e] >= 0x80))
        return 0;
    return e;
}

/* Handles the segment [a, b) (not white space); returns the position
 * where segmentation goes on (b, or further when bytes were glued). */
static size_t tailor(run *r, size_t a, size_t b, int *err)
{
    const uint8_t *s = r->s;
    size_t n = r->n;
    uint8_t c0 = s[a];
    /* URLs and e-mail addresses: cheap first-byte tests gate the scans. */
    if (((c0 | 32) == 'h' || (c0 | 32) == 'f' || (c0 | 32) == 'w') &&
        ((b < n && s[b] == ':') || (b - a >= 6 && s[a + 3] == '.'))) {
        size_t q = url_at(s, n, a, b);
        if (q) {
            if (!push_whole(r, a, q, LECTOR_TK_URL)) goto oom;
            return q;
        }
    }
    if (b < n && (s[b] == '@' || s[b] == '.' || s[b] == '-' || s[b] == '+') &&
        c0 < 0x80 && email_local(c0)) {
        size_t q = email_at(s, n, a);
        if (q) {
            if (!push_whole(r, a, q, LECTOR_TK_EMAIL)) goto oom;
            return q;
        }
    }
    centry *e = tok_lookup(r->tk, s + a, b - a, n - a);
    if (!e) goto oom;
    if (e->kind == LECTOR_TK_WORD) {
        if (b < n && s[b] == '.' && (e->lane & LANE_ABBREV)) {
            centry *ea = tok_lookup(r->tk, s + a, b + 1 - a, n - a);
            if (!ea) goto oom;
            if (!push_word(r, a, b + 1, ea)) goto oom;
            size_t q = clitic_after(s, n, b + 1);
            if (q) {
                centry *ec = tok_lookup(r->tk, s + b + 1, q - b - 1, n - b - 1);
                if (!ec) goto oom;
                if (ec->kind == LECTOR_TK_CLITIC) {
                    if (!push_word(r, b + 1, q, ec)) goto oom;
                    return q;
                }
            }
            return b + 1;
        }
        if (e->lane & LANE_SPLIT) {
            size_t m = a + tok_clitic_split(s + a, b - a);
            centry *h = tok_lookup(r->tk, s + a, m - a, n - a);
            if (!h || !push_word(r, a, m, h)) goto oom;
            centry *t = tok_lookup(r->tk, s + m, b - m, n - m);
            if (!t || !push(r, m, b, t, 0)) goto oom;
            return b;
        }
        if (!push_word(r, a, b, e)) goto oom;
        return b;
    }
    if (c0 == '.' && b == a + 1 && b < n && s[b] == '.') {
        size_t q = b;
        while (q < n && s[q] == '.')
            q++;
        centry *ee = tok_lookup(r->tk, s + a, q - a, n - a);
        if (!ee || !push(r, a, q, ee, 0)) goto oom;
        return q;
    }
    if (!push_word(r, a, b, e)) goto oom;
    return b;
oom:
    *err = 1;
    return b;
}

/* A white space segment: remembers the space for the next token and marks
 * line ends on the previous one. */
static void space(run *r, size_t a, size_t b)
{
    const uint8_t *s = r->s;
    int nl = 0;
    for (size_t i = a; i < b; i++) {
        uint8_t c = s[i];
        if (c == '\n' || c == '\v' || c == '\f' ||
            (c == '\r' && !(i + 1 < b && s[i + 1] == '\n')))
            nl++;
        else if (c == 0xC2 && i + 1 < b && s[i + 1] == 0x85)
            nl++; /* NEL */
        else if (c == 0xE2 && i + 2 < b && s[i + 1] == 0x80 &&
                 (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
            nl++; /* LINE / PARAGRAPH SEPARATOR */
    }
    r->pending = LECTOR_TF_SPACE_BEFORE;
    if (nl && r->out->n) {
        r->newlines += nl;
        lector_token *t = &r->out->tok[r->out->n - 1];
        t->flags |= LECTOR_TF_LINE_END;
        if (r->newlines >= 2) t->flags |= LECTOR_TF_PARA_END;
    }
}

static int is_space_start(const uint8_t *s, size_t n, size_t a)
{
    uint8_t c = s[a];
    if (c < 0x80) return c <= ' ' || c == 0x7F;
    ucs4_t u;
    u8_mbtouc_unsafe(&u, s + a, n - a);
    return (tok_gc(u) & (GC_WS | GC_CC | GC_CF | GC_ZS)) != 0;
}

/* A segment is dropped as white space only when nothing in it is text:
 * it starts with a space-like character and every later one is too, or is
 * a mark attached to it. Checking the start alone would lose text: UAX #29
 * keeps ZWJ + pictograph together (WB3c), so "\u200D\U0001F600" begins
 * with a format character, and its emoji would vanish with it. */
static int is_space_segment(const uint8_t *s, size_t n, size_t a, size_t b)
{
    if (!is_space_start(s, n, a)) return 0;
    for (size_t i = a; i < b;) {
        if (s[i] < 0x80) {
            if (!(s[i] <= ' ' || s[i] == 0x7F)) return 0;
            i++;
            continue;
        }
        ucs4_t u;
        int len = u8_mbtouc_unsafe(&u, s + i, n - i);
        if (!is_space_start(s, n, i) && !(tok_gc(u) & GC_M)) return 0;
        i += (size_t)(len > 0 ? len : 1);
    }
    return 1;
}

int lector_tokenize(lector_tokenizer *tk, const char *text, size_t n,
                    unsigned opts, lector_tokens *out)
{
    if (!tk || !out || (!text && n)) return LECTOR_EINVAL;
    out->n = 0;
    tk->errmsg[0] = '\0';
    if (n >= UINT32_MAX)
        return set_err(tk, LECTOR_ELIMIT, "text longer than 4 GiB - 1");
    const uint8_t *s = (const uint8_t *)text;
    /* English prose has a token per 5 or 6 bytes: one allocation up front
     * instead of a chain of doublings, rounded up to a power of two so
     * that the pool can give it to any document that size or smaller. */
    size_t need = n / 5 + 16;
    if (!out->tok) pool_take(tk, out, need);
    if (out->cap < need) {
        size_t nc = (size_t)1 << pool_class(need);
        if (nc < need) nc *= 2;
        lector_token *nt = realloc(out->tok, nc * sizeof *nt);
        if (!nt) return set_err(tk, LECTOR_ENOMEM, "out of memory");
        out->tok = nt;
        out->cap = nc;
    }
    int fast = !(opts & LECTOR_TOK_NO_FAST);
    int uax = opts & LECTOR_TOK_UAX29;
    /* a surface address kept from an earlier text means nothing here */
    tk->pf_s = NULL;
    tk->norm_prefetch = !(opts & LECTOR_TOK_NO_NORM);
    run r = {tk, s, n, opts, out, 0, 0, 0};
    size_t p = 0, rs = 0, re = 0; /* region [rs, re) with breaks in brk */
    int err = 0;
    /* UTF-8 is validated region by region: the fast path only ever steps
     * over ASCII bytes, and every non-ASCII byte is inside some region, so
     * the first invalid sequence found is the first of the text. */
    int hot = fast && !uax;
    while (p < n) {
        size_t q = 0;
        /* The hot path: plain ASCII tokens found in the surface cache,
         * stored without the general machinery (see tok_hot_path). */
        if (hot && p >= re) p = tok_hot_path(&r, p);
        if (r.oom) return set_err(tk, LECTOR_ENOMEM, "out of memory");
        if (p >= n) break;
        if (p >= re && fast) {
            if (s[p] == ' ' && !uax) {
                /* Spaces between ASCII tokens, the most common segment,
                 * without a trip through the segment machinery. */
                size_t e = p + 1;
                while (e < n && s[e] == ' ')
                    e++;
                if (e == n || s[e] < 0x80) {
                    r.pending = LECTOR_TF_SPACE_BEFORE;
                    p = e;
                    continue;
                }
            }
            q = fast_seg(s, n, p);
        }
        if (!q) {
            if (p >= re) {
                size_t cut = fast ? safe_cut(s, n, p) : n;
                const uint8_t *bad = u8_check(s + p, cut - p);
                if (bad) {
                    size_t at = (size_t)(bad - s);
                    const char *why = "invalid sequence";
                    size_t dummy;
                    lector_utf8_check(text + at, n - at, &dummy, &why);
                    snprintf(tk->errmsg, sizeof tk->errmsg,
                             "invalid UTF-8 at byte %zu: %s", at, why);
                    out->n = 0; /* no partial output */
                    return LECTOR_EUTF8;
                }
                if (cut - p > tk->brk_cap) {
                    uint8_t *nb =
                        lector__grow(tk->brk, &tk->brk_cap, cut - p, 1, 4096);
                    if (!nb) return set_err(tk, LECTOR_ENOMEM, "out of memory");
                    tk->brk = nb;
                }
                u8_wordbreaks(s + p, cut - p, (char *)tk->brk);
                rs = p;
                re = cut;
            }
            q = p + 1;
            while (q < re && !tk->brk[q - rs])
                q++;
        }
        size_t next;
        if (uax) {
            centry *e = tok_lookup(tk, s + p, q - p, n - p);
            if (!e || !push(&r, p, q, e, 0))
                return set_err(tk, LECTOR_ENOMEM, "out of memory");
            next = q;
        } else if (is_space_segment(s, n, p, q)) {
            space(&r, p, q);
            next = q;
        } else if (is_space_start(s, n, p)) {
            /* A NUL, control or space character that word breaks glued to
             * what follows (WB4: a ZWJ, an emoji modifier after it): it is
             * white space, and the token starts after it, so no token
             * holds a NUL or a control character. */
            size_t a = p;
            while (a < q && is_space_start(s, n, a)) {
                int len = 1;
                if (s[a] >= 0x80) {
                    ucs4_t u;
                    len = u8_mbtouc_unsafe(&u, s + a, n - a);
                    if (len < 1) len = 1;
                }
                a += (size_t)len;
            }
            space(&r, p, a);
            next = a < q ? tailor(&r, a, q, &err) : q;
            if (err) return set_err(tk, LECTOR_ENOMEM, "out of memory");
        } else {
            next = tailor(&r, p, q, &err);
            if (err) return set_err(tk, LECTOR_ENOMEM, "out of memory");
        }
        /* Glued past a segment into the middle of the region: restart. */
        if (next < re && next > q && !tk->brk[next - rs]) re = 0;
        p = next;
    }
    return LECTOR_OK;
}
