/*
 * outdir.c: the output directory and the atomic commit of an output set
 * (outdir.h).
 *
 * The directory is opened once (O_DIRECTORY|O_NOFOLLOW), and every file
 * divert makes, renames, links or removes there is named relative to that
 * descriptor (openat, renameat, linkat, unlinkat): a directory swapped
 * for a link after the open does not send the files elsewhere. Files are
 * created with O_CREAT|O_EXCL|O_NOFOLLOW, so a link or a file planted
 * under one of divert's names (which carry the process id, readable in
 * /proc by anyone) is never followed nor written into: the run stops
 * instead. A directory that other users can write into is refused unless
 * the user says otherwise (--allow-shared-out), because they could
 * replace the outputs after divert writes them.
 *
 * A run holds the directory's lock (flock on .divert.lock) from the open,
 * before the load, until the command is done, so two runs into one
 * directory never mix their sets: the second waits, or fails with
 * --no-wait. The lock file is removed by the run that holds it, when it
 * lets go; a run that was waiting on a lock file that is then gone (or
 * whose directory is) opens the directory afresh.
 *
 * Every file of the set is first written to a hidden temporary file in
 * the output directory (.NAME.tmp-PID), flushed and fsync'd. Only when all
 * of them are complete are they renamed over the old ones, back to back,
 * then the directory is fsync'd. A run that fails or is killed before that
 * point leaves the previous outputs as they were, and its temporaries are
 * removed on failure.
 *
 * Several renames are not one atomic step, so a commit marker
 * (.commit-PID) is first written and synced: a line of flags saying which
 * files existed before ('1') and which are new ('0'), then the files'
 * names, one a line. Then, file by file, the old output is kept at a
 * hidden backup (.NAME.prev-PID: a hard link, or where the file system
 * has none, the file itself moved there) and the new one renamed over its
 * name. If a rename fails, the files already replaced are put back at
 * once (and if even that fails, the marker and backups stay for the next
 * run). If the process is killed between two renames, the next run into
 * the directory finds the marker and puts the old set back from the
 * backups before anything else; it also removes the temporaries and
 * backups that killed runs left behind, for the files of every output set
 * (report.h). It does so holding the lock, so whatever it finds belongs
 * to a run that is over, whatever process id the names carry: in a
 * container every run is process 1, and a marker named after a live
 * process is as dead as any other.
 */
#define _DEFAULT_SOURCE /* fdopendir, getpwuid_r and the *at calls with -std=c11 */
#include "divert/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Flags of every file divert creates in the directory. */
#define CREATE_FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)

/* ".NAME.KIND-PID", the hidden name of an output's temporary or backup
 * (heap). */
static char *hidden_name(const char *out, const char *kind, long pid)
{
    return dv_xasprintf(".%s.%s-%ld", out, kind, pid);
}

/* The output set that has a file of this name, or NULL. */
static const dv_output_set *set_of(const char *name)
{
    for (int s = 0; s < DV_OUTPUTS_COUNT; s++)
        for (size_t i = 0; i < dv_output_sets[s].n; i++)
            if (!strcmp(dv_output_sets[s].files[i].name, name)) return &dv_output_sets[s];
    return NULL;
}

/* A stream or directory stream that libc could not allocate ends divert
 * as every allocation does (util.h), with the limit in the message. */
static void *allocated(void *stream)
{
    if (!stream && errno == ENOMEM) dv_out_of_memory(BUFSIZ);
    return stream;
}

/* s is a process id to its end: digits only. */
static bool pid_text(const char *s, long *pid)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18) return false;
    *pid = strtol(s, NULL, 10);
    return true;
}

/* ---- killed runs ---- */

enum { MAX_MARKED = 32 };

/* Whose is NAME in the directory? Only regular files of this user's are
 * recovery's to rename or remove: in a sticky shared directory other
 * users can plant a marker, a backup or a temporary under divert's names,
 * and divert must never put such a file in place of an output. */
