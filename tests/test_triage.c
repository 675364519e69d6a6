/*
 * test_triage.c: the analysts' decisions (triage.c) and the audit log's
 * reading side (audit.c): what a --reason, --by and --until may be, the
 * canonical details the chain holds, the JSON reader of details, and on a
 * real store that a decision is one transaction: a refused one leaves
 * nothing behind, an accepted one leaves a row, a status and an entry
 * that agree (dv_audit_check_rows).
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "divert/audit.h"
#include "divert/triage.h"
#include "support.h"

static void text_must_be_printable_utf8_and_short(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    assert_int_equal(dv_triage_check_text("--reason", "Certificate on file, ünïcode \"ok\"", 100, &err), 0);
    const char *bad[] = {"", "   ", "two\nlines", "tab\there", "del\x7f", "c1 \xc2\x85 next line",
                         "bad \xff byte", "cut \xc3", "overlong \xc0\xaf"};
    const char *why[] = {"is empty", "is empty", "control character", "control character",
                         "control character", "control character", "not valid UTF-8",
                         "not valid UTF-8", "not valid UTF-8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = (dv_error){0, ""};
        assert_int_equal(dv_triage_check_text("--reason", bad[i], 100, &err), DV_EXIT_INPUT);
        if (!strstr(err.msg, why[i])) fail_msg("\"%s\": %s", bad[i], err.msg);
        assert_non_null(strstr(err.msg, "--reason"));
    }
    char long_text[DV_MAX_REASON + 2];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = 0;
    assert_int_equal(dv_triage_check_text("--reason", long_text, DV_MAX_REASON, &err), DV_EXIT_INPUT);
    assert_non_null(strstr(err.msg, "4001 bytes"));
    long_text[DV_MAX_REASON] = 0;
    assert_int_equal(dv_triage_check_text("--reason", long_text, DV_MAX_REASON, &err), 0);
}

static void until_is_a_real_date_after_today(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    assert_int_equal(dv_triage_check_until("2026-05-04", "2026-05-03", &err), 0);
    const char *bad[] = {"2026-05-03", "2026-05-02", "2026-02-30", "2026-5-4", "tomorrow", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = (dv_error){0, ""};
        assert_int_equal(dv_triage_check_until(bad[i], "2026-05-03", &err), DV_EXIT_INPUT);
        assert_non_null(strstr(err.msg, "--until"));
    }
}

static void details_are_canonical_json(void **state)
{
    (void)state;
    dv_decision d = {.decision_id = 7, .alert_id = "6319ebd0a8556240", .action = "dismiss",
                     .reason = "a \"quoted\" \\ reason", .by = "alice", .until = "2026-06-30"};
    char *s = dv_decision_detail(&d);
    assert_string_equal(s, "{\"decision_id\":7,\"alert_id\":\"6319ebd0a8556240\",\"action\":"
                           "\"dismiss\",\"reason\":\"a \\\"quoted\\\" \\\\ reason\",\"by\":"
                           "\"alice\",\"until\":\"2026-06-30\"}");
    free(s);
    d.until = NULL;
    s = dv_decision_detail(&d);
    assert_non_null(strstr(s, "\"until\":null}"));
    free(s);
    dv_match_decision m = {.entity_id = "E1", .list_id = "L1", .verdict = "not_a_match",
                           .reason = "r", .by = "b", .entity_fp = "f1", .entry_fp = "f2"};
    s = dv_match_detail(&m);
    assert_string_equal(s, "{\"entity_id\":\"E1\",\"list_id\":\"L1\",\"verdict\":\"not_a_match\","
                           "\"reason\":\"r\",\"by\":\"b\",\"entity_fp\":\"f1\",\"entry_fp\":\"f2\"}");
    free(s);
}

static void json_reader_finds_top_level_members_only(void **state)
{
    (void)state;
    const char *v;
    size_t n;
    const char *doc = " {\"a\": {\"run_id\": 9}, \"run_id\" : 12 , \"s\":\"x\\\"y\", \"l\":[1,-2.5e3,true,null]} ";
    assert_true(dv_json_object_member(doc, "run_id", &v, &n));
    assert_int_equal(n, 2);
    assert_memory_equal(v, "12", 2);
    assert_true(dv_json_object_member(doc, "s", &v, &n));
    assert_int_equal(n, 6);
    assert_false(dv_json_object_member(doc, "missing", &v, &n));
    assert_true(dv_json_object_member(doc, NULL, NULL, NULL));
    const char *bad[] = {"", "[]", "{", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":01}", "{\"a\":\"\n\"}",
                         "{\"a\":\"\xff\"}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{a:1}", "\"s\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (dv_json_object_member(bad[i], NULL, NULL, NULL)) fail_msg("accepted \"%s\"", bad[i]);
    /* nesting is bounded, not a stack overflow */
    char deep[4096];
    memset(deep, '[', sizeof deep - 1);
    memcpy(deep, "{\"a\":", 5);
    deep[sizeof deep - 1] = 0;
    assert_false(dv_json_object_member(deep, NULL, NULL, NULL));
}

