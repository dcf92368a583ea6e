/* LuaJIT's machine-code areas made writable and executable once, instead
 * of switched between the two with mprotect for every trace it compiles.
 *
 * Debian's LuaJIT is built with LUAJIT_SECURITY_MCODE on: an area is
 * read-write while a trace is assembled or an exit patched, and
 * read-execute while it runs, so each compiled trace costs two to four
 * mprotect calls. `tag` over 35 MB of varied text compiles thousands of
 * traces: about 7,400 calls. On a plain machine a call is a microsecond
 * or two; on the virtual machines lector's benchmarks and CI run on, each
 * one flushes the guest's TLB through the hypervisor and takes about
 * 350 microseconds: 1.2-1.7 s of system time in a 3.7 s `tag`, and the
 * same again in every `-j N` worker (core/README.md, "Why the binary
 * keeps LuaJIT's machine code writable").
 *
 * The binary defines mprotect and munmap, which the dynamic linker binds
 * libluajit's calls to (an executable's symbols come first; glibc's own
 * calls use its internal names and never reach these). The first
 * read-execute request for a region makes it read-write-execute, as
 * LuaJIT built with LUAJIT_SECURITY_MCODE=0 maps its areas, and later
 * read-write or read-execute requests for the same region are answered
 * without a system call; munmap forgets the regions it unmaps. Any other
 * request goes to the kernel as asked. Where the kernel refuses
 * writable and executable memory (SELinux execmem, PaX), the first
 * refusal turns this off and every call goes through as before.
 * LECTOR_JIT_WX=1 keeps LuaJIT's W^X switching. The sanitizer build
 * leaves both calls to its interceptors. lector runs one thread. */
#include "host.h"

#if !HOST_SANITIZED

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* LuaJIT keeps a few dozen areas at most (maxmcode / sizemcode); past
 * this many, requests go to the kernel as asked. */
#define MAX_AREAS 512

static struct {
    uintptr_t start;
    size_t len;
} areas[MAX_AREAS];
static int n_areas;
static int state; /* 0: not decided; 1: on; -1: off */

static int is_on(void)
{
    if (state == 0) {
        const char *wx = getenv("LECTOR_JIT_WX");
        state = wx && *wx && strcmp(wx, "0") != 0 ? -1 : 1;
    }
    return state > 0;
}

static int area_of(uintptr_t start, size_t len)
{
    for (int i = 0; i < n_areas; i++)
        if (areas[i].start == start && areas[i].len == len) return i;
    return -1;
}

/* Forgets every area overlapping [start, start + len). */
static void forget(uintptr_t start, size_t len)
{
    for (int i = 0; i < n_areas; i++) {
        if (areas[i].start < start + len &&
            start < areas[i].start + areas[i].len) {
            areas[i] = areas[--n_areas];
            i--;
        }
    }
}

int mprotect(void *addr, size_t len, int prot)
{
    uintptr_t start = (uintptr_t)addr;
    if ((prot == (PROT_READ | PROT_WRITE) || prot == (PROT_READ | PROT_EXEC)) &&
        is_on()) {
        if (area_of(start, len) >= 0) return 0;
        if (prot == (PROT_READ | PROT_EXEC) && n_areas < MAX_AREAS) {
            if (syscall(SYS_mprotect, addr, len,
                        PROT_READ | PROT_WRITE | PROT_EXEC) == 0) {
                areas[n_areas].start = start;
                areas[n_areas].len = len;
                n_areas++;
                return 0;
            }
            state = -1;
        }
    }
    forget(start, len);
    return (int)syscall(SYS_mprotect, addr, len, prot);
}

int munmap(void *addr, size_t len)
{
    forget((uintptr_t)addr, len);
    return (int)syscall(SYS_munmap, addr, len);
}

#endif
