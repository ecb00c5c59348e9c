/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-contact-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-access.h"
#include "tesoro-consent-dialog.h"
#include "tesoro-contact-pane.h"
#include "tesoro-gdpr.h"
#include "tesoro-history.h"
#include "tesoro-history-dialog.h"
#include "tesoro-history-row.h"
#include "tesoro-utils.h"

/*
 * The selected contact: its details on one page, its history (notes, logged
 * messages, calls and meetings, tasks; newest first) on another.
 */

struct _TesoroContactPane
{
  GtkWidget      parent_instance;

  TesoroSession   *session;
  TesoroContact *contact;
  GPtrArray     *rows;         /* rows added to the details groups */
  GPtrArray     *privacy_rows; /* rows added to the consent groups */

  AdwViewStack  *stack;
  AdwAvatar     *avatar;
  GtkLabel      *name_label;
  GtkLabel      *subtitle_label;
  GtkWidget     *trash_badge;
  GtkWidget     *restricted_badge;
  AdwPreferencesGroup *contact_group;
  AdwPreferencesGroup *more_group;
  GtkLabel      *stamp_label;
  GtkStack      *history_stack;
  GtkListView   *history_view;
  AdwComboRow   *basis_row;
  AdwPreferencesGroup *basis_group;
  AdwPreferencesGroup *viewed_group;
  AdwPreferencesGroup *consent_group;
  AdwPreferencesGroup *consent_history_group;
  GtkWidget     *grant_button;
  GtkWidget     *withdraw_button;
  GtkWidget     *restrict_row;
  GtkSwitch     *restrict_switch;
  AdwActionRow  *hold_row;
  GtkSwitch     *hold_switch;

  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (TesoroContactPane, tesoro_contact_pane, GTK_TYPE_WIDGET)

/* The Privacy page lists this many views; the Audit Log has them all. */
#define MAX_VIEWS_SHOWN 20

enum {
  PROP_0,
  PROP_STORE,
  PROP_CONTACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static const char *
translate_label (const char *label)
{
  /* The labels Tesoro itself writes; others are shown as they were typed. */
  if (label == NULL || *label == '\0')
    return "";
  if (g_ascii_strcasecmp (label, "work") == 0)
    return _("Work");
  if (g_ascii_strcasecmp (label, "home") == 0)
    return _("Home");
  if (g_ascii_strcasecmp (label, "mobile") == 0)
    return _("Mobile");
  if (g_ascii_strcasecmp (label, "other") == 0)
    return _("Other");
  if (g_ascii_strcasecmp (label, "fax") == 0)
    return _("Fax");
  return label;
}

static void
clear_rows (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
add_row (TesoroContactPane   *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *value,
         const char          *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  if (icon_name != NULL)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);

  adw_preferences_group_add (group, row);
  /* The Privacy page is refreshed on its own (consent, legal hold). */
  if (group == self->consent_group || group == self->consent_history_group || group == self->viewed_group)
    g_ptr_array_add (self->privacy_rows, row);
  else
    g_ptr_array_add (self->rows, row);

  return row;
}

/* A row that copies its value when activated, with a button that opens
 * the value as a link (mailto:, tel:) when there is one. */
static void
add_copy_row (TesoroContactPane   *self,
              AdwPreferencesGroup *group,
              const char          *title,
              const char          *value,
              const char          *icon_name,
              const char          *uri,
              const char          *link_icon,
              const char          *link_tooltip)
{
  GtkWidget *row = add_row (self, group, title, value, icon_name);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _("Copy"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "contact.copy");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "s", value);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);

  if (uri != NULL)
    {
      GtkWidget *link = gtk_button_new_from_icon_name (link_icon);

      gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (link, "flat");
      gtk_widget_set_tooltip_text (link, link_tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (link), GTK_ACCESSIBLE_PROPERTY_LABEL, link_tooltip, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (link), "contact.open-uri");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (link), "s", uri);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), link);
    }

  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), copy);
}

static char *
tel_uri (const char *phone)
{
  GString *uri = g_string_new ("tel:");

  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p) || (*p == '+' && uri->len == 4))
      g_string_append_c (uri, *p);

  return g_string_free (uri, FALSE);
}

