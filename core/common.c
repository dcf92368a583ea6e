/* Library-wide basics: version, error names, releasing returned memory. */
#include "common.h"
#include "lector.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lector__errorf(char *buf, size_t cap, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return code;
}

void *lector__grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    size_t c = lector__grow_cap(*cap, need, first, size);
    if (!c) return NULL;
    void *np = realloc(p, c * size);
    if (np) *cap = c;
    return np;
}

const char *lector_version(void)
{
    return LECTOR_VERSION;
}

const char *lector_strerror(int code)
{
    switch (code) {
    case LECTOR_OK: return "ok";
    case LECTOR_ENOMEM: return "out of memory";
    case LECTOR_EINVAL: return "invalid argument";
    case LECTOR_EUTF8: return "invalid UTF-8";
    case LECTOR_EIO: return "input/output error";
    case LECTOR_EFORMAT: return "malformed input";
    case LECTOR_ELIMIT: return "limit exceeded";
    case LECTOR_EDB: return "database error";
    case LECTOR_EBUSY: return "database is locked";
    case LECTOR_EREADONLY: return "read-only";
    default: return "unknown error";
    }
}

void lector_free(void *p)
{
    free(p);
}

char *lector__json_quoted(char *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '"';
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c < 0x20) {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    return o;
}
