/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-import-window"

#include "config.h"

#include "tesoro-import-window-private.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"
#include "tesoro-worker.h"

/*
 * What the steps of the import window do (the window and its navigation
 * are in tesoro-import-window.c):
 *
 *   File      how to read the file: encoding, delimiter, header row, and
 *             the first rows as read
 *   Columns   what each column becomes (CSV only)
 *   Preview   the first rows as they will be stored, with their problems,
 *             totals for the whole file, and choices for every contact
 *   Existing  what to do with rows whose e-mail address is known already
 *   Import    one transaction in a worker thread, with Cancel
 *   Summary   the counts, Undo Import, and the report of skipped rows
 *
 * The quick steps (reading the start of the file, previewing the first
 * rows) run on the main thread with the window's session. Checking the whole
 * file, the import and Undo Import are jobs of the GUI's job runner
 * (tesoro-job.c), like Empty Trash in the main window: a worker thread with
 * a TesoroSession of its own, its progress shown in the step's own progress
 * bar. While a job holds the import nothing else touches it: the controls
 * that would are insensitive, and the choices that apply to every contact
 * are kept in the window and handed to the import only between jobs
 * (apply_options()).
 *
 * The worker's session emits "contact-changed" on its own thread, which the
 * main window never sees: the window emits "imported" and "undone" instead.
 */

/* Rows of the preview, and of the vCard sample on the File step. */
#define PREVIEW_ROWS 50
#define FILE_CHECK_ROWS 20

/* Characters of a cell shown in the tables; the tooltip has more. */
#define CELL_CHARS 60
#define TOOLTIP_CHARS 500

static const TesoroTextEncoding encodings[] = {
  TESORO_TEXT_ENCODING_UTF8,
  TESORO_TEXT_ENCODING_UTF8_BOM,
  TESORO_TEXT_ENCODING_UTF16LE,
  TESORO_TEXT_ENCODING_UTF16BE,
  TESORO_TEXT_ENCODING_WINDOWS_1252,
};

static const char delimiters[] = { ',', ';', '\t', '|' };

/* The basis row lists "Not set" and then #tesoro_lawful_bases in order. */
static const char *
basis_at (guint index)
{
  return index == 0 ? NULL : tesoro_lawful_bases[index - 1];
}

static void rebuild_columns (TesoroImportWindow *self);

/* Helpers */

/**
 * _tesoro_import_window_is_csv:
 *
 * Returns: whether the file was read, as CSV
 */
gboolean
_tesoro_import_window_is_csv (TesoroImportWindow *self)
{
  return self->prepared && tesoro_import_session_get_format (self->import) == TESORO_IMPORT_FORMAT_CSV;
}

/* A cell on one line: line breaks and tabs shown as spaces, cut short. */
static char *
one_line (const char *text,
          guint       max_chars)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == '\r' && p[1] == '\n')
        continue;
      if (c == '\n' || c == '\r')
        g_string_append (out, " ↵ ");
      else if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
      n++;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
format_count (guint64 n)
{
  /* The ' flag groups the digits as the user's language does. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

static void
set_progress (GtkProgressBar *bar,
              guint64         done,
              guint64         total,
              gboolean        bytes)
{
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;

  if (total == 0)
    {
      gtk_progress_bar_pulse (bar);
      return;
    }

  done_text = bytes ? g_format_size (MIN (done, total)) : format_count (MIN (done, total));
  total_text = bytes ? g_format_size (total) : format_count (total);
  /* Translators: progress, such as "1.2 MB of 4.0 MB" */
  text = g_strdup_printf (_("%s of %s"), done_text, total_text);
  gtk_progress_bar_set_fraction (bar, (double) MIN (done, total) / (double) total);
  gtk_progress_bar_set_text (bar, text);
}

static void
reset_progress (GtkProgressBar *bar)
{
  gtk_progress_bar_set_fraction (bar, 0);
  gtk_progress_bar_set_text (bar, "");
}

static void
set_label_style (GtkWidget  *widget,
                 const char *style)
{
  static const char * const styles[] = { "error", "warning", "success", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (widget, styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
}

static void
show_toast (TesoroImportWindow *self,
            const char         *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* Tables */

static void
on_text_cell_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* user_data: the width in characters, at least (low byte) and at most. */
  gtk_label_set_width_chars (GTK_LABEL (label), GPOINTER_TO_INT (user_data) & 0xff);
  gtk_label_set_max_width_chars (GTK_LABEL (label), GPOINTER_TO_INT (user_data) >> 8);
  gtk_list_item_set_child (list_item, label);
}

static void
on_text_cell_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      gpointer                  user_data)
{
  TesoroImportTableRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  guint column = GPOINTER_TO_UINT (user_data);
  const char *text = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *tooltip = NULL;

  if (row->cells != NULL && column < g_strv_length (row->cells))
    text = row->cells[column];

  shown = one_line (text, CELL_CHARS);
  gtk_label_set_label (GTK_LABEL (label), shown);
  if (text != NULL && g_utf8_strlen (text, -1) > 20)
    tooltip = tesoro_text_excerpt (text, -1, TOOLTIP_CHARS);
  gtk_widget_set_tooltip_text (label, tooltip);

  /* The cells of an invalid row are marked too, not only its status. */
  set_label_style (label, row->status == TESORO_IMPORT_ROW_INVALID ? "error" : NULL);
}

static void
on_status_cell_setup_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *list_item,
                         gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Wrapped within the column's fixed width. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
on_status_cell_bind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *list_item,
                        gpointer                  user_data)
{
  TesoroImportTableRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  const char *icon = NULL;
  const char *style = NULL;

  switch (row->status)
    {
    case TESORO_IMPORT_ROW_INVALID:
      icon = "dialog-error-symbolic";
      style = "error";
      break;
    case TESORO_IMPORT_ROW_EXISTING:
      icon = "avatar-default-symbolic";
      style = "warning";
      break;
    case TESORO_IMPORT_ROW_DUPLICATE:
      icon = "edit-copy-symbolic";
      style = "warning";
      break;
    case TESORO_IMPORT_ROW_NEW:
      icon = "list-add-symbolic";
      style = "dim-label";
      break;
    default:
      break;
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
  gtk_widget_set_visible (image, icon != NULL);
  set_label_style (image, style);
  set_label_style (label, style);
  gtk_label_set_label (GTK_LABEL (label), row->status_text != NULL ? row->status_text : "");
}

static void
clear_columns (GtkColumnView *view)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (view, column);
    }
}

/* A column of cells[@index], @min_chars to @max_chars wide. */
static void
add_text_column (GtkColumnView *view,
                 const char    *title,
                 guint          index,
                 guint8         min_chars,
                 guint8         max_chars)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (on_text_cell_setup_cb),
                    GINT_TO_POINTER (max_chars << 8 | min_chars));
  g_signal_connect (factory, "bind", G_CALLBACK (on_text_cell_bind_cb), GUINT_TO_POINTER (index));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
}