enum whose { ABSENT, YOURS, NOT_YOURS };
static enum whose whose(const dv_outdir *od, const char *name)
{
    struct stat st;
    if (fstatat(od->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? ABSENT : NOT_YOURS;
    return S_ISREG(st.st_mode) && st.st_uid == geteuid() ? YOURS : NOT_YOURS;
}

/* Undo the commit of a run that was killed between its renames: its
 * marker says which outputs existed before ('1'); those come back from
 * their backups (where a backup is missing, the run was killed before it
 * touched that output), the others (new files) go. Each flag belongs to
 * the name on its own line, and only names of outputs are acted on, so
 * that a marker cannot make divert touch any other file. A marker of
 * flags alone comes from a divert that wrote only the scan's set. A
 * marker that is not a regular file (a link planted under its name) is
 * removed unread. If an output cannot be put back, the marker and the
 * backups stay and the run stops (exit 2): going on would lose them. */
static int roll_back(const dv_outdir *od, long pid, dv_error *err)
{
    char *marker = dv_xasprintf(".commit-%ld", pid);
    int fd = openat(od->fd, marker, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno != ELOOP) {
        int e = errno;
        free(marker);
        return dv_fail(err, dv_outdir_status(e), "%s/.commit-%ld: cannot read: %s", od->path, pid,
                       strerror(e));
    }
    struct stat st;
    FILE *f = NULL;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid != geteuid()) {
        close(fd);
        free(marker);
        fprintf(stderr,
                "divert: %s/.commit-%ld: belongs to another user (uid %ld), so no run of yours "
                "made it; left alone\n",
                od->path, pid, (long)st.st_uid);
        return 0;
    }
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) f = allocated(fdopen(fd, "r"));
    if (!f && fd >= 0) close(fd);
    char had[64] = "", line[256];
    struct {
        char name[64];
        bool had;
    } marked[MAX_MARKED];
    size_t n = 0, lines = 0;
    const dv_output_set *set = NULL;
    if (f) {
        if (!fgets(had, sizeof had, f)) had[0] = '\0';
        had[strcspn(had, "\n")] = '\0';
        for (; n < MAX_MARKED && fgets(line, sizeof line, f); lines++) {
            line[strcspn(line, "\n")] = '\0';
            const dv_output_set *of = set_of(line);
            if (!of || lines >= strlen(had) || strlen(line) >= sizeof marked[0].name) continue;
            memcpy(marked[n].name, line, strlen(line) + 1); /* shorter, checked above */
            marked[n++].had = had[lines] == '1';
            if (!set) set = of;
        }
        fclose(f);
    }
    if (!lines && had[0]) {
        set = &dv_output_sets[DV_OUTPUTS_SCAN];
        for (; n < set->n && n < strlen(had); n++) {
            snprintf(marked[n].name, sizeof marked[n].name, "%s", set->files[n].name);
            marked[n].had = had[n] == '1';
        }
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char *backup = hidden_name(marked[i].name, "prev", pid);
        if (!marked[i].had) unlinkat(od->fd, marked[i].name, 0);
        else if (whose(od, backup) == NOT_YOURS) /* planted; never put in place */
            fprintf(stderr, "divert: %s/%s: not a file of yours; left alone\n", od->path, backup);
        else if (renameat(od->fd, backup, od->fd, marked[i].name) != 0 && errno != ENOENT)
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s: %s (process %ld) was stopped while replacing the outputs, and "
                         "%s cannot be put back from %s: %s; put it back by hand, or remove "
                         ".commit-%ld to keep the outputs as they are",
                         od->path, set->run, pid, marked[i].name, backup, strerror(errno), pid);
        free(backup);
    }
    if (rc) {
        free(marker);
        return rc;
    }
    if (n)
        fprintf(stderr,
                "divert: %s: %s (process %ld) was stopped while replacing the outputs; "
                "the previous outputs are back in place\n",
                od->path, set->run, pid);
    unlinkat(od->fd, marker, 0);
    free(marker);
    fsync(od->fd);
    return 0;
}

/* Is NAME the temporary or backup file of an output (of a run that is
 * over, when the lock is held)? */
