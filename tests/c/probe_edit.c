/* Must not build as a library file (make check-layers): only the REPL in
 * core/host/ uses libedit. */
#include <editline/readline.h>

int lector_probe_edit(void);
