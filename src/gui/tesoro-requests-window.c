/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-requests-window"

#include "config.h"

#include "tesoro-requests-window.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tesoro-access.h"
#include "tesoro-contact-editor.h"
#include "tesoro-error.h"
#include "tesoro-requests.h"
#include "tesoro-utils.h"

/*
 * The privacy office's requests: a list by deadline on the left (days
 * left, overdue ones marked), the request on the right with its identity
 * check, deadline, contacts and the one-click response. Everything goes
 * through the session (tesoro-requests.h), which enforces who may.
 */

/* One request as a list item */

#define TESORO_TYPE_REQUEST_ITEM (tesoro_request_item_get_type ())
G_DECLARE_FINAL_TYPE (TesoroRequestItem, tesoro_request_item, TESORO, REQUEST_ITEM, GObject)

struct _TesoroRequestItem
{
  GObject        parent_instance;
  TesoroRequest *request;
};

G_DEFINE_FINAL_TYPE (TesoroRequestItem, tesoro_request_item, G_TYPE_OBJECT)

static void
tesoro_request_item_finalize (GObject *object)
{
  g_clear_pointer (&TESORO_REQUEST_ITEM (object)->request, tesoro_request_free);
  G_OBJECT_CLASS (tesoro_request_item_parent_class)->finalize (object);
}

static void
tesoro_request_item_class_init (TesoroRequestItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tesoro_request_item_finalize;
}

static void
tesoro_request_item_init (TesoroRequestItem *self)
{
}

static TesoroRequestItem *
tesoro_request_item_new (TesoroRequest *request)
{
  TesoroRequestItem *self = g_object_new (TESORO_TYPE_REQUEST_ITEM, NULL);

  self->request = request;
  return self;
}

/* The window */

struct _TesoroRequestsWindow
{
  AdwWindow          parent_instance;

  TesoroSession     *session;
  GListStore        *requests;
  gint64             shown_id;

  AdwToastOverlay   *toast_overlay;
  GtkStack          *stack;
  GtkListView       *list_view;
  GtkSingleSelection *selection;
  GtkBox            *detail_box;
  GtkToggleButton   *overdue_button;
};

G_DEFINE_FINAL_TYPE (TesoroRequestsWindow, tesoro_requests_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (TesoroRequestsWindow *self);

/* Helpers */

static TesoroRequest *
shown_request (TesoroRequestsWindow *self)
{
  TesoroRequestItem *item = gtk_single_selection_get_selected_item (self->selection);

  return item != NULL ? item->request : NULL;
}

static void
toast (TesoroRequestsWindow *self,
       const char           *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
show_error (TesoroRequestsWindow *self,
            const char           *heading,
            const GError         *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char *
respond_label (TesoroRequestKind kind)
{
  switch (kind)
    {
    case TESORO_REQUEST_ACCESS:
    case TESORO_REQUEST_PORTABILITY:
      return _("_Respond: Save Response Package…");
    case TESORO_REQUEST_ERASURE:
      return _("_Respond: Erase Permanently…");
    case TESORO_REQUEST_RESTRICTION:
      return _("_Respond: Restrict Processing");
    case TESORO_REQUEST_OBJECTION:
      return _("_Respond: Stop Marketing");
    case TESORO_REQUEST_RECTIFICATION:
    default:
      return _("_Respond: Correct the Contact…");
    }
}

static char *
format_date (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *full = NULL;

  if (iso == NULL || *iso == '\0')
    return g_strdup ("—");
  if (strlen (iso) == 10)
    {
      full = g_strconcat (iso, "T12:00:00Z", NULL);
      dt = tesoro_date_time_from_iso (full);
      /* Translators: a date in the requests list, see g_date_time_format() */
      return dt != NULL ? g_date_time_format (dt, _("%-d %B %Y")) : g_strdup (iso);
    }
  return tesoro_format_timestamp_local (iso);
}

static void
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  /* What people typed is text, not markup ("Name <address>"). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL && *value != '\0' ? value : "—");
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
}

static GtkWidget *
action_button (const char *label,
               const char *action,
               const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  return button;
}

/* The list */

static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *clock = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (clock, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top), clock);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  TesoroRequestItem *item = gtk_list_item_get_item (list_item);
  TesoroRequest *r = item->request;
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *top = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (top);
  GtkWidget *clock = gtk_widget_get_next_sibling (title);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (top);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock_text = tesoro_request_describe_clock (r, now);
  g_autofree char *deadline_iso = tesoro_request_get_deadline_iso (r);
  g_autofree char *deadline = format_date (deadline_iso);
  g_autofree char *title_text = NULL;
  g_autofree char *subtitle_text = NULL;
  gint days = tesoro_request_days_left (r, now);
  gboolean closed = tesoro_request_is_closed (r);
  const char *who = r->scrubbed_at != NULL ? _("(erased with the contact)") : r->requester;

  /* Translators: a request in the list: its number, its kind, who asked */
  title_text = g_strdup_printf (_("%" PRId64 " · %s · %s"), r->id, tesoro_request_kind_get_label (r->kind), who);
  /* Translators: under a request in the list: its deadline and status */
  subtitle_text = g_strdup_printf (_("Due %s · %s"), deadline, tesoro_request_status_get_label (r->status));
  gtk_label_set_label (GTK_LABEL (title), title_text);
  gtk_label_set_label (GTK_LABEL (clock), clock_text);
  gtk_label_set_label (GTK_LABEL (subtitle), subtitle_text);

  gtk_widget_remove_css_class (clock, "error");
  gtk_widget_remove_css_class (clock, "warning");
  gtk_widget_remove_css_class (clock, "dim-label");
  if (closed)
    gtk_widget_add_css_class (clock, "dim-label");
  else if (days < 0)
    gtk_widget_add_css_class (clock, "error");
  else if (days <= 7)
    gtk_widget_add_css_class (clock, "warning");

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, title_text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, clock_text, -1);
}

