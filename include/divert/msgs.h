/*
 * msgs.h: what the commands say to the user, in one place: messages on
 * stderr ("divert: ..."), progress on a terminal, the closing summary's
 * paragraph, the rejected rows and the per-table counts.
 */
#ifndef DIVERT_MSGS_H
#define DIVERT_MSGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "divert/dataset.h"
#include "divert/pipeline.h"
#include "divert/report.h"

/* "divert: " and the message, on stderr. Control characters in it are
 * escaped (dv_escape_text), as everything below escapes what it prints:
 * messages quote file names and values from the data. */
void dv_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A line on f, escaped likewise. */
void dv_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Progress on stderr, when it is a terminal and the user did not ask for
 * quiet: what dv_pipeline_run shows while reading and searching. */
typedef struct dv_term_progress {
    bool on;
    double last;                /* when it last wrote */
    bool shown;                 /* a line is on screen, to be cleared */
} dv_term_progress;
dv_progress dv_term_progress_init(dv_term_progress *tp, bool quiet);

/* Print a paragraph folded at spaces to lines of at most width. */
void dv_print_wrapped(FILE *f, const char *text, size_t width);
/* The same after `first`, padded to indent, with the lines after the
 * first indented as far (a help entry). */
void dv_print_hanging(FILE *f, const char *first, size_t indent, const char *text, size_t width);

/* Every rejected row as FILE:LINE: column: reason, or the first `most` of
 * them and how many more. */
void dv_print_rejects(const dv_dataset *ds, size_t most);

/* One line for each list file whose rows were skipped (vessels, aircraft:
 * not parties, not rejects): how many and why; and one for each list file
 * whose entries lack something (an SDN file without its alt.csv). */
void dv_print_skipped(const dv_dataset *ds);

/* Rows read, loaded and rejected over the dataset's own files (the
 * embedded reference tables are not counted); with f, one line a table
 * or list file. */
void dv_table_counts(FILE *f, const dv_dataset *ds, long *read, long *loaded, long *rejected);

/* The names of an output set, joined by sep, into out: with needs NULL,
 * those every run writes; else those the option needs asks for. */
void dv_output_names(const dv_output_set *set, const char *needs, const char *sep, dv_buf *out);

#endif
