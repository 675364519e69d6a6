/* placeholder replaced below */
#include "divert/cli.h"
int dv_cmd_paths(dv_invocation *inv) { (void)inv; return 3; }