/* The columns of the preview table, and of the vCard sample. */
static void
set_contact_columns (GtkColumnView *view,
                     gboolean       with_status)
{
  const char *titles[] = {
    /* Translators: the line of the file a row starts on */
    _("Line"), _("Name"), _("E-mail"), _("Phone"), _("Organisation"), _("City"),
  };
  /* A longer value is cut short, with a tooltip. */
  static const guint8 min_chars[] = { 3, 4, 4, 4, 4, 4 };
  static const guint8 max_chars[] = { 8, 24, 30, 16, 24, 16 };

  G_STATIC_ASSERT (G_N_ELEMENTS (titles) == G_N_ELEMENTS (min_chars));
  G_STATIC_ASSERT (G_N_ELEMENTS (titles) == G_N_ELEMENTS (max_chars));

  clear_columns (view);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      add_text_column (view, titles[i], i, min_chars[i], max_chars[i]);

      /* The status comes right after the line, where it is seen even when
       * the other columns need scrolling sideways. */
      if (i == 0 && with_status)
        {
          GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
          g_autoptr(GtkColumnViewColumn) column = NULL;

          g_signal_connect (factory, "setup", G_CALLBACK (on_status_cell_setup_cb), NULL);
          g_signal_connect (factory, "bind", G_CALLBACK (on_status_cell_bind_cb), NULL);
          column = gtk_column_view_column_new (_("Status"), factory);
          gtk_column_view_column_set_fixed_width (column, 300);
          gtk_column_view_column_set_resizable (column, TRUE);
          gtk_column_view_append_column (view, column);
        }
    }
}

static char *
contact_name (TesoroContact *contact)
{
  const char *display = tesoro_contact_get_display_name (contact);
  const char *given = tesoro_contact_get_given_name (contact);
  const char *family = tesoro_contact_get_family_name (contact);

  if (display != NULL && *display != '\0')
    return g_strdup (display);
  if (given != NULL && *given != '\0' && family != NULL && *family != '\0')
    return g_strdup_printf ("%s %s", given, family);
  if (given != NULL && *given != '\0')
    return g_strdup (given);
  return g_strdup (family != NULL ? family : "");
}

static char *
row_status_text (const TesoroImportRow *row)
{
  g_autoptr(GString) text = NULL;

  switch (row->status)
    {
    case TESORO_IMPORT_ROW_INVALID:
      text = g_string_new (NULL);
      for (guint i = 0; row->problems != NULL && i < row->problems->len; i++)
        {
          const TesoroImportProblem *problem = row->problems->pdata[i];

          if (text->len > 0)
            g_string_append_c (text, '\n');
          if (problem->column_name != NULL)
            /* Translators: a problem of an imported row: the column, then what is wrong */
            g_string_append_printf (text, _("%s: %s"), problem->column_name, problem->message);
          else
            g_string_append (text, problem->message);
        }
      if (text->len == 0)
        g_string_append (text, _("Cannot be imported"));
      return g_string_free (g_steal_pointer (&text), FALSE);
    case TESORO_IMPORT_ROW_EXISTING:
      return g_strdup (_("Already in Tesoro"));
    case TESORO_IMPORT_ROW_DUPLICATE:
      return g_strdup (_("Same e-mail address as an earlier row"));
    case TESORO_IMPORT_ROW_NEW:
    default:
      return g_strdup (_("New contact"));
    }
}

/* A previewed row as the table shows it: line, name, e-mail, phone,
 * organisation, city. */
static TesoroImportTableRow *
preview_table_row (const TesoroImportRow *row,
                   gboolean               with_status)
{
  g_autoptr(GStrvBuilder) cells = g_strv_builder_new ();
  g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, row->line);
  TesoroContact *contact = row->contact;

  g_strv_builder_add (cells, line);
  if (contact != NULL)
    {
      g_autofree char *name = contact_name (contact);
      GPtrArray *addresses = tesoro_contact_get_addresses (contact);
      const TesoroAddress *address = addresses != NULL && addresses->len > 0 ? addresses->pdata[0] : NULL;
      const char *email = tesoro_contact_get_primary_email (contact);
      const char *phone = tesoro_contact_get_primary_phone (contact);
      const char *organization = tesoro_contact_get_organization (contact);

      g_strv_builder_add (cells, name);
      g_strv_builder_add (cells, email != NULL ? email : "");
      g_strv_builder_add (cells, phone != NULL ? phone : "");
      g_strv_builder_add (cells, organization != NULL ? organization : "");
      g_strv_builder_add (cells, address != NULL && address->city != NULL ? address->city : "");
    }

  return _tesoro_import_table_row_new (g_strv_builder_end (cells),
                                       with_status ? (int) row->status : -1,
                                       with_status ? row_status_text (row) : NULL);
}

/* The worker */

/* What a job needs and returns. */
typedef struct
{
  TesoroImportWork     kind;
  TesoroImportSession *import;
  gint64               batch_id;
  TesoroImportTotals   totals;
  TesoroImportResult   result;
  guint64              n_removed;
  guint64              n_restored;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->import);
  g_free (work);
}

/* Called on the worker thread. */
static gboolean
work_run (TesoroJob      *job,
          TesoroSession  *session,
          gpointer        data,
          GCancellable   *cancellable,
          GError        **error)
{
  Work *work = data;

  switch (work->kind)
    {
    case WORK_CHECK:
      {
        g_autoptr(GPtrArray) rows = NULL;

        return tesoro_import_session_preview (work->import, session, 1, cancellable,
                                              tesoro_job_progress_cb, job,
                                              &rows, &work->totals, error);
      }
    case WORK_IMPORT:
      return tesoro_import_session_run (work->import, session, cancellable,
                                        tesoro_job_progress_cb, job, &work->result, error);
    case WORK_UNDO:
      return tesoro_session_undo_import (session, work->batch_id, cancellable,
                                         tesoro_job_progress_cb, job,
                                         &work->n_removed, &work->n_restored, error);
    case WORK_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* The step's own progress bar shows how far the job is. */
static void
on_work_progress_cb (TesoroJob *job,
                     guint64    done,
                     guint64    total,
                     gpointer   user_data)
{
  TesoroImportWindow *self = user_data;
  Work *work = tesoro_job_get_data (job);

  if (self->closed)
    return;

  switch (work->kind)
    {
    case WORK_CHECK:
      set_progress (self->totals_progress, done, total, TRUE);
      break;
    case WORK_IMPORT:
      set_progress (self->import_progress, done, total, TRUE);
      break;
    case WORK_UNDO:
      set_progress (self->undo_progress, done, total, FALSE);
      break;
    case WORK_NONE:
    default:
      break;
    }
}

static void work_done_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
start_work (TesoroImportWindow *self,
            TesoroImportWork    kind)
{
  Work *work;

  g_return_if_fail (!_tesoro_import_window_is_busy (self));

  work = g_new0 (Work, 1);
  work->kind = kind;
  work->import = g_object_ref (self->import);
  work->batch_id = self->result.batch_id;

  self->work_kind = kind;
  g_clear_object (&self->job);
  self->job = tesoro_job_new (self->session, work_run, work, (GDestroyNotify) work_free);
  tesoro_job_set_progress_func (self->job, on_work_progress_cb, self, NULL);
  /* The window lives until the job is done: its result still counts. */
  tesoro_job_run_async (self->job, work_done_cb, g_object_ref (self));
}

/**
 * _tesoro_import_window_cancel_work:
 *
 * Asks the running job, if any, to stop; it still ends in work_done_cb().
 */
void
_tesoro_import_window_cancel_work (TesoroImportWindow *self)
{
  if (self->job != NULL)
    tesoro_job_cancel (self->job);
}

/* The choices for every contact, handed to the import between workers. */
static void
apply_options (TesoroImportWindow *self,
               const char         *report_path)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (!_tesoro_import_window_is_busy (self));

  if (!tesoro_import_session_set_default_country (self->import, self->country, &error))
    {
      g_warning ("Cannot use the phone country %s: %s", self->country, error->message);
      g_clear_error (&error);
    }
  if (!tesoro_import_session_set_lawful_basis (self->import, basis_at (self->basis), &error))
    g_warning ("Cannot use the lawful basis: %s", error->message);
  tesoro_import_session_set_consent (self->import, self->consent);
  tesoro_import_session_set_existing (self->import, self->existing);
  tesoro_import_session_set_skip_invalid (self->import, self->skip_invalid, report_path);
  tesoro_import_session_set_dry_run (self->import, FALSE);
}

/* Step 1: File */

static void
fill_sample (TesoroImportWindow *self,
             GPtrArray          *vcard_rows)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_list_store_remove_all (self->sample_rows);
  clear_columns (self->sample_view);

  if (!self->prepared)
    return;

  if (_tesoro_import_window_is_csv (self))
    {
      GPtrArray *sample = tesoro_import_session_get_sample (self->import);

      for (guint i = 0; sample != NULL && i < sample->len; i++)
        g_ptr_array_add (items, _tesoro_import_table_row_new (g_strdupv (sample->pdata[i]), -1, NULL));
    }
  else
    {
      for (guint i = 0; vcard_rows != NULL && i < vcard_rows->len; i++)
        g_ptr_array_add (items, preview_table_row (vcard_rows->pdata[i], FALSE));
    }

  /* The rows first: a column takes the width of the cells it has. */
  g_list_store_splice (self->sample_rows, 0, 0, items->pdata, items->len);

  if (_tesoro_import_window_is_csv (self))
    {
      const char * const *header = tesoro_import_session_get_header (self->import);
      guint n_columns = tesoro_import_session_get_n_columns (self->import);

      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *title = NULL;

          if (header != NULL && header[c] != NULL && *header[c] != '\0')
            title = one_line (header[c], 30);
          else
            title = g_strdup_printf (_("Column %u"), c + 1);
          add_text_column (self->sample_view, title, c, 4, 24);
        }
    }
  else
    set_contact_columns (self->sample_view, FALSE);
}