static gboolean
may_write (TesoroContactPane *self,
           TesoroFieldGroups  group)
{
  return self->session != NULL && tesoro_session_get_access (self->session, group) == TESORO_ACCESS_WRITE;
}

/* Whether the role lets the reader see @group (hidden groups are not
 * shown at all, not as empty). */
static gboolean
shows (TesoroContactPane *self,
       TesoroFieldGroups  group)
{
  return self->contact != NULL && (tesoro_contact_get_shown_groups (self->contact) & group) != 0;
}

static void
update_actions (TesoroContactPane *self)
{
  gboolean writable = self->session != NULL && tesoro_session_may_edit (self->session, self->contact);
  gboolean history = writable && tesoro_session_can (self->session, TESORO_PERMISSION_HISTORY);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contact.add-note", history && may_write (self, TESORO_FIELDS_NOTES));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contact.log-message",
                                 history && may_write (self, TESORO_FIELDS_MESSAGES));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contact.log-activity",
                                 history && may_write (self, TESORO_FIELDS_ACTIVITIES));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contact.add-task", history && may_write (self, TESORO_FIELDS_TASKS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contact.set-task-done",
                                 history && may_write (self, TESORO_FIELDS_TASKS));

  /* Consent may be recorded or withdrawn, and a restriction lifted, even
   * while processing is restricted: those are the person's rights. */
  {
    gboolean can_write = self->contact != NULL && self->session != NULL &&
                         !tesoro_session_is_read_only (self->session) &&
                         tesoro_contact_get_trashed_at (self->contact) == NULL;
    gboolean consent = can_write && tesoro_session_can (self->session, TESORO_PERMISSION_CONSENT) &&
                       may_write (self, TESORO_FIELDS_CONSENT);
    gboolean may_restrict = can_write && tesoro_session_can (self->session, TESORO_PERMISSION_RESTRICT);

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "contact.record-consent", consent);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "contact.withdraw-consent", consent);
    gtk_widget_set_sensitive (GTK_WIDGET (self->basis_row), writable && may_write (self, TESORO_FIELDS_CONSENT));
    gtk_widget_set_sensitive (GTK_WIDGET (self->restrict_switch), may_restrict);
    gtk_widget_set_sensitive (GTK_WIDGET (self->hold_switch), may_restrict);
  }
}