static bool left_by_a_run(const char *name)
{
    if (name[0] != '.') return false;
    for (int s = 0; s < DV_OUTPUTS_COUNT; s++)
        for (size_t i = 0; i < dv_output_sets[s].n; i++) {
            const char *out = dv_output_sets[s].files[i].name;
            size_t n = strlen(out);
            long pid;
            if (strncmp(name + 1, out, n) != 0) continue;
            const char *rest = name + 1 + n;
            if (!strncmp(rest, ".tmp-", 5)) rest += 5;
            else if (!strncmp(rest, ".prev-", 6)) rest += 6;
            else continue;
            if (pid_text(rest, &pid)) return true;
        }
    return false;
}

/* The directory's entries, read through a descriptor of their own (a
 * dup would share the directory's offset). NULL if it cannot be read. */
static DIR *entries(const dv_outdir *od)
{
    int fd = openat(od->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? allocated(fdopendir(fd)) : NULL;
    if (!d && fd >= 0) close(fd);
    return d;
}

/* Clean up after runs that were killed, holding the lock: roll back an
 * interrupted commit, remove temporaries and backups. */
static int recover(const dv_outdir *od, dv_error *err)
{
    DIR *d = entries(od);
    if (!d)
        return dv_fail(err, dv_outdir_status(errno), "%s: cannot read the directory: %s", od->path,
                       strerror(errno));
    struct dirent *e;
    long *pids = NULL, pid;
    size_t n_pids = 0, cap = 0;
    while ((e = readdir(d)))
        if (!strncmp(e->d_name, ".commit-", 8) && pid_text(e->d_name + 8, &pid))
            DV_PUSH(pids, n_pids, cap, pid);
    closedir(d);
    int rc = 0;
    for (size_t i = 0; i < n_pids && !rc; i++) rc = roll_back(od, pids[i], err);
    free(pids);
    if (rc) return rc;
    if ((d = entries(od))) {
        while ((e = readdir(d)))
            if (left_by_a_run(e->d_name) && whose(od, e->d_name) == YOURS)
                unlinkat(od->fd, e->d_name, 0);
        closedir(d);
    }
    return 0;
}

/* ---- opening the directory ---- */

/* Is the directory's group its owner's own (a user private group: named
 * as the owner, the owner's primary group, no other member), so that its
 * group write bit lets no one else in? Debian's OpenSSH accepts a
 * group-writable ~/.ssh on these terms; umask 002 makes such directories
 * on many systems. An access ACL can give others write through the group
 * bits (they are its mask), so a directory with one does not qualify. */
static bool group_is_owners_own(int fd, const struct stat *st)
{
    if (fgetxattr(fd, "system.posix_acl_access", NULL, 0) >= 0) return false;
    size_t size = 16384;
    char *buf = dv_xmalloc(size);
    struct passwd pw, *pwp = NULL;
    struct group gr, *grp = NULL;
    bool own = false;
    if (getpwuid_r(st->st_uid, &pw, buf, size / 2, &pwp) != 0 || !pwp || pw.pw_gid != st->st_gid)
        goto done;
    /* the user's name is in the first half of buf, the group in the second */
    if (getgrgid_r(st->st_gid, &gr, buf + size / 2, size / 2, &grp) != 0 || !grp ||
        strcmp(gr.gr_name, pw.pw_name) != 0)
        goto done;
    own = true;
    for (char **m = gr.gr_mem; *m; m++)
        if (strcmp(*m, pw.pw_name) != 0) own = false;
done:
    free(buf);
    return own;
}

/* Refuse a directory that other users can write into (exit 2): they
 * could replace or remove the outputs once divert has written them. */
static int check_not_shared(const dv_outdir *od, dv_error *err)
{
    struct stat st;
    if (fstat(od->fd, &st) != 0)
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot write the outputs here: %s", od->path,
                       strerror(errno));
    if (st.st_uid != geteuid() && st.st_uid != 0)
        return dv_fail(err, DV_EXIT_INPUT,
                       "%s: belongs to another user (uid %ld), who could replace or remove the "
                       "outputs; write into a directory of your own, or pass --allow-shared-out "
                       "to accept that",
                       od->path, (long)st.st_uid);
    bool sticky = st.st_mode & S_ISVTX;
    bool world = (st.st_mode & S_IWOTH) && !sticky;
    bool group = (st.st_mode & S_IWGRP) && !sticky && !group_is_owners_own(od->fd, &st);
    if (world || group)
        return dv_fail(err, DV_EXIT_INPUT,
                       "%s: other users can write into it (mode %04o: %s-writable, no sticky "
                       "bit), and could replace or remove the outputs; chmod go-w %s, or pass "
                       "--allow-shared-out to accept that",
                       od->path, (unsigned)(st.st_mode & 07777),
                       world && group ? "group- and world" : world ? "world" : "group", od->path);
    return 0;
}

