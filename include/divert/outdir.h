/*
 * outdir.h: the output directory, and the atomic commit of an output set.
 *
 * A command that writes outputs opens its directory once, before the
 * load (dv_outdir_open): created if missing, refused if other users can
 * write into it, locked against other runs into it until the command is
 * done, and cleaned of what killed runs left. Every file divert then
 * makes there is made relative to that open directory, never through a
 * symbolic link and never over a file it did not create. Every file of a
 * set (report.h) is written to a hidden temporary file, flushed and
 * fsync'd; only when all are complete are they renamed over the old ones,
 * so a command that fails or is killed leaves the previous set in place,
 * complete. outdir.c says how a kill between two renames is undone.
 */
#ifndef DIVERT_OUTDIR_H
#define DIVERT_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "divert/pipeline.h"
#include "divert/report.h"

/* The name of the lock file in an output directory; it is there only
 * while a run holds the directory (or after a run was killed). */
#define DV_OUTDIR_LOCK ".divert.lock"

/* What the command line says about the output directory. */
typedef struct dv_outdir_opts {
    bool allow_shared;   /* --allow-shared-out: write even where other users can write */
    bool no_wait;        /* --no-wait: fail at once when another run holds the directory */
} dv_outdir_opts;

/* An output directory, open and locked by this run. Filled by
 * dv_outdir_open, emptied by dv_outdir_close. */
typedef struct dv_outdir {
    char *path;          /* the directory as given (owned); NULL when not open */
    int fd;              /* the directory itself, opened O_DIRECTORY|O_NOFOLLOW */
    int lock_fd;         /* DV_OUTDIR_LOCK in it, flock'd exclusively */
    char **made;         /* owned, each owned: the levels of path this open
                            created, shallowest first */
    size_t n_made;
} dv_outdir;

/* Open dir for writing outputs, so that a command fails before its load
 * rather than after it. Creates dir and its missing parents (mode 0755);
 * refuses (exit 2, naming dir) a symbolic link, what is not a directory,
 * a directory divert cannot write into, and, unless opts->allow_shared, one
 * another user can write into (group- or world-writable without the
 * sticky bit, except a group-writable one whose group is its owner's own,
 * or owned by another user than the caller or root). Then takes the
 * directory's lock: when another run holds it, says so once on stderr and
 * waits, or with opts->no_wait fails at once (exit 2). Holding the lock,
 * rolls back a commit that a killed run left half done and removes the
 * temporaries and backups killed runs left, whatever process ids they
 * carry (a run in a container is process 1 each time). opts may be NULL
 * (the defaults). On failure od is left closed, and the levels of dir this
 * call created are removed again. */
int dv_outdir_open(dv_outdir *od, const char *dir, const dv_outdir_opts *opts, dv_error *err);

/* Write every file of set from p into the open directory: either all are
 * replaced or none is. The time spent writing goes to
 * p->seconds[DV_STAGE_WRITE], kept up to date before each writer runs (so
 * that summary.json, written last, reports the time spent on the others)
 * and set in full once the set is in place. A full disk or quota, or a
 * directory where an output goes, is exit 2 (dv_outdir_status), with a
 * message naming the file and the reason. */
int dv_outdir_commit(dv_outdir *od, const dv_output_set *set, dv_pipeline *p, dv_error *err);

/* Release the directory's lock (removing the lock file) and close it;
 * the levels of the path that dv_outdir_open created are removed if they
 * are still empty (a run that failed before writing leaves no directory
 * of its own behind; one the user made stays). Accepts NULL and a closed
 * or zeroed od; leaves od zeroed. */
void dv_outdir_close(dv_outdir *od);

/* Open dir with the default options, commit set, close. */
int dv_commit_outputs(const char *dir, const dv_output_set *set, dv_pipeline *p, dv_error *err);

/* The exit status of an errno met while writing into the output
 * directory: DV_EXIT_INPUT for what the user can put right there (a full
 * disk or quota, a file too large for the file system, a read-only file
 * system, permissions, a directory or another file in the way of an
 * output, a name too long), DV_EXIT_INTERNAL for the rest (an I/O error,
 * no memory, no file descriptors). */
int dv_outdir_status(int errnum);

#endif