/* The request */

static void
clear_detail (TesoroRequestsWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
}

static void
add_contacts_group (TesoroRequestsWindow *self,
                    TesoroRequest        *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = tesoro_session_resolve_request_contacts (self->session, r, &error);
  g_autoptr(GPtrArray) summaries = NULL;
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Contacts"));
  if (!tesoro_request_is_closed (r))
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                             action_button (_("_Link Contact…"), "request.link", "flat"));
  gtk_box_append (self->detail_box, group);

  if (ids != NULL && ids->len > 0)
    summaries = tesoro_session_load_summaries (self->session, (const gint64 *) ids->data, ids->len, NULL);
  for (guint i = 0; summaries != NULL && i < summaries->len; i++)
    {
      TesoroContact *contact = summaries->pdata[i];
      g_autofree char *name = tesoro_contact_dup_best_name (contact);

      add_row (ADW_PREFERENCES_GROUP (group), name, tesoro_contact_get_primary_email (contact));
    }
  if (ids != NULL && r->contact_uids->len > ids->len)
    add_row (ADW_PREFERENCES_GROUP (group), _("Erased contact"),
             _("Only the random uid of the contact remains, with the erasure receipt."));
  if (r->contact_uids->len == 0)
    add_row (ADW_PREFERENCES_GROUP (group),
             r->no_data_held ? _("No data held") : _("No contact linked yet"),
             r->no_data_held ? _("Tesoro holds no personal data about the requester.")
                             : _("Link the requester’s contact, or record that no data is held."));
}

