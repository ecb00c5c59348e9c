/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-access"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tesoro-contact-groups.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Access control: who acts (establishing the user when a session opens,
 * signing in and out), what their role permits, the field mask applied to
 * every read and checked on every write, and the audit of views.
 *
 * Passwords are kept only as Argon2id hashes (libsodium's crypto_pwhash,
 * with its "interactive" limits: 2 passes over 64 MiB). Five wrong
 * passwords in a row lock the login for 30 seconds, and every further one
 * doubles that, up to an hour. A password or a hash is never written to a
 * log, the audit details or an error message.
 */

#define MAX_FAILURES       5
#define FIRST_BACKOFF_SECS 30
#define MAX_BACKOFF_SECS   3600

/* Views of one contact by one user within this many seconds are one. */
#define VIEW_WINDOW_SECS   60

/* The actor of an audit entry about a sign-in with a login nobody has. */
#define UNKNOWN_ACTOR      "-"

static gboolean
ensure_sodium (GError **error)
{
  static gsize initialized = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialized))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialized, 1);
    }
  if (!ok)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_FAILED,
                 _("The password library could not be started"));
  return ok;
}

/* Who acts */

void
_tesoro_session_act_as (TesoroSession *self,
                        TesoroUser    *user,
                        TesoroRole    *role)
{
  g_set_object (&self->user, user);
  g_set_object (&self->role, role);
  if (tesoro_set_str (&self->actor, user != NULL ? tesoro_user_get_login (user) : NULL))
    _tesoro_session_notify_actor (self);
}

/* The role @key as the database has it, or NULL when it is not there;
 * @error is set only when the roles cannot be read. */
static TesoroRole *
find_role (TesoroSession  *self,
           const char     *key,
           GError        **error)
{
  g_autoptr(GPtrArray) roles = tesoro_backend_list_roles (self->backend, error);

  for (guint i = 0; roles != NULL && i < roles->len; i++)
    if (g_strcmp0 (tesoro_role_get_key (roles->pdata[i]), key) == 0)
      return g_object_ref (roles->pdata[i]);
  return NULL;
}

/* The role @key as the database has it; one that went missing permits
 * nothing and shows nothing. */
static TesoroRole *
load_role (TesoroSession  *self,
           const char     *key,
           GError        **error)
{
  g_autoptr(GError) read_error = NULL;
  TesoroRole *role = find_role (self, key, &read_error);

  if (read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return NULL;
    }
  if (role != NULL)
    return role;
  return tesoro_role_new (key != NULL ? key : "", key != NULL ? key : "", FALSE);
}

static gboolean
act_as_loaded (TesoroSession  *self,
               TesoroUser     *user,
               GError        **error)
{
  g_autoptr(TesoroRole) role = load_role (self, tesoro_user_get_role (user), error);

  if (role == NULL)
    return FALSE;
  _tesoro_session_act_as (self, user, role);
  return TRUE;
}

/* The operating-system login as the administrator of a database that has
 * no user it could act as: what a fresh database (or one of an older
 * Tesoro used by several logins) gets. */
static TesoroUser *
add_desktop_user (TesoroSession  *self,
                  GError        **error)
{
  g_autoptr(TesoroUser) user = tesoro_user_new (g_get_user_name (), g_get_real_name (), TESORO_ROLE_ADMINISTRATOR);
  g_autofree char *now = tesoro_now_iso ();

  tesoro_user_set_created_at (user, now);
  if (tesoro_backend_is_read_only (self->backend))
    return g_steal_pointer (&user);

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
      !tesoro_backend_insert_user (self->backend, user, NULL, error) ||
      !_tesoro_session_commit (self, error))
    {
      _tesoro_session_fail (self);
      return NULL;
    }
  return g_steal_pointer (&user);
}

/**
 * _tesoro_session_establish:
 *
 * Decides who a newly opened session acts for. With at most one active
 * user, or several of whom none has a password (a database of an older
 * Tesoro), it is the operating-system login if that is one of them, else
 * the one active user, else the login added as administrator. Otherwise
 * nobody: the front end must sign in.
 */
