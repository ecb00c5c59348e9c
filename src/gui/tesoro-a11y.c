/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-a11y"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-a11y.h"

/**
 * tesoro_a11y_name_inner_lists:
 * @name: what to call them, such as the title of the row
 *
 * AdwExpanderRow keeps its rows in lists of its own, which it leaves
 * unnamed: a screen reader would announce just "list".
 */
void
tesoro_a11y_name_inner_lists (GtkWidget  *widget,
                              const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      tesoro_a11y_name_inner_lists (child, name);
    }
}

/**
 * tesoro_a11y_name_entry_buttons:
 * @row: an #AdwEntryRow
 *
 * Names the row's apply button and, of an #AdwPasswordEntryRow, the
 * button that shows the password.
 */
void
tesoro_a11y_name_entry_buttons (GtkWidget *row)
{
  for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Show the Password"), -1);
      else if (GTK_IS_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Apply"), -1);
      else
        tesoro_a11y_name_entry_buttons (child);
    }
}
