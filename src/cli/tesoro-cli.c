/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tesoro-access.h"
#include "tesoro-atomic-file.h"
#include "tesoro-cli-private.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

/* Input files larger than this are refused before they are read. */
#define MAX_INPUT_SIZE (256 * 1024 * 1024)

/* Shared helpers */

int
_tesoro_cli_fail (GError *error)
{
  g_printerr ("tesoro-cli: %s\n", error->message);
  g_error_free (error);
  return TESORO_CLI_ERROR;
}

int
_tesoro_cli_usage (GOptionContext *context,
                   const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  if (message != NULL)
    g_printerr ("tesoro-cli: %s\n\n", message);
  g_printerr ("%s", help);
  return TESORO_CLI_USAGE;
}

GOptionContext *
_tesoro_cli_context (const char *verb)
{
  GOptionContext *context = g_option_context_new (verb);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  return context;
}

/**
 * _tesoro_cli_parse:
 * @status: (out): the exit status when this returns %FALSE
 *
 * Parses a verb's options; `--help` prints the help and succeeds.
 */
gboolean
_tesoro_cli_parse (GOptionContext   *context,
                   int              *argc,
                   char           ***argv,
                   int              *status)
{
  g_autoptr(GError) error = NULL;

  for (int i = 1; i < *argc; i++)
    {
      if (g_str_equal ((*argv)[i], "--"))
        break;
      if (g_str_equal ((*argv)[i], "--help") || g_str_equal ((*argv)[i], "-h"))
        {
          g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
          g_print ("%s", help);
          *status = TESORO_CLI_OK;
          return FALSE;
        }
    }

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = _tesoro_cli_usage (context, error->message);
      return FALSE;
    }

  return TRUE;
}

/* A password from the first line of @path ("-": standard input). */
static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *end;

  contents = _tesoro_cli_read_input (path, &length, error);
  if (contents == NULL)
    return NULL;
  end = strpbrk (contents, "\r\n");
  return g_strndup (contents, end != NULL ? (gsize) (end - contents) : length);
}

/* A password typed at the terminal, not echoed. */
static char *
prompt_password (const char  *login,
                 GError     **error)
{
  struct termios saved, quiet;
  char line[1024];
  FILE *tty = fopen ("/dev/tty", "r+");
  char *end;
  gboolean ok;

  if (tty == NULL || tcgetattr (fileno (tty), &saved) != 0)
    {
      if (tty != NULL)
        fclose (tty);
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
                   _("There is no terminal to ask for the password of “%s”: give it with --password-file FILE"),
                   login);
      return NULL;
    }

  fprintf (tty, _("Password for %s: "), login);
  fflush (tty);
  quiet = saved;
  quiet.c_lflag &= ~ECHO;
  tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
  ok = fgets (line, sizeof line, tty) != NULL;
  tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fprintf (tty, "\n");
  fclose (tty);

  if (!ok)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION, _("No password was given"));
      return NULL;
    }
  end = strpbrk (line, "\r\n");
  if (end != NULL)
    *end = '\0';
  {
    char *password = g_strdup (line);
    memset (line, 0, sizeof line);
    return password;
  }
}

/* Signs the session in as --user, or refuses a database that needs it. */
static gboolean
sign_in (TesoroCli      *cli,
         TesoroSession  *session,
         GError        **error)
{
  g_autofree char *password = NULL;
  gboolean ok;

  if (cli->user == NULL)
    {
      if (!tesoro_session_is_signed_in (session))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
                       _("This database has several users: say who you are with --user LOGIN "
                         "(the password is asked for, or read with --password-file FILE)"));
          return FALSE;
        }
      return TRUE;
    }

  /* One person without a password needs none. */
  if (!tesoro_session_requires_sign_in (session) &&
      g_strcmp0 (tesoro_session_get_actor (session), cli->user) == 0 &&
      !tesoro_user_has_password (tesoro_session_get_user (session)))
    return TRUE;

  password = cli->password_file != NULL ? read_password_file (cli->password_file, error)
                                        : prompt_password (cli->user, error);
  if (password == NULL)
    return FALSE;
  ok = tesoro_session_sign_in (session, cli->user, password, error);
  memset (password, 0, strlen (password));
  return ok;
}

/**
 * _tesoro_cli_open_session:
 *
 * Opens the database of --db, signed in as --user: every verb acts as
 * that user, with their role.
 *
 * Returns: (transfer none) (nullable): the session
 */
