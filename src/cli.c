/*
 * cli.c: subcommands and options, from tables of rows (cli.h).
 *
 *   divert COMMAND ARGS [options]
 *   divert --help | --version | help COMMAND
 *
 * A command is a row of `commands` and its run function; an option is a
 * row of `options`, and a command's row says which options it accepts.
 * Options that set a config key (config.h) mean the same on the command
 * line and in a --config file; command-line values win, whatever their
 * place on the line. Unknown commands and options are answered with the
 * nearest name.
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "divert/msgs.h"
#include "divert/outdir.h"
#include "divert/report.h"

/* ---- options ---- */

typedef enum opt_id {
    OPT_OUT,
    OPT_ALLOW_SHARED_OUT,
    OPT_NO_WAIT,
    OPT_WINDOW,
    OPT_MAX_HOPS,
    OPT_WEAK_THRESHOLD,
    OPT_THREADS,
    OPT_THRESHOLD,
    OPT_MAX_MEMORY,
    OPT_FAIL_ON,
    OPT_STRICT,
    OPT_CONFIG,
    OPT_QUIET,
    OPT_FORMAT,
    OPT_ITEM,
    OPT_FROM,
    OPT_TO,
    OPT_TO_COUNTRY,
    OPT_REVERSE,
    OPT_LIMIT,
    OPT_HOPS,
    OPT_MAX_NEIGHBOURS,
    OPT_FLAGGED_ONLY,
    OPT_PSEUDONYMIZE,
    OPT_NO_REPORT,
    OPT_STATE,
    OPT_FAIL_ON_NEW,
    OPT_DISMISS,
    OPT_ESCALATE,
    OPT_REOPEN,
    OPT_NOTE,
    OPT_MATCH,
    OPT_NOT_A_MATCH,
    OPT_CONFIRMED,
    OPT_REASON,
    OPT_BY,
    OPT_BY_PERIOD,
    OPT_UNTIL,
    OPT_STATUS,
    OPT_VERIFY,
    OPT_EXPORT,
    OPT_HEAD,
    OPT_BASELINE,
    OPT_PUBLISH,
    OPT_K,
    OPT_REVIEW_FROM,
    OPT_SHARDS,
    OPT_SHARD_OUT,
    OPT_HELP,                    /* last: listed last in a command's help */
    OPT_COUNT
} opt_id;

typedef struct option_row {
    const char *name;       /* long option, with "--" */
    const char *arg;        /* its value's name, NULL for a flag */
    const char *key;        /* the config key it sets (a flag sets it true), or NULL */
    const char *help;       /* the default is added from the config table */
} option_row;

