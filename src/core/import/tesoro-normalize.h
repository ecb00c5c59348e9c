/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tesoro-records.h"

G_BEGIN_DECLS

/*
 * Normalisation of imported values: names, dates, phone numbers, e-mail
 * addresses, tags, consent and lawful-basis answers, one-line addresses.
 *
 * Pure functions: no store, no files, no global state except read-only
 * tables. Every error is a TESORO_ERROR_INVALID whose message quotes the
 * value at fault, so that an importer can show it as the problem of a row
 * (it adds the line and the column).
 */

/* Names */

/**
 * TesoroNameParts:
 * @given: the given name(s), "" when there are none
 * @family: the family name including its particles ("van der Berg"), ""
 *   when there is none
 * @prefix: titles found before the name ("Dr.", "Dhr.", "prof. dr."), or
 *   %NULL
 * @suffix: suffixes found after the name ("Jr.", "MSc"), or %NULL
 *
 * A full name split into its parts; see tesoro_split_name().
 */
typedef struct
{
  char *given;
  char *family;
  char *prefix;
  char *suffix;
} TesoroNameParts;

TesoroNameParts *tesoro_split_name          (const char      *full_name);
void             tesoro_name_parts_free     (TesoroNameParts *parts);
gboolean         tesoro_is_name_particle    (const char      *word);
gboolean         tesoro_is_name_particles   (const char      *words);
char            *tesoro_join_family_name    (const char      *particles,
                                             const char      *family_name);

/* Dates */

/**
 * TesoroDateFlags:
 * @TESORO_DATE_DEFAULT: day before month (`31-12-2024`, `31/12/24`), as in
 *   the Netherlands and most of Europe
 * @TESORO_DATE_MONTH_FIRST: month before day (`12/31/2024`), as written in
 *   the United States
 * @TESORO_DATE_BIRTHDAY: the date is a birthday: it may not lie in the
 *   future, and a two-digit year gives the latest such date not after
 *   today (on 15 June 2024, `1-3-24` is 2024-03-01, `1-7-24` is 1924-07-01
 *   and `1-3-85` is 1985-03-01). Without this flag a two-digit year lies
 *   within 79 years before and 20 years after this year.
 *
 * How to read a date whose order cannot be seen from the text itself.
 */
typedef enum
{
  TESORO_DATE_DEFAULT = 0,
  TESORO_DATE_MONTH_FIRST = 1 << 0,
  TESORO_DATE_BIRTHDAY = 1 << 1,
} TesoroDateFlags;

/**
 * TesoroDateOrder:
 * @TESORO_DATE_ORDER_UNKNOWN: the values do not tell (or contradict each other)
 * @TESORO_DATE_ORDER_DAY_FIRST: a value such as `31/12/2024` was seen
 * @TESORO_DATE_ORDER_MONTH_FIRST: a value such as `12/31/2024` was seen
 */
typedef enum
{
  TESORO_DATE_ORDER_UNKNOWN,
  TESORO_DATE_ORDER_DAY_FIRST,
  TESORO_DATE_ORDER_MONTH_FIRST,
} TesoroDateOrder;

/* The year Tesoro stores for a date without one (Google's `--03-12`, vCard's
 * `--0312`). 1604 is a leap year, so 29 February fits, and it is the
 * convention Apple's and other address books use for the same purpose;
 * writers of vCard turn it back into `--MMDD`. */
#define TESORO_DATE_NO_YEAR 1604

char            *tesoro_normalize_date      (const char      *text,
                                             TesoroDateFlags  flags,
                                             GError         **error);
gboolean         tesoro_date_is_blank       (const char      *text);
TesoroDateOrder  tesoro_guess_date_order    (const char * const *values,
                                             gssize           n_values);

/* Phone numbers */

#define TESORO_DEFAULT_PHONE_COUNTRY "NL"

char            *tesoro_normalize_phone     (const char      *text,
                                             const char      *default_country,
                                             GError         **error);
GStrv            tesoro_phone_digit_forms   (const char      *text,
                                             const char      *default_country);
const char * const *tesoro_phone_countries  (void);
gboolean         tesoro_phone_country_is_supported (const char *country);
const char      *tesoro_phone_country_get_name (const char   *country);
char            *tesoro_normalize_country   (const char      *text);

/* E-mail addresses */

char            *tesoro_normalize_email     (const char      *text,
                                             GError         **error);
GStrv            tesoro_split_email_list    (const char      *text);

/* Tags, labels and answers */

GPtrArray       *tesoro_split_tags          (const char      *text);

/**
 * TesoroDetailKind:
 * @TESORO_DETAIL_EMAIL: an e-mail address (labels work, home, other)
 * @TESORO_DETAIL_PHONE: a phone number (labels mobile, work, home, fax, other)
 * @TESORO_DETAIL_ADDRESS: a postal address (labels work, home, other)
 */
typedef enum
{
  TESORO_DETAIL_EMAIL,
  TESORO_DETAIL_PHONE,
  TESORO_DETAIL_ADDRESS,
} TesoroDetailKind;

const char * const *tesoro_detail_labels    (TesoroDetailKind kind);
const char      *tesoro_normalize_detail_label (TesoroDetailKind kind,
                                                const char      *text);

/**
 * TesoroConsentAnswer:
 * @TESORO_CONSENT_ANSWER_NONE: no answer (an empty cell)
 * @TESORO_CONSENT_ANSWER_GRANTED: consent given
 * @TESORO_CONSENT_ANSWER_WITHDRAWN: consent refused or withdrawn
 */
typedef enum
{
  TESORO_CONSENT_ANSWER_NONE,
  TESORO_CONSENT_ANSWER_GRANTED,
  TESORO_CONSENT_ANSWER_WITHDRAWN,
} TesoroConsentAnswer;

gboolean         tesoro_parse_consent       (const char          *text,
                                             TesoroConsentAnswer *answer,
                                             GError             **error);
char            *tesoro_normalize_lawful_basis (const char   *text,
                                                GError      **error);

/* Addresses */

TesoroAddress   *tesoro_parse_address_line  (const char      *text);

/* Text */

char            *tesoro_normalize_space     (const char      *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroNameParts, tesoro_name_parts_free)

G_END_DECLS
