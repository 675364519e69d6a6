/*
 * given_names.h: the given names that are one name in several languages'
 * forms and romanisations (given_names.c), for tokensim.c alone, which
 * folds the spellings of a class to one (dv_tok_fold) so that they pair
 * at DV_GIVEN_NAME_SIM. Data only.
 */
#ifndef DIVERT_GIVEN_NAMES_H
#define DIVERT_GIVEN_NAMES_H

/* One class a string: its spellings in ASCII upper case, apart at single
 * spaces, the first the one shown. Ends with NULL. */
extern const char *const dv_given_name_classes[];

#endif
