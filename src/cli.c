/*
 * cli.c: subcommands and options, from tables of rows.
 *
 *   divert scan DATASET [options]      load, detect, write the outputs
 *   divert validate DATASET [options]  load and report problems only
 *   divert --help | --version | help COMMAND
 *
 * Options map onto config keys (config.h), so a value means the same on
 * the command line and in a --config file; command-line values win.
 * All messages to the user go through msg(), as "divert: ...".
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "divert/config.h"
#include "divert/dataset.h"
#include "divert/detect.h"
#include "divert/graph.h"
#include "divert/report.h"
#include "divert/screen.h"

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("divert: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

enum { CMD_SCAN = 1, CMD_VALIDATE = 2, CMD_SCREEN = 4 };

typedef enum { OPT_OUT, OPT_CONFIG, OPT_KEY, OPT_STRICT, OPT_QUIET, OPT_HELP } opt_kind;

typedef struct option_row {
    const char *name;       /* long option, with "--" */
    const char *arg;        /* argument name, NULL for a flag */
    opt_kind kind;
    const char *key;        /* config key for OPT_KEY */
    unsigned commands;      /* CMD_* where it applies */
    const char *help;
} option_row;

static const option_row options[] = {
    {"--out", "DIR", OPT_OUT, NULL, CMD_SCAN | CMD_SCREEN,
     "write the outputs into DIR (default ./divert-out)"},
    {"--window", "DAYS", OPT_KEY, "window_days", CMD_SCAN,
     "most days between one leg and the next (default 120)"},
    {"--max-hops", "N", OPT_KEY, "max_hops", CMD_SCAN, "longest chain, in shipments (default 6, at most 12)"},
    {"--weak-threshold", "X", OPT_KEY, "weak_threshold", CMD_SCAN,
     "safeguard score under which a country is weak (default 0.5)"},
    {"--threads", "N", OPT_KEY, "threads", CMD_SCAN | CMD_SCREEN,
     "work on N threads (default, or 0: one per core); same output"},
    {"--threshold", "X", OPT_KEY, "screen_threshold", CMD_SCREEN,
     "lowest score of a reported match, 0 to 1 (default 0.85)"},
    {"--max-memory", "MB", OPT_KEY, "max_memory_mb", CMD_SCAN | CMD_VALIDATE | CMD_SCREEN,
     "stop with a clear error past MB megabytes (default: the machine's memory)"},
    {"--fail-on", "SCORE", OPT_KEY, "fail_on", CMD_SCAN,
     "exit 1 when an alert scores SCORE or more"},
    {"--strict", NULL, OPT_STRICT, NULL, CMD_SCAN,
     "exit 2 when any row is rejected (scan still writes its outputs)"},
    {"--config", "FILE", OPT_CONFIG, NULL, CMD_SCAN | CMD_VALIDATE | CMD_SCREEN,
     "read settings from FILE (key = value lines, see docs/configuration.md)"},
    {"--quiet", NULL, OPT_QUIET, NULL, CMD_SCAN | CMD_VALIDATE | CMD_SCREEN,
     "no progress and no closing summary"},
    {"--help", NULL, OPT_HELP, NULL, CMD_SCAN | CMD_VALIDATE | CMD_SCREEN, "show this help"},
};
enum { N_OPTIONS = sizeof options / sizeof options[0] };

static void usage_main(FILE *f)
{
    fputs("divert: find transshipment routes of controlled goods in shipment data\n"
          "\n"
          "usage: divert scan DATASET [options]\n"
          "       divert validate DATASET [options]\n"
          "       divert screen DATASET [options]\n"
          "       divert help COMMAND\n"
          "       divert --help | --version\n"
          "\n"
          "commands:\n"
          "  scan      load the dataset, flag the routes, write alerts.csv, routes.csv,\n"
          "            rejects.csv and summary.json\n"
          "  validate  load the dataset and report every rejected row; write nothing\n"
          "  screen    match the entities against the watchlist; write matches.csv\n"
          "\n"
          "DATASET is a directory of CSV tables (entities, shipments, and optionally items,\n"
          "countries, licenses, watchlist), each NAME.csv or NAME.csv.gz.\n"
          "exit codes: 0 success, 1 an alert reached --fail-on, 2 usage or input error,\n"
          "3 internal error. 'divert help scan' lists the options.\n",
          f);
}

