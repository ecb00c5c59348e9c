/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tesoro-access.h"
#include "tesoro-cli-private.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-gdpr.h"
#include "tesoro-utils.h"

/* The GDPR verbs: export-data, delete, empty-trash, consent, restrict, hold,
 * retention, export-marketing, receipts, audit, purposes, settings. */

static void
print_receipts_json (GPtrArray *receipts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; receipts != NULL && i < receipts->len; i++)
    json_builder_add_value (builder, tesoro_erasure_receipt_to_json_node (receipts->pdata[i]));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  _tesoro_cli_print_json (root);
}

static void
print_receipt_lines (GPtrArray *receipts)
{
  for (guint i = 0; i < receipts->len; i++)
    {
      TesoroErasureReceipt *r = receipts->pdata[i];
      g_autofree char *counts = tesoro_linked_counts_describe (tesoro_erasure_receipt_get_counts (r));

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n",
               tesoro_erasure_receipt_get_id (r),
               tesoro_erasure_receipt_get_erased_at (r),
               tesoro_erasure_receipt_get_method (r),
               tesoro_erasure_receipt_get_contact_uid (r),
               tesoro_erasure_receipt_get_erased_by (r),
               counts);
    }
}

/* export-data */

int
_tesoro_cli_verb_export_data (TesoroCli  *cli,
                              int         argc,
                              char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("export-data ID|UID --format csv|json --output FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  TesoroExportFormat format;
  int status;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, N_("csv (for people, the default) or json (portable)"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write (replaced atomically)"), "FILE" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Export Data: write everything held about a contact to one file (GDPR Art. 15 and 20).\n"
                     "The export is recorded in the audit log."),
                   &argc, &argv, 1, &status))
    return status;
  if (output == NULL)
    return _tesoro_cli_usage (context, _("--output FILE is required"));
  if (!tesoro_export_format_from_string (format_text != NULL ? format_text : "csv", &format, &error))
    return _tesoro_cli_usage (context, error->message);

  contact = _tesoro_cli_lookup (cli, argv[1], &error);
  if (contact == NULL ||
      !tesoro_session_export_data (cli->session, tesoro_contact_get_id (contact), format, output, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  g_print (_("Exported the data of “%s” to %s\n"), tesoro_contact_get_display_name (contact), output);
  return TESORO_CLI_OK;
}

/* delete */

int
_tesoro_cli_verb_delete (TesoroCli  *cli,
                         int         argc,
                         char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("delete ID|UID [--permanent [--reason TEXT] [--yes]]");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autoptr(TesoroErasureReceipt) receipt = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *question = NULL;
  g_autofree char *linked = NULL;
  gboolean permanent = FALSE, yes = FALSE, json = FALSE;
  TesoroLinkedCounts counts;
  int status;
  GOptionEntry entries[] = {
    { "permanent", 'p', 0, G_OPTION_ARG_NONE, &permanent, N_("Erase the contact and everything linked to it, irreversibly"), NULL },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, N_("Why (kept on the erasure receipt; do not name the person)"), "TEXT" },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the erasure receipt as JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Delete a contact. Without --permanent it moves to the trash (as “trash” does).\n"
                     "With --permanent it is erased for good, with a receipt; this asks for\n"
                     "confirmation on a terminal and refuses without one unless --yes is given."),
                   &argc, &argv, 1, &status))
    return status;
  if (!permanent && (reason != NULL || json))
    return _tesoro_cli_usage (context, _("--reason and --json go with --permanent"));

  contact = _tesoro_cli_lookup (cli, argv[1], &error);
  if (contact == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!permanent)
    {
      if (!tesoro_session_trash_contact (cli->session, tesoro_contact_get_id (contact), &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));
      g_print (_("Moved “%s” to the trash\n"), tesoro_contact_get_display_name (contact));
      return TESORO_CLI_OK;
    }

  if (!tesoro_session_count_linked (cli->session, tesoro_contact_get_id (contact), &counts, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));
  /* Ask the core before asking the user; its refusal gets the command
   * that lifts a hold. */
  if (!tesoro_session_check_erasable (cli->session, tesoro_contact_get_id (contact), &error))
    {
      if (g_error_matches (error, TESORO_ERROR, TESORO_ERROR_INVALID))
        {
          g_clear_error (&error);
          g_set_error (&error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("“%s” is on legal hold and cannot be deleted permanently: lift the hold first (hold %s --off)"),
                       tesoro_contact_get_display_name (contact), argv[1]);
        }
      return _tesoro_cli_fail (g_steal_pointer (&error));
    }

  linked = tesoro_linked_counts_describe (&counts);
  question = g_strdup_printf (_("Permanently delete “%s” and everything linked to it (%s)? This cannot be undone."),
                              tesoro_contact_get_display_name (contact), linked);
  if (!_tesoro_cli_confirm (question, yes, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (!tesoro_session_erase_contact (cli->session, tesoro_contact_get_id (contact), reason,
                                     TESORO_ERASURE_MANUAL, &receipt, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonNode) node = tesoro_erasure_receipt_to_json_node (receipt);
      _tesoro_cli_print_json (node);
    }
  else
    {
      g_autofree char *text = tesoro_erasure_receipt_to_text (receipt);
      g_print ("%s", text);
    }

  return TESORO_CLI_OK;
}

/* empty-trash */

int
_tesoro_cli_verb_empty_trash (TesoroCli  *cli,
                              int         argc,
                              char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("empty-trash [--expired] [--yes]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autofree char *question = NULL;
  gboolean yes = FALSE, expired = FALSE, json = FALSE;
  TesoroSession *session;
  gint64 in_trash;
  int status;
  GOptionEntry entries[] = {
    { "expired", 'e', 0, G_OPTION_ARG_NONE, &expired, N_("Only contacts in the trash for longer than the trash expiry setting"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the erasure receipts as JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Erase the contacts in the trash for good (except those on legal hold), each with a receipt.\n"
                     "Asks for confirmation on a terminal and refuses without one unless --yes is given."),
                   &argc, &argv, 0, &status))
    return status;

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!tesoro_session_require (session, TESORO_PERMISSION_ERASE, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  in_trash = tesoro_session_count_contacts (session, TRUE, &error);
  if (in_trash < 0)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  if (in_trash == 0)
    {
      if (json)
        print_receipts_json (NULL);
      else
        g_print ("%s\n", _("The trash is empty"));
      return TESORO_CLI_OK;
    }

  if (expired)
    question = g_strdup (_("Permanently delete the contacts whose time in the trash is up? This cannot be undone."));
  else
    question = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Permanently delete the %d contact in the trash? This cannot be undone.",
                                             "Permanently delete the %d contacts in the trash? This cannot be undone.",
                                             in_trash),
                                (int) in_trash);
  if (!_tesoro_cli_confirm (question, yes, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (expired ? !tesoro_session_expire_trash (session, NULL, &receipts, &error)
              : !tesoro_session_empty_trash (session, NULL, NULL, NULL, &receipts, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    print_receipts_json (receipts);
  else
    {
      gint64 left = tesoro_session_count_contacts (session, TRUE, NULL);

      g_print (g_dngettext (GETTEXT_PACKAGE, "Permanently deleted %u contact\n",
                            "Permanently deleted %u contacts\n", receipts->len), receipts->len);
      print_receipt_lines (receipts);
      if (left > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%d contact stays in the trash (legal hold or not yet expired)\n",
                              "%d contacts stay in the trash (legal hold or not yet expired)\n", left),
                 (int) left);
    }

  return TESORO_CLI_OK;
}

/* consent */

int
_tesoro_cli_verb_consent (TesoroCli  *cli,
                          int         argc,
                          char      **argv)
{
  g_autoptr(GOptionContext) context =
    _tesoro_cli_context ("consent ID|UID --purpose P --grant|--withdraw --source S [--date D] [--evidence E]");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autofree char *purpose = NULL;
  g_autofree char *source = NULL;
  g_autofree char *date = NULL;
  g_autofree char *evidence = NULL;
  gboolean grant = FALSE, withdraw = FALSE;
  TesoroConsentState state;
  int status;
  GOptionEntry entries[] = {
    { "purpose", 'p', 0, G_OPTION_ARG_STRING, &purpose, N_("The purpose (see “purposes”), such as marketing-email"), "P" },
    { "grant", 'g', 0, G_OPTION_ARG_NONE, &grant, N_("The person gave consent"), NULL },
    { "withdraw", 'w', 0, G_OPTION_ARG_NONE, &withdraw, N_("The person withdrew consent"), NULL },
    { "source", 's', 0, G_OPTION_ARG_STRING, &source, N_("How: “web form”, “phone call”, …"), "S" },
    { "date", 'd', 0, G_OPTION_ARG_STRING, &date, N_("When (ISO 8601; default now)"), "D" },
    { "evidence", 'e', 0, G_OPTION_ARG_STRING, &evidence, N_("A note on the evidence"), "E" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Record that a contact gave or withdrew consent. The consent history only grows;\n"
                     "the current consent is the newest entry."),
                   &argc, &argv, 1, &status))
    return status;
  if (grant == withdraw)
    return _tesoro_cli_usage (context, _("Give exactly one of --grant and --withdraw"));
  if (purpose == NULL)
    return _tesoro_cli_usage (context, _("--purpose P is required (see “tesoro-cli purposes”)"));
  if (source == NULL)
    return _tesoro_cli_usage (context, _("--source S is required"));

  contact = _tesoro_cli_lookup (cli, argv[1], &error);
  if (contact == NULL ||
      tesoro_session_record_consent (cli->session, tesoro_contact_get_id (contact), purpose, grant,
                                     date, source, evidence, &error) < 0 ||
      !tesoro_session_get_consent_state (cli->session, tesoro_contact_get_id (contact), purpose, &state, NULL, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  g_print (_("Recorded: %s %s consent for %s (now %s)\n"), tesoro_contact_get_display_name (contact),
           grant ? _("gave") : _("withdrew"), purpose, tesoro_consent_state_to_string (state));
  return TESORO_CLI_OK;
}

/* restrict and hold */

static int
on_off_verb (TesoroCli   *cli,
             int          argc,
             char       **argv,
             gboolean     hold)
{
  g_autoptr(GOptionContext) context =
    _tesoro_cli_context (hold ? "hold ID|UID --on|--off [--reason R]" : "restrict ID|UID --on|--off");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroContact) contact = NULL;
  g_autofree char *reason = NULL;
  gboolean on = FALSE, off = FALSE;
  int status;
  GOptionEntry entries[] = {
    { "on", 0, 0, G_OPTION_ARG_NONE, &on, hold ? N_("Put the contact on legal hold") : N_("Restrict processing"), NULL },
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, hold ? N_("Lift the legal hold") : N_("Lift the restriction"), NULL },
    { hold ? "reason" : NULL, 'r', 0, G_OPTION_ARG_STRING, &reason, N_("Why the contact must be kept"), "R" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   hold ? _("Put a contact on legal hold (never erased: not by retention, not from the trash)\n"
                            "or lift the hold.")
                        : _("Restrict processing of a contact (GDPR Art. 18): it becomes read-only and is left\n"
                            "out of marketing exports. --off lifts the restriction."),
                   &argc, &argv, 1, &status))
    return status;
  if (on == off)
    return _tesoro_cli_usage (context, _("Give exactly one of --on and --off"));
  if (reason != NULL && off)
    return _tesoro_cli_usage (context, _("--reason goes with --on"));

  contact = _tesoro_cli_lookup (cli, argv[1], &error);
  if (contact == NULL ||
      (hold ? !tesoro_session_set_legal_hold (cli->session, tesoro_contact_get_id (contact), on, reason, &error)
            : !tesoro_session_set_restricted (cli->session, tesoro_contact_get_id (contact), on, &error)))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (hold)
    g_print (on ? _("“%s” is on legal hold\n") : _("“%s” is no longer on legal hold\n"),
             tesoro_contact_get_display_name (contact));
  else
    g_print (on ? _("Processing of “%s” is restricted\n") : _("Processing of “%s” is no longer restricted\n"),
             tesoro_contact_get_display_name (contact));
  return TESORO_CLI_OK;
}

int
_tesoro_cli_verb_restrict (TesoroCli  *cli,
                           int         argc,
                           char      **argv)
{
  return on_off_verb (cli, argc, argv, FALSE);
}

int
_tesoro_cli_verb_hold (TesoroCli  *cli,
                       int         argc,
                       char      **argv)
{
  return on_off_verb (cli, argc, argv, TRUE);
}

/* retention */

int
_tesoro_cli_verb_retention (TesoroCli  *cli,
                            int         argc,
                            char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("retention [--years N] --dry-run|--apply [--json]");
  g_autoptr(GError) error = NULL;
  g_autofree char *cutoff = NULL;
  gboolean dry_run = FALSE, apply = FALSE, json = FALSE;
  TesoroGdprSettings settings;
  TesoroSession *session;
  int years = 0;
  int status;
  GOptionEntry entries[] = {
    { "years", 'n', 0, G_OPTION_ARG_INT, &years, N_("The retention period (default: the setting)"), "N" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("List who would be deleted, change nothing"), NULL },
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply, N_("Delete them permanently, each with a receipt"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Retention: contacts inactive for more than N years (no note, message, task, activity or\n"
                     "edit since) and not on legal hold. --dry-run lists them; --apply erases them."),
                   &argc, &argv, 0, &status))
    return status;
  if (dry_run == apply)
    return _tesoro_cli_usage (context, _("Give exactly one of --dry-run and --apply"));
  if (years < 0 || years > 100)
    return _tesoro_cli_usage (context, _("--years must be between 1 and 100"));

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (years == 0)
    {
      if (!tesoro_session_get_gdpr_settings (session, &settings, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));
      years = settings.retention_years;
    }
  cutoff = tesoro_retention_cutoff (years);

  if (dry_run)
    {
      g_autoptr(GPtrArray) candidates = tesoro_session_find_retention_candidates (session, years, &error);

      if (candidates == NULL)
        return _tesoro_cli_fail (g_steal_pointer (&error));

      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_array (builder);
          for (guint i = 0; i < candidates->len; i++)
            {
              TesoroContact *c = candidates->pdata[i];

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "id");
              json_builder_add_int_value (builder, tesoro_contact_get_id (c));
              json_builder_set_member_name (builder, "uid");
              json_builder_add_string_value (builder, tesoro_contact_get_uid (c));
              json_builder_set_member_name (builder, "display_name");
              json_builder_add_string_value (builder, tesoro_contact_get_display_name (c));
              json_builder_set_member_name (builder, "last_activity_at");
              json_builder_add_string_value (builder, tesoro_contact_get_last_activity_at (c));
              json_builder_set_member_name (builder, "trashed");
              json_builder_add_boolean_value (builder, tesoro_contact_get_trashed_at (c) != NULL);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          root = json_builder_get_root (builder);
          _tesoro_cli_print_json (root);
          return TESORO_CLI_OK;
        }

      for (guint i = 0; i < candidates->len; i++)
        {
          TesoroContact *c = candidates->pdata[i];

          g_print ("%" G_GINT64_FORMAT "\t%s\t%s%s\n", tesoro_contact_get_id (c),
                   tesoro_contact_get_last_activity_at (c), tesoro_contact_get_display_name (c),
                   tesoro_contact_get_trashed_at (c) != NULL ? _(" (in the trash)") : "");
        }
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u contact would be deleted: inactive since before %s (%d years), not on legal hold\n",
                            "%u contacts would be deleted: inactive since before %s (%d years), not on legal hold\n",
                            candidates->len),
               candidates->len, cutoff, years);
      return TESORO_CLI_OK;
    }
  else
    {
      g_autoptr(GPtrArray) receipts = NULL;

      if (!tesoro_session_apply_retention (session, years, NULL, NULL, NULL, &receipts, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));

      if (json)
        print_receipts_json (receipts);
      else
        {
          g_print (g_dngettext (GETTEXT_PACKAGE,
                                "Permanently deleted %u contact inactive since before %s (%d years)\n",
                                "Permanently deleted %u contacts inactive since before %s (%d years)\n",
                                receipts->len),
                   receipts->len, cutoff, years);
          print_receipt_lines (receipts);
        }
      return TESORO_CLI_OK;
    }
}