static void
show_details (TesoroContactPane *self)
{
  TesoroContact *c = self->contact;
  g_autofree char *name = tesoro_contact_dup_best_name (c);
  g_autofree char *created = tesoro_format_timestamp_local (tesoro_contact_get_created_at (c));
  g_autofree char *updated = tesoro_format_timestamp_local (tesoro_contact_get_updated_at (c));
  g_autofree char *stamp = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GPtrArray *array;
  guint n_more = 0;

  clear_rows (self->rows);

  gtk_label_set_label (self->name_label, name);
  adw_avatar_set_text (self->avatar, name);

  if (*tesoro_contact_get_job_title (c) != '\0')
    g_string_append (subtitle, tesoro_contact_get_job_title (c));
  if (*tesoro_contact_get_organization (c) != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, tesoro_contact_get_organization (c));
    }
  gtk_label_set_label (self->subtitle_label, subtitle->str);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle->len > 0);

  gtk_widget_set_visible (self->trash_badge, tesoro_contact_get_trashed_at (c) != NULL);
  gtk_widget_set_visible (self->restricted_badge, tesoro_contact_get_restricted (c));

  array = tesoro_contact_get_emails (c);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroDetail *d = array->pdata[i];
      g_autofree char *uri = g_strconcat ("mailto:", d->value, NULL);
      g_autofree char *title = *d->label ? g_strdup_printf (_("E-mail · %s"), translate_label (d->label))
                                         : g_strdup (_("E-mail"));

      add_copy_row (self, self->contact_group, title, d->value, "mail-unread-symbolic",
                    uri, "mail-send-symbolic", _("Write an e-mail"));
    }

  array = tesoro_contact_get_phones (c);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroDetail *d = array->pdata[i];
      g_autofree char *uri = tel_uri (d->value);
      g_autofree char *title = *d->label ? g_strdup_printf (_("Phone · %s"), translate_label (d->label))
                                         : g_strdup (_("Phone"));

      add_copy_row (self, self->contact_group, title, d->value, "call-start-symbolic",
                    uri, "call-start-symbolic", _("Call"));
    }

  array = tesoro_contact_get_addresses (c);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroAddress *a = array->pdata[i];
      g_autofree char *text = tesoro_address_format (a);
      g_autofree char *title = a->label && *a->label ? g_strdup_printf (_("Address · %s"), translate_label (a->label))
                                                     : g_strdup (_("Address"));

      add_copy_row (self, self->contact_group, title, text, "mark-location-symbolic", NULL, NULL, NULL);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->contact_group),
                          shows (self, TESORO_FIELDS_EMAILS | TESORO_FIELDS_PHONES | TESORO_FIELDS_ADDRESSES));
  if (array->len == 0 && tesoro_contact_get_emails (c)->len == 0 && tesoro_contact_get_phones (c)->len == 0)
    add_row (self, self->contact_group, _("No e-mail address, phone number or address"), "", NULL);

  if (tesoro_contact_get_birthday (c) != NULL)
    {
      g_autofree char *birthday = tesoro_format_timestamp_local (tesoro_contact_get_birthday (c));
      add_row (self, self->more_group, _("Birthday"), birthday, "x-office-calendar-symbolic");
      n_more++;
    }

  array = tesoro_contact_get_custom_values (c);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroCustomValue *cv = array->pdata[i];
      add_copy_row (self, self->more_group, cv->name, cv->value, NULL, NULL, NULL, NULL);
      n_more++;
    }

  array = tesoro_contact_get_tags (c);
  if (array->len > 0)
    {
      GtkWidget *row = add_row (self, self->more_group, _("Tags"), NULL, "user-bookmarks-symbolic");
      GtkWidget *box = gtk_flow_box_new ();

      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 6);
      /* Tags sit side by side; a suffix would otherwise get one per line. */
      gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (box), MIN (array->len, 4));
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (box), 6);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      for (guint i = 0; i < array->len; i++)
        {
          GtkWidget *chip = gtk_label_new (array->pdata[i]);
          gtk_widget_add_css_class (chip, "tesoro-tag");
          gtk_flow_box_append (GTK_FLOW_BOX (box), chip);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      n_more++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->more_group), n_more > 0);

  /* Translators: the two dates a contact was created and last changed */
  stamp = g_strdup_printf (_("Added %s · Changed %s"), created, updated);
  gtk_label_set_label (self->stamp_label, stamp);
}

static void
show_history (TesoroContactPane *self)
{
  g_autoptr(GListModel) model = tesoro_history_new_model (self->contact);
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (model));

  gtk_list_view_set_model (self->history_view, GTK_SELECTION_MODEL (selection));
  gtk_stack_set_visible_child_name (self->history_stack,
                                    g_list_model_get_n_items (model) > 0 ? "list" : "empty");
}

/* Privacy */

static const char *
basis_label (const char *basis)
{
  return basis == NULL ? _("Not recorded") : tesoro_lawful_basis_get_label (basis);
}

