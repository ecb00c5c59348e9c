/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-session"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "tesoro-audit.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-sqlite-backend.h"
#include "tesoro-utils.h"

/*
 * The session: a backend, the acting user and their role. This file holds
 * the object, its transactions, its accountability log, and the one
 * decision every writer asks: may this contact be changed now? Who acts
 * and what they may do is in tesoro-access.c.
 */

G_DEFINE_FINAL_TYPE (TesoroSession, tesoro_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  PROP_ACTOR,
  N_PROPS
};

enum {
  CONTACT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Above this many changed contacts one RESET replaces a signal per contact. */
#define MAX_SIGNALS 1000

/* For the services */

TesoroBackend *
_tesoro_session_get_backend (TesoroSession *self)
{
  return self->backend;
}

void
_tesoro_session_emit_changed (TesoroSession *self,
                              gint64         id,
                              TesoroChange   change)
{
  g_signal_emit (self, signals[CONTACT_CHANGED], 0, id, change);
}

/* One signal per contact of @ids, or one RESET for many. */
void
_tesoro_session_emit_changes (TesoroSession *self,
                              GArray        *ids,
                              TesoroChange   change)
{
  if (ids->len == 0)
    return;
  if (ids->len > MAX_SIGNALS)
    {
      _tesoro_session_emit_changed (self, 0, TESORO_CHANGE_RESET);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    _tesoro_session_emit_changed (self, g_array_index (ids, gint64, i), change);
}

gboolean
_tesoro_session_begin (TesoroSession     *self,
                       TesoroWriteFlags   flags,
                       GError           **error)
{
  return tesoro_backend_begin_write (self->backend, flags, error);
}

gboolean
_tesoro_session_commit (TesoroSession  *self,
                        GError        **error)
{
  return tesoro_backend_commit (self->backend, error);
}

gboolean
_tesoro_session_fail (TesoroSession *self)
{
  if (tesoro_backend_in_transaction (self->backend))
    tesoro_backend_rollback (self->backend);
  return FALSE;
}

/**
 * _tesoro_session_audit:
 * @action: what happened, one of the `TESORO_AUDIT_…` names
 * @contact_uid: (nullable): the uid of the contact it concerns
 * @details: (nullable) (transfer full): a JSON object with no personal data
 *
 * Appends an entry to the accountability log, as the acting user, now.
 * Inside a transaction of the caller it becomes part of it.
 */
gboolean
_tesoro_session_audit (TesoroSession  *self,
                       const char     *action,
                       const char     *contact_uid,
                       JsonNode       *details,
                       GError        **error)
{
  g_autoptr(JsonNode) owned = details;

  return tesoro_session_append_audit (self, action, contact_uid, details, error) > 0;
}

/* The same, as @actor: for what happens while nobody is signed in. */
gboolean
_tesoro_session_audit_as (TesoroSession  *self,
                          const char     *actor,
                          const char     *action,
                          const char     *contact_uid,
                          JsonNode       *details,
                          GError        **error)
{
  g_autoptr(JsonNode) owned = details;
  g_autofree char *details_text = details != NULL ? tesoro_json_to_string (details, FALSE) : g_strdup ("{}");
  g_autofree char *now = tesoro_now_iso ();

  if (tesoro_backend_append_audit (self->backend, now, actor, action, contact_uid, details_text, error) < 0)
    {
      g_prefix_error (error, _("Cannot write to the audit log: "));
      return FALSE;
    }
  return TRUE;
}

/* The rules of changing a contact */

/* The rule itself, on what is known of the contact. */
static TesoroVerdict
verdict_of (gboolean      restricted,
            gboolean      trashed,
            gboolean      legal_hold,
            TesoroIntent  intent)
{
  switch (intent)
    {
    case TESORO_INTENT_EDIT:
      if (restricted)
        return TESORO_VERDICT_RESTRICTED;
      if (trashed)
        return TESORO_VERDICT_TRASHED;
      return TESORO_VERDICT_ALLOWED;
    case TESORO_INTENT_TRASH:
      return restricted ? TESORO_VERDICT_RESTRICTED : TESORO_VERDICT_ALLOWED;
    case TESORO_INTENT_ERASE:
      return legal_hold ? TESORO_VERDICT_HELD : TESORO_VERDICT_ALLOWED;
    default:
      g_assert_not_reached ();
    }
}

/**
 * _tesoro_session_judge:
 * @intent: what the caller means to do
 * @state: (out caller-allocates) (optional): the contact's state, to clear
 *   with tesoro_contact_state_clear()
 *
 * The one place that decides whether a contact may be changed now: it must
 * exist; processing of a restricted contact (GDPR Art. 18) is not changed
 * (but may still be trashed or erased, and consent recorded); a contact in
 * the trash is restored before it is edited; a contact on legal hold is
 * never erased.
 *
 * Returns: the verdict; %TESORO_VERDICT_FAILED with @error set when the
 * database could not be read
 */
TesoroVerdict
_tesoro_session_judge (TesoroSession       *self,
                       gint64               id,
                       TesoroIntent         intent,
                       TesoroContactState  *state,
                       GError             **error)
{
  g_auto(TesoroContactState) local = { 0 };
  g_autoptr(GError) local_error = NULL;
  TesoroContactState *s = state != NULL ? state : &local;

  if (!tesoro_backend_get_contact_state (self->backend, id, s, &local_error))
    {
      if (g_error_matches (local_error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND))
        return TESORO_VERDICT_MISSING;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return TESORO_VERDICT_FAILED;
    }

  return verdict_of (s->restricted, s->trashed_at != NULL, s->legal_hold, intent);
}

/**
 * _tesoro_session_check:
 *
 * _tesoro_session_judge() as an error a person can act on.
 *
 * Returns: whether the change is allowed
 */
gboolean
_tesoro_session_check (TesoroSession       *self,
                       gint64               id,
                       TesoroIntent         intent,
                       TesoroContactState  *state,
                       GError             **error)
{
  switch (_tesoro_session_judge (self, id, intent, state, error))
    {
    case TESORO_VERDICT_ALLOWED:
      return TRUE;
    case TESORO_VERDICT_MISSING:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("There is no contact with id %" PRId64), id);
      return FALSE;
    case TESORO_VERDICT_RESTRICTED:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_RESTRICTED,
                   _("Processing of this contact is restricted: it cannot be changed until the restriction is lifted"));
      return FALSE;
    case TESORO_VERDICT_TRASHED:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("This contact is in the trash: restore it to change it"));
      return FALSE;
    case TESORO_VERDICT_HELD:
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Contact %" PRId64 " is on legal hold and cannot be deleted permanently: "
                     "lift the hold first"), id);
      return FALSE;
    case TESORO_VERDICT_FAILED:
    default:
      return FALSE;
    }
}

