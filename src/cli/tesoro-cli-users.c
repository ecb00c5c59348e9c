/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tesoro-access.h"
#include "tesoro-cli-private.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

/*
 * `tesoro-cli users …` and `tesoro-cli roles …`: the Users and Roles pages
 * of the window, for scripts. The session refuses all of it to a user
 * without the "users" permission (except changing one's own password).
 */

/* A password from the first line of @path. */
static char *
read_password (const char  *path,
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

/* users */

static JsonNode *
user_to_json (TesoroUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, tesoro_user_get_login (user));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, tesoro_user_get_full_name (user));
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, tesoro_user_get_role (user));
  json_builder_set_member_name (builder, "disabled");
  json_builder_add_boolean_value (builder, tesoro_user_get_disabled (user));
  json_builder_set_member_name (builder, "has_password");
  json_builder_add_boolean_value (builder, tesoro_user_has_password (user));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, tesoro_user_get_created_at (user));
  json_builder_set_member_name (builder, "last_sign_in");
  json_builder_add_string_value (builder, tesoro_user_get_last_sign_in (user));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static int
users_list (TesoroCli  *cli,
            int         argc,
            char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("users list");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("List the users, disabled ones too."), &argc, &argv, 0, &status) ||
      (session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  users = tesoro_session_list_users (session, &error);
  if (users == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      _tesoro_cli_print_json_array (users, (TesoroCliToJsonFunc) user_to_json);
      return TESORO_CLI_OK;
    }

  for (guint i = 0; i < users->len; i++)
    {
      TesoroUser *u = users->pdata[i];

      g_print ("%s\t%s\t%s\t%s\n", tesoro_user_get_login (u), tesoro_user_get_full_name (u),
               tesoro_user_get_role (u),
               tesoro_user_get_disabled (u) ? _("disabled")
                                            : tesoro_user_has_password (u) ? _("active") : _("active, no password"));
    }
  return TESORO_CLI_OK;
}

