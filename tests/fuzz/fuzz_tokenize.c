/* Fuzz target: the tokenizer in tailored and UAX #29 modes, each with the
 * ASCII fast path on and off (which must give identical tokens), on
 * arbitrary bytes; invalid UTF-8 must be refused and its repair tokenized.
 * Invariants in inv_text.h: spans in bounds, ordered, non-overlapping,
 * covering every non-space byte, norm = fold(text). */
#include "inv_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_text_pipeline((const char *)data, size)) {
        fprintf(stderr, "INVARIANT tokenize: %s\n", inv_msg);
        abort();
    }
    return 0;
}
