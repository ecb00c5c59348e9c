/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-editing"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "tesoro-audit-entry.h"
#include "tesoro-contact-groups.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Contact editing: creating, changing, trashing and restoring contacts and
 * adding to their history. Every function is one transaction; changes of a
 * contact go through _tesoro_session_check() first, and need the "edit"
 * (fields, trash) or "history" permission and write access to the field
 * groups they touch.
 */

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/* Inserting */

/* Exactly one of the details is primary: the first marked so, else the
 * first. */
static void
normalize_primary (GPtrArray *details)
{
  gboolean seen = FALSE;

  for (guint i = 0; i < details->len; i++)
    {
      TesoroDetail *d = details->pdata[i];

      if (d->primary && !seen)
        seen = TRUE;
      else
        d->primary = FALSE;
    }

  if (!seen && details->len > 0)
    ((TesoroDetail *) details->pdata[0])->primary = TRUE;
}

static const char *
later (const char *a,
       const char *b)
{
  if (!has_text (a))
    return b;
  if (!has_text (b))
    return a;
  return strcmp (a, b) >= 0 ? a : b;
}

static void
default_string (char       **field,
                const char  *value)
{
  if (!has_text (*field))
    tesoro_set_str (field, value);
}

/* Stamps the history records that have no date with @now, and returns the
 * newest date of the history (for last_activity_at), at least @start. */
static const char *
date_history (TesoroContact *contact,
              const char    *start,
              const char    *now)
{
  const char *newest = start;
  GPtrArray *array;

  array = tesoro_contact_get_notes (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroNote *n = array->pdata[i];

      default_string (&n->created_at, now);
      newest = later (newest, n->created_at);
    }
  array = tesoro_contact_get_messages (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroMessage *m = array->pdata[i];

      default_string (&m->at, now);
      newest = later (newest, m->at);
    }
  array = tesoro_contact_get_tasks (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroTask *t = array->pdata[i];

      default_string (&t->created_at, now);
      newest = later (newest, t->created_at);
      if (t->done)
        {
          default_string (&t->done_at, now);
          newest = later (newest, t->done_at);
        }
      else
        g_clear_pointer (&t->done_at, g_free);
    }
  array = tesoro_contact_get_activities (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroActivity *a = array->pdata[i];

      default_string (&a->at, now);
      newest = later (newest, a->at);
    }
  array = tesoro_contact_get_consent (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroConsentEvent *c = array->pdata[i];

      default_string (&c->at, now);
      tesoro_set_str (&c->recorded_at, now);
      newest = later (newest, c->at);
    }

  return newest;
}

static void
fill_display_name (TesoroContact *contact)
{
  if (!has_text (tesoro_contact_get_display_name (contact)))
    {
      g_autofree char *best = tesoro_contact_dup_best_name (contact);
      tesoro_contact_set_display_name (contact, best);
    }
}

/**
 * _tesoro_session_insert_contact:
 * @now: the time to stamp what has no date of its own
 *
 * Inserts a validated contact with all its parts inside the transaction
 * already open. Timestamps that the contact carries are kept, as an import
 * of historical data must.
 */
gboolean
_tesoro_session_insert_contact (TesoroSession  *self,
                                TesoroContact  *contact,
                                const char     *now,
                                GError        **error)
{
  const char *created_at, *updated_at;

  if (!has_text (tesoro_contact_get_uid (contact)))
    {
      g_autofree char *uid = tesoro_uuid_new ();
      tesoro_contact_set_uid (contact, uid);
    }

  fill_display_name (contact);
  normalize_primary (tesoro_contact_get_emails (contact));
  normalize_primary (tesoro_contact_get_phones (contact));

  created_at = has_text (tesoro_contact_get_created_at (contact)) ? tesoro_contact_get_created_at (contact) : now;
  tesoro_contact_set_created_at (contact, created_at);
  updated_at = has_text (tesoro_contact_get_updated_at (contact)) ? tesoro_contact_get_updated_at (contact)
                                                                  : tesoro_contact_get_created_at (contact);
  tesoro_contact_set_updated_at (contact, updated_at);

  /* Known before the insert, so that the row is written once. */
  if (has_text (tesoro_contact_get_last_activity_at (contact)))
    date_history (contact, NULL, now);
  else
    {
      g_autofree char *start = g_strdup (tesoro_contact_get_updated_at (contact));
      tesoro_contact_set_last_activity_at (contact, date_history (contact, start, now));
    }

  return tesoro_backend_insert_contact (_tesoro_session_get_backend (self), contact, error);
}