static void usage_command(FILE *f, int cmd)
{
    if (cmd == CMD_SCAN)
        fputs("usage: divert scan DATASET [options]\n\n"
              "Load DATASET, find the realised chains of controlled items through weak-safeguard\n"
              "third countries to destinations of concern, and write the alerts.\n\noptions:\n",
              f);
    else if (cmd == CMD_SCREEN)
        fputs("usage: divert screen DATASET [options]\n\n"
              "Match every entity of DATASET, by name and alias, against its watchlists\n"
              "(watchlist.csv and any watchlist*.csv: the SPEC layout, OpenSanctions'\n"
              "targets.simple.csv or the US Consolidated Screening List, told by header),\n"
              "and write matches.csv: the best pair of names for each entity and list entry\n"
              "scoring at or above the threshold, sorted by score, with how they match.\n"
              "\noptions:\n",
              f);
    else
        fputs("usage: divert validate DATASET [options]\n\n"
              "Load DATASET and report every row that would be rejected, as FILE:LINE: problem.\n"
              "Exit 0 when every row loads, 2 otherwise.\n\noptions:\n",
              f);
    for (int i = 0; i < N_OPTIONS; i++) {
        if (!(options[i].commands & (unsigned)cmd)) continue;
        char left[40];
        snprintf(left, sizeof left, "%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(f, "  %-22s %s\n", left, options[i].help);
    }
}

/* ---- progress on a terminal ---- */

typedef struct progress {
    bool on;
    double last;
    bool shown;
} progress;

static void load_progress(void *ctx, const char *name, unsigned long long bytes)
{
    progress *p = ctx;
    double now = dv_now();
    if (!p->on || now - p->last < 0.25) return;
    p->last = now;
    p->shown = true;
    fprintf(stderr, "\rdivert: reading %s: %.1f MB   ", name, (double)bytes / 1e6);
    fflush(stderr);
}

static void detect_progress(void *ctx, size_t done, size_t total)
{
    progress *p = ctx;
    double now = dv_now();
    if (!p->on || (now - p->last < 0.25 && done < total)) return;
    p->last = now;
    p->shown = true;
    fprintf(stderr, "\rdivert: searching routes: item entry %zu of %zu          ", done, total);
    fflush(stderr);
}

static void progress_end(progress *p)
{
    if (p->shown) fputs("\r\033[K", stderr);
    p->shown = false;
}

/* ---- the commands ---- */

typedef struct invocation {
    int cmd;
    const char *dataset;
    const char *out;
    bool quiet;
    dv_config cfg;
} invocation;

/* Print a paragraph folded at spaces to lines of at most width. */
static void print_wrapped(FILE *f, const char *text, size_t width)
{
    const char *line = text;
    while (*line) {
        size_t len = strlen(line);
        if (len <= width) {
            fprintf(f, "%s\n", line);
            break;
        }
        size_t cut = width;
        while (cut > 0 && line[cut] != ' ') cut--;
        if (cut == 0) cut = strcspn(line, " ");
        fprintf(f, "%.*s\n", (int)cut, line);
        line += cut;
        while (*line == ' ') line++;
    }
}

/* The file a reject's table names: a table, or one of the list files. */
static const char *reject_path(const dv_dataset *ds, const dv_reject *r)
{
    for (size_t k = 0; k < ds->n_lists; k++)
        if (!strcmp(r->table, ds->lists[k].label)) return ds->lists[k].path;
    for (int k = 0; k < DV_T_COUNT; k++)
        if (!strcmp(r->table, dv_table_names[k])) return ds->tables[k].path;
    return r->table;
}

/* Every rejected row as FILE:LINE: problem, or the first `most` of them
 * and how many more. */
static void print_rejects(const dv_dataset *ds, size_t most)
{
    for (size_t i = 0; i < ds->n_rejects && i < most; i++) {
        const dv_reject *r = &ds->rejects[i];
        msg("%s:%ld: %s%s%s: %s", reject_path(ds, r), r->line, r->column, r->column[0] ? ": " : "",
            r->code, r->detail);
    }
    if (ds->n_rejects > most) msg("... and %zu more rejected rows", ds->n_rejects - most);
}

/* Totals over the dataset's own files (the embedded reference tables are
 * listed but not counted); with f, one line a table. */
static void table_counts(FILE *f, const dv_dataset *ds, long *read, long *loaded, long *rejected)
{
    *read = *loaded = *rejected = 0;
    int width = 10; /* the longest table or list file name */
    for (size_t k = 0; k < ds->n_lists; k++)
        if ((int)strlen(ds->lists[k].label) > width) width = (int)strlen(ds->lists[k].label);
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        if (!info->reference) {
            *read += info->rows_read;
            *loaded += info->rows_loaded;
            *rejected += info->rows_rejected;
        }
        if (f && t == DV_T_WATCHLIST && ds->n_lists) {
            for (size_t k = 0; k < ds->n_lists; k++) /* each list file on its own */
                fprintf(f, "  %-*s %8ld rows read, %8ld loaded, %6ld rejected  %s\n", width,
                        ds->lists[k].label, ds->lists[k].rows_read, ds->lists[k].rows_loaded,
                        ds->lists[k].rows_rejected, ds->lists[k].path);
        } else if (f && info->present) {
            fprintf(f, "  %-*s %8ld rows read, %8ld loaded, %6ld rejected  %s\n", width,
                    dv_table_names[t], info->rows_read, info->rows_loaded, info->rows_rejected, info->path);
        }
    }
}

