/* proc.c: children with pipes, polled, written and read without
 * blocking, killed and reaped. */
#include "check.h"
#include "lector.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Feeds (s, n) to p and collects its output until it closes it. */
static size_t roundtrip(lector_proc *p, const char *s, size_t n, char *out,
                        size_t cap)
{
    size_t sent = 0, got = 0;
    int want, ready;
    for (;;) {
        want = sent < n;
        if (!want) lector_proc_close_input(p);
        int r = lector_proc_poll(&p, 1, &want, &ready, 5000);
        if (r <= 0) return (size_t)-1;
        if (ready & LECTOR_PROC_WRITABLE) {
            int64_t w = lector_proc_write(p, s + sent, n - sent);
            if (w < 0) return (size_t)-1;
            sent += (size_t)w;
        }
        if (ready & LECTOR_PROC_READABLE) {
            size_t k;
            int rc = lector_proc_read(p, out + got, cap - got, &k);
            if (rc < 0) return (size_t)-1;
            got += k;
            if (rc == LECTOR_PROC_EOF) return got;
        }
    }
}

int main(void)
{
    /* proc-1: cat gives back a megabyte, both pipes full in turn. */
    size_t n = 1 << 20;
    char *in = malloc(n), *out = malloc(n + 16);
    for (size_t i = 0; i < n; i++)
        in[i] = (char)('a' + i % 26);
    const char *cat[] = {"cat", NULL};
    int err = -1;
    lector_proc *p = lector_proc_spawn(cat, &err);
    CHECK("proc-1.1", p != NULL && err == 0);
    CHECK("proc-1.2", lector_proc_pid(p) > 0);
    CHECK_INT("proc-1.3", roundtrip(p, in, n, out, n + 16), n);
    CHECK("proc-1.4", memcmp(in, out, n) == 0);
    int status = -2;
    CHECK_INT("proc-1.5", lector_proc_wait(p, 1, &status), LECTOR_OK);
    CHECK_INT("proc-1.6", status, 0);
    lector_proc_free(p);

    /* proc-2: the exit code, and a write to a child that is gone. */
    const char *sh[] = {"sh", "-c", "exit 3", NULL};
    p = lector_proc_spawn(sh, &err);
    CHECK("proc-2.1", p != NULL);
    CHECK_INT("proc-2.2", lector_proc_wait(p, 1, &status), LECTOR_OK);
    CHECK_INT("proc-2.3", status, 3);
    CHECK_INT("proc-2.4", lector_proc_write(p, "x\n", 2), LECTOR_EIO);
    CHECK("proc-2.5", strstr(lector_proc_errmsg(p), "cannot write") != NULL);
    lector_proc_free(p);

    /* proc-3: no such program. */
    const char *none[] = {"/nonexistent/lector-no-such-program", NULL};
    p = lector_proc_spawn(none, &err);
    CHECK("proc-3.1", p == NULL);
    CHECK_INT("proc-3.2", err, ENOENT);
    CHECK("proc-3.3", lector_proc_spawn(NULL, &err) == NULL && err == EINVAL);

    /* proc-4: kill a child that would run for a minute; free reaps it. */
    const char *sleeper[] = {"sleep", "60", NULL};
    p = lector_proc_spawn(sleeper, &err);
    CHECK_INT("proc-4.1", lector_proc_wait(p, 0, &status), LECTOR_OK);
    CHECK_INT("proc-4.2", status, -1);
    CHECK_INT("proc-4.3", lector_proc_kill(p, 0), LECTOR_OK);
    CHECK_INT("proc-4.4", lector_proc_wait(p, 1, &status), LECTOR_OK);
    CHECK_INT("proc-4.5", status, 128 + 15);
    lector_proc_free(p);
    p = lector_proc_spawn(sleeper, &err);
    lector_proc_free(p); /* kills and reaps: no zombie, no wait */
    lector_proc_free(NULL);

    /* proc-5: poll times out on a silent child; misuse is refused. */
    const char *quiet[] = {"sleep", "60", NULL};
    p = lector_proc_spawn(quiet, &err);
    int want = 0, ready = -1;
    CHECK_INT("proc-5.1", lector_proc_poll(&p, 1, &want, &ready, 10), 0);
    CHECK_INT("proc-5.2", ready, 0);
    size_t k;
    CHECK_INT("proc-5.3", lector_proc_read(p, out, 16, &k), LECTOR_OK);
    CHECK_INT("proc-5.4", k, 0);
    CHECK_INT("proc-5.5", lector_proc_read(p, NULL, 16, &k), LECTOR_EINVAL);
    lector_proc_free(p);
    CHECK("proc-5.6", lector_cpu_count() >= 1);

    /* proc-6: a child knows it is a worker (LECTOR_WORKER=1, once, even
     * when the caller's environment had another value), and keeps the
     * rest of the caller's environment. */
    setenv("LECTOR_WORKER", "stale", 1);
    setenv("LECTOR_TEST_PROC_KEPT", "kept", 1);
    const char *env[] = {"sh", "-c",
                         "printf '%s %s %s' \"$LECTOR_WORKER\" "
                         "\"$LECTOR_TEST_PROC_KEPT\" "
                         "\"$(env | grep -c '^LECTOR_WORKER=')\"",
                         NULL};
    p = lector_proc_spawn(env, &err);
    memset(out, 0, 64);
    CHECK("proc-6.1", p != NULL && roundtrip(p, "", 0, out, 63) > 0);
    CHECK_STR("proc-6.2", out, "1 kept 1");
    lector_proc_free(p);
    unsetenv("LECTOR_WORKER");

    free(in);
    free(out);
    return check_done();
}