/**
 * tesoro_session_add_contact:
 * @contact: a new contact; on success its id, uid and timestamps are set
 *
 * Stores a contact with its details, custom fields, tags and history, in
 * one transaction.
 */
gboolean
tesoro_session_add_contact (TesoroSession  *self,
                            TesoroContact  *contact,
                            GError        **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_CONTACT (contact), FALSE);

  if (!tesoro_contact_validate (contact, error) || !tesoro_session_require (self, TESORO_PERMISSION_EDIT, error) ||
      !_tesoro_session_may_write (self, NULL, contact, error) ||
      !_tesoro_session_refuse_disabled (self, NULL, contact, error))
    return FALSE;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  now = tesoro_now_iso ();
  tesoro_contact_set_id (contact, 0);

  if (!_tesoro_session_insert_contact (self, contact, now, error) ||
      !_tesoro_session_commit (self, error))
    {
      _tesoro_session_fail (self);
      tesoro_contact_set_id (contact, 0);
      return FALSE;
    }

  _tesoro_session_emit_changed (self, tesoro_contact_get_id (contact), TESORO_CHANGE_ADDED);
  return TRUE;
}

/* Changing */

/**
 * _tesoro_session_audit_lawful_basis:
 * @old_basis: (nullable): the basis stored now
 * @new_basis: (nullable): the basis about to be stored
 *
 * Records a change of lawful basis in the accountability log, inside the
 * transaction of the change.
 */
gboolean
_tesoro_session_audit_lawful_basis (TesoroSession  *self,
                                    gint64          contact_id,
                                    const char     *old_basis,
                                    const char     *uid,
                                    const char     *new_basis,
                                    GError        **error)
{
  if (!has_text (new_basis))
    new_basis = NULL;
  if (uid == NULL || g_strcmp0 (old_basis, new_basis) == 0)
    return TRUE;

  return _tesoro_session_audit (self, TESORO_AUDIT_LAWFUL_BASIS, uid,
                                tesoro_json_object_new ("from", 's', old_basis, "to", 's', new_basis, NULL),
                                error);
}

/**
 * tesoro_session_update_contact:
 * @contact: the contact with its new values (its id names the row), as the
 *   acting user sees it: what their role hides from them is kept as stored
 *
 * Saves the contact's fields, e-mail addresses, phones, addresses, custom
 * fields and tags. The history is changed only by its own functions. A
 * change of a field the acting user may not write is refused, naming it.
 */
