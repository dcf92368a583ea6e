/* intern: the symbol table behind normalized forms. Strings live in
 * arena blocks that never move (so lector_intern_str pointers stay valid
 * for the table's life); lookup is open addressing with linear probing
 * over a power-of-two slot array that stores the hash beside the id, so
 * a miss rarely touches the string bytes. */
#include "intern.h"
#include "common.h"
#include "lector.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct {
    uint32_t hash; /* low 32 bits of the hash; 0 with id 0 means empty */
    int32_t id;
} slot;

/* An id's string: one load finds both when a probe hits. */
typedef struct {
    const char *str;
    uint32_t len;
} ident;

typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

struct lector_intern {
    slot *slots;
    size_t mask; /* slot count - 1 */
    ident *ids;
    size_t count, str_cap;
    block *blocks;
};

/* Tables of 2 MiB or more come straight from the kernel, already zero
 * (calloc's memset, or malloc and memset, would clear every page a
 * second time), aligned to 2 MiB so that a kernel which puts every
 * mapping on huge pages (transparent_hugepage=always) can. They are not
 * advised onto huge pages (MADV_HUGEPAGE): with the default defrag
 * setting that makes a page fault compact memory then and there, and on
 * this VM every other fresh process paid 0.2 s of system time for it in
 * a 0.15 s first pass (tests/bench/RESULTS.md, fifth session); without
 * it the pass is 0.165 s every time. */
#define HUGE_PAGE ((size_t)2 << 20)

/* Big tables freed lately, for the next table of the same size: a table
 * that doubles gives its old slots back just as the other one (the
 * surface cache, the intern table) is about to double to that size, and
 * memory the process has touched is cleared faster than the kernel
 * clears a fresh huge page (which on a virtual machine costs a host fault
 * too: tests/bench/RESULTS.md, issue 24's third round). Each slot holds
 * one mapping, its size in its first word; taken and given with atomic
 * exchanges, so tokenizers in several threads may share it. */
#define TABLE_POOL 2
static void *table_pool[TABLE_POOL];