TesoroSession *
_tesoro_cli_open_session (TesoroCli  *cli,
                          GError    **error)
{
  if (cli->session == NULL)
    {
      g_autofree char *path = cli->db_path != NULL ? g_strdup (cli->db_path) : tesoro_session_default_path ();
      g_autoptr(TesoroSession) session = tesoro_session_open (path,
                                                              cli->create_folder ? TESORO_SESSION_FLAGS_CREATE_FOLDER
                                                                                 : TESORO_SESSION_FLAGS_NONE,
                                                              error);

      if (session == NULL)
        return NULL;
      tesoro_session_set_front_end (session, "cli");
      if (tesoro_session_is_exposed (session))
        g_printerr (_("tesoro-cli: warning: other users of this computer can read “%s”, whatever their role: "
                      "make it readable by you alone (chmod 600)\n"), tesoro_session_get_path (session));
      if (!sign_in (cli, session, error))
        return NULL;
      cli->session = g_steal_pointer (&session);
    }

  return cli->session;
}

/**
 * _tesoro_cli_read_input:
 * @path: a file, or "-" for standard input
 *
 * Returns: (transfer full) (nullable): the contents
 */
char *
_tesoro_cli_read_input (const char  *path,
                        gsize       *length,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (g_str_equal (path, "-"))
    {
      GString *buffer = g_string_new (NULL);
      char chunk[65536];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        {
          if (buffer->len + n > MAX_INPUT_SIZE)
            {
              g_string_free (buffer, TRUE);
              g_set_error (error, TESORO_ERROR, TESORO_ERROR_TOO_LARGE,
                           _("Standard input is larger than %d MB"), MAX_INPUT_SIZE / (1024 * 1024));
              return NULL;
            }
          g_string_append_len (buffer, chunk, n);
        }
      *length = buffer->len;
      return g_string_free (buffer, FALSE);
    }

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);

      if (info != NULL && g_file_info_get_size (info) > MAX_INPUT_SIZE)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_TOO_LARGE,
                       _("%s: the file is larger than %d MB"), path, MAX_INPUT_SIZE / (1024 * 1024));
          return NULL;
        }
    }

  if (!g_file_get_contents (path, &contents, length, &local_error))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO, "%s", local_error->message);
      return NULL;
    }

  return contents;
}

TesoroContact *
_tesoro_cli_lookup (TesoroCli   *cli,
                    const char  *id_or_uid,
                    GError     **error)
{
  TesoroSession *session = _tesoro_cli_open_session (cli, error);

  if (session == NULL)
    return NULL;
  return tesoro_session_lookup_contact (session, id_or_uid, error);
}

void
_tesoro_cli_print_json (JsonNode *node)
{
  g_autofree char *text = tesoro_json_to_string (node, TRUE);
  g_print ("%s\n", text);
}

/* Prints @items as one JSON array, each item as @to_json makes it (a new
 * node). */
void
_tesoro_cli_print_json_array (GPtrArray          *items,
                              TesoroCliToJsonFunc to_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_value (builder, to_json (items->pdata[i]));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  _tesoro_cli_print_json (root);
}

/**
 * _tesoro_cli_session:
 * @status: (out): the exit status when the session cannot be opened
 *
 * Returns: (transfer none) (nullable): the session, or %NULL after printing
 * why not
 */
TesoroSession *
_tesoro_cli_session (TesoroCli  *cli,
                     int        *status)
{
  g_autoptr(GError) error = NULL;
  TesoroSession *session = _tesoro_cli_open_session (cli, &error);

  if (session == NULL)
    *status = _tesoro_cli_fail (g_steal_pointer (&error));
  return session;
}

/**
 * _tesoro_cli_parse_verb:
 * @entries: (nullable): the verb's options
 * @wanted: how many arguments the verb takes after its name
 *
 * Parses a verb's options with its summary and checks its arguments.
 */
gboolean
_tesoro_cli_parse_verb (GOptionContext  *context,
                        GOptionEntry    *entries,
                        const char      *summary,
                        int             *argc,
                        char          ***argv,
                        int              wanted,
                        int             *status)
{
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return _tesoro_cli_parse (context, argc, argv, status) &&
         _tesoro_cli_check_arguments (context, *argc, wanted, status);
}

/* The exit status of a verb that did (@ok) or did not do its work. */
int
_tesoro_cli_done (gboolean   ok,
                  GError   **error)
{
  return ok ? TESORO_CLI_OK : _tesoro_cli_fail (g_steal_pointer (error));
}

/**
 * _tesoro_cli_confirm:
 * @yes: whether --yes was given
 *
 * Asks on a terminal. Without a terminal, only --yes confirms: a script
 * must say what it means.
 */
