/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-scrub-vfs"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "tesoro-file-locks.h"
#include "tesoro-scrub-vfs.h"

/*
 * The VFS forwards everything to the default VFS ("unix"). Its only work is
 * in xWrite on the main database file: a copy of each B-tree page has its
 * unallocated gap and the bodies of its freeblocks zeroed before it is
 * written. These bytes are unused by definition, so SQLite never reads them;
 * only someone reading the raw file would. Pages that do not parse as a
 * well-formed B-tree page (overflow, freelist and pointer-map pages, or a
 * corrupt page) are written unchanged.
 *
 * The same is done to the pages written into the write-ahead log, so that
 * whatever program checkpoints the log — a plain sqlite3 or a backup tool
 * that held a read transaction while Tesoro could not checkpoint — copies
 * clean pages. A frame is a 24-byte header and the page; the header holds
 * a checksum over the page that chains on from the frame before, and a
 * crash recovery trusts the log only as far as that chain holds. So after
 * scrubbing, the frame's checksum is computed again from the previous frame
 * in the file, and the header rewritten. SQLite keeps its own copy of the
 * chain's last value in the shared-memory index header (for the next
 * writer, which may be another program): when the write lock is released,
 * that is brought into line with the file as well.
 */

#define SCRUB_VFS_NAME "tesoro-scrub"

/* The state of the database header, as far as this file handle knows it. */
enum {
  HEADER_UNKNOWN,
  HEADER_SCRUB,      /* no auto-vacuum: every B-tree-looking page is one */
  HEADER_NO_SCRUB,   /* auto-vacuum pointer-map pages could look like B-tree pages */
};

typedef struct _ScrubFile ScrubFile;

struct _ScrubFile
{
  sqlite3_file  base;
  sqlite3_file *real;       /* the default VFS's file, allocated right after this */
  gboolean      main_db;
  gboolean      wal;
  int           header;
  int           usable_size;
  guint8       *scratch;
  int           scratch_size;
  const char   *name;       /* main database: the name SQLite opened it by */
  ScrubFile    *peer;       /* the database's log, or the log's database */
  void volatile *shm0;      /* main database: region 0 of the wal-index */
  gboolean      chain_changed; /* log: a frame checksum was rewritten */
};

/* The open main database files, by the name pointer SQLite gave them: a log
 * finds its database through sqlite3_filename_database(). */
G_LOCK_DEFINE_STATIC (databases);
static GHashTable *databases;

#define WAL_HEADER_SIZE 32
#define WAL_FRAME_HEADER_SIZE 24
#define WAL_INDEX_HEADER_SIZE 48

static sqlite3_vfs scrub_vfs;
static sqlite3_io_methods scrub_methods[3];

static inline guint
get2 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

