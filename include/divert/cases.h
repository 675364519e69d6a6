/*
 * cases.h: what a scan with a case store (--state) remembers and reports:
 * each alert's status, what changed since the last run, what changed on
 * the watchlists, and the screening decisions it honours
 * (docs/operations.md).
 *
 * A scan opens the store before the load (dv_cases_prepare: the pairs of
 * entity and list entry that analysts cleared as not a match), runs its
 * stages, then in one transaction of the store (dv_cases_record) compares
 * its alerts and matches with the last run's, decides each alert's status,
 * and writes the run, the alerts, their history, the matches and the lists
 * with an audit entry. The scan's writers read the dv_cases it returns
 * (alerts.csv's status, changes.csv, watchlist_changes.csv, summary.json,
 * report.html); the commit of the store follows the commit of the output
 * directory, so that a scan killed in between leaves the store as it was
 * and its next run reports the same news again.
 *
 * Status of an alert in this run:
 *   new        the store has never seen it
 *   open       seen before, not dismissed nor escalated
 *   reopened   it was dismissed and new evidence arrived (a shipment of
 *              its evidence not seen before, a watchlist match of one of
 *              its parties not seen before, a higher score) or the date of
 *              the dismissal passed; or it had resolved and came back; or
 *              an analyst reopened it since the last run
 *   dismissed  dismissed by an analyst, and none of the above
 *   escalated  escalated by an analyst
 */
#ifndef DIVERT_CASES_H
#define DIVERT_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/dataset.h"
#include "divert/screen.h"
#include "divert/store.h"

typedef enum dv_case_status {
    DV_CASE_NEW,
    DV_CASE_OPEN,
    DV_CASE_REOPENED,
    DV_CASE_DISMISSED,
    DV_CASE_ESCALATED,
    DV_CASE_COUNT
} dv_case_status;
extern const char *const dv_case_status_names[DV_CASE_COUNT];

/* What changed for an alert, in the order changes.csv lists them. */
typedef enum dv_change_kind {
    DV_CHANGE_NEW,
    DV_CHANGE_REOPENED,
    DV_CHANGE_RESOLVED,
    DV_CHANGE_SCORE,
    DV_CHANGE_EVIDENCE,
    DV_CHANGE_COUNT
} dv_change_kind;
extern const char *const dv_change_names[DV_CHANGE_COUNT];

typedef struct dv_change {
    char alert_id[17];
    dv_change_kind kind;
    int old_score, new_score;     /* -1: none (a new or a resolved alert) */
    char *what;                   /* owned: in words */
} dv_change;

/* What changed on the watchlists, in the order watchlist_changes.csv
 * lists them. */
typedef enum dv_list_change_kind {
    DV_LIST_ENTRY_ADDED,
    DV_LIST_ENTRY_REMOVED,
    DV_LIST_MATCH_ADDED,
    DV_LIST_MATCH_REMOVED,
    DV_LIST_CHANGE_COUNT
} dv_list_change_kind;
extern const char *const dv_list_change_names[DV_LIST_CHANGE_COUNT];

typedef struct dv_list_change {
    dv_list_change_kind kind;
    char *list, *list_id, *list_name;  /* owned */
    char *entity_id, *entity_name;     /* owned; NULL for an entry's change */
    double score;                      /* of a match; 0 otherwise */
} dv_list_change;

/* A pair of entity and list entry cleared as not a match, with the
 * fingerprints of both when it was decided. */
typedef struct dv_cleared {
    char *entity_id, *list_id;
    char entity_fp[33], entry_fp[33];
    char *by;
} dv_cleared;

typedef struct dv_cases {
    bool on;                      /* the scan has a store */
    long long run_id;
    size_t n_alerts;              /* of the scan: the length of status and why */
    dv_case_status *status;       /* owned, by alert index */
    char **why;                   /* owned, by alert index: why reopened or
                                     dismissed, or NULL */
    dv_change *changes;           /* owned, in changes.csv's order */
    size_t n_changes;
    dv_list_change *list_changes; /* owned, in watchlist_changes.csv's order */
    size_t n_list_changes;
    bool lists_changed;           /* a watchlist file differs from the last run's */
    size_t by_status[DV_CASE_COUNT];
    size_t by_change[DV_CHANGE_COUNT];
    size_t by_list_change[DV_LIST_CHANGE_COUNT];
    dv_cleared *cleared;          /* owned: the store's not-a-match decisions */
    size_t n_cleared;
    size_t matches_cleared;       /* matches of this run they took out */
} dv_cases;

/* Fingerprints (32 hex digits) of what screening compares: an entity's
 * name, aliases and country; a list entry's name, aliases and country. */
void dv_entity_fp(const dv_entity *e, char out[33]);
void dv_watch_fp(const dv_watch *w, char out[33]);

/* Read the store's not-a-match decisions into c (c->on set). */
int dv_cases_prepare(dv_cases *c, dv_store *s, dv_error *err);

/* Whether screening must drop the pair of entity row and list row: a
 * not-a-match decision whose fingerprints are still those of the data.
 * For dv_screening_drop; ctx is the dv_cases. */
bool dv_cases_cleared(const void *ctx, const dv_dataset *ds, uint32_t entity, uint32_t watch);

/* Inside the caller's transaction: compare the scan in p (struct
 * dv_pipeline) with the store, fill c, and write the run. */
struct dv_pipeline;
int dv_cases_record(dv_cases *c, dv_store *s, const struct dv_pipeline *p, const char *out_dir,
                    dv_error *err);

void dv_cases_free(dv_cases *c);

#endif
