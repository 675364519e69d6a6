/*
 * test_outdir.c: the output directory (outdir.h): what divert creates
 * there and how, which directories it refuses, and the recovery of
 * killed runs. The commit's atomicity over whole scans is held by
 * test_report and the command-line checks (check-atomic, check-killed).
 */
#define _DEFAULT_SOURCE /* symlink, mkdtemp with -std=c11 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "divert/outdir.h"
#include "support.h"

/* ---- an output set of fixed texts, under the scan's file names ---- */

static const char *written = "new";   /* what the writers below write */

static int write_text(FILE *f, const dv_pipeline *p)
{
    (void)p;
    fprintf(f, "%s\n", written);
    return ferror(f) ? DV_EXIT_INTERNAL : 0;
}

/* The scan's file names (the recovery acts only on outputs' names), each
 * written with `written`. */
static const dv_output text_files[] = {
    {"alerts.csv", write_text, NULL, NULL},
    {"routes.csv", write_text, NULL, NULL},
    {"rejects.csv", write_text, NULL, NULL},
    {"summary.json", write_text, NULL, NULL},
};
static const dv_output_set text_set = {"a test", text_files, 4};

/* Entry names of a directory, sorted, joined by spaces (heap). */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return dv_xstrdup("(none)");
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = dv_xstrdup(e->d_name);
    closedir(d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    dv_buf b = {0};
    dv_buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        dv_buf_printf(&b, "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    return b.data;
}

/* The text of dir/name, or "(none)" (heap). */
static char *text_of(const char *dir, const char *name)
{
    char *path = dv_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f) return dv_xstrdup("(none)");
    dv_buf b = {0};
    dv_buf_puts(&b, "");
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) dv_buf_add(&b, buf, n);
    fclose(f);
    return b.data;
}

static void assert_text(const char *dir, const char *name, const char *want)
{
    char *got = text_of(dir, name);
    if (strcmp(got, want) != 0) fail_msg("%s/%s holds [%s], expected [%s]", dir, name, got, want);
    free(got);
}

static void assert_listing(const char *dir, const char *want)
{
    char *got = listing(dir);
    if (strcmp(got, want) != 0) fail_msg("%s holds [%s], expected [%s]", dir, got, want);
    free(got);
}

/* A link in dir, named NAME with the given pid, to target. */
static void plant_link(const char *target, const char *dir, const char *fmt, long pid)
{
    char *name = dv_xasprintf(fmt, pid);
    char *path = dv_xasprintf("%s/%s", dir, name);
    assert_int_equal(symlink(target, path), 0);
    free(path);
    free(name);
}

/* ---- what divert creates ---- */

/* Found by a red-team review: the temporaries and the marker were opened
 * with fopen(), so a link planted under their names (which carry the
 * process id, public in /proc) while the dataset loaded made divert
 * truncate and write the link's target, outside the directory. */