static const option_row options[OPT_COUNT] = {
    [OPT_OUT] = {"--out", "DIR", NULL, "write the outputs into DIR (default ./" DV_DEFAULT_OUT ")"},
    [OPT_ALLOW_SHARED_OUT] = {"--allow-shared-out", NULL, NULL,
                              "write into DIR even when other users can too (it is group- or "
                              "world-writable without the sticky bit, or theirs); dangerous: "
                              "they could then replace or remove the outputs, and so hide an "
                              "alert"},
    [OPT_NO_WAIT] = {"--no-wait", NULL, NULL,
                     "when another run is writing into DIR (or into the --state store), exit 2 "
                     "at once instead of waiting for it to finish"},
    [OPT_WINDOW] = {"--window", "DAYS", "window_days", "most days between one leg and the next"},
    [OPT_MAX_HOPS] = {"--max-hops", "N", "max_hops", "longest chain, in shipments, 2 to 12"},
    [OPT_WEAK_THRESHOLD] = {"--weak-threshold", "X", "weak_threshold",
                            "safeguard score under which a country is weak"},
    [OPT_THREADS] = {"--threads", "N", "threads",
                     "work on N threads, 0 for one per core; the same output on any number"},
    [OPT_THRESHOLD] = {"--threshold", "X", "screen_threshold",
                       "lowest score of a reported match, 0 to 1"},
    [OPT_MAX_MEMORY] = {"--max-memory", "MB", "max_memory_mb",
                        "stop with a clear error past MB megabytes, 0 for the machine's memory"},
    [OPT_FAIL_ON] = {"--fail-on", "SCORE", "fail_on", "exit 1 when an alert scores SCORE or more"},
    [OPT_STRICT] = {"--strict", NULL, NULL,
                    "exit 2 when any row is rejected (scan still writes its outputs)"},
    [OPT_CONFIG] = {"--config", "FILE", NULL,
                    "read settings from FILE (key = value lines, see docs/configuration.md)"},
    [OPT_QUIET] = {"--quiet", NULL, NULL, "no progress and no closing summary"},
    [OPT_FORMAT] = {"--format", "FORMAT", NULL,
                    "the output's format (the command's description lists them)"},
    [OPT_ITEM] = {"--item", "CODE", NULL,
                  "only the item entry of CODE (an item code, matched as shipments' items are)"},
    [OPT_FROM] = {"--from", "ENTITY", NULL, "the party the chains start at (id)"},
    [OPT_TO] = {"--to", "ENTITY", NULL,
                "only chains whose other end is this party (id): their final consignee, or "
                "with --reverse their origin"},
    [OPT_TO_COUNTRY] = {"--to-country", "CC", NULL,
                        "only chains whose other end is in country CC (alpha-2)"},
    [OPT_REVERSE] = {"--reverse", NULL, NULL,
                     "chains that end at --from (it is their final consignee) instead"},
    [OPT_LIMIT] = {"--limit", "N", NULL,
                   "show at most N chains, 0 for all (default 50); the rest are counted"},
    [OPT_HELP] = {"--help", NULL, NULL, "show this help"},
    [OPT_HOPS] = {"--hops", "N", NULL,
                  "parties up to N shipments away, either direction, 1 to 12 (default 2)"},
    [OPT_MAX_NEIGHBOURS] = {"--max-neighbours", "N", NULL,
                            "keep a party's N strongest links, by alert involvement then value "
                            "(default 25), and record how many were left out"},
    [OPT_FLAGGED_ONLY] = {"--flagged-only", NULL, NULL,
                          "only the shipments that are evidence of an alert, and their parties"},
    [OPT_PSEUDONYMIZE] = {"--pseudonymize", "KEYFILE", NULL,
                          "replace ids, names, addresses and alert ids by keyed hashes "
                          "(BLAKE2b with KEYFILE's 16 to 64 bytes as the key; see "
                          "docs/exports.md)"},
    [OPT_STATE] = {"--state", "FILE", NULL,
                   "the case store of nightly runs, a SQLite file (a scan makes it when missing; "
                   "docs/operations.md)"},
    [OPT_FAIL_ON_NEW] = {"--fail-on-new", NULL, NULL,
                         "with --fail-on and --state: exit 1 only for a new or reopened alert at "
                         "or above the score"},
    [OPT_DISMISS] = {"--dismiss", NULL, NULL,
                     "dismiss the alert: it stays dismissed while its evidence is unchanged"},
    [OPT_ESCALATE] = {"--escalate", NULL, NULL, "escalate the alert"},
    [OPT_REOPEN] = {"--reopen", NULL, NULL, "reopen a dismissed or escalated alert"},
    [OPT_NOTE] = {"--note", NULL, NULL, "add a note to the case; its status stays"},
    [OPT_MATCH] = {"--match", NULL, NULL,
                   "decide on a watchlist match instead: the arguments are ENTITY_ID LIST_ID"},
    [OPT_NOT_A_MATCH] = {"--not-a-match", NULL, NULL,
                         "with --match: the party is not the listed one"},
    [OPT_CONFIRMED] = {"--confirmed", NULL, NULL, "with --match: the party is the listed one"},
    [OPT_REASON] = {"--reason", "TEXT", NULL, "why (every decision needs one)"},
    [OPT_BY] = {"--by", "NAME", NULL, "who decides (every decision needs one)"},
    /* the same name for another command: a command accepts one --by */
    [OPT_BY_PERIOD] = {"--by", "PERIOD", NULL,
                       "the period of the figures: month (default), quarter or year"},
    [OPT_UNTIL] = {"--until", "DATE", NULL,
                   "with --dismiss: the alert comes back after DATE (YYYY-MM-DD)"},
    [OPT_STATUS] = {"--status", "STATUS", NULL,
                    "only the cases of this status: new, open, reopened, dismissed, escalated or "
                    "resolved"},
    [OPT_VERIFY] = {"--verify", NULL, NULL,
                    "check the whole audit chain: exit 0 when it holds, 2 when it does not"},
    [OPT_EXPORT] = {"--export", "FILE", NULL,
                    "write the audit log to FILE as JSON Lines, ending with its chain head"},
    [OPT_HEAD] = {"--head", "HASH", NULL,
                  "with --verify: a chain head exported before, which the log must still hold"},
    [OPT_BASELINE] = {"--baseline", "FROM:TO", NULL,
                      "the baseline months, YYYY-MM:YYYY-MM: each corridor's growth against "
                      "their average per period, and the roundabout signal after them"},
    [OPT_PUBLISH] = {"--publish", NULL, NULL,
                     "write only what can be published: corridors.csv, trends.csv and "
                     "publish.json, each cell backed by --k parties and by no dominant one, "
                     "rounded, with no party's id or name (docs/research.md, Publishing)"},
    [OPT_K] = {"--k", "N", NULL,
               "with --publish: the fewest distinct parties behind a published cell, 2 to 1000 "
               "(default 5)"},
    [OPT_REVIEW_FROM] = {"--review-from", "X", "screen_review_from",
                         "pairs scoring from X up to the threshold are written as review, "
                         "not match; X at or above the threshold: none"},
    [OPT_NO_REPORT] = {"--no-report", NULL, NULL,
                       "write no report.html (stats: no research.html), and remove one an "
                       "earlier run left in DIR"},
    [OPT_SHARDS] = {"--shards", "N", NULL,
                    "the number of shard datasets, 1 to 10000 (docs/cluster.md)"},
    /* shard's --out: the same words as the scan's (one entry in divert(1)),
     * but no default and no output set: the shard set is a tree (shard.h) */
    [OPT_SHARD_OUT] = {"--out", "DIR", NULL, "write the outputs into DIR"},
};