static int run_validate(invocation *inv)
{
    progress prog = {!inv->quiet && isatty(STDERR_FILENO), 0, false};
    dv_load_options lopt = {&inv->cfg, false, load_progress, &prog};
    dv_dataset ds;
    dv_error err = {0, ""};
    int rc = dv_dataset_load(&ds, inv->dataset, &lopt, &err);
    progress_end(&prog);
    if (rc) {
        msg("%s", err.msg);
        dv_dataset_free(&ds);
        return rc;
    }
    print_rejects(&ds, SIZE_MAX);
    long read, loaded, rejected;
    if (!inv->quiet) printf("divert: validated %s\n", ds.dir);
    table_counts(inv->quiet ? NULL : stdout, &ds, &read, &loaded, &rejected);
    if (!inv->quiet)
        printf("%ld rows read, %ld loaded, %ld rejected%s\n", read, loaded, rejected,
               rejected ? " (listed above)" : "");
    dv_dataset_free(&ds);
    return rejected ? DV_EXIT_INPUT : DV_EXIT_OK;
}

static int run_scan(invocation *inv)
{
    progress prog = {!inv->quiet && isatty(STDERR_FILENO), 0, false};
    dv_load_options lopt = {&inv->cfg, false, load_progress, &prog};
    dv_dataset ds;
    dv_graph graph = {0};
    dv_result result = {0};
    dv_error err = {0, ""};
    const char *out = inv->out ? inv->out : "divert-out";
    if (dv_prepare_outdir(out, &err)) {
        msg("%s", err.msg);
        return err.code;
    }
    double t0 = dv_now();
    int rc = dv_dataset_load(&ds, inv->dataset, &lopt, &err);
    progress_end(&prog);
    result.t_load = dv_now() - t0;
    dv_screening screening = {0};
    if (!rc) {
        t0 = dv_now();
        rc = dv_screen_dataset(&ds, inv->cfg.screen_threshold, dv_config_threads(&inv->cfg),
                               &screening, &err);
        result.t_screen = dv_now() - t0;
    }
    if (!rc) {
        t0 = dv_now();
        rc = dv_graph_build(&graph, &ds, &err);
        result.t_graph = dv_now() - t0;
    }
    if (!rc) {
        t0 = dv_now();
        dv_detect_options dopt = {&inv->cfg, detect_progress, &prog};
        rc = dv_detect(&ds, &screening, &graph, &dopt, &result, &err);
        progress_end(&prog);
        result.t_detect = dv_now() - t0;
    }
    if (!rc) rc = dv_write_outputs(out, &ds, &graph, &result, &inv->cfg, &err);
    if (rc) {
        msg("%s", err.msg);
    } else {
        long read, loaded, rejected;
        table_counts(NULL, &ds, &read, &loaded, &rejected);
        if (!inv->quiet) {
            dv_buf p = {0};
            double secs = result.t_load + result.t_screen + result.t_graph + result.t_detect + result.t_write;
            const char *refs = ds.tables[DV_T_COUNTRIES].reference && ds.tables[DV_T_ITEMS].reference
                                   ? " (with the reference countries and items)"
                               : ds.tables[DV_T_COUNTRIES].reference ? " (with the reference countries)"
                               : ds.tables[DV_T_ITEMS].reference     ? " (with the reference items)"
                                                                     : "";
            dv_buf_printf(&p, "divert: scanned %s%s: %ld rows read, %ld loaded, %ld rejected%s. ",
                          ds.dir, refs, read, loaded, rejected, rejected ? " (see rejects.csv)" : "");
            dv_buf_printf(&p, "%zu shipment%s, %zu of controlled items in %zu item entr%s; "
                              "%llu realised chain%s examined, %llu flagged. ",
                          ds.n_shipments, ds.n_shipments == 1 ? "" : "s", graph.n_controlled,
                          graph.n_items, graph.n_items == 1 ? "y" : "ies", result.chains_visited,
                          result.chains_visited == 1 ? "" : "s", result.chains_flagged);
            dv_buf_printf(&p, "%zu alert%s: %zu critical, %zu high, %zu medium, %zu low. "
                              "Results in %s/ (alerts.csv, routes.csv, rejects.csv, summary.json). ",
                          result.n_alerts, result.n_alerts == 1 ? "" : "s",
                          result.by_severity[DV_SEV_CRITICAL], result.by_severity[DV_SEV_HIGH],
                          result.by_severity[DV_SEV_MEDIUM], result.by_severity[DV_SEV_LOW], out);
            if (secs < 1) dv_buf_printf(&p, "%.0f ms.", secs * 1000);
            else dv_buf_printf(&p, "%.1f s.", secs);
            print_wrapped(stdout, p.data, 78);
            dv_buf_free(&p);
        }
        if (inv->cfg.strict && rejected) {
            msg("%ld row%s rejected and --strict is set (see %s/rejects.csv)", rejected,
                rejected == 1 ? "" : "s", out);
            rc = DV_EXIT_INPUT;
        } else if (inv->cfg.fail_on >= 0) {
            for (size_t i = 0; i < result.n_alerts; i++)
                if (result.alerts[i].score >= inv->cfg.fail_on) rc = DV_EXIT_ALERT;
        }
    }
    dv_result_free(&result);
    dv_graph_free(&graph);
    dv_screening_free(&screening);
    dv_dataset_free(&ds);
    return rc;
}

