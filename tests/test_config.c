/*
 * test_config.c: defaults (SPEC 2, 3, 6), setting each kind of key,
 * rule weights, config files, and the messages of bad settings.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/config.h"
#include "divert/rules.h"
#include "support.h"

#define assert_double_eq(a, b)                                                        \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(a_ == b_)) fail_msg("%s is %.17g, expected %.17g", #a, a_, b_);         \
    } while (0)

static void defaults_equal_spec(void **state)
{
    (void)state;
    dv_config cfg;
    memset(&cfg, 0x5A, sizeof cfg);
    dv_config_defaults(&cfg);
    assert_int_equal(cfg.window_days, 120);
    assert_int_equal(cfg.max_hops, 6);
    assert_int_equal(cfg.max_examples, 20);
    assert_double_eq(cfg.weak_threshold, 0.5);
    assert_double_eq(cfg.w_rule_of_law, 0.35);
    assert_double_eq(cfg.w_data_protection, 0.15);
    assert_double_eq(cfg.w_civil_liberties, 0.20);
    assert_double_eq(cfg.w_regimes, 0.30);
    for (int i = 0; i < DV_RULE_COUNT; i++) assert_double_eq(cfg.rule_weight[i], dv_rules[i].weight);
    assert_int_equal(cfg.rapid_days, 14);
    assert_int_equal(cfg.new_entity_days, 365);
    assert_double_eq(cfg.pass_through_ratio, 0.8);
    assert_double_eq(cfg.unit_value_factor, 3);
    assert_int_equal(cfg.split_min_shipments, 3);
    assert_int_equal(cfg.split_days, 14);
    assert_int_equal(cfg.max_field_bytes, 1u << 20);
    assert_int_equal(cfg.max_fields, 1000);
    assert_true(cfg.csv_formula_guard);
    assert_true(cfg.fail_on < 0);
    assert_false(cfg.strict);
    /* SPEC 1 and 4: the security and humanitarian sectors, hr_threshold */
    assert_double_eq(cfg.hr_threshold, 0.4);
    unsigned security = 0, humanitarian = 0;
    static const char *const sec[] = {"border", "police", "security", "intelligence", "military"};
    static const char *const hum[] = {"health", "humanitarian", "research", "education"};
    for (size_t i = 0; i < 5; i++) security |= DV_SECTOR_BIT(dv_sector_find(sec[i], strlen(sec[i])));
    for (size_t i = 0; i < 4; i++)
        humanitarian |= DV_SECTOR_BIT(dv_sector_find(hum[i], strlen(hum[i])));
    assert_int_equal(cfg.security_sectors, security);
    assert_int_equal(cfg.humanitarian_sectors, humanitarian);
}

static void defaults_pass_the_consistency_check(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_error err = {0, ""};
    assert_int_equal(dv_config_check(&cfg, &err), 0);
}

static void set_ok(dv_config *cfg, const char *key, const char *value)
{
    dv_error err = {0, ""};
    int rc = dv_config_set(cfg, key, value, "test.conf:1", &err);
    if (rc) fail_msg("%s = %s: status %d (%s)", key, value, rc, err.msg);
}

static void sets_every_key_of_every_kind(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    /* int */
    set_ok(&cfg, "window_days", "90");
    set_ok(&cfg, "max_hops", "4");
    set_ok(&cfg, "max_examples", "0");
    set_ok(&cfg, "rapid_days", "7");
    set_ok(&cfg, "new_entity_days", "180");
    set_ok(&cfg, "split_min_shipments", "5");
    set_ok(&cfg, "split_days", "30");
    /* double */
    set_ok(&cfg, "weak_threshold", "0.45");
    set_ok(&cfg, "weight_rule_of_law", "0.4");
    set_ok(&cfg, "weight_data_protection", "0.1");
    set_ok(&cfg, "weight_civil_liberties", "0.25");
    set_ok(&cfg, "weight_regimes", "0.25");
    set_ok(&cfg, "pass_through_ratio", "0.9");
    set_ok(&cfg, "unit_value_factor", "2.5");
    set_ok(&cfg, "fail_on", "80");
    /* size */
    set_ok(&cfg, "max_field_bytes", "4096");
    set_ok(&cfg, "max_fields", "5000");
    /* bool */
    set_ok(&cfg, "csv_formula_guard", "false");

    assert_int_equal(cfg.window_days, 90);
    assert_int_equal(cfg.max_hops, 4);
    assert_int_equal(cfg.max_examples, 0);
    assert_int_equal(cfg.rapid_days, 7);
    assert_int_equal(cfg.new_entity_days, 180);
    assert_int_equal(cfg.split_min_shipments, 5);
    assert_int_equal(cfg.split_days, 30);
    assert_double_eq(cfg.weak_threshold, 0.45);
    assert_double_eq(cfg.w_rule_of_law, 0.4);
    assert_double_eq(cfg.w_data_protection, 0.1);
    assert_double_eq(cfg.w_civil_liberties, 0.25);
    assert_double_eq(cfg.w_regimes, 0.25);
    assert_double_eq(cfg.pass_through_ratio, 0.9);
    assert_double_eq(cfg.unit_value_factor, 2.5);
    assert_double_eq(cfg.fail_on, 80);
    assert_int_equal(cfg.max_field_bytes, 4096);
    assert_int_equal(cfg.max_fields, 5000);
    assert_false(cfg.csv_formula_guard);
}