void
_tesoro_import_window_show_file_step (TesoroImportWindow *self)
{
  /* Known even when reading failed after the format was recognised: the
   * rows that can put it right stay. */
  TesoroImportFormat format = self->import != NULL ? tesoro_import_session_get_format (self->import)
                                                    : TESORO_IMPORT_FORMAT_AUTO;
  gboolean csv = format == TESORO_IMPORT_FORMAT_CSV;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *subtitle = NULL;
  const char *format_text;

  self->updating = TRUE;

  switch (format)
    {
    case TESORO_IMPORT_FORMAT_CSV:
      format_text = _("CSV file");
      break;
    case TESORO_IMPORT_FORMAT_VCARD:
      format_text = _("vCard file");
      break;
    case TESORO_IMPORT_FORMAT_AUTO:
    default:
      format_text = _("Unknown format");
      break;
    }

  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      /* Translators: the format and size of the imported file, such as "CSV file, 4.2 kB" */
      subtitle = g_strdup_printf (_("%s, %s"), format_text, size);
    }
  else
    subtitle = g_strdup (format_text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), self->display_name);
  adw_action_row_set_subtitle (self->file_row, subtitle);
  gtk_image_set_from_icon_name (self->file_icon, format == TESORO_IMPORT_FORMAT_VCARD ? "contact-new-symbolic"
                                                                                     : "x-office-spreadsheet-symbolic");

  gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), format != TESORO_IMPORT_FORMAT_AUTO);
  if (self->prepared)
    {
      TesoroTextEncoding encoding = tesoro_import_session_get_encoding (self->import);

      for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
        if (encodings[i] == encoding)
          adw_combo_row_set_selected (self->encoding_row, i);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row),
                                   self->encoding_chosen ? "" : _("Detected automatically"));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->delimiter_row), csv);
  gtk_widget_set_visible (GTK_WIDGET (self->header_row), csv);
  if (_tesoro_import_window_is_csv (self))
    {
      char delimiter = tesoro_import_session_get_delimiter (self->import);

      for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
        if (delimiters[i] == delimiter)
          adw_combo_row_set_selected (self->delimiter_row, i);
      gtk_switch_set_active (self->header_switch, tesoro_import_session_get_has_header (self->import));
    }

  gtk_widget_set_visible (self->file_error_box, self->file_error != NULL);
  gtk_label_set_label (self->file_error_label, self->file_error != NULL ? self->file_error : "");

  gtk_label_set_label (self->sample_label, _tesoro_import_window_is_csv (self)
                                           ? _("The first rows of the file, as read")
                                           : _("The first contacts of the file"));
  gtk_widget_set_visible (GTK_WIDGET (self->sample_label), self->prepared);

  gtk_widget_set_visible (GTK_WIDGET (self->vcard_country_row), self->prepared && !_tesoro_import_window_is_csv (self));

  self->updating = FALSE;
}

/* Reads the start of the file again (after a change of encoding, delimiter
 * or header row) and shows what came out. A mapping the user changed is
 * kept when the columns are still the same. */
void
_tesoro_import_window_prepare (TesoroImportWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(TesoroImportMapping) previous = NULL;
  g_auto(GStrv) previous_header = NULL;
  guint previous_columns = 0;

  g_return_if_fail (!_tesoro_import_window_is_busy (self));

  if (_tesoro_import_window_is_csv (self) && tesoro_import_session_get_mapping (self->import) != NULL)
    {
      previous = tesoro_import_mapping_copy (tesoro_import_session_get_mapping (self->import));
      previous_header = g_strdupv ((char **) tesoro_import_session_get_header (self->import));
      previous_columns = tesoro_import_session_get_n_columns (self->import);
    }

  g_clear_pointer (&self->file_error, g_free);
  apply_options (self, NULL);

  self->prepared = tesoro_import_session_prepare (self->import, self->session, NULL, &error);
  if (!self->prepared)
    self->file_error = g_strdup (error->message);
  else
    {
      const char * const *header = tesoro_import_session_get_header (self->import);

      if (previous != NULL && _tesoro_import_window_is_csv (self) &&
          previous_columns == tesoro_import_session_get_n_columns (self->import) &&
          ((previous_header == NULL && header == NULL) ||
           (previous_header != NULL && header != NULL &&
            g_strv_equal ((const char * const *) previous_header, header))))
        {
          if (!tesoro_import_session_set_mapping (self->import, previous, &error))
            {
              g_warning ("Cannot keep the column mapping: %s", error->message);
              g_clear_error (&error);
            }
        }

      /* A file that cannot be read to the end (invalid text, a NUL byte, a
       * quote never closed) is found here when the fault is among the first
       * records; further down, the check of the whole file on the Preview
       * step finds it. */
      if (!tesoro_import_session_preview (self->import, self->session, FILE_CHECK_ROWS, NULL, NULL, NULL,
                                          &rows, NULL, &error))
        self->file_error = g_strdup (error->message);
    }

  fill_sample (self, rows);
  _tesoro_import_window_show_file_step (self);
  rebuild_columns (self);
  _tesoro_import_window_update_actions (self);
}

static void
on_encoding_selected_cb (TesoroImportWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->encoding_row);

  if (self->updating || self->import == NULL || selected >= G_N_ELEMENTS (encodings))
    return;

  tesoro_import_session_set_encoding (self->import, encodings[selected]);
  self->encoding_chosen = TRUE;
  _tesoro_import_window_prepare (self);
}

static void
on_delimiter_selected_cb (TesoroImportWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->delimiter_row);

  if (self->updating || self->import == NULL || selected >= G_N_ELEMENTS (delimiters))
    return;

  tesoro_import_session_set_delimiter (self->import, delimiters[selected]);
  _tesoro_import_window_prepare (self);
}

static void
on_header_active_cb (TesoroImportWindow *self)
{
  if (self->updating || self->import == NULL)
    return;

  tesoro_import_session_set_has_header (self->import, gtk_switch_get_active (self->header_switch));
  _tesoro_import_window_prepare (self);
}

