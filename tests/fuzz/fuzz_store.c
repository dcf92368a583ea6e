/* Fuzz target: a store round trip (add + annotate + read back equals what went in; refused writes leave nothing).
 * Invariants in inv_store.h. */
#include "inv_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_store_input(data, size)) {
        fprintf(stderr, "INVARIANT store: %s\n", inv_msg);
        abort();
    }
    return 0;
}
