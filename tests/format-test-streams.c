/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "format-test-streams"

#include "config.h"

#include "format-test-streams.h"

#include <string.h>
#include <sys/resource.h>

/* A stream that makes its data up as it is read, so that tests can read
 * hundreds of megabytes without holding them. */

#define FORMAT_TEST_TYPE_GEN_STREAM (format_test_gen_stream_get_type ())
G_DECLARE_FINAL_TYPE (FormatTestGenStream, format_test_gen_stream, FORMAT_TEST, GEN_STREAM, GInputStream)

struct _FormatTestGenStream
{
  GInputStream            parent_instance;
  FormatTestGenerateFunc  func;
  gpointer                user_data;
  GString                *pending;
  gsize                   pos;
  gboolean                done;
};

G_DEFINE_FINAL_TYPE (FormatTestGenStream, format_test_gen_stream, G_TYPE_INPUT_STREAM)

static gssize
format_test_gen_stream_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  FormatTestGenStream *self = FORMAT_TEST_GEN_STREAM (stream);
  gsize n;

  while (self->pos == self->pending->len && !self->done)
    {
      g_string_truncate (self->pending, 0);
      self->pos = 0;
      if (!self->func (self->pending, self->user_data))
        self->done = TRUE;
    }

  n = MIN (count, self->pending->len - self->pos);
  memcpy (buffer, self->pending->str + self->pos, n);
  self->pos += n;

  return (gssize) n;
}

static void
format_test_gen_stream_finalize (GObject *object)
{
  g_string_free (FORMAT_TEST_GEN_STREAM (object)->pending, TRUE);
  G_OBJECT_CLASS (format_test_gen_stream_parent_class)->finalize (object);
}

static void
format_test_gen_stream_class_init (FormatTestGenStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = format_test_gen_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = format_test_gen_stream_read;
}

static void
format_test_gen_stream_init (FormatTestGenStream *self)
{
  self->pending = g_string_new (NULL);
}

GInputStream *
format_test_gen_stream_new (FormatTestGenerateFunc func,
                            gpointer               user_data)
{
  FormatTestGenStream *self = g_object_new (FORMAT_TEST_TYPE_GEN_STREAM, NULL);

  self->func = func;
  self->user_data = user_data;
  return G_INPUT_STREAM (self);
}

/* A stream over a buffer that hands out at most a few bytes per read, so
 * that every chunk boundary falls somewhere else. */

#define FORMAT_TEST_TYPE_TRICKLE_STREAM (format_test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (FormatTestTrickleStream, format_test_trickle_stream, FORMAT_TEST, TRICKLE_STREAM, GInputStream)

struct _FormatTestTrickleStream
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         length;
  gsize         pos;
  gsize         max_read;
};

G_DEFINE_FINAL_TYPE (FormatTestTrickleStream, format_test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
format_test_trickle_stream_read (GInputStream  *stream,
                                 void          *buffer,
                                 gsize          count,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  FormatTestTrickleStream *self = FORMAT_TEST_TRICKLE_STREAM (stream);
  gsize n = MIN (MIN (count, self->max_read), self->length - self->pos);

  memcpy (buffer, self->data + self->pos, n);
  self->pos += n;

  return (gssize) n;
}

static void
format_test_trickle_stream_class_init (FormatTestTrickleStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = format_test_trickle_stream_read;
}

static void
format_test_trickle_stream_init (FormatTestTrickleStream *self)
{
}

/* @data must outlive the stream. */
GInputStream *
format_test_trickle_stream_new (const void *data,
                                gsize       length,
                                gsize       max_read)
{
  FormatTestTrickleStream *self = g_object_new (FORMAT_TEST_TYPE_TRICKLE_STREAM, NULL);

  self->data = data;
  self->length = length;
  self->max_read = MAX (max_read, 1);
  return G_INPUT_STREAM (self);
}

/* The process's peak resident memory so far. */
glong
format_test_peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}
