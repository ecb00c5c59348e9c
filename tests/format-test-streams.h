/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Input streams for the CSV and vCard tests and fuzzers. */

/* Appends the next piece of data to @out; returns FALSE at the end. */
typedef gboolean (*FormatTestGenerateFunc) (GString  *out,
                                            gpointer  user_data);

GInputStream *format_test_gen_stream_new     (FormatTestGenerateFunc  func,
                                              gpointer                user_data);
GInputStream *format_test_trickle_stream_new (const void             *data,
                                              gsize                   length,
                                              gsize                   max_read);
glong         format_test_peak_rss_kib       (void);

G_END_DECLS
