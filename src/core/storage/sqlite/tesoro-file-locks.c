/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-file-locks"

/* F_OFD_SETLK and friends (Linux 3.15, glibc 2.20). */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tesoro-file-locks.h"

/*
 * SQLite's unix VFS locks its files with POSIX record locks (fcntl F_SETLK).
 * Those belong to the process, and POSIX drops all of a process's locks on a
 * file when *any* descriptor of that file is closed, also one that GIO, a
 * file chooser sniffing content types or a thumbnailer opened on its own.
 * The process then goes on writing without its locks: the next program to
 * open the database believes it is the last one, checkpoints and deletes the
 * -wal and -shm files that this process still uses, and everything written
 * afterwards goes into a deleted file.
 *
 * Linux's open-file-description locks (F_OFD_SETLK) belong to an open file
 * description instead: closing another descriptor does not drop them, and
 * they conflict with other programs' POSIX locks exactly as POSIX locks do.
 * This file replaces SQLite's "fcntl" system call (sqlite3_vfs.xSetSystemCall)
 * with one that takes the same locks as OFD locks.
 *
 * One detail keeps SQLite's own bookkeeping right: SQLite counts the locks
 * of all connections of the process on one file together and sets or clears
 * the process's lock through whichever connection's descriptor happens to
 * change the count, relying on POSIX locks being shared by the process. So
 * every lock on one file (device and inode) is taken through one open file
 * description of this process: a duplicate of the first descriptor SQLite
 * opened on it, kept while SQLite has any descriptor of the file open. Locks
 * through one description replace and merge like a process's POSIX locks.
 */

typedef struct
{
  dev_t dev;
  ino_t ino;
  int   lock_fd;   /* a dup() of the first descriptor: shares its open file description */
  guint refs;      /* descriptors SQLite has open on the file */
} LockedFile;

static GMutex lock_mutex;
static GHashTable *files_by_fd;      /* int fd → LockedFile * (SQLite's descriptors) */
static GHashTable *files_by_inode;   /* LockedFile * → itself, keyed by dev/ino */

static int (*real_open) (const char *, int, int);
static int (*real_close) (int);
static int (*real_fcntl) (int, int, ...);
static int (*real_fchmod) (int, mode_t);
static gboolean ofd_supported = TRUE;

static guint
inode_hash (gconstpointer key)
{
  const LockedFile *file = key;
  return g_int64_hash (&(gint64) { (gint64) file->ino }) ^ (guint) file->dev;
}

static gboolean
inode_equal (gconstpointer a,
             gconstpointer b)
{
  const LockedFile *x = a, *y = b;
  return x->dev == y->dev && x->ino == y->ino;
}

/* With lock_mutex held. */
static LockedFile *
track_descriptor (int fd)
{
  LockedFile key = { 0 }, *file;
  struct stat st;

  file = g_hash_table_lookup (files_by_fd, GINT_TO_POINTER (fd));
  if (file != NULL)
    return file;

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return NULL;

  key.dev = st.st_dev;
  key.ino = st.st_ino;
  file = g_hash_table_lookup (files_by_inode, &key);
  if (file == NULL)
    {
      int lock_fd = real_fcntl (fd, F_DUPFD_CLOEXEC, 3);

      if (lock_fd < 0)
        return NULL;

      file = g_new (LockedFile, 1);
      *file = key;
      file->lock_fd = lock_fd;
      file->refs = 0;
      g_hash_table_add (files_by_inode, file);
    }

  file->refs++;
  g_hash_table_insert (files_by_fd, GINT_TO_POINTER (fd), file);
  return file;
}

/* With lock_mutex held. The file's locks go when its last descriptor does,
 * as SQLite expects of POSIX locks (it closes a file's descriptors only when
 * the process holds no lock on it, or at the very end). */
static void
untrack_descriptor (int fd)
{
  LockedFile *file = g_hash_table_lookup (files_by_fd, GINT_TO_POINTER (fd));

  if (file == NULL)
    return;

  g_hash_table_remove (files_by_fd, GINT_TO_POINTER (fd));
  if (--file->refs == 0)
    {
      g_hash_table_remove (files_by_inode, file);
      real_close (file->lock_fd);
      g_free (file);
    }
}

/* Every file SQLite creates (the database, its -wal and -shm, a backup copy)
 * holds personal data: readable by its owner only, whatever the umask or
 * the folder. SQLite sets a new file's mode with fchmod() after creating it,
 * so both calls are narrowed. */
#define PRIVATE_MODE(mode) ((mode) & ~(S_IRWXG | S_IRWXO))