/**
 * tesoro_session_may_edit:
 * @contact: (nullable): a contact as loaded (its restriction and trash
 *   state)
 *
 * Whether the contact's fields and history may be changed now, by the same
 * rule the services enforce: for a front end, to offer only what will be
 * allowed.
 */
gboolean
tesoro_session_may_edit (TesoroSession *self,
                         TesoroContact *contact)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  return contact != NULL && !tesoro_session_is_read_only (self) && tesoro_session_can (self, TESORO_PERMISSION_EDIT) &&
         verdict_of (tesoro_contact_get_restricted (contact), tesoro_contact_get_trashed_at (contact) != NULL,
                     tesoro_contact_get_legal_hold (contact), TESORO_INTENT_EDIT) == TESORO_VERDICT_ALLOWED;
}

/* GObject */

static void
tesoro_session_dispose (GObject *object)
{
  TesoroSession *self = (TesoroSession *) object;

  g_clear_object (&self->backend);
  g_clear_object (&self->user);
  g_clear_object (&self->role);

  G_OBJECT_CLASS (tesoro_session_parent_class)->dispose (object);
}

static void
tesoro_session_finalize (GObject *object)
{
  TesoroSession *self = (TesoroSession *) object;

  g_free (self->actor);
  g_free (self->front_end);

  G_OBJECT_CLASS (tesoro_session_parent_class)->finalize (object);
}