/* Step 2: Columns */

static gboolean
is_known_custom (TesoroImportWindow *self,
                 const char         *name)
{
  g_autofree char *folded = tesoro_fold (name);

  return g_hash_table_contains (self->known_custom, folded);
}

static char *
column_sample (GPtrArray *sample,
               guint      column)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; sample != NULL && i < sample->len && n < 3; i++)
    {
      char **fields = sample->pdata[i];
      g_autofree char *value = NULL;

      if (column >= g_strv_length (fields))
        continue;
      value = g_strstrip (g_strdup (fields[column]));
      if (*value == '\0')
        continue;

      {
        g_autofree char *shown = one_line (value, 30);

        if (n > 0)
          g_string_append (text, ", ");
        g_string_append_printf (text, "“%s”", shown);
        n++;
      }
    }

  if (n == 0)
    return g_strdup (_("Empty in the first rows"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_column_row (TesoroImportColumnItem *item)
{
  g_autofree char *subtitle = NULL;
  GtkImage *icon;
  const char *icon_name;
  const char *style;
  const char *tooltip;

  if (item->row == NULL)
    return;

  switch (item->match)
    {
    case TESORO_IMPORT_MATCH_NONE:
      /* Translators: %s are the first values of a column, such as “Anna”, “Jan” */
      subtitle = g_strdup_printf (_("Not recognised. %s"), item->sample);
      icon_name = "dialog-question-symbolic";
      style = "warning";
      tooltip = _("Tesoro does not know this column: choose what it becomes, or leave it out");
      break;
    case TESORO_IMPORT_MATCH_SKIPPED:
      subtitle = g_strdup_printf (_("Not kept on purpose. %s"), item->sample);
      icon_name = "action-unavailable-symbolic";
      style = "dim-label";
      tooltip = _("Tesoro leaves this column out on purpose: it repeats other columns, is bookkeeping of the "
                  "program that wrote the file, or holds data a contact list should not collect");
      break;
    case TESORO_IMPORT_MATCH_USER:
    case TESORO_IMPORT_MATCH_KNOWN:
    default:
      subtitle = g_strdup (item->sample);
      icon_name = "object-select-symbolic";
      style = "success";
      tooltip = item->match == TESORO_IMPORT_MATCH_KNOWN ? _("Recognised from the column’s name") : NULL;
      break;
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (item->row), subtitle);
  icon = g_object_get_data (G_OBJECT (item->row), "match-icon");
  gtk_image_set_from_icon_name (icon, icon_name);
  set_label_style (GTK_WIDGET (icon), style);
  gtk_widget_set_tooltip_text (GTK_WIDGET (icon), tooltip);
}

static void
update_date_order_row (TesoroImportWindow *self)
{
  TesoroImportMapping *mapping = _tesoro_import_window_is_csv (self) ? tesoro_import_session_get_mapping (self->import)
                                                                     : NULL;
  gboolean has_birthday = FALSE;

  for (guint c = 0; mapping != NULL && c < tesoro_import_mapping_get_n_columns (mapping); c++)
    has_birthday |= tesoro_import_mapping_get_spec (mapping, c)->field == TESORO_IMPORT_BIRTHDAY;

  self->updating = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->date_order_row), has_birthday);
  if (has_birthday)
    adw_combo_row_set_selected (self->date_order_row,
                                tesoro_import_mapping_get_date_order (mapping) == TESORO_DATE_ORDER_MONTH_FIRST ? 1 : 0);
  self->updating = FALSE;
}

gboolean
_tesoro_import_window_choose_target_at (TesoroImportWindow     *self,
                                        TesoroImportColumnItem *item,
                                        guint                   index)
{
  TesoroImportMapping *mapping = tesoro_import_session_get_mapping (self->import);
  g_autoptr(TesoroImportChoiceItem) choice = NULL;
  g_autoptr(GError) error = NULL;

  if (index == item->selected)
    return TRUE;

  choice = g_list_model_get_item (G_LIST_MODEL (item->choices), index);
  if (choice == NULL || mapping == NULL || _tesoro_import_window_is_busy (self) ||
      !tesoro_import_mapping_set_spec (mapping, item->column, choice->spec, &error))
    {
      if (error != NULL)
        show_toast (self, error->message);
      /* The drop-down goes back to what the mapping says. */
      if (item->row != NULL)
        {
          self->updating = TRUE;
          adw_combo_row_set_selected (item->row, item->selected);
          self->updating = FALSE;
        }
      return FALSE;
    }

  item->selected = index;
  item->match = tesoro_import_mapping_get_match (mapping, item->column);
  update_column_row (item);
  update_date_order_row (self);
  return TRUE;
}

static void
on_target_selected_cb (AdwComboRow        *row,
                       GParamSpec         *pspec,
                       TesoroImportWindow *self)
{
  TesoroImportColumnItem *item = g_object_get_data (G_OBJECT (row), "column-item");

  if (self->updating || item == NULL)
    return;

  _tesoro_import_window_choose_target_at (self, item, adw_combo_row_get_selected (row));
}

static void
on_choice_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_margin_top (heading, 6);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (line), label);
  gtk_box_append (GTK_BOX (line), check);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), line);
  gtk_list_item_set_child (list_item, box);
}

/* The chosen target is ticked, as in AdwComboRow's own list. */
static void
update_choice_check (AdwComboRow *row,
                     GParamSpec  *pspec,
                     GtkListItem *list_item)
{
  GtkWidget *heading = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *check = gtk_widget_get_last_child (gtk_widget_get_next_sibling (heading));

  gtk_widget_set_opacity (check, adw_combo_row_get_selected (row) == gtk_list_item_get_position (list_item) ? 1 : 0);
}

static void
on_choice_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   AdwComboRow              *row)
{
  TesoroImportChoiceItem *choice = gtk_list_item_get_item (list_item);
  GtkWidget *heading = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *label = gtk_widget_get_first_child (gtk_widget_get_next_sibling (heading));

  gtk_widget_set_visible (heading, choice->first_in_section);
  gtk_label_set_label (GTK_LABEL (heading), choice->section);
  gtk_label_set_label (GTK_LABEL (label), choice->label);
  update_choice_check (row, NULL, list_item);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_choice_check), list_item, 0);
}

static void
on_choice_unbind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, update_choice_check, list_item);
}

/* The list of columns is a GtkListView of drop-downs. A drop-down row
 * (AdwComboRow, a GtkListBoxRow) works only in a GtkListBox: it opens on
 * the list box's activation and takes the focus as its cursor. So each row
 * of the list view holds a list box of one row. */

/* Up and Down go on to the row before or after, through the list view, as
 * a list box does past its first or last row. */
static gboolean
on_column_keynav_failed_cb (GtkWidget        *box,
                            GtkDirectionType  direction,
                            gpointer          user_data)
{
  if (direction != GTK_DIR_UP && direction != GTK_DIR_DOWN)
    return FALSE;

  gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (box)),
                          direction == GTK_DIR_UP ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
  return TRUE;
}

/* The list view may give the focus to the list box itself, which keeps it
 * (when it scrolls to rows faster than it draws them): its row takes it,
 * once the list view is done moving the focus. */
static gboolean
give_focus_to_row_cb (gpointer user_data)
{
  GtkWidget *box = user_data;

  if (gtk_widget_has_focus (box))
    gtk_widget_grab_focus (gtk_widget_get_first_child (box));
  return G_SOURCE_REMOVE;
}

