/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest accepted values, in bytes. A name or label longer than a short
 * paragraph is a mistake or an attack; a note may be long, but not a book. */
#define TESORO_MAX_SHORT_TEXT 1024
#define TESORO_MAX_LONG_TEXT  (1024 * 1024)
/* Search tokens are cut to this many bytes (at a character boundary). */
#define TESORO_MAX_TOKEN 64

char      *tesoro_uuid_new              (void);
char      *tesoro_now_iso               (void);
char      *tesoro_iso_from_date_time    (GDateTime   *dt);
GDateTime *tesoro_date_time_from_iso    (const char  *iso);
char      *tesoro_iso_ago               (gint64       days,
                                         gint         years);
char      *tesoro_normalize_timestamp   (const char  *text,
                                         gboolean     allow_date_only,
                                         GError     **error);
gboolean   tesoro_is_valid_date         (const char  *text);
gboolean   tesoro_is_valid_email        (const char  *text);
gboolean   tesoro_is_valid_uid          (const char  *text);
char      *tesoro_fold                  (const char  *text);
gboolean   tesoro_check_text            (const char  *field,
                                         const char  *value,
                                         gsize        max_bytes,
                                         GError     **error);
char      *tesoro_format_timestamp_local (const char *iso);
char      *tesoro_format_local_input   (const char  *iso);
char      *tesoro_parse_local_datetime (const char  *text,
                                        GError     **error);

/* g_set_str() arrived in GLib 2.76; Tesoro builds against 2.74. */
static inline gboolean
tesoro_set_str (char       **str_pointer,
                const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

G_END_DECLS
