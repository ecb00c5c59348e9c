/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-sqlite-backend-private.h"
#include "tesoro-utils.h"

/*
 * The contacts table and the tables of a contact's details: e-mail
 * addresses, phones, addresses, custom values and tags. Nothing here decides
 * whether a change is allowed; the session's services do.
 */

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

static const char *
text_or_null (const char *s)
{
  return has_text (s) ? s : NULL;
}

/* Writing */

static gboolean
insert_details (TesoroSqliteBackend  *self,
                gint64                contact_id,
                GPtrArray            *details,
                gboolean              phones,
                GError              **error)
{
  for (guint i = 0; i < details->len; i++)
    {
      TesoroDetail *d = details->pdata[i];
      gboolean ok;

      if (phones)
        ok = tesoro_db_run (self->db, error,
                            "INSERT INTO contact_phones (contact_id, position, label, value, is_primary)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            "iieeb", contact_id, (gint64) i, d->label, d->value, d->primary);
      else
        ok = tesoro_db_run (self->db, error,
                            "INSERT INTO contact_emails (contact_id, position, label, value, is_primary)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            "iieeb", contact_id, (gint64) i, d->label, d->value, d->primary);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

static gint64
find_name (TesoroSqliteBackend  *self,
           TesoroNameKind        kind,
           const char           *name,
           gboolean              create,
           GError              **error)
{
  if (kind == TESORO_NAME_TAG)
    {
      if (create && !tesoro_db_run (self->db, error, "INSERT INTO tags (name) VALUES (?1) ON CONFLICT DO NOTHING",
                                    "s", name))
        return -1;
      return tesoro_db_query_id (self->db, error, "SELECT id FROM tags WHERE name = ?1", "s", name);
    }

  if (create && !tesoro_db_run (self->db, error,
                                "INSERT INTO custom_fields (name) VALUES (?1) ON CONFLICT DO NOTHING", "s", name))
    return -1;
  return tesoro_db_query_id (self->db, error, "SELECT id FROM custom_fields WHERE name = ?1", "s", name);
}

static gboolean
insert_multi_values (TesoroSqliteBackend  *self,
                     TesoroContact        *contact,
                     GError              **error)
{
  gint64 id = tesoro_contact_get_id (contact);
  GPtrArray *array;

  if (!insert_details (self, id, tesoro_contact_get_emails (contact), FALSE, error) ||
      !insert_details (self, id, tesoro_contact_get_phones (contact), TRUE, error))
    return FALSE;

  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroAddress *a = array->pdata[i];

      if (!tesoro_db_run (self->db, error,
                          "INSERT INTO contact_addresses (contact_id, position, label, street,"
                          " postal_code, city, region, country) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          "iieeeeee", id, (gint64) i, a->label, a->street, a->postal_code, a->city, a->region,
                          a->country))
        return FALSE;
    }

  array = tesoro_contact_get_custom_values (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroCustomValue *cv = array->pdata[i];
      gint64 field_id = find_name (self, TESORO_NAME_CUSTOM_FIELD, cv->name, TRUE, error);

      if (field_id <= 0 ||
          !tesoro_db_run (self->db, error,
                          "INSERT INTO contact_custom_values (contact_id, field_id, position, value)"
                          " VALUES (?1, ?2, ?3, ?4)"
                          " ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value",
                          "iiie", id, field_id, (gint64) i, cv->value))
        return FALSE;
    }

  array = tesoro_contact_get_tags (contact);
  for (guint i = 0; i < array->len; i++)
    {
      gint64 tag_id = find_name (self, TESORO_NAME_TAG, array->pdata[i], TRUE, error);

      if (tag_id <= 0 ||
          !tesoro_db_run (self->db, error,
                          "INSERT INTO contact_tags (contact_id, tag_id, position) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT DO NOTHING",
                          "iii", id, tag_id, (gint64) i))
        return FALSE;
    }

  return TRUE;
}

static gboolean
delete_multi_values (TesoroSqliteBackend  *self,
                     gint64                id,
                     GError              **error)
{
  return tesoro_db_run (self->db, error, "DELETE FROM contact_emails WHERE contact_id = ?1", "i", id) &&
         tesoro_db_run (self->db, error, "DELETE FROM contact_phones WHERE contact_id = ?1", "i", id) &&
         tesoro_db_run (self->db, error, "DELETE FROM contact_addresses WHERE contact_id = ?1", "i", id) &&
         tesoro_db_run (self->db, error, "DELETE FROM contact_custom_values WHERE contact_id = ?1", "i", id) &&
         tesoro_db_run (self->db, error, "DELETE FROM contact_tags WHERE contact_id = ?1", "i", id);
}

/* The history a contact arrives with (an import, `add --json`): every
 * record has its date already (the session stamps what had none). */
static gboolean
insert_history (TesoroSqliteBackend  *self,
                TesoroContact        *contact,
                GError              **error)
{
  TesoroBackend *backend = TESORO_BACKEND (self);
  gint64 id = tesoro_contact_get_id (contact);
  struct { TesoroRecordKind kind; GPtrArray *records; } parts[] = {
    { TESORO_RECORD_NOTE, tesoro_contact_get_notes (contact) },
    { TESORO_RECORD_MESSAGE, tesoro_contact_get_messages (contact) },
    { TESORO_RECORD_TASK, tesoro_contact_get_tasks (contact) },
    { TESORO_RECORD_ACTIVITY, tesoro_contact_get_activities (contact) },
    { TESORO_RECORD_CONSENT, tesoro_contact_get_consent (contact) },
  };

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    for (guint i = 0; i < parts[p].records->len; i++)
      {
        gpointer record = parts[p].records->pdata[i];
        gint64 record_id = tesoro_backend_insert_history (backend, id, parts[p].kind, record, error);

        if (record_id < 0)
          return FALSE;

        /* Every record type starts with its id. */
        *(gint64 *) record = record_id;
      }

  return TRUE;
}

/* Inserts a contact whose fields, timestamps and history dates the session
 * has settled, with all its parts, and indexes it. */
static gboolean
sqlite_insert_contact (TesoroBackend  *backend,
                       TesoroContact  *contact,
                       GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autofree char *sort_key = NULL;
  sqlite3_stmt *stmt;
  gint64 actor_id;
  int rc;

  actor_id = _tesoro_sqlite_get_actor_id (self, error);
  if (actor_id < 0)
    return FALSE;

  sort_key = tesoro_fold (tesoro_contact_get_display_name (contact));

  stmt = tesoro_db_prepare_with (self->db, error,
                                 "INSERT INTO contacts (uid, given_name, family_name, display_name, organization,"
                                 " job_title, birthday, lawful_basis, restricted, legal_hold, legal_hold_reason,"
                                 " sort_key, created_at, updated_at, last_activity_at, trashed_at, created_by,"
                                 " updated_by)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                                 " ?17, ?17)",
                                 "seeeeessbbssssssi",
                                 tesoro_contact_get_uid (contact),
                                 tesoro_contact_get_given_name (contact),
                                 tesoro_contact_get_family_name (contact),
                                 tesoro_contact_get_display_name (contact),
                                 tesoro_contact_get_organization (contact),
                                 tesoro_contact_get_job_title (contact),
                                 text_or_null (tesoro_contact_get_birthday (contact)),
                                 text_or_null (tesoro_contact_get_lawful_basis (contact)),
                                 tesoro_contact_get_restricted (contact),
                                 tesoro_contact_get_legal_hold (contact),
                                 text_or_null (tesoro_contact_get_legal_hold_reason (contact)),
                                 sort_key,
                                 tesoro_contact_get_created_at (contact),
                                 tesoro_contact_get_updated_at (contact),
                                 tesoro_contact_get_last_activity_at (contact),
                                 text_or_null (tesoro_contact_get_trashed_at (contact)),
                                 actor_id);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                     _("A contact with uid %s already exists"), tesoro_contact_get_uid (contact));
      else
        tesoro_db_set_error (self->db, error, rc, _("Cannot save the contact"));
      return FALSE;
    }

  tesoro_contact_set_id (contact, tesoro_db_last_insert_id (self->db));

  return insert_multi_values (self, contact, error) &&
         insert_history (self, contact, error) &&
         _tesoro_sqlite_index_contact (self, contact, TRUE, error);
}

