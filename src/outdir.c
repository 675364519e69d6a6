/*
 * outdir.c: writing an output set atomically (outdir.h).
 *
 * Every file of the set is first written to a hidden temporary file in the
 * output directory (.NAME.tmp-PID), flushed and fsync'd. Only when all of
 * them are complete are they renamed over the old ones, back to back, then
 * the directory is fsync'd. A run that fails or is killed before that
 * point leaves the previous outputs as they were, and its temporaries are
 * removed on failure.
 *
 * Several renames are not one atomic step, so the old outputs are first
 * hard-linked to hidden backups (.NAME.prev-PID) and a commit marker
 * (.commit-PID) is written and synced: a line of flags saying which files
 * existed before ('1') and which are new ('0'), then the files' names, one
 * a line. If a rename fails, the files already replaced are put back at
 * once. If the process is killed between two renames, the next run into
 * the directory finds the marker of a process that no longer runs and
 * puts the old set back from the backups before anything else; it also
 * removes the temporaries and backups that killed runs left behind, for
 * the files of every output set (report.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool process_alive(long pid)
{
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* The output set that has a file of this name, or NULL. */
static const dv_output_set *set_of(const char *name)
{
    for (int s = 0; s < DV_OUTPUTS_COUNT; s++)
        for (size_t i = 0; i < dv_output_sets[s].n; i++)
            if (!strcmp(dv_output_sets[s].files[i].name, name)) return &dv_output_sets[s];
    return NULL;
}

enum { MAX_MARKED = 32 };

/* Undo the commit of a run that was killed between its renames: its
 * marker says which outputs existed before ('1'); those come back from
 * their backups, the others (new files) go. Each flag belongs to the name
 * on its own line, and only names of outputs are acted on, so that a
 * marker cannot make divert touch any other file. A marker of flags alone
 * comes from a divert that wrote only the scan's set. */
static void roll_back(const char *dir, long pid)
{
    char *marker = dv_xasprintf("%s/.commit-%ld", dir, pid);
    FILE *f = fopen(marker, "r");
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
    for (size_t i = 0; i < n; i++) {
        char *final = dv_xasprintf("%s/%s", dir, marked[i].name);
        char *backup = dv_xasprintf("%s/.%s.prev-%ld", dir, marked[i].name, pid);
        if (marked[i].had) rename(backup, final);
        else unlink(final);
        free(final);
        free(backup);
    }
    if (n)
        fprintf(stderr,
                "divert: %s: %s (process %ld) was stopped while replacing the outputs; "
                "the previous outputs are back in place\n",
                dir, set->run, pid);
    unlink(marker);
    free(marker);
    sync_dir(dir);
}

/* Is NAME the temporary or backup file of an output, left by a process
 * that is gone? */
static bool left_by_dead_run(const char *name)
{
    if (name[0] != '.') return false;
    for (int s = 0; s < DV_OUTPUTS_COUNT; s++)
        for (size_t i = 0; i < dv_output_sets[s].n; i++) {
            const char *out = dv_output_sets[s].files[i].name;
            size_t n = strlen(out);
            long pid;
            if (strncmp(name + 1, out, n) != 0) continue;
            const char *rest = name + 1 + n;
            if ((sscanf(rest, ".tmp-%ld", &pid) == 1 || sscanf(rest, ".prev-%ld", &pid) == 1) &&
                !process_alive(pid))
                return true;
        }
    return false;
}

/* Clean up after runs that were killed: roll back an interrupted commit,
 * remove temporaries and backups whose process is gone. */
static void recover(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    long pids[64];
    int n_pids = 0;
    while ((e = readdir(d)) && n_pids < 64) {
        long pid;
        if (sscanf(e->d_name, ".commit-%ld", &pid) == 1 && !process_alive(pid)) pids[n_pids++] = pid;
    }
    closedir(d);
    for (int i = 0; i < n_pids; i++) roll_back(dir, pids[i]);
    d = opendir(dir);
    if (!d) return;
    while ((e = readdir(d))) {
        if (!left_by_dead_run(e->d_name)) continue;
        char *path = dv_xasprintf("%s/%s", dir, e->d_name);
        unlink(path);
        free(path);
    }
    closedir(d);
}

int dv_prepare_outdir(const char *dir, dv_error *err)
{
    if (!dir[0]) return dv_fail(err, DV_EXIT_INPUT, "the output directory name is empty");
    char *path = dv_xstrdup(dir);
    int rc = 0;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot create the output directory: %s", path,
                         strerror(errno));
            break;
        }
        *p = saved;
        if (!saved) break;
    }
    free(path);
    if (rc) return rc;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return dv_fail(err, DV_EXIT_INPUT, "%s: is not a directory", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return dv_fail(err, DV_EXIT_INPUT, "%s: cannot write the outputs here: %s", dir,
                       strerror(errno));
    recover(dir);
    return 0;
}

