/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-contact-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-a11y.h"
#include "tesoro-access.h"
#include "tesoro-contact-editor.h"
#include "tesoro-requests.h"
#include "tesoro-contact-groups.h"
#include "tesoro-fields.h"
#include "tesoro-utils.h"

/*
 * The New Contact / Edit form. It checks as you type (an e-mail address must
 * look like one; a contact needs a name or an e-mail address) and keeps Save
 * insensitive until the form is valid; the session checks the same rules again.
 */

typedef enum
{
  FIELD_EMAIL,
  FIELD_PHONE,
  FIELD_ADDRESS,
  FIELD_CUSTOM,
} FieldKind;

typedef struct
{
  FieldKind    kind;
  GtkWidget   *row;
  GtkDropDown *label;
  gboolean     primary;
  GtkEditable *entries[5];  /* value; or street … country; or name, value */
} Field;

struct _TesoroContactEditor
{
  AdwWindow             parent_instance;

  TesoroSession          *session;
  TesoroContact        *original;
  GPtrArray            *fields;
  gint64                rectification;   /* the request the corrections answer, or 0 */
  GStrv                 disabled;     /* fields switched off (data minimisation) */

  AdwWindowTitle       *window_title;
  GtkLabel             *message_label;
  GtkWidget            *save_button;
  AdwEntryRow          *given_row;
  AdwEntryRow          *family_row;
  AdwEntryRow          *display_row;
  AdwEntryRow          *organization_row;
  AdwEntryRow          *job_title_row;
  AdwPreferencesGroup  *emails_group;
  AdwPreferencesGroup  *phones_group;
  AdwPreferencesGroup  *addresses_group;
  AdwPreferencesGroup  *custom_group;
  AdwEntryRow          *birthday_row;
  AdwEntryRow          *tags_row;
  AdwComboRow          *basis_row;
};

G_DEFINE_FINAL_TYPE (TesoroContactEditor, tesoro_contact_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const email_labels[] = { "work", "home", "other", NULL };
static const char * const phone_labels[] = { "mobile", "work", "home", "other", NULL };
static const char * const address_labels[] = { "work", "home", "other", NULL };

static const char *
label_display (const char *key)
{
  if (g_str_equal (key, "work"))
    return _("Work");
  if (g_str_equal (key, "home"))
    return _("Home");
  if (g_str_equal (key, "mobile"))
    return _("Mobile");
  if (g_str_equal (key, "other"))
    return _("Other");
  return key;
}

static const char *
basis_display (const char *basis)
{
  return basis == NULL ? _("Not set") : tesoro_lawful_basis_get_label (basis);
}

static char *
editable_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

/* Labels: the known ones, translated, plus whatever the contact already had. */
static GtkDropDown *
label_drop_down (const char * const *keys,
                 const char         *current)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  GPtrArray *stored = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *drop_down;
  guint selected = 0;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      gtk_string_list_append (list, label_display (keys[i]));
      g_ptr_array_add (stored, g_strdup (keys[i]));
      if (current != NULL && g_ascii_strcasecmp (current, keys[i]) == 0)
        selected = i;
    }

  if (current != NULL && *current != '\0' && !g_strv_contains (keys, current))
    {
      gboolean known = FALSE;

      for (guint i = 0; keys[i] != NULL; i++)
        known |= g_ascii_strcasecmp (current, keys[i]) == 0;
      if (!known)
        {
          gtk_string_list_append (list, current);
          g_ptr_array_add (stored, g_strdup (current));
          selected = stored->len - 1;
        }
    }

  drop_down = gtk_drop_down_new (G_LIST_MODEL (list), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), selected);
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Label"), -1);
  g_object_set_data_full (G_OBJECT (drop_down), "keys", stored, (GDestroyNotify) g_ptr_array_unref);

  return GTK_DROP_DOWN (drop_down);
}

static const char *
selected_label (GtkDropDown *drop_down)
{
  GPtrArray *keys = g_object_get_data (G_OBJECT (drop_down), "keys");
  guint selected = gtk_drop_down_get_selected (drop_down);

  return selected < keys->len ? keys->pdata[selected] : "";
}