/* Saves the contact's own fields and details (not its history) and
 * reindexes it. */
static gboolean
sqlite_update_contact (TesoroBackend  *backend,
                       TesoroContact  *contact,
                       GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autofree char *sort_key = tesoro_fold (tesoro_contact_get_display_name (contact));
  gint64 id = tesoro_contact_get_id (contact);

  return tesoro_db_run (self->db, error,
                        "UPDATE contacts SET given_name = ?2, family_name = ?3, display_name = ?4,"
                        " organization = ?5, job_title = ?6, birthday = ?7, lawful_basis = ?8, sort_key = ?9"
                        " WHERE id = ?1",
                        "ieeeeesss", id,
                        tesoro_contact_get_given_name (contact),
                        tesoro_contact_get_family_name (contact),
                        tesoro_contact_get_display_name (contact),
                        tesoro_contact_get_organization (contact),
                        tesoro_contact_get_job_title (contact),
                        text_or_null (tesoro_contact_get_birthday (contact)),
                        text_or_null (tesoro_contact_get_lawful_basis (contact)),
                        sort_key) &&
         delete_multi_values (self, id, error) &&
         insert_multi_values (self, contact, error) &&
         _tesoro_sqlite_index_contact (self, contact, FALSE, error);
}

/* Moves last_activity_at forward (never back) to @at; with @edited_at, the
 * contact's own fields changed then, by the actor. */
static gboolean
sqlite_touch_contact (TesoroBackend  *backend,
                      gint64          id,
                      const char     *at,
                      const char     *edited_at,
                      GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gint64 actor_id;

  if (edited_at == NULL)
    return tesoro_db_run (self->db, error,
                          "UPDATE contacts SET last_activity_at = max (last_activity_at, ?2) WHERE id = ?1",
                          "is", id, at);

  actor_id = _tesoro_sqlite_get_actor_id (self, error);
  if (actor_id < 0)
    return FALSE;
  return tesoro_db_run (self->db, error,
                        "UPDATE contacts SET last_activity_at = max (last_activity_at, ?2),"
                        " updated_at = ?3, updated_by = ?4 WHERE id = ?1",
                        "issi", id, at, edited_at, actor_id);
}

/* Reading */

static gpointer
map_detail (sqlite3_stmt *stmt)
{
  return tesoro_detail_new (tesoro_db_column_text (stmt, 0), tesoro_db_column_text (stmt, 1),
                            sqlite3_column_int (stmt, 2));
}