gboolean
tesoro_session_update_contact (TesoroSession  *self,
                               TesoroContact  *contact,
                               GError        **error)
{
  g_auto(TesoroContactState) state = { 0 };
  g_autoptr(TesoroContact) stored = NULL;
  g_autoptr(TesoroContact) merged = NULL;
  g_autofree char *now = NULL;
  TesoroBackend *backend;
  gint64 id;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (TESORO_IS_CONTACT (contact), FALSE);

  id = tesoro_contact_get_id (contact);
  if (!tesoro_contact_validate (contact, error) || !tesoro_session_require (self, TESORO_PERMISSION_EDIT, error))
    return FALSE;

  backend = _tesoro_session_get_backend (self);
  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  /* What is saved is the caller's change on top of what is stored, so that
   * nothing hidden from the caller is lost. */
  merged = tesoro_contact_copy (contact);
  if (!_tesoro_session_check (self, id, TESORO_INTENT_EDIT, &state, error) ||
      (stored = _tesoro_session_load_whole (self, id, error)) == NULL ||
      !_tesoro_session_may_write (self, stored, merged, error) ||
      !_tesoro_session_refuse_disabled (self, stored, merged, error))
    return _tesoro_session_fail (self);

  /* A change of lawful basis goes into the accountability log. */
  if (!_tesoro_session_audit_lawful_basis (self, id, state.lawful_basis, state.uid,
                                           tesoro_contact_get_lawful_basis (merged), error))
    return _tesoro_session_fail (self);

  fill_display_name (merged);
  normalize_primary (tesoro_contact_get_emails (merged));
  normalize_primary (tesoro_contact_get_phones (merged));
  now = tesoro_now_iso ();

  if (!tesoro_backend_update_contact (backend, merged, error) ||
      !tesoro_backend_touch_contact (backend, id, now, now, error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  /* The caller's copy as saved, of what the caller may see. */
  tesoro_contact_take_groups (contact, merged, tesoro_contact_get_shown_groups (contact) & TESORO_FIELDS_EDITABLE);
  _tesoro_session_mask (self, contact);

  _tesoro_session_emit_changed (self, id, TESORO_CHANGE_UPDATED);
  return TRUE;
}

static gboolean
set_trashed (TesoroSession  *self,
             gint64          id,
             gboolean        trash,
             GError        **error)
{
  g_autofree char *now = tesoro_now_iso ();
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  g_auto(TesoroContactState) state = { 0 };
  gboolean changed = FALSE;

  if (!tesoro_session_require (self, TESORO_PERMISSION_EDIT, error) ||
      !_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (!tesoro_backend_set_trashed (backend, id, trash, trash ? now : NULL, &changed, error))
    return _tesoro_session_fail (self);

  if (!changed)
    {
      if (!tesoro_backend_get_contact_state (backend, id, &state, error))
        return _tesoro_session_fail (self);
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   trash ? _("Contact %" PRId64 " is already in the trash")
                         : _("Contact %" PRId64 " is not in the trash"), id);
      return _tesoro_session_fail (self);
    }

  if (!_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  _tesoro_session_emit_changed (self, id, trash ? TESORO_CHANGE_TRASHED : TESORO_CHANGE_RESTORED);
  return TRUE;
}

/**
 * tesoro_session_trash_contact:
 *
 * Moves a contact to the trash. This is not erasure: the contact can be
 * restored until the trash is emptied.
 */
gboolean
tesoro_session_trash_contact (TesoroSession  *self,
                              gint64          id,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return set_trashed (self, id, TRUE, error);
}

gboolean
tesoro_session_restore_contact (TesoroSession  *self,
                                gint64          id,
                                GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return set_trashed (self, id, FALSE, error);
}

/* History */

/* Whether the acting user may add to (or change) the part @group of a
 * contact's history. */
static gboolean
may_add_history (TesoroSession      *self,
                 TesoroFieldGroups   group,
                 GError            **error)
{
  return tesoro_session_require (self, TESORO_PERMISSION_HISTORY, error) &&
         _tesoro_session_may_write_groups (self, group, error);
}

static TesoroFieldGroups
group_of (TesoroRecordKind kind)
{
  switch (kind)
    {
    case TESORO_RECORD_NOTE: return TESORO_FIELDS_NOTES;
    case TESORO_RECORD_MESSAGE: return TESORO_FIELDS_MESSAGES;
    case TESORO_RECORD_TASK: return TESORO_FIELDS_TASKS;
    case TESORO_RECORD_ACTIVITY: return TESORO_FIELDS_ACTIVITIES;
    case TESORO_RECORD_CONSENT: return TESORO_FIELDS_CONSENT;
    default: g_return_val_if_reached (TESORO_FIELDS_ALL);
    }
}

/* Adds one record of @kind to the history of a contact that may be
 * changed, moves its last activity to @at, in one transaction. */
static gint64
add_history (TesoroSession      *self,
             gint64              contact_id,
             TesoroRecordKind    kind,
             gconstpointer       record,
             const char         *at,
             GError            **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  gint64 record_id;

  if (!may_add_history (self, group_of (kind), error) ||
      !_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return -1;

  if (!_tesoro_session_check (self, contact_id, TESORO_INTENT_EDIT, NULL, error) ||
      (record_id = tesoro_backend_insert_history (backend, contact_id, kind, record, error)) < 0 ||
      !tesoro_backend_touch_contact (backend, contact_id, at, NULL, error) ||
      !_tesoro_session_commit (self, error))
    {
      _tesoro_session_fail (self);
      return -1;
    }

  _tesoro_session_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return record_id;
}

/**
 * tesoro_session_add_note:
 *
 * Returns: the note's id, or -1 with @error set
 */
gint64
tesoro_session_add_note (TesoroSession  *self,
                         gint64          contact_id,
                         const char     *body,
                         GError        **error)
{
  g_autofree char *now = tesoro_now_iso ();
  TesoroNote note = { 0, (char *) body, now, NULL };

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);

  if (body == NULL || *body == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The note is empty"));
      return -1;
    }
  if (!tesoro_check_text ("body", body, TESORO_MAX_LONG_TEXT, error))
    return -1;

  return add_history (self, contact_id, TESORO_RECORD_NOTE, &note, now, error);
}

/**
 * tesoro_session_add_message:
 * @message: the logged message; a missing date means now
 *
 * Returns: the message's id, or -1 with @error set
 */
gint64
tesoro_session_add_message (TesoroSession        *self,
                            gint64                contact_id,
                            const TesoroMessage  *message,
                            GError              **error)
{
  g_autofree char *at = NULL;
  TesoroMessage record;

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);
  g_return_val_if_fail (message != NULL, -1);

  if (g_strcmp0 (message->direction, "in") != 0 && g_strcmp0 (message->direction, "out") != 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("A message is either incoming or outgoing"));
      return -1;
    }
  if (!has_text (message->subject) && !has_text (message->body))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The message has neither a subject nor a text"));
      return -1;
    }
  if (!tesoro_check_text ("address", message->address, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("subject", message->subject, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("body", message->body, TESORO_MAX_LONG_TEXT, error))
    return -1;

  at = has_text (message->at) ? tesoro_normalize_timestamp (message->at, FALSE, error) : tesoro_now_iso ();
  if (at == NULL)
    return -1;

  record = *message;
  record.at = at;
  return add_history (self, contact_id, TESORO_RECORD_MESSAGE, &record, at, error);
}

/**
 * tesoro_session_add_task:
 * @due: (nullable): the due date, `2024-03-01` or a timestamp
 *
 * Returns: the task's id, or -1 with @error set
 */
gint64
tesoro_session_add_task (TesoroSession  *self,
                         gint64          contact_id,
                         const char     *title,
                         const char     *due,
                         GError        **error)
{
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *due_normalized = NULL;
  TesoroTask task = { 0 };

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);

  if (!has_text (title))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The task has no title"));
      return -1;
    }
  if (!tesoro_check_text ("title", title, TESORO_MAX_SHORT_TEXT, error))
    return -1;
  if (has_text (due))
    {
      due_normalized = tesoro_normalize_timestamp (due, TRUE, error);
      if (due_normalized == NULL)
        return -1;
    }

  task.title = (char *) title;
  task.due = due_normalized;
  task.created_at = now;
  return add_history (self, contact_id, TESORO_RECORD_TASK, &task, now, error);
}

