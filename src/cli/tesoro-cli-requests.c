/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-cli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tesoro-cli-private.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-requests.h"
#include "tesoro-utils.h"

/*
 * `tesoro-cli requests …`: the Requests window of the privacy office, for
 * scripts. The session refuses all of it without the "requests" permission
 * (Administrator and Privacy Officer have it).
 */

static gboolean
parse_number (const char  *text,
              gint64      *number,
              GError     **error)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("“%s” is not a request number."), text != NULL ? text : "");
      return FALSE;
    }
  *number = (gint64) value;
  return TRUE;
}

static JsonNode *
request_to_json (TesoroRequest *r)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *deadline = tesoro_request_get_deadline_iso (r);

  json_builder_begin_object (builder);
#define STR(name, value) \
  G_STMT_START { json_builder_set_member_name (builder, name); \
                 if ((value) != NULL) json_builder_add_string_value (builder, value); \
                 else json_builder_add_null_value (builder); } G_STMT_END
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, r->id);
  STR ("uid", r->uid);
  STR ("kind", tesoro_request_kind_to_string (r->kind));
  STR ("received_on", r->received_on);
  STR ("deadline", deadline);
  json_builder_set_member_name (builder, "days_left");
  if (tesoro_request_is_closed (r))
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, tesoro_request_days_left (r, now));
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder, tesoro_request_is_overdue (r, now));
  STR ("status", tesoro_request_status_to_string (r->status));
  STR ("channel", r->channel);
  STR ("requester", r->requester);
  STR ("language", r->language);
  json_builder_set_member_name (builder, "identity");
  json_builder_begin_object (builder);
  STR ("status", r->identity_verified ? "verified" : "pending");
  STR ("method", r->identity_method);
  STR ("by", r->identity_by);
  STR ("at", r->identity_at);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < r->contact_uids->len; i++)
    json_builder_add_string_value (builder, r->contact_uids->pdata[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "no_data_held");
  json_builder_add_boolean_value (builder, r->no_data_held);
  STR ("extended_at", r->extended_at);
  STR ("extension_reason", r->extension_reason);
  STR ("outcome", r->outcome);
  STR ("refusal_reason", r->refusal_reason);
  json_builder_set_member_name (builder, "evidence");
  if (json_parser_load_from_data (parser, r->evidence, -1, NULL))
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_null_value (builder);
  STR ("notes", r->notes);
  STR ("created_at", r->created_at);
  STR ("created_by", r->created_by);
  STR ("closed_at", r->closed_at);
  STR ("scrubbed_at", r->scrubbed_at);
#undef STR
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The contacts of --contact ID|UID options, as ids. */
static GArray *
lookup_contacts (TesoroCli  *cli,
                 char      **refs,
                 GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; refs != NULL && refs[i] != NULL; i++)
    {
      g_autoptr(TesoroContact) contact = _tesoro_cli_lookup (cli, refs[i], error);
      gint64 id;

      if (contact == NULL)
        return NULL;
      id = tesoro_contact_get_id (contact);
      g_array_append_val (ids, id);
    }
  return g_steal_pointer (&ids);
}

static int
requests_list (TesoroCli  *cli,
               int         argc,
               char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("requests list");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean json = FALSE, overdue = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only the open requests past their deadline"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("List the data-subject requests, the most urgent first."),
                               &argc, &argv, 0, &status) ||
      (session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  requests = tesoro_session_list_requests (session, overdue, now, &error);
  if (requests == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      _tesoro_cli_print_json_array (requests, (TesoroCliToJsonFunc) request_to_json);
      return TESORO_CLI_OK;
    }

  if (requests->len == 0)
    g_print ("%s\n", overdue ? _("No request is overdue.") : _("There are no requests."));
  for (guint i = 0; i < requests->len; i++)
    {
      TesoroRequest *r = requests->pdata[i];
      g_autofree char *deadline = tesoro_request_get_deadline_iso (r);
      g_autofree char *clock = tesoro_request_describe_clock (r, now);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\n", r->id,
               tesoro_request_kind_get_label (r->kind), r->received_on, deadline, clock,
               tesoro_request_status_get_label (r->status),
               r->scrubbed_at != NULL ? _("(erased with the contact)") : r->requester);
    }
  return TESORO_CLI_OK;
}