void
_tesoro_session_establish (TesoroSession *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = tesoro_backend_list_users (self->backend, &error);
  g_autoptr(TesoroUser) chosen = NULL;
  TesoroUser *single = NULL;
  gboolean desktop_disabled = FALSE;
  guint active = 0, with_password = 0;

  if (users == NULL)
    {
      g_warning ("Cannot read the users: %s", error->message);
      return;
    }

  for (guint i = 0; i < users->len; i++)
    {
      TesoroUser *user = users->pdata[i];
      gboolean desktop = g_strcmp0 (tesoro_user_get_login (user), g_get_user_name ()) == 0;

      if (tesoro_user_get_disabled (user))
        {
          desktop_disabled |= desktop;
          continue;
        }
      active++;
      with_password += tesoro_user_has_password (user);
      single = user;
      if (desktop)
        chosen = g_object_ref (user);
    }

  self->sign_in_required = active >= 2 && with_password > 0;
  if (self->sign_in_required || desktop_disabled)
    return;

  if (chosen == NULL && active == 1)
    chosen = g_object_ref (single);
  if (chosen == NULL)
    chosen = add_desktop_user (self, &error);
  if (chosen == NULL || !act_as_loaded (self, chosen, &error))
    g_warning ("Cannot establish who uses Tesoro: %s", error->message);
}

/**
 * tesoro_session_requires_sign_in:
 *
 * Returns: whether the database has several active users, so that a
 *   session must sign in (and may sign out or lock)
 */
gboolean
tesoro_session_requires_sign_in (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return self->sign_in_required;
}

gboolean
tesoro_session_is_signed_in (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return self->user != NULL;
}

/**
 * tesoro_session_get_user:
 *
 * Returns: (transfer none) (nullable): who the session acts for
 */
TesoroUser *
tesoro_session_get_user (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  return self->user;
}

/**
 * tesoro_session_get_role:
 *
 * Returns: (transfer none) (nullable): the role of the user signed in
 */
TesoroRole *
tesoro_session_get_role (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  return self->role;
}

/**
 * tesoro_session_set_front_end:
 * @front_end: "gui", "cli", …: what the audit of views records
 */
void
tesoro_session_set_front_end (TesoroSession *self,
                              const char    *front_end)
{
  g_return_if_fail (TESORO_IS_SESSION (self));
  g_return_if_fail (front_end != NULL);
  tesoro_set_str (&self->front_end, front_end);
}

const char *
tesoro_session_get_front_end (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  return self->front_end;
}

static const char *
dummy_hash (void)
{
  static char hash[crypto_pwhash_STRBYTES];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      if (crypto_pwhash_argon2id_str (hash, "tesoro", 6, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                                      crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
        hash[0] = '\0';
      g_once_init_leave (&done, 1);
    }
  return hash;
}

static void
set_wrong_password (GError **error)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION, _("The login or the password is wrong"));
}

static gint64
seconds_until (const char *iso)
{
  g_autoptr(GDateTime) then = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return then != NULL ? MAX (0, g_date_time_difference (then, now) / G_TIME_SPAN_SECOND) : 0;
}

static char *
iso_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (gdouble) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* Records a failed sign-in (and the back-off it earns) in its own
 * transaction. */
static void
record_failure (TesoroSession *self,
                TesoroUser    *user,
                const char    *reason)
{
  g_autoptr(GError) error = NULL;
  JsonNode *details;

  if (tesoro_backend_is_read_only (self->backend))
    return;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, &error))
    goto out;

  if (user != NULL && g_str_equal (reason, "password"))
    {
      guint failures = tesoro_user_get_failed_attempts (user) + 1;

      tesoro_user_set_failed_attempts (user, failures);
      if (failures >= MAX_FAILURES)
        {
          guint doublings = MIN (failures - MAX_FAILURES, 7);
          g_autofree char *until = iso_in (MIN ((gint64) FIRST_BACKOFF_SECS << doublings, MAX_BACKOFF_SECS));

          tesoro_user_set_locked_until (user, until);
        }
      if (!tesoro_backend_update_user (self->backend, user, &error))
        goto out;
    }

  details = tesoro_json_object_new ("reason", 's', reason,
                                    "attempts", 'i', user != NULL ? (gint64) tesoro_user_get_failed_attempts (user) : 0,
                                    "front_end", 's', self->front_end, NULL);
  if (!_tesoro_session_audit_as (self, user != NULL ? tesoro_user_get_login (user) : UNKNOWN_ACTOR,
                                 TESORO_AUDIT_SIGN_IN_FAILED, NULL, details, &error) ||
      !_tesoro_session_commit (self, &error))
    goto out;
  return;

out:
  _tesoro_session_fail (self);
  g_warning ("Cannot record a failed sign-in: %s", error->message);
}

/**
 * tesoro_session_sign_in:
 * @login: the user's login
 * @password: their password
 *
 * Signs in, so that the session acts for @login with their role. A wrong
 * login or password is refused with the same message (and audited); five
 * failures in a row lock the login for a while, growing with every further
 * one.
 *
 * Returns: whether the session now acts for @login
 */