#define OPT(id) (UINT64_C(1) << (OPT_##id))
_Static_assert(OPT_COUNT <= 64, "options are a 64-bit mask in a command's row");
/* what every command that loads a dataset accepts */
#define LOADING (OPT(MAX_MEMORY) | OPT(CONFIG) | OPT(QUIET) | OPT(HELP))
/* what every command that writes outputs accepts */
#define WRITING (OPT(OUT) | OPT(ALLOW_SHARED_OUT) | OPT(NO_WAIT))

/* ---- commands ---- */

typedef struct command_row {
    const char *name;
    const char *args;            /* positional arguments; a last one ending in
                                    "..." may repeat */
    const char *summary;         /* one line for divert --help */
    const char *description;     /* a paragraph for divert help NAME */
    uint64_t options;            /* OPT() of those it accepts */
    const dv_output_set *outputs; /* what it writes into --out, or NULL */
    const char *out_file;        /* for a command that writes one file: --out's help,
                                    whose value is then that FILE, not a DIR */
    int (*run)(dv_invocation *inv);
} command_row;

static const command_row commands[] = {
    {.name = "scan",
     .args = "DATASET",
     .summary = "load the dataset, flag the routes",
     .description = "Load DATASET, find the realised chains of controlled items through "
                    "weak-safeguard third countries to destinations of concern, and write the "
                    "alerts.",
     .options = LOADING | WRITING | OPT(WINDOW) | OPT(MAX_HOPS) | OPT(WEAK_THRESHOLD) |
                OPT(THREADS) | OPT(FAIL_ON) | OPT(STRICT) | OPT(NO_REPORT) | OPT(STATE) |
                OPT(FAIL_ON_NEW),
     .outputs = &dv_output_sets[DV_OUTPUTS_SCAN],
     .run = dv_cmd_scan},
    {.name = "validate",
     .args = "DATASET",
     .summary = "load the dataset and report every rejected row; write nothing",
     .description = "Load DATASET and report every row that would be rejected, as FILE:LINE: "
                    "problem. Exit 0 when every row loads, 2 otherwise.",
     .options = LOADING,
     .run = dv_cmd_validate},
    {.name = "screen",
     .args = "DATASET",
     .summary = "match the entities against the watchlist",
     .description = "Match every entity of DATASET, by name and alias, against its watchlists "
                    "(watchlist.csv and any watchlist*.csv: the SPEC layout, OpenSanctions' "
                    "targets.simple.csv, the US Consolidated Screening List, UK OFSI's "
                    "ConList.csv or the EU's consolidated financial sanctions file, told by "
                    "header; and OFAC's sdn.csv with its alt.csv and add.csv), and write the best "
                    "pair of names for each entity and list entry scoring at or above the "
                    "threshold (decision match) or in the review band below it (decision "
                    "review, which raises no concern), sorted by score, with how they match. "
                    "With --state, "
                    "the pairs analysts cleared as not a match in that case store are left out, "
                    "as a scan leaves them out.",
     .options = LOADING | WRITING | OPT(THREADS) | OPT(THRESHOLD) | OPT(STATE) |
                OPT(REVIEW_FROM),
     .outputs = &dv_output_sets[DV_OUTPUTS_SCREEN],
     .run = dv_cmd_screen},
    {.name = "explain",
     .args = "DATASET ALERT_ID",
     .summary = "explain one alert: chain, shipments, rules, licences, watchlist, track",
     .description = "Explain the alert ALERT_ID that a scan of DATASET with the same options "
                    "reports: its parties with their countries' safeguard scores, each hop's "
                    "shipments and dwell times, every rule that fired and how the points add up "
                    "to the score, the licences of the origin and why each covers the route or "
                    "not, the watchlist matches of its parties, and its review track. --format "
                    "is text (default) or json; --item CODE searches only that item entry. "
                    "Writes to stdout only.",
     .options = LOADING | OPT(WINDOW) | OPT(MAX_HOPS) | OPT(WEAK_THRESHOLD) | OPT(THREADS) |
                OPT(FORMAT) | OPT(ITEM),
     .run = dv_cmd_explain},
    {.name = "paths",
     .args = "DATASET",
     .summary = "list the realised chains from (or into) a party, flagged or not",
     .description = "List every realised chain (SPEC 3) that starts at the party --from, or "
                    "with --reverse ends at it, flagged or not, with the flag verdict, which of "
                    "its conditions holds or fails, and the alert id when a scan with the same "
                    "options reports it. Alerts come first, then the other flagged chains, then "
                    "the rest; within each, by item code and then the parties' ids hop by hop. "
                    "--format is text (default), csv or json.",
     .options = LOADING | OPT(WINDOW) | OPT(MAX_HOPS) | OPT(WEAK_THRESHOLD) | OPT(THREADS) |
                OPT(FORMAT) | OPT(ITEM) | OPT(FROM) | OPT(TO) |
                OPT(TO_COUNTRY) | OPT(REVERSE) | OPT(LIMIT),
     .run = dv_cmd_paths},
    {.name = "neighborhood",
     .args = "DATASET ENTITY",
     .summary = "the network around a party, for graph tools",
     .description = "Scan DATASET in memory and write the parties within --hops shipments of "
                    "ENTITY (an entity id), either direction, with the shipments between them, as "
                    "a directed multigraph: --format graphml (the default; Gephi, Cytoscape, "
                    "networkx, igraph), dot (graphviz) or json (networkx's node-link form). Each "
                    "party keeps its --max-neighbours strongest links and records how many more it "
                    "has (more_neighbours, and \"and N more\" in a DOT drawing). Parties carry "
                    "name, role, sector, country, safeguard score, weakness and best watchlist "
                    "match; shipments their item, control, date, quantity, value and the alerts "
                    "they are evidence of (docs/exports.md).",
     .options = LOADING | OPT(OUT) | OPT(WINDOW) | OPT(MAX_HOPS) | OPT(WEAK_THRESHOLD) |
                OPT(THREADS) | OPT(FORMAT) | OPT(ITEM) | OPT(HOPS) | OPT(MAX_NEIGHBOURS) |
                OPT(PSEUDONYMIZE),
     .out_file = "write the graph to FILE (replaced atomically) instead of standard output",
     .run = dv_cmd_neighborhood},
    {.name = "export",
     .args = "DATASET",
     .summary = "the whole network, for graph tools",
     .description = "Scan DATASET in memory and write its parties and shipments as a directed "
                    "multigraph, with the same attributes and formats as neighborhood: --format "
                    "graphml (the default), dot or json. --item keeps one item entry's shipments, "
                    "--flagged-only the shipments that are evidence of an alert; either keeps only "
                    "the parties of the shipments kept (docs/exports.md).",
     .options = LOADING | OPT(OUT) | OPT(WINDOW) | OPT(MAX_HOPS) | OPT(WEAK_THRESHOLD) |
                OPT(THREADS) | OPT(FORMAT) | OPT(ITEM) | OPT(FLAGGED_ONLY) | OPT(PSEUDONYMIZE),
     .out_file = "write the graph to FILE (replaced atomically) instead of standard output",
     .run = dv_cmd_export},
    {.name = "triage",
     .args = "ID...",
     .summary = "record a decision on a case or on a watchlist match",
     .description = "Record an analyst's decision in the case store of --state, with an entry in "
                    "its audit log: on an alert (ID is its ALERT_ID) --dismiss (it stays "
                    "dismissed while its evidence is unchanged, or until the date of --until "
                    "has passed), --escalate, --reopen (a dismissed or escalated alert) or "
                    "--note (a remark; the status stays); or with --match ENTITY_ID LIST_ID, "
                    "--not-a-match (later scans no longer raise the pair while neither name "
                    "changes) or --confirmed. Every decision needs --reason and --by "
                    "(docs/triage.md).",
     .options = OPT(STATE) | OPT(DISMISS) | OPT(ESCALATE) | OPT(REOPEN) | OPT(NOTE) |
                OPT(MATCH) | OPT(NOT_A_MATCH) | OPT(CONFIRMED) | OPT(REASON) | OPT(BY) |
                OPT(UNTIL) | OPT(QUIET) | OPT(HELP),
     .run = dv_cmd_triage},
    {.name = "cases",
     .args = "",
     .summary = "list the cases of the case store",
     .description = "List every case of the case store of --state, highest score first: its "
                    "status (resolved when the last scan no longer reported it), score, "
                    "severity, item, when it was first and last seen, the end of a dismissal, "
                    "how many decisions were taken, the route and the latest decision. "
                    "--status keeps one status; --format is text (default), csv or json "
                    "(docs/triage.md).",
     .options = OPT(STATE) | OPT(STATUS) | OPT(FORMAT) | OPT(HELP),
     .run = dv_cmd_cases},
    {.name = "case",
     .args = "ALERT_ID",
     .summary = "one case's whole history",
     .description = "Show one case of the case store of --state: what the store holds of the "
                    "alert (status, score, route, rules, evidence, matches), every run that "
                    "reported it with its score, status and whether its evidence changed, and "
                    "every decision on it, in time order. --format is text (default) or json "
                    "(docs/triage.md).",
     .options = OPT(STATE) | OPT(FORMAT) | OPT(HELP),
     .run = dv_cmd_case},
    {.name = "audit",
     .args = "",
     .summary = "verify or export the audit log of the case store",
     .description = "--verify checks the audit log of the case store of --state: every entry's "
                    "hash and link to the one before, the head the store keeps, and that the "
                    "decisions and runs tables agree with their entries; exit 0 when all holds, "
                    "2 naming the first entry or row that does not. --head HASH also requires "
                    "the head of an earlier export in the log, which catches a log rewritten "
                    "whole. --export FILE writes the log as JSON Lines ending with its head, "
                    "for an archive kept elsewhere (docs/triage.md).",
     .options = OPT(STATE) | OPT(VERIFY) | OPT(HEAD) | OPT(EXPORT) | OPT(QUIET) | OPT(HELP),
     .run = dv_cmd_audit},
    {.name = "stats",
     .args = "DATASET",
     .summary = "statistics for researchers: corridors, brokers, communities, trends",
     .description = "Walk every realised chain (SPEC 3) of the controlled items of DATASET and "
                    "write the country corridors per period (--by month, quarter or year; a "
                    "chain counts in each period in which one of its realisations has its first "
                    "shipment), with --baseline FROM:TO their growth and the roundabout signal; the parties ranked by the "
                    "origin-destination pairs whose chains pass through them, beside static "
                    "betweenness; the communities of the controlled-item graph; and flagged and "
                    "unflagged value per period, item category and transit country. --item "
                    "keeps one item entry. --publish writes only corridors and trends whose "
                    "every cell has --k distinct parties and no dominant one, rounded, with no "
                    "party's id or name. research.html draws the corridors, trends, brokers "
                    "and communities as charts on one offline page (docs/research.md).",
     .options = LOADING | WRITING | OPT(WINDOW) | OPT(MAX_HOPS) | OPT(WEAK_THRESHOLD) |
                OPT(THREADS) | OPT(ITEM) | OPT(BY_PERIOD) | OPT(BASELINE) | OPT(PUBLISH) |
                OPT(K) | OPT(NO_REPORT),
     .outputs = &dv_output_sets[DV_OUTPUTS_STATS],
     .run = dv_cmd_stats},
    {.name = "shard",
     .args = "DATASET",
     .summary = "split a dataset by item entry into shard datasets for a cluster",
     .description = "Split DATASET into --shards N shard datasets, each holding the shipments "
                    "of a set of item entries (routes never cross item entries), balanced by "
                    "shipment count, with every other table whole, gzip; an item entry above "
                    "the fair share gets a shard alone. Streams: no shipment is held in memory. "
                    "Writes DIR/shard-001 ... and DIR/manifest.json (each file's rows and "
                    "SHA-256); an earlier shard set in DIR is replaced, a directory holding "
                    "anything else refused. Scan each shard, then divert merge the outputs "
                    "(docs/cluster.md).",
     .options = LOADING | OPT(SHARD_OUT) | OPT(SHARDS),
     .run = dv_cmd_shard},
    {.name = "merge",
     .args = "OUTDIR...",
     .summary = "merge the scans of a shard set into the whole dataset's scan",
     .description = "Combine the output directories of the scans of every shard of one shard "
                    "set (divert shard) into alerts.csv, routes.csv, rejects.csv, alerts.json, "
                    "report.html (where the scans wrote it) and summary.json, byte-identical to "
                    "one scan of the whole dataset with the same configuration (summary.json's "
                    "timings aside: they are the shards' sums). Refuses scans of different "
                    "configurations, divert versions or shard sets, and a missing shard "
                    "(docs/cluster.md).",
     .options = LOADING | WRITING,
     .outputs = &dv_output_sets[DV_OUTPUTS_MERGE],
     .run = dv_cmd_merge},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static const command_row *find_command(const char *name)
{
    for (int i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i].name, name)) return &commands[i];
    return NULL;
}

