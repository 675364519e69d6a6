/*
 * cmd_audit.c: divert audit --state FILE.db --verify [--head HASH] and
 * divert audit --state FILE.db --export FILE: the audit chain checked
 * (audit.h: the chain itself, then the decision and run tables against
 * it), and the log written as JSON Lines for an archive kept elsewhere,
 * whose last line is the head a later --verify --head compares.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "divert/audit.h"
#include "divert/cli.h"
#include "divert/msgs.h"
#include "divert/outdir.h"

/* The chain and the tables checked; 0, or a store error said. */
static int check(dv_store *s, dv_audit_check *chk)
{
    dv_error err = {0, ""};
    if (dv_audit_verify(s, chk, &err) || (!chk->bad_seq && dv_audit_check_rows(s, chk, &err))) {
        dv_msg("%s", err.msg);
        return err.code ? err.code : DV_EXIT_INTERNAL;
    }
    return 0;
}

static bool intact(const dv_audit_check *chk)
{
    return !chk->bad_seq && !chk->row[0];
}

/* "entry 4 (...) why" or "decisions row 3 ...: why" */
static void say_broken(const char *state, const dv_audit_check *chk)
{
    if (chk->row[0])
        dv_msg("audit log of %s does not verify: %s: %s", state, chk->row, chk->why);
    else
        dv_msg("audit log of %s does not verify: entry %lld: %s", state, chk->bad_seq, chk->why);
}

static bool is_hash(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!strchr("0123456789abcdef", s[n])) return false;
    return n == 64;
}

/* Refuse an --export FILE that is empty, a directory, a link, not a
 * regular file, or the store itself. */
static int check_export_path(const char *path, const char *state)
{
    if (!path[0]) {
        dv_msg("--export: the file name is empty");
        return DV_EXIT_INPUT;
    }
    struct stat st, store;
    if (lstat(path, &st) == 0) {
        const char *why = S_ISLNK(st.st_mode)  ? "is a symbolic link; divert does not write through links"
                          : S_ISDIR(st.st_mode) ? "is a directory; --export names the file to write"
                          : !S_ISREG(st.st_mode) ? "is not a regular file"
                          : stat(state, &store) == 0 && store.st_dev == st.st_dev &&
                                    store.st_ino == st.st_ino
                              ? "is the case store itself; name a file of its own"
                              : NULL;
        if (why) {
            dv_msg("--export %s: %s", path, why);
            return DV_EXIT_INPUT;
        }
    }
    return 0;
}

/* Write the export beside path, then rename it into place. */
static int export_file(dv_store *s, const char *path, const dv_audit_check *chk, long long *entries)
{
    const char *slash = strrchr(path, '/');
    char *tmp = slash ? dv_xasprintf("%.*s.%s.tmp-XXXXXX", (int)(slash - path + 1), path, slash + 1)
                      : dv_xasprintf(".%s.tmp-XXXXXX", path);
    dv_error err = {0, ""};
    int fd = mkstemp(tmp); /* 0600: the log holds what the store holds */
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        dv_msg("--export %s: cannot create a file in its directory: %s", path, strerror(e));
        return dv_outdir_status(e);
    }
    int rc = dv_audit_export(s, f, chk, entries, &err);
    if (rc == DV_EXIT_INPUT && !strncmp(err.msg, "cannot write", 12)) {
        char why[sizeof err.msg];
        snprintf(why, sizeof why, "%s", err.msg);
        dv_fail(&err, rc, "--export %s: %s", path, why);
    }
    if (!rc && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = dv_fail(&err, dv_outdir_status(errno), "--export %s: cannot write: %s", path,
                     strerror(errno));
    errno = 0;
    if (fclose(f) != 0 && !rc)
        rc = dv_fail(&err, errno ? dv_outdir_status(errno) : DV_EXIT_INPUT,
                     "--export %s: cannot write: %s", path, strerror(errno ? errno : EIO));
    if (!rc && rename(tmp, path) != 0)
        rc = dv_fail(&err, dv_outdir_status(errno), "--export %s: cannot put the file in place: %s",
                     path, strerror(errno));
    if (rc) {
        unlink(tmp);
        dv_msg("%s", err.msg);
    }
    free(tmp);
    return rc;
}

int dv_cmd_audit(dv_invocation *inv)
{
    if (!inv->state || !inv->state[0]) {
        dv_msg("audit needs --state FILE: the case store the scans keep");
        return DV_EXIT_INPUT;
    }
    if (inv->head && !inv->verify) {
        dv_msg("--head goes with --verify (the head an earlier export ended with)");
        return DV_EXIT_INPUT;
    }
    if (!inv->verify && !inv->export_path) {
        dv_msg("audit needs --verify (check the chain) or --export FILE (write it out)");
        return DV_EXIT_INPUT;
    }
    if (inv->head && !is_hash(inv->head)) {
        dv_msg("--head \"%s\": not a chain head (64 hex digits in lower case, the \"hash\" of an "
               "export's last line)",
               inv->head);
        return DV_EXIT_INPUT;
    }
    if (inv->export_path && check_export_path(inv->export_path, inv->state)) return DV_EXIT_INPUT;
    dv_error err = {0, ""};
    dv_store *s = dv_store_open(inv->state, false, &err);
    if (!s) {
        dv_msg("%s", err.msg);
        return err.code;
    }
    dv_audit_check chk;
    int rc = check(s, &chk);
    long long head_at = 0;
    if (!rc && intact(&chk) && inv->head && dv_audit_find(s, inv->head, &head_at, &err)) {
        dv_msg("%s", err.msg);
        rc = err.code;
    }
    long long entries = 0;
    if (!rc && inv->export_path) {
        rc = export_file(s, inv->export_path, &chk, &entries);
        if (!rc && !inv->quiet && intact(&chk))
            dv_say(stdout, "audit log of %s written to %s: %lld entries, head %lld %s; the chain "
                   "verified",
                   inv->state, inv->export_path, entries, chk.head_seq, chk.head);
        else if (!rc && !inv->quiet)
            dv_say(stdout, "audit log of %s written to %s: %lld entries, as it stands; the chain "
                   "does NOT verify (below)",
                   inv->state, inv->export_path, entries);
        if (!rc && !intact(&chk) && !inv->verify) say_broken(inv->state, &chk);
    }
    dv_store_close(s);
    if (rc) return rc;
    if (!inv->verify) return DV_EXIT_OK;
    if (!intact(&chk)) {
        say_broken(inv->state, &chk);
        return DV_EXIT_INPUT;
    }
    if (inv->head && !head_at) {
        dv_msg("audit log of %s does not hold the exported head %s: the log was rewritten or "
               "truncated since that head was exported (its own chain holds, to entry %lld %s)",
               inv->state, inv->head, chk.head_seq, chk.head);
        return DV_EXIT_INPUT;
    }
    if (!inv->quiet) {
        dv_say(stdout, "audit log of %s intact: %lld entries, head %lld %s", inv->state,
               chk.entries, chk.head_seq, chk.head);
        if (inv->head)
            dv_say(stdout, "the exported head %s is entry %lld: nothing up to it has changed",
                   inv->head, head_at);
    }
    return DV_EXIT_OK;
}