static void
on_column_box_has_focus_cb (GtkWidget  *box,
                            GParamSpec *pspec,
                            gpointer    user_data)
{
  if (gtk_widget_has_focus (box))
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, give_focus_to_row_cb, g_object_ref (box), g_object_unref);
}

static void
on_column_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    TesoroImportWindow       *self)
{
  GtkWidget *box = g_object_new (GTK_TYPE_LIST_BOX,
                                 "selection-mode", GTK_SELECTION_NONE,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                 NULL);
  GtkWidget *row = adw_combo_row_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkListItemFactory *list_factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression = _tesoro_import_choice_item_label_expression ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "match-icon", icon);

  /* The factory lives as long as the row: no reference to it. */
  g_signal_connect (list_factory, "setup", G_CALLBACK (on_choice_setup_cb), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (on_choice_bind_cb), row);
  g_signal_connect (list_factory, "unbind", G_CALLBACK (on_choice_unbind_cb), row);
  adw_combo_row_set_expression (ADW_COMBO_ROW (row), expression);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), list_factory);
  gtk_expression_unref (expression);
  g_object_unref (list_factory);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_target_selected_cb), self, 0);

  /* The list view neither selects nor activates: the row does. */
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_box_append (GTK_LIST_BOX (box), row);
  g_signal_connect (box, "keynav-failed", G_CALLBACK (on_column_keynav_failed_cb), NULL);
  g_signal_connect (box, "notify::has-focus", G_CALLBACK (on_column_box_has_focus_cb), NULL);
  gtk_list_item_set_child (list_item, box);
}

static void
on_column_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   TesoroImportWindow       *self)
{
  TesoroImportColumnItem *item = gtk_list_item_get_item (list_item);
  AdwComboRow *row = ADW_COMBO_ROW (gtk_widget_get_first_child (gtk_list_item_get_child (list_item)));
  g_autofree char *description = g_strdup_printf (_("Import column “%s” as"), item->title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);

  /* Not the user's choice: on_target_selected_cb() ignores a row without
   * its item. */
  g_object_set_data (G_OBJECT (row), "column-item", NULL);
  adw_combo_row_set_model (row, G_LIST_MODEL (item->choices));
  adw_combo_row_set_selected (row, item->selected);

  g_object_set_data_full (G_OBJECT (row), "column-item", g_object_ref (item), g_object_unref);
  g_set_weak_pointer (&item->row, row);
  update_column_row (item);
}

static void
on_column_unbind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     TesoroImportWindow       *self)
{
  TesoroImportColumnItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *row = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));

  if (item != NULL && (GtkWidget *) item->row == row)
    g_clear_weak_pointer (&item->row);
  g_object_set_data (G_OBJECT (row), "column-item", NULL);
}

static TesoroImportColumnItem *
column_item_new (TesoroImportWindow  *self,
                 TesoroImportMapping *mapping,
                 guint                column)
{
  TesoroImportColumnItem *item = g_object_new (TESORO_TYPE_IMPORT_COLUMN_ITEM, NULL);
  const char * const *header = tesoro_import_session_get_header (self->import);
  g_autoptr(GPtrArray) choices = NULL;
  g_autofree char *current = tesoro_import_mapping_dup_spec_string (mapping, column);
  const char *previous_section = NULL;

  item->column = column;
  if (header != NULL && header[column] != NULL && *header[column] != '\0')
    item->title = one_line (header[column], 60);
  else
    item->title = g_strdup_printf (_("Column %u"), column + 1);
  item->sample = column_sample (tesoro_import_session_get_sample (self->import), column);
  item->match = tesoro_import_mapping_get_match (mapping, column);

  choices = tesoro_import_mapping_list_choices (mapping, column, (const char * const *) self->custom_names);
  for (guint i = 0; i < choices->len; i++)
    {
      const TesoroImportChoice *choice = choices->pdata[i];
      g_autoptr(TesoroImportChoiceItem) choice_item = g_object_new (TESORO_TYPE_IMPORT_CHOICE_ITEM, NULL);

      choice_item->spec = g_strdup (choice->spec);
      if (g_str_has_prefix (choice->spec, "custom/") && !is_known_custom (self, choice->spec + strlen ("custom/")))
        choice_item->label = g_strdup_printf (_("New custom field “%s”"), choice->spec + strlen ("custom/"));
      else
        choice_item->label = g_strdup (choice->label);
      choice_item->section = g_strdup (choice->section);
      /* "Do not import" comes first, without a heading. */
      choice_item->first_in_section = !(i == 0 && g_str_equal (choice->spec, "ignore")) &&
                                      g_strcmp0 (previous_section, choice->section) != 0;
      previous_section = choice->section;
      if (g_str_equal (choice->spec, current))
        item->selected = i;
      g_list_store_append (item->choices, choice_item);
    }

  return item;
}

static void
rebuild_columns (TesoroImportWindow *self)
{
  TesoroImportMapping *mapping = _tesoro_import_window_is_csv (self) ? tesoro_import_session_get_mapping (self->import)
                                                                     : NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (mapping != NULL)
    for (guint c = 0; c < tesoro_import_mapping_get_n_columns (mapping); c++)
      g_ptr_array_add (items, column_item_new (self, mapping, c));

  g_list_store_splice (self->columns, 0, g_list_model_get_n_items (G_LIST_MODEL (self->columns)),
                       items->pdata, items->len);
  gtk_widget_set_visible (self->remembered_box,
                          mapping != NULL && tesoro_import_session_get_mapping_remembered (self->import));
  update_date_order_row (self);
}

static void
on_date_order_selected_cb (TesoroImportWindow *self)
{
  TesoroImportMapping *mapping;

  if (self->updating || !_tesoro_import_window_is_csv (self) || _tesoro_import_window_is_busy (self))
    return;

  mapping = tesoro_import_session_get_mapping (self->import);
  tesoro_import_mapping_set_date_order (mapping, adw_combo_row_get_selected (self->date_order_row) == 1
                                                 ? TESORO_DATE_ORDER_MONTH_FIRST : TESORO_DATE_ORDER_DAY_FIRST);
}

static void
on_country_selected_cb (TesoroImportWindow *self,
                        GParamSpec         *pspec,
                        AdwComboRow        *row)
{
  const char * const *countries = tesoro_phone_countries ();
  guint selected;

  if (self->updating)
    return;

  /* Connected swapped: @row is the row that changed. */
  selected = adw_combo_row_get_selected (row);
  if (selected >= g_strv_length ((char **) countries))
    return;

  g_free (self->country);
  self->country = g_strdup (countries[selected]);

  self->updating = TRUE;
  adw_combo_row_set_selected (row == self->country_row ? self->vcard_country_row : self->country_row, selected);
  self->updating = FALSE;

  if (self->step == STEP_PREVIEW)
    _tesoro_import_window_refresh_preview (self);
}

/* Step 3: Preview */

static void
set_count_label (GtkLabel *label,
                 guint64   n)
{
  g_autofree char *text = format_count (n);

  gtk_label_set_label (label, text);
}

gboolean
_tesoro_import_window_preview_can_continue (TesoroImportWindow *self)
{
  if (_tesoro_import_window_is_busy (self) || self->preview_error != NULL)
    return FALSE;
  if (self->totals_state != TOTALS_DONE && self->totals_state != TOTALS_STOPPED)
    return FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->preview_rows)) == 0)
    return FALSE;
  if (self->totals_state == TOTALS_DONE && self->totals.valid == 0)
    return FALSE;
  if (!self->skip_invalid &&
      (self->preview_invalid > 0 || (self->totals_state == TOTALS_DONE && self->totals.invalid > 0)))
    return FALSE;
  return TRUE;
}

