/*
 * nameclean.h: a party name as real data holds it, taken apart before it
 * is scored (issue 17). Payment and trade messages put labels, account
 * numbers, care-of parts, addresses, registry numbers and a vessel's
 * voyage or flag around a name; lists and registers add former names and
 * branches. The cleaner finds these by evidence (a label word and its
 * colon, a SWIFT field tag, a street word or a number after a comma, a
 * registry keyword and its number, a branch word in one of the common
 * languages ...), sets them aside from the name, and turns former names,
 * a/k/a and d/b/a names into names of their own (aliases of the side they
 * came from). What was set aside is kept, for the explanation of a match.
 *
 * The cleaner owns its buffers and reuses them from one name to the next:
 * a name's results are valid until the next dv_name_clean on the same
 * cleaner. It is not for two threads at once: one cleaner a thread.
 * docs/screening.md ("Cleaning") says what is cut and what is not.
 */
#ifndef DIVERT_NAMECLEAN_H
#define DIVERT_NAMECLEAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "divert/util.h"

/* What a part of the text is, once set apart from the name. */
typedef enum dv_clean_kind {
    DV_CLEAN_LABEL,         /* a message or document label: BENEFICIARY:, :59:, SHIPPER: */
    DV_CLEAN_ACCOUNT,       /* an account number or IBAN before the name (/DE89...) */
    DV_CLEAN_CARE_OF,       /* c/o ..., care of ..., attn ... */
    DV_CLEAN_ADDRESS,       /* an address after the name */
    DV_CLEAN_REGISTRY,      /* a registry or tax number (Reg. No. 123, KRS 0000123456) */
    DV_CLEAN_VESSEL,        /* a voyage number, flag, IMO number, M/V */
    DV_CLEAN_BRANCH,        /* - Mombasa Branch, Zweigniederlassung Hamburg */
    DV_CLEAN_FORMER,        /* ex-, f/k/a, formerly: a name of its own */
    DV_CLEAN_AKA,           /* a/k/a, also known as: a name of its own */
    DV_CLEAN_TRADING_AS,    /* d/b/a, t/a, trading as: a name of its own */
    DV_CLEAN_LATER,         /* now, renamed: a name of its own */
    DV_CLEAN_KINDS
} dv_clean_kind;

/* One part set apart: where it is in the text given to dv_name_clean. */
typedef struct dv_clean_part {
    dv_clean_kind kind;
    uint32_t at, len;       /* bytes */
} dv_clean_part;

enum {
    DV_CLEAN_MAX_NAMES = 8, /* the name and at most 7 names of its own */
    DV_CLEAN_MAX_PARTS = 16,
};

typedef struct dv_cleaner dv_cleaner;

dv_cleaner *dv_cleaner_new(void);
void dv_cleaner_free(dv_cleaner *c);

/* Clean name[0..len). Returns how many names it holds, at least 1: name 0
 * is the name to score (the text itself, unchanged, when nothing was
 * found), names 1 on are the former, other and trading names it gives. */
size_t dv_name_clean(dv_cleaner *c, const char *name, size_t len);

/* Name i of the last dv_name_clean: NUL-terminated, owned by the cleaner
 * (or the text given itself, when nothing was found); *len if not NULL. */
const char *dv_clean_name(const dv_cleaner *c, size_t i, size_t *len);

/* The parts set apart by the last dv_name_clean, in the order of the
 * text; returns how many. The names of their own are parts too. */
size_t dv_clean_parts(const dv_cleaner *c, const dv_clean_part **parts);

/* Did the last dv_name_clean set apart a part of this kind? A name that
 * had a branch set aside names the branch of a legal person, which may be
 * abroad: screening does not compare its country (docs/screening.md). */
bool dv_clean_found(const dv_cleaner *c, dv_clean_kind kind);

/* Append what the last dv_name_clean of name set apart, in words
 * (`label "BENEFICIARY:" set aside, former name "OLD NAME" as an alias`),
 * marking the alias that is name `used` (if used > 0) as the one scored.
 * Nothing when nothing was set apart. Valid UTF-8 whatever the text. */
void dv_clean_explain(const dv_cleaner *c, const char *name, size_t used, dv_buf *out);

#endif