static void
show_request (TesoroRequestsWindow *self,
              TesoroRequest        *r)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *title = NULL;
  g_autofree char *received = format_date (r->received_on);
  g_autofree char *deadline_iso = tesoro_request_get_deadline_iso (r);
  g_autofree char *deadline = format_date (deadline_iso);
  g_autofree char *clock = tesoro_request_describe_clock (r, now);
  g_autofree char *deadline_text = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *closed = NULL;
  GtkWidget *heading, *group, *buttons;
  gboolean open = !tesoro_request_is_closed (r);

  clear_detail (self);
  self->shown_id = r->id;

  /* Translators: the heading of a request: its kind and the GDPR article */
  title = g_strdup_printf (_("%s Request (Art. %s)"), tesoro_request_kind_get_label (r->kind),
                           tesoro_request_kind_get_article (r->kind));
  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "title-2");
  gtk_box_append (self->detail_box, heading);

  if (open)
    {
      buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (buttons), action_button (respond_label (r->kind), "request.respond", "suggested-action"));
      gtk_box_append (GTK_BOX (buttons), action_button (_("Re_fuse…"), "request.refuse", NULL));
      gtk_box_append (GTK_BOX (buttons), action_button (_("Close as _Done"), "request.close", NULL));
      gtk_box_append (self->detail_box, buttons);
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Deadline"));
  if (open && r->extended_at == NULL)
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                             action_button (_("_Extend…"), "request.extend", "flat"));
  deadline_text = g_strdup_printf ("%s · %s", deadline, clock);
  add_row (ADW_PREFERENCES_GROUP (group), _("Answer by"), deadline_text);
  add_row (ADW_PREFERENCES_GROUP (group), _("Received"), received);
  if (r->extended_at != NULL)
    add_row (ADW_PREFERENCES_GROUP (group), _("Extended by two months"), r->extension_reason);
  gtk_box_append (self->detail_box, group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Requester"));
  add_row (ADW_PREFERENCES_GROUP (group), _("As they identified themselves"),
           r->scrubbed_at != NULL ? _("Erased with the contact") : r->requester);
  add_row (ADW_PREFERENCES_GROUP (group), _("Channel"), r->channel);
  add_row (ADW_PREFERENCES_GROUP (group), _("Language of the response"),
           g_str_equal (r->language, "nl") ? _("Dutch") : _("English"));
  gtk_box_append (self->detail_box, group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Identity"));
  if (open && !r->identity_verified)
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                             action_button (_("_Verify Identity…"), "request.verify", "flat"));
  if (r->identity_verified)
    {
      g_autofree char *when = format_date (r->identity_at);

      /* Translators: who verified a requester's identity, and when */
      identity = g_strdup_printf (_("Verified by %s on %s"), r->identity_by, when);
      add_row (ADW_PREFERENCES_GROUP (group), identity,
               r->scrubbed_at != NULL ? _("Erased with the contact") : r->identity_method);
    }
  else
    add_row (ADW_PREFERENCES_GROUP (group), _("Not verified yet"),
             _("Check who is asking before any personal data is sent or changed."));
  gtk_box_append (self->detail_box, group);

  add_contacts_group (self, r);

  if (!open)
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Outcome"));
      closed = format_date (r->closed_at);
      add_row (ADW_PREFERENCES_GROUP (group), tesoro_request_status_get_label (r->status), closed);
      if (r->status == TESORO_REQUEST_REFUSED)
        add_row (ADW_PREFERENCES_GROUP (group), _("Reason"), r->refusal_reason);
      add_row (ADW_PREFERENCES_GROUP (group), _("Evidence"), r->evidence);
      gtk_box_append (self->detail_box, group);
    }

  if (r->notes != NULL && *r->notes != '\0')
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Notes"));
      add_row (ADW_PREFERENCES_GROUP (group), _("Notes"), r->notes);
      gtk_box_append (self->detail_box, group);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.respond", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.refuse", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.close", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.extend", open && r->extended_at == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.verify", open && !r->identity_verified);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.link", open);
}

static void
on_selected_item_changed_cb (TesoroRequestsWindow *self)
{
  TesoroRequest *r = shown_request (self);

  if (r != NULL)
    show_request (self, r);
}

static void
on_overdue_toggled_cb (TesoroRequestsWindow *self)
{
  reload (self);
}

static void
reload (TesoroRequestsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 keep = self->shown_id;
  guint select = 0;

  list = tesoro_session_list_requests (self->session, gtk_toggle_button_get_active (self->overdue_button),
                                       NULL, &error);
  if (list == NULL)
    {
      show_error (self, _("Cannot Show the Requests"), error);
      return;
    }

  for (guint i = 0; i < list->len; i++)
    {
      TesoroRequest *r = g_steal_pointer (&list->pdata[i]);

      if (r->id == keep)
        select = i;
      g_ptr_array_add (items, tesoro_request_item_new (r));
    }
  g_ptr_array_set_free_func (list, NULL);

  g_list_store_splice (self->requests, 0, g_list_model_get_n_items (G_LIST_MODEL (self->requests)),
                       items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "requests" : "empty");
  if (items->len > 0)
    {
      gtk_single_selection_set_selected (self->selection, select);
      on_selected_item_changed_cb (self);
    }
  else
    self->shown_id = 0;
}

/* Dialogs asking for one line of text */

typedef void (*TextFunc) (TesoroRequestsWindow *self, const char *text);

static void
on_text_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  TextFunc func = (TextFunc) user_data;

  if (g_str_equal (response, "ok"))
    func (self, gtk_editable_get_text (entry));
}