/* export-marketing */

int
_tesoro_cli_verb_export_marketing (TesoroCli  *cli,
                                   int         argc,
                                   char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("export-marketing --output FILE");
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  TesoroSession *session;
  guint n = 0;
  int status;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The CSV file to write (replaced atomically)"), "FILE" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Export the marketing list: name and e-mail address of the contacts whose current\n"
                     "marketing consent is granted and who are not restricted or in the trash."),
                   &argc, &argv, 0, &status))
    return status;
  if (output == NULL)
    return _tesoro_cli_usage (context, _("--output FILE is required"));

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!tesoro_session_export_marketing (session, output, NULL, &n, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u contact to %s\n", "Exported %u contacts to %s\n", n),
           n, output);
  return TESORO_CLI_OK;
}

/* receipts */

int
_tesoro_cli_verb_receipts (TesoroCli  *cli,
                           int         argc,
                           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("receipts [--json]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("List the erasure receipts, newest first: receipt, time, method, contact uid, who, and\n"
                     "what was erased. They hold no personal data."),
                   &argc, &argv, 0, &status))
    return status;

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  receipts = tesoro_session_list_erasure_receipts (session, &error);
  if (receipts == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    print_receipts_json (receipts);
  else
    print_receipt_lines (receipts);
  return TESORO_CLI_OK;
}

