/* Fuzz target: what `ingest` does with JSON lines. They are parsed in Lua
 * (scripts/lector/read.lua over lua-cjson), so this target embeds LuaJIT
 * (LECTOR_FUZZ_NEEDS_LUAJIT tells one.sh to link it), writes each input to
 * a memfd and runs tests/fuzz/jsonl_check.lua's check() over it: the
 * reader must never raise and must give one item per non-blank line, each
 * naming FILE:LINE; then the ingest recipe runs over the file into an
 * in-memory store and must store or skip each line (with FILE:LINE and a
 * reason), nothing else. The store path is the instrumented C core, so
 * libFuzzer sees coverage there. The bad-input suite replays the kept
 * inputs of tests/fuzz/regress/jsonl/ through the same check with
 * `lector`. */
#include "inv.h"

#include <lauxlib.h>
#include <lualib.h>
#include <sys/mman.h>
#include <unistd.h>

static lua_State *L;
static int check_ref;

static void setup(void)
{
    const char *root = getenv("LECTOR_FUZZ_ROOT");
#ifdef LECTOR_FUZZ_ROOT
    if (!root) root = LECTOR_FUZZ_ROOT;
#endif
    if (!root) root = ".";
    L = luaL_newstate();
    if (!L) abort();
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/scripts/?.lua;%s/scripts/?/init.lua;%s/tests/fuzz/?.lua",
                    root, root, root);
    lua_setfield(L, -2, "path");
    lua_pop(L, 1);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "jsonl_check");
    if (lua_pcall(L, 1, 1, 0) != 0) {
        fprintf(stderr, "fuzz_jsonl: %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_getfield(L, -1, "check");
    check_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!L) setup();
    int fd = memfd_create("lector-fuzz-jsonl", 0);
    if (fd < 0) abort();
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    lua_rawgeti(L, LUA_REGISTRYINDEX, check_ref);
    lua_pushstring(L, path);
    if (lua_pcall(L, 1, 1, 0) != 0) {
        fprintf(stderr, "INVARIANT jsonl: check raised: %s\n",
                lua_tostring(L, -1));
        abort();
    }
    if (!lua_isnil(L, -1)) {
        fprintf(stderr, "INVARIANT jsonl: %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_pop(L, 1);
    close(fd);
    lua_gc(L, LUA_GCSTEP, 0);
    return 0;
}
