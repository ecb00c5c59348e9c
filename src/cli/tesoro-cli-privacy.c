/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-cli-private.h"
#include "tesoro-contact.h"
#include "tesoro-error.h"
#include "tesoro-fields.h"
#include "tesoro-register.h"

/*
 * The privacy office's verbs: `fields` (data minimisation: switching
 * fields off and erasing their values), `minimisation` (the report) and
 * `register` (the record of processing activities, Art. 30).
 */

/* fields */

static JsonNode *
field_to_json (gpointer item)
{
  TesoroFieldInfo *info = item;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, info->key);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, info->label);
  json_builder_set_member_name (builder, "personal");
  json_builder_add_boolean_value (builder, info->personal);
  json_builder_set_member_name (builder, "switchable");
  json_builder_add_boolean_value (builder, info->switchable);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, info->enabled);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, info->count);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static int
fields_list (TesoroCli  *cli,
             int         argc,
             char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("fields list");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("List the fields, whether each is on, and how many contacts have a value."),
                               &argc, &argv, 0, &status) ||
      (session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  fields = tesoro_session_list_fields (session, &error);
  if (fields == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      _tesoro_cli_print_json_array (fields, field_to_json);
      return TESORO_CLI_OK;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      TesoroFieldInfo *info = fields->pdata[i];

      g_print ("%-24s %-4s %10" G_GINT64_FORMAT "  %s%s\n", info->key,
               !info->switchable ? _("always") : info->enabled ? _("on") : _("off"),
               info->count, info->label, info->personal ? "" : _(" (not personal data)"));
    }
  return TESORO_CLI_OK;
}

static int
fields_switch (TesoroCli  *cli,
               int         argc,
               char      **argv,
               gboolean    enabled)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context (enabled ? "fields on KEY" : "fields off KEY");
  g_autoptr(GError) error = NULL;
  gboolean erase = FALSE;
  gboolean yes = FALSE;
  TesoroSession *session;
  gint64 count;
  int status;
  GOptionEntry entries[] = {
    { "erase", 'e', 0, G_OPTION_ARG_NONE, &erase, N_("Erase the values the field holds too, for good"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, enabled ? NULL : entries,
                               enabled ? _("Switch a field on again.")
                                       : _("Switch a field off: it is no longer shown, imported or exported. KEY is as fields list shows it."),
                               &argc, &argv, 1, &status) ||
      (session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  if (!tesoro_session_set_field_enabled (session, argv[1], enabled, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));
  g_print (enabled ? _("The field %s is on\n") : _("The field %s is off\n"), argv[1]);
  if (!erase)
    return TESORO_CLI_OK;

  count = tesoro_session_count_field_values (session, argv[1], &error);
  if (count < 0)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  if (count > 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, count);
      g_autofree char *question = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "Erase the values of %s of %s contact permanently?",
                                                                "Erase the values of %s of %s contacts permanently?",
                                                                (gulong) count),
                                                   argv[1], n);

      if (!_tesoro_cli_confirm (question, yes, &error))
        return _tesoro_cli_fail (g_steal_pointer (&error));
    }

  count = tesoro_session_erase_field_values (session, argv[1], &error);
  if (count < 0)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  g_print (g_dngettext (GETTEXT_PACKAGE, "Erased the values of %d contact\n", "Erased the values of %d contacts\n",
                        (gulong) count),
           (int) count);
  return TESORO_CLI_OK;
}

int
_tesoro_cli_verb_fields (TesoroCli  *cli,
                         int         argc,
                         char      **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "list") == 0)
    return fields_list (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "off") == 0 || g_strcmp0 (sub, "on") == 0)
    return fields_switch (cli, argc - 1, argv + 1, g_str_equal (sub, "on"));

  g_printerr ("tesoro-cli: %s\n", _("fields needs one of: list, off, on"));
  return TESORO_CLI_USAGE;
}

/* minimisation */