static void validate (TesoroContactEditor *self);

static void
on_changed_cb (TesoroContactEditor *self)
{
  validate (self);
}

static AdwPreferencesGroup *
group_for (TesoroContactEditor *self,
           FieldKind            kind)
{
  switch (kind)
    {
    case FIELD_EMAIL: return self->emails_group;
    case FIELD_PHONE: return self->phones_group;
    case FIELD_ADDRESS: return self->addresses_group;
    case FIELD_CUSTOM: return self->custom_group;
    default: g_assert_not_reached ();
    }
}

static void
on_remove_clicked_cb (GtkButton           *button,
                      TesoroContactEditor *self)
{
  Field *field = g_object_get_data (G_OBJECT (button), "field");

  adw_preferences_group_remove (group_for (self, field->kind), field->row);
  g_ptr_array_remove (self->fields, field);
  validate (self);
}

static GtkWidget *
remove_button (TesoroContactEditor *self,
               Field               *field,
               const char          *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_object_set_data (G_OBJECT (button), "field", field);
  g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked_cb), self);

  return button;
}

static Field *
add_detail_field (TesoroContactEditor *self,
                  FieldKind            kind,
                  const char          *label,
                  const char          *value,
                  gboolean             primary)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *row = adw_entry_row_new ();

  field->kind = kind;
  field->row = row;
  field->primary = primary;
  field->entries[0] = GTK_EDITABLE (row);
  field->label = label_drop_down (kind == FIELD_EMAIL ? email_labels : phone_labels, label);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kind == FIELD_EMAIL ? _("E-mail address") : _("Phone number"));
  if (kind == FIELD_EMAIL)
    gtk_editable_set_enable_undo (GTK_EDITABLE (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), GTK_WIDGET (field->label));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row),
                            remove_button (self, field, kind == FIELD_EMAIL ? _("Remove this e-mail address")
                                                                            : _("Remove this phone number")));
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_changed_cb), self);

  adw_preferences_group_add (group_for (self, kind), row);
  g_ptr_array_add (self->fields, field);

  return field;
}

static Field *
add_address_field (TesoroContactEditor *self,
                   const TesoroAddress *address)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *row = adw_expander_row_new ();
  const char *titles[] = { _("Street and number"), _("Postal code"), _("City"), _("Region"), _("Country") };
  const char *values[5] = { NULL, };
  g_autofree char *formatted = NULL;

  if (address != NULL)
    {
      values[0] = address->street;
      values[1] = address->postal_code;
      values[2] = address->city;
      values[3] = address->region;
      values[4] = address->country;
      formatted = tesoro_address_format (address);
      g_strdelimit (formatted, "\n", ',');
    }

  field->kind = FIELD_ADDRESS;
  field->row = row;
  field->label = label_drop_down (address_labels, address != NULL ? address->label : NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Address"));
  tesoro_a11y_name_inner_lists (row, _("Address"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), formatted != NULL ? formatted : "");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), address == NULL);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), GTK_WIDGET (field->label));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove_button (self, field, _("Remove this address")));

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *entry = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), titles[i]);
      gtk_editable_set_text (GTK_EDITABLE (entry), values[i] != NULL ? values[i] : "");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), entry);
      field->entries[i] = GTK_EDITABLE (entry);
    }

  adw_preferences_group_add (self->addresses_group, row);
  g_ptr_array_add (self->fields, field);

  return field;
}

static void
set_read_only (GtkWidget *widget)
{
  gtk_widget_set_sensitive (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, _("Your role may read this, not change it"));
}

/* Field-level security in the form: what the role hides is not there,
 * what it may only read cannot be changed. The session refuses a change
 * of either all the same. */