static void
show_preview (TesoroImportWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->preview_rows));
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;
  const char *style = NULL;
  gboolean invalid;

  if (self->closed)
    return;

  if (self->preview_error != NULL)
    title = g_strdup (_("The file cannot be read"));
  else if (n == 0)
    title = g_strdup (_("The file has no rows to import"));
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The first row as it will be stored",
                                          "The first %u rows as they will be stored", n), n);
  gtk_label_set_label (self->preview_label, title);

  switch (self->totals_state)
    {
    case TOTALS_CHECKING:
      gtk_stack_set_visible_child_name (self->totals_stack, "counting");
      break;
    case TOTALS_DONE:
      set_count_label (self->totals_records_label, self->totals.records);
      set_count_label (self->totals_valid_label, self->totals.valid);
      set_count_label (self->totals_invalid_label, self->totals.invalid);
      set_count_label (self->totals_existing_label, self->totals.existing);
      set_count_label (self->totals_duplicates_label, self->totals.duplicates);
      set_label_style (GTK_WIDGET (self->totals_invalid_label), self->totals.invalid > 0 ? "error" : NULL);
      gtk_stack_set_visible_child_name (self->totals_stack, "totals");
      break;
    case TOTALS_NONE:
    case TOTALS_STOPPED:
    case TOTALS_FAILED:
    default:
      gtk_stack_set_visible_child_name (self->totals_stack, "stopped");
      break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->totals_stack),
                          self->preview_error == NULL && self->totals_state != TOTALS_FAILED);

  invalid = self->preview_invalid > 0 || (self->totals_state == TOTALS_DONE && self->totals.invalid > 0);
  if (self->preview_error != NULL || self->check_error != NULL)
    {
      const char *error = self->preview_error != NULL ? self->preview_error : self->check_error;

      /* Translators: %s is why the file cannot be read, naming the line and column */
      message = g_strdup_printf (_("%s\n\nNothing can be imported from it until it is corrected."), error);
      style = "error";
    }
  else if (self->totals_state == TOTALS_DONE && self->totals.valid == 0 && self->totals.records > 0)
    {
      message = g_strdup (_("No row of the file can be imported."));
      style = "error";
    }
  else if (invalid && !self->skip_invalid)
    {
      message = g_strdup (_("Rows with problems stop the import. Correct them in the file, or turn on "
                            "“Skip invalid rows” to leave them out."));
      style = "warning";
    }
  else if (invalid)
    {
      message = g_strdup (_("Invalid rows will be left out and listed in a report you can save."));
      style = "dim-label";
    }

  gtk_widget_set_visible (GTK_WIDGET (self->preview_message_label), message != NULL);
  gtk_label_set_label (self->preview_message_label, message != NULL ? message : "");
  set_label_style (GTK_WIDGET (self->preview_message_label), style);
}

static void
start_check (TesoroImportWindow *self)
{
  g_clear_pointer (&self->check_error, g_free);
  self->totals_state = TOTALS_CHECKING;
  reset_progress (self->totals_progress);
  start_work (self, WORK_CHECK);
  show_preview (self);
}

/* Shows the first rows as they will be stored, then checks the whole file
 * in the worker for the totals. */
void
_tesoro_import_window_refresh_preview (TesoroImportWindow *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (self->work_kind == WORK_CHECK)
    {
      /* The worker holds the import: start again once it has let go. */
      self->recheck = TRUE;
      _tesoro_import_window_cancel_work (self);
      return;
    }
  g_return_if_fail (!_tesoro_import_window_is_busy (self));

  apply_options (self, NULL);
  g_clear_pointer (&self->preview_error, g_free);
  g_clear_pointer (&self->check_error, g_free);
  self->preview_invalid = 0;
  self->totals_state = TOTALS_NONE;
  memset (&self->totals, 0, sizeof self->totals);

  if (!tesoro_import_session_preview (self->import, self->session, PREVIEW_ROWS, NULL, NULL, NULL,
                                      &rows, NULL, &error))
    self->preview_error = g_strdup (error->message);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const TesoroImportRow *row = rows->pdata[i];

      if (row->status == TESORO_IMPORT_ROW_INVALID)
        self->preview_invalid++;
      g_ptr_array_add (items, preview_table_row (row, TRUE));
    }
  g_list_store_splice (self->preview_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->preview_rows)),
                       items->pdata, items->len);

  if (self->preview_error == NULL)
    start_check (self);
  show_preview (self);
  _tesoro_import_window_update_actions (self);
}

static void
check_done (TesoroImportWindow *self,
            Work               *work,
            gboolean            ok,
            const GError       *error)
{
  if (self->closed)
    return;

  if (self->recheck)
    {
      self->recheck = FALSE;
      _tesoro_import_window_refresh_preview (self);
      return;
    }

  if (ok)
    {
      self->totals = work->totals;
      self->totals_state = TOTALS_DONE;
    }
  else if (tesoro_worker_is_cancelled (error))
    self->totals_state = TOTALS_STOPPED;
  else
    {
      self->totals_state = TOTALS_FAILED;
      self->check_error = g_strdup (error->message);
    }

  show_preview (self);
}

static void
stop_checking_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  if (self->work_kind == WORK_CHECK)
    _tesoro_import_window_cancel_work (self);
}

static void
check_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  if (!_tesoro_import_window_is_busy (self) && self->step == STEP_PREVIEW)
    _tesoro_import_window_refresh_preview (self);
}

static void
on_basis_selected_cb (TesoroImportWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->basis_row);

  if (!self->updating && selected != GTK_INVALID_LIST_POSITION)
    self->basis = selected;
}

static void
on_consent_selected_cb (TesoroImportWindow *self)
{
  static const TesoroConsentAnswer answers[] = {
    TESORO_CONSENT_ANSWER_NONE, TESORO_CONSENT_ANSWER_GRANTED, TESORO_CONSENT_ANSWER_WITHDRAWN,
  };
  guint selected = adw_combo_row_get_selected (self->consent_row);

  if (!self->updating && selected < G_N_ELEMENTS (answers))
    self->consent = answers[selected];
}

static void
on_skip_active_cb (TesoroImportWindow *self)
{
  if (self->updating)
    return;

  self->skip_invalid = gtk_switch_get_active (self->skip_switch);
  /* Whether a record that cannot be read is an error or an invalid row
   * depends on it: read the rows again. */
  if (self->step == STEP_PREVIEW)
    _tesoro_import_window_refresh_preview (self);
  else
    _tesoro_import_window_update_actions (self);
}

/* Step 4: Existing contacts */

void
_tesoro_import_window_show_existing (TesoroImportWindow *self)
{
  g_autofree char *existing = NULL;
  g_autofree char *duplicates = NULL;

  if (self->totals_state == TOTALS_DONE)
    {
      g_autofree char *n = format_count (self->totals.existing);
      g_autofree char *d = format_count (self->totals.duplicates);

      if (self->totals.existing == 0)
        existing = g_strdup (_("No row has the e-mail address of a contact already in Tesoro."));
      else
        existing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s row has the e-mail address of a contact already in Tesoro.",
                                                 "%s rows have the e-mail address of a contact already in Tesoro.",
                                                 (gulong) MIN (self->totals.existing, G_MAXULONG)),
                                    n);
      if (self->totals.duplicates > 0)
        duplicates = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s row has the same e-mail address as an earlier row of the "
                                                   "file: it is treated the same way.",
                                                   "%s rows have the same e-mail address as an earlier row of the "
                                                   "file: they are treated the same way.",
                                                   (gulong) MIN (self->totals.duplicates, G_MAXULONG)),
                                      d);
    }
  else
    existing = g_strdup (_("The whole file was not checked, so some rows may have the e-mail address of a contact "
                           "already in Tesoro."));

  gtk_label_set_label (self->existing_label, existing);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_label), duplicates != NULL);
  gtk_label_set_label (self->duplicates_label, duplicates != NULL ? duplicates : "");
}

