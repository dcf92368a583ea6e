/* Fuzz target: undumping arbitrary bytes as a compiled gazetteer.
 * Invariants in inv_match.h. */
#include "inv_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_undump_input(data, size)) {
        fprintf(stderr, "INVARIANT gazdump: %s\n", inv_msg);
        abort();
    }
    return 0;
}
