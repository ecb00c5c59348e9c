/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "tesoro-breaches.h"
#include "tesoro-cli-private.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

/*
 * `tesoro-cli breaches …`: the breach log (GDPR Art. 33(5) and 34) for
 * scripts: list, add, show, notify, inform, correct. The session refuses
 * all of it to a role without the "requests" permission. Times are read as
 * the other verbs read them: `2024-03-01 14:05` in local time, a date, or
 * ISO 8601 with a zone.
 */

/* Parses the verb's options, checks its arguments, and opens the session
 * as the user named: the session, or NULL with @status set. */
static TesoroSession *
prepare (TesoroCli        *cli,
         GOptionContext   *context,
         GOptionEntry     *entries,
         const char       *summary,
         int              *argc,
         char           ***argv,
         int               wanted,
         int              *status)
{
  if (!_tesoro_cli_parse_verb (context, entries, summary, argc, argv, wanted, status))
    return NULL;
  return _tesoro_cli_session (cli, status);
}

/* The breach number N of the command line, or 0 after a usage error. */
static gint64
breach_number (GOptionContext *context,
               const char     *text,
               int            *status)
{
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    {
      *status = _tesoro_cli_usage (context, _("N is the number of a breach (see “tesoro-cli breaches list”)"));
      return 0;
    }
  return (gint64) id;
}

/* A moment as typed, in stored form, or NULL with @error naming @option. */
static char *
parse_moment (const char  *option,
              const char  *text,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *moment = tesoro_parse_local_datetime (text, &local_error);

  if (moment == NULL)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, "%s: %s", option, local_error->message);
  return moment;
}

static void
print_breach_json (TesoroBreach *breach)
{
  g_autoptr(JsonNode) node = tesoro_breach_to_json_node (breach, NULL, TRUE);

  _tesoro_cli_print_json (node);
}

/* What the list says of the 72 hours: "14 hours left", "overdue", … */
static char *
deadline_state (TesoroBreach *breach)
{
  gint64 left = 0;

  switch (tesoro_breach_get_deadline_state (breach, NULL, &left))
    {
    case TESORO_BREACH_DEADLINE_OPEN:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour left", "%d hours left", left / 3600),
                              (int) (left / 3600));
    case TESORO_BREACH_DEADLINE_OVERDUE:
      return g_strdup (_("overdue"));
    case TESORO_BREACH_DEADLINE_NOTIFIED:
      return g_strdup_printf (_("notified %s"), tesoro_breach_get_notified_at (breach));
    case TESORO_BREACH_DEADLINE_NOT_REQUIRED:
    default:
      return g_strdup (_("notification not required"));
    }
}

static char *
count_text (gint64 n)
{
  return n >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n) : g_strdup (_("unknown"));
}

static void
print_breach_text (TesoroBreach *breach)
{
  g_autofree char *deadline = tesoro_breach_dup_deadline (breach);
  g_autofree char *state = tesoro_breach_describe_deadline (breach, NULL);
  g_autofree char *people_state = tesoro_breach_describe_people (breach);
  g_autofree char *people = count_text (tesoro_breach_get_people_affected (breach));
  g_autofree char *records = count_text (tesoro_breach_get_records_affected (breach));
  GListModel *events = tesoro_breach_get_events (breach);
  guint n = g_list_model_get_n_items (events);

  g_print (_("Breach %" PRId64 " (%s)\n"), tesoro_breach_get_id (breach), tesoro_breach_get_uid (breach));
  g_print (_("Discovered:    %s\n"), tesoro_breach_get_discovered_at (breach));
  g_print (_("Recorded:      %s by %s\n"), tesoro_breach_get_recorded_at (breach), tesoro_breach_get_recorded_by (breach));
  g_print (_("Deadline:      %s (72 hours)\n"), deadline);
  g_print (_("Authority:     %s\n"), state);
  g_print (_("People:        %s\n"), people_state);
  g_print (_("What happened: %s\n"), tesoro_breach_get_description (breach));
  g_print (_("Categories:    %s\n"), tesoro_breach_get_categories (breach));
  g_print (_("People affected:  %s\n"), people);
  g_print (_("Records affected: %s\n"), records);
  g_print (_("Consequences:  %s\n"), tesoro_breach_get_consequences (breach));
  g_print (_("Measures:      %s\n"), tesoro_breach_get_measures (breach));
  g_print (_("History:\n"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TesoroBreachEvent) event = g_list_model_get_item (events, i);
      g_autofree char *text = tesoro_breach_event_describe (event);
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      g_print ("  %s\t%s\t%s\n", tesoro_breach_event_get_at (event), tesoro_breach_event_get_recorded_by (event),
               lines[0]);
      for (guint j = 1; lines[j] != NULL; j++)
        g_print ("  \t\t  %s\n", lines[j]);
    }
  if (n == 0)
    g_print (_("  nothing since it was recorded\n"));
}

