/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-history-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-history-row.h"
#include "tesoro-utils.h"

struct _TesoroHistoryRow
{
  GtkWidget          parent_instance;

  TesoroHistoryItem *item;
  gboolean           updating;

  GtkImage          *icon;
  GtkCheckButton    *done_check;
  GtkLabel          *title_label;
  GtkLabel          *when_label;
  GtkLabel          *body_label;
  GtkLabel          *meta_label;
};

G_DEFINE_FINAL_TYPE (TesoroHistoryRow, tesoro_history_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (TesoroHistoryRow *self)
{
  TesoroHistoryItem *item = self->item;
  g_autofree char *when = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *accessible = NULL;
  gboolean task;
  const char *body;

  self->updating = TRUE;

  if (item == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->when_label, "");
      gtk_label_set_label (self->body_label, "");
      gtk_label_set_label (self->meta_label, "");
      self->updating = FALSE;
      return;
    }

  task = tesoro_history_item_get_kind (item) == TESORO_HISTORY_TASK;
  body = tesoro_history_item_get_body (item);

  gtk_image_set_from_icon_name (self->icon, tesoro_history_item_get_icon_name (item));
  gtk_widget_set_visible (GTK_WIDGET (self->icon), !task);
  gtk_widget_set_visible (GTK_WIDGET (self->done_check), task);
  gtk_check_button_set_active (self->done_check, tesoro_history_item_get_done (item));

  gtk_label_set_label (self->title_label, tesoro_history_item_get_title (item));
  if (task && tesoro_history_item_get_done (item))
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "tesoro-task-done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "tesoro-task-done");

  when = tesoro_format_timestamp_local (tesoro_history_item_get_at (item));
  gtk_label_set_label (self->when_label, when);

  gtk_label_set_label (self->body_label, body);
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), body != NULL && *body != '\0');

  if (task && tesoro_history_item_get_due (item) != NULL)
    {
      g_autofree char *due = tesoro_format_timestamp_local (tesoro_history_item_get_due (item));
      /* Translators: %s is a date */
      meta = g_strdup_printf (_("Due %s"), due);
    }
  else if (tesoro_history_item_get_author (item) != NULL)
    /* Translators: %s is the login of the user who recorded it */
    meta = g_strdup_printf (_("Recorded by %s"), tesoro_history_item_get_author (item));

  if (tesoro_history_item_get_kind (item) == TESORO_HISTORY_MESSAGE_IN ||
      tesoro_history_item_get_kind (item) == TESORO_HISTORY_MESSAGE_OUT)
    {
      gboolean in = tesoro_history_item_get_kind (item) == TESORO_HISTORY_MESSAGE_IN;
      const char *address = tesoro_history_item_get_address (item);
      g_autofree char *direction = NULL;

      if (address != NULL && *address != '\0')
        /* Translators: %s is an e-mail address */
        direction = g_strdup_printf (in ? _("Received from %s") : _("Sent to %s"), address);
      else
        direction = g_strdup (in ? _("Received") : _("Sent"));

      if (meta != NULL)
        {
          char *joined = g_strdup_printf ("%s · %s", direction, meta);
          g_free (meta);
          meta = joined;
        }
      else
        meta = g_steal_pointer (&direction);
    }

  gtk_label_set_label (self->meta_label, meta != NULL ? meta : "");
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), meta != NULL);

  accessible = g_strdup_printf ("%s, %s", tesoro_history_item_get_title (item), when);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tesoro_history_item_get_title (item), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  self->updating = FALSE;
}

static void
on_done_toggled_cb (TesoroHistoryRow *self,
                    GtkCheckButton   *check)
{
  g_assert (TESORO_IS_HISTORY_ROW (self));

  if (self->updating || self->item == NULL)
    return;

  /* The pane owns the session: ask it through its action. */
  gtk_widget_activate_action (GTK_WIDGET (self), "contact.set-task-done", "(xb)",
                              tesoro_history_item_get_id (self->item),
                              gtk_check_button_get_active (check));
}

static void
tesoro_history_row_dispose (GObject *object)
{
  TesoroHistoryRow *self = (TesoroHistoryRow *) object;

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_HISTORY_ROW);
  /* The template's top box is not a bound child: unparent it too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tesoro_history_row_parent_class)->dispose (object);
}

static void
tesoro_history_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TesoroHistoryRow *self = TESORO_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_history_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TesoroHistoryRow *self = TESORO_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      tesoro_history_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_history_row_class_init (TesoroHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tesoro_history_row_dispose;
  object_class->get_property = tesoro_history_row_get_property;
  object_class->set_property = tesoro_history_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, TESORO_TYPE_HISTORY_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryRow, icon);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryRow, done_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryRow, when_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryRow, body_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroHistoryRow, meta_label);
  gtk_widget_class_bind_template_callback (widget_class, on_done_toggled_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tesoro_history_row_init (TesoroHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TesoroHistoryItem *
tesoro_history_row_get_item (TesoroHistoryRow *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ROW (self), NULL);
  return self->item;
}

void
tesoro_history_row_set_item (TesoroHistoryRow  *self,
                             TesoroHistoryItem *item)
{
  g_return_if_fail (TESORO_IS_HISTORY_ROW (self));

  if (!g_set_object (&self->item, item))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