static int
users_add (TesoroCli  *cli,
           int         argc,
           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("users add LOGIN");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  TesoroSession *session;
  gboolean ok;
  int status;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The user’s full name"), "NAME" },
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role, N_("administrator, privacy-officer, sales, read-only or another role"), "ROLE" },
    { "password-file", 'p', 0, G_OPTION_ARG_FILENAME, &password_file, N_("Their first password, from the first line of F"), "F" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Add a user. You need a password of your own first (users passwd)."),
              &argc, &argv, 1, &status))
    return status;
  if (role == NULL || password_file == NULL)
    return _tesoro_cli_usage (context, _("users add needs --role and --password-file"));
  if ((session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  password = read_password (password_file, &error);
  if (password == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  ok = tesoro_session_add_user (session, argv[1], name, role, password, &error);
  memset (password, 0, strlen (password));
  if (ok)
    g_print (_("Added the user %s (%s)\n"), argv[1], role);
  return _tesoro_cli_done (ok, &error);
}

static int
users_enable (TesoroCli  *cli,
              int         argc,
              char      **argv,
              gboolean    disable)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context (disable ? "users disable LOGIN" : "users enable LOGIN");
  g_autoptr(GError) error = NULL;
  TesoroSession *session;
  int status;

  if (!_tesoro_cli_parse_verb (context, NULL, disable ? _("Disable a user: they can no longer sign in. Users are never deleted.")
                                     : _("Enable a disabled user again."),
              &argc, &argv, 1, &status) ||
      (session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  return _tesoro_cli_done (tesoro_session_set_user_disabled (session, argv[1], disable, &error), &error);
}

static int
users_passwd (TesoroCli  *cli,
              int         argc,
              char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("users passwd LOGIN");
  g_autoptr(GError) error = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  TesoroSession *session;
  gboolean ok;
  int status;
  GOptionEntry entries[] = {
    { "password-file", 'p', 0, G_OPTION_ARG_FILENAME, &password_file, N_("The new password, from the first line of F (- reads standard input)"), "F" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Set a user’s password: at least 10 characters, not too simple."),
              &argc, &argv, 1, &status))
    return status;
  if (password_file == NULL)
    return _tesoro_cli_usage (context, _("users passwd needs --password-file"));
  if ((session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  password = read_password (password_file, &error);
  if (password == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));
  ok = tesoro_session_set_password (session, argv[1], password, &error);
  memset (password, 0, strlen (password));
  if (ok)
    g_print (_("The password of %s is set\n"), argv[1]);
  return _tesoro_cli_done (ok, &error);
}

static int
users_set_role (TesoroCli  *cli,
                int         argc,
                char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("users set-role LOGIN ROLE");
  g_autoptr(GError) error = NULL;
  TesoroSession *session;
  int status;

  if (!_tesoro_cli_parse_verb (context, NULL, _("Give a user another role."), &argc, &argv, 2, &status) ||
      (session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  return _tesoro_cli_done (tesoro_session_set_user_role (session, argv[1], argv[2], &error), &error);
}

int
_tesoro_cli_verb_users (TesoroCli  *cli,
                        int         argc,
                        char      **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "list") == 0)
    return users_list (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "add") == 0)
    return users_add (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "disable") == 0 || g_strcmp0 (sub, "enable") == 0)
    return users_enable (cli, argc - 1, argv + 1, g_str_equal (sub, "disable"));
  if (g_strcmp0 (sub, "passwd") == 0)
    return users_passwd (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "set-role") == 0)
    return users_set_role (cli, argc - 1, argv + 1);

  g_printerr ("tesoro-cli: %s\n", _("users needs one of: list, add, disable, enable, passwd, set-role"));
  return TESORO_CLI_USAGE;
}

/* roles */

static JsonNode *
role_to_json (TesoroRole *role)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) custom = tesoro_role_list_custom_fields (role);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, tesoro_role_get_key (role));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, tesoro_role_get_display_name (role));
  json_builder_set_member_name (builder, "builtin");
  json_builder_add_boolean_value (builder, tesoro_role_is_builtin (role));
  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < TESORO_N_PERMISSIONS; i++)
    if (tesoro_role_has_permission (role, i))
      json_builder_add_string_value (builder, tesoro_permission_to_key (i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    {
      TesoroFieldGroups group = tesoro_field_group_nth (i);

      json_builder_set_member_name (builder, tesoro_field_group_to_key (group));
      json_builder_add_string_value (builder, tesoro_field_access_to_key (tesoro_role_get_access (role, group)));
    }
  for (guint i = 0; custom[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat ("custom:", custom[i], NULL);

      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, tesoro_field_access_to_key (tesoro_role_get_custom_access (role, custom[i])));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_role (TesoroRole *role)
{
  g_auto(GStrv) custom = tesoro_role_list_custom_fields (role);

  g_print ("%s (%s)\n", tesoro_role_get_display_name (role), tesoro_role_get_key (role));
  g_print ("%s\n", _("May:"));
  for (guint i = 0; i < TESORO_N_PERMISSIONS; i++)
    if (tesoro_role_has_permission (role, i))
      g_print ("  %-12s %s\n", tesoro_permission_to_key (i), tesoro_permission_get_label (i));
  g_print ("%s\n", _("Fields:"));
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    {
      TesoroFieldGroups group = tesoro_field_group_nth (i);

      g_print ("  %-12s %-6s %s\n", tesoro_field_group_to_key (group),
               tesoro_field_access_to_key (tesoro_role_get_access (role, group)), tesoro_field_group_get_label (group));
    }
  for (guint i = 0; custom[i] != NULL; i++)
    g_print ("  custom:%s %s\n", custom[i], tesoro_field_access_to_key (tesoro_role_get_custom_access (role, custom[i])));
}

static int
roles_list (TesoroCli  *cli,
            int         argc,
            char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("roles list");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("List the roles."), &argc, &argv, 0, &status) ||
      (session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  roles = tesoro_session_list_roles (session, &error);
  if (roles == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      _tesoro_cli_print_json_array (roles, (TesoroCliToJsonFunc) role_to_json);
      return TESORO_CLI_OK;
    }

  for (guint i = 0; i < roles->len; i++)
    g_print ("%s\t%s\n", tesoro_role_get_key (roles->pdata[i]), tesoro_role_get_display_name (roles->pdata[i]));
  return TESORO_CLI_OK;
}

static int
roles_show (TesoroCli  *cli,
            int         argc,
            char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("roles show ROLE");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRole) role = NULL;
  gboolean json = FALSE;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Show what a role may do and see."), &argc, &argv, 1, &status) ||
      (session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  role = tesoro_session_lookup_role (session, argv[1], &error);
  if (role == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  if (json)
    {
      g_autoptr(JsonNode) node = role_to_json (role);
      _tesoro_cli_print_json (node);
    }
  else
    print_role (role);
  return TESORO_CLI_OK;
}

static int
roles_add (TesoroCli  *cli,
           int         argc,
           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("roles add KEY");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The role’s name"), "NAME" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Add a role that may view contacts and read every field; change it with roles set."),
              &argc, &argv, 1, &status))
    return status;
  if (name == NULL)
    return _tesoro_cli_usage (context, _("roles add needs --name"));
  if ((session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  return _tesoro_cli_done (tesoro_session_add_role (session, argv[1], name, &error), &error);
}

/* "KEY=VALUE" split at the last '=' (a custom field's name may hold one). */
static gboolean
split_setting (const char  *text,
               char       **key,
               const char **value)
{
  const char *eq = strrchr (text, '=');

  if (eq == NULL || eq == text || eq[1] == '\0')
    return FALSE;
  *key = g_strndup (text, eq - text);
  *value = eq + 1;
  return TRUE;
}

static int
roles_set (TesoroCli  *cli,
           int         argc,
           char      **argv)
{
  g_autoptr(GOptionContext) context = _tesoro_cli_context ("roles set ROLE");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesoroRole) role = NULL;
  g_auto(GStrv) permissions = NULL;
  g_auto(GStrv) fields = NULL;
  TesoroSession *session;
  int status;
  GOptionEntry entries[] = {
    { "permission", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &permissions, N_("Allow or forbid an action (view, edit, export-data, …)"), "P=on|off" },
    { "field", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &fields, N_("The access to a field group (name, emails, custom:NAME, …)"), "GROUP=hidden|read|write" },
    { NULL }
  };

  if (!_tesoro_cli_parse_verb (context, entries, _("Change what a role may do and see."), &argc, &argv, 1, &status))
    return status;
  if (permissions == NULL && fields == NULL)
    return _tesoro_cli_usage (context, _("roles set needs --permission or --field"));
  if ((session = _tesoro_cli_open_or_fail (cli, &status)) == NULL)
    return status;

  role = tesoro_session_lookup_role (session, argv[1], &error);
  if (role == NULL)
    return _tesoro_cli_fail (g_steal_pointer (&error));

  for (guint i = 0; permissions != NULL && permissions[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      TesoroPermission permission;
      const char *value;

      if (!split_setting (permissions[i], &key, &value) || !tesoro_permission_from_key (key, &permission) ||
          (!g_str_equal (value, "on") && !g_str_equal (value, "off")))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not PERMISSION=on|off with a permission Tesoro knows"),
                                                      permissions[i]);
          return _tesoro_cli_usage (context, message);
        }
      tesoro_role_set_permission (role, permission, g_str_equal (value, "on"));
    }

  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      TesoroFieldAccess access;
      TesoroFieldGroups group;
      const char *value;

      if (!split_setting (fields[i], &key, &value) || !tesoro_field_access_from_key (value, &access) ||
          (!(g_str_has_prefix (key, "custom:") && key[7] != '\0') && !tesoro_field_group_from_key (key, &group)))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not GROUP=hidden|read|write with a field group "
                                                        "Tesoro knows"), fields[i]);
          return _tesoro_cli_usage (context, message);
        }
      if (g_str_has_prefix (key, "custom:"))
        tesoro_role_set_custom_access (role, key + 7, access);
      else
        tesoro_role_set_access (role, group, access);
    }

  return _tesoro_cli_done (tesoro_session_save_role (session, role, &error), &error);
}

int
_tesoro_cli_verb_roles (TesoroCli  *cli,
                        int         argc,
                        char      **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "list") == 0)
    return roles_list (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "show") == 0)
    return roles_show (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "add") == 0)
    return roles_add (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "set") == 0)
    return roles_set (cli, argc - 1, argv + 1);

  g_printerr ("tesoro-cli: %s\n", _("roles needs one of: list, show, add, set"));
  return TESORO_CLI_USAGE;
}