static gpointer
map_address (sqlite3_stmt *stmt)
{
  TesoroAddress *a = tesoro_address_new ();

  a->label = tesoro_db_column_dup (stmt, 0);
  a->street = tesoro_db_column_dup (stmt, 1);
  a->postal_code = tesoro_db_column_dup (stmt, 2);
  a->city = tesoro_db_column_dup (stmt, 3);
  a->region = tesoro_db_column_dup (stmt, 4);
  a->country = tesoro_db_column_dup (stmt, 5);
  return a;
}

static gpointer
map_custom_value (sqlite3_stmt *stmt)
{
  return tesoro_custom_value_new (tesoro_db_column_text (stmt, 0), tesoro_db_column_text (stmt, 1));
}

static gpointer
map_text (sqlite3_stmt *stmt)
{
  return tesoro_db_column_dup (stmt, 0);
}

static gpointer
map_note (sqlite3_stmt *stmt)
{
  TesoroNote *n = tesoro_note_new ();

  n->id = sqlite3_column_int64 (stmt, 0);
  n->body = tesoro_db_column_dup (stmt, 1);
  n->created_at = tesoro_db_column_dup (stmt, 2);
  n->author = tesoro_db_column_dup (stmt, 3);
  return n;
}

static gpointer
map_message (sqlite3_stmt *stmt)
{
  TesoroMessage *m = tesoro_message_new ();

  m->id = sqlite3_column_int64 (stmt, 0);
  m->direction = tesoro_db_column_dup (stmt, 1);
  m->address = tesoro_db_column_dup (stmt, 2);
  m->subject = tesoro_db_column_dup (stmt, 3);
  m->body = tesoro_db_column_dup (stmt, 4);
  m->at = tesoro_db_column_dup (stmt, 5);
  m->author = tesoro_db_column_dup (stmt, 6);
  return m;
}

static gpointer
map_task (sqlite3_stmt *stmt)
{
  TesoroTask *t = tesoro_task_new ();

  t->id = sqlite3_column_int64 (stmt, 0);
  t->title = tesoro_db_column_dup (stmt, 1);
  t->due = tesoro_db_column_dup (stmt, 2);
  t->done = sqlite3_column_int (stmt, 3);
  t->done_at = tesoro_db_column_dup (stmt, 4);
  t->created_at = tesoro_db_column_dup (stmt, 5);
  t->author = tesoro_db_column_dup (stmt, 6);
  return t;
}

static gpointer
map_activity (sqlite3_stmt *stmt)
{
  TesoroActivity *a = tesoro_activity_new ();

  a->id = sqlite3_column_int64 (stmt, 0);
  a->kind = tesoro_db_column_dup (stmt, 1);
  a->summary = tesoro_db_column_dup (stmt, 2);
  a->at = tesoro_db_column_dup (stmt, 3);
  a->author = tesoro_db_column_dup (stmt, 4);
  return a;
}

static gpointer
map_consent_event (sqlite3_stmt *stmt)
{
  TesoroConsentEvent *c = tesoro_consent_event_new ();

  c->id = sqlite3_column_int64 (stmt, 0);
  c->purpose = tesoro_db_column_dup (stmt, 1);
  c->granted = sqlite3_column_int (stmt, 2);
  c->at = tesoro_db_column_dup (stmt, 3);
  c->source = tesoro_db_column_dup (stmt, 4);
  c->evidence = tesoro_db_column_dup (stmt, 5);
  c->recorded_by = tesoro_db_column_dup (stmt, 6);
  c->recorded_at = tesoro_db_column_dup (stmt, 7);
  return c;
}

/* The parts of a contact, each with its group (for the field mask), its
 * query and its row mapper. */
typedef GPtrArray *(*PartGetter) (TesoroContact *contact);

typedef struct
{
  TesoroFieldGroups  group;
  PartGetter         get;
  const char        *sql;
  TesoroRowMapFunc   map;
} Part;

static const Part parts[] = {
  { TESORO_FIELDS_EMAILS, tesoro_contact_get_emails,
    "SELECT label, value, is_primary FROM contact_emails WHERE contact_id = ?1 ORDER BY position", map_detail },
  { TESORO_FIELDS_PHONES, tesoro_contact_get_phones,
    "SELECT label, value, is_primary FROM contact_phones WHERE contact_id = ?1 ORDER BY position", map_detail },
  { TESORO_FIELDS_ADDRESSES, tesoro_contact_get_addresses,
    "SELECT label, street, postal_code, city, region, country FROM contact_addresses"
    " WHERE contact_id = ?1 ORDER BY position", map_address },
  { TESORO_FIELDS_CUSTOM, tesoro_contact_get_custom_values,
    "SELECT f.name, v.value FROM contact_custom_values v JOIN custom_fields f ON f.id = v.field_id"
    " WHERE v.contact_id = ?1 ORDER BY v.position, f.name", map_custom_value },
  { TESORO_FIELDS_TAGS, tesoro_contact_get_tags,
    "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
    " WHERE ct.contact_id = ?1 ORDER BY ct.position, t.name", map_text },
  { TESORO_FIELDS_NOTES, tesoro_contact_get_notes,
    "SELECT n.id, n.body, n.created_at, u.login FROM notes n"
    " LEFT JOIN users u ON u.id = n.created_by WHERE n.contact_id = ?1 ORDER BY n.id", map_note },
  { TESORO_FIELDS_MESSAGES, tesoro_contact_get_messages,
    "SELECT m.id, m.direction, m.address, m.subject, m.body, m.at, u.login FROM messages m"
    " LEFT JOIN users u ON u.id = m.created_by WHERE m.contact_id = ?1 ORDER BY m.id", map_message },
  { TESORO_FIELDS_TASKS, tesoro_contact_get_tasks,
    "SELECT t.id, t.title, t.due, t.done, t.done_at, t.created_at, u.login FROM tasks t"
    " LEFT JOIN users u ON u.id = t.created_by WHERE t.contact_id = ?1 ORDER BY t.id", map_task },
  { TESORO_FIELDS_ACTIVITIES, tesoro_contact_get_activities,
    "SELECT a.id, a.kind, a.summary, a.at, u.login FROM activities a"
    " LEFT JOIN users u ON u.id = a.created_by WHERE a.contact_id = ?1 ORDER BY a.id", map_activity },
  { TESORO_FIELDS_CONSENT, tesoro_contact_get_consent,
    "SELECT c.id, c.purpose, c.granted, c.at, c.source, c.evidence, u.login, c.recorded_at"
    " FROM consent_events c LEFT JOIN users u ON u.id = c.recorded_by"
    " WHERE c.contact_id = ?1 ORDER BY c.id", map_consent_event },
};

