/*
 * reference.h: the reference tables compiled into divert.
 *
 * datasets/reference/countries.csv and items.csv are embedded at build
 * time (cmake/embed.cmake), so that a dataset without its own countries or
 * items table loads wherever divert is installed. The bytes are static
 * and read-only.
 */
#ifndef DIVERT_REFERENCE_H
#define DIVERT_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "divert/dataset.h"

/* The embedded table standing in for table t: its bytes and the name
 * messages give it ("(reference) countries.csv"). False when t has none. */
bool dv_reference_table(dv_table_id t, const char **data, size_t *len, const char **name);

#endif