static int
requests_show (TesoroCli  *cli,
               int         argc,
               char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("requests show");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRequest) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  gint64 id;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Show one request."), &argc, &argv, 1, &status) ||
      (session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!parse_number (argv[1], &id, &error) ||
      (request = tesoro_session_get_request (session, id, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  node = request_to_json (request);
  if (json)
    _tesoro_cli_print_json (node);
  else
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (o);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (o, l->data);
          g_autofree char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                                    ? g_strdup (json_node_get_string (value))
                                    : tesoro_json_to_string (value, FALSE);

          g_print ("%s: %s\n", (const char *) l->data, text);
        }
    }
  return TESORO_CLI_OK;
}

static int
requests_add (TesoroCli  *cli,
              int         argc,
              char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("requests add");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRequest) request = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *kind = NULL, *received = NULL, *requester = NULL, *channel = NULL;
  g_autofree char *language = NULL, *notes = NULL;
  g_auto(GStrv) contacts = NULL;
  TesoroRequestDraft draft = { 0 };
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind,
      N_("access, rectification, erasure, restriction, portability or objection"), "K" },
    { "received", 0, 0, G_OPTION_ARG_STRING, &received, N_("The date the request was received"), "DATE" },
    { "requester", 0, 0, G_OPTION_ARG_STRING, &requester, N_("Who asked, as they identified themselves"), "TEXT" },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel, N_("How it came in (e-mail, letter, phone…)"), "TEXT" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The language of the response: en or nl"), "LANG" },
    { "contact", 0, 0, G_OPTION_ARG_STRING_ARRAY, &contacts, N_("A contact it is about (repeatable)"), "ID" },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Notes"), "TEXT" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Record a data-subject request as received."),
                               &argc, &argv, 0, &status))
    return status;
  if (kind == NULL || received == NULL || requester == NULL)
    return _tesoro_cli_usage (context, _("--kind, --received and --requester are needed"));
  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  if (!tesoro_request_kind_from_string (kind, &draft.kind, &error) ||
      (ids = lookup_contacts (cli, contacts, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  draft.received_on = received;
  draft.requester = requester;
  draft.channel = channel;
  draft.language = language;
  draft.notes = notes;
  draft.contact_ids = (const gint64 *) ids->data;
  draft.n_contact_ids = ids->len;

  request = tesoro_session_add_request (session, &draft, &error);
  if (request == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  {
    g_autofree char *deadline = tesoro_request_get_deadline_iso (request);

    g_print (_("Request %" PRId64 " recorded; the answer is due by %s\n"), request->id, deadline);
  }
  return TESORO_CLI_OK;
}

static int
requests_link (TesoroCli  *cli,
               int         argc,
               char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("requests link");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_auto(GStrv) contacts = NULL;
  gboolean no_data = FALSE;
  TesoroSession *session;
  gint64 id;
  int status;
  GOptionEntry entries[] = {
    { "contact", 0, 0, G_OPTION_ARG_STRING_ARRAY, &contacts, N_("A contact it is about (repeatable)"), "ID" },
    { "no-data-held", 0, 0, G_OPTION_ARG_NONE, &no_data, N_("Tesoro holds no data about the requester"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Set the contacts a request is about."), &argc, &argv, 1, &status) ||
      (session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!parse_number (argv[1], &id, &error) ||
      (ids = lookup_contacts (cli, contacts, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  return _tesoro_cli_done (tesoro_session_link_request (session, id, (const gint64 *) ids->data, ids->len,
                                                        no_data, &error), &error);
}

/* verify N --method, extend N --reason, close N [--refuse REASON] */
static int
requests_simple (TesoroCli   *cli,
                 int          argc,
                 char       **argv,
                 const char  *verb)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = g_strconcat ("requests ", verb, NULL);
  gboolean verify = g_str_equal (verb, "verify"), extend = g_str_equal (verb, "extend");
  TesoroSession *session;
  gint64 id;
  int status;
  gboolean ok;
  GOptionEntry entries[] = {
    { verify ? "method" : extend ? "reason" : "refuse", 0, 0, G_OPTION_ARG_STRING, &text,
      verify ? N_("How the identity was checked")
             : extend ? N_("Why more time is needed") : N_("Refuse the request with this reason"),
      "TEXT" },
    { NULL }
  };

  context = _tesoro_cli_context (name);
  if (!_tesoro_cli_parse_verb (context, entries,
                               verify ? _("Record that the requester's identity was verified.")
                                      : extend ? _("Extend the deadline once by two months.")
                                               : _("Close a request as done, or refuse it."),
                               &argc, &argv, 1, &status))
    return status;
  if ((verify || extend) && text == NULL)
    return _tesoro_cli_usage (context, verify ? _("--method is needed") : _("--reason is needed"));
  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!parse_number (argv[1], &id, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (verify)
    ok = tesoro_session_verify_request (session, id, text, &error);
  else if (extend)
    ok = tesoro_session_extend_request (session, id, text, &error);
  else
    ok = tesoro_session_close_request (session, id, text, &error);
  return _tesoro_cli_done (ok, &error);
}

static int
requests_respond (TesoroCli  *cli,
                  int         argc,
                  char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("requests respond");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRequest) request = NULL;
  g_autoptr(TesoroRequest) after = NULL;
  g_autofree char *output = NULL;
  g_autofree char *contact_json = NULL;
  gboolean yes = FALSE;
  TesoroSession *session;
  gint64 id;
  int status;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the response package (access, portability)"), "FILE.zip" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &contact_json, N_("The corrected contact as JSON (rectification)"), "FILE" },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask before erasing (erasure)"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                               _("Answer a request: write the response package (access, portability), erase "
                                 "(erasure), restrict (restriction), stop marketing (objection), or save the "
                                 "corrected contact (rectification); then the request is done."),
                               &argc, &argv, 1, &status) ||
      (session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!parse_number (argv[1], &id, &error) ||
      (request = tesoro_session_get_request (session, id, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  switch (request->kind)
    {
    case TESORO_REQUEST_ACCESS:
    case TESORO_REQUEST_PORTABILITY:
      if (output == NULL)
        output = g_strdup_printf ("tesoro-request-%" G_GINT64_FORMAT ".zip", id);
      if (!tesoro_session_respond_to_request (session, id, output, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));
      g_print (_("Response package written to %s\n"), output);
      break;

    case TESORO_REQUEST_RECTIFICATION:
      {
        g_autofree char *data = NULL;
        g_autoptr(TesoroContact) edited = NULL;
        gsize length = 0;

        if (contact_json == NULL)
          return _tesoro_cli_usage (context, _("--json FILE with the corrected contact is needed for a rectification"));
        data = _tesoro_cli_read_input (contact_json, &length, &error);
        if (data == NULL ||
            (edited = tesoro_contact_new_from_json (data, length, &error)) == NULL ||
            !tesoro_session_respond_rectification (session, id, edited, &error))
          return _tesoro_cli_fail (g_steal_pointer (&error));
      }
      break;

    case TESORO_REQUEST_ERASURE:
      {
        g_autofree char *question =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Erase %u contact permanently? This cannot be undone.",
                                        "Erase %u contacts permanently? This cannot be undone.",
                                        request->contact_uids->len),
                           request->contact_uids->len);

        if (request->contact_uids->len > 0 && !_tesoro_cli_confirm (question, yes, &error))
          return _tesoro_cli_fail (g_steal_pointer (&error));
      }
      G_GNUC_FALLTHROUGH;
    default:
      if (!tesoro_session_respond_to_request (session, id, NULL, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));
      break;
    }

  after = tesoro_session_get_request (session, id, &error);
  if (after == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  g_print (_("Request %" PRId64 " is done (%s)\n"), id, after->outcome);
  return TESORO_CLI_OK;
}

int
_tesoro_cli_verb_requests (TesoroCli  *cli,
                           int         argc,
                           char      **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "list") == 0)
    return requests_list (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "show") == 0)
    return requests_show (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "add") == 0)
    return requests_add (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "link") == 0)
    return requests_link (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "verify") == 0 || g_strcmp0 (sub, "extend") == 0 || g_strcmp0 (sub, "close") == 0)
    return requests_simple (cli, argc - 1, argv + 1, sub);
  if (g_strcmp0 (sub, "respond") == 0)
    return requests_respond (cli, argc - 1, argv + 1);

  g_printerr ("tesoro-cli: %s\n", _("requests needs one of: list, show, add, link, verify, extend, respond, close"));
  return TESORO_CLI_USAGE;
}
