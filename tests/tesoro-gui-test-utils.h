/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tesoro-application.h"
#include "tesoro-session.h"
#include "tesoro-window.h"

G_BEGIN_DECLS

/* Helpers for the headless widget tests: they drive the real widgets as a
 * user would (typing into entries, activating actions, selecting rows). */

typedef struct
{
  char              *dir;
  char              *db_path;
  TesoroSession       *session;
  TesoroApplication *app;
  TesoroWindow      *window;
} GuiFixture;

void        gui_fixture_set_up          (GuiFixture     *fixture,
                                         guint           n_demo);
void        gui_fixture_tear_down       (GuiFixture     *fixture);
void        gui_iterate                 (void);
void        gui_wait_for                (gboolean      (*condition) (gpointer),
                                         gpointer        data);
GtkWidget  *gui_find_row                (GtkWidget      *root,
                                         const char     *title);
GtkWidget  *gui_find_widget_of_type     (GtkWidget      *root,
                                         GType           type);
GtkWindow  *gui_find_toplevel           (GType           type);
gboolean    gui_menu_offers             (GtkWidget      *button,
                                         const char     *label);
void        gui_type_into               (GtkWidget      *editable,
                                         const char     *text);
void        gui_close_other_windows     (GuiFixture     *fixture);
void        gui_destroy_window          (gpointer        window);
AdwMessageDialog *gui_find_message_dialog (void);
void        gui_respond                 (AdwMessageDialog *dialog,
                                         const char     *response);

/* Conditions for gui_wait_for(). */
gboolean    gui_file_exists             (gpointer        path);
gboolean    gui_file_chooser_is_open    (gpointer        unused);

/* A fresh database in a new temporary folder, for tests without a window. */
TesoroSession *gui_tmp_store_new          (const char     *dir_template,
                                           char          **dir,
                                           char          **db_path);
void        gui_tmp_dir_remove          (const char     *dir);

G_END_DECLS