int
_tesoro_cli_verb_minimisation (TesoroCli  *cli,
                               int         argc,
                               char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("minimisation");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroMinimisationReport) report = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Report what is kept without much use: rarely filled fields, contacts without a lawful basis, inactive contacts, and consent that is missing."),
                               &argc, &argv, 0, &status) ||
      (session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  report = tesoro_session_get_minimisation_report (session, &error);
  if (report == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "contacts");
      json_builder_add_int_value (builder, report->n_contacts);
      json_builder_set_member_name (builder, "rare_fields");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->rare_fields->len; i++)
        json_builder_add_value (builder, field_to_json (report->rare_fields->pdata[i]));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "without_lawful_basis");
      json_builder_add_int_value (builder, report->n_without_basis);
      json_builder_set_member_name (builder, "retention_years");
      json_builder_add_int_value (builder, report->retention_years);
      json_builder_set_member_name (builder, "inactive");
      json_builder_add_int_value (builder, report->n_inactive);
      json_builder_set_member_name (builder, "without_consent");
      json_builder_add_int_value (builder, report->n_without_consent);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _tesoro_cli_print_json (root);
      return TESORO_CLI_OK;
    }

  g_print (_("Contacts held: %d\n"), (int) report->n_contacts);
  g_print (_("Fields filled in for fewer than %d %% of the contacts:\n"), TESORO_RARE_FIELD_PERCENT);
  for (guint i = 0; i < report->rare_fields->len; i++)
    {
      TesoroFieldInfo *info = report->rare_fields->pdata[i];

      g_print ("  %-24s %10" G_GINT64_FORMAT "  %s\n", info->key, info->count, info->label);
    }
  if (report->rare_fields->len == 0)
    g_print ("  %s\n", _("none"));
  g_print (_("Contacts without a lawful basis: %d\n"), (int) report->n_without_basis);
  g_print (_("Contacts without activity for more than %u years (the retention period): %d\n"),
           report->retention_years, (int) report->n_inactive);
  g_print (_("Contacts whose lawful basis is consent, without consent for any purpose: %d\n"),
           (int) report->n_without_consent);
  return TESORO_CLI_OK;
}

/* register */

