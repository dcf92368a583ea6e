/* File-system queries the Lua side needs to walk inputs: stat with device
 * and inode (for symlink-loop detection) and directory listings. */
#include "lector.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct lector_dir {
    DIR *dir;
};

int lector_stat(const char *path, lector_fileinfo *out, int *err_no)
{
    struct stat st;
    if (!path || !out) return LECTOR_EINVAL;
    /* lstat first: for what is not a link (most files of a walk) it says
     * all that stat would, with one path lookup fewer. */
    int rc = lstat(path, &st);
    int link = rc == 0 && S_ISLNK(st.st_mode);
    if (rc != 0 || link) rc = stat(path, &st);
    if (rc != 0) {
        if (err_no) *err_no = errno;
        return LECTOR_EIO;
    }
    out->kind = S_ISREG(st.st_mode)   ? LECTOR_FS_FILE
                : S_ISDIR(st.st_mode) ? LECTOR_FS_DIR
                                      : LECTOR_FS_OTHER;
    out->readable = access(path, R_OK) == 0;
    out->size = (int64_t)st.st_size;
    out->dev = (uint64_t)st.st_dev;
    out->ino = (uint64_t)st.st_ino;
    out->is_link = link;
    return LECTOR_OK;
}

int lector_realpath(const char *path, char **out, int *err_no)
{
    if (!path || !out) return LECTOR_EINVAL;
    *out = realpath(path, NULL);
    if (!*out) {
        if (err_no) *err_no = errno;
        return LECTOR_EIO;
    }
    return LECTOR_OK;
}

const char *lector_errno_str(int err_no)
{
    return strerror(err_no);
}

lector_dir *lector_dir_open(const char *path, int *err_no)
{
    lector_dir *d = malloc(sizeof *d);
    if (!d) {
        if (err_no) *err_no = ENOMEM;
        return NULL;
    }
    d->dir = opendir(path);
    if (!d->dir) {
        if (err_no) *err_no = errno;
        free(d);
        return NULL;
    }
    return d;
}

const char *lector_dir_next(lector_dir *d)
{
    struct dirent *e;
    if (!d) return NULL;
    while ((e = readdir(d->dir)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            return e->d_name;
    }
    return NULL;
}

void lector_dir_close(lector_dir *d)
{
    if (!d) return;
    closedir(d->dir);
    free(d);
}