gboolean
tesoro_session_sign_in (TesoroSession  *self,
                        const char     *login,
                        const char     *password,
                        GError        **error)
{
  g_autoptr(TesoroUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  gboolean verified;
  gint64 wait;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!ensure_sodium (error))
    return FALSE;

  user = tesoro_backend_get_user (self->backend, login, &hash, &local_error);
  if (user == NULL && !g_error_matches (local_error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Already acting for a user without a password (one person, no
   * sign-in): naming them is enough. */
  if (user != NULL && hash == NULL && self->user != NULL && !self->sign_in_required &&
      g_strcmp0 (tesoro_session_get_actor (self), login) == 0)
    return TRUE;

  wait = user != NULL ? seconds_until (tesoro_user_get_locked_until (user)) : 0;
  if (wait > 0)
    {
      record_failure (self, user, "backoff");
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many failed sign-ins: try again in %d second",
                                "Too many failed sign-ins: try again in %d seconds", (gulong) wait),
                   (int) wait);
      return FALSE;
    }

  if (user != NULL && hash == NULL)
    {
      record_failure (self, user, "no-password");
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
                   _("“%s” has no password yet: an administrator must set one before they can sign in"), login);
      return FALSE;
    }

  /* An unknown login takes as long to refuse as a wrong password. */
  verified = crypto_pwhash_str_verify (user != NULL ? hash : dummy_hash (), password, strlen (password)) == 0 &&
             user != NULL;
  if (hash != NULL)
    sodium_memzero (hash, strlen (hash));

  if (!verified)
    {
      record_failure (self, user, user != NULL ? "password" : "unknown-login");
      set_wrong_password (error);
      return FALSE;
    }

  if (tesoro_user_get_disabled (user))
    {
      record_failure (self, user, "disabled");
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
                   _("The account “%s” is disabled: ask an administrator"), login);
      return FALSE;
    }

  now = tesoro_now_iso ();
  tesoro_user_set_failed_attempts (user, 0);
  tesoro_user_set_locked_until (user, NULL);
  tesoro_user_set_last_sign_in (user, now);

  if (!act_as_loaded (self, user, error))
    return FALSE;

  if (!tesoro_backend_is_read_only (self->backend))
    {
      if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
          !tesoro_backend_update_user (self->backend, user, error) ||
          !_tesoro_session_audit (self, TESORO_AUDIT_SIGN_IN, NULL,
                                  tesoro_json_object_new ("front_end", 's', self->front_end, NULL), error) ||
          !_tesoro_session_commit (self, error))
        {
          _tesoro_session_fail (self);
          _tesoro_session_act_as (self, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * tesoro_session_sign_out:
 *
 * From now on the session acts for nobody, and everything but signing in
 * is refused.
 */
void
tesoro_session_sign_out (TesoroSession *self)
{
  g_return_if_fail (TESORO_IS_SESSION (self));
  _tesoro_session_act_as (self, NULL, NULL);
}

/**
 * tesoro_session_is_exposed:
 *
 * Roles protect against people using Tesoro beyond their job, not against
 * copying the database: whoever can read an embedded database's file can
 * read everything in it.
 *
 * Returns: whether other users of this computer can read the database
 *   directly, past the roles (its file is readable by others)
 */
gboolean
tesoro_session_is_exposed (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return tesoro_backend_is_exposed (self->backend);
}

/* Permissions */

gboolean
tesoro_session_can (TesoroSession    *self,
                    TesoroPermission  permission)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return self->role != NULL && tesoro_role_has_permission (self->role, permission);
}

/**
 * tesoro_session_require:
 *
 * Returns: whether the acting user's role has @permission; if not, @error
 *   says so, naming the permission
 */
gboolean
tesoro_session_require (TesoroSession     *self,
                        TesoroPermission   permission,
                        GError           **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (self->role == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION, _("Nobody is signed in: sign in first"));
      return FALSE;
    }
  if (tesoro_role_has_permission (self->role, permission) || self->policy > 0)
    return TRUE;

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
               _("The role “%s” does not have the permission “%s” (%s)"),
               tesoro_role_get_display_name (self->role), tesoro_permission_get_label (permission),
               tesoro_permission_to_key (permission));
  return FALSE;
}

TesoroFieldAccess
tesoro_session_get_access (TesoroSession     *self,
                           TesoroFieldGroups  group)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), TESORO_ACCESS_HIDDEN);
  return self->role != NULL ? tesoro_role_get_access (self->role, group) : TESORO_ACCESS_HIDDEN;
}

TesoroFieldAccess
tesoro_session_get_custom_access (TesoroSession *self,
                                  const char    *field_name)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), TESORO_ACCESS_HIDDEN);
  return self->role != NULL ? tesoro_role_get_custom_access (self->role, field_name) : TESORO_ACCESS_HIDDEN;
}

/* The field mask */

/**
 * _tesoro_session_visible:
 *
 * Returns: the field groups the acting user may see; the custom group as a
 * whole only if no custom field of its own is hidden (for search, which
 * does not tell the custom fields apart)
 */