static inline guint32
get4 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline void
put4 (guint8  *p,
      guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* SQLite's log checksum: over 32-bit words, big- or little-endian as the
 * log header says (the wal-index header uses the machine's order). */
static void
wal_checksum (gboolean      big_endian,
              const guint8 *data,
              gsize         length,
              guint32      *sums)
{
  guint32 s1 = sums[0], s2 = sums[1];

  for (gsize i = 0; i + 8 <= length; i += 8)
    {
      guint32 a, b;

      memcpy (&a, data + i, 4);
      memcpy (&b, data + i + 4, 4);
      if (big_endian)
        {
          a = GUINT32_FROM_BE (a);
          b = GUINT32_FROM_BE (b);
        }
      else
        {
          a = GUINT32_FROM_LE (a);
          b = GUINT32_FROM_LE (b);
        }
      s1 += a + s2;
      s2 += b + s1;
    }

  sums[0] = s1;
  sums[1] = s2;
}

/**
 * _tesoro_scrub_page:
 * @page: one database page
 * @page_size: its size
 * @first_page: whether it is page 1 (its B-tree header starts at byte 100)
 *
 * Zeroes the unallocated gap between the cell-pointer array and the cell
 * content area, and the bodies of the freeblocks, of a B-tree page. Nothing
 * is changed unless the whole header, the cell pointers and the freeblock
 * chain are consistent.
 *
 * Returns: whether @page was a well-formed B-tree page (and so was scrubbed)
 */
gboolean
_tesoro_scrub_page (guint8   *page,
                    gsize     page_size,
                    gboolean  first_page)
{
  guint hdr = first_page ? 100 : 0;
  guint type, n_cells, content, header_size, pointers_end;
  guint freeblock, previous_end, count;

  if (page_size < 512 || page_size > 65536 || hdr + 12 > page_size)
    return FALSE;

  type = page[hdr];
  if (type != 2 && type != 5 && type != 10 && type != 13)
    return FALSE;

  header_size = (type == 2 || type == 5) ? 12 : 8;
  n_cells = get2 (page + hdr + 3);
  content = get2 (page + hdr + 5);
  if (content == 0)
    content = 65536;
  pointers_end = hdr + header_size + 2 * n_cells;

  if (pointers_end > content || content > page_size)
    return FALSE;

  for (guint i = 0; i < n_cells; i++)
    {
      guint cell = get2 (page + hdr + header_size + 2 * i);

      if (cell < content || cell + 4 > page_size)
        return FALSE;
    }

  /* Check the freeblock chain before changing anything: ascending, inside
   * the content area, each at least four bytes. */
  previous_end = content;
  count = 0;
  for (freeblock = get2 (page + hdr + 1); freeblock != 0; freeblock = get2 (page + freeblock))
    {
      guint size;

      if (freeblock < previous_end || freeblock + 4 > page_size || ++count > page_size / 4)
        return FALSE;
      size = get2 (page + freeblock + 2);
      if (size < 4 || freeblock + size > page_size)
        return FALSE;
      previous_end = freeblock + size;
    }

  memset (page + pointers_end, 0, content - pointers_end);

  for (freeblock = get2 (page + hdr + 1); freeblock != 0; freeblock = get2 (page + freeblock))
    memset (page + freeblock + 4, 0, get2 (page + freeblock + 2) - 4);

  return TRUE;
}

static void
read_header (ScrubFile    *file,
             const guint8 *header)
{
  guint page_size = get2 (header + 16);
  guint reserved = header[20];

  if (page_size == 1)
    page_size = 65536;

  /* Bytes 52–55: the largest root page when auto-vacuum is on, else 0. */
  if (memcmp (header, "SQLite format 3", 16) != 0 ||
      header[52] != 0 || header[53] != 0 || header[54] != 0 || header[55] != 0)
    file->header = HEADER_NO_SCRUB;
  else
    file->header = HEADER_SCRUB;

  file->usable_size = (int) page_size - (int) reserved;
}

static gboolean
is_page_write (int           amount,
               sqlite3_int64 offset)
{
  return amount >= 512 && amount <= 65536 && (amount & (amount - 1)) == 0 && offset % amount == 0;
}

/* sqlite3_io_methods */

static int
scrub_close (sqlite3_file *f)
{
  ScrubFile *file = (ScrubFile *) f;
  int rc;

  G_LOCK (databases);
  if (file->main_db && databases != NULL && g_hash_table_lookup (databases, file->name) == file)
    g_hash_table_remove (databases, file->name);
  if (file->peer != NULL)
    file->peer->peer = NULL;
  file->peer = NULL;
  G_UNLOCK (databases);

  rc = file->real->pMethods->xClose (file->real);

  sqlite3_free (file->scratch);
  file->scratch = NULL;
  return rc;
}

static int
scrub_read (sqlite3_file  *f,
            void          *buffer,
            int            amount,
            sqlite3_int64  offset)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xRead (file->real, buffer, amount, offset);
}

/* A scrubbed copy of @buffer (one page) in the file's scratch buffer, or
 * @buffer itself when it is not a B-tree page or the database is not one
 * whose pages can be told apart. NULL when out of memory. */
static const void *
scrub_copy (ScrubFile  *file,
            const void *buffer,
            int         amount,
            gboolean    first_page)
{
  if (file->header != HEADER_SCRUB || file->usable_size < 480 || file->usable_size > amount)
    return buffer;

  if (file->scratch_size < amount)
    {
      sqlite3_free (file->scratch);
      file->scratch = sqlite3_malloc (amount);
      file->scratch_size = file->scratch != NULL ? amount : 0;
      if (file->scratch == NULL)
        return NULL;
    }

  memcpy (file->scratch, buffer, amount);
  return _tesoro_scrub_page (file->scratch, file->usable_size, first_page) ? file->scratch : buffer;
}

static int
read_fully (sqlite3_file  *real,
            void          *buffer,
            int            amount,
            sqlite3_int64  offset)
{
  return real->pMethods->xRead (real, buffer, amount, offset);
}

/* One page of a frame, at @offset in the log (its header is just before).
 * The page is scrubbed, and the frame's checksum computed again over what
 * is really written, chained on from the frame before it in the file. */
static int
write_wal_page (ScrubFile     *file,
                const void    *buffer,
                int            amount,
                sqlite3_int64  offset)
{
  guint8 log_header[WAL_HEADER_SIZE];
  guint8 frame[WAL_FRAME_HEADER_SIZE];
  sqlite3_int64 frame_offset = offset - WAL_FRAME_HEADER_SIZE;
  sqlite3_int64 index = (frame_offset - WAL_HEADER_SIZE) / (WAL_FRAME_HEADER_SIZE + amount);
  guint32 magic, pgno, sums[2];
  const void *page;
  int rc;

  if (read_fully (file->real, log_header, sizeof log_header, 0) != SQLITE_OK ||
      read_fully (file->real, frame, sizeof frame, frame_offset) != SQLITE_OK)
    return file->real->pMethods->xWrite (file->real, buffer, amount, offset);

  magic = get4 (log_header);
  pgno = get4 (frame);
  if ((magic & 0xfffffffe) != 0x377f0682 || get4 (log_header + 8) != (guint32) amount || pgno == 0)
    return file->real->pMethods->xWrite (file->real, buffer, amount, offset);

  /* What kind of database the pages are of: page 1 says, else the
   * database file's own header. */
  if (pgno == 1)
    read_header (file, buffer);
  else if (file->header == HEADER_UNKNOWN && file->peer != NULL)
    {
      guint8 header[100];

      if (read_fully (file->peer->real, header, sizeof header, 0) == SQLITE_OK)
        read_header (file, header);
    }

  page = scrub_copy (file, buffer, amount, pgno == 1);
  if (page == NULL)
    return SQLITE_IOERR_NOMEM;

  /* A header whose salts are not the log's (zeroes) is one SQLite will
   * checksum again itself from the file before it commits. */
  if (memcmp (frame + 8, log_header + 16, 8) == 0)
    {
      guint8 previous[8];

      if (index == 0)
        memcpy (previous, log_header + 24, 8);
      else if ((rc = read_fully (file->real, previous, sizeof previous,
                                 frame_offset - (WAL_FRAME_HEADER_SIZE + amount) + 16)) != SQLITE_OK)
        return rc;

      sums[0] = get4 (previous);
      sums[1] = get4 (previous + 4);
      wal_checksum (magic & 1, frame, 8, sums);
      wal_checksum (magic & 1, page, amount, sums);
      if (get4 (frame + 16) != sums[0] || get4 (frame + 20) != sums[1])
        {
          put4 (frame + 16, sums[0]);
          put4 (frame + 20, sums[1]);
          rc = file->real->pMethods->xWrite (file->real, frame, sizeof frame, frame_offset);
          if (rc != SQLITE_OK)
            return rc;
          file->chain_changed = TRUE;
        }
    }

  return file->real->pMethods->xWrite (file->real, page, amount, offset);
}

/* At the end of a write transaction, while it still holds the write lock:
 * the wal-index header's copy of the last frame's checksum (what the next
 * writer chains on from) is made the one in the file. */
static void
fix_index_header (ScrubFile *file)
{
  ScrubFile *log = file->peer;
  guint8 header[WAL_INDEX_HEADER_SIZE];
  guint8 log_header[WAL_HEADER_SIZE];
  guint8 frame[WAL_FRAME_HEADER_SIZE];
  guint32 max_frame, page_size, sums[2] = { 0, 0 };

  memcpy (header, (const void *) file->shm0, sizeof header);
  memcpy (&max_frame, header + 16, 4);
  if (header[12] != 1 || max_frame == 0)
    return;

  if (read_fully (log->real, log_header, sizeof log_header, 0) != SQLITE_OK)
    return;
  page_size = get4 (log_header + 8);
  if (page_size < 512 || page_size > 65536 || memcmp (header + 32, log_header + 16, 8) != 0)
    return;
  if (read_fully (log->real, frame, sizeof frame,
                  WAL_HEADER_SIZE + (sqlite3_int64) (max_frame - 1) * (WAL_FRAME_HEADER_SIZE + page_size)) != SQLITE_OK ||
      memcmp (frame + 8, log_header + 16, 8) != 0)
    return;

  {
    guint32 last[2] = { get4 (frame + 16), get4 (frame + 20) };

    if (memcmp (header + 24, last, 8) == 0)
      return;
    memcpy (header + 24, last, 8);
  }

  /* As SQLite writes it: the checksum in the machine's byte order, the
   * second copy first, a barrier, then the first. */
  wal_checksum (G_BYTE_ORDER == G_BIG_ENDIAN, header, 40, sums);
  memcpy (header + 40, sums, 8);
  memcpy ((guint8 *) file->shm0 + WAL_INDEX_HEADER_SIZE, header, sizeof header);
  file->real->pMethods->xShmBarrier (file->real);
  memcpy ((guint8 *) file->shm0, header, sizeof header);
}

static int
scrub_write (sqlite3_file  *f,
             const void    *buffer,
             int            amount,
             sqlite3_int64  offset)
{
  ScrubFile *file = (ScrubFile *) f;

  if (file->wal && is_page_write (amount, 0) &&
      offset >= WAL_HEADER_SIZE + WAL_FRAME_HEADER_SIZE &&
      (offset - WAL_HEADER_SIZE) % (WAL_FRAME_HEADER_SIZE + amount) == WAL_FRAME_HEADER_SIZE)
    return write_wal_page (file, buffer, amount, offset);

  if (file->main_db && is_page_write (amount, offset))
    {
      if (offset == 0)
        read_header (file, buffer);
      else if (file->header == HEADER_UNKNOWN)
        {
          guint8 header[100];

          if (file->real->pMethods->xRead (file->real, header, sizeof header, 0) == SQLITE_OK)
            read_header (file, header);
        }

      buffer = scrub_copy (file, buffer, amount, offset == 0);
      if (buffer == NULL)
        return SQLITE_IOERR_NOMEM;
    }

  return file->real->pMethods->xWrite (file->real, buffer, amount, offset);
}

static int
scrub_truncate (sqlite3_file  *f,
                sqlite3_int64  size)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xTruncate (file->real, size);
}

