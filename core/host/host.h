/* The lector binary's host around LuaJIT: shared by main.c and repl.c.
 * Not part of the public API; the core library never includes this. */
#ifndef LECTOR_HOST_H
#define LECTOR_HOST_H

#include <lua.h>

/* Built with AddressSanitizer: its leak check at exit wants every object
 * freed, and its interceptors own mprotect and munmap (jit_mcode.c). */
#if defined(__SANITIZE_ADDRESS__)
#define HOST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_SANITIZED 1
#endif
#endif
#ifndef HOST_SANITIZED
#define HOST_SANITIZED 0
#endif

/* Exit codes of the binary, as documented in the README. */
enum {
    HOST_EXIT_OK = 0,
    HOST_EXIT_ERROR = 1,
    HOST_EXIT_USAGE = 2,
    HOST_EXIT_INTERRUPTED = 130
};

/* Opens a Lua state with the standard libraries, package.path pointing at
 * lector's scripts (in-tree or installed), and the global `lector`.
 * Prints the reason and returns NULL on failure. */
lua_State *host_open(void);

/* The directory holding lector/ and recipes/ (static storage). */
const char *host_scripts_dir(void);

/* Calls the function below narg arguments on the stack with a traceback
 * handler and SIGINT turned into a Lua error. On error, prints the
 * message (and a traceback for plain errors) to stderr and returns the exit
 * code; HOST_EXIT_OK on success with nres results left on the stack. */
int host_pcall(lua_State *L, int narg, int nres, int traceback);

/* With the watchdog on, a Ctrl-C that the running chunk does not notice
 * within a second (a JIT-compiled loop runs no hooks) ends the process with
 * exit code 130. Scripts run with it; the REPL runs without. */
void host_set_watchdog(int on);

/* Ends the store runs a script left open, "ok" when code is HOST_EXIT_OK
 * and "failed" otherwise (lector.store.finish_open_runs), so that only a
 * crash leaves a run `running`. A no-op when no store was opened. */
void host_finish_runs(lua_State *L, int code);

/* Closes every store still open (lector.store.close_all): what a process
 * leaving without lua_close does first, so that no database is left to
 * the garbage collector that will not run. */
void host_close_stores(lua_State *L);

/* Whether a recipe from $LECTOR_RECIPES (an analyst's, not lector's own)
 * was loaded (lector.recipes.user_code). */
int host_ran_user_recipe(lua_State *L);

/* Calls lector.cli.<fn>(argv...) and returns its exit code. */
int host_cli(lua_State *L, const char *fn, int argc, char **argv);

/* Returns nonzero once SIGINT has interrupted a call (and clears it). */
int host_take_interrupt(void);

/* Writes "lector: " (when prefix) and msg and a newline to stderr, with
 * every control character but newline and tab shown as \xHH, so a file
 * name or a text holding ESC sequences cannot drive the terminal. */
void host_eprint(int prefix, const char *msg);

/* Runs the interactive REPL; db may be NULL. Returns the exit code. */
int host_repl(lua_State *L, const char *db, int trust_schema);

#endif