static void
on_existing_toggled_cb (TesoroImportWindow *self)
{
  if (gtk_check_button_get_active (self->existing_update_check))
    self->existing = TESORO_IMPORT_EXISTING_UPDATE;
  else if (gtk_check_button_get_active (self->existing_create_check))
    self->existing = TESORO_IMPORT_EXISTING_CREATE;
  else
    self->existing = TESORO_IMPORT_EXISTING_SKIP;
}

/* Step 5: Import */

void
_tesoro_import_window_show_import (TesoroImportWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  const char *icon = NULL;

  switch (self->import_state)
    {
    case IMPORT_RUNNING:
    case IMPORT_CANCELLING:
      /* Translators: %s is a file name */
      title = g_strdup_printf (_("Importing “%s”…"), self->display_name);
      detail = g_strdup (self->import_state == IMPORT_CANCELLING
                         ? _("Cancelling…")
                         : _("Everything is imported in one go: if you cancel, nothing is imported."));
      break;
    case IMPORT_CANCELLED:
      icon = "process-stop-symbolic";
      title = g_strdup (_("Import Cancelled"));
      detail = g_strdup (_("Nothing was imported."));
      break;
    case IMPORT_FAILED:
      icon = "dialog-error-symbolic";
      title = g_strdup (_("Import Failed"));
      /* Translators: %s is what went wrong, naming the file, line and column */
      detail = g_strdup_printf (_("%s\n\nNothing was imported."), self->import_error);
      break;
    case IMPORT_NOT_STARTED:
    case IMPORT_DONE:
    default:
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->import_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->import_icon, icon);
  gtk_label_set_label (self->import_title_label, title);
  gtk_label_set_label (self->import_detail_label, detail);
  set_label_style (GTK_WIDGET (self->import_detail_label), self->import_state == IMPORT_FAILED ? "error" : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->import_progress),
                          self->import_state == IMPORT_RUNNING || self->import_state == IMPORT_CANCELLING);
  gtk_widget_set_visible (self->import_cancel_button,
                          self->import_state == IMPORT_RUNNING || self->import_state == IMPORT_CANCELLING);
  gtk_widget_set_sensitive (self->import_cancel_button, self->import_state == IMPORT_RUNNING);
}

static gboolean
ensure_report_path (TesoroImportWindow  *self,
                    GError             **error)
{
  if (self->report_dir == NULL)
    {
      /* g_dir_make_tmp() makes it readable by its owner only. */
      self->report_dir = g_dir_make_tmp ("tesoro-import-XXXXXX", error);
      if (self->report_dir == NULL)
        return FALSE;
      self->report_path = g_build_filename (self->report_dir, "report.csv", NULL);
    }

  /* What an earlier attempt may have left. */
  g_unlink (self->report_path);
  return TRUE;
}

void
_tesoro_import_window_start_import (TesoroImportWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (!_tesoro_import_window_is_busy (self));

  g_clear_pointer (&self->import_error, g_free);
  gtk_widget_set_visible (self->import_cancel_button, TRUE);
  if (self->skip_invalid && !ensure_report_path (self, &error))
    {
      self->import_state = IMPORT_FAILED;
      self->import_error = g_strdup (error->message);
      _tesoro_import_window_go_to_step (self, STEP_IMPORT);
      _tesoro_import_window_show_import (self);
      return;
    }

  apply_options (self, self->skip_invalid ? self->report_path : NULL);
  memset (&self->result, 0, sizeof self->result);
  self->import_state = IMPORT_RUNNING;
  reset_progress (self->import_progress);
  start_work (self, WORK_IMPORT);
  _tesoro_import_window_show_import (self);
  _tesoro_import_window_go_to_step (self, STEP_IMPORT);
}

/* Step 6: Summary */

gboolean
_tesoro_import_window_report_available (TesoroImportWindow *self)
{
  return self->result.invalid > 0 && self->report_path != NULL &&
         g_file_test (self->report_path, G_FILE_TEST_IS_REGULAR);
}

/* Save Report…: a copy of the report, written atomically and readable by
 * the user only. */
gboolean
_tesoro_import_window_save_report_to (TesoroImportWindow  *self,
                                      GFile               *file,
                                      GError             **error)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileOutputStream) output = NULL;

  g_return_val_if_fail (TESORO_IS_IMPORT_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!_tesoro_import_window_report_available (self))
    {
      g_set_error_literal (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no report of skipped rows"));
      return FALSE;
    }

  source = g_file_new_for_path (self->report_path);
  input = g_file_read (source, NULL, error);
  if (input == NULL)
    return FALSE;
  output = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (output == NULL)
    return FALSE;

  return g_output_stream_splice (G_OUTPUT_STREAM (output), G_INPUT_STREAM (input),
                                 G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                 NULL, error) >= 0;
}

static void
show_summary (TesoroImportWindow *self)
{
  g_autofree char *description = NULL;

  set_count_label (self->created_label, self->result.created);
  set_count_label (self->updated_label, self->result.updated);
  set_count_label (self->skipped_label, self->result.skipped);
  set_count_label (self->invalid_label, self->result.invalid);

  if (self->result.restricted > 0)
    {
      g_autofree char *n = format_count (self->result.restricted);
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "Including %s restricted contact, left as it is",
                                                                "Including %s restricted contacts, left as they are",
                                                                (gulong) MIN (self->result.restricted, G_MAXULONG)),
                                                   n);
      adw_action_row_set_subtitle (self->skipped_row, subtitle);
    }
  else if (self->existing == TESORO_IMPORT_EXISTING_SKIP && self->result.skipped > 0)
    adw_action_row_set_subtitle (self->skipped_row, _("Their e-mail address belongs to a contact already in Tesoro"));
  else
    adw_action_row_set_subtitle (self->skipped_row, "");

  if (self->undone)
    {
      adw_status_page_set_icon_name (self->summary_page, "edit-undo-symbolic");
      adw_status_page_set_title (self->summary_page, _("Import Undone"));
    }
  else
    {
      adw_status_page_set_icon_name (self->summary_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->summary_page, _("Import Complete"));
    }

  if (self->undone)
    description = g_strdup (self->undo_text);
  else if (self->result.created + self->result.updated == 0)
    description = g_strdup_printf (_("Nothing from “%s” was added to Tesoro."), self->display_name);
  else
    /* Translators: %s is a file name */
    description = g_strdup_printf (_("“%s” was imported in one go."), self->display_name);
  adw_status_page_set_description (self->summary_page, description);

  gtk_widget_set_visible (self->save_report_button, _tesoro_import_window_report_available (self));
  adw_action_row_set_subtitle (self->invalid_row,
                               _tesoro_import_window_report_available (self)
                               ? _("Listed in a report. It holds personal data and is deleted when this window "
                                   "closes, unless you save it.")
                               : "");
  gtk_widget_set_visible (GTK_WIDGET (self->undo_progress), self->work_kind == WORK_UNDO);
}

static void
import_done (TesoroImportWindow *self,
             Work               *work,
             gboolean            ok,
             const GError       *error)
{
  if (ok)
    {
      self->result = work->result;
      self->import_state = IMPORT_DONE;
      /* Also when the window is closing: the main window reloads. */
      g_signal_emit_by_name (self, "imported", self->result.batch_id);
      if (self->closed)
        return;
      show_summary (self);
      _tesoro_import_window_go_to_step (self, STEP_SUMMARY);
      return;
    }

  if (self->closed)
    return;

  if (tesoro_worker_is_cancelled (error))
    self->import_state = IMPORT_CANCELLED;
  else
    {
      self->import_state = IMPORT_FAILED;
      self->import_error = g_strdup (error->message);
    }
  _tesoro_import_window_show_import (self);
}

