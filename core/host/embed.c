/* Embeds LuaJIT: finds lector's scripts, opens the state, runs chunks with
 * a traceback and SIGINT handling modelled on lua.c's laction/lstop. */
#include "host.h"
#include "lector.h"

#include <lauxlib.h>
#include <lualib.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scripts_dir[PATH_MAX];
static lua_State *running_L;
static volatile sig_atomic_t interrupted, watchdog;
/* A -j N worker (core/proc.c sets LECTOR_WORKER): the Ctrl-C that stops
 * it stops its parent too, which says so once for all of them. */
static int quiet_interrupt;

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Scripts live beside the binary: ../scripts in a build tree (build/lector),
 * ../share/lector/scripts once installed; LECTOR_SCRIPTS overrides both. */
static int find_scripts(void)
{
    char exe[PATH_MAX], probe[PATH_MAX + 64];
    const char *env = getenv("LECTOR_SCRIPTS");
    if (env && *env) {
        snprintf(scripts_dir, sizeof scripts_dir, "%s", env);
        snprintf(probe, sizeof probe, "%s/lector/init.lua", env);
        if (file_exists(probe)) return 1;
        fprintf(stderr,
                "lector: LECTOR_SCRIPTS is %s, but %s is not there; point "
                "it at the directory holding lector/init.lua (a build tree's "
                "scripts/) or unset it\n",
                env, probe);
        return -1;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return 0;
    *slash = '\0';
    static const char *const candidates[] = {"/../scripts",
                                             "/../share/lector/scripts"};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        snprintf(probe, sizeof probe, "%s%s/lector/init.lua", exe,
                 candidates[i]);
        if (file_exists(probe)) {
            char joined[PATH_MAX + 32];
            snprintf(joined, sizeof joined, "%s%s", exe, candidates[i]);
            return realpath(joined, scripts_dir) != NULL;
        }
    }
    return 0;
}

const char *host_scripts_dir(void)
{
    return scripts_dir;
}

static void stop_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted");
}

/* Hooks do not run inside JIT-compiled loops, so a script that has not
 * reached one a second after Ctrl-C is ended here. SQLite's journal keeps
 * any database it was writing whole: the open transaction rolls back. */
static void on_watchdog(int sig)
{
    (void)sig;
    if (!interrupted) return;
    static const char msg[] = "lector: interrupted\n";
    if (!quiet_interrupt) {
        ssize_t w = write(2, msg, sizeof msg - 1);
        (void)w;
    }
    _exit(HOST_EXIT_INTERRUPTED);
}

/* First Ctrl-C: ask the running chunk to stop at its next hook; a second
 * one finds the default action restored and ends the process. */
static void on_sigint(int sig)
{
    signal(sig, SIG_DFL);
    interrupted = 1;
    if (running_L)
        lua_sethook(running_L, stop_hook,
                    LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    if (watchdog) alarm(1);
}

void host_set_watchdog(int on)
{
    watchdog = on;
    signal(SIGALRM, on ? on_watchdog : SIG_DFL);
}

int host_take_interrupt(void)
{
    int was = interrupted;
    interrupted = 0;
    return was;
}

/* Adds a traceback to string errors; lector's own "clean" errors (tables
 * with a msg field raised by the CLI layer) pass through untouched. */
static int is_clean_error(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE) return 0;
    lua_getfield(L, idx, "msg");
    int yes = lua_type(L, -1) == LUA_TSTRING;
    lua_pop(L, 1);
    return yes;
}

static int msghandler(lua_State *L)
{
    if (is_clean_error(L, 1)) return 1;
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)",
                              luaL_typename(L, 1));
    }
    lua_getglobal(L, "debug");
    lua_getfield(L, -1, "traceback");
    lua_pushstring(L, msg);
    lua_pushinteger(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

void host_eprint(int prefix, const char *msg)
{
    if (prefix) fputs("lector: ", stderr);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            fprintf(stderr, "\\x%02x", *p);
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            fprintf(stderr, "\\u%04x", *++p);
        else
            fputc(*p, stderr);
    }
    fputc('\n', stderr);
}

/* Prints an error left by a failed pcall and picks the exit code. */
static int report(lua_State *L, int traceback)
{
    int code = HOST_EXIT_ERROR;
    if (host_take_interrupt()) {
        if (!quiet_interrupt) fputs("lector: interrupted\n", stderr);
        lua_pop(L, 1);
        return HOST_EXIT_INTERRUPTED;
    }
    if (is_clean_error(L, -1)) {
        lua_getfield(L, -1, "code");
        if (lua_isnumber(L, -1)) code = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, -1, "msg");
        const char *m = lua_tostring(L, -1);
        host_eprint(1, m ? m : "error");
        lua_pop(L, 2);
        return code;
    }
    const char *msg = lua_tostring(L, -1);
    if (!traceback && msg) {
        const char *tb = strstr(msg, "\nstack traceback:");
        if (tb) {
            lua_pushlstring(L, msg, (size_t)(tb - msg));
            host_eprint(0, lua_tostring(L, -1));
            lua_pop(L, 1);
            lua_pop(L, 1);
            return code;
        }
    }
    host_eprint(0, msg ? msg : "(error object is not a string)");
    lua_pop(L, 1);
    return code;
}

