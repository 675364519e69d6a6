/*
 * name_tables.h: the tables of name normalisation (name_tables.c), for
 * names.c alone: legal forms with their jurisdictions, business words,
 * and the countries a name may give in parentheses. Each table ends with
 * a row of NULLs.
 */
#ifndef DIVERT_NAME_TABLES_H
#define DIVERT_NAME_TABLES_H

/* The most rows of each table, NULL row included (checked where they are
 * defined): names.c sizes its indexes by them. */
enum { DV_NAME_MAX_FORMS = 512, DV_NAME_MAX_WORDS = 1024 };

typedef struct dv_legal_form_row {
    const char *form;               /* its tokens; '^' first: also at a name's start */
    const char *where;              /* ISO 3166 codes, space-separated; "" any */
} dv_legal_form_row;

/* a spelling of a business word (from) and how it is read (to) */
typedef struct dv_word_row {
    const char *from, *to;
} dv_word_row;

typedef struct dv_paren_country {
    const char *code, *names;       /* names separated by '|' */
} dv_paren_country;

extern const dv_legal_form_row dv_legal_forms[];
extern const dv_word_row dv_business_words[];
extern const dv_paren_country dv_paren_countries[];

#endif