static void
apply_access (TesoroContactEditor *self)
{
  struct
  {
    GtkWidget         *widget;
    TesoroFieldGroups  group;
  } parts[] = {
    { GTK_WIDGET (self->given_row), TESORO_FIELDS_NAME },
    { GTK_WIDGET (self->family_row), TESORO_FIELDS_NAME },
    { GTK_WIDGET (self->display_row), TESORO_FIELDS_NAME },
    { GTK_WIDGET (self->organization_row), TESORO_FIELDS_ORGANIZATION },
    { GTK_WIDGET (self->job_title_row), TESORO_FIELDS_ORGANIZATION },
    { GTK_WIDGET (self->emails_group), TESORO_FIELDS_EMAILS },
    { GTK_WIDGET (self->phones_group), TESORO_FIELDS_PHONES },
    { GTK_WIDGET (self->addresses_group), TESORO_FIELDS_ADDRESSES },
    { GTK_WIDGET (self->birthday_row), TESORO_FIELDS_BIRTHDAY },
    { GTK_WIDGET (self->tags_row), TESORO_FIELDS_TAGS },
    { GTK_WIDGET (self->basis_row), TESORO_FIELDS_CONSENT },
    { GTK_WIDGET (self->custom_group), TESORO_FIELDS_CUSTOM },
  };

  /* Fields the organisation switched off are not there at all. */
  struct
  {
    GtkWidget       *widget;
    TesoroDataField  field;
  } minimised[] = {
    { GTK_WIDGET (self->organization_row), TESORO_DATA_FIELD_ORGANIZATION },
    { GTK_WIDGET (self->job_title_row), TESORO_DATA_FIELD_JOB_TITLE },
    { GTK_WIDGET (self->emails_group), TESORO_DATA_FIELD_EMAILS },
    { GTK_WIDGET (self->phones_group), TESORO_DATA_FIELD_PHONES },
    { GTK_WIDGET (self->addresses_group), TESORO_DATA_FIELD_ADDRESSES },
    { GTK_WIDGET (self->birthday_row), TESORO_DATA_FIELD_BIRTHDAY },
    { GTK_WIDGET (self->tags_row), TESORO_DATA_FIELD_TAGS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (minimised); i++)
    if (tesoro_data_field_keys_contain ((const char * const *) self->disabled,
                                        tesoro_data_field_to_key (minimised[i].field)))
      gtk_widget_set_visible (minimised[i].widget, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    switch (tesoro_session_get_access (self->session, parts[i].group))
      {
      case TESORO_ACCESS_HIDDEN:
        gtk_widget_set_visible (parts[i].widget, FALSE);
        break;
      case TESORO_ACCESS_READ:
        set_read_only (parts[i].widget);
        break;
      case TESORO_ACCESS_WRITE:
      default:
        break;
      }
}

static Field *
add_custom_field (TesoroContactEditor *self,
                  const char          *name,
                  const char          *value)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *name_entry = gtk_entry_new ();
  GtkWidget *value_entry = gtk_entry_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  field->kind = FIELD_CUSTOM;
  field->row = row;
  field->entries[0] = GTK_EDITABLE (name_entry);
  field->entries[1] = GTK_EDITABLE (value_entry);

  gtk_entry_set_placeholder_text (GTK_ENTRY (name_entry), _("Field name"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (value_entry), _("Value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (name_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Field name"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
  gtk_editable_set_text (GTK_EDITABLE (name_entry), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (value_entry), value != NULL ? value : "");
  gtk_widget_set_hexpand (value_entry, TRUE);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), name_entry);
  gtk_box_append (GTK_BOX (box), value_entry);
  gtk_widget_set_hexpand (box, TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), box);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove_button (self, field, _("Remove this custom field")));
  g_signal_connect_swapped (name_entry, "changed", G_CALLBACK (on_changed_cb), self);

  adw_preferences_group_add (self->custom_group, row);
  g_ptr_array_add (self->fields, field);

  /* A custom field the role may only read stays as it is. */
  if (name != NULL && tesoro_session_get_custom_access (self->session, name) != TESORO_ACCESS_WRITE)
    set_read_only (row);

  return field;
}

