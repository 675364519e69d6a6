/*
 * outdir.c: writing the outputs of a scan atomically.
 *
 * Every output is first written to a hidden temporary file in the output
 * directory, flushed and fsync'd. Only when all of them are complete are
 * they renamed over the old ones, back to back, then the directory is
 * fsync'd. A scan that fails or is killed before that point leaves the
 * previous outputs as they were, and its temporaries are removed on failure.
 *
 * Four renames are not one atomic step, so the old outputs are first
 * hard-linked to hidden backups and a commit marker (.commit-PID, saying
 * which outputs existed before) is written and synced. If a rename fails,
 * the files already replaced are put back at once. If the process is
 * killed between two renames, the next scan into the directory finds the
 * marker of a process that no longer runs and puts the old set back from
 * the backups before anything else; it also removes the temporaries that
 * killed scans left behind.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "divert/report.h"
#include "divert/screen.h"

enum { N_OUT = 4 };
static const char *const out_names[N_OUT] = {"alerts.csv", "routes.csv", "rejects.csv",
                                             "summary.json"};

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

/* Undo the commit of a scan that was killed between its renames: its
 * marker says which outputs existed before; those come back from their
 * backups, the others (new files) go. */
static void roll_back(const char *dir, long pid)
{
    char *marker = dv_xasprintf("%s/.commit-%ld", dir, pid);
    FILE *f = fopen(marker, "r");
    char had[N_OUT + 2] = "";
    if (f) {
        if (!fgets(had, sizeof had, f)) had[0] = '\0';
        fclose(f);
    }
    if (strlen(had) >= N_OUT) {
        for (int i = 0; i < N_OUT; i++) {
            char *final = dv_xasprintf("%s/%s", dir, out_names[i]);
            char *backup = dv_xasprintf("%s/.%s.prev-%ld", dir, out_names[i], pid);
            if (had[i] == '1') rename(backup, final);
            else unlink(final);
            free(final);
            free(backup);
        }
        fprintf(stderr,
                "divert: %s: a scan (process %ld) was stopped while replacing the outputs; "
                "the previous outputs are back in place\n",
                dir, pid);
    }
    unlink(marker);
    free(marker);
    sync_dir(dir);
}