static char *
describe_event (TesoroConsentEvent *event)
{
  g_autofree char *when = tesoro_format_timestamp_local (event->at);
  g_autoptr(GString) text = g_string_new (when);

  if (event->source != NULL && *event->source != '\0')
    g_string_append_printf (text, " · %s", event->source);
  if (event->evidence != NULL && *event->evidence != '\0')
    g_string_append_printf (text, " · “%s”", event->evidence);
  if (event->recorded_by != NULL)
    /* Translators: %s is the login of a user */
    g_string_append_printf (text, " · %s", event->recorded_by);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
purpose_name (GPtrArray  *purposes,
              const char *key)
{
  /* The purpose Tesoro creates is stored in English: show it translated. */
  if (g_strcmp0 (key, TESORO_PURPOSE_MARKETING_EMAIL) == 0)
    return _("Marketing e-mail");

  for (guint i = 0; purposes != NULL && i < purposes->len; i++)
    {
      TesoroConsentPurpose *p = purposes->pdata[i];
      if (g_strcmp0 (p->key, key) == 0)
        return p->name;
    }
  return key;
}

static const char *
front_end_label (const char *front_end)
{
  if (g_strcmp0 (front_end, "gui") == 0)
    return _("in the window");
  if (g_strcmp0 (front_end, "cli") == 0)
    return _("on the command line");
  return front_end != NULL ? front_end : "";
}

/* Export Data, or a response package holding the contact: everything held. */
static gboolean
is_export_of_everything (TesoroAuditEntry *entry)
{
  const char *action = tesoro_audit_entry_get_action (entry);

  return g_strcmp0 (action, TESORO_AUDIT_EXPORT_DATA) == 0 || g_strcmp0 (action, TESORO_AUDIT_RESPONSE_PACKAGE) == 0;
}

/* "12 Mar 2026 10:04 · in the window · Name, E-mail addresses, …" */
static char *
describe_view (TesoroAuditEntry *entry)
{
  g_autoptr(JsonNode) details = json_from_string (tesoro_audit_entry_get_details (entry), NULL);
  g_autofree char *when = tesoro_format_timestamp_local (tesoro_audit_entry_get_at (entry));
  g_autoptr(GString) text = g_string_new (when);
  JsonObject *object = details != NULL && JSON_NODE_HOLDS_OBJECT (details) ? json_node_get_object (details) : NULL;
  JsonArray *fields = object != NULL && json_object_has_member (object, "fields")
                      ? json_object_get_array_member (object, "fields") : NULL;

  if (is_export_of_everything (entry))
    g_string_append_printf (text, " · %s", _("exported everything held"));
  else if (object != NULL && json_object_has_member (object, "front_end"))
    g_string_append_printf (text, " · %s", front_end_label (json_object_get_string_member (object, "front_end")));

  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      TesoroFieldGroups group;

      if (!tesoro_field_group_from_key (json_array_get_string_element (fields, i), &group))
        continue;
      g_string_append (text, i == 0 ? " · " : ", ");
      g_string_append (text, tesoro_field_group_get_label (group));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "Viewed by", for roles that may read the audit log. */
static void
show_viewed_by (TesoroContactPane *self)
{
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->viewed_group),
                          tesoro_session_can (self->session, TESORO_PERMISSION_AUDIT_LOG));
  if (!gtk_widget_get_visible (GTK_WIDGET (self->viewed_group)))
    return;

  views = tesoro_session_list_views (self->session, tesoro_contact_get_uid (self->contact), &error);
  if (views == NULL)
    {
      add_row (self, self->viewed_group, _("The log cannot be read"), error->message, "dialog-warning-symbolic");
      return;
    }

  for (guint i = 0; i < MIN (views->len, MAX_VIEWS_SHOWN); i++)
    {
      TesoroAuditEntry *entry = views->pdata[i];
      g_autofree char *subtitle = describe_view (entry);

      add_row (self, self->viewed_group, tesoro_audit_entry_get_actor (entry), subtitle,
               is_export_of_everything (entry) ? "document-save-symbolic" : "view-reveal-symbolic");
    }
  if (views->len > MAX_VIEWS_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u earlier view: see the Audit Log",
                                                            "and %u earlier views: see the Audit Log",
                                                            views->len - MAX_VIEWS_SHOWN),
                                               views->len - MAX_VIEWS_SHOWN);
      add_row (self, self->viewed_group, more, "", NULL);
    }
}