static void
ask_text (TesoroRequestsWindow *self,
          const char           *heading,
          const char           *body,
          const char           *ok_label,
          gboolean              destructive,
          TextFunc              func)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "ok", ok_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_text_response_cb), (gpointer) func);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
done (TesoroRequestsWindow *self,
      gboolean              ok,
      GError               *error,
      const char           *heading,
      const char           *message)
{
  if (!ok)
    {
      show_error (self, heading, error);
      return;
    }
  if (message != NULL)
    toast (self, message);
  reload (self);
}

static void
verify_with (TesoroRequestsWindow *self,
             const char           *text)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = tesoro_session_verify_request (self->session, self->shown_id, text, &error);

  done (self, ok, error, _("Cannot Record the Identity Check"), _("Identity verified"));
}

static void
extend_with (TesoroRequestsWindow *self,
             const char           *text)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = tesoro_session_extend_request (self->session, self->shown_id, text, &error);

  done (self, ok, error, _("Cannot Extend the Deadline"), _("Deadline extended by two months"));
}

static void
refuse_with (TesoroRequestsWindow *self,
             const char           *text)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = tesoro_session_close_request (self->session, self->shown_id, text, &error);

  done (self, ok, error, _("Cannot Refuse the Request"), _("Request refused"));
}

static void
verify_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ask_text (TESORO_REQUESTS_WINDOW (widget), _("Verify Identity"),
            _("How did you check that the requester is the person the data is about? "
              "For example: “replied from the e-mail address on file”."),
            _("_Verify"), FALSE, verify_with);
}

static void
extend_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ask_text (TESORO_REQUESTS_WINDOW (widget), _("Extend the Deadline?"),
            _("The deadline can be extended once, by two months, when the request is complex or "
              "there are many. Tell the requester why within the first month."),
            _("_Extend"), FALSE, extend_with);
}

static void
refuse_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ask_text (TESORO_REQUESTS_WINDOW (widget), _("Refuse the Request?"),
            _("A request can be refused when it is manifestly unfounded or excessive. The requester "
              "must be told why and that they can complain to the supervisory authority."),
            _("_Refuse"), TRUE, refuse_with);
}

static void
close_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok = tesoro_session_close_request (self->session, self->shown_id, NULL, &error);

  done (self, ok, error, _("Cannot Close the Request"), _("Request closed"));
}

/* Responding */

static void
respond_now (TesoroRequestsWindow *self,
             const char           *path)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = tesoro_session_respond_to_request (self->session, self->shown_id, path, &error);

  done (self, ok, error, _("Cannot Respond"),
        path != NULL ? _("Response package saved; the request is done") : _("Done: the request is answered"));
}

static void
on_package_chosen_cb (GtkNativeDialog *chooser,
                      int              response,
                      gpointer         user_data)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      respond_now (self, path);
    }
  g_object_unref (chooser);
}

static void
on_erase_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  if (g_str_equal (response, "erase"))
    respond_now (TESORO_REQUESTS_WINDOW (user_data), NULL);
}

static void
on_rectified_cb (TesoroRequestsWindow *self)
{
  toast (self, _("Contact corrected; the request is done"));
  reload (self);
}