/* ---- help ---- */

static void usage_main(FILE *f)
{
    fputs("divert: find transshipment routes of controlled goods in shipment data\n\n", f);
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(f, "%s divert %s%s%s [options]\n", i ? "      " : "usage:", commands[i].name,
                commands[i].args[0] ? " " : "", commands[i].args);
    fputs("       divert help COMMAND\n"
          "       divert --help | --version\n\n"
          "commands:\n",
          f);
    size_t width = 0; /* the summaries start after the longest name */
    for (int i = 0; i < N_COMMANDS; i++)
        if (strlen(commands[i].name) > width) width = strlen(commands[i].name);
    for (int i = 0; i < N_COMMANDS; i++) {
        const command_row *c = &commands[i];
        dv_buf line = {0};
        dv_buf_puts(&line, c->summary);
        if (c->outputs) {
            dv_buf_puts(&line, "; writes ");
            dv_output_names(c->outputs, NULL, ", ", &line);
        }
        char name[32];
        snprintf(name, sizeof name, "  %s", c->name);
        dv_print_hanging(f, name, width + 4, line.data, 79);
        dv_buf_free(&line);
    }
    fputs("\nDATASET is a directory of CSV tables (entities, shipments, and optionally items,\n"
          "countries, licenses, watchlist), each NAME.csv or NAME.csv.gz.\n"
          "exit codes: 0 success, 1 an alert reached --fail-on, 2 usage or input error,\n"
          "3 internal error. 'divert help COMMAND' lists a command's options.\n",
          f);
}