static void no_file_is_created_through_a_link_planted_after_the_open(void **state)
{
    (void)state;
    char *outside = dvt_dataset("precious.txt", "mine\n", NULL);
    char *target = dv_xasprintf("%s/precious.txt", outside);
    char *dir = dvt_dataset("alerts.csv", "old\n", NULL);
    long pid = (long)getpid();
    static const char *const planted[] = {".alerts.csv.tmp-%ld", ".routes.csv.tmp-%ld",
                                          ".summary.json.tmp-%ld", ".commit-%ld",
                                          ".alerts.csv.prev-%ld"};
    for (size_t k = 0; k < sizeof planted / sizeof planted[0]; k++) {
        dv_outdir od;
        dv_error err = {0, ""};
        assert_int_equal(dv_outdir_open(&od, dir, NULL, &err), 0);
        plant_link(target, dir, planted[k], pid); /* after the open, as during the load */
        dv_pipeline p = {0};
        int rc = dv_outdir_commit(&od, &text_set, &p, &err);
        dv_outdir_close(&od);
        assert_text(outside, "precious.txt", "mine\n");
        char *name = dv_xasprintf(planted[k], pid);
        char *want = dv_xasprintf("%s/%s: is already there, though divert did not make it", dir,
                                  name);
        if (rc != DV_EXIT_INPUT || strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("link %s: status %d, message [%s]", name, rc, err.msg);
        /* nothing replaced, nothing left but the planted link */
        assert_text(dir, "alerts.csv", "old\n");
        char *left = dv_xasprintf("%s alerts.csv", name);
        assert_listing(dir, left);
        char *path = dv_xasprintf("%s/%s", dir, name);
        unlink(path);
        free(path);
        free(left);
        free(want);
        free(name);
    }
    dvt_remove(dir);
    free(target);
    dvt_remove(outside);
}

/* A marker is read only if it is a regular file: a link planted as
 * .commit-PID to a file of the attacker's (here flags saying that every
 * output is new, which would remove them all) is removed unread. */
static void a_link_planted_as_a_marker_is_removed_unread(void **state)
{
    (void)state;
    static const char *const all_new = "0000\nalerts.csv\nroutes.csv\nrejects.csv\nsummary.json\n";
    char *outside = dvt_dataset("marker", all_new, NULL);
    char *target = dv_xasprintf("%s/marker", outside);
    char *dir = dvt_dataset("alerts.csv", "old\n", "routes.csv", "old\n", NULL);
    plant_link(target, dir, ".commit-%ld", 999999999L);
    dv_outdir od;
    dv_error err = {0, ""};
    assert_int_equal(dv_outdir_open(&od, dir, NULL, &err), 0);
    dv_outdir_close(&od);
    assert_listing(dir, "alerts.csv routes.csv");
    assert_text(dir, "alerts.csv", "old\n");
    assert_text(outside, "marker", all_new);
    dvt_remove(dir);
    free(target);
    dvt_remove(outside);
}

/* ---- killed runs, and runs at the same time ---- */

/* In a container every run is process 1, so the marker and backups a
 * killed run left carry the pid of the run that finds them, which is
 * alive. Found by a red-team review: such a commit was never rolled back
 * and its leftovers never removed, because the recovery asked whether the
 * pid was alive. Holding the directory's lock, the opening run knows they
 * are a dead run's. */
static void a_commit_killed_under_this_very_pid_is_rolled_back(void **state)
{
    (void)state;
    long pid = (long)getpid();
    char *dir = dvt_dataset("alerts.csv", "new\n", "routes.csv", "old\n", NULL);
    char *backup = dv_xasprintf(".alerts.csv.prev-%ld", pid);
    char *tmp = dv_xasprintf(".rejects.csv.tmp-%ld", pid);
    char *marker = dv_xasprintf(".commit-%ld", pid);
    static const char *const flags = "110\nalerts.csv\nroutes.csv\nrejects.csv\n";
    dvt_write(dir, backup, "old\n", 4);
    dvt_write(dir, tmp, "half", 4);
    /* alerts.csv replaced already, routes.csv not yet; rejects.csv new */
    dvt_write(dir, marker, flags, strlen(flags));
    dv_outdir od;
    dv_error err = {0, ""};
    assert_int_equal(dv_outdir_open(&od, dir, NULL, &err), 0);
    dv_outdir_close(&od);
    assert_listing(dir, "alerts.csv routes.csv");
    assert_text(dir, "alerts.csv", "old\n");
    assert_text(dir, "routes.csv", "old\n");
    free(backup);
    free(tmp);
    free(marker);
    dvt_remove(dir);
}

/* A killed commit whose old file cannot be put back (its name is now
 * taken by a directory) stops the run, and the marker and the backups
 * stay: removing them as leftovers would lose the only copy. */
static void a_roll_back_that_cannot_finish_stops_and_keeps_the_backups(void **state)
{
    (void)state;
    long pid = 999999999L;
    char *dir = dvt_dataset(".alerts.csv.prev-999999999", "old\n", ".commit-999999999",
                            "1\nalerts.csv\n", NULL);
    char *blocker = dv_xasprintf("%s/alerts.csv", dir);
    assert_int_equal(mkdir(blocker, 0700), 0);
    dvt_write(blocker, "x", "x", 1);
    dv_outdir od;
    dv_error err = {0, ""};
    assert_int_equal(dv_outdir_open(&od, dir, NULL, &err), DV_EXIT_INPUT);
    char *want = dv_xasprintf("%s: a scan (process %ld) was stopped while replacing the outputs, "
                              "and alerts.csv cannot be put back from .alerts.csv.prev-%ld: ",
                              dir, pid, pid);
    if (strncmp(err.msg, want, strlen(want)) != 0) fail_msg("[%s]", err.msg);
    assert_listing(dir, ".alerts.csv.prev-999999999 .commit-999999999 alerts.csv");
    /* put right by hand, the next run finishes the roll back */
    char *x = dv_xasprintf("%s/x", blocker);
    assert_int_equal(unlink(x), 0);
    assert_int_equal(rmdir(blocker), 0);
    assert_int_equal(dv_outdir_open(&od, dir, NULL, &err), 0);
    dv_outdir_close(&od);
    assert_listing(dir, "alerts.csv");
    assert_text(dir, "alerts.csv", "old\n");
    free(x);
    free(want);
    free(blocker);
    dvt_remove(dir);
}

/* Give dir/name to another user (root only). */
static void give_away(const char *dir, const char *name)
{
    char *path = dv_xasprintf("%s/%s", dir, name);
    assert_int_equal(lchown(path, 65534, 65534), 0);
    free(path);
}

/* Found by a red-team review: in a sticky shared directory (as /tmp is,
 * and which divert accepts) another user can plant a marker and backups
 * under divert's names; the recovery renamed the planted backup over the
 * output (theirs, with their content, in place of alerts.csv) and removed
 * outputs a planted marker called new. Only files of the user's own are
 * recovery's to act on. */
static void a_marker_or_backup_planted_by_another_user_is_left_alone(void **state)
{
    (void)state;
    if (geteuid() != 0) skip(); /* only root can make a file of another user's */
    char *dir = dvt_dataset("alerts.csv", "mine\n", "routes.csv", "mine\n", NULL);
    assert_int_equal(chmod(dir, 01777), 0);
    /* their marker: alerts.csv to come back from their backup, routes.csv new */
    dvt_write(dir, ".commit-4242", "10\nalerts.csv\nroutes.csv\n", 24);
    dvt_write(dir, ".alerts.csv.prev-4242", "forged\n", 7);
    dvt_write(dir, ".routes.csv.tmp-4242", "theirs\n", 7);
    give_away(dir, ".commit-4242");
    give_away(dir, ".alerts.csv.prev-4242");
    give_away(dir, ".routes.csv.tmp-4242");
    /* a marker of the user's own whose backup is theirs */
    dvt_write(dir, ".commit-4343", "1\nalerts.csv\n", 13);
    dvt_write(dir, ".alerts.csv.prev-4343", "forged\n", 7);
    give_away(dir, ".alerts.csv.prev-4343");
    dv_outdir od;
    dv_error err = {0, ""};
    assert_int_equal(dv_outdir_open(&od, dir, NULL, &err), 0);
    dv_outdir_close(&od);
    assert_text(dir, "alerts.csv", "mine\n");
    assert_text(dir, "routes.csv", "mine\n");
    /* theirs stay where they are; the user's own marker is done with */
    assert_listing(dir, ".alerts.csv.prev-4242 .alerts.csv.prev-4343 .commit-4242 "
                        ".routes.csv.tmp-4242 alerts.csv routes.csv");
    chmod(dir, 0700);
    dvt_remove(dir);
}

static void no_wait_fails_at_once_on_a_directory_another_run_holds(void **state)
{
    (void)state;
    char *dir = dvt_dataset("alerts.csv", "old\n", NULL);
    dv_outdir first, second;
    dv_error err = {0, ""};
    assert_int_equal(dv_outdir_open(&first, dir, NULL, &err), 0);
    dv_outdir_opts no_wait = {.no_wait = true};
    assert_int_equal(dv_outdir_open(&second, dir, &no_wait, &err), DV_EXIT_INPUT);
    char *want = dv_xasprintf("%s: another run (process %ld) is writing here; not waiting for it "
                              "(--no-wait)",
                              dir, (long)getpid());
    assert_string_equal(err.msg, want);
    free(want);
    assert_null(second.path); /* left closed */
    /* the holder writes; once it lets go, the lock file goes too */
    dv_pipeline p = {0};
    assert_int_equal(dv_outdir_commit(&first, &text_set, &p, &err), 0);
    assert_listing(dir, ".divert.lock alerts.csv rejects.csv routes.csv summary.json");
    dv_outdir_close(&first);
    assert_listing(dir, "alerts.csv rejects.csv routes.csv summary.json");
    assert_int_equal(dv_outdir_open(&second, dir, &no_wait, &err), 0);
    dv_outdir_close(&second);
    dv_outdir_close(&second); /* twice is harmless */
    dvt_remove(dir);
}

/* ---- which directories are refused ---- */

static int open_status(const char *dir, const dv_outdir_opts *opts, dv_error *err)
{
    dv_outdir od;
    int rc = dv_outdir_open(&od, dir, opts, err);
    dv_outdir_close(&od);
    return rc;
}

static void a_directory_others_can_write_into_is_refused(void **state)
{
    (void)state;
    char *dir = dvt_dataset(NULL);
    dv_error err = {0, ""};
    dv_outdir_opts shared = {.allow_shared = true};
    static const struct {
        mode_t mode;
        bool refused;
    } cases[] = {
        {0700, false}, {0755, false}, {0757, true}, {0777, true},
        {0703, true},  {01777, false}, {01757, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mode_t mode = cases[i].mode;
        assert_int_equal(chmod(dir, mode), 0);
        int rc = open_status(dir, NULL, &err);
        if (cases[i].refused) {
            char *want = dv_xasprintf("%s: other users can write into it (mode %04o: ", dir,
                                      (unsigned)mode);
            if (rc != DV_EXIT_INPUT || strncmp(err.msg, want, strlen(want)) != 0 ||
                !strstr(err.msg, "--allow-shared-out"))
                fail_msg("mode %04o: status %d, [%s]", (unsigned)mode, rc, err.msg);
            free(want);
            assert_int_equal(open_status(dir, &shared, &err), 0);
        } else if (rc != 0) {
            fail_msg("mode %04o: refused: %s", (unsigned)mode, err.msg);
        }
    }
    chmod(dir, 0700);
    dvt_remove(dir);
}

static void a_directory_of_another_user_is_refused(void **state)
{
    (void)state;
    if (geteuid() != 0) skip(); /* only root can give a directory away */
    char *dir = dvt_dataset(NULL);
    assert_int_equal(chown(dir, 65534, (gid_t)-1), 0);
    dv_error err = {0, ""};
    assert_int_equal(open_status(dir, NULL, &err), DV_EXIT_INPUT);
    char *want = dv_xasprintf("%s: belongs to another user (uid 65534), who could replace or "
                              "remove the outputs",
                              dir);
    assert_true(strncmp(err.msg, want, strlen(want)) == 0);
    free(want);
    dv_outdir_opts shared = {.allow_shared = true};
    assert_int_equal(open_status(dir, &shared, &err), 0);
    dvt_remove(dir);
}

static void a_link_named_as_the_directory_is_refused(void **state)
{
    (void)state;
    char *root = dvt_dataset(NULL);
    char *real = dv_xasprintf("%s/real", root), *link = dv_xasprintf("%s/link", root);
    assert_int_equal(mkdir(real, 0700), 0);
    assert_int_equal(symlink(real, link), 0);
    dv_error err = {0, ""};
    assert_int_equal(open_status(link, NULL, &err), DV_EXIT_INPUT);
    char *want = dv_xasprintf("%s: is a symbolic link;", link);
    assert_true(strncmp(err.msg, want, strlen(want)) == 0);
    assert_listing(real, "");
    free(want);
    free(real);
    free(link);
    dvt_remove(root);
}

/* ---- exit codes, and what a failed run leaves ---- */

/* README: exit 2 is "an output directory divert cannot create or write
 * into"; a full disk and a directory in the way of an output were exit 3
 * (found by a red-team review). The mapping is tested here, since a full
 * disk needs a small file system (check-outdir-errors mounts one where it
 * may). */
static void errors_of_the_output_directory_are_the_users_to_fix(void **state)
{
    (void)state;
    static const struct {
        int errnum, status;
    } cases[] = {
        {ENOSPC, DV_EXIT_INPUT},    {EDQUOT, DV_EXIT_INPUT},  {EFBIG, DV_EXIT_INPUT},
        {EROFS, DV_EXIT_INPUT},     {EACCES, DV_EXIT_INPUT},  {EPERM, DV_EXIT_INPUT},
        {EISDIR, DV_EXIT_INPUT},    {ENOTDIR, DV_EXIT_INPUT}, {ENOTEMPTY, DV_EXIT_INPUT},
        {EEXIST, DV_EXIT_INPUT},    {ELOOP, DV_EXIT_INPUT},   {ENAMETOOLONG, DV_EXIT_INPUT},
        {ENOENT, DV_EXIT_INPUT},    {EIO, DV_EXIT_INTERNAL},  {ENOMEM, DV_EXIT_INTERNAL},
        {EMFILE, DV_EXIT_INTERNAL}, {ENFILE, DV_EXIT_INTERNAL}, {EBADF, DV_EXIT_INTERNAL},
        {EINVAL, DV_EXIT_INTERNAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (dv_outdir_status(cases[i].errnum) != cases[i].status)
            fail_msg("%s: status %d, expected %d", strerror(cases[i].errnum),
                     dv_outdir_status(cases[i].errnum), cases[i].status);
}

/* A directory divert made for a run that then wrote nothing (the dataset
 * was bad) is removed, every level it made, found by a red-team review;
 * one the user made stays, and so does one that holds anything. */
static void a_directory_made_for_a_run_that_wrote_nothing_is_removed(void **state)
{
    (void)state;
    char *root = dvt_dataset("mine.txt", "x", NULL);
    dv_error err = {0, ""};
    dv_outdir od;
    /* made, all three levels: gone again */
    char *deep = dv_xasprintf("%s/a/b/c", root);
    assert_int_equal(dv_outdir_open(&od, deep, NULL, &err), 0);
    assert_listing(root, "a mine.txt");
    dv_outdir_close(&od);
    assert_listing(root, "mine.txt");
    /* the user's empty directory stays, and levels above it */
    char *users = dv_xasprintf("%s/users", root), *below = dv_xasprintf("%s/users/x/y", root);
    assert_int_equal(mkdir(users, 0700), 0);
    assert_int_equal(dv_outdir_open(&od, users, NULL, &err), 0);
    dv_outdir_close(&od);
    assert_listing(users, "");
    assert_int_equal(dv_outdir_open(&od, below, NULL, &err), 0);
    dv_outdir_close(&od);
    assert_listing(users, "");
    assert_listing(root, "mine.txt users");
    /* one that holds anything stays: outputs, or a file put there */
    assert_int_equal(dv_outdir_open(&od, deep, NULL, &err), 0);
    dv_pipeline p = {0};
    assert_int_equal(dv_outdir_commit(&od, &text_set, &p, &err), 0);
    dv_outdir_close(&od);
    assert_listing(deep, "alerts.csv rejects.csv routes.csv summary.json");
    char *other = dv_xasprintf("%s/a/b/d", root);
    assert_int_equal(dv_outdir_open(&od, other, NULL, &err), 0);
    dvt_write(other, "notes", "x", 1);
    dv_outdir_close(&od);
    assert_listing(other, "notes");
    /* a failed open removes what it made: here the last level's name is
     * too long */
    char *blocked = dv_xasprintf("%s/new/%0300d", root, 0);
    assert_int_equal(dv_outdir_open(&od, blocked, NULL, &err), DV_EXIT_INPUT);
    assert_listing(root, "a mine.txt users");
    char *file_in_new = dv_xasprintf("%s/new2/file", root), *new2 = dv_xasprintf("%s/new2", root);
    assert_int_equal(mkdir(new2, 0700), 0);
    dvt_write(new2, "file", "x", 1);
    assert_int_equal(dv_outdir_open(&od, file_in_new, NULL, &err), DV_EXIT_INPUT);
    assert_listing(new2, "file");
    free(file_in_new);
    free(new2);
    free(blocked);
    free(other);
    free(users);
    free(below);
    free(deep);
    dvt_remove(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_file_is_created_through_a_link_planted_after_the_open),
        cmocka_unit_test(a_link_planted_as_a_marker_is_removed_unread),
        cmocka_unit_test(a_commit_killed_under_this_very_pid_is_rolled_back),
        cmocka_unit_test(a_roll_back_that_cannot_finish_stops_and_keeps_the_backups),
        cmocka_unit_test(a_marker_or_backup_planted_by_another_user_is_left_alone),
        cmocka_unit_test(no_wait_fails_at_once_on_a_directory_another_run_holds),
        cmocka_unit_test(errors_of_the_output_directory_are_the_users_to_fix),
        cmocka_unit_test(a_directory_made_for_a_run_that_wrote_nothing_is_removed),
        cmocka_unit_test(a_directory_others_can_write_into_is_refused),
        cmocka_unit_test(a_directory_of_another_user_is_refused),
        cmocka_unit_test(a_link_named_as_the_directory_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