/* Write one output into its temporary file. */
static int write_temp(const char *dir, const char *tmp, const dv_output *out, dv_pipeline *p,
                      double t0, dv_error *err)
{
    FILE *f = fopen(tmp, "w");
    if (!f) {
        /* a directory we may not write into is the user's to fix, not ours */
        int e = errno;
        bool ours = e == ENOMEM || e == EMFILE || e == ENFILE || e == EIO || e == ENOSPC;
        return dv_fail(err, ours ? DV_EXIT_INTERNAL : DV_EXIT_INPUT,
                       "%s: cannot write the outputs here: %s", dir, strerror(e));
    }
    p->seconds[DV_STAGE_WRITE] = dv_now() - t0;
    int rc = out->write(f, p);
    if (ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0) rc = DV_EXIT_INTERNAL;
    if (fclose(f) != 0) rc = DV_EXIT_INTERNAL;
    if (rc) return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write: %s", tmp, strerror(errno));
    return 0;
}

/* The commit marker: which outputs existed, for a roll back after a kill. */
static int write_marker(const char *dir, const char *marker, const dv_output_set *set,
                        const bool *had_old, dv_error *err)
{
    FILE *m = fopen(marker, "w");
    if (!m) return dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write: %s", marker, strerror(errno));
    for (size_t i = 0; i < set->n; i++) fputc(had_old[i] ? '1' : '0', m);
    fputc('\n', m);
    for (size_t i = 0; i < set->n; i++) fprintf(m, "%s\n", set->files[i].name);
    int rc = 0;
    if (ferror(m) || fflush(m) != 0 || fsync(fileno(m)) != 0)
        rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write: %s", marker, strerror(errno));
    fclose(m);
    sync_dir(dir);
    return rc;
}

int dv_commit_outputs(const char *dir, const dv_output_set *set, dv_pipeline *p, dv_error *err)
{
    int rc = dv_prepare_outdir(dir, err);
    if (rc) return rc;
    double t0 = dv_now();
    long pid = (long)getpid();
    size_t n = set->n;
    char **tmp = dv_xcalloc(n, sizeof *tmp), **final = dv_xcalloc(n, sizeof *final);
    char **backup = dv_xcalloc(n, sizeof *backup);
    bool *had_old = dv_xcalloc(n, sizeof *had_old);
    size_t made = 0, renamed = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        final[i] = dv_xasprintf("%s/%s", dir, set->files[i].name);
        tmp[i] = dv_xasprintf("%s/.%s.tmp-%ld", dir, set->files[i].name, pid);
        rc = write_temp(dir, tmp[i], &set->files[i], p, t0, err);
        made = i + 1;
    }
    /* keep the old outputs reachable until every new one is in place */
    for (size_t i = 0; i < n && !rc; i++) {
        backup[i] = dv_xasprintf("%s/.%s.prev-%ld", dir, set->files[i].name, pid);
        unlink(backup[i]);
        had_old[i] = link(final[i], backup[i]) == 0;
    }
    char *marker = dv_xasprintf("%s/.commit-%ld", dir, pid);
    if (!rc) rc = write_marker(dir, marker, set, had_old, err);
    for (size_t i = 0; i < n && !rc; i++) {
        if (rename(tmp[i], final[i]) != 0)
            rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot rename into place: %s", final[i],
                         strerror(errno));
        else
            renamed = i + 1;
    }
    if (rc) {
        /* roll back: the old file where there was one, nothing where not */
        for (size_t i = 0; i < renamed; i++) {
            if (had_old[i]) rename(backup[i], final[i]);
            else unlink(final[i]);
        }
        for (size_t i = 0; i < made; i++) unlink(tmp[i]);
    } else {
        sync_dir(dir);
        p->seconds[DV_STAGE_WRITE] = dv_now() - t0;
    }
    /* the new set (or the old one, rolled back) is complete: drop the
     * marker first, then the backups it refers to */
    unlink(marker);
    free(marker);
    for (size_t i = 0; i < n; i++) {
        if (backup[i]) unlink(backup[i]);
        free(backup[i]);
        free(tmp[i]);
        free(final[i]);
    }
    free(backup);
    free(tmp);
    free(final);
    free(had_old);
    return rc;
}
