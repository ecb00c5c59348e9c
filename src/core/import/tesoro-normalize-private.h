/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-normalize.h"

G_BEGIN_DECLS

/* What the parts of the normalisation toolbox share: tesoro-normalize.c
 * (text, e-mail addresses, tags, labels, consent, addresses),
 * -names.c, -dates.c and -phones.c (with countries). */

/* Values longer than this are not names, dates or phone numbers: refuse
 * them before doing any work on them. */
#define MAX_VALUE_BYTES 1024

char     *_tesoro_normalize_compact_fold (const char         *text,
                                          gboolean            keep_apostrophe);
gboolean  _tesoro_normalize_in_list      (const char         *needle,
                                          const char * const *list);
gboolean  _tesoro_normalize_too_long     (const char         *text,
                                          GError            **error);

G_END_DECLS
