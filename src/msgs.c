/*
 * msgs.c: messages, progress and the summaries the commands print
 * (msgs.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "divert/msgs.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* s as it may go to a terminal (dv_escape_text), into a buffer of the
 * caller's that it empties first. */
static const char *shown(dv_buf *b, const char *s)
{
    b->len = 0;
    dv_escape_text(s, strlen(s), b);
    return b->data;
}

void dv_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = dv_xvasprintf(fmt, ap);
    va_end(ap);
    dv_buf b = {0};
    fprintf(stderr, "divert: %s\n", shown(&b, text));
    dv_buf_free(&b);
    free(text);
}

void dv_say(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = dv_xvasprintf(fmt, ap);
    va_end(ap);
    dv_buf b = {0};
    fprintf(f, "%s\n", shown(&b, text));
    dv_buf_free(&b);
    free(text);
}

/* ---- progress on a terminal ---- */

static void reading(void *ctx, const char *name, unsigned long long bytes)
{
    dv_term_progress *p = ctx;
    double now = dv_now();
    if (!p->on || now - p->last < 0.25) return;
    p->last = now;
    p->shown = true;
    dv_buf b = {0};
    fprintf(stderr, "\rdivert: reading %s: %.1f MB   ", shown(&b, name), (double)bytes / 1e6);
    dv_buf_free(&b);
    fflush(stderr);
}

static void searching(void *ctx, size_t done, size_t total)
{
    dv_term_progress *p = ctx;
    double now = dv_now();
    if (!p->on || (now - p->last < 0.25 && done < total)) return;
    p->last = now;
    p->shown = true;
    fprintf(stderr, "\rdivert: searching routes: item entry %zu of %zu          ", done, total);
    fflush(stderr);
}

static void done(void *ctx)
{
    dv_term_progress *p = ctx;
    if (p->shown) fputs("\r\033[K", stderr);
    p->shown = false;
}

dv_progress dv_term_progress_init(dv_term_progress *tp, bool quiet)
{
    tp->on = !quiet && isatty(STDERR_FILENO);
    tp->last = 0;
    tp->shown = false;
    dv_progress p = {reading, searching, done, tp};
    return p;
}

/* ---- paragraphs and tables ---- */

void dv_print_hanging(FILE *f, const char *first, size_t indent, const char *text, size_t width)
{
    dv_buf b = {0}, safe = {0};
    shown(&safe, text); /* summaries quote paths and names */
    /* a name as long as the indent still gets a space before its text */
    if (first[0] && strlen(first) >= indent) dv_buf_printf(&b, "%s %s", first, safe.data);
    else dv_buf_printf(&b, "%-*s%s", (int)indent, first, safe.data);
    dv_buf_free(&safe);
    const char *line = b.data;
    bool lead = true;
    while (*line) {
        size_t room = lead ? width : width - indent, len = strlen(line);
        size_t cut = len;
        if (len > room) {
            cut = room;
            while (cut > 0 && line[cut] != ' ') cut--;
            if (cut == 0) cut = strcspn(line, " ");
        }
        fprintf(f, "%*s%.*s\n", lead ? 0 : (int)indent, "", (int)cut, line);
        line += cut;
        while (*line == ' ') line++;
        lead = false;
    }
    dv_buf_free(&b);
}

void dv_print_wrapped(FILE *f, const char *text, size_t width)
{
    dv_print_hanging(f, "", 0, text, width);
}

/* The file a reject's table names: a table, or one of the list files. */
static const char *reject_path(const dv_dataset *ds, const dv_reject *r)
{
    for (size_t k = 0; k < ds->n_lists; k++)
        if (!strcmp(r->table, ds->lists[k].label)) return ds->lists[k].path;
    for (int k = 0; k < DV_T_COUNT; k++)
        if (!strcmp(r->table, dv_table_names[k])) return ds->tables[k].path;
    return r->table;
}

void dv_print_rejects(const dv_dataset *ds, size_t most)
{
    for (size_t i = 0; i < ds->n_rejects && i < most; i++) {
        const dv_reject *r = &ds->rejects[i];
        dv_msg("%s:%ld: %s%s%s: %s", reject_path(ds, r), r->line, r->column,
               r->column[0] ? ": " : "", r->code, r->detail);
    }
    if (ds->n_rejects > most) dv_msg("... and %zu more rejected rows", ds->n_rejects - most);
}

void dv_print_skipped(const dv_dataset *ds)
{
    for (size_t k = 0; k < ds->n_lists; k++) {
        const dv_list_file *lf = &ds->lists[k];
        if (lf->rows_skipped)
            dv_msg("%s: %ld row%s skipped, not screened: %s", lf->path, lf->rows_skipped,
                   lf->rows_skipped == 1 ? "" : "s", lf->skipped_why ? lf->skipped_why : "not parties");
        if (lf->note) dv_msg("%s: %s", lf->path, lf->note);
    }
}

void dv_table_counts(FILE *f, const dv_dataset *ds, long *read, long *loaded, long *rejected)
{
    *read = *loaded = *rejected = 0;
    dv_buf a = {0}, b = {0};
    int width = 10; /* the longest table or list file name */
    for (size_t k = 0; k < ds->n_lists; k++)
        if ((int)strlen(ds->lists[k].label) > width) width = (int)strlen(ds->lists[k].label);
    for (int t = 0; t < DV_T_COUNT; t++) {
        const dv_table_info *info = &ds->tables[t];
        if (!info->reference) {
            *read += info->rows_read;
            *loaded += info->rows_loaded;
            *rejected += info->rows_rejected;
        }
        if (f && t == DV_T_WATCHLIST && ds->n_lists) {
            for (size_t k = 0; k < ds->n_lists; k++) /* each list file on its own */
                fprintf(f, "  %-*s %8ld rows read, %8ld loaded, %6ld rejected  %s\n", width,
                        shown(&a, ds->lists[k].label), ds->lists[k].rows_read,
                        ds->lists[k].rows_loaded, ds->lists[k].rows_rejected,
                        shown(&b, ds->lists[k].path));
        } else if (f && info->present) {
            fprintf(f, "  %-*s %8ld rows read, %8ld loaded, %6ld rejected  %s\n", width,
                    dv_table_names[t], info->rows_read, info->rows_loaded, info->rows_rejected,
                    shown(&b, info->path));
        }
    }
    dv_buf_free(&a);
    dv_buf_free(&b);
}

void dv_output_names(const dv_output_set *set, const char *needs, const char *sep, dv_buf *out)
{
    for (size_t i = 0, n = 0; i < set->n; i++) {
        const char *f = set->files[i].needs;
        if (needs ? !f || strcmp(f, needs) : f != NULL) continue;
        if (n++) dv_buf_puts(out, sep);
        dv_buf_puts(out, set->files[i].name);
    }
}