static void usage_command(FILE *f, const command_row *c)
{
    fprintf(f, "usage: divert %s%s%s [options]\n\n", c->name, c->args[0] ? " " : "", c->args);
    dv_print_wrapped(f, c->description, 79);
    if (c->outputs) {
        /* one line, read by the tests: the files of the command's output set that
         * every run writes; then a line for those an option asks for */
        dv_buf names = {0};
        dv_output_names(c->outputs, NULL, " ", &names);
        fprintf(f, "\noutputs: %s\n", names.data);
        for (size_t i = 0; i < c->outputs->n; i++) { /* those an option asks for, by option */
            const char *needs = c->outputs->files[i].needs;
            bool first = needs != NULL;
            for (size_t k = 0; first && k < i; k++)
                first = !c->outputs->files[k].needs || strcmp(c->outputs->files[k].needs, needs);
            if (!first) continue;
            names.len = 0;
            dv_output_names(c->outputs, needs, " ", &names);
            fprintf(f, "outputs with %s: %s\n", needs, names.data);
        }
        dv_buf_free(&names);
    }
    fputs("\noptions:\n", f);
    for (int i = 0; i < OPT_COUNT; i++) {
        const option_row *o = &options[i];
        if (!(c->options & (UINT64_C(1) << i))) continue;
        char left[40], def[48];
        /* a command that writes one file gives --out its own meaning */
        bool out_file = i == OPT_OUT && c->out_file;
        snprintf(left, sizeof left, "  %s%s%s", o->name, o->arg ? " " : "",
                 out_file ? "FILE" : o->arg ? o->arg : "");
        dv_buf help = {0};
        dv_buf_puts(&help, out_file ? c->out_file : o->help);
        if (o->key && o->arg && dv_config_default_text(o->key, def))
            dv_buf_printf(&help, " (default %s)", def);
        dv_print_hanging(f, left, 25, help.data, 79);
        dv_buf_free(&help);
    }
}