/* Create od->path and its missing parents, each level readable by all
 * and writable only by its owner (a umask of 002 would make them group
 * writable, which the check above refuses), and note in od->made the
 * levels this run created, to remove them if it writes nothing. */
static int make_dirs(dv_outdir *od, dv_error *err)
{
    char *path = dv_xstrdup(od->path);
    int rc = 0;
    size_t cap = od->n_made;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0755) == 0) {
            bool known = false; /* made before, removed, made again */
            for (size_t i = 0; i < od->n_made; i++) known = known || !strcmp(od->made[i], path);
            if (!known) DV_PUSH(od->made, od->n_made, cap, dv_xstrdup(path));
        } else if (errno != EEXIST) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot create the output directory: %s", path,
                         strerror(errno));
            break;
        }
        *p = saved;
        if (!saved) break;
    }
    free(path);
    return rc;
}

/* Open the directory itself, never through a link at its last name. */
static int open_dir(dv_outdir *od, dv_error *err)
{
    od->fd = open(od->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (od->fd < 0) {
        int e = errno;
        struct stat st;
        if (lstat(od->path, &st) == 0 && S_ISLNK(st.st_mode))
            return dv_fail(err, DV_EXIT_INPUT,
                           "%s: is a symbolic link; divert writes only into a directory named "
                           "as it is (give the directory the link points to)",
                           od->path);
        if (e == ENOTDIR) return dv_fail(err, DV_EXIT_INPUT, "%s: is not a directory", od->path);
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot write the outputs here: %s", od->path,
                       strerror(e));
    }
    if (faccessat(od->fd, ".", W_OK | X_OK, 0) != 0)
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot write the outputs here: %s", od->path,
                       strerror(errno));
    return 0;
}

/* ---- the lock ---- */

enum { AGAIN = -1 };   /* the lock file or the directory went: open afresh */

/* The process id the holder of a lock wrote into it, or 0. */
static long holder_of(int lock_fd)
{
    char text[24] = "";
    ssize_t n = pread(lock_fd, text, sizeof text - 1, 0);
    long pid;
    if (n <= 0) return 0;
    text[n] = '\0';
    text[strcspn(text, "\n")] = '\0';
    return pid_text(text, &pid) ? pid : 0;
}

/* Are a and b the same file? */
static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Lock the directory for this run: 0 (od->lock_fd set), a status, or
 * AGAIN when the run before let go by removing what this one waited on.
 * The lock file is opened without following a link and must be a
 * regular file of one name, the user's own (or anyone's with
 * --allow-shared-out). *said: the wait was announced already. */