gboolean
tesoro_session_set_task_done (TesoroSession  *self,
                              gint64          task_id,
                              gboolean        done,
                              GError        **error)
{
  g_autofree char *now = tesoro_now_iso ();
  TesoroBackend *backend;
  gint64 contact_id;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!may_add_history (self, TESORO_FIELDS_TASKS, error))
    return FALSE;
  backend = _tesoro_session_get_backend (self);
  contact_id = tesoro_backend_get_task_contact (backend, task_id, error);
  if (contact_id < 0)
    return FALSE;
  if (contact_id == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND,
                   _("There is no task with id %" PRId64), task_id);
      return FALSE;
    }

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  if (!_tesoro_session_check (self, contact_id, TESORO_INTENT_EDIT, NULL, error) ||
      !tesoro_backend_set_task_done (backend, task_id, done, now, error) ||
      !tesoro_backend_touch_contact (backend, contact_id, now, NULL, error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  _tesoro_session_emit_changed (self, contact_id, TESORO_CHANGE_UPDATED);
  return TRUE;
}

/**
 * tesoro_session_add_activity:
 * @kind: "call", "meeting", or "system" for events Tesoro records itself
 * @at: (nullable): when it happened; %NULL means now
 *
 * Returns: the activity's id, or -1 with @error set
 */
gint64
tesoro_session_add_activity (TesoroSession  *self,
                             gint64          contact_id,
                             const char     *kind,
                             const char     *summary,
                             const char     *at,
                             GError        **error)
{
  g_autofree char *when = NULL;
  TesoroActivity activity = { 0 };

  g_return_val_if_fail (TESORO_IS_SESSION (self), -1);

  if (!has_text (kind))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The activity has no kind"));
      return -1;
    }
  if (!tesoro_check_text ("kind", kind, TESORO_MAX_SHORT_TEXT, error) ||
      !tesoro_check_text ("summary", summary, TESORO_MAX_LONG_TEXT, error))
    return -1;

  when = has_text (at) ? tesoro_normalize_timestamp (at, FALSE, error) : tesoro_now_iso ();
  if (when == NULL)
    return -1;

  activity.kind = (char *) kind;
  activity.summary = (char *) summary;
  activity.at = when;
  return add_history (self, contact_id, TESORO_RECORD_ACTIVITY, &activity, when, error);
}
