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
 * File → Import…: a wizard over the import engine (tesoro-import.h).
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
 * file, the import and Undo Import run in a GTask thread with a TesoroSession
 * of their own, like Empty Trash in tesoro-window-gdpr.c. While a worker
 * holds the import nothing else touches it: the controls that would are
 * insensitive, and the choices that apply to every contact are kept here
 * and handed to the import only between workers (apply_options()).
 *
 * The worker's session emits "contact-changed" on its own thread, which the
 * main window never sees: this window emits "imported" and "undone" instead.
 *
 * The report of skipped rows holds personal data. It is written into a
 * private temporary folder (mode 0700) and deleted with the window, unless
 * the user saves a copy with Save Report…; it is never written next to the
 * imported file.
 */

/* Rows of the preview, and of the vCard sample on the File step. */
#define PREVIEW_ROWS 50
#define FILE_CHECK_ROWS 20

/* Characters of a cell shown in the tables; the tooltip has more. */
#define CELL_CHARS 60
#define TOOLTIP_CHARS 500

/* Private list items */

/* A row of the sample or preview table. */
#define TESORO_TYPE_IMPORT_TABLE_ROW (tesoro_import_table_row_get_type ())
G_DECLARE_FINAL_TYPE (TesoroImportTableRow, tesoro_import_table_row, TESORO, IMPORT_TABLE_ROW, GObject)

struct _TesoroImportTableRow
{
  GObject   parent_instance;

  char    **cells;
  int       status;        /* a TesoroImportRowStatus, or -1 for a row as read */
  char     *status_text;
};

G_DEFINE_FINAL_TYPE (TesoroImportTableRow, tesoro_import_table_row, G_TYPE_OBJECT)

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

static TesoroImportTableRow *
table_row_new (char **cells,
               int    status,
               char  *status_text)
{
  TesoroImportTableRow *self = g_object_new (TESORO_TYPE_IMPORT_TABLE_ROW, NULL);

  self->cells = cells;
  self->status = status;
  self->status_text = status_text;
  return self;
}

/* One target of a column's drop-down. */
#define TESORO_TYPE_IMPORT_CHOICE_ITEM (tesoro_import_choice_item_get_type ())
G_DECLARE_FINAL_TYPE (TesoroImportChoiceItem, tesoro_import_choice_item, TESORO, IMPORT_CHOICE_ITEM, GObject)

struct _TesoroImportChoiceItem
{
  GObject   parent_instance;

  char     *spec;
  char     *label;
  char     *section;
  gboolean  first_in_section;
};

G_DEFINE_FINAL_TYPE (TesoroImportChoiceItem, tesoro_import_choice_item, G_TYPE_OBJECT)

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

/* For the drop-down's expression. */
static char *
choice_item_dup_label (TesoroImportChoiceItem *item,
                       gpointer                user_data)
{
  return g_strdup (item->label);
}

/* One column of the file on the Columns step. */
#define TESORO_TYPE_IMPORT_COLUMN_ITEM (tesoro_import_column_item_get_type ())
G_DECLARE_FINAL_TYPE (TesoroImportColumnItem, tesoro_import_column_item, TESORO, IMPORT_COLUMN_ITEM, GObject)

struct _TesoroImportColumnItem
{
  GObject            parent_instance;

  guint              column;
  char              *title;
  char              *sample;
  TesoroImportMatch  match;
  GListStore        *choices;
  guint              selected;
  AdwComboRow       *row;       /* (weak) the row that shows it */
};

G_DEFINE_FINAL_TYPE (TesoroImportColumnItem, tesoro_import_column_item, G_TYPE_OBJECT)

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

/* The window */

typedef enum
{
  STEP_FILE,
  STEP_COLUMNS,
  STEP_PREVIEW,
  STEP_EXISTING,
  STEP_IMPORT,
  STEP_SUMMARY,
} Step;

typedef enum
{
  WORK_NONE,
  WORK_CHECK,
  WORK_IMPORT,
  WORK_UNDO,
} WorkKind;

typedef enum
{
  TOTALS_NONE,
  TOTALS_CHECKING,
  TOTALS_DONE,
  TOTALS_STOPPED,
  TOTALS_FAILED,
} TotalsState;

typedef enum
{
  IMPORT_NOT_STARTED,
  IMPORT_RUNNING,
  IMPORT_CANCELLING,
  IMPORT_CANCELLED,
  IMPORT_FAILED,
  IMPORT_DONE,
} ImportState;

struct _TesoroImportWindow
{
  AdwWindow             parent_instance;

  TesoroSession          *session;
  GFile                *file;
  TesoroImportSession  *import;
  char                 *display_name;
  GStrv                 custom_names;
  GHashTable           *known_custom;   /* folded custom field names */

  Step                  step;
  gboolean              updating;       /* widgets set from the import: not the user */
  gboolean              focus_next;     /* Next takes the focus once it can be clicked */
  gboolean              closed;

  /* File */
  gboolean              prepared;
  char                 *file_error;
  gboolean              encoding_chosen;