/* Reads the form into a contact (a copy of the original when editing, so
 * that what the form does not show is kept). */
static TesoroContact *
build_contact (TesoroContactEditor *self)
{
  TesoroContact *contact = self->original != NULL ? tesoro_contact_copy (self->original) : tesoro_contact_new ();
  g_autofree char *given = editable_text (GTK_EDITABLE (self->given_row));
  g_autofree char *family = editable_text (GTK_EDITABLE (self->family_row));
  g_autofree char *display = editable_text (GTK_EDITABLE (self->display_row));
  g_autofree char *organization = editable_text (GTK_EDITABLE (self->organization_row));
  g_autofree char *job_title = editable_text (GTK_EDITABLE (self->job_title_row));
  g_autofree char *birthday = editable_text (GTK_EDITABLE (self->birthday_row));
  g_autofree char *tags = editable_text (GTK_EDITABLE (self->tags_row));
  g_auto(GStrv) tag_list = g_strsplit_set (tags, ",;", -1);
  guint basis = adw_combo_row_get_selected (self->basis_row);

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  /* An unchanged automatic display name follows the name fields. */
  if (self->original != NULL && *display != '\0')
    {
      g_autofree char *old_auto = NULL;
      g_autoptr(TesoroContact) probe = tesoro_contact_copy (self->original);

      tesoro_contact_set_display_name (probe, NULL);
      old_auto = tesoro_contact_dup_best_name (probe);
      if (g_str_equal (old_auto, display))
        display[0] = '\0';
    }
  tesoro_contact_set_display_name (contact, display);
  tesoro_contact_set_organization (contact, organization);
  tesoro_contact_set_job_title (contact, job_title);
  tesoro_contact_set_birthday (contact, *birthday != '\0' ? birthday : NULL);
  tesoro_contact_set_lawful_basis (contact, basis == 0 ? NULL : tesoro_lawful_bases[basis - 1]);

  g_ptr_array_set_size (tesoro_contact_get_emails (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_phones (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_addresses (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_custom_values (contact), 0);
  g_ptr_array_set_size (tesoro_contact_get_tags (contact), 0);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = self->fields->pdata[i];
      g_autofree char *first = editable_text (field->entries[0]);

      switch (field->kind)
        {
        case FIELD_EMAIL:
          if (*first != '\0')
            tesoro_contact_add_email (contact, selected_label (field->label), first, field->primary);
          break;

        case FIELD_PHONE:
          if (*first != '\0')
            tesoro_contact_add_phone (contact, selected_label (field->label), first, field->primary);
          break;

        case FIELD_ADDRESS:
          {
            TesoroAddress *a = tesoro_address_new ();

            a->label = g_strdup (selected_label (field->label));
            a->street = g_steal_pointer (&first);
            a->postal_code = editable_text (field->entries[1]);
            a->city = editable_text (field->entries[2]);
            a->region = editable_text (field->entries[3]);
            a->country = editable_text (field->entries[4]);
            if (tesoro_address_is_empty (a))
              tesoro_address_free (a);
            else
              g_ptr_array_add (tesoro_contact_get_addresses (contact), a);
          }
          break;

        case FIELD_CUSTOM:
          {
            g_autofree char *value = editable_text (field->entries[1]);
            if (*first != '\0')
              tesoro_contact_set_custom_value (contact, first, value);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  for (guint i = 0; tag_list[i] != NULL; i++)
    {
      g_strstrip (tag_list[i]);
      if (*tag_list[i] != '\0' && !tesoro_contact_has_tag (contact, tag_list[i]))
        g_ptr_array_add (tesoro_contact_get_tags (contact), g_strdup (tag_list[i]));
    }

  /* The form does not show fields that are switched off: what the contact
   * still holds of them is kept as it is (erasing it is the privacy
   * office's step), and a new contact gets none. */
  tesoro_contact_take_fields (contact, self->original, (const char * const *) self->disabled);

  return contact;
}

static void
validate (TesoroContactEditor *self)
{
  g_autoptr(TesoroContact) contact = build_contact (self);
  g_autoptr(GError) error = NULL;
  gboolean valid;

  /* Mark the e-mail rows and the birthday that are wrong. */
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = self->fields->pdata[i];
      g_autofree char *value = editable_text (field->entries[0]);

      if (field->kind != FIELD_EMAIL)
        continue;
      if (*value != '\0' && !tesoro_is_valid_email (value))
        gtk_widget_add_css_class (field->row, "error");
      else
        gtk_widget_remove_css_class (field->row, "error");
    }

  {
    g_autofree char *birthday = editable_text (GTK_EDITABLE (self->birthday_row));

    if (*birthday != '\0' && !tesoro_is_valid_date (birthday))
      gtk_widget_add_css_class (GTK_WIDGET (self->birthday_row), "error");
    else
      gtk_widget_remove_css_class (GTK_WIDGET (self->birthday_row), "error");
  }

  valid = tesoro_contact_validate (contact, &error);
  gtk_widget_set_sensitive (self->save_button, valid);

  if (valid)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
    }
  else
    {
      gtk_label_set_label (self->message_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
    }
}

/* Actions */

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroContactEditor *self = TESORO_CONTACT_EDITOR (widget);
  g_autoptr(TesoroContact) contact = build_contact (self);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->rectification > 0)
    ok = tesoro_session_respond_rectification (self->session, self->rectification, contact, &error);
  else if (self->original != NULL)
    ok = tesoro_session_update_contact (self->session, contact, &error);
  else
    ok = tesoro_session_add_contact (self->session, contact, &error);

  if (!ok)
    {
      gtk_label_set_label (self->message_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, tesoro_contact_get_id (contact));
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_email_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TesoroContactEditor *self = TESORO_CONTACT_EDITOR (widget);
  Field *field = add_detail_field (self, FIELD_EMAIL, NULL, NULL, FALSE);

  gtk_widget_grab_focus (field->row);
}

static void
add_phone_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TesoroContactEditor *self = TESORO_CONTACT_EDITOR (widget);
  Field *field = add_detail_field (self, FIELD_PHONE, "mobile", NULL, FALSE);

  gtk_widget_grab_focus (field->row);
}

static void
add_address_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroContactEditor *self = TESORO_CONTACT_EDITOR (widget);
  Field *field = add_address_field (self, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (field->entries[0]));
}

static void
add_custom_field_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TesoroContactEditor *self = TESORO_CONTACT_EDITOR (widget);
  Field *field = add_custom_field (self, NULL, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (field->entries[0]));
}