int host_pcall(lua_State *L, int narg, int nres, int traceback)
{
    int base = lua_gettop(L) - narg;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    running_L = L;
    interrupted = 0;
    signal(SIGINT, on_sigint);
    int status = lua_pcall(L, narg, nres, base);
    signal(SIGINT, SIG_DFL);
    if (watchdog) alarm(0);
    running_L = NULL;
    lua_remove(L, base);
    if (status == 0) {
        host_take_interrupt();
        return HOST_EXIT_OK;
    }
    return report(L, traceback);
}

/* os.exit leaves without lua_close: end the open runs first. */
static const char exit_wrapper[] =
    "local exit = os.exit\n"
    "os.exit = function(code, close)\n"
    "  local store = package.loaded['lector.store']\n"
    "  if store then\n"
    "    pcall(store.finish_open_runs, (code == nil or code == true or code == "
    "0)\n"
    "      and 'ok' or 'failed')\n"
    "  end\n"
    "  return exit(code, close)\n"
    "end\n";

/* The module search paths: lector's scripts first, then the system's,
 * then whatever LUA_PATH and LUA_CPATH add. Nothing is looked up relative
 * to the current directory unless the user's own variables ask for it:
 * analysts run lector inside folders they scraped, and a `cjson/safe.lua`
 * there must not run at startup. */
static const char search_paths[] =
    "local dir = ...\n"
    "local function absolute(p)\n"
    "  local out = {}\n"
    "  for e in p:gmatch('[^;]+') do\n"
    "    if e:sub(1, 1) == '/' then out[#out + 1] = e end\n"
    "  end\n"
    "  return table.concat(out, ';')\n"
    "end\n"
    "local function user(var)\n"
    "  local v = os.getenv(var)\n"
    "  if not v or v == '' then return '' end\n"
    "  return ';' .. v:gsub(';;+', ';'):gsub('^;', ''):gsub(';$', '')\n"
    "end\n"
    "package.path = dir .. '/?.lua;' .. dir .. '/?/init.lua;' ..\n"
    "  absolute(package.path) .. user('LUA_PATH')\n"
    "package.cpath = absolute(package.cpath) .. user('LUA_CPATH')\n";

lua_State *host_open(void)
{
    const char *worker = getenv("LECTOR_WORKER");
    quiet_interrupt = worker && *worker;
    int found = find_scripts();
    if (found < 0) return NULL;
    if (!found) {
        fputs("lector: cannot find lector's Lua scripts beside the binary "
              "(expected ../scripts or ../share/lector/scripts); "
              "set LECTOR_SCRIPTS to their directory\n",
              stderr);
        return NULL;
    }
    lua_State *L = luaL_newstate();
    if (!L) {
        fputs("lector: cannot create a Lua state: out of memory\n", stderr);
        return NULL;
    }
    /* As `luajit -E`: package.path and cpath start as the defaults alone,
     * and search_paths adds the user's variables after them. */
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
    luaL_openlibs(L);
    if (luaL_loadbuffer(L, search_paths, sizeof search_paths - 1, "=paths")) {
        fprintf(stderr, "lector: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return NULL;
    }
    lua_pushstring(L, scripts_dir);
    lua_call(L, 1, 0);

    lua_getglobal(L, "require");
    lua_pushliteral(L, "lector");
    if (host_pcall(L, 1, 1, 1) != HOST_EXIT_OK) {
        lua_close(L);
        return NULL;
    }
    lua_pushstring(L, scripts_dir);
    lua_setfield(L, -2, "scripts_dir");
    lua_setglobal(L, "lector");
    if (luaL_loadbuffer(L, exit_wrapper, sizeof exit_wrapper - 1, "=exit") ||
        lua_pcall(L, 0, 0, 0)) {
        fprintf(stderr, "lector: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return NULL;
    }
    return L;
}

/* Pushes package, package.loaded and package.loaded[name] (three values
 * for the caller to pop); whether that module is loaded. */
static int push_loaded(lua_State *L, const char *name)
{
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "loaded");
    lua_getfield(L, -1, name);
    return lua_istable(L, -1);
}

/* Calls lector.store.<fn>(arg) when lector.store is loaded; an error is
 * dropped: a store that cannot record it (closed, read-only) is no
 * reason to change the exit code. */
static void call_store(lua_State *L, const char *fn, const char *arg)
{
    if (push_loaded(L, "lector.store")) {
        lua_getfield(L, -1, fn);
        lua_pushstring(L, arg);
        if (lua_pcall(L, 1, 0, 0) != 0) lua_pop(L, 1);
    }
    lua_pop(L, 3);
}

void host_finish_runs(lua_State *L, int code)
{
    call_store(L, "finish_open_runs", code == HOST_EXIT_OK ? "ok" : "failed");
}

void host_close_stores(lua_State *L)
{
    call_store(L, "close_all", NULL);
}

int host_ran_user_recipe(lua_State *L)
{
    int user = 0;
    if (push_loaded(L, "lector.recipes")) {
        lua_getfield(L, -1, "user_code");
        user = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 3);
    return user;
}

int host_cli(lua_State *L, const char *fn, int argc, char **argv)
{
    lua_getglobal(L, "require");
    lua_pushliteral(L, "lector.cli");
    if (host_pcall(L, 1, 1, 1) != HOST_EXIT_OK) return HOST_EXIT_ERROR;
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    for (int i = 0; i < argc; i++)
        lua_pushstring(L, argv[i]);
    int code = host_pcall(L, argc, 1, 0);
    if (code != HOST_EXIT_OK) return code;
    code = lua_isnumber(L, -1) ? (int)lua_tointeger(L, -1) : HOST_EXIT_OK;
    lua_pop(L, 1);
    return code;
}
