/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-window"

#include "config.h"

#include "tesoro-import-window-private.h"

/*
 * The items of the import window's lists: the rows of its sample and
 * preview tables, the columns of the file on the Columns step, and the
 * targets of a column's drop-down.
 */

G_DEFINE_FINAL_TYPE (TesoroImportTableRow, tesoro_import_table_row, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (TesoroImportChoiceItem, tesoro_import_choice_item, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (TesoroImportColumnItem, tesoro_import_column_item, G_TYPE_OBJECT)

/* TesoroImportTableRow */

static void
tesoro_import_table_row_finalize (GObject *object)
{
  TesoroImportTableRow *self = (TesoroImportTableRow *) object;

  g_strfreev (self->cells);
  g_free (self->status_text);

  G_OBJECT_CLASS (tesoro_import_table_row_parent_class)->finalize (object);
}

static void
tesoro_import_table_row_class_init (TesoroImportTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tesoro_import_table_row_finalize;
}

static void
tesoro_import_table_row_init (TesoroImportTableRow *self)
{
  self->status = -1;
}

/**
 * _tesoro_import_table_row_new:
 * @cells: (transfer full): the cells
 * @status: a #TesoroImportRowStatus, or -1 for a row as read
 * @status_text: (transfer full) (nullable): what the status says
 *
 * Returns: (transfer full): a row of a table
 */
TesoroImportTableRow *
_tesoro_import_table_row_new (char **cells,
                              int    status,
                              char  *status_text)
{
  TesoroImportTableRow *self = g_object_new (TESORO_TYPE_IMPORT_TABLE_ROW, NULL);

  self->cells = cells;
  self->status = status;
  self->status_text = status_text;
  return self;
}

const char *
_tesoro_import_table_row_get_cell (gpointer row,
                                   guint    column)
{
  TesoroImportTableRow *self = TESORO_IMPORT_TABLE_ROW (row);

  if (self->cells == NULL || column >= g_strv_length (self->cells))
    return NULL;
  return self->cells[column];
}

int
_tesoro_import_table_row_get_status (gpointer row)
{
  return TESORO_IMPORT_TABLE_ROW (row)->status;
}

const char *
_tesoro_import_table_row_get_status_text (gpointer row)
{
  return TESORO_IMPORT_TABLE_ROW (row)->status_text;
}

/* TesoroImportChoiceItem */

static void
tesoro_import_choice_item_finalize (GObject *object)
{
  TesoroImportChoiceItem *self = (TesoroImportChoiceItem *) object;

  g_free (self->spec);
  g_free (self->label);
  g_free (self->section);

  G_OBJECT_CLASS (tesoro_import_choice_item_parent_class)->finalize (object);
}

static void
tesoro_import_choice_item_class_init (TesoroImportChoiceItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tesoro_import_choice_item_finalize;
}

static void
tesoro_import_choice_item_init (TesoroImportChoiceItem *self)
{
}

static char *
choice_item_dup_label (TesoroImportChoiceItem *item,
                       gpointer                user_data)
{
  return g_strdup (item->label);
}

/**
 * _tesoro_import_choice_item_label_expression:
 *
 * Returns: (transfer full): an expression of a choice's label, for the
 * drop-down
 */
GtkExpression *
_tesoro_import_choice_item_label_expression (void)
{
  return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                      G_CALLBACK (choice_item_dup_label), NULL, NULL);
}

/* TesoroImportColumnItem */

static void
tesoro_import_column_item_finalize (GObject *object)
{
  TesoroImportColumnItem *self = (TesoroImportColumnItem *) object;

  g_clear_weak_pointer (&self->row);
  g_free (self->title);
  g_free (self->sample);
  g_clear_object (&self->choices);

  G_OBJECT_CLASS (tesoro_import_column_item_parent_class)->finalize (object);
}

static void
tesoro_import_column_item_class_init (TesoroImportColumnItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tesoro_import_column_item_finalize;
}

static void
tesoro_import_column_item_init (TesoroImportColumnItem *self)
{
  self->choices = g_list_store_new (TESORO_TYPE_IMPORT_CHOICE_ITEM);
}