static void
show_privacy (TesoroContactPane *self)
{
  TesoroContact *c = self->contact;
  g_autoptr(GPtrArray) purposes = tesoro_session_list_consent_purposes (self->session, NULL);
  GPtrArray *events = tesoro_contact_get_consent (c);
  const char *basis = tesoro_contact_get_lawful_basis (c);
  guint selected = 0;

  self->updating = TRUE;
  clear_rows (self->privacy_rows);

  gtk_widget_set_visible (GTK_WIDGET (self->basis_group), shows (self, TESORO_FIELDS_CONSENT));
  gtk_widget_set_visible (GTK_WIDGET (self->consent_group), shows (self, TESORO_FIELDS_CONSENT));
  gtk_widget_set_visible (GTK_WIDGET (self->consent_history_group), shows (self, TESORO_FIELDS_CONSENT));
  show_viewed_by (self);

  for (guint i = 0; basis != NULL && tesoro_lawful_bases[i] != NULL; i++)
    if (g_str_equal (basis, tesoro_lawful_bases[i]))
      selected = i + 1;
  adw_combo_row_set_selected (self->basis_row, selected);
  if (basis == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->basis_row),
                                   _("Not recorded. Record why you may keep this person’s data."));
      gtk_widget_add_css_class (GTK_WIDGET (self->basis_row), "warning");
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->basis_row), "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->basis_row), "warning");
    }

  /* The current state per purpose, derived from the ledger. */
  for (guint i = 0; purposes != NULL && i < purposes->len; i++)
    {
      TesoroConsentPurpose *purpose = purposes->pdata[i];
      TesoroConsentEvent *latest = NULL;
      TesoroConsentState state = tesoro_consent_state_from_events (events, purpose->key, &latest);
      g_autofree char *detail = latest != NULL ? describe_event (latest) : NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *badge;
      const char *state_label;

      switch (state)
        {
        case TESORO_CONSENT_GRANTED:
          state_label = _("Granted");
          /* Translators: %s is a date, a source and evidence */
          subtitle = g_strdup_printf (_("Granted: %s"), detail);
          break;
        case TESORO_CONSENT_WITHDRAWN:
          state_label = _("Withdrawn");
          subtitle = g_strdup_printf (_("Withdrawn: %s"), detail);
          break;
        case TESORO_CONSENT_UNKNOWN:
        default:
          state_label = _("Unknown");
          subtitle = g_strdup (_("No consent recorded"));
          break;
        }

      row = add_row (self, self->consent_group, purpose_name (purposes, purpose->key), subtitle, NULL);
      badge = gtk_label_new (state_label);
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "tesoro-badge");
      gtk_widget_add_css_class (badge, state == TESORO_CONSENT_GRANTED ? "success"
                                       : state == TESORO_CONSENT_WITHDRAWN ? "error" : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
    }

  /* The ledger, newest first. */
  for (guint i = events->len; i > 0; i--)
    {
      TesoroConsentEvent *event = events->pdata[i - 1];
      g_autofree char *title = g_strdup_printf ("%s · %s",
                                                event->granted ? _("Granted") : _("Withdrawn"),
                                                purpose_name (purposes, event->purpose));
      g_autofree char *subtitle = describe_event (event);

      add_row (self, self->consent_history_group, title, subtitle,
               event->granted ? "object-select-symbolic" : "window-close-symbolic");
    }
  if (events->len == 0)
    add_row (self, self->consent_history_group, _("No consent has been recorded"), "", NULL);

  gtk_switch_set_active (self->restrict_switch, tesoro_contact_get_restricted (c));
  gtk_switch_set_state (self->restrict_switch, tesoro_contact_get_restricted (c));
  gtk_switch_set_active (self->hold_switch, tesoro_contact_get_legal_hold (c));
  gtk_switch_set_state (self->hold_switch, tesoro_contact_get_legal_hold (c));
  if (tesoro_contact_get_legal_hold (c))
    {
      g_autofree char *subtitle = NULL;
      const char *reason = tesoro_contact_get_legal_hold_reason (c);

      subtitle = reason != NULL && *reason != '\0'
        ? g_strdup_printf (_("Kept from automatic deletion. Reason: %s"), reason)
        : g_strdup (_("Kept from automatic deletion."));
      adw_action_row_set_subtitle (self->hold_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->hold_row, _("Keeps the contact from deletion by the retention period."));

  self->updating = FALSE;
}