TesoroFieldGroups
_tesoro_session_visible (TesoroSession *self)
{
  return self->role != NULL ? tesoro_role_get_visible (self->role) : 0;
}

/**
 * _tesoro_session_mask:
 *
 * Removes from @contact what the acting user may not see.
 */
void
_tesoro_session_mask (TesoroSession *self,
                      TesoroContact *contact)
{
  GPtrArray *custom;

  tesoro_contact_hide_groups (contact, TESORO_FIELDS_ALL & ~_tesoro_session_visible (self));

  custom = tesoro_contact_get_custom_values (contact);
  for (guint i = custom->len; i > 0; i--)
    {
      TesoroCustomValue *cv = custom->pdata[i - 1];

      if (tesoro_session_get_custom_access (self, cv->name) == TESORO_ACCESS_HIDDEN)
        g_ptr_array_remove_index (custom, i - 1);
    }
}

static void
set_may_not_change (TesoroSession  *self,
                    const char     *what,
                    GError        **error)
{
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_PERMISSION,
               _("The role “%s” may not change the field “%s”"),
               self->role != NULL ? tesoro_role_get_display_name (self->role) : "-", what);
}

/**
 * _tesoro_session_may_write_groups:
 *
 * Returns: whether the acting user may write every group of @groups; if
 *   not, @error names the first they may not
 */
