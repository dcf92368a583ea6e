/* Fuzz target: UTF-8 validation, repair, normalization, folding and
 * character/byte offsets on arbitrary bytes (invariants in inv_text.h). */
#include "inv_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_utf8((const char *)data, size)) {
        fprintf(stderr, "INVARIANT utf8: %s\n", inv_msg);
        abort();
    }
    return 0;
}