/* purge */

int
_tesoro_cli_verb_purge (TesoroCli  *cli,
                        int         argc,
                        char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("purge [--json]");
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  guint finished = 0;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Finish purging the database files after erasures whose receipts say they are not purged\n"
                     "yet (another program was reading the database), and empty the write-ahead log."),
                   &argc, &argv, 0, &status))
    return status;

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!tesoro_session_finish_purges (session, &finished, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "finished");
      json_builder_add_int_value (builder, finished);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      _tesoro_cli_print_json (node);
    }
  else if (finished == 0)
    g_print ("%s\n", _("No erasure was waiting for its files to be purged; the write-ahead log is empty."));
  else
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "Finished the purge of %u erasure: the database files hold nothing of it, and its receipt says so.\n",
                          "Finished the purge of %u erasures: the database files hold nothing of them, and their receipts say so.\n",
                          finished),
             finished);
  return TESORO_CLI_OK;
}

/* audit */

int
_tesoro_cli_verb_audit (TesoroCli  *cli,
                        int         argc,
                        char      **argv)
{
  g_autoptr(GOptionContext) context =
    _tesoro_cli_context ("audit [--action A] [--user LOGIN] [--contact ID|UID] [--since D] [--until D] [--limit N] [--json] | "
                         "audit --views [--contact ID|UID] [--json] | audit --verify");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries_found = NULL;
  g_autofree char *action = NULL;
  g_autofree char *contact_arg = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *contact_uid = NULL;
  g_autofree char *actor = NULL;
  gboolean json = FALSE, verify = FALSE, views = FALSE;
  TesoroAuditFilter filter;
  TesoroSession *session;
  int limit = 0;
  int status;
  GOptionEntry entries[] = {
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify, N_("Check the hash chain: prints OK, or names the first broken entry and exits 1"), NULL },
    { "views", 0, 0, G_OPTION_ARG_NONE, &views, N_("Who was shown which contact, and the exports, newest first"), NULL },
    { "action", 'a', 0, G_OPTION_ARG_STRING, &action, N_("Only this action (erase, export-data, consent-withdrawn, …)"), "A" },
    { "by", 'u', 0, G_OPTION_ARG_STRING, &actor, N_("Only entries of this user"), "LOGIN" },
    { "contact", 'c', 0, G_OPTION_ARG_STRING, &contact_arg, N_("Only entries about this contact (id of an existing contact, or any uid)"), "ID|UID" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Only entries at or after this date"), "D" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Only entries before this date"), "D" },
    { "limit", 'l', 0, G_OPTION_ARG_INT, &limit, N_("Only the newest N entries"), "N" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Show the accountability log (append-only, hash-chained), oldest first, or verify it."),
                   &argc, &argv, 0, &status))
    return status;
  if (limit < 0)
    return _tesoro_cli_usage (context, _("--limit must not be negative"));

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  if (verify)
    {
      g_autofree char *head = NULL;
      gint64 n = 0, broken = 0;

      if (!tesoro_session_verify_audit (session, NULL, &n, &broken, &head, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));

      g_print ("OK\n");
      g_print (g_dngettext (GETTEXT_PACKAGE, "%d entry verified", "%d entries verified", n), (int) n);
      if (head != NULL && n > 0)
        g_print (_("; head %s"), head);
      g_print ("\n");
      return TESORO_CLI_OK;
    }

  /* Looking a contact up by id is not a view of it: only its uid is read. */
  if (contact_arg != NULL && (contact_uid = tesoro_session_resolve_uid (session, contact_arg, &error)) == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  tesoro_audit_filter_init (&filter);
  filter.action = action;
  filter.actor = actor;
  filter.contact_uid = contact_uid;
  filter.since = since;
  filter.until = until;
  filter.limit = limit;
  filter.newest_first = limit > 0;

  entries_found = views ? tesoro_session_list_views (session, contact_uid, &error)
                        : tesoro_session_list_audit (session, &filter, &error);
  if (entries_found == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  /* --limit takes the newest entries; print them oldest first all the same. */
  if (filter.newest_first && !views)
    for (guint i = 0, j = entries_found->len; i + 1 < j; i++, j--)
      {
        gpointer tmp = entries_found->pdata[i];
        entries_found->pdata[i] = entries_found->pdata[j - 1];
        entries_found->pdata[j - 1] = tmp;
      }

  if (json)
    {
      _tesoro_cli_print_json_array (entries_found, (TesoroCliToJsonFunc) tesoro_audit_entry_to_json_node);
      return TESORO_CLI_OK;
    }

  for (guint i = 0; i < entries_found->len; i++)
    {
      TesoroAuditEntry *e = entries_found->pdata[i];
      g_autofree char *description = tesoro_audit_entry_describe (e);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", tesoro_audit_entry_get_id (e),
               tesoro_audit_entry_get_at (e), tesoro_audit_entry_get_actor (e),
               tesoro_audit_entry_get_action (e), description);
    }
  return TESORO_CLI_OK;
}