static void reads_every_spelling_of_a_boolean(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool value;
    } cases[] = {{"1", true},  {"true", true},   {"yes", true}, {"on", true},
                 {"0", false}, {"false", false}, {"no", false}, {"off", false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dv_config cfg;
        dv_config_defaults(&cfg);
        cfg.csv_formula_guard = !cases[i].value;
        set_ok(&cfg, "csv_formula_guard", cases[i].text);
        if (cfg.csv_formula_guard != cases[i].value) fail_msg("\"%s\" misread", cases[i].text);
    }
}

static void fail_on_minus_one_switches_it_off(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    set_ok(&cfg, "fail_on", "60");
    assert_double_eq(cfg.fail_on, 60);
    set_ok(&cfg, "fail_on", "-1");
    assert_true(cfg.fail_on < 0);
    /* as help and summary.json say it */
    set_ok(&cfg, "fail_on", "60");
    set_ok(&cfg, "fail_on", "off");
    assert_true(cfg.fail_on < 0);
}

static void sets_rule_weights_by_rule_id(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    set_ok(&cfg, "weight.NAMED_HUB", "15");
    set_ok(&cfg, "weight.ITEM_SENSITIVITY", "0");
    set_ok(&cfg, "weight.watchlist", "55.5"); /* rule ids in any case */
    assert_double_eq(cfg.rule_weight[DV_RULE_NAMED_HUB], 15);
    assert_double_eq(cfg.rule_weight[DV_RULE_ITEM_SENSITIVITY], 0);
    assert_double_eq(cfg.rule_weight[DV_RULE_WATCHLIST], 55.5);
    /* the others keep their defaults */
    assert_double_eq(cfg.rule_weight[DV_RULE_WEAK_TRANSIT], dv_rules[DV_RULE_WEAK_TRANSIT].weight);
    /* every rule of the catalogue has a key */
    for (int i = 0; i < DV_RULE_COUNT; i++) {
        char key[64];
        snprintf(key, sizeof key, "weight.%s", dv_rules[i].id);
        set_ok(&cfg, key, "12");
        assert_double_eq(cfg.rule_weight[i], 12);
    }
}