/* "did you mean X?" for a word that is not a command, or NULL; `help`
 * is a candidate where it is a command (not after `divert help`). */
static const char *nearest_command(const char *word, bool help, dv_nearest *near)
{
    dv_nearest_init(near, word);
    for (int i = 0; i < N_COMMANDS; i++) dv_nearest_try(near, commands[i].name);
    if (help) dv_nearest_try(near, "help");
    return dv_nearest_result(near);
}

static int unknown_command(const char *word, bool help, const char *advice)
{
    dv_nearest near;
    const char *guess = nearest_command(word, help, &near);
    if (guess) dv_msg("no command \"%s\"; did you mean %s?", word, guess);
    else dv_msg("no command \"%s\"; %s", word, advice);
    return DV_EXIT_INPUT;
}

/* The option of this name a command accepts, or NULL; says why not. */
static const option_row *accepted_option(const command_row *c, const char *a, size_t len)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if ((c->options & (UINT64_C(1) << i)) && strlen(options[i].name) == len &&
            !strncmp(options[i].name, a, len))
            return &options[i];
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), a);
    dv_nearest near;
    dv_nearest_init(&near, word);
    for (int i = 0; i < OPT_COUNT; i++)
        if (c->options & (UINT64_C(1) << i)) dv_nearest_try(&near, options[i].name);
    const char *guess = dv_nearest_result(&near);
    if (guess) dv_msg("%s: unknown option %.*s; did you mean %s?", c->name, (int)len, a, guess);
    else dv_msg("%s: unknown option %.*s; try divert help %s", c->name, (int)len, a, c->name);
    return NULL;
}

/* ---- positional arguments ---- */

/* The i-th name of a command's arguments ("DATASET"), into out; a last
 * name ending in "..." stands for every argument after it. */
static bool arg_name(const command_row *c, int i, char out[64], bool *repeats)
{
    const char *p = c->args;
    for (int k = 0; *p; k++) {
        size_t len = strcspn(p, " ");
        bool dots = len > 3 && !strncmp(p + len - 3, "...", 3);
        if (k == i || (dots && !p[len])) {
            snprintf(out, 64, "%.*s", (int)(dots ? len - 3 : len), p);
            *repeats = dots;
            return true;
        }
        p += len + (p[len] == ' ');
    }
    return false;
}

static int check_args(const command_row *c, const dv_invocation *inv)
{
    char name[64];
    bool repeats;
    for (int i = 0;; i++) {
        if (!arg_name(c, i, name, &repeats)) break;
        if (i >= inv->n_args) {
            bool dir = !strcmp(name, "DATASET") || strstr(name, "DIR");
            dv_msg("%s needs %s%s%s; try divert help %s", c->name, dir ? "a " : "", name,
                   dir ? " directory" : "", c->name);
            return DV_EXIT_INPUT;
        }
        if (repeats) return 0;
    }
    return 0;
}