static int take_lock(dv_outdir *od, const dv_outdir_opts *opts, bool *said, dv_error *err)
{
    int fd = openat(od->fd, DV_OUTDIR_LOCK,
                    O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        struct stat there;
        if (e == ENOENT) return AGAIN; /* the directory was removed */
        if (e == ELOOP)
            return dv_fail(err, DV_EXIT_INPUT, "%s/%s: is a symbolic link, not divert's lock",
                           od->path, DV_OUTDIR_LOCK);
        if (e == EACCES && fstatat(od->fd, DV_OUTDIR_LOCK, &there, AT_SYMLINK_NOFOLLOW) == 0)
            return dv_fail(err, DV_EXIT_INPUT,
                           "%s/%s: cannot open the lock of another user's run (uid %ld), which "
                           "is writing here or was killed there",
                           od->path, DV_OUTDIR_LOCK, (long)there.st_uid);
        /* the first file divert makes there */
        return dv_fail(err, dv_outdir_status(e), "%s: cannot write the outputs here: %s", od->path,
                       strerror(e));
    }
    struct stat st, now;
    int rc = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
        rc = dv_fail(err, DV_EXIT_INPUT,
                     "%s/%s: is not divert's lock (a regular file with one name); remove it "
                     "if no divert is running",
                     od->path, DV_OUTDIR_LOCK);
        goto fail;
    }
    bool mine = st.st_uid == geteuid();
    if (!mine && !opts->allow_shared) {
        rc = dv_fail(err, DV_EXIT_INPUT, "%s/%s: belongs to another user (uid %ld)", od->path,
                     DV_OUTDIR_LOCK, (long)st.st_uid);
        goto fail;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s: cannot lock %s (%s): divert needs file locks in its output "
                         "directory to keep two runs apart",
                         od->path, DV_OUTDIR_LOCK, strerror(errno));
            goto fail;
        }
        long holder = holder_of(fd);
        char who[48] = "";
        if (holder) snprintf(who, sizeof who, " (process %ld)", holder);
        if (opts->no_wait) {
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s: another run%s is writing here; not waiting for it (--no-wait)",
                         od->path, who);
            goto fail;
        }
        if (!*said)
            fprintf(stderr, "divert: %s: waiting for another run%s to finish\n", od->path, who);
        *said = true;
        while (flock(fd, LOCK_EX) != 0)
            if (errno != EINTR) {
                rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot lock %s: %s", od->path,
                             DV_OUTDIR_LOCK, strerror(errno));
                goto fail;
            }
    }
    /* the run before may have removed the lock file, or the directory,
     * as it let go: then this lock guards nothing */
    struct stat dir_now, dir_then;
    if (fstatat(od->fd, DV_OUTDIR_LOCK, &now, AT_SYMLINK_NOFOLLOW) != 0 || !same_file(&st, &now) ||
        stat(od->path, &dir_now) != 0 || fstat(od->fd, &dir_then) != 0 ||
        !same_file(&dir_now, &dir_then)) {
        close(fd);
        return AGAIN;
    }
    od->lock_fd = fd;
    if (mine) {
        /* for the message of a run that finds it locked */
        char text[24];
        int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)len, 0) != len) {
            /* only a message would lack the pid */
        }
    }
    return 0;
fail:
    close(fd);
    return rc;
}

/* The directories open in this process, let go at exit() too (out of
 * memory ends divert there, exit 3), so that a run that stops with a
 * message leaves no lock file. A run killed by a signal leaves it; the
 * next run takes it over. Opened and closed on the main thread. */
enum { MAX_OPEN = 8 };
static dv_outdir *open_dirs[MAX_OPEN];

static void close_at_exit(void)
{
    for (int i = 0; i < MAX_OPEN; i++) dv_outdir_close(open_dirs[i]);
}

static void remember(dv_outdir *od, bool open)
{
    static bool registered;
    if (!registered) registered = atexit(close_at_exit) == 0;
    for (int i = 0; i < MAX_OPEN; i++)
        if (open_dirs[i] == (open ? NULL : od)) {
            open_dirs[i] = open ? od : NULL;
            return;
        }
}

