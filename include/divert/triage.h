/*
 * triage.h: the analysts' decisions on cases and on watchlist matches,
 * recorded in the case store (store.h) with an audit entry each (audit.h);
 * docs/triage.md.
 *
 * A decision is one row of the action table below: what it does to the
 * alert's status, whether it is about an alert or about a (party, list
 * entry) pair. Recording one is a single transaction: the decisions (or
 * match_decisions) row, the alert's new status, and an audit entry whose
 * detail is the decision rendered as canonical JSON (dv_decision_detail,
 * dv_match_detail); `divert audit --verify` renders the rows again and
 * compares, so the renderers are the contract between a row and its entry.
 */
#ifndef DIVERT_TRIAGE_H
#define DIVERT_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "divert/store.h"
#include "divert/util.h"

typedef enum dv_action {
    DV_ACT_DISMISS,
    DV_ACT_ESCALATE,
    DV_ACT_REOPEN,
    DV_ACT_NOTE,
    DV_ACT_NOT_A_MATCH,
    DV_ACT_CONFIRMED,
    DV_ACT_COUNT
} dv_action;

typedef struct dv_action_row {
    const char *name;           /* decisions.action / match_decisions.verdict and the
                                   audit entry's action */
    const char *flag;           /* the triage option that asks for it */
    bool on_match;              /* about a (party, list entry) pair, not an alert */
    const char *status;         /* the alert's status afterwards, NULL: unchanged */
} dv_action_row;

extern const dv_action_row dv_actions[DV_ACT_COUNT];

/* The action of this name, or -1. */
int dv_action_find(const char *name);

enum {
    DV_MAX_REASON = 4000,       /* bytes of a --reason */
    DV_MAX_NAME = 200,          /* bytes of a --by */
    DV_MAX_ID = 1000,           /* bytes of an alert, entity or list entry id */
};

/* A text an analyst gives (what: "--reason"): not empty or only spaces,
 * valid UTF-8, no control characters (C0, DEL, C1), at most max bytes.
 * 0, or DV_EXIT_INPUT with err naming what and the problem. */
int dv_triage_check_text(const char *what, const char *s, size_t max, dv_error *err);

/* --until: a real date YYYY-MM-DD after today (YYYY-MM-DD). */
int dv_triage_check_until(const char *until, const char *today, dv_error *err);

/* A decision on an alert, as the decisions table holds it. */
typedef struct dv_decision {
    long long decision_id;
    const char *alert_id;
    const char *action;         /* dv_actions[].name */
    const char *reason, *by;
    const char *until;          /* NULL unless a dismissal with an end */
} dv_decision;

/* A decision on a watchlist match, as match_decisions holds it. */
typedef struct dv_match_decision {
    const char *entity_id, *list_id;
    const char *verdict;        /* not_a_match | confirmed */
    const char *reason, *by;
    const char *entity_fp, *entry_fp;
} dv_match_decision;

/* The audit detail of a decision: a JSON object with these members in
 * this order and no spaces, strings escaped by dv_json_string:
 *   {"decision_id":N,"alert_id":S,"action":S,"reason":S,"by":S,"until":S|null}
 *   {"entity_id":S,"list_id":S,"verdict":S,"reason":S,"by":S,"entity_fp":S,"entry_fp":S}
 * A new heap string. */
char *dv_decision_detail(const dv_decision *d);
char *dv_match_detail(const dv_match_decision *m);

/* What recording a decision did. */
typedef struct dv_triage_result {
    long long decision_id;      /* decisions row (0 for a match decision) */
    long long audit_seq;        /* its audit entry */
    char old_status[16];        /* the alert's status before (alert decisions) */
    bool replaced;              /* a match decision replaced an earlier one */
} dv_triage_result;

/* Record a decision on an alert (d->decision_id is assigned) in one
 * transaction. Input errors (exit 2): no such alert in the store; a
 * reopen of an alert that is neither dismissed nor escalated. */
int dv_triage_alert(dv_store *s, dv_decision *d, dv_triage_result *res, dv_error *err);

/* Record a decision on a match, which must be one of the last scan's
 * (entity_matches); its fingerprints are copied from there. */
int dv_triage_match(dv_store *s, dv_match_decision *m, dv_triage_result *res, dv_error *err);

#endif
