/*
 * main.c: the divert command. Everything else lives in the library.
 */
#include <igraph.h>
#include <stdio.h>
#include <unicode/uclean.h>

#include "divert/cli.h"
#include "divert/names.h"
#include "divert/util.h"

/* igraph's default handler aborts; ours reports, frees what igraph had
 * registered, and lets the failing call return its error code. */
static void on_igraph_error(const char *reason, const char *file, int line, igraph_error_t code)
{
    fprintf(stderr, "divert: igraph: %s (%s:%d, %s)\n", reason, file, line, igraph_strerror(code));
    IGRAPH_FINALLY_FREE();
}

int main(int argc, char **argv)
{
    igraph_set_error_handler(on_igraph_error);
    int rc = dv_cli_main(argc, argv);
    dv_names_cleanup();
    u_cleanup(); /* ICU's caches, so that valgrind sees every block freed */
    return rc;
}
