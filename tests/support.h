/*
 * support.h: what the unit tests share. A test writes a small dataset as
 * strings, loads it, and asserts on the typed tables or on the result.
 */
#ifndef DIVERT_TEST_SUPPORT_H
#define DIVERT_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "divert/config.h"
#include "divert/dataset.h"
#include "divert/detect.h"
#include "divert/graph.h"
#include "divert/pipeline.h"
#include "divert/result.h"
#include "divert/screen.h"

/* Make a temporary directory holding the given files: pairs of
 * (file name, contents), ending with NULL. Returns its path (heap). */
char *dvt_dataset(const char *name, ...);

/* Write one file (name inside dir). */
void dvt_write(const char *dir, const char *name, const void *data, size_t len);

/* Remove a directory made by dvt_dataset, and free the path. */
void dvt_remove(char *dir);

/* Load a dataset with cfg (defaults when NULL); asserts the load status. */
void dvt_load(dv_dataset *ds, const char *dir, const dv_config *cfg, int expect_status,
              dv_error *err);

/* A whole scan into memory, through the pipeline the command runs: load,
 * screen, graph, detect. Caller frees with dvt_scan_free. */
void dvt_scan_run(dv_pipeline *s, const char *dir, const dv_config *cfg);
void dvt_scan_free(dv_pipeline *s);

/* Path of an alert as "A>B>C" (static buffer). */
const char *dvt_path(const dv_pipeline *s, const dv_alert *a);
/* The alert with this path, or NULL. */
const dv_alert *dvt_find(const dv_pipeline *s, const char *path);

/* The default screening threshold (config.c's table). */
double dvt_screen_threshold(void);

/* Path of a file under tests/data (heap). */
char *dvt_data(const char *rel);

/* Rows shared by many tests: countries with known scores. */
extern const char *const dvt_countries_csv;
extern const char *const dvt_items_csv;

/* The human-rights fixture (issue #12): parties with sectors (police and
 * a hospital in KZ, civil liberties 0.23 under no embargo; police in RS,
 * 0.62; a clinic and police in RU, embargoed; police in QQ, a country the
 * table lacks), and items with the human_rights flag: 3A981 (crime
 * control, 1), 5A002 (controlled, 0), 852589 (not listed, 1), 847190 (not
 * listed, 0). dvt_hr_scan writes them with dvt_countries_csv and the
 * given shipments, licences and watchlist (NULL: none) and scans. */
extern const char *const dvt_hr_entities_csv;
extern const char *const dvt_hr_items_csv;
void dvt_hr_scan(dv_pipeline *s, const char *shipments, const char *licences,
                 const char *watchlist, const dv_config *cfg);

#endif
