/* The lector command line: scripts, -e chunks, the REPL and recipes. */
#include "host.h"
#include "lector.h"

#include <lauxlib.h>
#include <luajit.h>
#include <sqlite3.h>
#include <unistring/version.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_line[] =
    "usage: lector [SCRIPT [ARGS...] | run SCRIPT [ARGS...] | -e CODE "
    "[ARGS...]\n"
    "              | repl [--trust-schema] [DB] | recipes | recipe NAME "
    "[OPTIONS] [INPUTS...]\n"
    "              | help | --version]\n";

static void print_help(void)
{
    printf("lector %s — Lua-scriptable text processing for analysts\n\n",
           LECTOR_VERSION);
    fputs(usage_line, stdout);
    fputs(
        "\n"
        "  lector SCRIPT [ARGS...]     run a Lua script (also: lector run "
        "SCRIPT)\n"
        "  lector -e CODE [ARGS...]    run a chunk of Lua\n"
        "  lector -                    run a script read from standard input\n"
        "  lector repl [DB]            interactive shell; DB is opened as "
        "`db`\n"
        "  lector repl --trust-schema DB\n"
        "                              the same for a store with your own "
        "views or triggers\n"
        "  lector recipes              list the recipes\n"
        "  lector recipe NAME --help   document one recipe\n"
        "  lector recipe NAME [--opt value ...] [INPUTS...]\n"
        "                              run a recipe\n"
        "  lector help, -h, --help     this text\n"
        "  lector --version, -v        versions of lector and its libraries\n"
        "\n"
        "Scripts see the library as the global `lector` (or require "
        "\"lector\").\n"
        "Exit codes: 0 ok; 1 an error in the data or the script; 2 bad usage,\n"
        "or a file named on the command line that is missing or unreadable\n"
        "(\"lector: PATH: reason\"); 130 interrupted.\n"
        "Recipe folders of your own: LECTOR_RECIPES=dir1:dir2.\n",
        stdout);
}

static int usage(const char *why)
{
    if (why) fprintf(stderr, "lector: %s\n", why);
    fputs(usage_line, stderr);
    return HOST_EXIT_USAGE;
}

/* arg as lua.c sets it: arg[0] the script, arg[1..] its arguments,
 * negative indexes the interpreter and options before the script. */
