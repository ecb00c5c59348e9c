/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Names that libadwaita 1.2 leaves out, for screen readers. */
void tesoro_a11y_name_inner_lists (GtkWidget  *widget,
                                   const char *name);
void tesoro_a11y_name_entry_buttons (GtkWidget *row);

G_END_DECLS