/* GObject */

static void
tesoro_contact_editor_dispose (GObject *object)
{
  TesoroContactEditor *self = (TesoroContactEditor *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->original);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->disabled, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_CONTACT_EDITOR);

  G_OBJECT_CLASS (tesoro_contact_editor_parent_class)->dispose (object);
}

static void
tesoro_contact_editor_class_init (TesoroContactEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_contact_editor_dispose;

  /**
   * TesoroContactEditor::saved:
   * @id: the id of the saved contact
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-contact-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, given_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, family_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, display_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, organization_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, job_title_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, emails_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, phones_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, addresses_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, custom_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, birthday_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactEditor, basis_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "editor.add-email", NULL, add_email_activated);
  gtk_widget_class_install_action (widget_class, "editor.add-phone", NULL, add_phone_activated);
  gtk_widget_class_install_action (widget_class, "editor.add-address", NULL, add_address_activated);
  gtk_widget_class_install_action (widget_class, "editor.add-custom-field", NULL, add_custom_field_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
tesoro_contact_editor_init (TesoroContactEditor *self)
{
  GtkStringList *bases = gtk_string_list_new (NULL);

  self->fields = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (bases, basis_display (NULL));
  for (guint i = 0; tesoro_lawful_bases[i] != NULL; i++)
    gtk_string_list_append (bases, basis_display (tesoro_lawful_bases[i]));
  adw_combo_row_set_model (self->basis_row, G_LIST_MODEL (bases));
  g_object_unref (bases);
}

/**
 * tesoro_contact_editor_new:
 * @contact: (nullable): the contact to edit, loaded whole; %NULL for a new one
 *
 * Returns: (transfer none): the form
 */
TesoroContactEditor *
tesoro_contact_editor_new (TesoroSession   *session,
                           TesoroContact *contact)
{
  TesoroContactEditor *self;
  const char *title = contact != NULL ? _("Edit Contact") : _("New Contact");

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (contact == NULL || TESORO_IS_CONTACT (contact), NULL);

  self = g_object_new (TESORO_TYPE_CONTACT_EDITOR, NULL);
  self->session = g_object_ref (session);
  self->original = contact != NULL ? g_object_ref (contact) : NULL;
  self->disabled = tesoro_session_get_disabled_fields (session, NULL);

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  if (contact != NULL)
    {
      GPtrArray *array;
      g_autofree char *name = tesoro_contact_dup_best_name (contact);
      g_autoptr(GString) tags = g_string_new (NULL);
      const char *basis = tesoro_contact_get_lawful_basis (contact);

      adw_window_title_set_subtitle (self->window_title, name);
      gtk_editable_set_text (GTK_EDITABLE (self->given_row), tesoro_contact_get_given_name (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->family_row), tesoro_contact_get_family_name (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->display_row), tesoro_contact_get_display_name (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->organization_row), tesoro_contact_get_organization (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->job_title_row), tesoro_contact_get_job_title (contact));
      if (tesoro_contact_get_birthday (contact) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->birthday_row), tesoro_contact_get_birthday (contact));

      array = tesoro_contact_get_emails (contact);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroDetail *d = array->pdata[i];
          add_detail_field (self, FIELD_EMAIL, d->label, d->value, d->primary);
        }
      array = tesoro_contact_get_phones (contact);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroDetail *d = array->pdata[i];
          add_detail_field (self, FIELD_PHONE, d->label, d->value, d->primary);
        }
      array = tesoro_contact_get_addresses (contact);
      for (guint i = 0; i < array->len; i++)
        add_address_field (self, array->pdata[i]);
      array = tesoro_contact_get_custom_values (contact);
      for (guint i = 0; i < array->len; i++)
        {
          TesoroCustomValue *cv = array->pdata[i];
          g_autofree char *key = tesoro_data_field_custom_key (cv->name);

          if (!tesoro_data_field_keys_contain ((const char * const *) self->disabled, key))
            add_custom_field (self, cv->name, cv->value);
        }
      array = tesoro_contact_get_tags (contact);
      for (guint i = 0; i < array->len; i++)
        g_string_append_printf (tags, "%s%s", i > 0 ? ", " : "", (char *) array->pdata[i]);
      gtk_editable_set_text (GTK_EDITABLE (self->tags_row), tags->str);

      for (guint i = 0; basis != NULL && tesoro_lawful_bases[i] != NULL; i++)
        if (g_str_equal (basis, tesoro_lawful_bases[i]))
          adw_combo_row_set_selected (self->basis_row, i + 1);
    }
  else
    {
      add_detail_field (self, FIELD_EMAIL, "work", NULL, TRUE);
      add_detail_field (self, FIELD_PHONE, "mobile", NULL, TRUE);
    }

  apply_access (self);
  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->given_row));

  return self;
}

/**
 * tesoro_contact_editor_set_rectification:
 * @request_id: a rectification request about the edited contact
 *
 * Saving then answers the request: the corrections are saved and the
 * request is closed with the names of the fields that changed.
 */
void
tesoro_contact_editor_set_rectification (TesoroContactEditor *self,
                                         gint64               request_id)
{
  g_return_if_fail (TESORO_IS_CONTACT_EDITOR (self));
  g_return_if_fail (self->original != NULL);

  self->rectification = request_id;
  /* Translators: the title of the contact editor answering a rectification request */
  adw_window_title_set_subtitle (self->window_title, _("Correction requested by the person (Art. 16)"));
}
