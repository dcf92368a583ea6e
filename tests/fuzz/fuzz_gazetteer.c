/* Fuzz target: the gazetteer loader (TSV/CSV text through a file), matching with and without overlaps, and a dump/undump round trip.
 * Invariants in inv_match.h. */
#include "inv_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_gazetteer_input(data, size)) {
        fprintf(stderr, "INVARIANT gazetteer: %s\n", inv_msg);
        abort();
    }
    return 0;
}