gboolean
_tesoro_cli_confirm (const char  *question,
                     gboolean     yes,
                     GError     **error)
{
  char answer[16] = { 0 };

  if (yes)
    return TRUE;

  if (!isatty (STDIN_FILENO))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED,
                   _("Refusing without confirmation: standard input is not a terminal; add --yes"));
      return FALSE;
    }

  g_print ("%s [y/N] ", question);
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL ||
      (g_ascii_tolower (answer[0]) != 'y' && g_ascii_tolower (answer[0]) != 'j'))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled"));
      return FALSE;
    }

  return TRUE;
}

/**
 * _tesoro_cli_check_arguments:
 * @context: the verb's option context
 * @argc: the arguments left after parsing (the verb's name first)
 * @wanted: how many positional arguments the verb takes
 * @status: (out): the exit status when it returns %FALSE
 *
 * Checks that exactly @wanted arguments follow the verb, and otherwise
 * prints the usage with what is wrong.
 *
 * Returns: %TRUE when the count is right
 */
gboolean
_tesoro_cli_check_arguments (GOptionContext *context,
                             int             argc,
                             int             wanted,
                             int            *status)
{
  if (argc - 1 == wanted)
    return TRUE;

  *status = _tesoro_cli_usage (context, argc - 1 < wanted ? _("Missing argument") : _("Too many arguments"));
  return FALSE;
}

/* Verbs */

static int
verb_init (TesoroCli  *cli,
           int         argc,
           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("init");
  g_autoptr(GError) error = NULL;
  TesoroSession *session;
  int status;

  g_option_context_set_summary (context, _("Create the database (or bring it up to date)."));
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) ||
      !_tesoro_cli_check_arguments (context, argc, 0, &status))
    return status;

  session = _tesoro_cli_open_session (cli, &error);
  if (session == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  g_print (_("Database %s is ready (schema version %d)\n"),
           tesoro_session_get_path (session), tesoro_session_get_schema_version (session));
  return TESORO_CLI_OK;
}

static int
verb_demo (TesoroCli  *cli,
           int         argc,
           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("demo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  int count = 300;
  int seed = 1;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_("How many contacts to add (default 300)"), "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, N_("Random seed; the same seed gives the same contacts"), "S" },
    { NULL }
  };

  g_option_context_set_summary (context, _("Add realistic sample contacts with their history."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) ||
      !_tesoro_cli_check_arguments (context, argc, 0, &status))
    return status;

  if (count < 1 || count > 10000000)
    return _tesoro_cli_usage (context, _("--count must be between 1 and 10000000"));

  session = _tesoro_cli_open_session (cli, &error);
  if (session == NULL || !tesoro_session_generate_demo (session, count, seed, NULL, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  g_print (_("Added %d sample contacts in %.1f s\n"), count, g_timer_elapsed (timer, NULL));
  return TESORO_CLI_OK;
}

static TesoroContact *
read_contact_file (const char  *path,
                   GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  TesoroContact *contact;

  data = _tesoro_cli_read_input (path, &length, error);
  if (data == NULL)
    return NULL;

  contact = tesoro_contact_new_from_json (data, length, error);
  if (contact == NULL)
    g_prefix_error (error, "%s: ", g_str_equal (path, "-") ? _("standard input") : path);

  return contact;
}

static int
verb_add (TesoroCli  *cli,
          int         argc,
          char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("add --json FILE|-");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json_path = NULL;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_FILENAME, &json_path, N_("The contact as JSON (see README); - reads standard input"), "FILE" },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Add a contact, with its details and history, from the contact JSON.\n"
                                  "Prints the stored contact as JSON. Timestamps that are given are kept."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) ||
      !_tesoro_cli_check_arguments (context, argc, 0, &status))
    return status;
  if (json_path == NULL)
    return _tesoro_cli_usage (context, _("--json FILE is required"));

  contact = read_contact_file (json_path, &error);
  if (contact == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  session = _tesoro_cli_open_session (cli, &error);
  if (session == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!tesoro_session_add_contact (session, contact, &error))
    {
      g_prefix_error (&error, "%s: ", g_str_equal (json_path, "-") ? _("standard input") : json_path);
      return _tesoro_cli_fail (g_steal_pointer (&error));
    }

  stored = tesoro_session_get_contact (session, tesoro_contact_get_id (contact), &error);
  if (stored == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  node = tesoro_contact_to_json_node (stored);
  _tesoro_cli_print_json (node);
  return TESORO_CLI_OK;
}

static void
print_details (const char *title,
               GPtrArray  *details)
{
  for (guint i = 0; i < details->len; i++)
    {
      TesoroDetail *d = details->pdata[i];
      g_print ("%-14s %s%s%s%s\n", i == 0 ? title : "", d->value,
               *d->label ? " (" : "", d->label, *d->label ? ")" : "");
    }
}

static void
print_contact (TesoroContact *contact)
{
  GPtrArray *array;

  g_print ("%s\n", tesoro_contact_get_display_name (contact));
  g_print ("%-14s %" G_GINT64_FORMAT "\n", _("Id:"), tesoro_contact_get_id (contact));
  g_print ("%-14s %s\n", _("Uid:"), tesoro_contact_get_uid (contact));
  if (*tesoro_contact_get_organization (contact))
    g_print ("%-14s %s\n", _("Organisation:"), tesoro_contact_get_organization (contact));
  if (*tesoro_contact_get_job_title (contact))
    g_print ("%-14s %s\n", _("Job title:"), tesoro_contact_get_job_title (contact));
  if (tesoro_contact_get_birthday (contact))
    g_print ("%-14s %s\n", _("Birthday:"), tesoro_contact_get_birthday (contact));
  print_details (_("E-mail:"), tesoro_contact_get_emails (contact));
  print_details (_("Phone:"), tesoro_contact_get_phones (contact));

  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    {
      g_autofree char *text = tesoro_address_format (array->pdata[i]);
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint l = 0; lines[l] != NULL; l++)
        g_print ("%-14s %s\n", i == 0 && l == 0 ? _("Address:") : "", lines[l]);
    }

  array = tesoro_contact_get_custom_values (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroCustomValue *cv = array->pdata[i];
      g_autofree char *label = g_strdup_printf ("%s:", cv->name);
      g_print ("%-14s %s\n", label, cv->value);
    }

  array = tesoro_contact_get_tags (contact);
  if (array->len > 0)
    {
      g_ptr_array_add (array, NULL);
      g_autofree char *joined = g_strjoinv (", ", (char **) array->pdata);
      g_ptr_array_remove_index (array, array->len - 1);
      g_print ("%-14s %s\n", _("Tags:"), joined);
    }

  g_print ("%-14s %s\n", _("Lawful basis:"),
           tesoro_contact_get_lawful_basis (contact) ? tesoro_contact_get_lawful_basis (contact) : _("(not set)"));
  g_print ("%-14s %s\n", _("Consent:"), tesoro_contact_get_consent_state (contact));
  if (tesoro_contact_get_restricted (contact))
    g_print ("%-14s %s\n", "", _("Processing restricted"));
  if (tesoro_contact_get_trashed_at (contact))
    g_print ("%-14s %s %s\n", "", _("In the trash since"), tesoro_contact_get_trashed_at (contact));
  g_print (_("%u notes, %u messages, %u tasks, %u activities, %u consent events\n"),
           tesoro_contact_get_notes (contact)->len, tesoro_contact_get_messages (contact)->len,
           tesoro_contact_get_tasks (contact)->len, tesoro_contact_get_activities (contact)->len,
           tesoro_contact_get_consent (contact)->len);
}