static void
undo_done (TesoroImportWindow *self,
           Work               *work,
           gboolean            ok,
           const GError       *error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (ok)
    {
      self->undone = TRUE;
      g_signal_emit_by_name (self, "undone", self->result.batch_id);
    }
  if (self->closed)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->undo_progress), FALSE);
  if (!ok)
    {
      gtk_label_set_label (self->undo_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->undo_label), TRUE);
    }
  else
    {
      g_autofree char *removed = format_count (work->n_removed);
      g_autofree char *restored = format_count (work->n_restored);

      if (work->n_removed > 0)
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                   "%s contact that the import created was removed.",
                                                   "%s contacts that the import created were removed.",
                                                   (gulong) MIN (work->n_removed, G_MAXULONG)),
                                removed);
      if (work->n_restored > 0)
        {
          if (text->len > 0)
            g_string_append_c (text, ' ');
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                     "%s completed contact was put back as it was.",
                                                     "%s completed contacts were put back as they were.",
                                                     (gulong) MIN (work->n_restored, G_MAXULONG)),
                                  restored);
        }
      if (text->len == 0)
        g_string_append (text, _("Nothing was left to undo: the imported contacts were changed or erased since."));
      g_free (self->undo_text);
      self->undo_text = g_string_free (g_steal_pointer (&text), FALSE);
    }

  show_summary (self);
}

static void
undo_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  if (_tesoro_import_window_is_busy (self) || self->undone || self->result.batch_id <= 0)
    return;

  reset_progress (self->undo_progress);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_progress), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_label), FALSE);
  start_work (self, WORK_UNDO);
  _tesoro_import_window_update_actions (self);
}

static void
on_save_report_response_cb (GtkNativeDialog    *dialog,
                            int                 response,
                            TesoroImportWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *title = NULL;

      if (_tesoro_import_window_save_report_to (self, file, &error))
        /* Translators: %s is a file name */
        title = g_strdup_printf (_("Report saved as “%s”"), name);
      else
        title = g_strdup (error->message);
      show_toast (self, title);
    }

  g_object_unref (dialog);
}

static void
save_report_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autofree char *base = g_strdup (self->display_name);
  g_autofree char *name = NULL;
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = NULL;
  char *dot;

  if (!_tesoro_import_window_report_available (self))
    return;

  dialog = gtk_file_chooser_native_new (_("Save Report of Skipped Rows"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (csv, _("CSV (comma-separated values)"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), csv);

  /* The Documents folder: the report is not put next to the imported
   * file unless the user goes there. */
  folder = g_file_new_for_path (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR)
                                ? documents : g_get_home_dir ());
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  /* Translators: the file name of the report; %s is the imported file's name without extension */
  name = g_strdup_printf (_("%s - skipped rows.csv"), base);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_report_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The end of a job */

static void
work_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TesoroImportWindow) self = TESORO_IMPORT_WINDOW (user_data);
  TesoroJob *job = TESORO_JOB (object);
  Work *work = tesoro_job_get_data (job);
  g_autoptr(GError) error = NULL;
  gboolean ok = tesoro_job_run_finish (job, result, &error);

  self->work_kind = WORK_NONE;

  switch (work->kind)
    {
    case WORK_CHECK:
      check_done (self, work, ok, error);
      break;
    case WORK_IMPORT:
      import_done (self, work, ok, error);
      break;
    case WORK_UNDO:
      undo_done (self, work, ok, error);
      break;
    case WORK_NONE:
    default:
      g_assert_not_reached ();
    }

  if (self->close_when_done && !_tesoro_import_window_is_busy (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  _tesoro_import_window_update_actions (self);
}
/* Setting up */

/**
 * _tesoro_import_window_class_init_steps:
 *
 * The steps' handlers of the template, and their actions.
 */
void
_tesoro_import_window_class_init_steps (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_encoding_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_delimiter_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_header_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_country_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_order_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_basis_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_skip_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_existing_toggled_cb);

  gtk_widget_class_install_action (widget_class, "import.stop-checking", NULL, stop_checking_activated);
  gtk_widget_class_install_action (widget_class, "import.check", NULL, check_activated);
  gtk_widget_class_install_action (widget_class, "import.undo", NULL, undo_activated);
  gtk_widget_class_install_action (widget_class, "import.save-report", NULL, save_report_activated);
}

/**
 * _tesoro_import_window_init_steps:
 *
 * Fills the steps' lists and drop-downs, once the template is set up.
 */
void
_tesoro_import_window_init_steps (TesoroImportWindow *self)
{
  const char * const *countries = tesoro_phone_countries ();
  g_autoptr(GtkStringList) encoding_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) delimiter_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) country_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) basis_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) sample_selection = NULL;
  g_autoptr(GtkNoSelection) preview_selection = NULL;
  g_autoptr(GtkNoSelection) columns_selection = NULL;
  g_autoptr(GtkListItemFactory) columns_factory = gtk_signal_list_item_factory_new ();

  sample_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sample_rows)));
  gtk_column_view_set_model (self->sample_view, GTK_SELECTION_MODEL (sample_selection));
  preview_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->preview_rows)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (preview_selection));
  set_contact_columns (self->preview_view, TRUE);

  g_signal_connect (columns_factory, "setup", G_CALLBACK (on_column_setup_cb), self);
  g_signal_connect (columns_factory, "bind", G_CALLBACK (on_column_bind_cb), self);
  g_signal_connect (columns_factory, "unbind", G_CALLBACK (on_column_unbind_cb), self);
  gtk_list_view_set_factory (self->columns_view, columns_factory);
  columns_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->columns)));
  gtk_list_view_set_model (self->columns_view, GTK_SELECTION_MODEL (columns_selection));

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    gtk_string_list_append (encoding_labels, tesoro_text_encoding_get_label (encodings[i]));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encoding_labels));
  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    gtk_string_list_append (delimiter_labels, tesoro_csv_delimiter_get_label (delimiters[i]));
  adw_combo_row_set_model (self->delimiter_row, G_LIST_MODEL (delimiter_labels));

  for (guint i = 0; countries[i] != NULL; i++)
    {
      const char *name = tesoro_phone_country_get_name (countries[i]);
      /* Translators: a country and its code, such as "Netherlands (NL)" */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), name != NULL ? name : countries[i], countries[i]);

      gtk_string_list_append (country_labels, label);
    }
  adw_combo_row_set_model (self->country_row, G_LIST_MODEL (country_labels));
  adw_combo_row_set_model (self->vcard_country_row, G_LIST_MODEL (country_labels));
  for (guint i = 0; countries[i] != NULL; i++)
    if (g_str_equal (countries[i], self->country))
      {
        adw_combo_row_set_selected (self->country_row, i);
        adw_combo_row_set_selected (self->vcard_country_row, i);
      }

  gtk_string_list_append (basis_labels, _("Not set"));
  for (guint i = 0; tesoro_lawful_bases[i] != NULL; i++)
    gtk_string_list_append (basis_labels, tesoro_lawful_basis_get_label (tesoro_lawful_bases[i]));
  adw_combo_row_set_model (self->basis_row, G_LIST_MODEL (basis_labels));
  adw_combo_row_set_selected (self->basis_row, 0);
  adw_combo_row_set_selected (self->consent_row, 0);
}
