/*
 * cmd_triage.c: divert triage --state FILE.db ALERT_ID --dismiss|--escalate|
 * --reopen|--note ..., and divert triage --state FILE.db --match ENTITY_ID
 * LIST_ID --not-a-match|--confirmed ...: one decision recorded in the case
 * store with its audit entry (triage.h). Everything on the command line is
 * checked before the store is opened.
 */
#include <stdio.h>
#include <string.h>

#include "divert/cli.h"
#include "divert/msgs.h"
#include "divert/triage.h"

/* The flags of the decisions on an alert (on_match false) or on a match,
 * joined for a message: "--dismiss, --escalate, --reopen or --note". */
static void flags_of(bool on_match, dv_buf *out)
{
    int n = 0, total = 0;
    for (int i = 0; i < DV_ACT_COUNT; i++) total += dv_actions[i].on_match == on_match;
    for (int i = 0; i < DV_ACT_COUNT; i++) {
        if (dv_actions[i].on_match != on_match) continue;
        n++;
        dv_buf_printf(out, "%s%s", n == 1 ? "" : n == total ? " or " : ", ", dv_actions[i].flag);
    }
}

/* The one decision asked for, or -1 after a message. */
static int read_decision(const dv_invocation *inv)
{
    dv_buf flags = {0};
    flags_of(inv->match, &flags);
    int action = -1;
    if (inv->n_decisions == 0) {
        dv_msg("triage needs a decision: %s", flags.data);
    } else if (inv->n_decisions > 1) {
        int a = dv_action_find(inv->decisions[0]), b = dv_action_find(inv->decisions[1]);
        dv_msg("triage records one decision at a time: %s and %s", dv_actions[a].flag,
               dv_actions[b].flag);
    } else {
        action = dv_action_find(inv->decisions[0]);
        if (dv_actions[action].on_match != inv->match) {
            dv_msg(inv->match ? "triage --match: %s is a decision on an alert; on a match: %s"
                              : "triage: %s is a decision on a watchlist match (with --match "
                                "ENTITY_ID LIST_ID); on an alert: %s",
                   dv_actions[action].flag, flags.data);
            action = -1;
        }
    }
    dv_buf_free(&flags);
    return action;
}

int dv_cmd_triage(dv_invocation *inv)
{
    if (!inv->state || !inv->state[0]) {
        dv_msg("triage needs --state FILE: the case store the scans keep");
        return DV_EXIT_INPUT;
    }
    int want = inv->match ? 2 : 1;
    if (inv->n_args != want) {
        if (inv->match)
            dv_msg("triage --match takes two ids, ENTITY_ID then LIST_ID; %d given", inv->n_args);
        else
            dv_msg("triage takes one ALERT_ID at a time; %d given", inv->n_args);
        return DV_EXIT_INPUT;
    }
    int action = read_decision(inv);
    if (action < 0) return DV_EXIT_INPUT;
    dv_error err = {0, ""};
    const char *names[2] = {inv->match ? "ENTITY_ID" : "ALERT_ID", "LIST_ID"};
    for (int i = 0; i < want; i++)
        if (dv_triage_check_text(names[i], inv->args[i], DV_MAX_ID, &err)) goto fail;
    if (!inv->reason) {
        dv_msg("triage needs --reason TEXT: why, for the record");
        return DV_EXIT_INPUT;
    }
    if (!inv->by) {
        dv_msg("triage needs --by NAME: who decides, for the record");
        return DV_EXIT_INPUT;
    }
    if (dv_triage_check_text("--reason", inv->reason, DV_MAX_REASON, &err) ||
        dv_triage_check_text("--by", inv->by, DV_MAX_NAME, &err))
        goto fail;
    if (inv->until) {
        if (action != DV_ACT_DISMISS) {
            dv_msg("--until goes with --dismiss only (the date a dismissal ends)");
            return DV_EXIT_INPUT;
        }
        char today[11];
        dv_store_today(today);
        if (dv_triage_check_until(inv->until, today, &err)) goto fail;
    }

    dv_store *s = dv_store_open(inv->state, false, &err);
    if (!s) goto fail;
    dv_triage_result res;
    int rc;
    if (inv->match) {
        dv_match_decision m = {.entity_id = inv->args[0], .list_id = inv->args[1],
                               .verdict = dv_actions[action].name, .reason = inv->reason,
                               .by = inv->by};
        rc = dv_triage_match(s, &m, &res, &err);
        if (!rc && !inv->quiet)
            dv_say(stdout, "%s %s: recorded as %s by %s%s (audit entry %lld)", m.entity_id,
                   m.list_id, action == DV_ACT_NOT_A_MATCH ? "not a match" : "a confirmed match",
                   m.by, res.replaced ? ", replacing the earlier decision" : "", res.audit_seq);
    } else {
        dv_decision d = {.alert_id = inv->args[0], .action = dv_actions[action].name,
                         .reason = inv->reason, .by = inv->by, .until = inv->until};
        rc = dv_triage_alert(s, &d, &res, &err);
        if (!rc && !inv->quiet) {
            const char *status = dv_actions[action].status;
            if (!status)
                dv_say(stdout, "%s: note by %s recorded; the case stays %s (decision %lld, audit "
                       "entry %lld)",
                       d.alert_id, d.by, res.old_status, res.decision_id, res.audit_seq);
            else
                dv_say(stdout, "%s: %s by %s%s%s, was %s (decision %lld, audit entry %lld)",
                       d.alert_id, status, d.by, d.until ? " until " : "", d.until ? d.until : "",
                       res.old_status, res.decision_id, res.audit_seq);
        }
    }
    dv_store_close(s);
    if (!rc) return DV_EXIT_OK;
fail:
    dv_msg("%s", err.msg);
    return err.code ? err.code : DV_EXIT_INTERNAL;
}