  /* The choices for every contact, handed to the import by apply_options(). */
  char                 *country;
  guint                 basis;
  TesoroConsentAnswer   consent;
  gboolean              skip_invalid;
  TesoroImportExisting  existing;

  /* Preview */
  char                 *preview_error;
  guint                 preview_invalid;
  TotalsState           totals_state;
  TesoroImportTotals    totals;
  char                 *check_error;
  gboolean              recheck;

  /* The worker */
  WorkKind              work_kind;
  GCancellable         *cancellable;
  GMutex                progress_lock;
  guint64               progress_done;
  guint64               progress_total;
  guint                 progress_source;
  gboolean              close_when_done;

  /* Import and Undo */
  ImportState           import_state;
  char                 *import_error;
  TesoroImportResult    result;
  char                 *report_dir;
  char                 *report_path;
  gboolean              undone;
  char                 *undo_text;

  GListStore           *sample_rows;
  GListStore           *columns;
  GListStore           *preview_rows;

  /* Template children */
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *back_button;
  GtkButton            *next_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;

  AdwPreferencesGroup  *file_group;
  AdwActionRow         *file_row;
  GtkImage             *file_icon;
  AdwComboRow          *encoding_row;
  AdwComboRow          *delimiter_row;
  AdwActionRow         *header_row;
  GtkSwitch            *header_switch;
  GtkWidget            *file_error_box;
  GtkLabel             *file_error_label;
  GtkLabel             *sample_label;
  GtkColumnView        *sample_view;

  GtkWidget            *remembered_box;
  GtkListBox           *columns_list;
  AdwPreferencesGroup  *columns_options_group;
  AdwComboRow          *country_row;
  AdwComboRow          *date_order_row;

  GtkLabel             *preview_label;
  GtkColumnView        *preview_view;
  GtkStack             *totals_stack;
  GtkProgressBar       *totals_progress;
  GtkLabel             *totals_records_label;
  GtkLabel             *totals_valid_label;
  GtkLabel             *totals_invalid_label;
  GtkLabel             *totals_existing_label;
  GtkLabel             *totals_duplicates_label;
  GtkLabel             *preview_message_label;
  AdwComboRow          *basis_row;
  AdwComboRow          *consent_row;
  AdwComboRow          *vcard_country_row;
  GtkSwitch            *skip_switch;

  GtkLabel             *existing_label;
  GtkLabel             *duplicates_label;
  GtkCheckButton       *existing_skip_check;
  GtkCheckButton       *existing_update_check;
  GtkCheckButton       *existing_create_check;

  GtkImage             *import_icon;
  GtkLabel             *import_title_label;
  GtkProgressBar       *import_progress;
  GtkLabel             *import_detail_label;
  GtkWidget            *import_cancel_button;

  AdwStatusPage        *summary_page;
  GtkLabel             *created_label;
  GtkLabel             *updated_label;
  AdwActionRow         *skipped_row;
  GtkLabel             *skipped_label;
  GtkLabel             *invalid_label;
  GtkWidget            *save_report_button;
  GtkProgressBar       *undo_progress;
  AdwActionRow         *invalid_row;
  GtkLabel             *undo_label;
};

G_DEFINE_FINAL_TYPE (TesoroImportWindow, tesoro_import_window, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  UNDONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const step_ids[] = { "file", "columns", "preview", "existing", "import", "summary" };

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

static void update_actions (TesoroImportWindow *self);
static void refresh_preview (TesoroImportWindow *self);

/* Helpers */

static gboolean
is_busy (TesoroImportWindow *self)
{
  return self->work_kind != WORK_NONE;
}

static gboolean
is_csv (TesoroImportWindow *self)
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

  return table_row_new (g_strv_builder_end (cells),
                        with_status ? (int) row->status : -1,
                        with_status ? row_status_text (row) : NULL);
}

/* The worker */

typedef struct
{
  WorkKind             kind;
  char                *db_path;
  char                *actor;
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
  g_free (work->db_path);
  g_free (work->actor);
  g_clear_object (&work->import);
  g_free (work);
}

static gboolean
show_progress_cb (gpointer user_data)
{
  TesoroImportWindow *self = user_data;
  guint64 done, total;

  g_mutex_lock (&self->progress_lock);
  done = self->progress_done;
  total = self->progress_total;
  self->progress_source = 0;
  g_mutex_unlock (&self->progress_lock);

  if (self->closed)
    return G_SOURCE_REMOVE;

  switch (self->work_kind)
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

  return G_SOURCE_REMOVE;
}

/* Called on the worker thread. */
static void
work_progress_cb (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  TesoroImportWindow *self = user_data;

  g_mutex_lock (&self->progress_lock);
  self->progress_done = done;
  self->progress_total = total;
  if (self->progress_source == 0)
    self->progress_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_progress_cb,
                                             g_object_ref (self), g_object_unref);
  g_mutex_unlock (&self->progress_lock);
}

