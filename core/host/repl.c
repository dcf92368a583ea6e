/* The interactive REPL: libedit line editing and history, lua.c-style
 * incomplete-input detection, expression printing and Tab completion (both
 * in scripts/lector/repl.lua), and Ctrl-C that cancels input or interrupts a
 * running statement. */
#include "host.h"

#include <lauxlib.h>

#include <editline/readline.h>
#include <langinfo.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static lua_State *repl_L;
static sigjmp_buf prompt_jmp;
static volatile sig_atomic_t at_prompt;

/* Calls require("lector.repl")[fn] with up to two arguments: the string
 * arg (when not NULL), then the first len2 bytes of arg2 (when not NULL);
 * leaves nres results. Returns 0 on success; errors are printed by
 * host_pcall. */
static int call_repl2(lua_State *L, const char *fn, const char *arg,
                      const char *arg2, size_t len2, int nres)
{
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lector.repl");
    if (host_pcall(L, 1, 1, 0) != HOST_EXIT_OK) return -1;
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    int narg = 0;
    if (arg) {
        lua_pushstring(L, arg);
        narg = 1;
        if (arg2) {
            lua_pushlstring(L, arg2, len2);
            narg = 2;
        }
    }
    return host_pcall(L, narg, nres, 0) == HOST_EXIT_OK ? 0 : -1;
}

static int call_repl(lua_State *L, const char *fn, const char *arg, int nres)
{
    return call_repl2(L, fn, arg, NULL, 0, nres);
}

/* Tab completion: the candidates come from repl.complete(word, line), line
 * being the input up to the cursor, so that the expression before the word
 * (`toks[1].`, where '[' and ']' break words) is known. */
static char **candidates;
static size_t n_candidates, next_candidate;

static void drop_candidates(void)
{
    for (size_t i = next_candidate; i < n_candidates; i++)
        free(candidates[i]);
    free(candidates);
    candidates = NULL;
    n_candidates = next_candidate = 0;
}

static char *candidate_generator(const char *text, int state)
{
    (void)text;
    if (state == 0) next_candidate = 0;
    if (next_candidate < n_candidates) return candidates[next_candidate++];
    drop_candidates();
    return NULL;
}

/* libedit gives the cursor in characters (of the UTF-8 LC_CTYPE); the
 * byte offset in s of character nchars, at most strlen(s). */
