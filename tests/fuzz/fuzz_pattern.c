/* Fuzz target: the pattern compiler and matcher (input: PATTERN 0xFF TEXT).
 * Invariants in inv_match.h. */
#include "inv_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_pattern_input(data, size)) {
        fprintf(stderr, "INVARIANT pattern: %s\n", inv_msg);
        abort();
    }
    return 0;
}
