/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize     (int            *argc,
                              char         ***argv);
int LLVMFuzzerTestOneInput   (const uint8_t  *data,
                              size_t          size);

/* A broken promise of the code under test: report it and crash, so that
 * libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        fprintf (stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
        fprintf (stderr, __VA_ARGS__); \
        fputc ('\n', stderr); \
        abort (); \
      } \
  } G_STMT_END

static inline gboolean
fuzz_text_ok (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

/* Criticals and warnings are bugs too. */
static inline void
fuzz_setup (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

G_END_DECLS
