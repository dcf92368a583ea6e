/* Peer: the raw libunistring u8_wordbreaks pass over each document, plus
 * a kind per segment from its first character (what a tokenizer built
 * directly on it pays). Usage: text_u8wb CORPUS [ROUNDS] */
#include "text_docs.h"

#include <unictype.h>
#include <unistr.h>
#include <uniwbrk.h>

int main(int argc, char **argv)
{
    docs_t d;
    if (argc < 2 || docs_load(&d, argv[1])) return 1;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    size_t maxlen = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.len[i] > maxlen) maxlen = d.len[i];
    char *brk = malloc(maxlen + 1);
    double best = 1e9;
    size_t ntok = 0, kinds[8];
    for (int r = 0; r < rounds; r++) {
        double t0 = cpu_now();
        ntok = 0;
        memset(kinds, 0, sizeof kinds);
        for (size_t i = 0; i < d.n; i++) {
            const uint8_t *s = (const uint8_t *)d.doc[i];
            size_t n = d.len[i];
            u8_wordbreaks(s, n, brk);
            for (size_t p = 0; p < n;) {
                size_t q = p + 1;
                while (q < n && !brk[q])
                    q++;
                ucs4_t c;
                u8_mbtouc_unsafe(&c, s + p, n - p);
                int k = uc_is_property_white_space(c)              ? 0
                        : uc_is_general_category(c, UC_CATEGORY_L) ? 1
                        : uc_is_general_category(c, UC_CATEGORY_N) ? 2
                        : uc_is_general_category(c, UC_CATEGORY_P) ? 3
                                                                   : 4;
                kinds[k]++;
                if (k) ntok++;
                p = q;
            }
        }
        double t = cpu_now() - t0;
        if (t < best) best = t;
    }
    report("u8_wordbreaks + kinds (C)", d.bytes, best, ntok);
    free(brk);
    docs_free(&d);
    return 0;
}