int dv_cli_check_tables(dv_error *err)
{
    char def[48];
    for (int i = 0; i < OPT_COUNT; i++) {
        const option_row *o = &options[i];
        if (!o->name || strncmp(o->name, "--", 2) != 0 || !o->help)
            return dv_fail(err, DV_EXIT_INTERNAL, "option row %d is incomplete", i);
        /* two rows may share a name (--by NAME, --by PERIOD) if no command
         * accepts both: the command's own rows tell them apart */
        for (int j = 0; j < i; j++)
            if (!strcmp(options[j].name, o->name))
                for (int c = 0; c < N_COMMANDS; c++)
                    if ((commands[c].options >> i & 1) && (commands[c].options >> j & 1))
                        return dv_fail(err, DV_EXIT_INTERNAL,
                                       "command %s accepts option %s twice", commands[c].name,
                                       o->name);
        if (o->key && !dv_config_default_text(o->key, def))
            return dv_fail(err, DV_EXIT_INTERNAL, "option %s sets \"%s\", not a config key",
                           o->name, o->key);
    }
    for (int i = 0; i < N_COMMANDS; i++) {
        const command_row *c = &commands[i];
        if (!c->name || !c->args || !c->summary || !c->description || !c->run)
            return dv_fail(err, DV_EXIT_INTERNAL, "command row %d is incomplete", i);
        for (int j = 0; j < i; j++)
            if (!strcmp(commands[j].name, c->name))
                return dv_fail(err, DV_EXIT_INTERNAL, "command %s is declared twice", c->name);
        if (!strcmp(c->name, "help"))
            return dv_fail(err, DV_EXIT_INTERNAL, "help is divert's own command");
        if (OPT_COUNT < 64 && c->options >> OPT_COUNT)
            return dv_fail(err, DV_EXIT_INTERNAL, "command %s accepts an option that is not a row",
                           c->name);
        if (c->outputs && (c->options & WRITING) != WRITING)
            return dv_fail(err, DV_EXIT_INTERNAL,
                           "command %s writes outputs but does not take every option of the "
                           "output directory",
                           c->name);
        if (c->out_file && (c->outputs || (c->options & WRITING) != OPT(OUT)))
            return dv_fail(err, DV_EXIT_INTERNAL,
                           "command %s writes one file: it takes --out FILE and no output set or "
                           "other option of the output directory",
                           c->name);
        if (!c->outputs && !c->out_file && (c->options & WRITING))
            return dv_fail(err, DV_EXIT_INTERNAL,
                           "command %s writes no outputs but takes an option of the output "
                           "directory",
                           c->name);
    }
    return 0;
}

int dv_cmd_start(dv_invocation *inv, dv_pipeline *p, dv_term_progress *tp, dv_outdir *out)
{
    if (out) {
        dv_outdir_opts opts = {.allow_shared = inv->allow_shared_out, .no_wait = inv->no_wait};
        dv_error err = {0, ""};
        int rc = dv_outdir_open(out, inv->out ? inv->out : DV_DEFAULT_OUT, &opts, &err);
        if (rc) {
            dv_msg("%s", err.msg);
            return rc;
        }
    }
    dv_progress progress = dv_term_progress_init(tp, inv->quiet);
    dv_pipeline_init(p, &inv->cfg, &progress);
    return 0;
}

/* ---- dv_cli_main ---- */

