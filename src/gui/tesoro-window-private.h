/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-contact-list.h"
#include "tesoro-batch.h"
#include "tesoro-export-data.h"
#include "tesoro-contact-pane.h"
#include "tesoro-access.h"
#include "tesoro-window.h"

G_BEGIN_DECLS

struct _TesoroWindow
{
  AdwApplicationWindow  parent_instance;

  TesoroSession          *session;
  GSettings            *settings;
  TesoroContactList    *contacts;
  TesoroContactList    *trash;
  TesoroContactList    *current;       /* contacts or trash */
  GtkMultiSelection    *selection;
  gint64                shown_id;
  AdwToast             *last_toast;
  gboolean              loading_samples;
  gboolean              housekeeping_running;
  guint                 housekeeping_source;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *sidebar_title;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *read_only_revealer;
  GtkLabel             *read_only_label;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  GtkLabel             *count_label;
  GtkWidget            *trash_button;
  GtkWidget            *content;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *edit_button;
  GtkWidget            *actions_button;
  GtkWidget            *primary_menu_button;
  GtkWidget            *restore_button;
  GtkWidget            *empty_trash_button;
  GtkRevealer          *selection_revealer;
  GtkLabel             *selection_label;
  GtkWidget            *batch_edit_button;
  GtkWidget            *batch_export_button;
  GtkWidget            *batch_trash_button;
  GtkWidget            *batch_restore_button;
  GtkWidget            *batch_delete_button;
  GtkStack             *content_stack;
  AdwStatusPage        *none_page;
  TesoroContactPane    *contact_pane;
  AdwStatusPage        *error_page;

  /* Signing in (tesoro-window-access.c) */
  AdwEntryRow          *sign_in_login_row;
  AdwEntryRow          *sign_in_password_row;
  GtkLabel             *sign_in_error_label;
  GtkWidget            *sign_in_button;
  char                 *locked_login;   /* who locked the window, to sign in again */
};

/* The window's long work (tesoro-window-jobs.c), run by a TesoroJob. */
typedef enum
{
  TESORO_JOB_BATCH_EDIT,
  TESORO_JOB_BATCH_UNDO,
  TESORO_JOB_ERASE,
  TESORO_JOB_EMPTY_TRASH,
  TESORO_JOB_HOUSEKEEPING,
  TESORO_JOB_MARKETING,
} TesoroJobKind;

/* What one kind of work needs and what it returns. */
typedef struct
{
  TesoroJobKind         kind;

  /* What the work needs */
  GArray               *ids;         /* batch edit, erase */
  TesoroBatchAction     action;      /* batch edit */
  char                 *argument;    /* batch edit */
  char                 *value;       /* batch edit */
  char                 *reason;      /* erase */
  char                 *output;      /* marketing list */
  TesoroBatchUndo      *undo;        /* batch undo; the result of a batch edit */

  /* What it returns */
  TesoroBatchResult     result;
  guint                 n_restored;
  guint                 n_left;
  guint                 n_exported;
  GPtrArray            *receipts;
} TesoroWindowJob;

TesoroWindowJob    *_tesoro_window_job_new           (TesoroWindow        *self,
                                                      TesoroJobKind        kind);
void                _tesoro_window_job_start         (TesoroWindow        *self,
                                                      TesoroWindowJob     *job,
                                                      GAsyncReadyCallback  callback);
gboolean            _tesoro_window_job_finish        (GAsyncResult        *result,
                                                      TesoroWindowJob    **job,
                                                      GError             **error);

/* Shared by tesoro-window.c and tesoro-window-gdpr.c. */
gboolean            _tesoro_window_in_trash          (TesoroWindow *self);
gboolean            _tesoro_window_writable          (TesoroWindow *self);
gboolean            _tesoro_window_can               (TesoroWindow     *self,
                                                      TesoroPermission  permission);
void                _tesoro_window_open_contacts     (TesoroWindow *self);
void                _tesoro_window_close_contacts    (TesoroWindow *self);
void                _tesoro_window_class_init_access (GtkWidgetClass *widget_class);
void                _tesoro_window_start_access      (TesoroWindow *self);
void                _tesoro_window_update_access_actions (TesoroWindow *self);
GArray             *_tesoro_window_selected_ids      (TesoroWindow *self);
guint               _tesoro_window_n_selected        (TesoroWindow *self);
void                _tesoro_window_update_actions    (TesoroWindow *self);
void                _tesoro_window_update_list_state (TesoroWindow *self);
void                _tesoro_window_show_error        (TesoroWindow *self,
                                                      const char   *message);
void                _tesoro_window_show_contact      (TesoroWindow *self,
                                                      gint64        id);
void                _tesoro_window_reload_lists      (TesoroWindow *self);
void                _tesoro_window_class_init_gdpr   (GtkWidgetClass *widget_class);
void                _tesoro_window_init_gdpr         (TesoroWindow *self);
void                _tesoro_window_dispose_gdpr      (TesoroWindow *self);
void                _tesoro_window_update_gdpr_actions (TesoroWindow *self);
GMenuModel         *_tesoro_window_get_actions_menu  (TesoroWindow *self);
void                _tesoro_window_class_init_batch  (GtkWidgetClass *widget_class);
void                _tesoro_window_update_batch_actions (TesoroWindow *self);
void                _tesoro_window_show_receipts     (TesoroWindow *self,
                                                      GPtrArray    *receipts);
GArray             *_tesoro_window_visible_ids       (TesoroWindow *self);
void                _tesoro_window_run_batch         (TesoroWindow      *self,
                                                      TesoroBatchAction  action,
                                                      const char        *argument,
                                                      const char        *value);
void                _tesoro_window_export_data_to    (TesoroWindow       *self,
                                                      const char         *path,
                                                      TesoroExportFormat  format);
void                _tesoro_window_export_marketing_to (TesoroWindow *self,
                                                        const char   *path);
AdwMessageDialog   *_tesoro_window_confirm_erase     (TesoroWindow  *self,
                                                      TesoroContact *contact);

/* For the window's other files and for the tests, which drive the window as
 * a user would and look at what it shows. */

GtkListView        *_tesoro_window_get_list_view     (TesoroWindow *self);
GtkSearchEntry     *_tesoro_window_get_search_entry  (TesoroWindow *self);
TesoroContactPane  *_tesoro_window_get_contact_pane  (TesoroWindow *self);
TesoroContactList  *_tesoro_window_get_contact_list  (TesoroWindow *self);
AdwToastOverlay    *_tesoro_window_get_toast_overlay (TesoroWindow *self);
const char         *_tesoro_window_get_list_page     (TesoroWindow *self);
const char         *_tesoro_window_get_count_text    (TesoroWindow *self);
gboolean            _tesoro_window_select_contact    (TesoroWindow *self,
                                                      gint64        id);
void                _tesoro_window_show_toast        (TesoroWindow *self,
                                                      AdwToast     *toast);
AdwToast           *_tesoro_window_get_last_toast    (TesoroWindow *self);
void                _tesoro_window_announce_due_requests (TesoroWindow *self);
void                _tesoro_window_sign_in           (TesoroWindow *self,
                                                      const char   *login,
                                                      const char   *password);
const char         *_tesoro_window_get_sign_in_error (TesoroWindow *self);
const char         *_tesoro_window_get_page          (TesoroWindow *self);

G_END_DECLS