static int
scrub_sync (sqlite3_file *f,
            int           flags)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xSync (file->real, flags);
}

static int
scrub_file_size (sqlite3_file  *f,
                 sqlite3_int64 *size)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xFileSize (file->real, size);
}

static int
scrub_lock (sqlite3_file *f,
            int           level)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xLock (file->real, level);
}

static int
scrub_unlock (sqlite3_file *f,
              int           level)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xUnlock (file->real, level);
}

static int
scrub_check_reserved_lock (sqlite3_file *f,
                           int          *result)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xCheckReservedLock (file->real, result);
}

/* Rewrites every B-tree page of the database file that has stale bytes in
 * its unused space. Only while this connection holds the write lock and the
 * log is empty: then nothing else writes the file (a checkpoint has nothing
 * to copy), and a reader sees the same cells whether it reads a page before
 * or after. */
static int
scrub_whole_file (ScrubFile *file,
                  int       *n_pages)
{
  guint8 header[100];
  guint32 max_frame;
  sqlite3_int64 size;
  guint page_size;
  guint8 *page;
  int rc;

  *n_pages = 0;
  if (!file->main_db || file->shm0 == NULL)
    return SQLITE_MISUSE;
  memcpy (&max_frame, (const guint8 *) file->shm0 + 16, 4);
  if (max_frame != 0)
    return SQLITE_BUSY;

  if ((rc = file->real->pMethods->xFileSize (file->real, &size)) != SQLITE_OK)
    return rc;
  if (size < (sqlite3_int64) sizeof header)
    return SQLITE_OK;
  if ((rc = read_fully (file->real, header, sizeof header, 0)) != SQLITE_OK)
    return rc;
  read_header (file, header);
  page_size = get2 (header + 16) == 1 ? 65536 : get2 (header + 16);
  if (file->header != HEADER_SCRUB || page_size < 512)
    return SQLITE_OK;

  page = g_malloc (page_size);
  for (sqlite3_int64 offset = 0; offset + page_size <= size; offset += page_size)
    {
      const void *scrubbed;

      if ((rc = read_fully (file->real, page, page_size, offset)) != SQLITE_OK)
        break;
      scrubbed = scrub_copy (file, page, page_size, offset == 0);
      if (scrubbed == NULL)
        {
          rc = SQLITE_IOERR_NOMEM;
          break;
        }
      if (scrubbed != (const void *) page && memcmp (scrubbed, page, page_size) != 0)
        {
          if ((rc = file->real->pMethods->xWrite (file->real, scrubbed, page_size, offset)) != SQLITE_OK)
            break;
          (*n_pages)++;
        }
    }
  g_free (page);

  if (rc == SQLITE_OK && *n_pages > 0)
    rc = file->real->pMethods->xSync (file->real, SQLITE_SYNC_NORMAL);
  return rc;
}

