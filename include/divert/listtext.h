/*
 * listtext.h: the text of watchlist files as the lists write it, for the
 * list parsers (lists.c): Windows-1252 rows (OFSI's ConList.csv) made
 * UTF-8, and a country's name or nationality as its ISO 3166 code.
 */
#ifndef DIVERT_LISTTEXT_H
#define DIVERT_LISTTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/csvread.h"
#include "divert/dataset.h"
#include "divert/loader.h"
#include "divert/util.h"

/* A row with its fields made UTF-8: row points into the rest. */
typedef struct dv_conv_row {
    dv_csv_row row;
    const char **fields;
    size_t *lens;
    uint64_t *hashes;
    dv_buf text;
    size_t *at;
} dv_conv_row;

/* When a field of row is not valid UTF-8, read every such field as
 * Windows-1252 into c (a field already UTF-8 is kept, with its hash; a
 * converted one has hash 0, as a field a parser made) and return true;
 * free c with dv_conv_row_free. False, and c untouched, when all is UTF-8. */
bool dv_list_row_to_utf8(const dv_csv_row *row, dv_conv_row *c);
void dv_conv_row_free(dv_conv_row *c);

/* The ISO code of a country written s[0..n) as the lists write it (a
 * name, a nationality: "Syrian"), then as the dataset's countries table
 * names it, whole or without its part in parentheses; NULL if none. */
const char *dv_list_country_code(const dv_dataset *ds, const char *s, size_t n);

/* The first element of a ';'-separated list, trimmed. */
dv_field dv_list_first_of(dv_field f);

/* A CSL address's country: its last comma-separated element, when that is
 * a two-letter code ("Komitas 26/114, Yerevan, Armenia, AM"); else empty. */
dv_field dv_list_address_country(dv_field f);

/* Every country a ';'-separated field names ("cn;kp"), as upper-case
 * codes joined by ';', once each, into codes (64 bytes); returns the
 * length. One that is not a two-letter code is left out. */
size_t dv_list_country_codes(dv_field country, char codes[64]);

/* Append to codes (as dv_list_country_codes writes them, nc bytes so far)
 * every country named in text: names apart at ';', '/' and numbering
 * ("1) Saudi Arabia 2) Qatar"), each without its remark in parentheses
 * ("Afghanistan (since 2009)"). Returns the new length. */
size_t dv_list_add_country_names(const dv_dataset *ds, dv_field text, char codes[64], size_t nc);

#endif