static void
read_contact_row (TesoroContact *contact,
                  sqlite3_stmt  *stmt)
{
  tesoro_contact_set_id (contact, sqlite3_column_int64 (stmt, 0));
  tesoro_contact_set_uid (contact, tesoro_db_column_text (stmt, 1));
  tesoro_contact_set_given_name (contact, tesoro_db_column_text (stmt, 2));
  tesoro_contact_set_family_name (contact, tesoro_db_column_text (stmt, 3));
  tesoro_contact_set_display_name (contact, tesoro_db_column_text (stmt, 4));
  tesoro_contact_set_organization (contact, tesoro_db_column_text (stmt, 5));
  tesoro_contact_set_job_title (contact, tesoro_db_column_text (stmt, 6));
  tesoro_contact_set_birthday (contact, tesoro_db_column_text (stmt, 7));
  tesoro_contact_set_lawful_basis (contact, tesoro_db_column_text (stmt, 8));
  tesoro_contact_set_restricted (contact, sqlite3_column_int (stmt, 9));
  tesoro_contact_set_legal_hold (contact, sqlite3_column_int (stmt, 10));
  tesoro_contact_set_legal_hold_reason (contact, tesoro_db_column_text (stmt, 11));
  tesoro_contact_set_created_at (contact, tesoro_db_column_text (stmt, 12));
  tesoro_contact_set_updated_at (contact, tesoro_db_column_text (stmt, 13));
  tesoro_contact_set_last_activity_at (contact, tesoro_db_column_text (stmt, 14));
  tesoro_contact_set_trashed_at (contact, tesoro_db_column_text (stmt, 15));
}

/* Loads the contacts of @ids that exist, in that order, with the groups in
 * @fields. The single-valued fields are always read; the session hides what
 * the policy hides. */
static GPtrArray *
sqlite_load_contacts (TesoroBackend      *backend,
                      const gint64       *ids,
                      guint               n_ids,
                      TesoroFieldGroups   fields,
                      GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(TesoroContact) contact = NULL;
      sqlite3_stmt *stmt;
      int rc;

      stmt = tesoro_db_prepare_with (self->db, error,
                                     "SELECT id, uid, given_name, family_name, display_name, organization, job_title,"
                                     " birthday, lawful_basis, restricted, legal_hold, legal_hold_reason, created_at,"
                                     " updated_at, last_activity_at, trashed_at FROM contacts WHERE id = ?1",
                                     "i", ids[i]);
      if (stmt == NULL)
        return NULL;
      rc = tesoro_db_step (self->db, stmt, error);
      if (rc < 0)
        return NULL;
      if (rc == SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          continue;
        }
      contact = tesoro_contact_new ();
      read_contact_row (contact, stmt);
      sqlite3_reset (stmt);

      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        if ((fields & parts[p].group) &&
            !tesoro_db_collect (self->db, error, parts[p].get (contact), parts[p].map, parts[p].sql, "i", ids[i]))
          return NULL;

      g_ptr_array_add (contacts, g_steal_pointer (&contact));
    }

  return g_steal_pointer (&contacts);
}

/* What a list row shows (name, organisation, primary e-mail address,
 * restriction, hold and consent), not the whole contact. */