static int
scrub_file_control (sqlite3_file *f,
                    int           op,
                    void         *arg)
{
  ScrubFile *file = (ScrubFile *) f;
  int rc;

  if (op == TESORO_SCRUB_FCNTL_WHOLE_FILE)
    return scrub_whole_file (file, arg);

  rc = file->real->pMethods->xFileControl (file->real, op, arg);

  /* PRAGMA vfs_list and friends name the whole stack. */
  if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK && arg != NULL)
    {
      char **name = arg;
      char *stacked = sqlite3_mprintf ("%s/%z", SCRUB_VFS_NAME, *name);
      *name = stacked;
    }

  return rc;
}

static int
scrub_sector_size (sqlite3_file *f)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xSectorSize (file->real);
}

static int
scrub_device_characteristics (sqlite3_file *f)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xDeviceCharacteristics (file->real);
}

static int
scrub_shm_map (sqlite3_file  *f,
               int            region,
               int            size,
               int            extend,
               void volatile **pointer)
{
  ScrubFile *file = (ScrubFile *) f;
  int rc = file->real->pMethods->xShmMap (file->real, region, size, extend, pointer);

  if (rc == SQLITE_OK && region == 0 && *pointer != NULL)
    file->shm0 = *pointer;
  return rc;
}

static int
scrub_shm_lock (sqlite3_file *f,
                int           offset,
                int           n,
                int           flags)
{
  ScrubFile *file = (ScrubFile *) f;

  /* The write lock (the first of the wal-index locks) is released. */
  if (offset == 0 && flags == (SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE) &&
      file->peer != NULL && file->peer->chain_changed && file->shm0 != NULL)
    {
      fix_index_header (file);
      file->peer->chain_changed = FALSE;
    }

  return file->real->pMethods->xShmLock (file->real, offset, n, flags);
}