int dv_outdir_open(dv_outdir *od, const char *dir, const dv_outdir_opts *opts, dv_error *err)
{
    static const dv_outdir_opts defaults = {0};
    if (!opts) opts = &defaults;
    memset(od, 0, sizeof *od);
    od->fd = od->lock_fd = -1;
    if (!dir[0]) return dv_fail(err, DV_EXIT_INPUT, "the output directory name is empty");
    od->path = dv_xstrdup(dir);
    bool said = false;
    int rc = 0;
    for (int attempt = 0;; attempt++) {
        rc = make_dirs(od, err);
        if (!rc) rc = open_dir(od, err);
        if (!rc && !opts->allow_shared) rc = check_not_shared(od, err);
        if (!rc) rc = take_lock(od, opts, &said, err);
        if (rc != AGAIN) break;
        close(od->fd);
        od->fd = -1;
        if (attempt == 1000) {
            rc = dv_fail(err, DV_EXIT_INPUT,
                         "%s: the directory kept being removed while divert waited for it", dir);
            break;
        }
    }
    if (rc) {
        dv_outdir_close(od);
        return rc;
    }
    remember(od, true);
    rc = recover(od, err);
    if (rc) dv_outdir_close(od);
    return rc;
}

void dv_outdir_close(dv_outdir *od)
{
    if (!od) return;
    remember(od, false);
    if (od->path && od->lock_fd >= 0) {
        /* removed before it is let go, so that a run waiting on it knows
         * to open afresh; only if it is still this lock's file */
        struct stat mine, now;
        if (fstat(od->lock_fd, &mine) == 0 &&
            fstatat(od->fd, DV_OUTDIR_LOCK, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
            same_file(&mine, &now))
            unlinkat(od->fd, DV_OUTDIR_LOCK, 0);
    }
    /* the levels this run made, if it left them empty (rmdir removes only
     * an empty directory); the last only if it is still the one open */
    struct stat then, now;
    for (size_t i = od->n_made; i-- > 0;) {
        bool last = i + 1 == od->n_made && !strcmp(od->made[i], od->path);
        if (last && (od->fd < 0 || fstat(od->fd, &then) != 0 || stat(od->path, &now) != 0 ||
                     !same_file(&then, &now)))
            break;
        if (rmdir(od->made[i]) != 0) break;
    }
    for (size_t i = 0; i < od->n_made; i++) free(od->made[i]);
    free(od->made);
    if (od->path && od->lock_fd >= 0) close(od->lock_fd);
    if (od->path && od->fd >= 0) close(od->fd);
    free(od->path);
    memset(od, 0, sizeof *od);
}

/* ---- the commit ---- */

/* A file under one of divert's own names that divert did not make: it
 * removed those of killed runs when it opened the directory, so another
 * program is writing there (or laying a trap). */
static int already_there(const dv_outdir *od, const char *name, dv_error *err)
{
    return dv_fail(err, DV_EXIT_INPUT,
                   "%s/%s: is already there, though divert did not make it: is another program "
                   "writing into %s?",
                   od->path, name, od->path);
}

/* Create NAME in the directory for writing, as divert's own: never
 * through a link, never an existing file. */
static int create_file(const dv_outdir *od, const char *name, int mode, int *fd, dv_error *err)
{
    *fd = openat(od->fd, name, CREATE_FLAGS, mode);
    if (*fd >= 0) return 0;
    int e = errno;
    if (e == EEXIST) return already_there(od, name, err);
    return dv_fail(err, dv_outdir_status(e), "%s: cannot write the outputs here: %s", od->path,
                   strerror(e));
}

/* Write one output into its temporary file; the file is removed again if
 * that fails. */
static int write_temp(const dv_outdir *od, const char *tmp, const dv_output *out, dv_pipeline *p,
                      double t0, dv_error *err)
{
    int fd, rc = create_file(od, tmp, 0666, &fd, err);
    if (rc) return rc;
    FILE *f = allocated(fdopen(fd, "w"));
    if (!f) {
        close(fd);
        unlinkat(od->fd, tmp, 0);
        return dv_fail(err, DV_EXIT_INTERNAL, "%s/%s: cannot write: %s", od->path, tmp,
                       strerror(errno));
    }
    p->seconds[DV_STAGE_WRITE] = dv_now() - t0;
    errno = 0;
    rc = out->write(f, p);
    /* the reason of the first failure: a full disk shows in the flush of
     * what is buffered, in the writes before it, or (on file systems that
     * allocate late) only in fsync or close */
    int e = 0;
    if (fflush(f) != 0) e = errno;
    else if (ferror(f) || rc) e = errno ? errno : EIO;
    if (!e && fsync(fd) != 0) e = errno;
    if (fclose(f) != 0 && !e) e = errno;
    if (e) {
        unlinkat(od->fd, tmp, 0);
        return dv_fail(err, dv_outdir_status(e), "%s/%s: cannot write: %s", od->path, out->name,
                       strerror(e));
    }
    return 0;
}

/* What the commit did to one output, for its roll back. */
typedef struct file_state {
    const char *name;            /* the output's (borrowed from the set) */
    char *tmp, *backup;          /* owned: its hidden names */
    bool written;                /* its temporary is complete */
    bool had;                    /* an old file was there: the marker's flag */
    bool kept;                   /* the old file was linked or moved to backup */
    bool renamed;                /* the new file went into place */
} file_state;

/* The commit marker: which outputs existed, for a roll back after a kill. */
static int write_marker(const dv_outdir *od, const char *marker, const dv_output_set *set,
                        const file_state *fs, dv_error *err)
{
    int fd, rc = create_file(od, marker, 0600, &fd, err);
    if (rc) return rc;
    FILE *m = allocated(fdopen(fd, "w"));
    if (!m) {
        close(fd);
        unlinkat(od->fd, marker, 0);
        return dv_fail(err, DV_EXIT_INTERNAL, "%s/%s: cannot write: %s", od->path, marker,
                       strerror(errno));
    }
    errno = 0;
    for (size_t i = 0; i < set->n; i++) fputc(fs[i].had ? '1' : '0', m);
    fputc('\n', m);
    for (size_t i = 0; i < set->n; i++) fprintf(m, "%s\n", set->files[i].name);
    int e = 0;
    if (fflush(m) != 0 || ferror(m) || fsync(fd) != 0) e = errno ? errno : EIO;
    if (fclose(m) != 0 && !e) e = errno;
    if (e) {
        unlinkat(od->fd, marker, 0);
        return dv_fail(err, dv_outdir_status(e), "%s/%s: cannot write: %s", od->path, marker,
                       strerror(e));
    }
    fsync(od->fd);
    return 0;
}

/* Keep the old file at its backup name until the new one is in place,
 * for a roll back: a hard link, so that the name is never without a file.
 * Where the file system has no hard links (vfat, exFAT, some network
 * mounts: link fails), the old file is moved there instead, and the name
 * is without a file until the new one is renamed over it, microseconds
 * later; the marker, written before, lets the next run put it back if
 * divert is killed in between. Found by a red-team review: there the
 * backup was skipped, and a failed commit deleted the old outputs. */
static int keep_old(const dv_outdir *od, file_state *f, dv_error *err)
{
    if (linkat(od->fd, f->name, od->fd, f->backup, 0) == 0) {
        f->kept = true;
        return 0;
    }
    int e = errno;
    if (e == EEXIST) return already_there(od, f->backup, err);
    if (e != ENOENT) {
        if (renameat(od->fd, f->name, od->fd, f->backup) == 0) {
            f->kept = true;
            return 0;
        }
        e = errno;
    }
    if (e == ENOENT) return 0; /* gone since: nothing to keep */
    return dv_fail(err, dv_outdir_status(e),
                   "%s/%s: cannot keep the previous file while replacing it: %s", od->path,
                   f->name, strerror(e));
}

int dv_outdir_commit(dv_outdir *od, const dv_output_set *set, dv_pipeline *p, dv_error *err)
{
    double t0 = dv_now();
    long pid = (long)getpid();
    size_t n = set->n;
    file_state *fs = dv_xcalloc(n, sizeof *fs);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        fs[i].name = set->files[i].name;
        fs[i].tmp = hidden_name(fs[i].name, "tmp", pid);
        fs[i].backup = hidden_name(fs[i].name, "prev", pid);
    }
    /* a file this run leaves out is not written; an old one goes below,
     * in the commit, kept at its backup until the whole set is in place */
    bool *out_of_run = dv_xcalloc(n, sizeof *out_of_run);
    for (size_t i = 0; i < n; i++)
        out_of_run[i] = set->files[i].left_out && set->files[i].left_out(p);
    for (size_t i = 0; i < n && !rc; i++) {
        if (out_of_run[i]) continue;
        rc = write_temp(od, fs[i].tmp, &set->files[i], p, t0, err);
        fs[i].written = !rc;
    }
    /* from the marker on, a kill is rolled back by the next run: it says
     * which outputs were there (a directory in the way is not kept; the
     * rename over it fails) */
    char *marker = dv_xasprintf(".commit-%ld", pid);
    bool marked = false;
    if (!rc) {
        struct stat st;
        for (size_t i = 0; i < n; i++)
            fs[i].had = fstatat(od->fd, fs[i].name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                        !S_ISDIR(st.st_mode);
        marked = !(rc = write_marker(od, marker, set, fs, err));
    }
    for (size_t i = 0; i < n && !rc; i++) {
        if (fs[i].had) rc = keep_old(od, &fs[i], err);
        if (rc) break;
        if (out_of_run[i]) {
            /* the old file is at its backup (or was moved there): its name
             * goes, and comes back with the rest on a roll back */
            if (fs[i].had && unlinkat(od->fd, fs[i].name, 0) != 0 && errno != ENOENT)
                rc = dv_fail(err, dv_outdir_status(errno), "%s/%s: cannot remove the previous "
                             "file: %s", od->path, fs[i].name, strerror(errno));
            else
                fs[i].renamed = true;
        } else if (renameat(od->fd, fs[i].tmp, od->fd, fs[i].name) != 0)
            rc = dv_fail(err, dv_outdir_status(errno), "%s/%s: cannot rename into place: %s",
                         od->path, fs[i].name, strerror(errno));
        else
            fs[i].renamed = true;
    }
    bool restored = true;
    if (rc) {
        /* roll back: the old file where there was one, nothing where not */
        for (size_t i = 0; i < n; i++) {
            if (fs[i].kept) {
                if (renameat(od->fd, fs[i].backup, od->fd, fs[i].name) != 0) restored = false;
            } else if (fs[i].renamed && unlinkat(od->fd, fs[i].name, 0) != 0 && errno != ENOENT) {
                restored = false;
            }
            if (fs[i].written && !fs[i].renamed) unlinkat(od->fd, fs[i].tmp, 0);
        }
    } else {
        fsync(od->fd);
        p->seconds[DV_STAGE_WRITE] = dv_now() - t0;
    }
    if (restored) {
        /* the new set (or the old one, rolled back) is complete: drop the
         * marker first, then the backups it refers to */
        if (marked) unlinkat(od->fd, marker, 0);
        for (size_t i = 0; i < n; i++)
            if (fs[i].kept) unlinkat(od->fd, fs[i].backup, 0);
    } else {
        /* the marker and the backups stay, for the next run to finish */
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len,
                 "; and the previous outputs could not all be put back: the next run into the "
                 "directory will");
    }
    fsync(od->fd);
    free(marker);
    free(out_of_run);
    for (size_t i = 0; i < n; i++) {
        free(fs[i].tmp);
        free(fs[i].backup);
    }
    free(fs);
    return rc;
}

int dv_commit_outputs(const char *dir, const dv_output_set *set, dv_pipeline *p, dv_error *err)
{
    dv_outdir od;
    int rc = dv_outdir_open(&od, dir, NULL, err);
    if (!rc) rc = dv_outdir_commit(&od, set, p, err);
    dv_outdir_close(&od);
    return rc;
}

int dv_outdir_status(int errnum)
{
    switch (errnum) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EROFS:
    case EACCES:
    case EPERM:
    case EISDIR:
    case ENOTDIR:
    case ENOTEMPTY:
    case EEXIST:
    case ELOOP:
    case ENAMETOOLONG:
    case ENOENT:
    case EMLINK:
    case EXDEV:
    case EBUSY:
    case ETXTBSY:
        return DV_EXIT_INPUT;
    default:
        return DV_EXIT_INTERNAL;
    }
}