static void
work_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(TesoroSession) session = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  session = tesoro_worker_open_session (work->db_path, work->actor, &error);
  if (session != NULL)
    {
      switch (work->kind)
        {
        case WORK_CHECK:
          {
            g_autoptr(GPtrArray) rows = NULL;

            ok = tesoro_import_session_preview (work->import, session, 1, cancellable,
                                                work_progress_cb, source_object,
                                                &rows, &work->totals, &error);
          }
          break;
        case WORK_IMPORT:
          ok = tesoro_import_session_run (work->import, session, cancellable,
                                          work_progress_cb, source_object, &work->result, &error);
          break;
        case WORK_UNDO:
          ok = tesoro_session_undo_import (session, work->batch_id, cancellable,
                                         work_progress_cb, source_object,
                                         &work->n_removed, &work->n_restored, &error);
          break;
        case WORK_NONE:
        default:
          g_assert_not_reached ();
        }
    }

  tesoro_worker_return (task, ok, error);
}

static void work_done_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
start_work (TesoroImportWindow *self,
            WorkKind            kind)
{
  g_autoptr(GTask) task = NULL;
  Work *work;

  g_return_if_fail (!is_busy (self));

  work = g_new0 (Work, 1);
  work->kind = kind;
  work->db_path = g_strdup (tesoro_session_get_path (self->session));
  work->actor = g_strdup (tesoro_session_get_actor (self->session));
  work->import = g_object_ref (self->import);
  work->batch_id = self->result.batch_id;

  self->work_kind = kind;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_mutex_lock (&self->progress_lock);
  self->progress_done = 0;
  self->progress_total = 0;
  g_mutex_unlock (&self->progress_lock);

  task = g_task_new (self, self->cancellable, work_done_cb, NULL);
  g_task_set_source_tag (task, start_work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  /* What the worker did counts, even when Cancel came too late to stop
   * it: an import that committed must not be reported as cancelled. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, work_thread);
}

/* The choices for every contact, handed to the import between workers. */
static void
apply_options (TesoroImportWindow *self,
               const char         *report_path)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (!is_busy (self));

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

  if (is_csv (self))
    {
      GPtrArray *sample = tesoro_import_session_get_sample (self->import);

      for (guint i = 0; sample != NULL && i < sample->len; i++)
        g_ptr_array_add (items, table_row_new (g_strdupv (sample->pdata[i]), -1, NULL));
    }
  else
    {
      for (guint i = 0; vcard_rows != NULL && i < vcard_rows->len; i++)
        g_ptr_array_add (items, preview_table_row (vcard_rows->pdata[i], FALSE));
    }

  /* The rows first: a column takes the width of the cells it has. */
  g_list_store_splice (self->sample_rows, 0, 0, items->pdata, items->len);

  if (is_csv (self))
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

static void
show_file_step (TesoroImportWindow *self)
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
  if (is_csv (self))
    {
      char delimiter = tesoro_import_session_get_delimiter (self->import);

      for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
        if (delimiters[i] == delimiter)
          adw_combo_row_set_selected (self->delimiter_row, i);
      gtk_switch_set_active (self->header_switch, tesoro_import_session_get_has_header (self->import));
    }

  gtk_widget_set_visible (self->file_error_box, self->file_error != NULL);
  gtk_label_set_label (self->file_error_label, self->file_error != NULL ? self->file_error : "");

  gtk_label_set_label (self->sample_label, is_csv (self) ? _("The first rows of the file, as read")
                                                         : _("The first contacts of the file"));
  gtk_widget_set_visible (GTK_WIDGET (self->sample_label), self->prepared);

  gtk_widget_set_visible (GTK_WIDGET (self->vcard_country_row), self->prepared && !is_csv (self));

  self->updating = FALSE;
}

static void rebuild_columns (TesoroImportWindow *self);

/* Reads the start of the file again (after a change of encoding, delimiter
 * or header row) and shows what came out. A mapping the user changed is
 * kept when the columns are still the same. */
static void
run_prepare (TesoroImportWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(TesoroImportMapping) previous = NULL;
  g_auto(GStrv) previous_header = NULL;
  guint previous_columns = 0;

  g_return_if_fail (!is_busy (self));

  if (is_csv (self) && tesoro_import_session_get_mapping (self->import) != NULL)
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

      if (previous != NULL && is_csv (self) &&
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
  show_file_step (self);
  rebuild_columns (self);
  update_actions (self);
}

static void
on_encoding_selected_cb (TesoroImportWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->encoding_row);

  if (self->updating || self->import == NULL || selected >= G_N_ELEMENTS (encodings))
    return;

  tesoro_import_session_set_encoding (self->import, encodings[selected]);
  self->encoding_chosen = TRUE;
  run_prepare (self);
}

static void
on_delimiter_selected_cb (TesoroImportWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->delimiter_row);

  if (self->updating || self->import == NULL || selected >= G_N_ELEMENTS (delimiters))
    return;

  tesoro_import_session_set_delimiter (self->import, delimiters[selected]);
  run_prepare (self);
}

