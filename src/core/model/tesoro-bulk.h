/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What the bulk operations (import, export of contacts, batch edit) share.
 *
 * Every bulk operation is synchronous and may run on a worker thread (a
 * GTask) with a TesoroStore of that thread's own, opened on the same file:
 * SQLite's WAL lets the window's connection read beside it. Each is one
 * transaction: it happens completely or not at all. Cancelling (through the
 * GCancellable) or an error rolls everything back, and a process killed
 * half-way leaves nothing, because the transaction never committed. Files
 * are written atomically (tesoro-export.h), so a cancelled export leaves no
 * half file either.
 *
 * The store that ran the operation emits "contact-changed" after the
 * commit, on the thread that ran it; the window's own store does not see
 * it and should reload its views when the task completes.
 */

/**
 * TesoroProgressFunc:
 * @done: how much is done
 * @total: how much there is in all; 0 when unknown
 * @user_data: the data given with the function
 *
 * Reports the progress of a bulk operation, from the thread that runs it,
 * at most about ten times a second and once at the end (@done == @total).
 * What is counted depends on the operation: bytes of the file for an
 * import, contacts for an export and a batch edit. A GUI forwards it to the
 * main thread (g_idle_add() or g_main_context_invoke()).
 */
typedef void (*TesoroProgressFunc) (guint64  done,
                                    guint64  total,
                                    gpointer user_data);

G_END_DECLS