static void expect_set_error(const char *key, const char *value, const char *where,
                             const char *msg)
{
    dv_config cfg, before;
    dv_config_defaults(&cfg);
    memcpy(&before, &cfg, sizeof cfg);
    dv_error err = {0, ""};
    int rc = dv_config_set(&cfg, key, value, where, &err);
    if (rc != DV_EXIT_INPUT) fail_msg("%s = %s: status %d, expected %d", key, value, rc,
                                      DV_EXIT_INPUT);
    assert_int_equal(err.code, DV_EXIT_INPUT);
    if (strcmp(err.msg, msg) != 0) fail_msg("%s = %s: \"%s\", expected \"%s\"", key, value,
                                            err.msg, msg);
    /* a refused setting changes nothing */
    assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void sector_lists_are_settings(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    set_ok(&cfg, "security_sectors", "Police; military");
    assert_int_equal(cfg.security_sectors,
                     DV_SECTOR_BIT(DV_SECTOR_POLICE) | DV_SECTOR_BIT(DV_SECTOR_MILITARY));
    set_ok(&cfg, "humanitarian_sectors", "");
    assert_int_equal(cfg.humanitarian_sectors, 0);
    char buf[48];
    assert_string_equal(dv_config_default_text("security_sectors", buf),
                        "border;police;security;intelligence;military");
    expect_set_error("security_sectors", "police;polise", "divert.conf:2",
                     "divert.conf:2: security_sectors: \"polise\" is not a sector; did you mean "
                     "police? (sectors are listed in docs/data-format.md)");
    expect_set_error("hr_threshold", "1.5", "divert.conf:4",
                     "divert.conf:4: hr_threshold: 1.5 is outside 0 to 1");
}

static void unknown_key_is_named_in_the_message(void **state)
{
    (void)state;
    expect_set_error("windows", "90", "divert.conf:3",
                     "divert.conf:3: unknown setting \"windows\" (see docs/configuration.md)");
    expect_set_error("weight.NO_SUCH_RULE", "5", "divert.conf:7",
                     "divert.conf:7: unknown rule \"NO_SUCH_RULE\" (see docs/detection.md)");
}

static void unknown_key_near_a_known_one_is_suggested(void **state)
{
    (void)state;
    expect_set_error("Window_Days", "90", "divert.conf:4",
                     "divert.conf:4: unknown setting \"Window_Days\"; did you mean window_days? "
                     "(see docs/configuration.md)");
    expect_set_error("rapid_day", "7", "c:1",
                     "c:1: unknown setting \"rapid_day\"; did you mean rapid_days? "
                     "(see docs/configuration.md)");
    expect_set_error("weight.NAMED_HUBS", "5", "c:2",
                     "c:2: unknown rule \"NAMED_HUBS\"; did you mean weight.NAMED_HUB? "
                     "(see docs/detection.md)");
    /* the one key an option-like word begins */
    expect_set_error("window", "90", "c:3",
                     "c:3: unknown setting \"window\"; did you mean window_days? "
                     "(see docs/configuration.md)");
    /* too far from every key to guess */
    expect_set_error("colour", "5", "c:3",
                     "c:3: unknown setting \"colour\" (see docs/configuration.md)");
}

static void bad_values_are_refused_with_the_reason(void **state)
{
    (void)state;
    static const struct {
        const char *key, *value, *where, *msg;
    } cases[] = {
        {"max_hops", "13", "divert.conf:3", "divert.conf:3: max_hops: 13 is outside 2 to 12"},
        {"max_hops", "1", "divert.conf:3", "divert.conf:3: max_hops: 1 is outside 2 to 12"},
        {"max_hops", "13", "--max-hops", "--max-hops: 13 is outside 2 to 12"},
        {"weak_threshold", "1.5", "c:1", "c:1: weak_threshold: 1.5 is outside 0 to 1"},
        {"window_days", "36501", "c:1", "c:1: window_days: 36501 is outside 0 to 36500"},
        {"window_days", "-5", "c:2", "c:2: window_days: \"-5\" is negative"},
        {"window_days", "abc", "c:2", "c:2: window_days: \"abc\" is not a number"},
        {"window_days", "90 days", "--window", "--window: \"90 days\" is not a number"},
        {"window_days", "", "c:2", "c:2: window_days: \"\" is empty"},
        {"window_days", "1.5", "c:2", "c:2: window_days: \"1.5\" is not a whole number"},
        {"window_days", "1e309", "c:2", "c:2: window_days: \"1e309\" is out of range"},
        {"weak_threshold", "0,4", "c:5",
         "c:5: weak_threshold: \"0,4\" is not a number (use '.' for decimals and no thousands "
         "separators)"},
        {"fail_on", "101", "--fail-on", "--fail-on: 101 is outside -1 to 100"},
        {"max_fields", "10", "c:9", "c:9: max_fields: 10 is outside 16 to 1000000"},
        {"max_fields", "2000000", "c:9", "c:9: max_fields: 2000000 is outside 16 to 1000000"},
        {"fail_on", "-2", "--fail-on", "--fail-on: \"-2\" is negative"},
        {"csv_formula_guard", "maybe", "c:6", "c:6: csv_formula_guard: \"maybe\" is not true or false"},
        {"weight.NAMED_HUB", "101", "c:8",
         "c:8: weight.NAMED_HUB: \"101\" is outside the allowed range (0 to 100)"},
        {"weight.NAMED_HUB", "-1", "c:8", "c:8: weight.NAMED_HUB: \"-1\" is negative (0 to 100)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_set_error(cases[i].key, cases[i].value, cases[i].where, cases[i].msg);
}

static void out_of_range_message_prints_bounds_in_full(void **state)
{
    (void)state;
    /* a user who reads "1.07374e+09" cannot tell the real limit */
    expect_set_error("max_field_bytes", "100", "c:1",
                     "c:1: max_field_bytes: 100 is outside 1024 to 1073741824");
    expect_set_error("unit_value_factor", "2000000", "c:1",
                     "c:1: unit_value_factor: 2000000 is outside 1 to 1000000");
}

static void check_refuses_all_zero_safeguard_weights(void **state)
{
    (void)state;
    dv_config cfg;
    dv_config_defaults(&cfg);
    set_ok(&cfg, "weight_rule_of_law", "0");
    set_ok(&cfg, "weight_data_protection", "0");
    set_ok(&cfg, "weight_civil_liberties", "0");
    dv_error err = {0, ""};
    assert_int_equal(dv_config_check(&cfg, &err), 0); /* regimes alone is fine */
    set_ok(&cfg, "weight_regimes", "0");
    assert_int_equal(dv_config_check(&cfg, &err), DV_EXIT_INPUT);
    assert_string_equal(err.msg, "the safeguard weights add up to 0");
}

/* ---- files ---- */

static char *conf_file(char **dir, const char *text)
{
    *dir = dvt_dataset("divert.conf", text, NULL);
    return dv_xasprintf("%s/divert.conf", *dir);
}

/* A config file of this text fails to load (exit 2) with the message
 * PATH + msg_after_path. */
static void expect_load_error(size_t i, const char *text, const char *msg_after_path)
{
    char *dir;
    char *path = conf_file(&dir, text);
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_error err = {0, ""};
    int rc = dv_config_load(&cfg, path, &err);
    char *want = dv_xasprintf("%s%s", path, msg_after_path);
    if (rc != DV_EXIT_INPUT || strcmp(err.msg, want) != 0)
        fail_msg("case %zu: status %d \"%s\", expected \"%s\"", i, rc, err.msg, want);
    free(want);
    free(path);
    dvt_remove(dir);
}

static void loads_file_with_comments_and_blank_lines(void **state)
{
    (void)state;
    char *dir;
    char *path = conf_file(&dir, "# divert.conf\n"
                                 "\n"
                                 "window_days = 90\n"
                                 "   \t\n"
                                 "weak_threshold=0.45   # trailing comment\n"
                                 "  weight.NAMED_HUB  =  15  \n"
                                 "weight.ITEM_SENSITIVITY = 0    # switch a rule off\n"
                                 "csv_formula_guard = off\r\n"
                                 "# max_hops = 3\n"
                                 "max_hops = 5");
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_error err = {0, ""};
    int rc = dv_config_load(&cfg, path, &err);
    if (rc) fail_msg("status %d (%s)", rc, err.msg);
    assert_int_equal(cfg.window_days, 90);
    assert_double_eq(cfg.weak_threshold, 0.45);
    assert_double_eq(cfg.rule_weight[DV_RULE_NAMED_HUB], 15);
    assert_double_eq(cfg.rule_weight[DV_RULE_ITEM_SENSITIVITY], 0);
    assert_false(cfg.csv_formula_guard);
    assert_int_equal(cfg.max_hops, 5);
    /* untouched keys keep their defaults */
    assert_int_equal(cfg.max_examples, 20);
    free(path);
    dvt_remove(dir);
}

/* Issue #11: a key given twice in one file silently took its last value;
 * which one the author meant is a guess, so it is an error naming both
 * lines. Rule weights are a key each; an option after the file is not a
 * repeat (the option wins, as later settings do). */
static void a_key_given_twice_in_a_file_is_an_error_naming_both_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *msg; /* after "PATH" */
    } cases[] = {
        {"window_days = 30\n# later\nwindow_days = 45\n",
         ":3: window_days is already set on line 1"},
        {"max_hops = 4\nweight.NAMED_HUB = 10\nweight.WEAK_TRANSIT = 5\n\nweight.NAMED_HUB = 12\n",
         ":5: weight.NAMED_HUB is already set on line 2"},
        /* the same value twice is still two settings of one key */
        {"csv_formula_guard = off\ncsv_formula_guard = off\n",
         ":2: csv_formula_guard is already set on line 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_load_error(i, cases[i].text, cases[i].msg);

    char *dir;
    char *path = conf_file(&dir, "window_days = 30\nweight.NAMED_HUB = 10\nweight.WEAK_TRANSIT = 5\n");
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_error err = {0, ""};
    assert_int_equal(dv_config_load(&cfg, path, &err), 0);
    assert_int_equal(dv_config_set(&cfg, "window_days", "45", "--window", &err), 0);
    assert_int_equal(cfg.window_days, 45);
    /* and a second file is read on its own */
    assert_int_equal(dv_config_load(&cfg, path, &err), 0);
    assert_int_equal(cfg.window_days, 30);
    free(path);
    dvt_remove(dir);
}

/* Issue #11: fgets stopped the line at a NUL byte, so the rest of the
 * line went unread (a value cut short, a second setting lost). A NUL in a
 * config file is an error naming its line, as in a table. */
static void nul_byte_in_a_config_file_is_an_error_naming_its_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;
        const char *msg; /* after "PATH" */
    } cases[] = {
        {"window_days = 30\nmax_hops = 4\0 window_days = 45\n", 48,
         ":2: NUL byte in the input (is the file UTF-16 or binary?)"},
        {"# a comment\0\nmax_hops = 4\n", 26,
         ":1: NUL byte in the input (is the file UTF-16 or binary?)"},
        /* UTF-16 */
        {"m\0a\0x\0_\0h\0o\0p\0s\0=\0\x34\0\n\0", 22,
         ":1: NUL byte in the input (is the file UTF-16 or binary?)"},
        {"max_hops = 4\n\0", 14, ":2: NUL byte in the input (is the file UTF-16 or binary?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = dvt_dataset(NULL);
        dvt_write(dir, "divert.conf", cases[i].text, cases[i].len);
        char *path = dv_xasprintf("%s/divert.conf", dir);
        dv_config cfg;
        dv_config_defaults(&cfg);
        dv_error err = {0, ""};
        int rc = dv_config_load(&cfg, path, &err);
        char *want = dv_xasprintf("%s%s", path, cases[i].msg);
        if (rc != DV_EXIT_INPUT || strcmp(err.msg, want) != 0)
            fail_msg("case %zu: status %d \"%s\", expected \"%s\"", i, rc, err.msg, want);
        free(want);
        free(path);
        dvt_remove(dir);
    }
}

static void file_errors_carry_file_and_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *msg; /* after "PATH" */
    } cases[] = {
        {"# c\n\nwindow_days = abc\n", ":3: window_days: \"abc\" is not a number"},
        {"window_days = 30\nmax_hops 4\n", ":2: expected key = value"},
        {"\n\n\n\nnot_a_key = 1\n", ":5: unknown setting \"not_a_key\" (see docs/configuration.md)"},
        {"# one\n# two\nmax_hops = 99\n", ":3: max_hops: 99 is outside 2 to 12"},
        {"weight.NOPE = 1\n", ":1: unknown rule \"NOPE\" (see docs/detection.md)"},
        {"max_hops = 4 # ok\n\r\nwindow_days = -1\n", ":3: window_days: \"-1\" is negative"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_load_error(i, cases[i].text, cases[i].msg);
}

static void overlong_line_is_an_error(void **state)
{
    (void)state;
    dv_buf text = {0};
    dv_buf_puts(&text, "window_days = 1\n# ");
    for (int i = 0; i < 5000; i++) dv_buf_puts(&text, "x");
    dv_buf_puts(&text, "\n");
    char *dir;
    char *path = conf_file(&dir, text.data);
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_error err = {0, ""};
    assert_int_equal(dv_config_load(&cfg, path, &err), DV_EXIT_INPUT);
    char *want = dv_xasprintf("%s:2: line too long", path);
    assert_string_equal(err.msg, want);
    free(want);
    free(path);
    dv_buf_free(&text);
    dvt_remove(dir);
}

static void missing_file_cannot_be_opened(void **state)
{
    (void)state;
    char *dir = dvt_dataset(NULL);
    char *path = dv_xasprintf("%s/none.conf", dir);
    dv_config cfg;
    dv_config_defaults(&cfg);
    dv_error err = {0, ""};
    assert_int_equal(dv_config_load(&cfg, path, &err), DV_EXIT_INPUT);
    char *want = dv_xasprintf("%s: cannot open: No such file or directory", path);
    assert_string_equal(err.msg, want);
    free(want);
    free(path);
    dvt_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_equal_spec),
        cmocka_unit_test(sector_lists_are_settings),
        cmocka_unit_test(defaults_pass_the_consistency_check),
        cmocka_unit_test(sets_every_key_of_every_kind),
        cmocka_unit_test(reads_every_spelling_of_a_boolean),
        cmocka_unit_test(fail_on_minus_one_switches_it_off),
        cmocka_unit_test(sets_rule_weights_by_rule_id),
        cmocka_unit_test(unknown_key_is_named_in_the_message),
        cmocka_unit_test(unknown_key_near_a_known_one_is_suggested),
        cmocka_unit_test(bad_values_are_refused_with_the_reason),
        cmocka_unit_test(out_of_range_message_prints_bounds_in_full),
        cmocka_unit_test(check_refuses_all_zero_safeguard_weights),
        cmocka_unit_test(loads_file_with_comments_and_blank_lines),
        cmocka_unit_test(a_key_given_twice_in_a_file_is_an_error_naming_both_lines),
        cmocka_unit_test(nul_byte_in_a_config_file_is_an_error_naming_its_line),
        cmocka_unit_test(file_errors_carry_file_and_line),
        cmocka_unit_test(overlong_line_is_an_error),
        cmocka_unit_test(missing_file_cannot_be_opened),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
