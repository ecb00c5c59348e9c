/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-contact-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tesoro-contact-row.h"

struct _TesoroContactRow
{
  GtkWidget      parent_instance;

  TesoroContact *contact;
  gboolean       stale;   /* shows another contact than @contact */

  GtkWidget     *box;
  AdwAvatar     *avatar;
  GtkLabel      *name_label;
  GtkLabel      *detail_label;
  GtkWidget     *restricted_icon;
};

G_DEFINE_FINAL_TYPE (TesoroContactRow, tesoro_contact_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (TesoroContactRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *accessible = NULL;
  const char *organization;
  const char *email;
  g_autofree char *detail = NULL;

  if (self->contact == NULL)
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->detail_label, "");
      adw_avatar_set_text (self->avatar, NULL);
      gtk_widget_set_visible (self->restricted_icon, FALSE);
      return;
    }

  name = tesoro_contact_dup_best_name (self->contact);
  organization = tesoro_contact_get_organization (self->contact);
  email = tesoro_contact_get_primary_email (self->contact);

  if (*organization != '\0' && email != NULL && *email != '\0')
    detail = g_strdup_printf ("%s · %s", organization, email);
  else if (*organization != '\0')
    detail = g_strdup (organization);
  else
    detail = g_strdup (email != NULL ? email : "");

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), *detail != '\0');
  adw_avatar_set_text (self->avatar, name);
  gtk_widget_set_visible (self->restricted_icon, tesoro_contact_get_restricted (self->contact));

  accessible = *detail != '\0' ? g_strdup_printf ("%s, %s", name, detail) : g_strdup (name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* GTK 4.8's list view keeps about 200 rows and binds each one whenever the
 * list changes, though only the dozen on screen are shown. Filling a row's
 * labels and avatar costs text layout, now and again when it is measured and
 * emptied, so a row that is not on screen is filled only when it is mapped:
 * a search then updates a dozen rows, not two hundred. */
static void
tesoro_contact_row_map (GtkWidget *widget)
{
  TesoroContactRow *self = TESORO_CONTACT_ROW (widget);

  GTK_WIDGET_CLASS (tesoro_contact_row_parent_class)->map (widget);

  if (self->stale)
    {
      self->stale = FALSE;
      update (self);
    }
}

static void
tesoro_contact_row_dispose (GObject *object)
{
  TesoroContactRow *self = (TesoroContactRow *) object;

  g_clear_object (&self->contact);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_CONTACT_ROW);
  /* The template's top box is not a bound child: unparent it too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tesoro_contact_row_parent_class)->dispose (object);
}

static void
tesoro_contact_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TesoroContactRow *self = TESORO_CONTACT_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      g_value_set_object (value, self->contact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TesoroContactRow *self = TESORO_CONTACT_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      tesoro_contact_row_set_contact (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_contact_row_class_init (TesoroContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_contact_row_dispose;
  object_class->get_property = tesoro_contact_row_get_property;
  object_class->set_property = tesoro_contact_row_set_property;
  widget_class->map = tesoro_contact_row_map;

  properties[PROP_CONTACT] =
    g_param_spec_object ("contact", NULL, NULL, TESORO_TYPE_CONTACT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-contact-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroContactRow, box);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroContactRow, restricted_icon);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tesoro_contact_row_init (TesoroContactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TesoroContact *
tesoro_contact_row_get_contact (TesoroContactRow *self)
{
  g_return_val_if_fail (TESORO_IS_CONTACT_ROW (self), NULL);
  return self->contact;
}

void
tesoro_contact_row_set_contact (TesoroContactRow *self,
                                TesoroContact    *contact)
{
  g_return_if_fail (TESORO_IS_CONTACT_ROW (self));
  g_return_if_fail (contact == NULL || TESORO_IS_CONTACT (contact));

  if (!g_set_object (&self->contact, contact))
    return;

  /* See tesoro_contact_row_map(). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update (self);
  else
    self->stale = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}