static void
on_basis_selected_cb (TesoroContactPane *self)
{
  g_autoptr(TesoroContact) copy = NULL;
  g_autoptr(GError) error = NULL;
  guint selected;

  if (self->updating || self->contact == NULL)
    return;

  selected = adw_combo_row_get_selected (self->basis_row);
  copy = tesoro_contact_copy (self->contact);
  tesoro_contact_set_lawful_basis (copy, selected == 0 ? NULL : tesoro_lawful_bases[selected - 1]);
  if (g_strcmp0 (tesoro_contact_get_lawful_basis (copy), tesoro_contact_get_lawful_basis (self->contact)) == 0)
    return;

  if (!tesoro_session_update_contact (self->session, copy, &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", error->message);
      show_privacy (self);
    }
}

static gboolean
on_restrict_state_set_cb (TesoroContactPane *self,
                          gboolean           state,
                          GtkSwitch         *widget)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->contact == NULL)
    return FALSE;

  if (!tesoro_session_set_restricted (self->session, tesoro_contact_get_id (self->contact), state, &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", error->message);
      gtk_switch_set_active (widget, !state);
      return TRUE;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s",
                              state ? _("Processing restricted: the contact is now read-only")
                                    : _("Restriction lifted"));
  return FALSE;
}

static void
on_hold_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     TesoroContactPane *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "hold") && self->contact != NULL &&
      !tesoro_session_set_legal_hold (self->session, tesoro_contact_get_id (self->contact), TRUE,
                                      gtk_editable_get_text (entry), &error))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", error->message);

  if (self->contact != NULL)
    show_privacy (self);
}

static gboolean
on_hold_state_set_cb (TesoroContactPane *self,
                      gboolean           state,
                      GtkSwitch         *widget)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->contact == NULL)
    return FALSE;

  if (state)
    {
      /* A hold needs a reason the privacy officer can account for. */
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  _("Put on Legal Hold?"),
                                                  _("The contact will not be deleted when the retention period passes. "
                                                    "Give the reason, such as a dispute or a legal obligation to keep the records."));
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "hold", _("_Put on Hold"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "hold", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "hold");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_hold_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  if (!tesoro_session_set_legal_hold (self->session, tesoro_contact_get_id (self->contact), FALSE, NULL, &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", error->message);
      return TRUE;
    }

  return FALSE;
}

static void
open_consent_dialog (TesoroContactPane *self,
                     gboolean           granted)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TesoroConsentDialog *dialog;

  if (self->contact == NULL)
    return;

  dialog = tesoro_consent_dialog_new (self->session, self->contact, granted);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
record_consent_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  open_consent_dialog (TESORO_CONTACT_PANE (widget), TRUE);
}

static void
withdraw_consent_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  open_consent_dialog (TESORO_CONTACT_PANE (widget), FALSE);
}

/* Actions */

static void
open_history_dialog (TesoroContactPane   *self,
                     TesoroHistoryDialogMode mode)
{
  TesoroHistoryDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->contact == NULL)
    return;

  dialog = tesoro_history_dialog_new (self->session, self->contact, mode);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_note_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_history_dialog (TESORO_CONTACT_PANE (widget), TESORO_HISTORY_DIALOG_NOTE);
}

static void
log_message_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  open_history_dialog (TESORO_CONTACT_PANE (widget), TESORO_HISTORY_DIALOG_MESSAGE);
}

static void
log_activity_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  open_history_dialog (TESORO_CONTACT_PANE (widget), TESORO_HISTORY_DIALOG_ACTIVITY);
}

static void
add_task_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_history_dialog (TESORO_CONTACT_PANE (widget), TESORO_HISTORY_DIALOG_TASK);
}

static void
set_task_done_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TesoroContactPane *self = TESORO_CONTACT_PANE (widget);
  g_autoptr(GError) error = NULL;
  gint64 task_id;
  gboolean done;

  g_variant_get (parameter, "(xb)", &task_id, &done);

  /* The session announces the change; the window then reloads the contact. */
  if (!tesoro_session_set_task_done (self->session, task_id, done, &error))
    gtk_widget_activate_action (widget, "win.show-error", "s", error->message);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  const char *text = g_variant_get_string (parameter, NULL);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  gtk_widget_activate_action (widget, "win.show-toast", "s", _("Copied to the clipboard"));
}

static void
open_uri_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

/* GObject */