/* Prints what a verb that records something leaves behind. */
static int
print_result (TesoroBreach  *breach,
              gboolean       json,
              GError       **error)
{
  g_autofree char *state = NULL;

  if (breach == NULL)
    return _tesoro_cli_fail (g_steal_pointer (error));

  if (json)
    {
      print_breach_json (breach);
      return TESORO_CLI_OK;
    }
  state = tesoro_breach_describe_deadline (breach, NULL);
  g_print (_("Breach %" PRId64 ": %s\n"), tesoro_breach_get_id (breach), state);
  return TESORO_CLI_OK;
}

/* list */

static int
breaches_list (TesoroCli  *cli,
               int         argc,
               char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("breaches list [--json]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) breaches = NULL;
  gboolean json = FALSE;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (with the history of each breach)"), NULL },
    { NULL }
  };

  if (prepare (cli, context, entries,
               _("List the breaches, most recently discovered first: number, discovered, deadline for\n"
                 "notifying the authority (72 hours), where that stands, people affected, what happened."),
               &argc, &argv, 0, &status) == NULL)
    return status;

  breaches = tesoro_session_list_breaches (cli->session, &error);
  if (breaches == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (breaches->len);
      g_autoptr(JsonNode) root = NULL;

      for (guint i = 0; i < breaches->len; i++)
        json_array_add_element (array, tesoro_breach_to_json_node (breaches->pdata[i], NULL, TRUE));
      root = json_node_init_array (json_node_alloc (), array);
      _tesoro_cli_print_json (root);
      return TESORO_CLI_OK;
    }

  for (guint i = 0; i < breaches->len; i++)
    {
      TesoroBreach *b = breaches->pdata[i];
      g_autofree char *deadline = tesoro_breach_dup_deadline (b);
      g_autofree char *state = deadline_state (b);
      g_autofree char *people = count_text (tesoro_breach_get_people_affected (b));
      g_autofree char *title = tesoro_breach_dup_title (b);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", tesoro_breach_get_id (b),
               tesoro_breach_get_discovered_at (b), deadline, state, people, title);
    }
  return TESORO_CLI_OK;
}

/* add and correct: the facts from the options */

typedef struct
{
  char *discovered;
  char *description;
  char *categories;
  char *people;
  char *records;
  char *consequences;
  char *measures;
} FactOptions;

static void
fact_options_clear (FactOptions *o)
{
  g_free (o->discovered);
  g_free (o->description);
  g_free (o->categories);
  g_free (o->people);
  g_free (o->records);
  g_free (o->consequences);
  g_free (o->measures);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FactOptions, fact_options_clear)

/* Fills @facts (and @discovered, which it points into) from @o; @fields
 * gets the options given. */