static int
tesoro_open (const char *path,
             int         flags,
             int         mode)
{
  int fd = real_open (path, flags, PRIVATE_MODE (mode));

  if (fd >= 0)
    {
      g_mutex_lock (&lock_mutex);
      track_descriptor (fd);
      g_mutex_unlock (&lock_mutex);
    }

  return fd;
}

static int
tesoro_fchmod (int    fd,
               mode_t mode)
{
  return real_fchmod (fd, PRIVATE_MODE (mode));
}

static int
tesoro_close (int fd)
{
  g_mutex_lock (&lock_mutex);
  untrack_descriptor (fd);
  g_mutex_unlock (&lock_mutex);

  return real_close (fd);
}

static int
tesoro_fcntl (int fd,
              int cmd,
              ...)
{
  struct flock ofd;
  struct flock *lock;
  int ofd_cmd, lock_fd, rc;
  va_list ap;

  /* glibc's fcntl() reads its optional argument as a pointer too. */
  va_start (ap, cmd);
  lock = va_arg (ap, struct flock *);
  va_end (ap);

  switch (cmd)
    {
    case F_SETLK:
      ofd_cmd = F_OFD_SETLK;
      break;
    case F_SETLKW:
      ofd_cmd = F_OFD_SETLKW;
      break;
    case F_GETLK:
      ofd_cmd = F_OFD_GETLK;
      break;
    default:
      return real_fcntl (fd, cmd, lock);
    }

  if (!g_atomic_int_get (&ofd_supported))
    return real_fcntl (fd, cmd, lock);

  /* The lock descriptor stays open during the call: it is closed only when
   * SQLite has no descriptor of the file left, and @fd is one. */
  g_mutex_lock (&lock_mutex);
  {
    LockedFile *file = track_descriptor (fd);
    lock_fd = file != NULL ? file->lock_fd : fd;
  }
  g_mutex_unlock (&lock_mutex);

  /* OFD locks want l_pid zero on the way in. */
  ofd = *lock;
  ofd.l_pid = 0;
  rc = real_fcntl (lock_fd, ofd_cmd, &ofd);

  if (rc < 0 && errno == EINVAL)
    {
      /* A kernel older than 3.15: POSIX locks it is, as before. */
      g_atomic_int_set (&ofd_supported, FALSE);
      return real_fcntl (fd, cmd, lock);
    }

  if (rc == 0 && cmd == F_GETLK)
    *lock = ofd;

  return rc;
}

/**
 * _tesoro_file_locks_install:
 *
 * Makes SQLite's unix VFS (every connection of this process, whatever its
 * VFS on top) lock with open-file-description locks. Call it once, before
 * the first database is opened.
 */
void
_tesoro_file_locks_install (void)
{
  sqlite3_vfs *unix_vfs = sqlite3_vfs_find ("unix");

  if (unix_vfs == NULL || unix_vfs->iVersion < 3 || unix_vfs->xSetSystemCall == NULL)
    {
      g_warning ("SQLite's unix VFS cannot be given its locks: other code closing the database "
                 "files may drop them");
      return;
    }

  files_by_fd = g_hash_table_new (g_direct_hash, g_direct_equal);
  files_by_inode = g_hash_table_new (inode_hash, inode_equal);

  real_open = (int (*) (const char *, int, int)) unix_vfs->xGetSystemCall (unix_vfs, "open");
  real_close = (int (*) (int)) unix_vfs->xGetSystemCall (unix_vfs, "close");
  real_fcntl = (int (*) (int, int, ...)) unix_vfs->xGetSystemCall (unix_vfs, "fcntl");
  real_fchmod = (int (*) (int, mode_t)) unix_vfs->xGetSystemCall (unix_vfs, "fchmod");

  if (real_open == NULL || real_close == NULL || real_fcntl == NULL || real_fchmod == NULL ||
      unix_vfs->xSetSystemCall (unix_vfs, "fchmod", (sqlite3_syscall_ptr) tesoro_fchmod) != SQLITE_OK ||
      unix_vfs->xSetSystemCall (unix_vfs, "open", (sqlite3_syscall_ptr) tesoro_open) != SQLITE_OK ||
      unix_vfs->xSetSystemCall (unix_vfs, "close", (sqlite3_syscall_ptr) tesoro_close) != SQLITE_OK ||
      unix_vfs->xSetSystemCall (unix_vfs, "fcntl", (sqlite3_syscall_ptr) tesoro_fcntl) != SQLITE_OK)
    g_warning ("SQLite's system calls cannot be replaced: other code closing the database "
               "files may drop its locks");
}
