/* proc: child processes with pipes, for lector's worker processes (-j N).
 *
 * LuaJIT has no process API: this spawns argv with its stdin and stdout
 * connected to the caller, lets the caller poll several children at once,
 * read and write without blocking, and kill and reap them. The child's
 * stdin is one end of a socket pair, so a write to a child that died
 * fails with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE in the
 * caller; its stdout is a pipe; its stderr is the caller's. */
#include "lector.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct lector_proc {
    pid_t pid;
    int in_fd;  /* our end of the child's stdin, or -1 once closed */
    int out_fd; /* our end of the child's stdout, or -1 once closed */
    int status; /* exit status once reaped, else -1 */
    char errmsg[256];
};

static int proc_error(lector_proc *p, int rc, int err, const char *what)
{
    snprintf(p->errmsg, sizeof p->errmsg, "process %ld: %s: %s", (long)p->pid,
             what, strerror(err));
    return rc;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/* The caller's environment with LECTOR_WORKER=1 added (any earlier
 * LECTOR_WORKER dropped): a worker stopped by the Ctrl-C that stops its
 * parent leaves the message to the parent, so the terminal shows one
 * "interrupted", not one a process. NULL when out of memory. */
static char **worker_environ(void)
{
    static char mark[] = "LECTOR_WORKER=1";
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = malloc((n + 2) * sizeof *env);
    if (!env) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LECTOR_WORKER=", 14) != 0)
            env[k++] = environ[i];
    env[k++] = mark;
    env[k] = NULL;
    return env;
}

lector_proc *lector_proc_spawn(const char *const *argv, int *err_no)
{
    int dummy;
    if (!err_no) err_no = &dummy;
    *err_no = 0;
    if (!argv || !argv[0]) {
        *err_no = EINVAL;
        return NULL;
    }
    lector_proc *p = calloc(1, sizeof *p);
    if (!p) {
        *err_no = ENOMEM;
        return NULL;
    }
    p->pid = -1;
    p->status = -1;
    p->in_fd = p->out_fd = -1;
    /* Close-on-exec everywhere, so that a later child never inherits this
     * one's pipe ends (it would keep this child's stdin open: no EOF). */
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 ||
        pipe2(out, O_CLOEXEC) != 0) {
        *err_no = errno;
        close_fd(&in[0]), close_fd(&in[1]), close_fd(&out[0]),
            close_fd(&out[1]);
        free(p);
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0) {
        /* dup2 clears close-on-exec on the target descriptor. */
        rc = posix_spawn_file_actions_adddup2(&fa, in[1], 0);
        if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        if (rc == 0) rc = posix_spawnattr_init(&attr);
        if (rc == 0) {
            /* The child starts with default SIGINT and SIGPIPE handling,
             * whatever the caller set. */
            sigset_t def;
            sigemptyset(&def);
            sigaddset(&def, SIGINT);
            sigaddset(&def, SIGPIPE);
            sigaddset(&def, SIGTERM);
            posix_spawnattr_setsigdefault(&attr, &def);
            posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
            pid_t pid;
            char **env = worker_environ();
            rc = env ? posix_spawnp(&pid, argv[0], &fa, &attr,
                                    (char *const *)argv, env)
                     : ENOMEM;
            free(env);
            if (rc == 0) p->pid = pid;
            posix_spawnattr_destroy(&attr);
        }
        posix_spawn_file_actions_destroy(&fa);
    }
    close_fd(&in[1]);
    close_fd(&out[1]);
    if (rc != 0) {
        *err_no = rc;
        close_fd(&in[0]);
        close_fd(&out[0]);
        free(p);
        return NULL;
    }
    p->in_fd = in[0];
    p->out_fd = out[0];
#ifdef F_SETPIPE_SZ
    /* A worker whose reader is busy (the writer of tag -j N tagging a
     * long document itself) goes on until this much output waits, not
     * the default 64 KB; the system's limit when it is lower. */
    if (fcntl(p->out_fd, F_SETPIPE_SZ, 1 << 20) < 0)
        (void)fcntl(p->out_fd, F_SETPIPE_SZ, 256 << 10);
#endif
    fcntl(p->in_fd, F_SETFL, fcntl(p->in_fd, F_GETFL) | O_NONBLOCK);
    fcntl(p->out_fd, F_SETFL, fcntl(p->out_fd, F_GETFL) | O_NONBLOCK);
    return p;
}

int lector_proc_pid(const lector_proc *p)
{
    return p ? (int)p->pid : -1;
}