static int cli_main(int argc, char **argv)
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
        if (argc < 3) {
            usage_main(stdout);
            return DV_EXIT_OK;
        }
        const command_row *c = find_command(argv[2]);
        if (!c) {
            dv_buf all = {0};
            for (int i = 0; i < N_COMMANDS; i++)
                dv_buf_printf(&all, "%s%s", i == 0 ? "" : i + 1 < N_COMMANDS ? ", " : " and ",
                              commands[i].name);
            dv_buf advice = {0};
            dv_buf_printf(&advice, "the commands are %s", all.data);
            int rc = unknown_command(argv[2], false, advice.data);
            dv_buf_free(&all);
            dv_buf_free(&advice);
            return rc;
        }
        usage_command(stdout, c);
        return DV_EXIT_OK;
    }
    const command_row *c = find_command(first);
    if (!c) return unknown_command(first, true, "try divert --help");

    dv_invocation inv = {0};
    inv.command = c->name;
    dv_config_defaults(&inv.cfg);
    /* keys from the command line wait until the config file is read; a key
     * given twice takes its last value */
    const char *config_path = NULL;
    const char *values[OPT_COUNT] = {0};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !strcmp(a, "-")) {
            char name[64];
            bool repeats = false;
            if (inv.n_args == DV_MAX_ARGS || !arg_name(c, inv.n_args, name, &repeats)) {
                if (!inv.n_args || !arg_name(c, inv.n_args - 1, name, &repeats)) {
                    dv_msg("%s takes no %s: \"%s\"", c->name, inv.n_args ? "more arguments" : "arguments", a);
                    return DV_EXIT_INPUT;
                }
                for (char *p = name; *p; p++) *p = (char)tolower((unsigned char)*p);
                dv_msg("one %s at a time: \"%s\" and \"%s\"", name, inv.args[inv.n_args - 1], a);
                return DV_EXIT_INPUT;
            }
            inv.args[inv.n_args++] = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const option_row *o = accepted_option(c, a, nlen);
        if (!o) return DV_EXIT_INPUT;
        const char *value = NULL;
        if (o->arg) {
            if (eq) value = eq + 1;
            else if (i + 1 < argc) value = argv[++i];
            else {
                dv_msg("%s needs a value (%s)", o->name, o->arg);
                return DV_EXIT_INPUT;
            }
        } else if (eq) {
            dv_msg("%s takes no value", o->name);
            return DV_EXIT_INPUT;
        }
        opt_id id = (opt_id)(o - options);
        switch (id) {
        case OPT_OUT: inv.out = value; break;
        case OPT_CONFIG: config_path = value; break;
        case OPT_QUIET: inv.quiet = true; break;
        case OPT_ALLOW_SHARED_OUT: inv.allow_shared_out = true; break;
        case OPT_NO_WAIT: inv.no_wait = true; break;
        case OPT_STRICT: inv.cfg.strict = true; break;
        case OPT_FORMAT: inv.format = value; break;
        case OPT_ITEM: inv.item = value; break;
        case OPT_FROM: inv.from = value; break;
        case OPT_TO: inv.to = value; break;
        case OPT_TO_COUNTRY: inv.to_country = value; break;
        case OPT_REVERSE: inv.reverse = true; break;
        case OPT_LIMIT: inv.limit = value; break;
        case OPT_NO_REPORT: inv.cfg.no_report = true; break;
        case OPT_HELP: usage_command(stdout, c); return DV_EXIT_OK;
        case OPT_HOPS: inv.hops = value; break;
        case OPT_MAX_NEIGHBOURS: inv.max_neighbours = value; break;
        case OPT_FLAGGED_ONLY: inv.flagged_only = true; break;
        case OPT_PSEUDONYMIZE: inv.pseudonymize = value; break;
        case OPT_STATE: inv.state = value; break;
        case OPT_FAIL_ON_NEW: inv.fail_on_new = true; break;
        case OPT_DISMISS: inv.decisions[inv.n_decisions++ % 8] = "dismiss"; break;
        case OPT_ESCALATE: inv.decisions[inv.n_decisions++ % 8] = "escalate"; break;
        case OPT_REOPEN: inv.decisions[inv.n_decisions++ % 8] = "reopen"; break;
        case OPT_NOTE: inv.decisions[inv.n_decisions++ % 8] = "note"; break;
        case OPT_NOT_A_MATCH: inv.decisions[inv.n_decisions++ % 8] = "not_a_match"; break;
        case OPT_CONFIRMED: inv.decisions[inv.n_decisions++ % 8] = "confirmed"; break;
        case OPT_MATCH: inv.match = true; break;
        case OPT_REASON: inv.reason = value; break;
        case OPT_BY: inv.by = value; break;
        case OPT_BY_PERIOD: inv.period = value; break;
        case OPT_UNTIL: inv.until = value; break;
        case OPT_STATUS: inv.status = value; break;
        case OPT_VERIFY: inv.verify = true; break;
        case OPT_EXPORT: inv.export_path = value; break;
        case OPT_HEAD: inv.head = value; break;
        case OPT_BASELINE: inv.baseline = value; break;
        case OPT_PUBLISH: inv.publish = true; break;
        case OPT_K: inv.k = value; break;
        case OPT_SHARDS: inv.shards = value; break;
        case OPT_SHARD_OUT: inv.out = value; break;
        default: values[id] = o->arg ? value : "true"; break;
        }
    }
    int rc = check_args(c, &inv);
    if (rc) return rc;
    dv_error err = {0, ""};
    if (config_path && dv_config_load(&inv.cfg, config_path, &err)) {
        dv_msg("%s", err.msg);
        return DV_EXIT_INPUT;
    }
    for (int k = 0; k < OPT_COUNT; k++) {
        if (!values[k]) continue;
        if (dv_config_set(&inv.cfg, options[k].key, values[k], options[k].name, &err)) {
            dv_msg("%s", err.msg);
            return DV_EXIT_INPUT;
        }
    }
    if (dv_config_check(&inv.cfg, &err)) {
        dv_msg("%s", err.msg);
        return DV_EXIT_INPUT;
    }
    dv_set_memory_limit(inv.cfg.max_memory_mb);
    return c->run(&inv);
}

int dv_cli_main(int argc, char **argv)
{
    int rc = cli_main(argc, argv);
    /* what a command prints on stdout (a closing summary, validate's
     * report, help) is part of what it does: a full disk there is an
     * error, not a silent loss; an earlier failure leaves no errno */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno;
        dv_msg("standard output: cannot write%s%s", e ? ": " : "", e ? strerror(e) : "");
        if (rc == DV_EXIT_OK || rc == DV_EXIT_ALERT) rc = DV_EXIT_INPUT;
    }
    return rc;
}