static GPtrArray *
sqlite_load_summaries (TesoroBackend  *backend,
                       const gint64   *ids,
                       guint           n_ids,
                       GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;

  stmt = tesoro_db_prepare (self->db,
                            "SELECT c.id, c.uid, c.display_name, c.organization, c.restricted, c.trashed_at,"
                            " (SELECT value FROM contact_emails e WHERE e.contact_id = c.id"
                            "   ORDER BY is_primary DESC, position LIMIT 1),"
                            " (SELECT granted FROM consent_events ce WHERE ce.contact_id = c.id"
                            "   AND ce.purpose = 'marketing-email' ORDER BY at DESC, id DESC LIMIT 1),"
                            " c.legal_hold, c.last_activity_at"
                            " FROM contacts c WHERE c.id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = tesoro_db_step (self->db, stmt, error);
      if (rc < 0)
        return NULL;
      if (rc == SQLITE_ROW)
        {
          TesoroContact *contact = tesoro_contact_new ();

          tesoro_contact_set_id (contact, sqlite3_column_int64 (stmt, 0));
          tesoro_contact_set_uid (contact, tesoro_db_column_text (stmt, 1));
          tesoro_contact_set_display_name (contact, tesoro_db_column_text (stmt, 2));
          tesoro_contact_set_organization (contact, tesoro_db_column_text (stmt, 3));
          tesoro_contact_set_restricted (contact, sqlite3_column_int (stmt, 4));
          tesoro_contact_set_trashed_at (contact, tesoro_db_column_text (stmt, 5));
          tesoro_contact_set_primary_email (contact, tesoro_db_column_text (stmt, 6));
          tesoro_contact_set_consent_state (contact,
                                            sqlite3_column_type (stmt, 7) == SQLITE_NULL ? "unknown"
                                            : sqlite3_column_int (stmt, 7) ? "granted" : "withdrawn");
          tesoro_contact_set_legal_hold (contact, sqlite3_column_int (stmt, 8));
          tesoro_contact_set_last_activity_at (contact, tesoro_db_column_text (stmt, 9));
          g_ptr_array_add (contacts, contact);
        }
      sqlite3_reset (stmt);
    }

  return g_steal_pointer (&contacts);
}

static gboolean
sqlite_get_contact_state (TesoroBackend       *backend,
                          gint64               id,
                          TesoroContactState  *state,
                          GError             **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  int rc;

  memset (state, 0, sizeof *state);
  stmt = tesoro_db_prepare_with (self->db, error,
                                 "SELECT uid, restricted, legal_hold, legal_hold_reason, lawful_basis, trashed_at"
                                 " FROM contacts WHERE id = ?1",
                                 "i", id);
  if (stmt == NULL)
    return FALSE;
  rc = tesoro_db_step (self->db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _tesoro_sqlite_not_found (error, id);
    }

  state->uid = tesoro_db_column_dup (stmt, 0);
  state->restricted = sqlite3_column_int (stmt, 1);
  state->legal_hold = sqlite3_column_int (stmt, 2);
  state->legal_hold_reason = tesoro_db_column_dup (stmt, 3);
  state->lawful_basis = tesoro_db_column_dup (stmt, 4);
  state->trashed_at = tesoro_db_column_dup (stmt, 5);
  sqlite3_reset (stmt);
  return TRUE;
}

static gint64
sqlite_find_by_uid (TesoroBackend  *backend,
                    const char     *uid,
                    gboolean        include_trash,
                    GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (include_trash)
    return tesoro_db_query_id (self->db, error, "SELECT id FROM contacts WHERE uid = ?1", "s", uid);
  return tesoro_db_query_id (self->db, error, "SELECT id FROM contacts WHERE uid = ?1 AND trashed_at IS NULL",
                             "s", uid);
}

/* The first contact (not in the trash) with this e-mail address, compared
 * without regard to case. */
static gint64
sqlite_find_by_email (TesoroBackend  *backend,
                      const char     *email,
                      GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  return tesoro_db_query_id (self->db, error,
                             "SELECT min (e.contact_id) FROM contact_emails e"
                             " JOIN contacts c ON c.id = e.contact_id"
                             " WHERE e.value = ?1 COLLATE NOCASE AND c.trashed_at IS NULL",
                             "s", email);
}

/* Trash: sets trashed_at to @stamp where it is not set; restore: clears it
 * where it is set (and, with @stamp, only where it is @stamp). */
static gboolean
sqlite_set_trashed (TesoroBackend  *backend,
                    gint64          id,
                    gboolean        trash,
                    const char     *stamp,
                    gboolean       *changed,
                    GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gboolean ok;

  if (trash)
    ok = tesoro_db_run (self->db, error, "UPDATE contacts SET trashed_at = ?2 WHERE id = ?1 AND trashed_at IS NULL",
                        "is", id, stamp);
  else if (stamp != NULL)
    ok = tesoro_db_run (self->db, error, "UPDATE contacts SET trashed_at = NULL WHERE id = ?1 AND trashed_at = ?2",
                        "is", id, stamp);
  else
    ok = tesoro_db_run (self->db, error,
                        "UPDATE contacts SET trashed_at = NULL WHERE id = ?1 AND trashed_at IS NOT NULL", "i", id);

  if (ok && changed != NULL)
    *changed = tesoro_db_changes (self->db) > 0;
  return ok;
}

static gboolean
sqlite_set_restricted (TesoroBackend  *backend,
                       gint64          id,
                       gboolean        restricted,
                       GError        **error)
{
  return tesoro_db_run (SQLITE_BACKEND (backend)->db, error, "UPDATE contacts SET restricted = ?2 WHERE id = ?1",
                        "ib", id, restricted);
}

static gboolean
sqlite_set_legal_hold (TesoroBackend  *backend,
                       gint64          id,
                       gboolean        legal_hold,
                       const char     *reason,
                       GError        **error)
{
  return tesoro_db_run (SQLITE_BACKEND (backend)->db, error,
                        "UPDATE contacts SET legal_hold = ?2, legal_hold_reason = ?3 WHERE id = ?1",
                        "ibs", id, legal_hold, reason);
}