gboolean
_tesoro_session_may_write_groups (TesoroSession      *self,
                                  TesoroFieldGroups   groups,
                                  GError            **error)
{
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    {
      TesoroFieldGroups group = tesoro_field_group_nth (i);

      if ((groups & group) && tesoro_session_get_access (self, group) != TESORO_ACCESS_WRITE)
        {
          set_may_not_change (self, tesoro_field_group_get_label (group), error);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
_tesoro_session_may_write_custom (TesoroSession  *self,
                                  const char     *field_name,
                                  GError        **error)
{
  if (tesoro_session_get_custom_access (self, field_name) == TESORO_ACCESS_WRITE)
    return TRUE;
  set_may_not_change (self, field_name, error);
  return FALSE;
}

/* The history groups a new contact brings. */
static TesoroFieldGroups
history_groups (TesoroContact *contact)
{
  TesoroFieldGroups groups = 0;

  if (tesoro_contact_get_notes (contact)->len > 0)
    groups |= TESORO_FIELDS_NOTES;
  if (tesoro_contact_get_messages (contact)->len > 0)
    groups |= TESORO_FIELDS_MESSAGES;
  if (tesoro_contact_get_tasks (contact)->len > 0)
    groups |= TESORO_FIELDS_TASKS;
  if (tesoro_contact_get_activities (contact)->len > 0)
    groups |= TESORO_FIELDS_ACTIVITIES;
  if (tesoro_contact_get_consent (contact)->len > 0)
    groups |= TESORO_FIELDS_CONSENT;
  return groups;
}

/**
 * _tesoro_session_may_write:
 * @stored: (nullable): the contact as stored, whole; %NULL for a new one
 * @wanted: the contact as the caller wants it, as the acting user sees it
 *
 * Checks that what differs between what the user sees of @stored and
 * @wanted is theirs to change (the caller checks the permission), and
 * then gives @wanted back what they may
 * not change (hidden fields, which they saw as absent) from @stored, so
 * that saving @wanted keeps it.
 *
 * Returns: whether the change is allowed; if not, @error names the field
 */
gboolean
_tesoro_session_may_write (TesoroSession  *self,
                           TesoroContact  *stored,
                           TesoroContact  *wanted,
                           GError        **error)
{
  g_autoptr(TesoroContact) seen = stored != NULL ? tesoro_contact_copy (stored) : tesoro_contact_new ();
  g_auto(GStrv) custom = NULL;
  TesoroFieldGroups diff;
  TesoroFieldGroups keep;
  GPtrArray *values;

  _tesoro_session_mask (self, seen);
  diff = tesoro_contact_diff_groups (seen, wanted) & ~TESORO_FIELDS_CUSTOM;
  if (stored == NULL)
    diff |= history_groups (wanted);
  if (!_tesoro_session_may_write_groups (self, diff, error))
    return FALSE;

  custom = tesoro_contact_diff_custom (seen, wanted);
  for (guint i = 0; custom[i] != NULL; i++)
    if (!_tesoro_session_may_write_custom (self, custom[i], error))
      return FALSE;

  if (stored == NULL)
    return TRUE;

  /* What the user may not see comes back from what is stored. */
  keep = TESORO_FIELDS_EDITABLE & ~TESORO_FIELDS_CUSTOM & ~_tesoro_session_visible (self);
  tesoro_contact_take_groups (wanted, stored, keep);
  if (tesoro_session_get_access (self, TESORO_FIELDS_CUSTOM) == TESORO_ACCESS_HIDDEN)
    tesoro_contact_take_groups (wanted, stored, TESORO_FIELDS_CUSTOM);
  else
    {
      values = tesoro_contact_get_custom_values (stored);
      for (guint i = 0; i < values->len; i++)
        {
          TesoroCustomValue *cv = values->pdata[i];

          if (tesoro_session_get_custom_access (self, cv->name) == TESORO_ACCESS_HIDDEN)
            tesoro_contact_take_custom (wanted, stored, cv->name);
        }
    }
  return TRUE;
}

/* The audit of views */

static JsonNode *
groups_to_json (TesoroFieldGroups groups)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    if (groups & tesoro_field_group_nth (i))
      json_array_add_string_element (array, tesoro_field_group_to_key (tesoro_field_group_nth (i)));
  json_node_take_array (node, array);
  return node;
}

/**
 * _tesoro_session_view_details:
 * @shown: the field groups shown
 *
 * Returns: (transfer full): the details of a view entry: the groups shown
 *   and the front end, never the values
 */
JsonNode *
_tesoro_session_view_details (TesoroSession     *self,
                              TesoroFieldGroups  shown)
{
  return tesoro_json_object_new ("fields", 'n', groups_to_json (shown), "front_end", 's', self->front_end, NULL);
}

/**
 * _tesoro_session_record_view:
 * @contact: the contact as it is shown (masked)
 *
 * Records that the acting user was shown @contact: once a minute at most
 * for the same contact and user. A database that can only be read records
 * nothing (and says so in the window).
 */
gboolean
_tesoro_session_record_view (TesoroSession  *self,
                             TesoroContact  *contact,
                             GError        **error)
{
  g_autoptr(GPtrArray) recent = NULL;
  g_autofree char *since = NULL;
  TesoroAuditFilter filter;

  if (tesoro_backend_is_read_only (self->backend) || self->actor == NULL)
    return TRUE;

  since = iso_in (-VIEW_WINDOW_SECS);
  tesoro_audit_filter_init (&filter);
  filter.action = TESORO_AUDIT_VIEW;
  filter.actor = self->actor;
  filter.contact_uid = tesoro_contact_get_uid (contact);
  filter.since = since;
  filter.limit = 1;
  recent = tesoro_backend_list_audit (self->backend, &filter, error);
  if (recent == NULL)
    return FALSE;
  if (recent->len > 0)
    return TRUE;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_VIEW, tesoro_contact_get_uid (contact),
                              _tesoro_session_view_details (self, tesoro_contact_get_shown_groups (contact)),
                              error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/**
 * tesoro_session_list_views:
 * @contact_uid: (nullable): only the views of this contact
 *
 * The audit of views: who was shown a contact (in the window, by
 * `tesoro-cli show`), who exported a person's data (Export Data, or a
 * response package of that one contact), and who exported
 * contacts in bulk (those entries name no contact). Newest first. Needs
 * the "audit-log" permission.
 *
 * Returns: (transfer full) (element-type TesoroAuditEntry): the entries
 */
GPtrArray *
tesoro_session_list_views (TesoroSession  *self,
                           const char     *contact_uid,
                           GError        **error)
{
  static const char * const single[] = {
    TESORO_AUDIT_VIEW, TESORO_AUDIT_EXPORT_DATA, TESORO_AUDIT_RESPONSE_PACKAGE, NULL
  };
  static const char * const all[] = {
    TESORO_AUDIT_VIEW, TESORO_AUDIT_EXPORT_DATA, TESORO_AUDIT_RESPONSE_PACKAGE, TESORO_AUDIT_EXPORT_CONTACTS,
    TESORO_AUDIT_EXPORT_MARKETING, NULL
  };
  TesoroAuditFilter filter;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_AUDIT_LOG, error))
    return NULL;

  tesoro_audit_filter_init (&filter);
  filter.actions = contact_uid != NULL ? single : all;
  filter.contact_uid = contact_uid;
  filter.newest_first = TRUE;
  return tesoro_backend_list_audit (self->backend, &filter, error);
}

/* Users */

static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

/**
 * tesoro_password_check_strength:
 * @login: (nullable): whose password it is to be
 *
 * A password must have at least %TESORO_PASSWORD_MIN_LENGTH characters,
 * not contain the login, use at least five different characters and not
 * be one of the passwords everybody tries first.
 *
 * Returns: whether @password is strong enough; if not, @error says why
 */
gboolean
tesoro_password_check_strength (const char  *password,
                                const char  *login,
                                GError     **error)
{
  static const char * const common[] = {
    "password", "wachtwoord", "welkom", "welcome", "qwerty", "azerty", "letmein", "iloveyou",
    "admin", "administrator", "tesoro", "changeme", "geheim", "secret", "monkey", "dragon",
  };
  static const char * const runs[] = {
    "0123456789", "1234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "azertyuiop",
  };
  g_autoptr(GHashTable) distinct = g_hash_table_new (NULL, NULL);
  g_autofree char *folded = NULL;
  g_autoptr(GString) letters = g_string_new (NULL);

  g_return_val_if_fail (password != NULL, FALSE);

  if (!g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The password is not valid text"));
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < TESORO_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The password is too short: it needs at least %d character",
                                "The password is too short: it needs at least %d characters",
                                TESORO_PASSWORD_MIN_LENGTH),
                   TESORO_PASSWORD_MIN_LENGTH);
      return FALSE;
    }
  if (login != NULL && g_utf8_strlen (login, -1) >= 3 && contains_folded (password, login))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The password must not contain the login"));
      return FALSE;
    }

  for (const char *p = password; *p != '\0'; p = g_utf8_next_char (p))
    g_hash_table_add (distinct, GUINT_TO_POINTER (g_utf8_get_char (p)));
  if (g_hash_table_size (distinct) < 5)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The password is too simple: use at least five different characters"));
      return FALSE;
    }

  /* "Welkom2024!" is "welkom" to a guesser. */
  folded = g_utf8_casefold (password, -1);
  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (letters, *p);
  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    if (g_str_equal (letters->str, common[i]))
      {
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("The password is too common: it is one of the first that are guessed"));
        return FALSE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    if (strstr (runs[i], folded) != NULL)
      {
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("The password is too simple: it is a run of keys"));
        return FALSE;
      }

  return TRUE;
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (!ensure_sodium (error))
    return NULL;
  if (crypto_pwhash_argon2id_str (hash, password, strlen (password),
                                  crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                                  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_FAILED,
                   _("There is not enough memory to protect the password"));
      return NULL;
    }
  return g_strdup (hash);
}