static void
respond_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (widget);
  TesoroRequest *r = shown_request (self);
  g_autoptr(GError) error = NULL;

  if (r == NULL)
    return;

  switch (r->kind)
    {
    case TESORO_REQUEST_ACCESS:
    case TESORO_REQUEST_PORTABILITY:
      {
        GtkFileChooserNative *chooser =
          gtk_file_chooser_native_new (_("Save Response Package"), GTK_WINDOW (self),
                                       GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
        /* Translators: the file name of a response package; %s is the request's number */
        g_autofree char *name = g_strdup_printf (_("request-%s-response.zip"), r->uid);

        gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
        g_signal_connect (chooser, "response", G_CALLBACK (on_package_chosen_cb), self);
        gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
      }
      break;

    case TESORO_REQUEST_ERASURE:
      {
        guint n = r->contact_uids->len;
        g_autofree char *body =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The linked contact and everything recorded about it are erased "
                                        "permanently. The request keeps the erasure receipt. This cannot be undone.",
                                        "The %u linked contacts and everything recorded about them are erased "
                                        "permanently. The request keeps the erasure receipts. This cannot be undone.",
                                        n), n);
        GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Erase Permanently?"), body);

        adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                          "erase", _("_Erase Permanently"), NULL);
        adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase", ADW_RESPONSE_DESTRUCTIVE);
        adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
        g_signal_connect (dialog, "response", G_CALLBACK (on_erase_response_cb), self);
        gtk_window_present (GTK_WINDOW (dialog));
      }
      break;

    case TESORO_REQUEST_RECTIFICATION:
      {
        g_autoptr(GArray) ids = tesoro_session_resolve_request_contacts (self->session, r, &error);
        g_autoptr(TesoroContact) contact = NULL;
        TesoroContactEditor *editor;

        if (ids != NULL && ids->len == 0)
          g_set_error_literal (&error, TESORO_ERROR, TESORO_ERROR_INVALID,
                               _("Link the requester’s contact first: the corrections are made there."));
        if (error == NULL)
          contact = tesoro_session_get_contact (self->session, g_array_index (ids, gint64, 0), &error);
        if (contact == NULL)
          {
            show_error (self, _("Cannot Correct the Contact"), error);
            return;
          }
        editor = tesoro_contact_editor_new (self->session, contact);
        tesoro_contact_editor_set_rectification (editor, r->id);
        g_signal_connect_object (editor, "saved", G_CALLBACK (on_rectified_cb), self, G_CONNECT_SWAPPED);
        gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
        gtk_window_present (GTK_WINDOW (editor));
      }
      break;

    case TESORO_REQUEST_RESTRICTION:
    case TESORO_REQUEST_OBJECTION:
    default:
      respond_now (self, NULL);
      break;
    }
}

/* New request, and linking contacts: a form */

typedef struct
{
  TesoroRequestsWindow *self;
  GtkWindow            *dialog;
  gint64                request_id;   /* 0: a new request */
  AdwComboRow          *kind_row;
  AdwEntryRow          *received_row;
  AdwEntryRow          *channel_row;
  AdwEntryRow          *requester_row;
  AdwComboRow          *language_row;
  AdwEntryRow          *search_row;
  GtkStringList        *matches;
  GArray               *match_ids;
  GtkSingleSelection   *match_selection;
  GtkSwitch            *no_data_switch;
  GtkLabel             *error_label;
} Form;

static void
form_free (Form *form)
{
  g_array_unref (form->match_ids);
  g_free (form);
}

static void
on_form_search_changed_cb (GtkEditable *editable,
                           Form        *form)
{
  const char *query = gtk_editable_get_text (editable);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (form->matches));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_array_set_size (form->match_ids, 0);
  if (g_utf8_strlen (query, -1) >= 2)
    ids = tesoro_session_search_ids (form->self->session, query, FALSE, NULL);
  if (ids != NULL && ids->len > 0)
    summaries = tesoro_session_load_summaries (form->self->session, (const gint64 *) ids->data,
                                               MIN (ids->len, 8), NULL);
  for (guint i = 0; summaries != NULL && i < summaries->len; i++)
    {
      TesoroContact *c = summaries->pdata[i];
      g_autofree char *name = tesoro_contact_dup_best_name (c);
      const char *email = tesoro_contact_get_primary_email (c);
      gint64 id = tesoro_contact_get_id (c);

      g_ptr_array_add (names, email != NULL ? g_strdup_printf ("%s — %s", name, email) : g_strdup (name));
      g_array_append_val (form->match_ids, id);
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (form->matches, 0, n_old, (const char * const *) names->pdata);
  gtk_single_selection_set_selected (form->match_selection, names->len > 1 ? 0 : GTK_INVALID_LIST_POSITION);
}