static int
register_purposes (TesoroCli  *cli,
                   int         argc,
                   char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("register purposes [add NAME --lawful-basis B [--description D] | remove NAME]");
  g_autoptr(GError) error = NULL;
  g_autofree char *basis = NULL;
  g_autofree char *description = NULL;
  const char *sub;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "lawful-basis", 'b', 0, G_OPTION_ARG_STRING, &basis, N_("consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests"), "B" },
    { "description", 'd', 0, G_OPTION_ARG_STRING, &description, N_("More about the purpose"), "D" },
    { NULL }
  };

  g_option_context_set_summary (context, _("List, add or remove the purposes of the processing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_tesoro_cli_parse (context, &argc, &argv, &status))
    return status;
  sub = argc > 1 ? argv[1] : NULL;
  if (sub != NULL && (argc != 3 || (!g_str_equal (sub, "add") && !g_str_equal (sub, "remove"))))
    return _tesoro_cli_usage (context, _("write: register purposes add NAME --lawful-basis B, or register purposes remove NAME"));
  if (g_strcmp0 (sub, "add") == 0 && basis == NULL)
    return _tesoro_cli_usage (context, _("register purposes add needs --lawful-basis"));
  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  if (g_strcmp0 (sub, "add") == 0)
    return _tesoro_cli_done (tesoro_session_add_processing_purpose (session, argv[2], description, basis, &error), &error);
  if (g_strcmp0 (sub, "remove") == 0)
    return _tesoro_cli_done (tesoro_session_remove_processing_purpose (session, argv[2], &error), &error);

  {
    g_autoptr(GPtrArray) purposes = tesoro_session_list_processing_purposes (session, &error);

    if (purposes == NULL)
      return _tesoro_cli_fail (g_steal_pointer (&error));
    for (guint i = 0; i < purposes->len; i++)
      {
        TesoroProcessingPurpose *p = purposes->pdata[i];

        g_print ("%s\t%s\t%s\n", p->name, p->lawful_basis != NULL ? p->lawful_basis : "",
                 p->description != NULL ? p->description : "");
      }
  }
  return TESORO_CLI_OK;
}

static int
register_recipients (TesoroCli  *cli,
                     int         argc,
                     char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("register recipients [add TEXT | remove TEXT]");
  g_autoptr(GError) error = NULL;
  const char *sub;
  TesoroSession *session;
  int status;

  g_option_context_set_summary (context, _("List, add or remove the recipients of the data."));
  if (!_tesoro_cli_parse (context, &argc, &argv, &status))
    return status;
  sub = argc > 1 ? argv[1] : NULL;
  if (sub != NULL && (argc != 3 || (!g_str_equal (sub, "add") && !g_str_equal (sub, "remove"))))
    return _tesoro_cli_usage (context, _("write: register recipients add TEXT, or register recipients remove TEXT"));
  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  if (g_strcmp0 (sub, "add") == 0)
    return _tesoro_cli_done (tesoro_session_add_recipient (session, argv[2], &error), &error);
  if (g_strcmp0 (sub, "remove") == 0)
    return _tesoro_cli_done (tesoro_session_remove_recipient (session, argv[2], &error), &error);

  {
    g_auto(GStrv) recipients = tesoro_session_list_recipients (session, &error);

    if (recipients == NULL)
      return _tesoro_cli_fail (g_steal_pointer (&error));
    for (guint i = 0; recipients[i] != NULL; i++)
      g_print ("%s\n", recipients[i]);
  }
  return TESORO_CLI_OK;
}

static int
register_controller (TesoroCli  *cli,
                     int         argc,
                     char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("register controller [TEXT]");
  g_autoptr(GError) error = NULL;
  g_autofree char *controller = NULL;
  TesoroSession *session;
  int status;

  g_option_context_set_summary (context, _("Show or set the controller: the organisation responsible for the processing."));
  if (!_tesoro_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 2)
    return _tesoro_cli_usage (context, _("write the controller’s name as one argument, in quotes"));
  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  if (argc == 2)
    return _tesoro_cli_done (tesoro_session_set_controller (session, argv[1], &error), &error);

  controller = tesoro_session_get_controller (session, &error);
  if (controller == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  g_print ("%s\n", controller);
  return TESORO_CLI_OK;
}

static int
register_export (TesoroCli  *cli,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("register");
  g_autoptr(GError) error = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *language_text = NULL;
  TesoroRegisterFormat format;
  TesoroLanguage language = TESORO_LANGUAGE_ENGLISH;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, N_("html or csv"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), "FILE" },
    { "language", 'l', 0, G_OPTION_ARG_STRING, &language_text, N_("en (English, the default) or nl (Dutch)"), "LANG" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries,
                               _("Write the register of processing activities (GDPR Art. 30) as it stands. "
                                 "Edit it with: register purposes, register recipients, register controller."),
                               &argc, &argv, 0, &status))
    return status;
  if (format_text == NULL || output == NULL)
    return _tesoro_cli_usage (context, _("register needs --format and --output"));
  if (!tesoro_register_format_from_string (format_text, &format, &error) ||
      (language_text != NULL && !tesoro_language_from_string (language_text, &language, &error)))
    {
      g_printerr ("tesoro-cli: %s\n", error->message);
      return TESORO_CLI_USAGE;
    }
  if ((session = _tesoro_cli_session (cli, &status)) == NULL)
    return status;

  if (!tesoro_session_export_register (session, format, language, output, &error))
    return _tesoro_cli_fail (g_steal_pointer (&error));
  g_print (_("Wrote the register to %s\n"), output);
  return TESORO_CLI_OK;
}

int
_tesoro_cli_verb_register (TesoroCli  *cli,
                           int         argc,
                           char      **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "purposes") == 0)
    return register_purposes (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "recipients") == 0)
    return register_recipients (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "controller") == 0)
    return register_controller (cli, argc - 1, argv + 1);
  return register_export (cli, argc, argv);
}