/* Clean up after scans that were killed: roll back an interrupted commit,
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
    static const char *const all_names[] = {"alerts.csv", "routes.csv", "rejects.csv",
                                            "summary.json", "matches.csv"};
    while ((e = readdir(d))) {
        for (size_t i = 0; i < sizeof all_names / sizeof all_names[0]; i++) {
            size_t n = strlen(all_names[i]);
            const char *name = e->d_name, *rest = name + 1 + n;
            long pid;
            if (name[0] != '.' || strncmp(name + 1, all_names[i], n) != 0) continue;
            if ((sscanf(rest, ".tmp-%ld", &pid) == 1 || sscanf(rest, ".prev-%ld", &pid) == 1) &&
                !process_alive(pid)) {
                char *path = dv_xasprintf("%s/%s", dir, name);
                unlink(path);
                free(path);
            }
        }
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

int dv_write_outputs(const char *dir, const dv_dataset *ds, const dv_graph *g, dv_result *r,
                     const dv_config *cfg, dv_error *err)
{
    int rc = dv_prepare_outdir(dir, err);
    if (rc) return rc;
    double t0 = dv_now();
    char *tmp[N_OUT] = {0}, *final[N_OUT] = {0};
    int made = 0;
    for (int i = 0; i < N_OUT && !rc; i++) {
        final[i] = dv_xasprintf("%s/%s", dir, out_names[i]);
        tmp[i] = dv_xasprintf("%s/.%s.tmp-%ld", dir, out_names[i], (long)getpid());
        FILE *f = fopen(tmp[i], "w");
        if (!f) {
            /* a directory we may not write into is the user's to fix, not ours */
            int e = errno;
            bool ours = e == ENOMEM || e == EMFILE || e == ENFILE || e == EIO || e == ENOSPC;
            rc = dv_fail(err, ours ? DV_EXIT_INTERNAL : DV_EXIT_INPUT,
                         "%s: cannot write the outputs here: %s", dir, strerror(e));
            break;
        }
        made = i + 1;
        switch (i) {
        case 0: rc = dv_write_alerts_csv(f, ds, r, cfg); break;
        case 1: rc = dv_write_routes_csv(f, ds, r, cfg); break;
        case 2: rc = dv_write_rejects_csv(f, ds, cfg); break;
        default:
            r->t_write = dv_now() - t0;
            rc = dv_write_summary_json(f, ds, g, r, cfg);
            break;
        }
        if (fflush(f) != 0 || fsync(fileno(f)) != 0) rc = DV_EXIT_INTERNAL;
        if (fclose(f) != 0) rc = DV_EXIT_INTERNAL;
        if (rc) dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write: %s", tmp[i], strerror(errno));
    }
    /* keep the old outputs reachable until every new one is in place */
    char *backup[N_OUT] = {0};
    bool had_old[N_OUT] = {false};
    for (int i = 0; i < N_OUT && !rc; i++) {
        backup[i] = dv_xasprintf("%s/.%s.prev-%ld", dir, out_names[i], (long)getpid());
        unlink(backup[i]);
        had_old[i] = link(final[i], backup[i]) == 0;
    }
    /* the commit marker: which outputs existed, for a roll back after a kill */
    char *marker = dv_xasprintf("%s/.commit-%ld", dir, (long)getpid());
    if (!rc) {
        FILE *m = fopen(marker, "w");
        if (!m) {
            rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write: %s", marker, strerror(errno));
        } else {
            for (int i = 0; i < N_OUT; i++) fputc(had_old[i] ? '1' : '0', m);
            fputc('\n', m);
            if (fflush(m) != 0 || fsync(fileno(m)) != 0)
                rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write: %s", marker, strerror(errno));
            fclose(m);
            sync_dir(dir);
        }
    }
    int renamed = 0;
    for (int i = 0; i < N_OUT && !rc; i++) {
        if (rename(tmp[i], final[i]) != 0)
            rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot rename into place: %s", final[i],
                         strerror(errno));
        else
            renamed = i + 1;
    }
    if (rc) {
        /* roll back: the old file where there was one, nothing where not */
        for (int i = 0; i < renamed; i++) {
            if (had_old[i]) rename(backup[i], final[i]);
            else unlink(final[i]);
        }
        for (int i = 0; i < made; i++) unlink(tmp[i]);
    } else {
        sync_dir(dir);
    }
    /* the new set (or the old one, rolled back) is complete: drop the
     * marker first, then the backups it refers to */
    unlink(marker);
    free(marker);
    for (int i = 0; i < N_OUT; i++) {
        if (backup[i]) unlink(backup[i]);
        free(backup[i]);
    }
    for (int i = 0; i < N_OUT; i++) {
        free(tmp[i]);
        free(final[i]);
    }
    return rc;
}

int dv_write_matches(const char *dir, const dv_dataset *ds, const dv_matches *m,
                     const dv_config *cfg, dv_error *err)
{
    int rc = dv_prepare_outdir(dir, err);
    if (rc) return rc;
    char *final = dv_xasprintf("%s/matches.csv", dir);
    char *tmp = dv_xasprintf("%s/.matches.csv.tmp-%ld", dir, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        rc = dv_fail(err, DV_EXIT_INPUT, "%s: cannot write the outputs here: %s", dir,
                     strerror(errno));
    } else {
        bool g = cfg->csv_formula_guard;
        fputs("entity_id,entity_name,list_id,list_name,source,score,explanation\n", f);
        for (size_t i = 0; i < m->n; i++) {
            const dv_match *x = &m->m[i];
            const dv_watch *w = &ds->watchlist[x->watch];
            dv_csv_cell(f, ds->entities[x->entity].id, g);
            fputc(',', f);
            dv_csv_cell(f, x->entity_name, g);
            fputc(',', f);
            dv_csv_cell(f, w->id ? w->id : "", g);
            fputc(',', f);
            dv_csv_cell(f, x->list_name, g);
            fputc(',', f);
            dv_csv_cell(f, w->source ? w->source : "", g);
            fprintf(f, ",%.3f,", x->score);
            dv_csv_cell(f, x->explanation, g);
            fputc('\n', f);
        }
        if (ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0) rc = DV_EXIT_INTERNAL;
        if (fclose(f) != 0) rc = DV_EXIT_INTERNAL;
        if (rc) dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot write: %s", tmp, strerror(errno));
        else if (rename(tmp, final) != 0)
            rc = dv_fail(err, DV_EXIT_INTERNAL, "%s: cannot rename into place: %s", final,
                         strerror(errno));
        if (rc) unlink(tmp);
        else sync_dir(dir);
    }
    free(tmp);
    free(final);
    return rc;
}