static void
scrub_shm_barrier (sqlite3_file *f)
{
  ScrubFile *file = (ScrubFile *) f;
  file->real->pMethods->xShmBarrier (file->real);
}

static int
scrub_shm_unmap (sqlite3_file *f,
                 int           delete_flag)
{
  ScrubFile *file = (ScrubFile *) f;

  file->shm0 = NULL;
  return file->real->pMethods->xShmUnmap (file->real, delete_flag);
}

static int
scrub_fetch (sqlite3_file   *f,
             sqlite3_int64   offset,
             int             amount,
             void          **pointer)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xFetch (file->real, offset, amount, pointer);
}

static int
scrub_unfetch (sqlite3_file  *f,
               sqlite3_int64  offset,
               void          *pointer)
{
  ScrubFile *file = (ScrubFile *) f;
  return file->real->pMethods->xUnfetch (file->real, offset, pointer);
}

/* sqlite3_vfs: everything but xOpen goes straight to the default VFS. */

#define ROOT_VFS(vfs) ((sqlite3_vfs *) (vfs)->pAppData)

static int
scrub_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *f,
            int           flags,
            int          *out_flags)
{
  ScrubFile *file = (ScrubFile *) f;
  int version;
  int rc;

  memset (file, 0, sizeof *file);
  file->real = (sqlite3_file *) &file[1];
  file->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;

  rc = ROOT_VFS (vfs)->xOpen (ROOT_VFS (vfs), name, file->real, flags, out_flags);
  if (file->real->pMethods == NULL)
    {
      file->base.pMethods = NULL;
      return rc;
    }

  version = CLAMP (file->real->pMethods->iVersion, 1, 3);
  file->base.pMethods = &scrub_methods[version - 1];

  /* A database and its log know each other: the log needs the database's
   * header, the database's wal-index the log's last checksum. */
  file->wal = (flags & SQLITE_OPEN_WAL) != 0;
  if (name != NULL && (file->main_db || file->wal))
    {
      G_LOCK (databases);
      if (databases == NULL)
        databases = g_hash_table_new (NULL, NULL);
      if (file->main_db)
        {
          file->name = name;
          g_hash_table_insert (databases, (gpointer) name, file);
        }
      else
        {
          ScrubFile *db = g_hash_table_lookup (databases, sqlite3_filename_database (name));

          if (db != NULL && db->peer == NULL)
            {
              db->peer = file;
              file->peer = db;
            }
        }
      G_UNLOCK (databases);
    }

  return rc;
}