static void
on_form_save_cb (GtkButton *button,
                 Form      *form)
{
  static const char * const languages[] = { "en", "nl" };
  g_autoptr(GError) error = NULL;
  guint selected = gtk_single_selection_get_selected (form->match_selection);
  gboolean no_data = gtk_switch_get_active (form->no_data_switch);
  gint64 contact_id = 0;
  guint n = 0;
  gint64 shown = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected < form->match_ids->len && !no_data)
    {
      contact_id = g_array_index (form->match_ids, gint64, selected);
      n = 1;
    }

  if (form->request_id == 0)
    {
      g_autoptr(TesoroRequest) request = NULL;
      TesoroRequestDraft draft = { 0 };

      draft.kind = adw_combo_row_get_selected (form->kind_row);
      draft.received_on = gtk_editable_get_text (GTK_EDITABLE (form->received_row));
      draft.channel = gtk_editable_get_text (GTK_EDITABLE (form->channel_row));
      draft.requester = gtk_editable_get_text (GTK_EDITABLE (form->requester_row));
      draft.language = languages[MIN (adw_combo_row_get_selected (form->language_row), 1)];
      draft.contact_ids = n > 0 ? &contact_id : NULL;
      draft.n_contact_ids = n;
      request = tesoro_session_add_request (form->self->session, &draft, &error);
      if (request != NULL && no_data)
        tesoro_session_link_request (form->self->session, request->id, NULL, 0, TRUE, &error);
      if (request != NULL)
        shown = request->id;
    }
  else if (tesoro_session_link_request (form->self->session, form->request_id, n > 0 ? &contact_id : NULL, n,
                                        no_data, &error))
    shown = form->request_id;

  if (error != NULL)
    {
      gtk_label_set_label (form->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (form->error_label), TRUE);
      return;
    }

  form->self->shown_id = shown;
  reload (form->self);
  toast (form->self, form->request_id == 0 ? _("Request recorded") : _("Contacts linked"));
  gtk_window_destroy (form->dialog);
}

static GtkWidget *
combo_row (const char         *title,
           const char * const *items)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  return row;
}

static GtkWidget *
entry_row (const char *title,
           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  return row;
}

static void
setup_match_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
bind_match_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
open_form (TesoroRequestsWindow *self,
           gint64                request_id,
           gint64                contact_id)
{
  const char * const kinds[] = {
    tesoro_request_kind_get_label (TESORO_REQUEST_ACCESS),
    tesoro_request_kind_get_label (TESORO_REQUEST_RECTIFICATION),
    tesoro_request_kind_get_label (TESORO_REQUEST_ERASURE),
    tesoro_request_kind_get_label (TESORO_REQUEST_RESTRICTION),
    tesoro_request_kind_get_label (TESORO_REQUEST_PORTABILITY),
    tesoro_request_kind_get_label (TESORO_REQUEST_OBJECTION),
    NULL
  };
  const char * const languages[] = { _("English"), _("Dutch"), NULL };
  Form *form = g_new0 (Form, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GtkWidget *window, *toolbar, *header, *save, *cancel, *page, *group, *box, *list, *row, *scrolled;
  GtkListItemFactory *factory;

  form->self = self;
  form->request_id = request_id;
  form->match_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  form->matches = gtk_string_list_new (NULL);

  window = adw_window_new ();
  form->dialog = GTK_WINDOW (window);
  gtk_window_set_title (GTK_WINDOW (window), request_id == 0 ? _("New Request") : _("Link Contact"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, request_id == 0 ? 720 : 480);
  g_object_set_data_full (G_OBJECT (window), "form", form, (GDestroyNotify) form_free);

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  save = gtk_button_new_with_mnemonic (request_id == 0 ? _("_Record") : _("_Link"));
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect (save, "clicked", G_CALLBACK (on_form_save_cb), form);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_box_append (GTK_BOX (toolbar), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (toolbar), page);
  adw_window_set_content (ADW_WINDOW (window), toolbar);

  form->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (form->error_label, TRUE);
  gtk_label_set_xalign (form->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (form->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (form->error_label), FALSE);

  if (request_id == 0)
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Request"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _("The answer is due one month after the request was received."));
      form->kind_row = ADW_COMBO_ROW (combo_row (_("Kind"), kinds));
      form->received_row = ADW_ENTRY_ROW (entry_row (_("Received on (YYYY-MM-DD)"), today));
      form->channel_row = ADW_ENTRY_ROW (entry_row (_("Channel (e-mail, letter, phone…)"), NULL));
      form->requester_row = ADW_ENTRY_ROW (entry_row (_("Requester, as they identified themselves"), NULL));
      form->language_row = ADW_COMBO_ROW (combo_row (_("Language of the response"), languages));
      if (g_str_has_prefix (setlocale (LC_MESSAGES, NULL), "nl"))
        adw_combo_row_set_selected (form->language_row, 1);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (form->kind_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (form->received_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (form->channel_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (form->requester_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (form->language_row));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("The Requester’s Contact"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Search by name, e-mail address or phone number and pick the contact."));
  form->search_row = ADW_ENTRY_ROW (entry_row (_("Find contact"), NULL));
  g_signal_connect (form->search_row, "changed", G_CALLBACK (on_form_search_changed_cb), form);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (form->search_row));

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No data held"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Tesoro holds nothing about the requester"));
  form->no_data_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (form->no_data_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (form->no_data_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (form->no_data_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  form->match_selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (form->matches)));
  gtk_single_selection_set_autoselect (form->match_selection, FALSE);
  gtk_single_selection_set_can_unselect (form->match_selection, TRUE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_match_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_match_cb), NULL);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (form->match_selection), factory);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Matching contacts"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->error_label));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  g_object_unref (form->matches);

  if (contact_id > 0)
    {
      g_autoptr(GPtrArray) summaries = tesoro_session_load_summaries (self->session, &contact_id, 1, NULL);

      if (summaries != NULL && summaries->len == 1)
        {
          g_autofree char *name = tesoro_contact_dup_best_name (summaries->pdata[0]);

          gtk_editable_set_text (GTK_EDITABLE (form->search_row), name);
          if (form->requester_row != NULL)
            gtk_editable_set_text (GTK_EDITABLE (form->requester_row), name);
          for (guint i = 0; i < form->match_ids->len; i++)
            if (g_array_index (form->match_ids, gint64, i) == contact_id)
              gtk_single_selection_set_selected (form->match_selection, i);
        }
    }

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (GTK_WIDGET (form->requester_row != NULL ? form->requester_row : form->search_row));
}

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_form (TESORO_REQUESTS_WINDOW (widget), 0, 0);
}

static void
link_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (widget);

  if (self->shown_id > 0)
    open_form (self, self->shown_id, 0);
}

/* GObject */

static void
tesoro_requests_window_constructed (GObject *object)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (object);

  G_OBJECT_CLASS (tesoro_requests_window_parent_class)->constructed (object);
  reload (self);
}