static void set_arg(lua_State *L, char **argv, int argc, int script)
{
    lua_createtable(L, argc - script, script + 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
}

/* Loads and runs a script (path "-" is stdin) with argv[script+1..] as `...`.
 */
static int run_script(lua_State *L, char **argv, int argc, int script)
{
    const char *path = argv[script];
    int is_stdin = strcmp(path, "-") == 0;
    /* A script that cannot be read is a file named on the command line
     * that is missing or unreadable: "lector: PATH: reason", exit 2. */
    if (!is_stdin) {
        struct stat st;
        int err = 0;
        if (stat(path, &st) != 0)
            err = errno;
        else if (S_ISDIR(st.st_mode))
            err = EISDIR;
        else if (access(path, R_OK) != 0)
            err = errno;
        if (err) {
            char msg[4200];
            snprintf(msg, sizeof msg, "%s: %s", path, strerror(err));
            host_eprint(1, msg);
            return HOST_EXIT_USAGE;
        }
    }
    set_arg(L, argv, argc, script);
    if (luaL_loadfile(L, is_stdin ? NULL : path) != 0) {
        host_eprint(0, lua_tostring(L, -1));
        lua_pop(L, 1);
        return HOST_EXIT_ERROR;
    }
    for (int i = script + 1; i < argc; i++)
        lua_pushstring(L, argv[i]);
    return host_pcall(L, argc - script - 1, 0, 1);
}

static int run_chunk(lua_State *L, char **argv, int argc)
{
    set_arg(L, argv, argc, 2);
    if (luaL_loadbuffer(L, argv[2], strlen(argv[2]), "=(command line)") != 0) {
        host_eprint(0, lua_tostring(L, -1));
        lua_pop(L, 1);
        return HOST_EXIT_ERROR;
    }
    for (int i = 3; i < argc; i++)
        lua_pushstring(L, argv[i]);
    return host_pcall(L, argc - 3, 0, 1);
}

static void print_version(void)
{
    printf("lector %s (%s, SQLite %s, libunistring %d.%d)\n", lector_version(),
           LUAJIT_VERSION, sqlite3_libversion(), _libunistring_version >> 16,
           (_libunistring_version >> 8) & 0xff);
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (cmd && (!strcmp(cmd, "help") || !strcmp(cmd, "-h") ||
                !strcmp(cmd, "--help"))) {
        print_help();
        return HOST_EXIT_OK;
    }
    if (cmd && (!strcmp(cmd, "--version") || !strcmp(cmd, "-v"))) {
        print_version();
        return HOST_EXIT_OK;
    }
    if (cmd && !strcmp(cmd, "-e") && argc < 3) return usage("-e needs CODE");
    if (cmd && !strcmp(cmd, "run") && argc < 3)
        return usage("run needs SCRIPT");
    const char *repl_db = NULL;
    int repl_trust = 0;
    if (cmd && !strcmp(cmd, "repl"))
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--trust-schema"))
                repl_trust = 1;
            else if (argv[i][0] == '-' && argv[i][1] != '\0') {
                char msg[4200];
                snprintf(msg, sizeof msg, "repl: unknown option %s", argv[i]);
                host_eprint(1, msg);
                return usage(NULL);
            } else if (repl_db)
                return usage("repl takes at most one DB");
            else
                repl_db = argv[i];
        }
    if (cmd && !strcmp(cmd, "recipe") && argc < 3)
        return usage("recipe needs a NAME (see: lector recipes)");
    if (cmd && cmd[0] == '-' && cmd[1] != '\0' && strcmp(cmd, "-e") != 0) {
        char msg[4200];
        snprintf(msg, sizeof msg, "unknown option %s", cmd);
        host_eprint(1, msg);
        return usage(NULL);
    }

    /* Past a file size limit, a write should fail with EFBIG (which the
     * store reports, naming the file) rather than kill the process. */
    signal(SIGXFSZ, SIG_IGN);
    lua_State *L = host_open();
    if (!L) return HOST_EXIT_ERROR;
    host_set_watchdog(1);
    int code;
    if (!cmd && isatty(0)) {
        host_set_watchdog(0);
        code = host_repl(L, NULL, 0);
    } else if (!cmd) {
        char *stdin_argv[] = {argv[0], "-", NULL};
        code = run_script(L, stdin_argv, 2, 1);
    } else if (!strcmp(cmd, "-e"))
        code = run_chunk(L, argv, argc);
    else if (!strcmp(cmd, "run"))
        code = run_script(L, argv, argc, 2);
    else if (!strcmp(cmd, "repl")) {
        host_set_watchdog(0);
        code = host_repl(L, repl_db, repl_trust);
    } else if (!strcmp(cmd, "recipes"))
        code = host_cli(L, "recipes", argc - 2, argv + 2);
    else if (!strcmp(cmd, "recipe"))
        code = host_cli(L, "recipe", argc - 2, argv + 2);
    else
        code = run_script(L, argv, argc, 1);
    host_finish_runs(L, code);
    fflush(stdout);
#if !HOST_SANITIZED
    /* lector's own recipes leave nothing but memory and open stores for
     * the collector: with the stores closed, the exit hands the memory
     * back at once, where lua_close frees each object one by one
     * (0.05-0.1 s after `tag` over 8,000 documents, growing with the
     * distinct words a corpus holds; each -j N worker pays it too).
     * Scripts, the REPL and analysts' recipes may hold anything with a
     * finalizer, and sanitized builds check for leaks: they close the
     * state. */
    if (cmd && !strcmp(cmd, "recipe") && !host_ran_user_recipe(L)) {
        host_close_stores(L);
        return code;
    }
#endif
    lua_close(L);
    return code;
}
