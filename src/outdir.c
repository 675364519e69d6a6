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
 * hard-linked to hidden backups: if a rename fails part-way, the files
 * already replaced are put back from them. (Only a kill in the microseconds
 * between two renames could leave a mix of old and new.)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "divert/report.h"

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
    return 0;
}

enum { N_OUT = 4 };
static const char *const out_names[N_OUT] = {"alerts.csv", "routes.csv", "rejects.csv",
                                             "summary.json"};

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
        int fd = open(dir, O_RDONLY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
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
