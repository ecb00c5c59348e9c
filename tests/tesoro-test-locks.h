/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The record locks the kernel lists in /proc/locks for the file at @path
 * (POSIX and open-file-description locks of every process), and what a
 * file chooser, a thumbnailer or GIO does to a file: open, read, close. */
guint tesoro_test_count_locks      (const char *path);
void  tesoro_test_open_read_close  (const char *path);

G_END_DECLS