static void
tesoro_contact_pane_dispose (GObject *object)
{
  TesoroContactPane *self = (TesoroContactPane *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->contact);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->privacy_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_CONTACT_PANE);
  /* The template's top box is not a bound child: unparent it too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tesoro_contact_pane_parent_class)->dispose (object);
}

static void
tesoro_contact_pane_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TesoroContactPane *self = TESORO_CONTACT_PANE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->session);
      break;
    case PROP_CONTACT:
      g_value_set_object (value, self->contact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_pane_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TesoroContactPane *self = TESORO_CONTACT_PANE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tesoro_contact_pane_set_session (self, g_value_get_object (value));
      break;
    case PROP_CONTACT:
      tesoro_contact_pane_set_contact (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_pane_class_init (TesoroContactPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_contact_pane_dispose;
  object_class->get_property = tesoro_contact_pane_get_property;
  object_class->set_property = tesoro_contact_pane_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("session", NULL, NULL, TESORO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACT] =
    g_param_spec_object ("contact", NULL, NULL, TESORO_TYPE_CONTACT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TESORO_TYPE_HISTORY_ROW);
  g_type_ensure (TESORO_TYPE_HISTORY_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-contact-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, avatar);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, name_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, trash_badge);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, restricted_badge);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, contact_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, more_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, stamp_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, history_stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, history_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, basis_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, basis_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, viewed_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, consent_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, consent_history_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, grant_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, withdraw_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, restrict_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, restrict_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, hold_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactPane, hold_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_basis_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_restrict_state_set_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_state_set_cb);

  gtk_widget_class_install_action (widget_class, "contact.add-note", NULL, add_note_activated);
  gtk_widget_class_install_action (widget_class, "contact.log-message", NULL, log_message_activated);
  gtk_widget_class_install_action (widget_class, "contact.log-activity", NULL, log_activity_activated);
  gtk_widget_class_install_action (widget_class, "contact.add-task", NULL, add_task_activated);
  gtk_widget_class_install_action (widget_class, "contact.set-task-done", "(xb)", set_task_done_activated);
  gtk_widget_class_install_action (widget_class, "contact.copy", "s", copy_activated);
  gtk_widget_class_install_action (widget_class, "contact.open-uri", "s", open_uri_activated);
  gtk_widget_class_install_action (widget_class, "contact.record-consent", NULL, record_consent_activated);
  gtk_widget_class_install_action (widget_class, "contact.withdraw-consent", NULL, withdraw_consent_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tesoro_contact_pane_init (TesoroContactPane *self)
{
  g_autoptr(GtkStringList) bases = gtk_string_list_new (NULL);

  self->rows = g_ptr_array_new ();
  self->privacy_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->updating = TRUE;
  gtk_string_list_append (bases, basis_label (NULL));
  for (guint i = 0; tesoro_lawful_bases[i] != NULL; i++)
    gtk_string_list_append (bases, basis_label (tesoro_lawful_bases[i]));
  adw_combo_row_set_model (self->basis_row, G_LIST_MODEL (bases));
  self->updating = FALSE;

  update_actions (self);
}

/* Public API */

TesoroSession *
tesoro_contact_pane_get_session (TesoroContactPane *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_PANE (self), NULL);
  return self->session;
}

void
tesoro_contact_pane_set_session (TesoroContactPane *self,
                                 TesoroSession       *session)
{
  g_return_if_fail (TESORO_IS_CONTACT_PANE (self));

  if (g_set_object (&self->session, session))
    {
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

TesoroContact *
tesoro_contact_pane_get_contact (TesoroContactPane *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_PANE (self), NULL);
  return self->contact;
}

/**
 * tesoro_contact_pane_set_contact:
 * @contact: (nullable): a contact loaded whole (tesoro_session_get_contact())
 */
void
tesoro_contact_pane_set_contact (TesoroContactPane *self,
                                 TesoroContact     *contact)
{
  g_return_if_fail (TESORO_IS_CONTACT_PANE (self));

  if (!g_set_object (&self->contact, contact))
    return;

  if (contact != NULL)
    {
      show_details (self);
      show_history (self);
      show_privacy (self);
    }
  else
    {
      clear_rows (self->rows);
      clear_rows (self->privacy_rows);
      gtk_list_view_set_model (self->history_view, NULL);
    }

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}

AdwViewStack *
tesoro_contact_pane_get_stack (TesoroContactPane *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_PANE (self), NULL);
  return self->stack;
}