static void *pool_get(size_t bytes)
{
    for (int k = 0; k < TABLE_POOL; k++) {
        void *p = __atomic_exchange_n(&table_pool[k], NULL, __ATOMIC_ACQ_REL);
        if (!p) continue;
        size_t had;
        memcpy(&had, p, sizeof had);
        if (had == bytes) {
            memset(p, 0, bytes);
            return p;
        }
        void *none = NULL; /* not this size: back, or to the kernel */
        if (!__atomic_compare_exchange_n(&table_pool[k], &none, p, 0,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            munmap(p, had);
    }
    return NULL;
}

static void pool_put(void *p, size_t bytes)
{
    memcpy(p, &bytes, sizeof bytes);
    for (int k = 0; k < TABLE_POOL; k++) {
        void *none = NULL;
        if (__atomic_compare_exchange_n(&table_pool[k], &none, p, 0,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return;
    }
    munmap(p, bytes);
}

void *lector__table_alloc(size_t bytes)
{
    if (bytes < HUGE_PAGE) return calloc(1, bytes);
    void *pooled = pool_get(bytes);
    if (pooled) return pooled;
    size_t span = bytes + HUGE_PAGE;
    char *m = mmap(NULL, span, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    char *p = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
    if (p > m) munmap(m, (size_t)(p - m));
    size_t tail = (size_t)(m + span - (p + bytes));
    if (tail) munmap(p + bytes, tail);
#ifdef MADV_POPULATE_WRITE
    /* Every page of a hash table gets written (a table this big is only
     * made to rehash into, and the rehash spreads entries over all of
     * it), and its probes read a page before writing it: two faults a
     * page, a zero page mapped then copied on write, 0.019 s of system
     * time in a first pass over distinct.txt. Mapped writable at once
     * instead, in one call (Linux 5.14; older kernels refuse it and the
     * pages fault in as before). */
    (void)madvise(p, bytes, MADV_POPULATE_WRITE);
#endif
    return p;
}

void lector__table_free(void *p, size_t bytes)
{
    if (!p) return;
    if (bytes < HUGE_PAGE)
        free(p);
    else
        pool_put(p, bytes);
}

#define SLOT_BYTES(in) (((in)->mask + 1) * sizeof(slot))

lector_intern *lector_intern_new(void)
{
    lector_intern *in = calloc(1, sizeof *in);
    if (!in) return NULL;
    in->mask = 1023;
    in->slots = lector__table_alloc(SLOT_BYTES(in));
    if (!in->slots) {
        free(in);
        return NULL;
    }
    return in;
}

void lector_intern_free(lector_intern *in)
{
    if (!in) return;
    for (block *b = in->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    lector__table_free(in->slots, SLOT_BYTES(in));
    free(in->ids);
    free(in);
}

static const char *store(lector_intern *in, const char *s, size_t n)
{
    block *b = in->blocks;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > 65536 ? n + 1 : 65536;
        block *nb = malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        in->blocks = b = nb;
    }
    char *p = b->data + b->used;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

/* Below this many slots the table grows fourfold, not twofold: a first
 * pass over new text takes it from 1K slots to 256K, and each step
 * rehashes every string into fresh memory. */
#define QUICK_GROWTH ((size_t)1 << 18)

static int grow(lector_intern *in)
{
    size_t ncap = (in->mask + 1) * (in->mask + 1 < QUICK_GROWTH ? 4 : 2);
    slot *ns = lector__table_alloc(ncap * sizeof *ns);
    if (!ns) return 0;
    for (size_t i = 0; i <= in->mask; i++) {
        slot e = in->slots[i];
        if (!e.id) continue;
        size_t j = e.hash & (ncap - 1);
        while (ns[j].id)
            j = (j + 1) & (ncap - 1);
        ns[j] = e;
    }
    lector__table_free(in->slots, SLOT_BYTES(in));
    in->slots = ns;
    in->mask = ncap - 1;
    return 1;
}

static int32_t lookup(const lector_intern *in, const char *s, size_t n,
                      uint32_t h, size_t *where)
{
    size_t j = h & in->mask;
    for (;;) {
        slot e = in->slots[j];
        if (!e.id) break;
        if (e.hash == h && in->ids[e.id].len == n &&
            memcmp(in->ids[e.id].str, s, n) == 0)
            return e.id;
        j = (j + 1) & in->mask;
    }
    if (where) *where = j;
    return 0;
}

int32_t lector_intern_find(const lector_intern *in, const char *s, size_t n)
{
    if (!in || (!s && n) || n > UINT32_MAX) return 0;
    return lookup(in, s, n, (uint32_t)lector_hash(s, n), NULL);
}

/* Makes room in ids for ids up to ids (index 0 is unused: ids start at
 * 1); 0 when out of memory. */
static int reserve_ids(lector_intern *in, size_t ids)
{
    if (ids + 1 <= in->str_cap) return 1;
    ident *ni = lector__grow(in->ids, &in->str_cap, ids + 1, sizeof *ni, 1024);
    if (!ni) return 0;
    in->ids = ni;
    return 1;
}

int32_t lector_intern_add(lector_intern *in, const char *s, size_t n)
{
    if (!in || (!s && n) || n > UINT32_MAX) return 0;
    return lector__intern_add_hashed(in, s, n, lector_hash(s, n));
}

int32_t lector__intern_add_hashed(lector_intern *in, const char *s, size_t n,
                                  uint64_t hash)
{
    if (!in || (!s && n) || n > UINT32_MAX) return 0;
    uint32_t h = (uint32_t)hash;
    size_t where;
    int32_t id = lookup(in, s, n, h, &where);
    if (id) return id;
    if (in->count >= INT32_MAX - 1) return 0;
    /* Keep the load under 3/4: a miss's probes then stay within a cache
     * line or two of 8-byte slots, and the table half the size it would
     * be under 1/2 (distinct.txt's 132k norms fit 2 MiB of slots instead
     * of 4, with no rehash of 128k of them: a first pass 5% faster).
     * A failed grow is tolerated until the table would be full. */
    if ((in->count + 1) * 4 > (in->mask + 1) * 3) {
        if (grow(in))
            lookup(in, s, n, h, &where);
        else if (in->count + 2 > in->mask + 1)
            return 0;
    }
    if (!reserve_ids(in, in->count + 1)) return 0;
    const char *p = store(in, s, n);
    if (!p) return 0;
    id = (int32_t)(in->count + 1);
    in->ids[id].str = p;
    in->ids[id].len = (uint32_t)n;
    in->count++;
    in->slots[where].hash = h;
    in->slots[where].id = id;
    return id;
}

const char *lector_intern_str(const lector_intern *in, int32_t id, size_t *len)
{
    if (!in || id < 1 || (size_t)id > in->count) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = in->ids[id].len;
    return in->ids[id].str;
}

size_t lector_intern_count(const lector_intern *in)
{
    return in ? in->count : 0;
}

void lector__intern_prefetch(const lector_intern *in, const char *s, size_t n)
{
    lector__intern_prefetch_hash(in, lector_hash(s, n));
}

void lector__intern_prefetch_hash(const lector_intern *in, uint64_t h)
{
    __builtin_prefetch(&in->slots[(uint32_t)h & in->mask]);
}

size_t lector__intern_memory(const lector_intern *in)
{
    size_t m = sizeof *in + (in->mask + 1) * sizeof *in->slots +
               in->str_cap * sizeof *in->ids;
    for (const block *b = in->blocks; b; b = b->next)
        m += sizeof *b + b->cap;
    return m;
}

void lector__intern_clear(lector_intern *in)
{
    for (block *b = in->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    in->blocks = NULL;
    memset(in->slots, 0, SLOT_BYTES(in));
    in->count = 0;
}

int lector__intern_reserve(lector_intern *in, size_t n)
{
    size_t want = in->count + n;
    while ((want + 1) * 4 > (in->mask + 1) * 3)
        if (!grow(in)) return 0;
    return reserve_ids(in, want);
}
