/*
 * cli.h: the command line: subcommands and options as tables of rows.
 *
 * Each subcommand is one row of cli.c's command table (name, summary,
 * arguments, description, the options it accepts, the output set it
 * writes, its run function) and the run function in a module of its own
 * (cmd_scan.c, cmd_validate.c, cmd_screen.c). The table drives parsing,
 * `divert --help`, `divert help COMMAND`, the unknown-command message and
 * dispatch; options are rows of cli.c's option table, mapped onto config
 * keys (config.h) where they set one.
 */
#ifndef DIVERT_CLI_H
#define DIVERT_CLI_H

#include <stdbool.h>

#include "divert/config.h"

/* Run divert with the given arguments; returns the exit code (SPEC 7). */
int dv_cli_main(int argc, char **argv);

/* Check that the command and option tables hang together: names unique
 * and well formed, every option's config key a key of config.h's table,
 * every command with outputs taking --out. 0, or DV_EXIT_INTERNAL with
 * err naming the row (for the tests). */
int dv_cli_check_tables(dv_error *err);

enum { DV_MAX_ARGS = 16 };     /* positional arguments of one command */

/* A parsed command line, as a run function gets it. */
typedef struct dv_invocation {
    const char *command;        /* its name (the command table's) */
    const char *args[DV_MAX_ARGS]; /* the positional arguments, in order:
                                    borrowed from argv, as is out */
    int n_args;
    const char *out;            /* --out DIR, or NULL: the default (--out FILE for
                                   a command that writes one file, NULL: stdout) */
    bool allow_shared_out;      /* --allow-shared-out: write where other users can */
    bool no_wait;               /* --no-wait: fail when another run holds --out */
    bool quiet;                 /* --quiet: no progress, no closing summary */
    const char *format;         /* --format FORMAT, or NULL: the command's default */
    const char *item;           /* --item CODE, or NULL */
    const char *from, *to;      /* paths: --from ENTITY, --to ENTITY, or NULL */
    const char *to_country;     /* paths: --to-country CC, or NULL */
    bool reverse;               /* paths: --reverse */
    const char *limit;          /* paths: --limit N as given, or NULL: the default */
    dv_config cfg;              /* defaults, then --config FILE, then options */
    const char *hops;           /* --hops N, as given, or NULL */
    const char *max_neighbours; /* --max-neighbours N, as given, or NULL */
    bool flagged_only;          /* --flagged-only */
    const char *pseudonymize;   /* --pseudonymize KEYFILE, or NULL */
    const char *state;          /* --state FILE: the case store (store.h), or NULL */
    bool fail_on_new;           /* scan: --fail-on-new */
    const char *decisions[8];   /* triage: "dismiss", "escalate", "reopen", "note",
                                   "not_a_match", "confirmed", in the order given
                                   (n_decisions may exceed 8: the run says one only) */
    int n_decisions;
    bool match;                 /* triage: --match (the arguments are ENTITY_ID LIST_ID) */
    const char *reason, *by;    /* triage: --reason TEXT, --by NAME, or NULL */
    const char *period;         /* stats: --by PERIOD, or NULL: month */
    const char *until;          /* triage: --until DATE, or NULL */
    const char *status;         /* cases: --status STATUS, or NULL */
    bool verify;                /* audit: --verify */
    const char *export_path;    /* audit: --export FILE, or NULL */
    const char *head;           /* audit: --head HASH, or NULL */
    const char *baseline;       /* stats: --baseline FROM:TO, or NULL (stats reads --by too) */
    bool publish;               /* stats: --publish */
    const char *k;              /* stats: --k N as given, or NULL: the default */
    const char *shards;         /* shard: --shards N as given, or NULL */
} dv_invocation;

/* Where outputs go without --out. */
#define DV_DEFAULT_OUT "divert-out"

/* The start the commands share: for one that writes outputs (out not
 * NULL), the output directory opened before the load (outdir.h), so that
 * a bad --out fails at once; the caller commits into *out and closes it.
 * Then the pipeline initialised with inv's configuration and progress on
 * the terminal (tp, the caller's, which the pipeline points to). Returns
 * 0, or the status after saying what is wrong (*out is then closed). */
struct dv_pipeline;
struct dv_term_progress;
struct dv_outdir;
int dv_cmd_start(dv_invocation *inv, struct dv_pipeline *p, struct dv_term_progress *tp,
                 struct dv_outdir *out);

/* The run functions, one module each. */
int dv_cmd_scan(dv_invocation *inv);
int dv_cmd_validate(dv_invocation *inv);
int dv_cmd_screen(dv_invocation *inv);
int dv_cmd_explain(dv_invocation *inv);
int dv_cmd_paths(dv_invocation *inv);
int dv_cmd_neighborhood(dv_invocation *inv);
int dv_cmd_export(dv_invocation *inv);
int dv_cmd_triage(dv_invocation *inv);
int dv_cmd_cases(dv_invocation *inv);  /* cases and case: cmd_cases.c */
int dv_cmd_case(dv_invocation *inv);
int dv_cmd_audit(dv_invocation *inv);
int dv_cmd_stats(dv_invocation *inv);
int dv_cmd_shard(dv_invocation *inv);
int dv_cmd_merge(dv_invocation *inv);

#endif