static int run_screen(invocation *inv)
{
    progress prog = {!inv->quiet && isatty(STDERR_FILENO), 0, false};
    dv_load_options lopt = {&inv->cfg, true, load_progress, &prog};
    dv_dataset ds;
    dv_error err = {0, ""};
    const char *out = inv->out ? inv->out : "divert-out";
    if (dv_prepare_outdir(out, &err)) {
        msg("%s", err.msg);
        return err.code;
    }
    double t0 = dv_now();
    int rc = dv_dataset_load(&ds, inv->dataset, &lopt, &err);
    progress_end(&prog);
    dv_screening screening = {0};
    if (!rc && !ds.n_lists)
        rc = dv_fail(&err, DV_EXIT_INPUT,
                     "%s: no watchlist.csv or watchlist*.csv (or .csv.gz): nothing to screen against",
                     ds.dir);
    if (!rc)
        rc = dv_screen_dataset(&ds, inv->cfg.screen_threshold, dv_config_threads(&inv->cfg),
                               &screening, &err);
    if (!rc) rc = dv_write_matches(out, &ds, &screening.all, &inv->cfg, &err);
    if (rc) {
        msg("%s", err.msg);
    } else {
        /* said even with --quiet: those rows were not screened */
        long read, loaded, rejected;
        table_counts(NULL, &ds, &read, &loaded, &rejected);
        if (rejected) {
            msg("%ld row%s rejected and not screened:", rejected, rejected == 1 ? " was" : "s were");
            print_rejects(&ds, 20);
        }
    }
    if (!rc && !inv->quiet) {
        size_t names = 0, matched = dv_screening_matched(&screening, ds.n_entities);
        for (size_t i = 0; i < ds.n_watch; i++) names += 1 + ds.watchlist[i].naliases;
        dv_buf p = {0};
        dv_buf_printf(&p,
                      "divert: screened %zu entit%s against %zu watchlist entr%s (%zu names): "
                      "%zu match%s at %.2f or more, %zu entit%s matched. Results in "
                      "%s/matches.csv. %.1f s.",
                      ds.n_entities, ds.n_entities == 1 ? "y" : "ies", ds.n_watch,
                      ds.n_watch == 1 ? "y" : "ies", names, screening.all.n, screening.all.n == 1 ? "" : "es",
                      inv->cfg.screen_threshold, matched, matched == 1 ? "y" : "ies", out,
                      dv_now() - t0);
        print_wrapped(stdout, p.data, 78);
        dv_buf_free(&p);
    }
    dv_screening_free(&screening);
    dv_dataset_free(&ds);
    return rc;
}