static void
tesoro_requests_window_dispose (GObject *object)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_REQUESTS_WINDOW);
  g_clear_object (&self->requests);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tesoro_requests_window_parent_class)->dispose (object);
}

static void
tesoro_requests_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TesoroRequestsWindow *self = TESORO_REQUESTS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_requests_window_class_init (TesoroRequestsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tesoro_requests_window_constructed;
  object_class->dispose = tesoro_requests_window_dispose;
  object_class->set_property = tesoro_requests_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TESORO_TYPE_SESSION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-requests-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroRequestsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesoroRequestsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroRequestsWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroRequestsWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, TesoroRequestsWindow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, TesoroRequestsWindow, overdue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_overdue_toggled_cb);

  gtk_widget_class_install_action (widget_class, "requests.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "request.respond", NULL, respond_activated);
  gtk_widget_class_install_action (widget_class, "request.verify", NULL, verify_activated);
  gtk_widget_class_install_action (widget_class, "request.extend", NULL, extend_activated);
  gtk_widget_class_install_action (widget_class, "request.refuse", NULL, refuse_activated);
  gtk_widget_class_install_action (widget_class, "request.close", NULL, close_activated);
  gtk_widget_class_install_action (widget_class, "request.link", NULL, link_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "requests.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tesoro_requests_window_init (TesoroRequestsWindow *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->requests = g_list_store_new (TESORO_TYPE_REQUEST_ITEM);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->requests));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}

/* Public API */

TesoroRequestsWindow *
tesoro_requests_window_new (TesoroSession *session)
{
  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  return g_object_new (TESORO_TYPE_REQUESTS_WINDOW, "session", session, NULL);
}

void
tesoro_requests_window_select (TesoroRequestsWindow *self,
                               gint64                request_id)
{
  g_return_if_fail (TESORO_IS_REQUESTS_WINDOW (self));

  self->shown_id = request_id;
  reload (self);
}

/**
 * tesoro_requests_window_new_request:
 * @contact_id: the contact the request is about, or 0
 *
 * Opens the form for a new request (from a contact's Actions menu: about
 * that contact).
 */
void
tesoro_requests_window_new_request (TesoroRequestsWindow *self,
                                    gint64                contact_id)
{
  g_return_if_fail (TESORO_IS_REQUESTS_WINDOW (self));

  open_form (self, 0, contact_id);
}

guint
tesoro_requests_window_get_n_shown (TesoroRequestsWindow *self)
{
  g_return_val_if_fail (TESORO_IS_REQUESTS_WINDOW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->requests));
}