/* Whether the acting user may manage the users and roles. */
static gboolean
require_users (TesoroSession  *self,
               GError        **error)
{
  return tesoro_session_require (self, TESORO_PERMISSION_USERS, error);
}

/**
 * tesoro_session_list_users:
 *
 * Needs the "users" or the "audit-log" permission (the audit log is read
 * by who did what).
 *
 * Returns: (transfer full) (element-type TesoroUser): every user, disabled
 *   ones too, by login
 */
GPtrArray *
tesoro_session_list_users (TesoroSession  *self,
                           GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_can (self, TESORO_PERMISSION_AUDIT_LOG) && !require_users (self, error))
    return NULL;
  return tesoro_backend_list_users (self->backend, error);
}

static gboolean
role_exists (TesoroSession  *self,
             const char     *key,
             GError        **error)
{
  g_autoptr(GError) read_error = NULL;
  g_autoptr(TesoroRole) role = find_role (self, key, &read_error);

  if (read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }
  if (role != NULL)
    return TRUE;
  g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
               _("There is no role “%s” (the built-in ones are administrator, privacy-officer, sales and read-only)"),
               key);
  return FALSE;
}

static gboolean
valid_login (const char  *login,
             GError     **error)
{
  gsize length = login != NULL ? strlen (login) : 0;

  if (length == 0 || length > 64)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("A login needs 1 to 64 characters"));
      return FALSE;
    }
  for (const char *p = login; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-", *p) == NULL)
      {
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("A login may hold only letters, digits, dots, hyphens and underscores"));
        return FALSE;
      }
  return TRUE;
}

static TesoroUser *
get_user (TesoroSession  *self,
          const char     *login,
          char          **hash,
          GError        **error)
{
  return tesoro_backend_get_user (self->backend, login, hash, error);
}

static JsonNode *
user_details (TesoroUser *user,
              const char *change)
{
  return tesoro_json_object_new ("login", 's', tesoro_user_get_login (user), "role", 's', tesoro_user_get_role (user),
                                 "change", 's', change, NULL);
}

/**
 * tesoro_session_add_user:
 * @full_name: (nullable): their name
 * @role: a role key
 * @password: their first password (see tesoro_password_check_strength())
 *
 * Adds an active user. The acting administrator must have a password of
 * their own first: with a second user, everyone signs in.
 */