static void action_table_hangs_together(void **state)
{
    (void)state;
    for (int i = 0; i < DV_ACT_COUNT; i++) {
        assert_int_equal(dv_action_find(dv_actions[i].name), i);
        assert_true(!strncmp(dv_actions[i].flag, "--", 2));
        if (dv_actions[i].on_match) assert_null(dv_actions[i].status);
    }
    assert_int_equal(dv_action_find("scan"), -1);
    assert_int_equal(dv_action_find(NULL), -1);
}

/* ---- on a store ---- */

static dv_store *new_store(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    dv_error err = {0, ""};
    dv_store *s = dv_store_open(path, true, &err);
    if (!s) fail_msg("%s", err.msg);
    assert_int_equal(dv_store_exec(s,
                                   "INSERT INTO alerts VALUES('A1', '3A981', 'E1', 'E3', 'E1>E2>E3', 1, 1,"
                                   " 't', 't', 1, 'open', NULL, NULL, 50, 'medium', 'R', 'd', 'S1', '');"
                                   "INSERT INTO entity_matches VALUES('E2', 'L9', 'watchlist.csv', 0.9,"
                                   " 'Name', 'NAME', 'efp', 'lfp');",
                                   &err),
                     0);
    return s;
}

static long long count(dv_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(dv_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void assert_intact(dv_store *s)
{
    dv_audit_check chk;
    dv_error err = {0, ""};
    assert_int_equal(dv_audit_verify(s, &chk, &err), 0);
    if (chk.bad_seq) fail_msg("entry %lld: %s", chk.bad_seq, chk.why);
    assert_int_equal(dv_audit_check_rows(s, &chk, &err), 0);
    if (chk.bad_seq || chk.row[0]) fail_msg("entry %lld / %s: %s", chk.bad_seq, chk.row, chk.why);
}

static void a_refused_decision_leaves_nothing(void **state)
{
    (void)state;
    char path[] = "/tmp/divert-test-triage-XXXXXX";
    dv_store *s = new_store(path);
    dv_error err = {0, ""};
    dv_triage_result res;
    dv_decision d = {.alert_id = "NOPE", .action = "dismiss", .reason = "r", .by = "b"};
    assert_int_equal(dv_triage_alert(s, &d, &res, &err), DV_EXIT_INPUT);
    assert_non_null(strstr(err.msg, "NOPE: no alert of that id in the case store"));
    d = (dv_decision){.alert_id = "A1", .action = "reopen", .reason = "r", .by = "b"};
    assert_int_equal(dv_triage_alert(s, &d, &res, &err), DV_EXIT_INPUT);
    assert_non_null(strstr(err.msg, "nothing to reopen"));
    dv_match_decision m = {.entity_id = "E2", .list_id = "L8", .verdict = "not_a_match",
                           .reason = "r", .by = "b"};
    assert_int_equal(dv_triage_match(s, &m, &res, &err), DV_EXIT_INPUT);
    assert_int_equal(count(s, "SELECT count(*) FROM decisions"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM match_decisions"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM alerts WHERE status = 'open'"), 1);
    dv_store_close(s);
    unlink(path);
}

static void decisions_agree_with_their_entries(void **state)
{
    (void)state;
    char path[] = "/tmp/divert-test-triage-XXXXXX";
    dv_store *s = new_store(path);
    dv_error err = {0, ""};
    dv_triage_result res;
    dv_decision d = {.alert_id = "A1", .action = "dismiss", .reason = "fine", .by = "alice",
                     .until = "2099-01-01"};
    assert_int_equal(dv_triage_alert(s, &d, &res, &err), 0);
    assert_int_equal(res.decision_id, 1);
    assert_int_equal(res.audit_seq, 1);
    assert_string_equal(res.old_status, "open");
    assert_int_equal(count(s, "SELECT count(*) FROM alerts WHERE status = 'dismissed' AND"
                              " reason = 'fine' AND until = '2099-01-01'"),
                     1);
    /* escalating drops the dismissal's end; reopening says who and why */
    d = (dv_decision){.alert_id = "A1", .action = "escalate", .reason = "x", .by = "bob",
                      .until = "2099-01-01"};
    assert_int_equal(dv_triage_alert(s, &d, &res, &err), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM alerts WHERE status = 'escalated' AND until IS NULL"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM decisions WHERE decision_id = 2 AND until IS NULL"), 1);
    d = (dv_decision){.alert_id = "A1", .action = "reopen", .reason = "new papers", .by = "carol"};
    assert_int_equal(dv_triage_alert(s, &d, &res, &err), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM alerts WHERE status = 'reopened' AND"
                              " reason = 'reopened by carol: new papers'"),
                     1);
    d = (dv_decision){.alert_id = "A1", .action = "note", .reason = "n", .by = "dave"};
    assert_int_equal(dv_triage_alert(s, &d, &res, &err), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM alerts WHERE status = 'reopened'"), 1);
    dv_match_decision m = {.entity_id = "E2", .list_id = "L9", .verdict = "confirmed",
                           .reason = "same", .by = "alice"};
    assert_int_equal(dv_triage_match(s, &m, &res, &err), 0);
    assert_false(res.replaced);
    m = (dv_match_decision){.entity_id = "E2", .list_id = "L9", .verdict = "not_a_match",
                            .reason = "namesake", .by = "bob"};
    assert_int_equal(dv_triage_match(s, &m, &res, &err), 0);
    assert_true(res.replaced);
    assert_int_equal(res.audit_seq, 6);
    assert_int_equal(count(s, "SELECT count(*) FROM match_decisions WHERE verdict = 'not_a_match'"
                              " AND entity_fp = 'efp' AND entry_fp = 'lfp' AND audit_seq = 6"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM decisions d JOIN audit a ON a.seq = d.audit_seq"
                              " AND a.time = d.time AND a.action = d.action"),
                     4);
    assert_intact(s);
    /* a row changed behind divert's back is named */
    assert_int_equal(dv_store_exec(s, "UPDATE decisions SET by = 'mallory' WHERE decision_id = 3", &err), 0);
    dv_audit_check chk;
    assert_int_equal(dv_audit_verify(s, &chk, &err), 0);
    assert_int_equal(chk.bad_seq, 0);
    assert_int_equal(dv_audit_check_rows(s, &chk, &err), 0);
    assert_int_equal(chk.bad_seq, 3);
    assert_non_null(strstr(chk.why, "decisions row 3 does not agree: its author (by) differs"));
    dv_store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_must_be_printable_utf8_and_short),
        cmocka_unit_test(until_is_a_real_date_after_today),
        cmocka_unit_test(details_are_canonical_json),
        cmocka_unit_test(json_reader_finds_top_level_members_only),
        cmocka_unit_test(action_table_hangs_together),
        cmocka_unit_test(a_refused_decision_leaves_nothing),
        cmocka_unit_test(decisions_agree_with_their_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
