/* Fuzz target: the sentence splitter. The input's first line is a list of
 * abbreviations (space separated) given to the tokenizer, the rest is the
 * text; sentences must partition the tailored tokens (inv_sentence.h). */
#include "inv_sentence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inv_sentence_input(data, size)) {
        fprintf(stderr, "INVARIANT sentence: %s\n", inv_msg);
        abort();
    }
    return 0;
}