gboolean
tesoro_session_add_user (TesoroSession  *self,
                         const char     *login,
                         const char     *full_name,
                         const char     *role,
                         const char     *password,
                         GError        **error)
{
  g_autoptr(TesoroUser) user = NULL;
  g_autoptr(TesoroUser) me = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!require_users (self, error) || !valid_login (login, error) || !role_exists (self, role, error) ||
      !tesoro_password_check_strength (password, login, error))
    return FALSE;

  me = get_user (self, tesoro_session_get_actor (self), NULL, error);
  if (me == NULL)
    return FALSE;
  if (!tesoro_user_has_password (me))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Set a password of your own first (tesoro-cli users passwd %s): "
                     "once there is a second user, everyone signs in"),
                   tesoro_user_get_login (me));
      return FALSE;
    }

  hash = hash_password (password, error);
  if (hash == NULL)
    return FALSE;

  now = tesoro_now_iso ();
  user = tesoro_user_new (login, full_name, role);
  tesoro_user_set_created_at (user, now);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
      !tesoro_backend_insert_user (self->backend, user, hash, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_USER_ADDED, NULL, user_details (user, "added"), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  self->sign_in_required = TRUE;
  return TRUE;
}

/* Whether some other active administrator than @login remains. */
static gboolean
other_administrator (TesoroSession  *self,
                     const char     *login,
                     gboolean       *found,
                     GError        **error)
{
  g_autoptr(GPtrArray) users = tesoro_backend_list_users (self->backend, error);

  if (users == NULL)
    return FALSE;
  *found = FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      TesoroUser *u = users->pdata[i];

      if (!tesoro_user_get_disabled (u) && g_strcmp0 (tesoro_user_get_role (u), TESORO_ROLE_ADMINISTRATOR) == 0 &&
          g_strcmp0 (tesoro_user_get_login (u), login) != 0)
        *found = TRUE;
    }
  return TRUE;
}

/* Saves a change of @user, refusing to leave no active administrator. */
static gboolean
save_user (TesoroSession  *self,
           TesoroUser     *user,
           gboolean        was_admin,
           const char     *change,
           GError        **error)
{
  gboolean is_admin = !tesoro_user_get_disabled (user) &&
                      g_strcmp0 (tesoro_user_get_role (user), TESORO_ROLE_ADMINISTRATOR) == 0;
  gboolean others = TRUE;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (was_admin && !is_admin)
    {
      if (!other_administrator (self, tesoro_user_get_login (user), &others, error))
        return _tesoro_session_fail (self);
      if (!others)
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("“%s” is the last administrator: make another user administrator first"),
                       tesoro_user_get_login (user));
          return _tesoro_session_fail (self);
        }
    }

  if (!tesoro_backend_update_user (self->backend, user, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_USER_CHANGED, NULL, user_details (user, change), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  /* The acting user's own role may have changed. */
  if (g_strcmp0 (tesoro_user_get_login (user), self->actor) == 0)
    return act_as_loaded (self, user, error);
  return TRUE;
}

static gboolean
was_administrator (TesoroUser *user)
{
  return !tesoro_user_get_disabled (user) && g_strcmp0 (tesoro_user_get_role (user), TESORO_ROLE_ADMINISTRATOR) == 0;
}

/**
 * tesoro_session_set_user_disabled:
 *
 * Disables a user (who can then no longer sign in) or enables them again.
 * Users are never deleted: the accountability log names them.
 */
gboolean
tesoro_session_set_user_disabled (TesoroSession  *self,
                                  const char     *login,
                                  gboolean        disabled,
                                  GError        **error)
{
  g_autoptr(TesoroUser) user = NULL;
  gboolean was_admin;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!require_users (self, error) || (user = get_user (self, login, NULL, error)) == NULL)
    return FALSE;
  if (!tesoro_user_get_disabled (user) == !disabled)
    return TRUE;

  was_admin = was_administrator (user);
  tesoro_user_set_disabled (user, disabled);
  if (!disabled)
    {
      tesoro_user_set_failed_attempts (user, 0);
      tesoro_user_set_locked_until (user, NULL);
    }
  return save_user (self, user, was_admin, disabled ? "disabled" : "enabled", error);
}

gboolean
tesoro_session_set_user_role (TesoroSession  *self,
                              const char     *login,
                              const char     *role,
                              GError        **error)
{
  g_autoptr(TesoroUser) user = NULL;
  gboolean was_admin;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!require_users (self, error) || !role_exists (self, role, error) ||
      (user = get_user (self, login, NULL, error)) == NULL)
    return FALSE;

  was_admin = was_administrator (user);
  tesoro_user_set_role (user, role);
  return save_user (self, user, was_admin, "role", error);
}

/**
 * tesoro_session_set_password:
 *
 * Sets a user's password: anyone's with the "users" permission, else only
 * one's own. It also ends a back-off after failed sign-ins.
 */
