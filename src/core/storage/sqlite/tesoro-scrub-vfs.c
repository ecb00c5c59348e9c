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
 */

#define SCRUB_VFS_NAME "tesoro-scrub"

/* The state of the database header, as far as this file handle knows it. */
enum {
  HEADER_UNKNOWN,
  HEADER_SCRUB,      /* no auto-vacuum: every B-tree-looking page is one */
  HEADER_NO_SCRUB,   /* auto-vacuum pointer-map pages could look like B-tree pages */
};

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;       /* the default VFS's file, allocated right after this */
  gboolean      main_db;
  int           header;
  int           usable_size;
  guint8       *scratch;
  int           scratch_size;
} ScrubFile;

static sqlite3_vfs scrub_vfs;
static sqlite3_io_methods scrub_methods[3];

static inline guint
get2 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
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
  int rc = file->real->pMethods->xClose (file->real);

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

static int
scrub_write (sqlite3_file  *f,
             const void    *buffer,
             int            amount,
             sqlite3_int64  offset)
{
  ScrubFile *file = (ScrubFile *) f;

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

      if (file->header == HEADER_SCRUB && file->usable_size >= 480 && file->usable_size <= amount)
        {
          if (file->scratch_size < amount)
            {
              sqlite3_free (file->scratch);
              file->scratch = sqlite3_malloc (amount);
              file->scratch_size = file->scratch != NULL ? amount : 0;
            }

          if (file->scratch != NULL)
            {
              memcpy (file->scratch, buffer, amount);
              if (_tesoro_scrub_page (file->scratch, file->usable_size, offset == 0))
                buffer = file->scratch;
            }
          else
            return SQLITE_IOERR_NOMEM;
        }
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

static int
scrub_file_control (sqlite3_file *f,
                    int           op,
                    void         *arg)
{
  ScrubFile *file = (ScrubFile *) f;
  int rc = file->real->pMethods->xFileControl (file->real, op, arg);

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
  return file->real->pMethods->xShmMap (file->real, region, size, extend, pointer);
}

static int
scrub_shm_lock (sqlite3_file *f,
                int           offset,
                int           n,
                int           flags)
{
  ScrubFile *file = (ScrubFile *) f;
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
