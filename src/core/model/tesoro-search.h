/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tesoro-field-groups.h"

G_BEGIN_DECLS

/*
 * Tesoro's search index is a plain table of (token, contact) pairs rather
 * than SQLite FTS5: an FTS5 index keeps deleted tokens inside its segments
 * until they are merged, so an erased person would stay readable in the file.
 * Rows of an ordinary B-tree are wiped by `secure_delete` the moment they are
 * deleted, which makes erasure both complete and quick.
 *
 * Every token is folded (see tesoro_fold()) and matched by prefix.
 */

typedef enum
{
  TESORO_TOKEN_WORDS,   /* names, organisation, city: every word */
  TESORO_TOKEN_EMAIL,   /* the whole address and its parts */
  TESORO_TOKEN_PHONE,   /* the digits, international and national */
} TesoroTokenKind;

/* Called for each contact id a search term matches, in no particular order. */
typedef void (*TesoroIdFunc) (gint64   id,
                              gpointer user_data);

void        tesoro_search_add_tokens   (GHashTable        *tokens,
                                        const char        *text,
                                        TesoroTokenKind    kind,
                                        TesoroFieldGroups  group);
GPtrArray  *tesoro_search_parse_query  (const char      *query);
char       *tesoro_search_prefix_end   (const char      *prefix);

G_END_DECLS