static void
on_header_active_cb (TesoroImportWindow *self)
{
  if (self->updating || self->import == NULL)
    return;

  tesoro_import_session_set_has_header (self->import, gtk_switch_get_active (self->header_switch));
  run_prepare (self);
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
  TesoroImportMapping *mapping = is_csv (self) ? tesoro_import_session_get_mapping (self->import) : NULL;
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

static gboolean
choose_target (TesoroImportWindow     *self,
               TesoroImportColumnItem *item,
               guint                   index)
{
  TesoroImportMapping *mapping = tesoro_import_session_get_mapping (self->import);
  g_autoptr(TesoroImportChoiceItem) choice = NULL;
  g_autoptr(GError) error = NULL;

  if (index == item->selected)
    return TRUE;

  choice = g_list_model_get_item (G_LIST_MODEL (item->choices), index);
  if (choice == NULL || mapping == NULL || is_busy (self) ||
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

  choose_target (self, item, adw_combo_row_get_selected (row));
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

static GtkWidget *
create_column_row_cb (gpointer item_pointer,
                      gpointer user_data)
{
  TesoroImportColumnItem *item = item_pointer;
  TesoroImportWindow *self = user_data;
  GtkWidget *row = adw_combo_row_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkListItemFactory *list_factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "match-icon", icon);

  /* The factory lives as long as the row: no reference to it. */
  g_signal_connect (list_factory, "setup", G_CALLBACK (on_choice_setup_cb), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (on_choice_bind_cb), row);
  g_signal_connect (list_factory, "unbind", G_CALLBACK (on_choice_unbind_cb), row);
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (choice_item_dup_label), NULL, NULL);

  self->updating = TRUE;
  adw_combo_row_set_expression (ADW_COMBO_ROW (row), expression);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), list_factory);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (item->choices));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), item->selected);
  self->updating = FALSE;
  gtk_expression_unref (expression);
  g_object_unref (list_factory);

  {
    g_autofree char *description = g_strdup_printf (_("Import column “%s” as"), item->title);
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  }

  g_object_set_data_full (G_OBJECT (row), "column-item", g_object_ref (item), g_object_unref);
  g_set_weak_pointer (&item->row, ADW_COMBO_ROW (row));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_target_selected_cb), self, 0);
  update_column_row (item);

  return row;
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
  TesoroImportMapping *mapping = is_csv (self) ? tesoro_import_session_get_mapping (self->import) : NULL;
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

  if (self->updating || !is_csv (self) || is_busy (self))
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
    refresh_preview (self);
}

/* Step 3: Preview */

static void
set_count_label (GtkLabel *label,
                 guint64   n)
{
  g_autofree char *text = format_count (n);

  gtk_label_set_label (label, text);
}

static gboolean
preview_can_continue (TesoroImportWindow *self)
{
  if (is_busy (self) || self->preview_error != NULL)
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
static void
refresh_preview (TesoroImportWindow *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (self->work_kind == WORK_CHECK)
    {
      /* The worker holds the import: start again once it has let go. */
      self->recheck = TRUE;
      g_cancellable_cancel (self->cancellable);
      return;
    }
  g_return_if_fail (!is_busy (self));

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
  update_actions (self);
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
      refresh_preview (self);
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
    g_cancellable_cancel (self->cancellable);
}

static void
check_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  if (!is_busy (self) && self->step == STEP_PREVIEW)
    refresh_preview (self);
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
    refresh_preview (self);
  else
    update_actions (self);
}

/* Step 4: Existing contacts */

static void
show_existing (TesoroImportWindow *self)
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

static void
show_import (TesoroImportWindow *self)
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

static void go_to_step (TesoroImportWindow *self,
                        Step                step);

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

static void
start_import (TesoroImportWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (!is_busy (self));

  g_clear_pointer (&self->import_error, g_free);
  gtk_widget_set_visible (self->import_cancel_button, TRUE);
  if (self->skip_invalid && !ensure_report_path (self, &error))
    {
      self->import_state = IMPORT_FAILED;
      self->import_error = g_strdup (error->message);
      go_to_step (self, STEP_IMPORT);
      show_import (self);
      return;
    }

  apply_options (self, self->skip_invalid ? self->report_path : NULL);
  memset (&self->result, 0, sizeof self->result);
  self->import_state = IMPORT_RUNNING;
  reset_progress (self->import_progress);
  start_work (self, WORK_IMPORT);
  show_import (self);
  go_to_step (self, STEP_IMPORT);
}

/* Step 6: Summary */

static gboolean
report_available (TesoroImportWindow *self)
{
  return self->result.invalid > 0 && self->report_path != NULL &&
         g_file_test (self->report_path, G_FILE_TEST_IS_REGULAR);
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

  gtk_widget_set_visible (self->save_report_button, report_available (self));
  adw_action_row_set_subtitle (self->invalid_row,
                               report_available (self)
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
      g_signal_emit (self, signals[IMPORTED], 0, self->result.batch_id);
      if (self->closed)
        return;
      show_summary (self);
      go_to_step (self, STEP_SUMMARY);
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
  show_import (self);
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
      g_signal_emit (self, signals[UNDONE], 0, self->result.batch_id);
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

  if (is_busy (self) || self->undone || self->result.batch_id <= 0)
    return;

  reset_progress (self->undo_progress);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_progress), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_label), FALSE);
  start_work (self, WORK_UNDO);
  update_actions (self);
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

  if (!report_available (self))
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