static int
scrub_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  return ROOT_VFS (vfs)->xDelete (ROOT_VFS (vfs), name, sync_dir);
}

static int
scrub_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *result)
{
  return ROOT_VFS (vfs)->xAccess (ROOT_VFS (vfs), name, flags, result);
}

static int
scrub_full_pathname (sqlite3_vfs *vfs,
                     const char  *name,
                     int          n_out,
                     char        *out)
{
  return ROOT_VFS (vfs)->xFullPathname (ROOT_VFS (vfs), name, n_out, out);
}

static void *
scrub_dl_open (sqlite3_vfs *vfs,
               const char  *path)
{
  return ROOT_VFS (vfs)->xDlOpen (ROOT_VFS (vfs), path);
}

static void
scrub_dl_error (sqlite3_vfs *vfs,
                int          n,
                char        *message)
{
  ROOT_VFS (vfs)->xDlError (ROOT_VFS (vfs), n, message);
}

static void (*scrub_dl_sym (sqlite3_vfs *vfs,
                            void        *handle,
                            const char  *symbol)) (void)
{
  return ROOT_VFS (vfs)->xDlSym (ROOT_VFS (vfs), handle, symbol);
}

static void
scrub_dl_close (sqlite3_vfs *vfs,
                void        *handle)
{
  ROOT_VFS (vfs)->xDlClose (ROOT_VFS (vfs), handle);
}

static int
scrub_randomness (sqlite3_vfs *vfs,
                  int          n,
                  char        *out)
{
  return ROOT_VFS (vfs)->xRandomness (ROOT_VFS (vfs), n, out);
}

static int
scrub_sleep (sqlite3_vfs *vfs,
             int          microseconds)
{
  return ROOT_VFS (vfs)->xSleep (ROOT_VFS (vfs), microseconds);
}

static int
scrub_current_time (sqlite3_vfs *vfs,
                    double      *now)
{
  return ROOT_VFS (vfs)->xCurrentTime (ROOT_VFS (vfs), now);
}

static int
scrub_get_last_error (sqlite3_vfs *vfs,
                      int          n,
                      char        *out)
{
  return ROOT_VFS (vfs)->xGetLastError != NULL ? ROOT_VFS (vfs)->xGetLastError (ROOT_VFS (vfs), n, out) : 0;
}

static int
scrub_current_time_int64 (sqlite3_vfs   *vfs,
                          sqlite3_int64 *now)
{
  return ROOT_VFS (vfs)->xCurrentTimeInt64 (ROOT_VFS (vfs), now);
}

static int
scrub_set_system_call (sqlite3_vfs         *vfs,
                       const char          *name,
                       sqlite3_syscall_ptr  call)
{
  return ROOT_VFS (vfs)->xSetSystemCall (ROOT_VFS (vfs), name, call);
}