/* ---- argument parsing ---- */

static int parse_command(const char *word)
{
    if (!strcmp(word, "scan")) return CMD_SCAN;
    if (!strcmp(word, "validate")) return CMD_VALIDATE;
    if (!strcmp(word, "screen")) return CMD_SCREEN;
    return 0;
}

int dv_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stderr);
        return DV_EXIT_INPUT;
    }
    const char *first = argv[1];
    if (!strcmp(first, "--help") || !strcmp(first, "-h")) {
        usage_main(stdout);
        return DV_EXIT_OK;
    }
    if (!strcmp(first, "--version")) {
        printf("divert %s\n", DIVERT_VERSION);
        return DV_EXIT_OK;
    }
    if (!strcmp(first, "help")) {
        int cmd = argc > 2 ? parse_command(argv[2]) : 0;
        if (argc > 2 && !cmd) {
            msg("no command \"%s\"; the commands are scan, validate and screen", argv[2]);
            return DV_EXIT_INPUT;
        }
        if (cmd) usage_command(stdout, cmd);
        else usage_main(stdout);
        return DV_EXIT_OK;
    }
    invocation inv = {0};
    inv.cmd = parse_command(first);
    if (!inv.cmd) {
        msg("no command \"%s\"; try divert --help", first);
        return DV_EXIT_INPUT;
    }
    dv_config_defaults(&inv.cfg);

    /* keys from the command line wait until the config file is read; a key given twice
       takes its last value */
    const char *config_path = NULL;
    bool strict = false;
    const char *values[N_OPTIONS] = {0};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !strcmp(a, "-")) {
            if (inv.dataset) {
                msg("one dataset at a time: \"%s\" and \"%s\"", inv.dataset, a);
                return DV_EXIT_INPUT;
            }
            inv.dataset = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const option_row *o = NULL;
        for (int k = 0; k < N_OPTIONS; k++)
            if (strlen(options[k].name) == nlen && !strncmp(options[k].name, a, nlen)) o = &options[k];
        if (!o || !(o->commands & (unsigned)inv.cmd)) {
            msg("%s: unknown option %.*s; try divert help %s", first, (int)nlen, a, first);
            return DV_EXIT_INPUT;
        }
        const char *value = NULL;
        if (o->arg) {
            if (eq) value = eq + 1;
            else if (i + 1 < argc) value = argv[++i];
            else {
                msg("%s needs a value (%s)", o->name, o->arg);
                return DV_EXIT_INPUT;
            }
        } else if (eq) {
            msg("%s takes no value", o->name);
            return DV_EXIT_INPUT;
        }
        switch (o->kind) {
        case OPT_OUT: inv.out = value; break;
        case OPT_CONFIG: config_path = value; break;
        case OPT_STRICT: strict = true; break;
        case OPT_QUIET: inv.quiet = true; break;
        case OPT_HELP: usage_command(stdout, inv.cmd); return DV_EXIT_OK;
        case OPT_KEY: values[o - options] = value; break;
        }
    }
    if (!inv.dataset) {
        msg("%s needs a DATASET directory; try divert help %s", first, first);
        return DV_EXIT_INPUT;
    }
    dv_error err = {0, ""};
    if (config_path && dv_config_load(&inv.cfg, config_path, &err)) {
        msg("%s", err.msg);
        return DV_EXIT_INPUT;
    }
    inv.cfg.strict |= strict;
    for (int k = 0; k < N_OPTIONS; k++) {
        if (!values[k]) continue;
        if (dv_config_set(&inv.cfg, options[k].key, values[k], options[k].name, &err)) {
            msg("%s", err.msg);
            return DV_EXIT_INPUT;
        }
    }
    if (dv_config_check(&inv.cfg, &err)) {
        msg("%s", err.msg);
        return DV_EXIT_INPUT;
    }
    dv_set_memory_limit(inv.cfg.max_memory_mb);
    return inv.cmd == CMD_SCAN     ? run_scan(&inv)
           : inv.cmd == CMD_SCREEN ? run_screen(&inv)
                                   : run_validate(&inv);
}