int64_t lector_proc_write(lector_proc *p, const char *s, size_t n)
{
    if (!p || (!s && n)) return LECTOR_EINVAL;
    if (p->in_fd < 0) {
        snprintf(p->errmsg, sizeof p->errmsg,
                 "process %ld: its input is closed", (long)p->pid);
        return LECTOR_EIO;
    }
    if (n == 0) return 0;
    for (;;) {
        ssize_t w = send(p->in_fd, s, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w >= 0) return (int64_t)w;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        return proc_error(p, LECTOR_EIO, errno, "cannot write to its input");
    }
}

void lector_proc_close_input(lector_proc *p)
{
    if (p) close_fd(&p->in_fd);
}

int lector_proc_read(lector_proc *p, char *buf, size_t cap, size_t *got)
{
    if (!p || !buf || cap == 0 || !got) return LECTOR_EINVAL;
    *got = 0;
    if (p->out_fd < 0) return LECTOR_PROC_EOF;
    for (;;) {
        ssize_t r = read(p->out_fd, buf, cap);
        if (r > 0) {
            *got = (size_t)r;
            return LECTOR_OK;
        }
        if (r == 0) {
            close_fd(&p->out_fd);
            return LECTOR_PROC_EOF;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return LECTOR_OK;
        return proc_error(p, LECTOR_EIO, errno, "cannot read its output");
    }
}

int lector_proc_poll(lector_proc *const *procs, int n, const int *want_write,
                     int *ready, int timeout_ms)
{
    if (n < 0 || (n > 0 && (!procs || !ready))) return LECTOR_EINVAL;
    struct pollfd fds[2 * 64];
    if (n > 64) return LECTOR_ELIMIT;
    int k = 0;
    for (int i = 0; i < n; i++) {
        const lector_proc *p = procs[i];
        ready[i] = 0;
        fds[2 * i].fd = p && p->out_fd >= 0 ? p->out_fd : -1;
        fds[2 * i].events = POLLIN;
        fds[2 * i + 1].fd =
            p && p->in_fd >= 0 && want_write && want_write[i] ? p->in_fd : -1;
        fds[2 * i + 1].events = POLLOUT;
        fds[2 * i].revents = fds[2 * i + 1].revents = 0;
        k += (fds[2 * i].fd >= 0) + (fds[2 * i + 1].fd >= 0);
    }
    if (k == 0) return 0;
    int r;
    do
        r = poll(fds, (nfds_t)(2 * n), timeout_ms);
    while (r < 0 && errno == EINTR && timeout_ms < 0);
    if (r < 0) return errno == EINTR ? 0 : LECTOR_EIO;
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (fds[2 * i].revents) ready[i] |= LECTOR_PROC_READABLE;
        if (fds[2 * i + 1].revents) ready[i] |= LECTOR_PROC_WRITABLE;
        if (ready[i]) count++;
    }
    return count;
}

int lector_proc_kill(lector_proc *p, int hard)
{
    if (!p || p->pid <= 0) return LECTOR_EINVAL;
    if (p->status >= 0) return LECTOR_OK;
    if (kill(p->pid, hard ? SIGKILL : SIGTERM) != 0 && errno != ESRCH)
        return proc_error(p, LECTOR_EIO, errno, "cannot signal it");
    return LECTOR_OK;
}

int lector_proc_wait(lector_proc *p, int block, int *status)
{
    if (!p || !status || p->pid <= 0) return LECTOR_EINVAL;
    if (p->status < 0) {
        int st;
        pid_t r;
        do
            r = waitpid(p->pid, &st, block ? 0 : WNOHANG);
        while (r < 0 && errno == EINTR);
        if (r < 0)
            return proc_error(p, LECTOR_EIO, errno, "cannot wait for it");
        if (r == 0) {
            *status = -1;
            return LECTOR_OK;
        }
        p->status = WIFEXITED(st)     ? WEXITSTATUS(st)
                    : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
                                      : 255;
    }
    *status = p->status;
    return LECTOR_OK;
}

const char *lector_proc_errmsg(const lector_proc *p)
{
    return p ? p->errmsg : "no process";
}

int lector_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

int lector_proc_end_output(void)
{
    if (fflush(stdout) != 0) return LECTOR_EIO;
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return LECTOR_EIO;
    /* dup2 closes the old descriptor 1: the reader's end of the file. */
    int rc = dup2(fd, STDOUT_FILENO) < 0 ? LECTOR_EIO : LECTOR_OK;
    close(fd);
    return rc;
}

void lector_proc_free(lector_proc *p)
{
    if (!p) return;
    close_fd(&p->in_fd);
    close_fd(&p->out_fd);
    if (p->pid > 0 && p->status < 0) {
        int st;
        if (waitpid(p->pid, &st, WNOHANG) == 0) {
            kill(p->pid, SIGKILL);
            while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
            }
        }
    }
    free(p);
}
