/* Must not build as a library file (make check-layers): the core never
 * includes a Lua header. */
#include <lua.h>

int lector_probe_lua(void);
