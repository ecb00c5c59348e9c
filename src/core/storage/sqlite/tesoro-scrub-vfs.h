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
 * The pages written into the write-ahead log are scrubbed as well (their
 * checksums computed again): another program may checkpoint the log into
 * the database file, without this VFS.
 */

/* sqlite3_file_control() op: rewrite the database file's pages that hold
 * stale bytes; the argument is an int, the number of pages rewritten. Only
 * inside a write transaction while the write-ahead log is empty
 * (SQLITE_BUSY otherwise). */
#define TESORO_SCRUB_FCNTL_WHOLE_FILE 0x54e50001

const char *tesoro_scrub_vfs_get_name (void);

gboolean    _tesoro_scrub_page        (guint8     *page,
                                       gsize       page_size,
                                       gboolean    first_page);

G_END_DECLS