/* ON DELETE CASCADE takes every linked row with it, the search index
 * included; secure_delete and the scrubbing VFS overwrite them where they
 * were. */
static gboolean
sqlite_delete_contact (TesoroBackend  *backend,
                       gint64          id,
                       GError        **error)
{
  return tesoro_db_run (SQLITE_BACKEND (backend)->db, error, "DELETE FROM contacts WHERE id = ?1", "i", id);
}

static gboolean
sqlite_delete_unused_names (TesoroBackend  *backend,
                            GError        **error)
{
  return tesoro_db_exec (SQLITE_BACKEND (backend)->db,
                         "DELETE FROM tags WHERE NOT EXISTS"
                         " (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = tags.id);"
                         "DELETE FROM custom_fields WHERE NOT EXISTS"
                         " (SELECT 1 FROM contact_custom_values v WHERE v.field_id = custom_fields.id);",
                         error);
}

/* Queries by criteria: the SQL is built from the query (and cached by its
 * text, as a query is one of a few shapes). */
static char *
query_sql (const char               *columns,
           const TesoroContactQuery *query)
{
  GString *sql = g_string_new ("SELECT ");

  g_string_append (sql, columns);
  g_string_append (sql, " FROM contacts");
  if (query->inactive_before != NULL)
    g_string_append (sql, " INDEXED BY contacts_by_activity");
  g_string_append (sql, " WHERE 1");
  if (query->trash == 0)
    g_string_append (sql, " AND trashed_at IS NULL");
  else if (query->trash > 0)
    g_string_append (sql, " AND trashed_at IS NOT NULL");
  if (query->legal_hold >= 0)
    g_string_append_printf (sql, " AND legal_hold = %d", query->legal_hold > 0);
  if (query->trashed_before != NULL)
    g_string_append (sql, " AND trashed_at < ?1");
  if (query->inactive_before != NULL)
    g_string_append (sql, " AND last_activity_at < ?2");
  return g_string_free (sql, FALSE);
}

static sqlite3_stmt *
prepare_query (TesoroSqliteBackend       *self,
               const char                *sql,
               const TesoroContactQuery  *query,
               GError                   **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (tesoro_db_get_handle (self->db), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      tesoro_db_set_error (self->db, error, rc, NULL);
      return NULL;
    }
  if (query->trashed_before != NULL)
    tesoro_db_bind_text (stmt, 1, query->trashed_before);
  if (query->inactive_before != NULL)
    tesoro_db_bind_text (stmt, 2, query->inactive_before);
  return stmt;
}