static int
verb_show (TesoroCli  *cli,
           int         argc,
           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("show ID|UID");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  gboolean json = FALSE;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the contact JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Show a contact with everything held about it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) ||
      !_tesoro_cli_check_arguments (context, argc, 1, &status))
    return status;

  contact = _tesoro_cli_lookup (cli, argv[1], &error);
  if (contact == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonNode) node = tesoro_contact_to_json_node (contact);
      _tesoro_cli_print_json (node);
    }
  else
    print_contact (contact);

  return TESORO_CLI_OK;
}

static int
verb_list (TesoroCli  *cli,
           int         argc,
           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("list");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE, trash = FALSE;
  int limit = -1;
  TesoroSession *session;
  guint n;
  int status;
  GOptionEntry entries[] = {
    { "search", 'q', 0, G_OPTION_ARG_STRING, &search, N_("Only contacts matching the search"), "Q" },
    { "limit", 'l', 0, G_OPTION_ARG_INT, &limit, N_("At most N contacts"), "N" },
    { "trash", 't', 0, G_OPTION_ARG_NONE, &trash, N_("List the trash"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("List contacts by name, or search them as the window's search does."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) ||
      !_tesoro_cli_check_arguments (context, argc, 0, &status))
    return status;
  if (limit < -1)
    return _tesoro_cli_usage (context, _("--limit must not be negative"));

  session = _tesoro_cli_open_session (cli, &error);
  if (session == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  ids = tesoro_session_search_ids (session, search, trash, &error);
  if (ids == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  n = limit >= 0 ? MIN ((guint) limit, ids->len) : ids->len;
  contacts = tesoro_session_load_summaries (session, (gint64 *) ids->data, n, &error);
  if (contacts == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!json)
    {
      for (guint i = 0; i < contacts->len; i++)
        {
          TesoroContact *c = contacts->pdata[i];
          const char *email = tesoro_contact_get_primary_email (c);

          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", tesoro_contact_get_id (c),
                   tesoro_contact_get_display_name (c), tesoro_contact_get_organization (c),
                   email != NULL ? email : "");
        }
      return TESORO_CLI_OK;
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < contacts->len; i++)
    {
      TesoroContact *c = contacts->pdata[i];
      const char *email = tesoro_contact_get_primary_email (c);
      TesoroFieldGroups shown = tesoro_contact_get_shown_groups (c);

      /* The keys of what the user may not see are absent. */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, tesoro_contact_get_id (c));
      json_builder_set_member_name (builder, "uid");
      json_builder_add_string_value (builder, tesoro_contact_get_uid (c));
      if (shown & TESORO_FIELDS_NAME)
        {
          json_builder_set_member_name (builder, "display_name");
          json_builder_add_string_value (builder, tesoro_contact_get_display_name (c));
        }
      if (shown & TESORO_FIELDS_ORGANIZATION)
        {
          json_builder_set_member_name (builder, "organization");
          json_builder_add_string_value (builder, tesoro_contact_get_organization (c));
        }
      if (shown & TESORO_FIELDS_EMAILS)
        {
          json_builder_set_member_name (builder, "email");
          if (email != NULL)
            json_builder_add_string_value (builder, email);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_set_member_name (builder, "restricted");
      json_builder_add_boolean_value (builder, tesoro_contact_get_restricted (c));
      if (shown & TESORO_FIELDS_CONSENT)
        {
          json_builder_set_member_name (builder, "consent");
          json_builder_add_string_value (builder, tesoro_contact_get_consent_state (c));
        }
      if (trash)
        {
          json_builder_set_member_name (builder, "trashed_at");
          json_builder_add_string_value (builder, tesoro_contact_get_trashed_at (c));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  {
    g_autoptr(JsonNode) root = json_builder_get_root (builder);
    _tesoro_cli_print_json (root);
  }
  return TESORO_CLI_OK;
}

/* Update takes the contact JSON (as `show --json` prints it): the fields and
 * details present replace the stored ones; those absent are kept. History
 * and GDPR state have verbs of their own and are never changed here. */
static gboolean
merge_update (TesoroContact  *stored,
              TesoroContact  *changes,
              JsonObject     *present,
              GError        **error)
{
  static const struct { const char *key; guint (*count) (TesoroContact *); } history[] = {
    { "notes", NULL }, { "messages", NULL }, { "tasks", NULL }, { "activities", NULL }, { "consent", NULL },
  };
  GPtrArray *stored_history[] = {
    tesoro_contact_get_notes (stored), tesoro_contact_get_messages (stored), tesoro_contact_get_tasks (stored),
    tesoro_contact_get_activities (stored), tesoro_contact_get_consent (stored),
  };
  GPtrArray *new_history[] = {
    tesoro_contact_get_notes (changes), tesoro_contact_get_messages (changes), tesoro_contact_get_tasks (changes),
    tesoro_contact_get_activities (changes), tesoro_contact_get_consent (changes),
  };

  for (guint i = 0; i < G_N_ELEMENTS (history); i++)
    {
      if (json_object_has_member (present, history[i].key) && new_history[i]->len != stored_history[i]->len)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("“update” does not change the history (“%s”): it is only ever added to"),
                       history[i].key);
          return FALSE;
        }
    }

  if ((json_object_has_member (present, "restricted") &&
       tesoro_contact_get_restricted (changes) != tesoro_contact_get_restricted (stored)) ||
      (json_object_has_member (present, "legal_hold") &&
       tesoro_contact_get_legal_hold (changes) != tesoro_contact_get_legal_hold (stored)))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“update” does not change a restriction or legal hold: use “restrict” or “hold”"));
      return FALSE;
    }

  if (json_object_has_member (present, "uid") && tesoro_contact_get_uid (changes) != NULL &&
      g_strcmp0 (tesoro_contact_get_uid (changes), tesoro_contact_get_uid (stored)) != 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("A contact’s uid cannot be changed"));
      return FALSE;
    }

  /* A display name that was only ever derived from the other names follows
   * them: "update 12 --json {\"family_name\": …}" must not leave the old
   * name in the list. One the user chose stays. */
  if (!json_object_has_member (present, "display_name"))
    {
      g_autoptr(TesoroContact) plain = tesoro_contact_copy (stored);
      g_autofree char *derived = NULL;

      tesoro_contact_set_display_name (plain, NULL);
      derived = tesoro_contact_dup_best_name (plain);
      if (g_strcmp0 (derived, tesoro_contact_get_display_name (stored)) == 0)
        tesoro_contact_set_display_name (stored, NULL);
    }

#define MERGE_STRING(key, name)                                                       \
  if (json_object_has_member (present, key))                                          \
    tesoro_contact_set_##name (stored, tesoro_contact_get_##name (changes));

  MERGE_STRING ("given_name", given_name)
  MERGE_STRING ("family_name", family_name)
  MERGE_STRING ("display_name", display_name)
  MERGE_STRING ("organization", organization)
  MERGE_STRING ("job_title", job_title)
  MERGE_STRING ("birthday", birthday)
  MERGE_STRING ("lawful_basis", lawful_basis)
#undef MERGE_STRING

#define MERGE_ARRAY(key, getter)                                                      \
  if (json_object_has_member (present, key))                                          \
    {                                                                                 \
      GPtrArray *to = getter (stored);                                                \
      GPtrArray *from = getter (changes);                                             \
      g_ptr_array_set_size (to, 0);                                                   \
      g_ptr_array_extend_and_steal (to, g_ptr_array_ref (from));                      \
    }

  MERGE_ARRAY ("emails", tesoro_contact_get_emails)
  MERGE_ARRAY ("phones", tesoro_contact_get_phones)
  MERGE_ARRAY ("addresses", tesoro_contact_get_addresses)
  MERGE_ARRAY ("tags", tesoro_contact_get_tags)
  MERGE_ARRAY ("custom_fields", tesoro_contact_get_custom_values)
#undef MERGE_ARRAY

  return TRUE;
}

static int
verb_update (TesoroCli  *cli,
             int         argc,
             char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("update ID|UID --json FILE|-");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) changes = NULL;
  g_autoptr(TesoroContact) result = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *data = NULL;
  const char *source;
  gsize length = 0;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_FILENAME, &json_path, N_("The changed fields as contact JSON; - reads standard input"), "FILE" },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Change a contact. The fields present in the JSON replace the stored ones\n"
                                  "(emails, phones, addresses, tags and custom_fields as a whole); others are kept."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) ||
      !_tesoro_cli_check_arguments (context, argc, 1, &status))
    return status;
  if (json_path == NULL)
    return _tesoro_cli_usage (context, _("--json FILE is required"));

  source = g_str_equal (json_path, "-") ? _("standard input") : json_path;
  data = _tesoro_cli_read_input (json_path, &length, &error);
  if (data == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  parser = json_parser_new ();
  changes = tesoro_contact_new_from_json (data, length, &error);
  if (changes == NULL || !json_parser_load_from_data (parser, data, length, NULL))
    {
      g_prefix_error (&error, "%s: ", source);
      return _tesoro_cli_fail (g_steal_pointer (&error));
    }

  stored = _tesoro_cli_lookup (cli, argv[1], &error);
  if (stored == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!merge_update (stored, changes, json_node_get_object (json_parser_get_root (parser)), &error) ||
      !tesoro_session_update_contact (cli->session, stored, &error))
    {
      g_prefix_error (&error, "%s: ", source);
      return _tesoro_cli_fail (g_steal_pointer (&error));
    }

  result = tesoro_session_get_contact (cli->session, tesoro_contact_get_id (stored), &error);
  if (result == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  node = tesoro_contact_to_json_node (result);
  _tesoro_cli_print_json (node);
  return TESORO_CLI_OK;
}

static int
trash_or_restore (TesoroCli   *cli,
                  int          argc,
                  char       **argv,
                  gboolean     trash)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context (trash ? "trash ID|UID" : "restore ID|UID");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  int status;

  g_option_context_set_summary (context, trash ? _("Move a contact to the trash (it can be restored).")
                                               : _("Restore a contact from the trash."));
  if (!_tesoro_cli_parse (context, &argc, &argv, &status) ||
      !_tesoro_cli_check_arguments (context, argc, 1, &status))
    return status;

  contact = _tesoro_cli_lookup (cli, argv[1], &error);
  if (contact == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (trash ? !tesoro_session_trash_contact (cli->session, tesoro_contact_get_id (contact), &error)
            : !tesoro_session_restore_contact (cli->session, tesoro_contact_get_id (contact), &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  g_print (trash ? _("Moved “%s” to the trash\n") : _("Restored “%s”\n"),
           tesoro_contact_get_display_name (contact));
  return TESORO_CLI_OK;
}

static int
verb_trash (TesoroCli  *cli,
            int         argc,
            char      **argv)
{
  return trash_or_restore (cli, argc, argv, TRUE);
}

static int
verb_restore (TesoroCli  *cli,
              int         argc,
              char      **argv)
{
  return trash_or_restore (cli, argc, argv, FALSE);
}

static const TesoroCliVerb verbs[] = {
  { "init", "", N_("Create the database or bring it up to date"), verb_init },
  { "demo", "[--count N] [--seed S]", N_("Add realistic sample contacts"), verb_demo },
  { "add", "--json FILE|-", N_("Add a contact from JSON"), verb_add },
  { "show", "ID|UID [--json]", N_("Show a contact"), verb_show },
  { "list", "[--search Q] [--limit N] [--trash] [--json]", N_("List or search contacts"), verb_list },
  { "update", "ID|UID --json FILE|-", N_("Change a contact from JSON"), verb_update },
  { "trash", "ID|UID", N_("Move a contact to the trash"), verb_trash },
  { "restore", "ID|UID", N_("Restore a contact from the trash"), verb_restore },
  /* --- gdpr (tesoro-cli-gdpr.c) --- */
  { "export-data", "ID|UID --format csv|json --output FILE", N_("Export everything held about a contact"), _tesoro_cli_verb_export_data },
  { "delete", "ID|UID [--permanent [--reason TEXT] [--yes]]", N_("Trash a contact, or erase it permanently"), _tesoro_cli_verb_delete },
  { "empty-trash", "[--expired] [--yes]", N_("Erase the contacts in the trash"), _tesoro_cli_verb_empty_trash },
  { "consent", "ID --purpose P --grant|--withdraw --source S", N_("Record consent given or withdrawn"), _tesoro_cli_verb_consent },
  { "restrict", "ID|UID --on|--off", N_("Restrict processing of a contact (Art. 18)"), _tesoro_cli_verb_restrict },
  { "hold", "ID|UID --on|--off [--reason R]", N_("Put a contact on legal hold"), _tesoro_cli_verb_hold },
  { "retention", "[--years N] --dry-run|--apply [--json]", N_("Erase contacts inactive for too long"), _tesoro_cli_verb_retention },
  { "export-marketing", "--output FILE", N_("Export the marketing list (consent given)"), _tesoro_cli_verb_export_marketing },
  { "receipts", "[--json]", N_("List the erasure receipts"), _tesoro_cli_verb_receipts },
  { "purge", "[--json]", N_("Finish purging the files after erasures"), _tesoro_cli_verb_purge },
  { "audit", "[--views] [--by LOGIN] [--contact ID] [--json] | --verify", N_("Show or verify the accountability log"), _tesoro_cli_verb_audit },
  { "purposes", "[--add KEY --name NAME] [--json]", N_("List or add consent purposes"), _tesoro_cli_verb_purposes },
  { "settings", "[--retention on|off] [--retention-years N] …", N_("Retention and trash settings"), _tesoro_cli_verb_settings },
  /* --- privacy office (tesoro-cli-privacy.c) --- */
  { "fields", "list [--json] | off KEY [--erase] [--yes] | on KEY", N_("Switch fields off that are not needed, and erase their values"), _tesoro_cli_verb_fields },
  { "minimisation", "[--json]", N_("Report data kept without much use (data minimisation)"), _tesoro_cli_verb_minimisation },
  { "register", "--format html|csv --output FILE [--language en|nl] | purposes|recipients|controller …", N_("Write or edit the register of processing (Art. 30)"), _tesoro_cli_verb_register },
  /* --- import/export (tesoro-cli-import.c) --- */
  { "import", "FILE [--preview] [--match skip|update|create] [--skip-invalid --report F] [--dry-run] [--json] | --undo N | --list", N_("Import contacts from a CSV or vCard file"), _tesoro_cli_verb_import },
  { "export", "--output FILE [--format csv|vcard] [--delimiter ,|;] [--bom] [--search Q]", N_("Export contacts to a CSV or vCard file"), _tesoro_cli_verb_export },
  { "batch", "(--search Q | --ids 1,2,3) (--add-tag T | --remove-tag T | --set FIELD=VALUE | --trash)", N_("Change many contacts at once"), _tesoro_cli_verb_batch },
  { "users", "list [--json] | add LOGIN --name NAME --role ROLE --password-file F | disable|enable LOGIN | passwd LOGIN [--password-file F] | set-role LOGIN ROLE", N_("Manage the users"), _tesoro_cli_verb_users },
  { "requests", "list [--overdue] [--json] | show N [--json] | add --kind K --received DATE --requester TEXT [--contact ID]… | link N (--contact ID… | --no-data-held) | verify N --method TEXT | extend N --reason TEXT | respond N [--output FILE.zip] [--json FILE] [--yes] | close N [--refuse REASON]", N_("Data-subject requests and their deadlines"), _tesoro_cli_verb_requests },
  { "roles", "list [--json] | show ROLE [--json] | add KEY --name NAME | set ROLE [--permission P=on|off]… [--field GROUP=hidden|read|write]…", N_("Manage the roles and their field access"), _tesoro_cli_verb_roles },
  /* --- breach log (tesoro-cli-breaches.c) --- */
  { "breaches", "list [--json] | add --discovered DATETIME --description TEXT … | show N [--json] | notify N (--at DATETIME [--reference TEXT] | --not-required REASON) | inform N (--at DATETIME --how TEXT | --not-required REASON) | correct N …", N_("Keep the log of personal data breaches (Art. 33)"), _tesoro_cli_verb_breaches },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: tesoro-cli [--db PATH] [--user LOGIN [--password-file FILE]] VERB [OPTIONS…]"));
  fprintf (out, "\n%s\n", _("Tesoro, the privacy-first contact manager, from the command line."));
  fprintf (out, "\n%s\n", _("Verbs:"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    fprintf (out, "  %s%s%s\n        %s\n", verbs[i].name, *verbs[i].parameters ? " " : "",
             verbs[i].parameters, _(verbs[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  --db PATH  %s\n", _("The database (default: $TESORO_DB, else ~/.local/share/tesoro/tesoro.db)"));
  fprintf (out, "  --user LOGIN  %s\n", _("Act as this user (needed once a database has several users)"));
  fprintf (out, "  --password-file FILE  %s\n", _("Read the password from the first line of FILE, not the terminal"));
  fprintf (out, "  --version  %s\n", _("Print the version"));
  fprintf (out, "\n%s\n", _("Every verb has --help. Errors exit with status 1, usage errors with 2."));
}

/**
 * tesoro_cli_run:
 *
 * The command-line front end: parses the global options, then runs the verb.
 *
 * Returns: the exit status
 */
int
tesoro_cli_run (int    argc,
                char **argv)
{
  g_auto(TesoroCli) cli = { NULL, };
  int i = 1;
  int status = TESORO_CLI_USAGE;
  static const struct
  {
    const char *name;
    gsize       offset;
  } values[] = {
    { "--db", G_STRUCT_OFFSET (TesoroCli, db_path) },
    { "--user", G_STRUCT_OFFSET (TesoroCli, user) },
    { "--password-file", G_STRUCT_OFFSET (TesoroCli, password_file) },
  };

  while (i < argc && argv[i][0] == '-')
    {
      gboolean taken = FALSE;

      /* --name VALUE or --name=VALUE */
      for (guint v = 0; v < G_N_ELEMENTS (values) && !taken; v++)
        {
          char **field = G_STRUCT_MEMBER_P (&cli, values[v].offset);
          gsize len = strlen (values[v].name);

          if (g_str_equal (argv[i], values[v].name) && i + 1 < argc)
            {
              tesoro_set_str (field, argv[i + 1]);
              i += 2;
              taken = TRUE;
            }
          else if (g_str_has_prefix (argv[i], values[v].name) && argv[i][len] == '=')
            {
              tesoro_set_str (field, argv[i] + len + 1);
              i++;
              taken = TRUE;
            }
        }
      if (taken)
        continue;

      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_usage (stdout);
          return TESORO_CLI_OK;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          g_print ("tesoro-cli %s\n", PACKAGE_VERSION);
          return TESORO_CLI_OK;
        }
      else
        {
          g_printerr ("tesoro-cli: %s “%s”\n\n", _("Unknown option"), argv[i]);
          print_usage (stderr);
          return TESORO_CLI_USAGE;
        }
    }

  if (i >= argc)
    {
      print_usage (stderr);
      return TESORO_CLI_USAGE;
    }

  for (guint v = 0; v < G_N_ELEMENTS (verbs); v++)
    {
      if (g_str_equal (argv[i], verbs[v].name))
        {
          g_autofree char *prgname = g_strdup_printf ("tesoro-cli %s", verbs[v].name);

          g_set_prgname (prgname);
          /* A file written by a Tesoro that was killed may have been left
           * under a temporary name: it holds personal data. */
          tesoro_atomic_file_clean_unfinished ();
          /* Only the default location is made when missing: a --db (or
           * $TESORO_DB) in a folder that does not exist is more likely a
           * typing error than a wish for a new, empty database there. */
          cli.create_folder = (cli.db_path == NULL && g_getenv ("TESORO_DB") == NULL) ||
                              g_str_equal (verbs[v].name, "init");
          status = verbs[v].run (&cli, argc - i, argv + i);
          return status;
        }
    }

  g_printerr ("tesoro-cli: %s “%s”\n\n", _("Unknown verb"), argv[i]);
  print_usage (stderr);
  return TESORO_CLI_USAGE;
}
