/*
 * test_cli.c: the command and option tables (cli.c), and the command
 * line as dv_cli_main reads it: exit codes of usage errors, help, and the
 * nearest name offered for a mistyped one. Messages and help texts are
 * held exactly by the command-line cases in tests/data/cli.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "divert/cli.h"
#include "divert/msgs.h"
#include "support.h"

static void tables_hang_together(void **state)
{
    (void)state;
    dv_error err = {0, ""};
    if (dv_cli_check_tables(&err)) fail_msg("%s", err.msg);
}

/* Run divert with argv (NULL-terminated), stderr into a file; returns the
 * exit code and what was said on stderr (heap). */
static int run(char **said, const char *arg, ...)
{
    char *argv[16] = {"divert"};
    int argc = 1;
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a && argc < 15; a = va_arg(ap, const char *)) argv[argc++] = (char *)a;
    va_end(ap);
    char path[] = "/tmp/divert-test-cli-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    fflush(stdout);
    int saved_err = dup(STDERR_FILENO), saved_out = dup(STDOUT_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(fd, STDERR_FILENO);
    dup2(devnull, STDOUT_FILENO); /* help texts: their exact words are in tests/data/cli */
    int rc = dv_cli_main(argc, argv);
    fflush(stderr);
    fflush(stdout);
    dup2(saved_err, STDERR_FILENO);
    dup2(saved_out, STDOUT_FILENO);
    close(saved_err);
    close(saved_out);
    close(devnull);
    FILE *f = fdopen(fd, "r");
    rewind(f);
    dv_buf b = {0};
    char chunk[512];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) dv_buf_add(&b, chunk, n);
    dv_buf_add(&b, "", 0);
    fclose(f);
    unlink(path);
    *said = b.data;
    return rc;
}

static void help_and_version_exit_zero(void **state)
{
    (void)state;
    char *said;
    assert_int_equal(run(&said, "--help", NULL), DV_EXIT_OK);
    free(said);
    assert_int_equal(run(&said, "--version", NULL), DV_EXIT_OK);
    free(said);
    static const char *const commands[] = {"scan", "validate", "screen"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        assert_int_equal(run(&said, "help", commands[i], NULL), DV_EXIT_OK);
        assert_string_equal(said, "");
        free(said);
        assert_int_equal(run(&said, commands[i], "--help", NULL), DV_EXIT_OK);
        free(said);
    }
}

/* Every option of scan, with a letter dropped or two swapped, is named
 * back in the message. */
static void a_mistyped_option_is_named(void **state)
{
    (void)state;
    static const char *const opts[] = {"--window", "--max-hops", "--weak-threshold", "--threads",
                                       "--max-memory", "--fail-on", "--strict", "--config",
                                       "--quiet"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        char typo[64], want[96];
        size_t len = strlen(opts[i]);
        /* drop the fourth letter */
        memcpy(typo, opts[i], 3);
        memcpy(typo + 3, opts[i] + 4, len - 3);
        snprintf(want, sizeof want, "did you mean %s?", opts[i]);
        char *said;
        assert_int_equal(run(&said, "scan", "somewhere", typo, "1", NULL), DV_EXIT_INPUT);
        if (!strstr(said, want)) fail_msg("%s: %s", typo, said);
        free(said);
    }
}

static void a_mistyped_command_is_named(void **state)
{
    (void)state;
    char *said;
    assert_int_equal(run(&said, "valdiate", "x", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: no command \"valdiate\"; did you mean validate?\n");
    free(said);
    assert_int_equal(run(&said, "sreen", "x", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: no command \"sreen\"; did you mean screen?\n");
    free(said);
    assert_int_equal(run(&said, "frobnicate", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: no command \"frobnicate\"; try divert --help\n");
    free(said);
}

static void help_names_only_commands_after_help(void **state)
{
    (void)state;
    char *said;
    /* "help" is a command of its own, not one to ask help about */
    assert_int_equal(run(&said, "help", "hepl", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: no command \"hepl\"; the commands are scan, validate, screen, "
                              "explain, paths, neighborhood, export, triage, cases, case, audit, "
                              "stats, shard and merge\n");
    free(said);
    assert_int_equal(run(&said, "hepl", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: no command \"hepl\"; did you mean help?\n");
    free(said);
}

/* A help entry whose name is as long as the indent keeps a space before
 * its text; a long text folds under the indent. */
static void help_entries_keep_a_space_and_fold_under_the_indent(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    dv_print_hanging(f, "  --a-rather-long-option N", 12, "what it does", 79);
    dv_print_hanging(f, "  scan", 12, "word word word word word word word word word", 30);
    rewind(f);
    char text[512];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_string_equal(text, "  --a-rather-long-option N what it does\n"
                              "  scan      word word word\n"
                              "            word word word\n"
                              "            word word word\n");
}

static void usage_errors_exit_two(void **state)
{
    (void)state;
    char *said;
    assert_int_equal(run(&said, NULL), DV_EXIT_INPUT);             /* no command */
    free(said);
    assert_int_equal(run(&said, "scan", NULL), DV_EXIT_INPUT);     /* no dataset */
    assert_string_equal(said, "divert: scan needs a DATASET directory; try divert help scan\n");
    free(said);
    assert_int_equal(run(&said, "scan", "a", "b", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: one dataset at a time: \"a\" and \"b\"\n");
    free(said);
    assert_int_equal(run(&said, "scan", "a", "--window", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: --window needs a value (DAYS)\n");
    free(said);
    assert_int_equal(run(&said, "scan", "a", "--strict=yes", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: --strict takes no value\n");
    free(said);
    /* an option of another command */
    assert_int_equal(run(&said, "validate", "a", "--threshold", "0.9", NULL), DV_EXIT_INPUT);
    assert_string_equal(said, "divert: validate: unknown option --threshold; try divert help validate\n");
    free(said);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_hang_together),
        cmocka_unit_test(help_and_version_exit_zero),
        cmocka_unit_test(a_mistyped_option_is_named),
        cmocka_unit_test(a_mistyped_command_is_named),
        cmocka_unit_test(help_names_only_commands_after_help),
        cmocka_unit_test(help_entries_keep_a_space_and_fold_under_the_indent),
        cmocka_unit_test(usage_errors_exit_two),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
