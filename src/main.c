/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tesoro-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(TesoroApplication) app = NULL;
  const char *localedir = g_getenv ("TESORO_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tesoro_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
