/*
 * config.h: every tunable of a scan, with SPEC defaults.
 *
 * A dv_config is plain data: filled with defaults, then from a config file
 * (key = value lines), then from command-line options, and finally copied
 * into summary.json so a run can be reproduced.
 *
 * The keys are one table of rows in config.c (name, type, field, default,
 * bounds): dv_config_defaults, dv_config_set, the options' help (cli.c)
 * and summary.json's "config" (dv_config_each) all walk it, so a new
 * tunable is one field here and one row there.
 */
#ifndef DIVERT_CONFIG_H
#define DIVERT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "divert/rules.h"
#include "divert/util.h"

#define DV_MAX_THREADS 64
#define DV_MAX_HOPS 12           /* the longest chain a search holds (max_hops) */

typedef struct dv_config {
    /* route search (SPEC 3) */
    int window_days;              /* 120: max days between consecutive legs */
    int max_hops;                 /* 6: max shipments in a chain */
    int max_examples;             /* 20: example realisations per alert */
    size_t chain_budget;          /* realised chains examined per item entry */
    size_t alert_budget;          /* alerts reported per item entry */
    /* safeguard score (SPEC 2) */
    double weak_threshold;        /* 0.5 */
    double w_rule_of_law;         /* 0.35 */
    double w_data_protection;     /* 0.15 */
    double w_civil_liberties;     /* 0.20 */
    double w_regimes;             /* 0.30 */
    /* human-rights risk (SPEC 4, concern (d)) and review tracks (SPEC 5) */
    double hr_threshold;          /* 0.4: civil liberties below it are poor */
    unsigned security_sectors;    /* DV_SECTOR_BIT set (dataset.h) */
    unsigned humanitarian_sectors;
    /* scoring rules (SPEC 5) */
    double rule_weight[DV_RULE_COUNT];
    int rapid_days;               /* 14: dwell below this is rapid */
    int new_entity_days;          /* 365: registered this close to first trade */
    double pass_through_ratio;    /* 0.8: re-shipped share that is "most" */
    double unit_value_factor;     /* 3: this many times off the median */
    int split_min_shipments;      /* 3 */
    int split_days;               /* 14 */
    /* input and output */
    size_t max_field_bytes;       /* 1 MiB */
    size_t max_fields;            /* 1000: fields a CSV row may have */
    bool csv_formula_guard;       /* neutralise =,+,-,@ cells in outputs */
    /* run */
    int threads;                  /* 0: one per core (at most DV_MAX_THREADS) */
    size_t max_memory_mb;         /* address-space cap; 0: physical memory */
    double screen_threshold;      /* watchlist match score, 0 to 1 (screen.h) */
    double screen_review_from;    /* divert screen: pairs from here up to the threshold
                                     are for review (screen.h); at or above the
                                     threshold: no review band */
    double fail_on;               /* exit 1 when a score reaches it; <0: off */
    bool strict;                  /* any reject is exit 2: --strict only, not a
                                     setting of config files */
    bool no_report;               /* scan writes no report.html: --no-report only */
} dv_config;

/* Every key at its default. */
void dv_config_defaults(dv_config *cfg);

/* The default of a key as text ("120", "0.85", "true", "off"), or NULL
 * for an unknown key. */
const char *dv_config_default_text(const char *key, char buf[48]);

/* One key's value, as dv_config_each hands it out. */
typedef struct dv_config_value {
    const char *key;              /* "window_days", "weight.WEAK_TRANSIT": valid
                                     during the call only */
    enum { DV_VALUE_NUMBER, DV_VALUE_BOOL, DV_VALUE_OFF, DV_VALUE_SECTORS } kind;
    double number;                /* DV_VALUE_NUMBER */
    bool flag;                    /* DV_VALUE_BOOL */
    unsigned sectors;             /* DV_VALUE_SECTORS: a DV_SECTOR_BIT set */
} dv_config_value;

/* Call fn with every key and its value in cfg, in the table's order (the
 * order of docs/configuration.md). */
void dv_config_each(const dv_config *cfg, void (*fn)(void *ctx, const dv_config_value *v),
                    void *ctx);

/* The number of threads a scan uses: cfg->threads, or one per online core
 * when it is 0, within 1..DV_MAX_THREADS. */
int dv_config_threads(const dv_config *cfg);

/* Set one key ("window_days", "weight.WEAK_TRANSIT", ...) from text.
 * where names the source for messages ("divert.conf:3"). */
int dv_config_set(dv_config *cfg, const char *key, const char *value, const char *where,
                  dv_error *err);

/* Read a config file: one `key = value` a line, `#` comments, blank lines. */
int dv_config_load(dv_config *cfg, const char *path, dv_error *err);

/* Check the values hang together (weights >= 0, hops >= 2 ...). */
int dv_config_check(const dv_config *cfg, dv_error *err);

#endif