static gboolean
facts_from_options (FactOptions         *o,
                    TesoroBreachFacts   *facts,
                    char               **discovered,
                    TesoroBreachFields  *fields,
                    GError             **error)
{
  *fields = 0;
  memset (facts, 0, sizeof *facts);

  if (o->discovered != NULL)
    {
      *discovered = parse_moment ("--discovered", o->discovered, error);
      if (*discovered == NULL)
        return FALSE;
      facts->discovered_at = *discovered;
      *fields |= TESORO_BREACH_FIELD_DISCOVERED;
    }
  if (o->people != NULL &&
      !tesoro_breach_parse_count ("--people", o->people, &facts->people_known, &facts->people_affected, error))
    return FALSE;
  if (o->records != NULL &&
      !tesoro_breach_parse_count ("--records", o->records, &facts->records_known, &facts->records_affected, error))
    return FALSE;

  facts->description = o->description;
  facts->categories = o->categories;
  facts->consequences = o->consequences;
  facts->measures = o->measures;
  *fields |= (o->description != NULL ? TESORO_BREACH_FIELD_DESCRIPTION : 0) |
             (o->categories != NULL ? TESORO_BREACH_FIELD_CATEGORIES : 0) |
             (o->people != NULL ? TESORO_BREACH_FIELD_PEOPLE : 0) |
             (o->records != NULL ? TESORO_BREACH_FIELD_RECORDS : 0) |
             (o->consequences != NULL ? TESORO_BREACH_FIELD_CONSEQUENCES : 0) |
             (o->measures != NULL ? TESORO_BREACH_FIELD_MEASURES : 0);
  return TRUE;
}

static int
breaches_add_or_correct (TesoroCli  *cli,
                         int         argc,
                         char      **argv,
                         gboolean    correct)
{
  g_autoptr(GOptionContext) context =
    _tesoro_cli_context (correct ? "breaches correct N [--discovered DATETIME] [--description TEXT] …"
                                 : "breaches add --discovered DATETIME --description TEXT [--categories TEXT] "
                                   "[--people N] [--records N] [--consequences TEXT] [--measures TEXT]");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroBreach) breach = NULL;
  g_autofree char *discovered = NULL;
  g_auto(FactOptions) o = { 0 };
  TesoroBreachFacts facts;
  TesoroBreachFields fields;
  gboolean json = FALSE;
  gint64 id = 0;
  int status;
  GOptionEntry entries[] = {
    { "discovered", 'd', 0, G_OPTION_ARG_STRING, &o.discovered,
      N_("When the breach was discovered (2024-03-01 14:05, local time): the 72 hours run from then"), "DATETIME" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &o.description, N_("What happened"), "TEXT" },
    { "categories", 0, 0, G_OPTION_ARG_STRING, &o.categories, N_("The categories of personal data concerned"), "TEXT" },
    { "people", 0, 0, G_OPTION_ARG_STRING, &o.people, N_("About how many people are affected (empty: unknown)"), "N" },
    { "records", 0, 0, G_OPTION_ARG_STRING, &o.records, N_("About how many records are affected (empty: unknown)"), "N" },
    { "consequences", 0, 0, G_OPTION_ARG_STRING, &o.consequences, N_("The likely consequences"), "TEXT" },
    { "measures", 0, 0, G_OPTION_ARG_STRING, &o.measures, N_("The measures taken or proposed"), "TEXT" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the breach as JSON"), NULL },
    { NULL }
  };

  if (prepare (cli, context, entries,
               correct ? _("Correct or add to the facts of a breach. The options given replace what is recorded;\n"
                           "the history keeps the earlier values.")
                       : _("Record a personal data breach (GDPR Art. 33(5)). The supervisory authority is to be\n"
                           "notified within 72 hours of its discovery (see “breaches notify”)."),
               &argc, &argv, correct ? 1 : 0, &status) == NULL)
    return status;
  if (correct && (id = breach_number (context, argv[1], &status)) == 0)
    return status;
  if (!correct && (o.discovered == NULL || o.description == NULL))
    return _tesoro_cli_usage (context, _("--discovered DATETIME and --description TEXT are required"));

  if (!facts_from_options (&o, &facts, &discovered, &fields, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));
  if (correct && fields == 0)
    return _tesoro_cli_usage (context, _("Give at least one fact to correct"));

  breach = correct ? tesoro_session_correct_breach (cli->session, id, &facts, fields, &error)
                   : tesoro_session_record_breach (cli->session, &facts, &error);
  return print_result (breach, json, &error);
}

/* show */