/* Navigation */

static void
work_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (object);
  Work *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

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

  if (self->close_when_done && !is_busy (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  update_actions (self);
}

static const char *
step_title (Step step)
{
  switch (step)
    {
    case STEP_FILE:
      return _("File");
    case STEP_COLUMNS:
      return _("Columns");
    case STEP_PREVIEW:
      return _("Preview");
    case STEP_EXISTING:
      return _("Existing Contacts");
    case STEP_IMPORT:
      return _("Import");
    case STEP_SUMMARY:
    default:
      return _("Summary");
    }
}

static void
go_to_step (TesoroImportWindow *self,
            Step                step)
{
  guint number = step + 1;
  guint total = 6;
  g_autofree char *subtitle = NULL;

  /* A vCard file has no columns to map. */
  if (self->prepared && !is_csv (self))
    {
      total = 5;
      if (step > STEP_COLUMNS)
        number--;
    }

  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, step_ids[step]);
  adw_window_title_set_title (self->window_title, step_title (step));
  /* Translators: the subtitle of the import window: the file name, then
   * "step 2 of 6" */
  subtitle = g_strdup_printf (_("%s — step %u of %u"), self->display_name, number, total);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* Enter is Next: the focus starts on it (Tab leads into the step), or
   * on Cancel Import while the import runs. */
  self->focus_next = step != STEP_IMPORT || self->import_state != IMPORT_RUNNING;
  update_actions (self);
  if (step == STEP_IMPORT && self->import_state == IMPORT_RUNNING)
    gtk_widget_grab_focus (self->import_cancel_button);
}

static void
update_actions (TesoroImportWindow *self)
{
  gboolean busy = is_busy (self);
  gboolean import_ended = self->step == STEP_IMPORT &&
                          (self->import_state == IMPORT_CANCELLED || self->import_state == IMPORT_FAILED);
  gboolean can_next = FALSE;
  gboolean can_back = FALSE;
  const char *next_label = _("_Next");

  if (self->closed)
    return;

  switch (self->step)
    {
    case STEP_FILE:
      can_next = !busy && self->prepared && self->file_error == NULL;
      break;
    case STEP_COLUMNS:
      can_next = !busy;
      can_back = TRUE;
      break;
    case STEP_PREVIEW:
      can_next = preview_can_continue (self);
      can_back = TRUE;
      break;
    case STEP_EXISTING:
      can_next = !busy;
      can_back = !busy;
      next_label = _("_Import");
      break;
    case STEP_IMPORT:
      can_next = import_ended;
      can_back = import_ended;
      next_label = _("_Close");
      break;
    case STEP_SUMMARY:
    default:
      can_next = self->work_kind != WORK_UNDO;
      next_label = _("_Close");
      break;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.next", can_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.back", can_back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.stop-checking", self->work_kind == WORK_CHECK);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.check",
                                 !busy && self->step == STEP_PREVIEW && self->preview_error == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.undo",
                                 !busy && self->step == STEP_SUMMARY && !self->undone && self->result.batch_id > 0 &&
                                 self->result.created + self->result.updated > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-report", !busy && report_available (self));

  gtk_button_set_label (self->next_button, next_label);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), self->step != STEP_IMPORT || import_ended);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          self->step != STEP_FILE && self->step != STEP_SUMMARY &&
                          (self->step != STEP_IMPORT || import_ended));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->step < STEP_IMPORT);

  if (self->focus_next && can_next && gtk_widget_get_visible (GTK_WIDGET (self->next_button)) &&
      gtk_widget_grab_focus (GTK_WIDGET (self->next_button)))
    self->focus_next = FALSE;

  /* What would change the import waits while a worker holds it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->file_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_options_group), !busy);
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  switch (self->step)
    {
    case STEP_FILE:
      if (is_csv (self))
        {
          go_to_step (self, STEP_COLUMNS);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case STEP_COLUMNS:
      go_to_step (self, STEP_PREVIEW);
      refresh_preview (self);
      break;
    case STEP_PREVIEW:
      show_existing (self);
      go_to_step (self, STEP_EXISTING);
      break;
    case STEP_EXISTING:
      start_import (self);
      break;
    case STEP_IMPORT:
    case STEP_SUMMARY:
    default:
      gtk_window_close (GTK_WINDOW (self));
      break;
    }
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  switch (self->step)
    {
    case STEP_COLUMNS:
      go_to_step (self, STEP_FILE);
      break;
    case STEP_PREVIEW:
      if (self->work_kind == WORK_CHECK)
        {
          self->recheck = FALSE;
          g_cancellable_cancel (self->cancellable);
        }
      go_to_step (self, is_csv (self) ? STEP_COLUMNS : STEP_FILE);
      break;
    case STEP_EXISTING:
      go_to_step (self, STEP_PREVIEW);
      break;
    case STEP_IMPORT:
      go_to_step (self, STEP_EXISTING);
      break;
    case STEP_FILE:
    case STEP_SUMMARY:
    default:
      break;
    }
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (widget);

  if (self->work_kind == WORK_IMPORT)
    {
      /* The worker rolls back at its next row; import_done() says so. */
      g_cancellable_cancel (self->cancellable);
      self->import_state = IMPORT_CANCELLING;
      show_import (self);
      return;
    }
  if (self->work_kind == WORK_UNDO)
    return;

  gtk_window_close (GTK_WINDOW (self));
}