static void
tesoro_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TesoroSession *self = TESORO_SESSION (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, tesoro_session_get_path (self));
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, tesoro_session_is_read_only (self));
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_session_class_init (TesoroSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tesoro_session_dispose;
  object_class->finalize = tesoro_session_finalize;
  object_class->get_property = tesoro_session_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The login of the user signed in, or NULL. */
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesoroSession::contact-changed:
   * @id: the contact's id, or 0 with %TESORO_CHANGE_RESET
   * @change: a #TesoroChange
   *
   * Emitted after a change has been committed.
   */
  signals[CONTACT_CHANGED] =
    g_signal_new ("contact-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT);
}

static void
tesoro_session_init (TesoroSession *self)
{
  self->front_end = g_strdup ("core");
}

/* An erasure whose files could not be purged (another connection was
 * reading) is finished at the next open, by whichever Tesoro opens the
 * database: not only at Tesoro's own close, which may never come first. */
static void
finish_purges_at_open (TesoroSession *self)
{
  g_autoptr(GError) error = NULL;

  if (tesoro_backend_is_read_only (self->backend))
    return;
  if (!tesoro_backend_finish_purges (self->backend, &self->purged_at_open, &error))
    g_debug ("The database files could not be purged yet after an earlier erasure: %s", error->message);
}

/* Public API */

/**
 * _tesoro_session_new:
 * @backend: (transfer full): the connection
 * @like: (nullable): a session whose user, role and front end the new one
 *   takes; %NULL to establish who acts from the database's users
 */
TesoroSession *
_tesoro_session_new (TesoroBackend *backend,
                     TesoroSession *like)
{
  TesoroSession *self = g_object_new (TESORO_TYPE_SESSION, NULL);

  self->backend = backend;
  if (like != NULL)
    {
      tesoro_set_str (&self->front_end, like->front_end);
      self->sign_in_required = like->sign_in_required;
      if (like->user != NULL)
        _tesoro_session_act_as (self, like->user, like->role);
    }
  else
    {
      _tesoro_session_establish (self);
      finish_purges_at_open (self);
    }
  return self;
}

/**
 * tesoro_session_default_path:
 *
 * Returns: (transfer full): `$TESORO_DB` if set, else
 * `$XDG_DATA_HOME/tesoro/tesoro.db`
 */
char *
tesoro_session_default_path (void)
{
  const char *env = g_getenv ("TESORO_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "tesoro", "tesoro.db", NULL);
}

/**
 * tesoro_session_open:
 * @path: the database file; created when missing
 * @flags: %TESORO_SESSION_FLAGS_READ_ONLY to open for reading only;
 *   %TESORO_SESSION_FLAGS_CREATE_FOLDER to make its folder when missing
 *   (else a missing folder is an error)
 *
 * Opens a session on the embedded database at @path (see
 * tesoro_session_open_engine()).
 *
 * Returns: (transfer full) (nullable): the session
 */
TesoroSession *
tesoro_session_open (const char          *path,
                     TesoroSessionFlags   flags,
                     GError             **error)
{
  return tesoro_session_open_engine ("sqlite", path, flags, error);
}

/**
 * tesoro_session_open_engine:
 * @engine: the storage engine: "sqlite" (the embedded default)
 * @location: where its database is: a file for "sqlite"
 *
 * Opens the database, migrating it to the latest schema. A database that
 * is not Tesoro's, or comes from a newer Tesoro, is refused and left as it
 * is; one that cannot be written opens read-only (see
 * tesoro_session_is_read_only()).
 *
 * Returns: (transfer full) (nullable): the session
 */
TesoroSession *
tesoro_session_open_engine (const char          *engine,
                            const char          *location,
                            TesoroSessionFlags   flags,
                            GError             **error)
{
  TesoroBackend *backend = NULL;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (location != NULL, NULL);

  if (g_str_equal (engine, "sqlite") && (flags & TESORO_SESSION_FLAGS_CREATE_FOLDER) != 0 &&
      (flags & TESORO_SESSION_FLAGS_READ_ONLY) == 0)
    {
      g_autofree char *dir = g_path_get_dirname (location);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_IO,
                       _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  if (g_str_equal (engine, "sqlite"))
    backend = tesoro_sqlite_backend_open (location, (flags & TESORO_SESSION_FLAGS_READ_ONLY) != 0, error);
  else
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                 _("“%s” is not a storage engine Tesoro knows (it knows “sqlite”)"), engine);

  return backend != NULL ? _tesoro_session_new (backend, NULL) : NULL;
}

/**
 * tesoro_session_open_another:
 * @read_only: whether the new session only reads
 *
 * A session of its own for a worker thread: on the same database, as the
 * same user with the same role. Call it on the thread that uses @self, and
 * hand the new session to the worker. Changes it commits are seen by this
 * session's next reads; its "contact-changed" signals are its own.
 *
 * Returns: (transfer full) (nullable): the new session
 */
TesoroSession *
tesoro_session_open_another (TesoroSession  *self,
                             gboolean        read_only,
                             GError        **error)
{
  TesoroBackend *backend;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  backend = tesoro_backend_open_another (self->backend, read_only, error);
  if (backend == NULL)
    return NULL;
  return _tesoro_session_new (backend, self);
}

/**
 * tesoro_session_get_path:
 *
 * Returns: where the database is (for the embedded engine, its file)
 */
const char *
tesoro_session_get_path (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  return tesoro_backend_get_location (self->backend);
}

gboolean
tesoro_session_is_read_only (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), TRUE);
  return tesoro_backend_is_read_only (self->backend);
}

/**
 * tesoro_session_get_actor:
 *
 * Returns: (nullable): the login of the user the session acts for, %NULL
 *   while nobody is signed in
 */
const char *
tesoro_session_get_actor (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  return self->actor;
}

/* For tesoro-access.c: who acts changed. */
void
_tesoro_session_notify_actor (TesoroSession *self)
{
  tesoro_backend_set_actor (self->backend, self->actor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
}

/**
 * tesoro_session_get_schema_version:
 *
 * Returns: the version of the database's schema (the latest this Tesoro
 *   knows, as an open database has been brought up to date)
 */
int
tesoro_session_get_schema_version (TesoroSession *self)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), 0);
  return tesoro_backend_get_schema_version (self->backend);
}

/**
 * tesoro_session_close:
 *
 * Closes the connection now rather than when the last reference goes.
 */
void
tesoro_session_close (TesoroSession *self)
{
  g_return_if_fail (TESORO_IS_SESSION (self));
  tesoro_backend_close (self->backend);
}