static int
breaches_show (TesoroCli  *cli,
               int         argc,
               char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("breaches show N [--json]");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroBreach) breach = NULL;
  gboolean json = FALSE;
  gint64 id;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (prepare (cli, context, entries, _("Show a breach: the facts as they stand now, and its whole history."),
               &argc, &argv, 1, &status) == NULL ||
      (id = breach_number (context, argv[1], &status)) == 0)
    return status;

  breach = tesoro_session_get_breach (cli->session, id, &error);
  if (breach == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    print_breach_json (breach);
  else
    print_breach_text (breach);
  return TESORO_CLI_OK;
}

/* notify and inform */

static int
breaches_duty (TesoroCli  *cli,
               int         argc,
               char      **argv,
               gboolean    authority)
{
  g_autoptr(GOptionContext) context =
    _tesoro_cli_context (authority ? "breaches notify N (--at DATETIME [--reference TEXT] | --not-required REASON)"
                                   : "breaches inform N (--at DATETIME --how TEXT | --not-required REASON)");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroBreach) breach = NULL;
  g_autofree char *at = NULL;
  g_autofree char *text = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *when = NULL;
  gboolean json = FALSE;
  gint64 id;
  int status;
  GOptionEntry entries[] = {
    { "at", 'a', 0, G_OPTION_ARG_STRING, &at,
      authority ? N_("When the authority was notified (2024-03-01 14:05, local time)")
                : N_("When the people were informed (2024-03-01 14:05, local time)"), "DATETIME" },
    { authority ? "reference" : "how", 0, 0, G_OPTION_ARG_STRING, &text,
      authority ? N_("The authority's reference of the notification") : N_("How they were informed: by e-mail, by letter, …"),
      "TEXT" },
    { "not-required", 0, 0, G_OPTION_ARG_STRING, &reason,
      authority ? N_("Notifying is not required: why (the breach is unlikely to result in a risk to people)")
                : N_("Informing them is not required: why (Art. 34(3))"), "REASON" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the breach as JSON"), NULL },
    { NULL }
  };

  if (prepare (cli, context, entries,
               authority ? _("Record that the supervisory authority was notified of a breach (Art. 33), or why\n"
                             "that is not required.")
                         : _("Record that the people affected by a breach were informed (Art. 34), or why that\n"
                             "is not required."),
               &argc, &argv, 1, &status) == NULL ||
      (id = breach_number (context, argv[1], &status)) == 0)
    return status;
  if ((at != NULL) == (reason != NULL))
    return _tesoro_cli_usage (context, _("Give exactly one of --at and --not-required"));
  if (reason != NULL && text != NULL)
    return _tesoro_cli_usage (context, authority ? _("--reference goes with --at") : _("--how goes with --at"));
  if (!authority && at != NULL && text == NULL)
    return _tesoro_cli_usage (context, _("--how TEXT is required with --at"));

  if (at != NULL && (when = parse_moment ("--at", at, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (authority)
    breach = tesoro_session_record_breach_authority (cli->session, id, reason == NULL, when,
                                                     reason != NULL ? reason : text, &error);
  else
    breach = tesoro_session_record_breach_people (cli->session, id, reason == NULL, when,
                                                  reason != NULL ? reason : text, &error);
  return print_result (breach, json, &error);
}

int
_tesoro_cli_verb_breaches (TesoroCli  *cli,
                           int         argc,
                           char      **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "list") == 0)
    return breaches_list (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "add") == 0 || g_strcmp0 (sub, "correct") == 0)
    return breaches_add_or_correct (cli, argc - 1, argv + 1, g_str_equal (sub, "correct"));
  if (g_strcmp0 (sub, "show") == 0)
    return breaches_show (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "notify") == 0 || g_strcmp0 (sub, "inform") == 0)
    return breaches_duty (cli, argc - 1, argv + 1, g_str_equal (sub, "notify"));

  g_printerr ("tesoro-cli: %s\n", _("breaches needs one of: list, add, show, notify, inform, correct"));
  return TESORO_CLI_USAGE;
}