/* GObject */

static gboolean
tesoro_import_window_close_request (GtkWindow *window)
{
  TesoroImportWindow *self = TESORO_IMPORT_WINDOW (window);

  if (self->work_kind == WORK_IMPORT || self->work_kind == WORK_UNDO)
    {
      /* Stop an import (an undo finishes: it was asked for), and close once
       * the worker is done, so that "imported" and "undone" still reach
       * the main window if it committed. */
      if (self->work_kind == WORK_IMPORT)
        g_cancellable_cancel (self->cancellable);
      self->close_when_done = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (tesoro_import_window_parent_class)->close_request (window);
}

static void
tesoro_import_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tesoro_import_window_parent_class)->map (widget);

  /* Now that it can take the focus. */
  update_actions (TESORO_IMPORT_WINDOW (widget));
}

static void
tesoro_import_window_dispose (GObject *object)
{
  TesoroImportWindow *self = (TesoroImportWindow *) object;

  self->closed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  g_mutex_lock (&self->progress_lock);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_mutex_unlock (&self->progress_lock);

  gtk_widget_dispose_template (GTK_WIDGET (self), TESORO_TYPE_IMPORT_WINDOW);

  if (self->sample_rows != NULL)
    g_list_store_remove_all (self->sample_rows);
  if (self->preview_rows != NULL)
    g_list_store_remove_all (self->preview_rows);
  if (self->columns != NULL)
    g_list_store_remove_all (self->columns);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tesoro_import_window_parent_class)->dispose (object);
}

static void
tesoro_import_window_finalize (GObject *object)
{
  TesoroImportWindow *self = (TesoroImportWindow *) object;

  /* The report holds personal data: it goes with the window. */
  if (self->report_path != NULL)
    g_unlink (self->report_path);
  if (self->report_dir != NULL)
    g_rmdir (self->report_dir);
  g_free (self->report_path);
  g_free (self->report_dir);

  g_clear_object (&self->import);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sample_rows);
  g_clear_object (&self->preview_rows);
  g_clear_object (&self->columns);
  g_clear_pointer (&self->known_custom, g_hash_table_unref);
  g_strfreev (self->custom_names);
  g_free (self->display_name);
  g_free (self->file_error);
  g_free (self->country);
  g_free (self->preview_error);
  g_free (self->check_error);
  g_free (self->import_error);
  g_free (self->undo_text);
  g_mutex_clear (&self->progress_lock);

  G_OBJECT_CLASS (tesoro_import_window_parent_class)->finalize (object);
}

static void
tesoro_import_window_class_init (TesoroImportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tesoro_import_window_dispose;
  object_class->finalize = tesoro_import_window_finalize;
  widget_class->map = tesoro_import_window_map;
  window_class->close_request = tesoro_import_window_close_request;

  /**
   * TesoroImportWindow::imported:
   * @batch_id: the import batch, for Undo Import
   *
   * The import committed. It ran on a session of its own, whose signals
   * nobody else sees: reload what shows contacts.
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * TesoroImportWindow::undone:
   * @batch_id: the import batch that was undone
   *
   * Undo Import committed: reload what shows contacts.
   */
  signals[UNDONE] = g_signal_new ("undone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tesorocrm/Tesoro/tesoro-import-window.ui");

  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_icon);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, header_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, header_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_error_box);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, file_error_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, sample_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, sample_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, remembered_box);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, columns_list);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, columns_options_group);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, country_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, date_order_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, preview_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, preview_view);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_stack);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_progress);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_records_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_valid_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_invalid_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_existing_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, totals_duplicates_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, preview_message_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, basis_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, consent_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, vcard_country_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, duplicates_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_skip_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_update_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, existing_create_check);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_icon);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_title_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, import_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, summary_page);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, created_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, updated_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, skipped_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, invalid_label);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, save_report_button);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, undo_progress);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, invalid_row);
  gtk_widget_class_bind_template_child (widget_class, TesoroImportWindow, undo_label);

  gtk_widget_class_bind_template_callback (widget_class, on_encoding_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_delimiter_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_header_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_country_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_order_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_basis_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_skip_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_existing_toggled_cb);

  gtk_widget_class_install_action (widget_class, "import.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "import.stop-checking", NULL, stop_checking_activated);
  gtk_widget_class_install_action (widget_class, "import.check", NULL, check_activated);
  gtk_widget_class_install_action (widget_class, "import.undo", NULL, undo_activated);
  gtk_widget_class_install_action (widget_class, "import.save-report", NULL, save_report_activated);

  /* Escape is Cancel; Enter is Next, through the default widget. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
tesoro_import_window_init (TesoroImportWindow *self)
{
  const char * const *countries = tesoro_phone_countries ();
  g_autoptr(GtkStringList) encoding_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) delimiter_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) country_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) basis_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) sample_selection = NULL;
  g_autoptr(GtkNoSelection) preview_selection = NULL;

  g_mutex_init (&self->progress_lock);
  self->country = g_strdup (TESORO_DEFAULT_PHONE_COUNTRY);
  self->existing = TESORO_IMPORT_EXISTING_SKIP;
  self->consent = TESORO_CONSENT_ANSWER_NONE;
  self->known_custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sample_rows = g_list_store_new (TESORO_TYPE_IMPORT_TABLE_ROW);
  self->preview_rows = g_list_store_new (TESORO_TYPE_IMPORT_TABLE_ROW);
  self->columns = g_list_store_new (TESORO_TYPE_IMPORT_COLUMN_ITEM);

  /* The template's handlers ignore what happens while it is set up. */
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  sample_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sample_rows)));
  gtk_column_view_set_model (self->sample_view, GTK_SELECTION_MODEL (sample_selection));
  preview_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->preview_rows)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (preview_selection));
  set_contact_columns (self->preview_view, TRUE);

  gtk_list_box_bind_model (self->columns_list, G_LIST_MODEL (self->columns), create_column_row_cb, self, NULL);

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

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));
  self->updating = FALSE;
}