gboolean
tesoro_session_set_password (TesoroSession  *self,
                             const char     *login,
                             const char     *password,
                             GError        **error)
{
  g_autoptr(TesoroUser) user = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if ((self->actor == NULL || g_strcmp0 (login, self->actor) != 0) && !require_users (self, error))
    return FALSE;
  if ((user = get_user (self, login, NULL, error)) == NULL ||
      !tesoro_password_check_strength (password, login, error) ||
      (hash = hash_password (password, error)) == NULL)
    return FALSE;

  tesoro_user_set_failed_attempts (user, 0);
  tesoro_user_set_locked_until (user, NULL);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
      !tesoro_backend_set_password_hash (self->backend, login, hash, error) ||
      !tesoro_backend_update_user (self->backend, user, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_USER_CHANGED, NULL, user_details (user, "password"), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  sodium_memzero (hash, strlen (hash));
  return TRUE;
}

/* Roles */

GPtrArray *
tesoro_session_list_roles (TesoroSession  *self,
                           GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!require_users (self, error))
    return NULL;
  return tesoro_backend_list_roles (self->backend, error);
}

/**
 * tesoro_session_lookup_role:
 *
 * Returns: (transfer full) (nullable): a copy of the role @key, to look at
 *   or change and save with tesoro_session_save_role()
 */
TesoroRole *
tesoro_session_lookup_role (TesoroSession  *self,
                            const char     *key,
                            GError        **error)
{
  g_autoptr(GPtrArray) roles = tesoro_session_list_roles (self, error);

  if (roles == NULL)
    return NULL;
  for (guint i = 0; i < roles->len; i++)
    if (g_strcmp0 (tesoro_role_get_key (roles->pdata[i]), key) == 0)
      return tesoro_role_copy (roles->pdata[i]);

  g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no role “%s”"), key);
  return NULL;
}

static gboolean
check_role (TesoroRole  *role,
            GError     **error)
{
  if (g_strcmp0 (tesoro_role_get_key (role), TESORO_ROLE_ADMINISTRATOR) == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("The Administrator role always may do everything: it cannot be changed"));
      return FALSE;
    }
  /* Export Data (Art. 15) is always complete. */
  if (tesoro_role_has_permission (role, TESORO_PERMISSION_EXPORT_DATA) && !tesoro_role_sees_everything (role))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Only a role that sees every field may export a person’s data: "
                     "an export of a person’s data is always complete"));
      return FALSE;
    }
  if (g_utf8_strlen (tesoro_role_get_name (role), -1) == 0 || strlen (tesoro_role_get_name (role)) > 200)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("A role needs a name of 1 to 200 characters"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
store_role (TesoroSession  *self,
            TesoroRole     *role,
            gboolean        create,
            GError        **error)
{
  g_autofree char *permissions = tesoro_role_permissions_to_string (role);
  g_autofree char *fields = tesoro_role_fields_to_string (role);

  if (!require_users (self, error) || !check_role (role, error))
    return FALSE;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
      !tesoro_backend_save_role (self->backend, role, create, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_ROLE_CHANGED, NULL,
                              tesoro_json_object_new ("role", 's', tesoro_role_get_key (role),
                                                      "change", 's', create ? "added" : "changed",
                                                      "permissions", 's', permissions,
                                                      "fields", 's', fields, NULL),
                              error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  /* The acting user's own role may have changed. */
  if (self->role != NULL && g_strcmp0 (tesoro_role_get_key (self->role), tesoro_role_get_key (role)) == 0)
    {
      g_autoptr(TesoroRole) copy = tesoro_role_copy (role);
      _tesoro_session_act_as (self, self->user, copy);
    }
  return TRUE;
}

/**
 * tesoro_session_add_role:
 * @key: its key: lower-case letters, digits and hyphens
 * @name: its name
 *
 * Adds a role that may view contacts and read every field, to be given
 * more with tesoro_session_save_role().
 */
gboolean
tesoro_session_add_role (TesoroSession  *self,
                         const char     *key,
                         const char     *name,
                         GError        **error)
{
  g_autoptr(TesoroRole) role = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (key == NULL || *key == '\0' || strlen (key) > 64 || strspn (key, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen (key))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("A role key needs 1 to 64 lower-case letters, digits or hyphens"));
      return FALSE;
    }

  role = tesoro_role_new (key, name != NULL ? name : key, FALSE);
  tesoro_role_set_permission (role, TESORO_PERMISSION_VIEW, TRUE);
  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    tesoro_role_set_access (role, tesoro_field_group_nth (i), TESORO_ACCESS_READ);
  return store_role (self, role, TRUE, error);
}

/**
 * tesoro_session_save_role:
 *
 * Saves the permissions and field access of an existing role. The
 * Administrator role is not changed, and only a role that sees every field
 * may have the "export-data" permission.
 */
gboolean
tesoro_session_save_role (TesoroSession  *self,
                          TesoroRole     *role,
                          GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_ROLE (role), FALSE);
  return store_role (self, role, FALSE, error);
}