/* purposes */

int
_tesoro_cli_verb_purposes (TesoroCli  *cli,
                           int         argc,
                           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("purposes [--add KEY --name NAME] [--json]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) purposes = NULL;
  g_autofree char *add = NULL;
  g_autofree char *name = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "add", 'a', 0, G_OPTION_ARG_STRING, &add, N_("Add a purpose with this key (lower-case letters, digits, hyphens)"), "KEY" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The name people see"), "NAME" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("List the consent purposes, or add one."), &argc, &argv, 0, &status))
    return status;
  if ((add == NULL) != (name == NULL))
    return _tesoro_cli_usage (context, _("--add KEY and --name NAME go together"));

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (add != NULL && !tesoro_session_add_consent_purpose (session, add, name, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  purposes = tesoro_session_list_consent_purposes (session, &error);
  if (purposes == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < purposes->len; i++)
        {
          TesoroConsentPurpose *p = purposes->pdata[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "key");
          json_builder_add_string_value (builder, p->key);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, p->name);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      _tesoro_cli_print_json (root);
      return TESORO_CLI_OK;
    }

  for (guint i = 0; i < purposes->len; i++)
    {
      TesoroConsentPurpose *p = purposes->pdata[i];
      g_print ("%s\t%s\n", p->key, p->name);
    }
  return TESORO_CLI_OK;
}

/* settings */

int
_tesoro_cli_verb_settings (TesoroCli  *cli,
                           int         argc,
                           char      **argv)
{
  g_autoptr(GOptionContext) context =
    _tesoro_cli_context ("settings [--retention on|off] [--retention-years N] [--trash-days N] [--request-years N] [--json]");
  g_autoptr(GError) error = NULL;
  g_autofree char *retention = NULL;
  gboolean json = FALSE;
  TesoroGdprSettings settings;
  TesoroSession *session;
  int years = -1, days = -1, request_years = -1;
  int status;
  GOptionEntry entries[] = {
    { "retention", 0, 0, G_OPTION_ARG_STRING, &retention, N_("Erase inactive contacts automatically: on or off"), "on|off" },
    { "retention-years", 0, 0, G_OPTION_ARG_INT, &years, N_("The retention period in years (1–100)"), "N" },
    { "trash-days", 0, 0, G_OPTION_ARG_INT, &days, N_("Days a contact stays in the trash before it is erased (0: until emptied)"), "N" },
    { "request-years", 0, 0, G_OPTION_ARG_INT, &request_years, N_("Years a closed privacy request is kept before it is erased (1–100)"), "N" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                   _("Show or change the retention and trash settings (changes are audited)."),
                   &argc, &argv, 0, &status))
    return status;
  if (retention != NULL && g_strcmp0 (retention, "on") != 0 && g_strcmp0 (retention, "off") != 0)
    return _tesoro_cli_usage (context, _("--retention takes on or off"));

  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;
  if (!tesoro_session_get_gdpr_settings (session, &settings, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (retention != NULL || years >= 0 || days >= 0 || request_years >= 0)
    {
      if (retention != NULL)
        settings.retention_enabled = g_str_equal (retention, "on");
      if (years >= 0)
        settings.retention_years = years;
      if (days >= 0)
        settings.trash_expiry_days = days;
      if (request_years >= 0)
        settings.request_retention_years = request_years;
      if (!tesoro_session_set_gdpr_settings (session, &settings, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "request_retention_years");
      json_builder_add_int_value (builder, settings.request_retention_years);
      json_builder_set_member_name (builder, "retention_enabled");
      json_builder_add_boolean_value (builder, settings.retention_enabled);
      json_builder_set_member_name (builder, "retention_years");
      json_builder_add_int_value (builder, settings.retention_years);
      json_builder_set_member_name (builder, "trash_expiry_days");
      json_builder_add_int_value (builder, settings.trash_expiry_days);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _tesoro_cli_print_json (root);
      return TESORO_CLI_OK;
    }

  g_print ("%-26s %s\n", _("Retention:"), settings.retention_enabled ? _("on") : _("off"));
  g_print ("%-26s %u\n", _("Retention period (years):"), settings.retention_years);
  g_print ("%-26s %u%s\n", _("Trash expiry (days):"), settings.trash_expiry_days,
           settings.trash_expiry_days == 0 ? _(" (kept until emptied)") : "");
  g_print ("%-26s %u\n", _("Closed requests (years):"), settings.request_retention_years);
  return TESORO_CLI_OK;
}