/* Public API */

static void
load_custom_names (TesoroImportWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->custom_names, g_strfreev);
  g_hash_table_remove_all (self->known_custom);

  self->custom_names = tesoro_session_list_custom_field_names (self->session, &error);
  if (self->custom_names == NULL)
    {
      g_warning ("Cannot list the custom fields: %s", error != NULL ? error->message : "?");
      return;
    }
  for (guint i = 0; self->custom_names[i] != NULL; i++)
    g_hash_table_add (self->known_custom, tesoro_fold (self->custom_names[i]));
}

static void
set_file (TesoroImportWindow *self,
          GFile              *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *source = NULL;
  g_autofree char *subtitle = NULL;

  g_set_object (&self->file, file);
  g_clear_object (&self->import);
  g_free (self->display_name);
  self->display_name = g_file_get_basename (file);

  self->import = tesoro_import_session_new (path != NULL ? path : "");
  source = tesoro_import_session_dup_consent_source (self->import);
  /* Translators: %s is how the consent is recorded, such as "import: klanten.csv" */
  subtitle = g_strdup_printf (_("Recorded with the source “%s”"), source);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->consent_row), subtitle);

  if (path == NULL)
    {
      self->prepared = FALSE;
      g_free (self->file_error);
      /* Translators: %s is a file name */
      self->file_error = g_strdup_printf (_("“%s” is not on this computer: copy it to a folder here first."),
                                          self->display_name);
      show_file_step (self);
    }
  else
    run_prepare (self);

  go_to_step (self, STEP_FILE);
}

/**
 * tesoro_import_window_new:
 * @session: the window's session; the import itself runs on a session of its own
 * @file: the file to import (CSV or vCard), chosen by the caller
 *
 * The File → Import… wizard for @file. Present it, transient for the main
 * window. It emits "imported" when an import committed and "undone" after
 * Undo Import: reload the contact lists then.
 *
 * Returns: (transfer none): a new window
 */
TesoroImportWindow *
tesoro_import_window_new (TesoroSession *session,
                          GFile       *file)
{
  TesoroImportWindow *self;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (TESORO_TYPE_IMPORT_WINDOW, NULL);
  self->session = g_object_ref (session);
  load_custom_names (self);
  set_file (self, file);
  return self;
}

static void
on_choose_file_response_cb (GtkNativeDialog    *dialog,
                            int                 response,
                            TesoroImportWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      set_file (self, file);
      gtk_window_present (GTK_WINDOW (self));
    }
  else
    gtk_window_destroy (GTK_WINDOW (self));

  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *suffixes,
            const char * const *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; suffixes != NULL && suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

/**
 * tesoro_import_window_choose_file:
 * @parent: the main window
 * @session: the main window's session
 *
 * File → Import…: asks for a CSV or vCard file, then shows the wizard for
 * it. Connect to the returned window's "imported" and "undone" signals
 * right away; it stays hidden until a file is chosen and is destroyed if
 * none is.
 *
 * Returns: (transfer none): the wizard, not shown yet
 */
TesoroImportWindow *
tesoro_import_window_choose_file (GtkWindow   *parent,
                                  TesoroSession *session)
{
  static const char * const csv_suffixes[] = { "csv", "tsv", "txt", NULL };
  static const char * const csv_types[] = { "text/csv", "text/tab-separated-values", NULL };
  static const char * const vcard_suffixes[] = { "vcf", "vcard", NULL };
  static const char * const vcard_types[] = { "text/vcard", "text/x-vcard", "text/directory", NULL };
  static const char * const all_suffixes[] = { "csv", "tsv", "txt", "vcf", "vcard", NULL };
  static const char * const all_types[] = { "text/csv", "text/tab-separated-values", "text/vcard", "text/x-vcard",
                                            "text/directory", NULL };
  TesoroImportWindow *self;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) any = gtk_file_filter_new ();
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_IMPORT_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  load_custom_names (self);

  dialog = gtk_file_chooser_native_new (_("Import Contacts"), parent, GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Contacts (CSV and vCard)"), all_suffixes, all_types);
  add_filter (GTK_FILE_CHOOSER (dialog), _("CSV (comma-separated values)"), csv_suffixes, csv_types);
  add_filter (GTK_FILE_CHOOSER (dialog), _("vCard (address book)"), vcard_suffixes, vcard_types);
  gtk_file_filter_set_name (any, _("All files"));
  gtk_file_filter_add_pattern (any, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), any);

  folder = g_file_new_for_path (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR)
                                ? documents : g_get_home_dir ());
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_choose_file_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));

  return self;
}

