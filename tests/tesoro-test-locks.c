/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tesoro-test-locks.h"

guint
tesoro_test_count_locks (const char *path)
{
  g_autofree char *locks = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;
  guint n = 0;

  if (g_stat (path, &st) != 0)
    return 0;
  g_assert_true (g_file_get_contents ("/proc/locks", &locks, NULL, NULL));
  lines = g_strsplit (locks, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " \t", -1);
      guint column = 0;

      /* "1: POSIX  ADVISORY  READ 1234 fd:01:5678 128 128": the sixth
       * field that is not empty is major:minor:inode. */
      for (guint j = 0; fields[j] != NULL; j++)
        {
          const char *inode;

          if (*fields[j] == '\0' || ++column != 6)
            continue;
          inode = strrchr (fields[j], ':');
          if (inode != NULL && g_ascii_strtoull (inode + 1, NULL, 10) == (guint64) st.st_ino)
            n++;
        }
    }

  return n;
}

void
tesoro_test_open_read_close (const char *path)
{
  char buffer[64];
  int fd = g_open (path, O_RDONLY, 0);

  if (fd < 0)
    return;
  g_assert_cmpint (read (fd, buffer, sizeof buffer), >=, 0);
  g_assert_cmpint (close (fd), ==, 0);
}