static size_t utf8_offset(const char *s, int nchars)
{
    size_t i = 0;
    for (int c = 0; s[i] && c < nchars; c++)
        do
            i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

static char **complete(const char *text, int start, int end)
{
    (void)start;
    drop_candidates();
    rl_attempted_completion_over = 1;
    lua_State *L = repl_L;
    int top = lua_gettop(L);
    const char *line = rl_line_buffer ? rl_line_buffer : text;
    size_t upto = line == text ? strlen(text) : utf8_offset(line, end);
    if (call_repl2(L, "complete", text, line, upto, 1) == 0 &&
        lua_istable(L, -1)) {
        size_t n = lua_objlen(L, -1);
        candidates = calloc(n + 1, sizeof *candidates);
        for (size_t i = 0; candidates && i < n; i++) {
            lua_rawgeti(L, -1, (int)i + 1);
            const char *s = lua_tostring(L, -1);
            if (s && (candidates[n_candidates] = strdup(s))) n_candidates++;
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
    if (n_candidates == 0) return NULL;
    return rl_completion_matches(text, candidate_generator);
}

static void on_prompt_sigint(int sig)
{
    (void)sig;
    if (at_prompt) siglongjmp(prompt_jmp, 1);
}

/* Statements then an expression, as in `x = {1,2}; x`: compiles the
 * input split at a ';' or white space into "statements; return expr",
 * trying the shortest trailing expression first. Returns 1 with the
 * function on the stack, 0 (stack unchanged) when no split compiles. Lua
 * reads that input as an incomplete assignment, so without this the REPL
 * would wait at the continuation prompt for an '=' that never comes.
 * The expression is looked for on the last line only: a long function
 * typed or pasted line by line costs a few compiles a line, not one per
 * space of everything typed so far. */
static int compile_trailing_expr(lua_State *L, const char *code)
{
    size_t n = strlen(code);
    const char *nl = strrchr(code, '\n');
    size_t first = nl ? (size_t)(nl - code) : 0;
    for (size_t i = n; i-- > first;) {
        if (!strchr("; \t\n", code[i])) continue;
        const char *expr = code + i + 1;
        if (strspn(expr, " \t\n") == strlen(expr)) continue;
        lua_pushlstring(L, code, i + 1);
        lua_pushliteral(L, " return ");
        lua_pushstring(L, expr);
        lua_concat(L, 3);
        int st = luaL_loadbuffer(L, lua_tostring(L, -1), lua_objlen(L, -1),
                                 "=stdin");
        lua_remove(L, -2);
        if (st == 0) return 1;
        lua_pop(L, 1);
    }
    return 0;
}

/* Compiles the pending input, first as an expression ("return " .. src),
 * then as statements. Returns 1 when compiled (function on the stack),
 * 0 when the input is incomplete, -1 on a syntax error (printed). */
static int compile(lua_State *L, const char *src)
{
    const char *code = src[0] == '=' ? src + 1 : src;
    lua_pushfstring(L, "return %s", code);
    int st =
        luaL_loadbuffer(L, lua_tostring(L, -1), lua_objlen(L, -1), "=stdin");
    lua_remove(L, -2);
    if (st == 0) return 1;
    lua_pop(L, 1);
    st = luaL_loadbuffer(L, code, strlen(code), "=stdin");
    if (st == 0) return 1;
    if (st == LUA_ERRSYNTAX && compile_trailing_expr(L, code)) {
        lua_remove(L, -2); /* the first error */
        return 1;
    }
    size_t len;
    const char *msg = lua_tolstring(L, -1, &len);
    /* lua.c's rule: a syntax error at <eof> means "read another line". */
    static const char eof_mark[] = "'<eof>'";
    size_t mark = sizeof eof_mark - 1;
    if (st == LUA_ERRSYNTAX && len >= mark &&
        strcmp(msg + len - mark, eof_mark) == 0) {
        lua_pop(L, 1);
        return 0;
    }
    fprintf(stderr, "%s\n", msg);
    lua_pop(L, 1);
    return -1;
}

static void evaluate(lua_State *L)
{
    int top = lua_gettop(L) - 1; /* below the compiled chunk */
    /* Typed code runs interpreted so that Ctrl-C's hook can always stop it
     * (compiled traces never run hooks); the library keeps its JIT. */
    lua_getglobal(L, "jit");
    lua_getfield(L, -1, "off");
    lua_pushvalue(L, top + 1);
    lua_pushboolean(L, 1);
    lua_call(L, 2, 0);
    lua_pop(L, 1);
    if (host_pcall(L, 0, LUA_MULTRET, 0) != HOST_EXIT_OK) return;
    int nres = lua_gettop(L) - top;
    if (nres > 0) {
        lua_getglobal(L, "require");
        lua_pushliteral(L, "lector.repl");
        lua_call(L, 1, 1);
        lua_getfield(L, -1, "show");
        lua_remove(L, -2);
        lua_insert(L, top + 1);
        host_pcall(L, nres, 0, 0);
    }
    lua_settop(L, top);
}

static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (!home || !*home) return NULL;
    size_t n = strlen(home) + sizeof "/.lector_history";
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.lector_history", home);
    return p;
}

/* Incomplete input waiting for more lines; static so that siglongjmp from
 * Ctrl-C at the prompt cannot clobber it. */
static char *pending;

/* Joins a new line to the pending input; returns a fresh string or NULL. */
static char *join_input(char *line)
{
    if (!pending) return strdup(line);
    size_t n = strlen(pending) + strlen(line) + 2;
    char *src = malloc(n);
    if (src) snprintf(src, n, "%s\n%s", pending, line);
    free(pending);
    pending = NULL;
    return src;
}

static void repl_loop(lua_State *L)
{
    for (;;) {
        if (sigsetjmp(prompt_jmp, 1)) {
            /* Ctrl-C at the prompt drops the current input, as shells do. */
            fputs("^C\n", stdout);
            free(pending);
            pending = NULL;
        }
        at_prompt = 1;
        signal(SIGINT, on_prompt_sigint);
        char *line = readline(pending ? ">> " : "> ");
        at_prompt = 0;
        signal(SIGINT, SIG_DFL);
        if (!line) { /* Ctrl-D */
            fputc('\n', stdout);
            return;
        }
        if (!pending && line[0] == ':') {
            add_history(line);
            int quit = !strcmp(line, ":quit") || !strcmp(line, ":q");
            if (!quit) call_repl(L, "command", line, 0);
            free(line);
            if (quit) return;
            continue;
        }
        char *src = join_input(line);
        free(line);
        if (!src) {
            fputs("lector: out of memory\n", stderr);
            continue;
        }
        if (strspn(src, " \t") == strlen(src)) {
            free(src);
            continue;
        }
        int st = compile(L, src);
        if (st == 0) {
            pending = src;
            continue;
        }
        add_history(src);
        free(src);
        if (st == 1) evaluate(L);
        fflush(stdout);
    }
}

/* libedit decodes keystrokes, the line and the history file with the C
 * library's multibyte functions: in the "C" locale (no LANG, as in cron,
 * CI and containers) it drops every non-ASCII byte. lector's text is UTF-8
 * whatever the environment says, so LC_CTYPE is the environment's when that
 * is UTF-8, else C.UTF-8 (glibc always has it). Only LC_CTYPE: number
 * formatting and messages keep the "C" locale. Returns 0 when a UTF-8
 * LC_CTYPE is in force. */
static int utf8_ctype(void)
{
    static const char *const fallbacks[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
    if (setlocale(LC_CTYPE, "") && !strcmp(nl_langinfo(CODESET), "UTF-8"))
        return 0;
    for (size_t i = 0; i < sizeof fallbacks / sizeof *fallbacks; i++)
        if (setlocale(LC_CTYPE, fallbacks[i]) &&
            !strcmp(nl_langinfo(CODESET), "UTF-8"))
            return 0;
    setlocale(LC_CTYPE, "C");
    return -1;
}

int host_repl(lua_State *L, const char *db, int trust_schema)
{
    repl_L = L;
    if (utf8_ctype() != 0)
        fputs("lector: no UTF-8 locale is installed (not even C.UTF-8): "
              "non-ASCII input will be lost\n",
              stderr);
    rl_readline_name = "lector";
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n\"\\'`@$><=;|&{(,+-*/%^~#[]";
    rl_completion_append_character = '\0';
    using_history();
    char *hist = history_path();
    if (hist) read_history(hist);

    if (call_repl(L, "banner", NULL, 0) != 0) {
        free(hist);
        return HOST_EXIT_ERROR;
    }
    if (trust_schema && call_repl(L, "trust_schema", NULL, 0) != 0)
        return HOST_EXIT_ERROR;
    if (db && call_repl(L, "open_db", db, 0) != 0)
        fputs("lector: continuing without `db`\n", stderr);
    repl_loop(L);
    free(pending);
    pending = NULL;
    drop_candidates();
    if (hist) {
        write_history(hist);
        free(hist);
    }
    return HOST_EXIT_OK;
}