/**
 * tesoro_import_window_get_file:
 *
 * Returns: (transfer none) (nullable): the file being imported
 */
GFile *
tesoro_import_window_get_file (TesoroImportWindow *self)
{
  g_return_val_if_fail (TESORO_IS_IMPORT_WINDOW (self), NULL);
  return self->file;
}

/* For the tests */

const char *
_tesoro_import_window_get_step (TesoroImportWindow *self)
{
  return step_ids[self->step];
}

gboolean
_tesoro_import_window_is_busy (TesoroImportWindow *self)
{
  return is_busy (self);
}

const char *
_tesoro_import_window_get_file_error (TesoroImportWindow *self)
{
  return self->file_error;
}

const char *
_tesoro_import_window_get_preview_message (TesoroImportWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->preview_message_label))
         ? gtk_label_get_label (self->preview_message_label) : NULL;
}

TesoroImportSession *
_tesoro_import_window_get_session (TesoroImportWindow *self)
{
  return self->import;
}

GListModel *
_tesoro_import_window_get_sample (TesoroImportWindow *self)
{
  return G_LIST_MODEL (self->sample_rows);
}

GListModel *
_tesoro_import_window_get_preview (TesoroImportWindow *self)
{
  return G_LIST_MODEL (self->preview_rows);
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

guint
_tesoro_import_window_get_n_columns (TesoroImportWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->columns));
}

static TesoroImportColumnItem *
get_column_item (TesoroImportWindow *self,
                 guint               column)
{
  TesoroImportColumnItem *item = g_list_model_get_item (G_LIST_MODEL (self->columns), column);

  /* Borrowed: the list holds it. */
  if (item != NULL)
    g_object_unref (item);
  return item;
}

AdwComboRow *
_tesoro_import_window_get_column_row (TesoroImportWindow *self,
                                      guint               column)
{
  TesoroImportColumnItem *item = get_column_item (self, column);

  return item != NULL ? item->row : NULL;
}

TesoroImportMatch
_tesoro_import_window_get_column_match (TesoroImportWindow *self,
                                        guint               column)
{
  TesoroImportColumnItem *item = get_column_item (self, column);

  g_return_val_if_fail (item != NULL, TESORO_IMPORT_MATCH_NONE);
  return item->match;
}

char *
_tesoro_import_window_dup_column_target (TesoroImportWindow *self,
                                         guint               column)
{
  TesoroImportColumnItem *item = get_column_item (self, column);
  g_autoptr(TesoroImportChoiceItem) choice = NULL;

  g_return_val_if_fail (item != NULL, NULL);
  choice = g_list_model_get_item (G_LIST_MODEL (item->choices), item->selected);
  return choice != NULL ? g_strdup (choice->spec) : NULL;
}

/* As the user would: through the column's drop-down when it has one. */
gboolean
_tesoro_import_window_choose_target (TesoroImportWindow *self,
                                     guint               column,
                                     const char         *spec)
{
  TesoroImportColumnItem *item = get_column_item (self, column);
  g_autofree char *canonical = tesoro_import_spec_canonicalize (spec, NULL);

  g_return_val_if_fail (item != NULL && canonical != NULL, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (item->choices)); i++)
    {
      g_autoptr(TesoroImportChoiceItem) choice = g_list_model_get_item (G_LIST_MODEL (item->choices), i);

      if (!g_str_equal (choice->spec, canonical))
        continue;
      if (item->row != NULL)
        adw_combo_row_set_selected (item->row, i);
      else
        choose_target (self, item, i);
      return item->selected == i;
    }

  return FALSE;
}

gboolean
_tesoro_import_window_get_totals (TesoroImportWindow *self,
                                  TesoroImportTotals *totals)
{
  if (self->totals_state != TOTALS_DONE)
    return FALSE;
  *totals = self->totals;
  return TRUE;
}

gboolean
_tesoro_import_window_get_result (TesoroImportWindow *self,
                                  TesoroImportResult *result)
{
  if (self->import_state != IMPORT_DONE)
    return FALSE;
  *result = self->result;
  return TRUE;
}

double
_tesoro_import_window_get_import_fraction (TesoroImportWindow *self)
{
  return gtk_progress_bar_get_fraction (self->import_progress);
}

const char *
_tesoro_import_window_get_report_path (TesoroImportWindow *self)
{
  return report_available (self) ? self->report_path : NULL;
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

  if (!report_available (self))
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
