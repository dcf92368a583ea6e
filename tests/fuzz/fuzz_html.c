/* Fuzz target: HTML to text on arbitrary bytes (invariants in
 * inv_html.h): never a failure, always valid UTF-8 without NUL bytes,
 * trimmed metadata, deterministic, and escaped text comes back whole. */
#include "inv_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_html_input(data, size)) {
        fprintf(stderr, "INVARIANT html: %s\n", inv_msg);
        abort();
    }
    return 0;
}
