/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A thin SQLite VFS over the default one that zeroes the unused space of
 * every B-tree page written to the main database file.
 *
 * Why: `secure_delete` zeroes a row's bytes where it is deleted, but SQLite
 * leaves stale copies of rows behind in the unallocated gap of a page (between
 * the cell-pointer array and the cell content area) when it rebuilds a page
 * while rebalancing the tree (rebuildPage() in btree.c). A row that moved to
 * another page and was deleted there later stays readable in the old page.
 * Only the main database file needs this: the write-ahead log is truncated
 * after every erasure, and pages reach the database file only through
 * checkpoints, which go through this VFS.
 */

const char *tesoro_scrub_vfs_get_name (void);

gboolean    _tesoro_scrub_page        (guint8     *page,
                                       gsize       page_size,
                                       gboolean    first_page);

G_END_DECLS