static sqlite3_syscall_ptr
scrub_get_system_call (sqlite3_vfs *vfs,
                       const char  *name)
{
  return ROOT_VFS (vfs)->xGetSystemCall (ROOT_VFS (vfs), name);
}

static const char *
scrub_next_system_call (sqlite3_vfs *vfs,
                        const char  *name)
{
  return ROOT_VFS (vfs)->xNextSystemCall (ROOT_VFS (vfs), name);
}

static gpointer
register_vfs (gpointer data)
{
  sqlite3_vfs *root;
  int rc;

  sqlite3_initialize ();

  /* Before the first file is opened: see tesoro-file-locks.c. */
  _tesoro_file_locks_install ();
  root = sqlite3_vfs_find (NULL);
  if (root == NULL)
    return NULL;

  for (int v = 0; v < 3; v++)
    {
      sqlite3_io_methods *m = &scrub_methods[v];

      m->iVersion = v + 1;
      m->xClose = scrub_close;
      m->xRead = scrub_read;
      m->xWrite = scrub_write;
      m->xTruncate = scrub_truncate;
      m->xSync = scrub_sync;
      m->xFileSize = scrub_file_size;
      m->xLock = scrub_lock;
      m->xUnlock = scrub_unlock;
      m->xCheckReservedLock = scrub_check_reserved_lock;
      m->xFileControl = scrub_file_control;
      m->xSectorSize = scrub_sector_size;
      m->xDeviceCharacteristics = scrub_device_characteristics;
      if (v >= 1)
        {
          m->xShmMap = scrub_shm_map;
          m->xShmLock = scrub_shm_lock;
          m->xShmBarrier = scrub_shm_barrier;
          m->xShmUnmap = scrub_shm_unmap;
        }
      if (v >= 2)
        {
          m->xFetch = scrub_fetch;
          m->xUnfetch = scrub_unfetch;
        }
    }

  scrub_vfs.iVersion = MIN (root->iVersion, 3);
  scrub_vfs.szOsFile = (int) sizeof (ScrubFile) + root->szOsFile;
  scrub_vfs.mxPathname = root->mxPathname;
  scrub_vfs.zName = SCRUB_VFS_NAME;
  scrub_vfs.pAppData = root;
  scrub_vfs.xOpen = scrub_open;
  scrub_vfs.xDelete = scrub_delete;
  scrub_vfs.xAccess = scrub_access;
  scrub_vfs.xFullPathname = scrub_full_pathname;
  scrub_vfs.xDlOpen = scrub_dl_open;
  scrub_vfs.xDlError = scrub_dl_error;
  scrub_vfs.xDlSym = scrub_dl_sym;
  scrub_vfs.xDlClose = scrub_dl_close;
  scrub_vfs.xRandomness = scrub_randomness;
  scrub_vfs.xSleep = scrub_sleep;
  scrub_vfs.xCurrentTime = scrub_current_time;
  scrub_vfs.xGetLastError = scrub_get_last_error;
  if (scrub_vfs.iVersion >= 2)
    scrub_vfs.xCurrentTimeInt64 = scrub_current_time_int64;
  if (scrub_vfs.iVersion >= 3)
    {
      scrub_vfs.xSetSystemCall = scrub_set_system_call;
      scrub_vfs.xGetSystemCall = scrub_get_system_call;
      scrub_vfs.xNextSystemCall = scrub_next_system_call;
    }

  rc = sqlite3_vfs_register (&scrub_vfs, 0);
  if (rc != SQLITE_OK)
    {
      g_warning ("Cannot register the %s SQLite VFS: %s", SCRUB_VFS_NAME, sqlite3_errstr (rc));
      return NULL;
    }

  return (gpointer) SCRUB_VFS_NAME;
}

/**
 * tesoro_scrub_vfs_get_name:
 *
 * Registers the VFS on first use (thread-safely).
 *
 * Returns: (nullable): the VFS name to pass to sqlite3_open_v2(), or %NULL
 * (the default VFS) if it could not be registered
 */
const char *
tesoro_scrub_vfs_get_name (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, register_vfs, NULL);
  return once.retval;
}