static gint64
sqlite_count_contacts (TesoroBackend             *backend,
                       const TesoroContactQuery  *query,
                       GError                   **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  /* The two counts of the window, on their indexes. */
  if (query->trash == 0 && query->legal_hold < 0 && query->trashed_before == NULL && query->inactive_before == NULL)
    return tesoro_db_query_int (self->db, "SELECT count(*) FROM contacts WHERE trashed_at IS NULL", error);
  if (query->trash > 0 && query->legal_hold < 0 && query->trashed_before == NULL && query->inactive_before == NULL)
    return tesoro_db_query_int (self->db, "SELECT count(*) FROM contacts WHERE trashed_at IS NOT NULL", error);

  sql = query_sql ("count (*)", query);
  stmt = prepare_query (self, sql, query, error);
  if (stmt == NULL)
    return -1;
  if (tesoro_db_step (self->db, stmt, error) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static GArray *
sqlite_select_contacts (TesoroBackend             *backend,
                        const TesoroContactQuery  *query,
                        GError                   **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *where = query_sql ("id", query);
  g_autoptr(GString) sql = g_string_new (where);
  sqlite3_stmt *stmt;
  int rc;

  switch (query->order)
    {
    case TESORO_ORDER_TRASHED:
      g_string_append (sql, " ORDER BY trashed_at, id");
      break;
    case TESORO_ORDER_ACTIVITY:
      g_string_append (sql, " ORDER BY last_activity_at, id");
      break;
    case TESORO_ORDER_ID:
    default:
      g_string_append (sql, " ORDER BY id");
      break;
    }

  stmt = prepare_query (self, sql->str, query, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tesoro_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

static gboolean
sqlite_count_linked (TesoroBackend       *backend,
                     gint64               id,
                     TesoroLinkedCounts  *counts,
                     GError             **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;

  memset (counts, 0, sizeof *counts);
  stmt = tesoro_db_prepare_with (self->db, error,
                                 "SELECT (SELECT count(*) FROM contact_emails WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM contact_phones WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM contact_addresses WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM contact_custom_values WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM contact_tags WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM notes WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM messages WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM tasks WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM activities WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM consent_events WHERE contact_id = ?1),"
                                 " (SELECT count(*) FROM search_terms INDEXED BY search_terms_by_contact"
                                 "   WHERE contact_id = ?1)",
                                 "i", id);
  if (stmt == NULL || tesoro_db_step (self->db, stmt, error) != SQLITE_ROW)
    return FALSE;

  counts->emails = sqlite3_column_int (stmt, 0);
  counts->phones = sqlite3_column_int (stmt, 1);
  counts->addresses = sqlite3_column_int (stmt, 2);
  counts->custom_fields = sqlite3_column_int (stmt, 3);
  counts->tags = sqlite3_column_int (stmt, 4);
  counts->notes = sqlite3_column_int (stmt, 5);
  counts->messages = sqlite3_column_int (stmt, 6);
  counts->tasks = sqlite3_column_int (stmt, 7);
  counts->activities = sqlite3_column_int (stmt, 8);
  counts->consent_events = sqlite3_column_int (stmt, 9);
  counts->search_terms = sqlite3_column_int (stmt, 10);
  sqlite3_reset (stmt);

  return TRUE;
}

/* Fields one at a time */

static char *
sqlite_get_scalar (TesoroBackend      *backend,
                   gint64              id,
                   TesoroScalarField   field,
                   GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (field == TESORO_SCALAR_ORGANIZATION)
    return tesoro_db_query_text (self->db, error, "SELECT nullif (organization, '') FROM contacts WHERE id = ?1",
                                 "i", id);
  return tesoro_db_query_text (self->db, error, "SELECT lawful_basis FROM contacts WHERE id = ?1", "i", id);
}

static gboolean
sqlite_set_scalar (TesoroBackend      *backend,
                   gint64              id,
                   TesoroScalarField   field,
                   const char         *value,
                   GError            **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (field == TESORO_SCALAR_ORGANIZATION)
    return tesoro_db_run (self->db, error, "UPDATE contacts SET organization = ?2 WHERE id = ?1", "ie", id, value);
  return tesoro_db_run (self->db, error, "UPDATE contacts SET lawful_basis = ?2 WHERE id = ?1", "is", id, value);
}

static gboolean
sqlite_get_first_city (TesoroBackend  *backend,
                       gint64          id,
                       char          **city,
                       guint          *n_addresses,
                       GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GError) local_error = NULL;
  gint64 n;

  *city = tesoro_db_query_text (self->db, &local_error,
                                "SELECT nullif (city, '') FROM contact_addresses WHERE contact_id = ?1"
                                " ORDER BY position, id LIMIT 1",
                                "i", id);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  n = tesoro_db_query_id (self->db, error, "SELECT count (*) FROM contact_addresses WHERE contact_id = ?1", "i", id);
  if (n < 0)
    return FALSE;
  *n_addresses = (guint) n;
  return TRUE;
}

static gboolean
sqlite_set_first_city (TesoroBackend  *backend,
                       gint64          id,
                       const char     *city,
                       gboolean        add_address,
                       GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (add_address)
    return tesoro_db_run (self->db, error,
                          "INSERT INTO contact_addresses (contact_id, position, label, city)"
                          " VALUES (?1, 0, 'other', ?2)",
                          "is", id, city);

  return tesoro_db_run (self->db, error,
                        "UPDATE contact_addresses SET city = ?2 WHERE id ="
                        " (SELECT id FROM contact_addresses WHERE contact_id = ?1"
                        "  ORDER BY position, id LIMIT 1)",
                        "ie", id, city);
}

static gboolean
sqlite_remove_addresses (TesoroBackend  *backend,
                         gint64          id,
                         GError        **error)
{
  return tesoro_db_run (SQLITE_BACKEND (backend)->db, error, "DELETE FROM contact_addresses WHERE contact_id = ?1",
                        "i", id);
}

/* The id of the tag or custom field @name (matched without regard to case),
 * made first when @create; 0 when there is none. */
static gint64
sqlite_find_name (TesoroBackend   *backend,
                  TesoroNameKind   kind,
                  const char      *name,
                  gboolean         create,
                  char           **stored_name,
                  GError         **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gint64 id = find_name (self, kind, name, create, error);

  if (stored_name != NULL)
    *stored_name = id <= 0 ? NULL
                   : kind == TESORO_NAME_TAG
                   ? tesoro_db_query_text (self->db, NULL, "SELECT name FROM tags WHERE id = ?1", "i", id)
                   : tesoro_db_query_text (self->db, NULL, "SELECT name FROM custom_fields WHERE id = ?1", "i", id);

  return id;
}

static gboolean
sqlite_delete_name_if_unused (TesoroBackend   *backend,
                              TesoroNameKind   kind,
                              gint64           name_id,
                              GError         **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (kind == TESORO_NAME_TAG)
    return tesoro_db_run (self->db, error,
                          "DELETE FROM tags WHERE id = ?1 AND NOT EXISTS"
                          " (SELECT 1 FROM contact_tags WHERE tag_id = ?1)", "i", name_id);
  return tesoro_db_run (self->db, error,
                        "DELETE FROM custom_fields WHERE id = ?1 AND NOT EXISTS"
                        " (SELECT 1 FROM contact_custom_values WHERE field_id = ?1)", "i", name_id);
}

static GStrv
sqlite_list_names (TesoroBackend   *backend,
                   TesoroNameKind   kind,
                   GError         **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (1, g_free, TRUE);

  if (!tesoro_db_collect (self->db, error, names, map_text,
                          kind == TESORO_NAME_TAG ? "SELECT name FROM tags ORDER BY name COLLATE NOCASE"
                                                  : "SELECT name FROM custom_fields ORDER BY name COLLATE NOCASE",
                          ""))
    return NULL;
  return (GStrv) g_ptr_array_steal (names, NULL);
}

static gboolean
sqlite_get_custom_value (TesoroBackend  *backend,
                         gint64          id,
                         gint64          field_id,
                         char          **value,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = tesoro_db_query_text (SQLITE_BACKEND (backend)->db, &local_error,
                                 "SELECT value FROM contact_custom_values WHERE contact_id = ?1 AND field_id = ?2",
                                 "ii", id, field_id);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Sets the value (appended after the contact's others), or removes it when
 * @value is NULL. */
static gboolean
sqlite_set_custom_value (TesoroBackend  *backend,
                         gint64          id,
                         gint64          field_id,
                         const char     *value,
                         GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);

  if (value == NULL)
    return tesoro_db_run (self->db, error,
                          "DELETE FROM contact_custom_values WHERE contact_id = ?1 AND field_id = ?2",
                          "ii", id, field_id);

  return tesoro_db_run (self->db, error,
                        "INSERT INTO contact_custom_values (contact_id, field_id, position, value)"
                        " VALUES (?1, ?2, (SELECT ifnull (max (position) + 1, 0)"
                        "  FROM contact_custom_values WHERE contact_id = ?1), ?3)"
                        " ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value",
                        "iis", id, field_id, value);
}

/* Where the tag is among the contact's tags; -1 when it has not got it. */
static gboolean
sqlite_get_tag_position (TesoroBackend  *backend,
                         gint64          id,
                         gint64          tag_id,
                         gint64         *position,
                         GError        **error)
{
  /* One more than the position, so that 0 is "no row" and -1 an error. */
  gint64 found = tesoro_db_query_id (SQLITE_BACKEND (backend)->db, error,
                                     "SELECT position + 1 FROM contact_tags WHERE contact_id = ?1 AND tag_id = ?2",
                                     "ii", id, tag_id);

  *position = found - 1;
  return found >= 0;
}

/* Adds the tag at @position, or after the others when @position is -1. */
static gboolean
sqlite_add_tag (TesoroBackend  *backend,
                gint64          id,
                gint64          tag_id,
                gint64          position,
                gboolean       *changed,
                GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gboolean ok;

  if (position < 0)
    ok = tesoro_db_run (self->db, error,
                        "INSERT INTO contact_tags (contact_id, tag_id, position)"
                        " VALUES (?1, ?2, (SELECT ifnull (max (position) + 1, 0)"
                        "  FROM contact_tags WHERE contact_id = ?1))"
                        " ON CONFLICT DO NOTHING",
                        "ii", id, tag_id);
  else
    ok = tesoro_db_run (self->db, error,
                        "INSERT INTO contact_tags (contact_id, tag_id, position) VALUES (?1, ?2, ?3)"
                        " ON CONFLICT DO NOTHING",
                        "iii", id, tag_id, position);

  *changed = ok && tesoro_db_changes (self->db) > 0;
  return ok;
}

static gboolean
sqlite_remove_tag (TesoroBackend  *backend,
                   gint64          id,
                   gint64          tag_id,
                   gboolean       *changed,
                   GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  gboolean ok = tesoro_db_run (self->db, error, "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag_id = ?2",
                               "ii", id, tag_id);

  *changed = ok && tesoro_db_changes (self->db) > 0;
  return ok;
}

/* Rewrites the contact's search index rows from what is stored now (after
 * a change of one field). */
static gboolean
sqlite_reindex_contact (TesoroBackend  *backend,
                        gint64          id,
                        GError        **error)
{
  TesoroSqliteBackend *self = SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) contacts = NULL;

  contacts = sqlite_load_contacts (backend, &id, 1, TESORO_FIELDS_EMAILS | TESORO_FIELDS_PHONES |
                                   TESORO_FIELDS_ADDRESSES, error);
  if (contacts == NULL)
    return FALSE;
  if (contacts->len == 0)
    return _tesoro_sqlite_not_found (error, id);

  return _tesoro_sqlite_index_contact (self, contacts->pdata[0], FALSE, error);
}

void
_tesoro_sqlite_contacts_init (TesoroBackendInterface *iface)
{
  iface->insert_contact = sqlite_insert_contact;
  iface->update_contact = sqlite_update_contact;
  iface->touch_contact = sqlite_touch_contact;
  iface->load_contacts = sqlite_load_contacts;
  iface->load_summaries = sqlite_load_summaries;
  iface->get_contact_state = sqlite_get_contact_state;
  iface->find_by_uid = sqlite_find_by_uid;
  iface->find_by_email = sqlite_find_by_email;
  iface->set_trashed = sqlite_set_trashed;
  iface->set_restricted = sqlite_set_restricted;
  iface->set_legal_hold = sqlite_set_legal_hold;
  iface->delete_contact = sqlite_delete_contact;
  iface->delete_unused_names = sqlite_delete_unused_names;
  iface->count_contacts = sqlite_count_contacts;
  iface->select_contacts = sqlite_select_contacts;
  iface->count_linked = sqlite_count_linked;
  iface->get_scalar = sqlite_get_scalar;
  iface->set_scalar = sqlite_set_scalar;
  iface->get_first_city = sqlite_get_first_city;
  iface->set_first_city = sqlite_set_first_city;
  iface->remove_addresses = sqlite_remove_addresses;
  iface->find_name = sqlite_find_name;
  iface->delete_name_if_unused = sqlite_delete_name_if_unused;
  iface->list_names = sqlite_list_names;
  iface->get_custom_value = sqlite_get_custom_value;
  iface->set_custom_value = sqlite_set_custom_value;
  iface->get_tag_position = sqlite_get_tag_position;
  iface->add_tag = sqlite_add_tag;
  iface->remove_tag = sqlite_remove_tag;
  iface->reindex_contact = sqlite_reindex_contact;
}
