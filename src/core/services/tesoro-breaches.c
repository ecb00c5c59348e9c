/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-breaches"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tesoro-access.h"
#include "tesoro-breaches.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * The breach log: the rules (who may, what a valid entry is) and the
 * accountability of each entry. The storage keeps the log append-only;
 * folding the events into a breach's state is the model's
 * (tesoro-breach.c).
 */

/* @text in stored form, or an error naming @field. */
static char *
normalize_moment (const char  *field,
                  const char  *text,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *normalized;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s” is required: give a date and time"), field);
      return NULL;
    }
  normalized = tesoro_normalize_timestamp (text, FALSE, &local_error);
  if (normalized == NULL)
    g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s”: %s"), field, local_error->message);
  return normalized;
}

/* A short piece of text, given and of sensible length. */
static gboolean
check_required (const char  *field,
                const char  *text,
                gsize        max_bytes,
                GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (*stripped == '\0')
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s” is required"), field);
      return FALSE;
    }
  return tesoro_check_text (field, text, max_bytes, error);
}

/* The accountability log names the breach by its uid and the event by its
 * kind; for a correction, the names of the fields changed. Never text. */
static gboolean
audit_event (TesoroSession  *self,
             TesoroBreach   *breach,
             const char     *kind,
             JsonNode       *fields,
             GError        **error)
{
  JsonNode *details;

  if (kind == NULL)
    details = tesoro_json_object_new ("breach", 's', tesoro_breach_get_uid (breach), NULL);
  else if (fields == NULL)
    details = tesoro_json_object_new ("breach", 's', tesoro_breach_get_uid (breach), "kind", 's', kind, NULL);
  else
    details = tesoro_json_object_new ("breach", 's', tesoro_breach_get_uid (breach), "kind", 's', kind,
                                      "fields", 'n', fields, NULL);

  return _tesoro_session_audit (self, kind == NULL ? TESORO_AUDIT_BREACH_RECORDED : TESORO_AUDIT_BREACH_EVENT,
                                NULL, details, error);
}

/* Appends an event of @kind with @details (taken) to the breach, in one
 * transaction with its audit entry (@audit_fields, taken, for a
 * correction). */

static TesoroBreach *
append_event (TesoroSession  *self,
              gint64          breach_id,
              const char     *kind,
              JsonNode       *details,
              JsonNode       *audit_fields,
              GError        **error)
{
  g_autoptr(JsonNode) owned_details = details;
  g_autoptr(JsonNode) owned_fields = audit_fields;
  g_autoptr(TesoroBreach) breach = NULL;
  g_autoptr(TesoroBreachEvent) event = NULL;
  g_autofree char *details_text = NULL;
  g_autofree char *now = tesoro_now_iso ();
  TesoroBackend *backend = _tesoro_session_get_backend (self);

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return NULL;

  breach = tesoro_backend_get_breach (backend, breach_id, error);
  if (breach == NULL)
    {
      _tesoro_session_fail (self);
      return NULL;
    }

  details_text = tesoro_json_to_string (owned_details, FALSE);
  event = tesoro_breach_event_new (0, breach_id, now, tesoro_session_get_actor (self), kind, details_text);
  if (!tesoro_backend_add_breach_event (backend, event, error) ||
      !audit_event (self, breach, kind, g_steal_pointer (&owned_fields), error) ||
      !_tesoro_session_commit (self, error))
    {
      _tesoro_session_fail (self);
      return NULL;
    }

  tesoro_breach_add_event (breach, event);
  return g_steal_pointer (&breach);
}

/* The breach as it stands, for checking a new event against it. */
static TesoroBreach *
load_for_event (TesoroSession  *self,
                gint64          breach_id,
                GError        **error)
{
  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;
  return tesoro_backend_get_breach (_tesoro_session_get_backend (self), breach_id, error);
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  TesoroBreach *x = *(TesoroBreach **) a;
  TesoroBreach *y = *(TesoroBreach **) b;
  int by_time = g_strcmp0 (tesoro_breach_get_discovered_at (y), tesoro_breach_get_discovered_at (x));

  if (by_time != 0)
    return by_time;
  return tesoro_breach_get_id (y) < tesoro_breach_get_id (x) ? -1 : tesoro_breach_get_id (y) > tesoro_breach_get_id (x);
}

/* Public API */

/**
 * tesoro_session_record_breach:
 * @facts: what is known; @facts->discovered_at is when the organisation
 *   became aware of the breach (the 72 hours run from then)
 *
 * Enters a breach in the log.
 *
 * Returns: (transfer full): the breach as stored, or %NULL with @error
 *   naming the field that breaks a rule
 */
TesoroBreach *
tesoro_session_record_breach (TesoroSession            *self,
                              const TesoroBreachFacts  *facts,
                              GError                  **error)
{
  g_autoptr(TesoroBreach) breach = NULL;
  g_autofree char *discovered = NULL;
  g_autofree char *now = tesoro_now_iso ();
  g_autofree char *uid = tesoro_uuid_new ();
  TesoroBreachFacts normalized;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  g_return_val_if_fail (facts != NULL, NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;

  discovered = normalize_moment ("discovered_at", facts->discovered_at, error);
  if (discovered == NULL)
    return NULL;
  normalized = *facts;
  normalized.discovered_at = discovered;
  if (!tesoro_breach_facts_validate (&normalized, TESORO_BREACH_FIELDS_ALL, now, NULL, error))
    return NULL;

  breach = tesoro_breach_new (0, uid, now, tesoro_session_get_actor (self), &normalized);

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return NULL;
  if (!tesoro_backend_add_breach (_tesoro_session_get_backend (self), breach, error) ||
      !audit_event (self, breach, NULL, NULL, error) ||
      !_tesoro_session_commit (self, error))
    {
      _tesoro_session_fail (self);
      return NULL;
    }

  return g_steal_pointer (&breach);
}

/* One of the two duties of a breach: what the event of each kind is called
 * and holds. */
typedef struct
{
  const char *done_kind;
  const char *not_required_kind;
  const char *at_key;
  const char *text_key;
  gboolean    text_required;
} Duty;

static const Duty authority_duty = {
  TESORO_BREACH_EVENT_AUTHORITY_NOTIFIED, TESORO_BREACH_EVENT_AUTHORITY_NOT_REQUIRED, "notified_at", "reference", FALSE,
};
static const Duty people_duty = {
  TESORO_BREACH_EVENT_PEOPLE_INFORMED, TESORO_BREACH_EVENT_PEOPLE_NOT_REQUIRED, "informed_at", "how", TRUE,
};

/* Done at @at (not before the discovery, not in the future) with @text, or
 * not required for the reason in @text. */
static TesoroBreach *
record_duty (TesoroSession  *self,
             const Duty     *duty,
             gint64          breach_id,
             gboolean        done,
             const char     *at,
             const char     *text,
             GError        **error)
{
  g_autoptr(TesoroBreach) current = NULL;
  g_autofree char *when = NULL;
  gboolean text_ok;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  current = load_for_event (self, breach_id, error);
  if (current == NULL)
    return NULL;

  if (!done)
    {
      if (!check_required ("reason", text, TESORO_MAX_LONG_TEXT, error))
        return NULL;
      return append_event (self, breach_id, duty->not_required_kind,
                           tesoro_json_object_new ("reason", 's', text, NULL), NULL, error);
    }

  when = normalize_moment (duty->at_key, at, error);
  if (when == NULL ||
      !tesoro_breach_check_moment (duty->at_key, when, tesoro_breach_get_discovered_at (current), NULL, error))
    return NULL;
  text_ok = duty->text_required ? check_required (duty->text_key, text, TESORO_MAX_SHORT_TEXT, error)
                                : tesoro_check_text (duty->text_key, text, TESORO_MAX_SHORT_TEXT, error);
  if (!text_ok)
    return NULL;

  return append_event (self, breach_id, duty->done_kind,
                       tesoro_json_object_new (duty->at_key, 's', when, duty->text_key, 's', text != NULL ? text : "",
                                               NULL),
                       NULL, error);
}

/**
 * tesoro_session_record_breach_authority:
 * @notified: %TRUE: the supervisory authority was notified (Art. 33);
 *   %FALSE: notifying it is not required, for the reason in @text
 * @at: (nullable): when it was notified (with @notified)
 * @text: (nullable): the authority's reference (optional), or the reason
 *   why notifying is not required (required)
 *
 * Returns: (transfer full): the breach with the event folded in
 */
TesoroBreach *
tesoro_session_record_breach_authority (TesoroSession  *self,
                                        gint64          breach_id,
                                        gboolean        notified,
                                        const char     *at,
                                        const char     *text,
                                        GError        **error)
{
  return record_duty (self, &authority_duty, breach_id, notified, at, text, error);
}

/**
 * tesoro_session_record_breach_people:
 * @informed: %TRUE: the people affected were informed (Art. 34); %FALSE:
 *   informing them is not required, for the reason in @text
 * @at: (nullable): when they were informed (with @informed)
 * @text: how they were informed, or why informing them is not required
 *
 * Returns: (transfer full): the breach with the event folded in
 */
TesoroBreach *
tesoro_session_record_breach_people (TesoroSession  *self,
                                     gint64          breach_id,
                                     gboolean        informed,
                                     const char     *at,
                                     const char     *text,
                                     GError        **error)
{
  return record_duty (self, &people_duty, breach_id, informed, at, text, error);
}

static void
add_changed_text (JsonBuilder        *details,
                  JsonBuilder        *names,
                  TesoroBreachFields  field,
                  const char         *old_value,
                  const char         *new_value)
{
  if (g_strcmp0 (old_value, new_value != NULL ? new_value : "") == 0)
    return;
  json_builder_set_member_name (details, tesoro_breach_field_to_key (field));
  json_builder_add_string_value (details, new_value != NULL ? new_value : "");
  json_builder_add_string_value (names, tesoro_breach_field_to_key (field));
}

static void
add_changed_count (JsonBuilder        *details,
                   JsonBuilder        *names,
                   TesoroBreachFields  field,
                   gint64              old_value,
                   gboolean            known,
                   gint64              new_value)
{
  if (old_value == (known ? new_value : -1))
    return;
  json_builder_set_member_name (details, tesoro_breach_field_to_key (field));
  if (known)
    json_builder_add_int_value (details, new_value);
  else
    json_builder_add_null_value (details);
  json_builder_add_string_value (names, tesoro_breach_field_to_key (field));
}

/**
 * tesoro_session_correct_breach:
 * @facts: the corrected facts
 * @fields: which of @facts to take; the others stay as they are
 *
 * Records a correction of, or an addition to, the facts: the breach then
 * shows the new values, and its history keeps every earlier one. Fields
 * whose value does not change are left out; a correction that changes
 * nothing is refused.
 *
 * Returns: (transfer full): the breach with the correction folded in
 */
TesoroBreach *
tesoro_session_correct_breach (TesoroSession            *self,
                               gint64                    breach_id,
                               const TesoroBreachFacts  *facts,
                               TesoroBreachFields        fields,
                               GError                  **error)
{
  g_autoptr(TesoroBreach) current = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autoptr(JsonBuilder) names = json_builder_new ();
  g_autoptr(JsonNode) names_node = NULL;
  g_autofree char *discovered = NULL;
  g_autofree char *now = tesoro_now_iso ();
  TesoroBreachFacts normalized;
  TesoroBreachFacts old;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);
  g_return_val_if_fail (facts != NULL, NULL);

  current = load_for_event (self, breach_id, error);
  if (current == NULL)
    return NULL;

  normalized = *facts;
  if (fields & TESORO_BREACH_FIELD_DISCOVERED)
    {
      discovered = normalize_moment ("discovered_at", facts->discovered_at, error);
      if (discovered == NULL)
        return NULL;
      normalized.discovered_at = discovered;
    }
  if (!tesoro_breach_facts_validate (&normalized, fields, now, NULL, error))
    return NULL;

  tesoro_breach_get_facts (current, &old);
  json_builder_begin_object (details);
  json_builder_begin_array (names);
  if (fields & TESORO_BREACH_FIELD_DISCOVERED)
    add_changed_text (details, names, TESORO_BREACH_FIELD_DISCOVERED, old.discovered_at, normalized.discovered_at);
  if (fields & TESORO_BREACH_FIELD_DESCRIPTION)
    add_changed_text (details, names, TESORO_BREACH_FIELD_DESCRIPTION, old.description, normalized.description);
  if (fields & TESORO_BREACH_FIELD_CATEGORIES)
    add_changed_text (details, names, TESORO_BREACH_FIELD_CATEGORIES, old.categories, normalized.categories);
  if (fields & TESORO_BREACH_FIELD_PEOPLE)
    add_changed_count (details, names, TESORO_BREACH_FIELD_PEOPLE, tesoro_breach_get_people_affected (current),
                       normalized.people_known, normalized.people_affected);
  if (fields & TESORO_BREACH_FIELD_RECORDS)
    add_changed_count (details, names, TESORO_BREACH_FIELD_RECORDS, tesoro_breach_get_records_affected (current),
                       normalized.records_known, normalized.records_affected);
  if (fields & TESORO_BREACH_FIELD_CONSEQUENCES)
    add_changed_text (details, names, TESORO_BREACH_FIELD_CONSEQUENCES, old.consequences, normalized.consequences);
  if (fields & TESORO_BREACH_FIELD_MEASURES)
    add_changed_text (details, names, TESORO_BREACH_FIELD_MEASURES, old.measures, normalized.measures);
  json_builder_end_object (details);
  json_builder_end_array (names);

  names_node = json_builder_get_root (names);
  if (json_array_get_length (json_node_get_array (names_node)) == 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("The correction changes nothing: every fact is as recorded"));
      return NULL;
    }

  return append_event (self, breach_id, TESORO_BREACH_EVENT_CORRECTION, json_builder_get_root (details),
                       g_steal_pointer (&names_node), error);
}

/**
 * tesoro_session_list_breaches:
 *
 * Returns: (transfer full) (element-type TesoroBreach): every breach with
 *   its history, the most recently discovered first
 */
GPtrArray *
tesoro_session_list_breaches (TesoroSession  *self,
                              GError        **error)
{
  GPtrArray *breaches;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;

  breaches = tesoro_backend_list_breaches (_tesoro_session_get_backend (self), error);
  if (breaches != NULL)
    g_ptr_array_sort (breaches, compare_newest_first);
  return breaches;
}

/**
 * tesoro_session_get_breach:
 *
 * Returns: (transfer full): the breach with its history, or %NULL with
 *   @error (NOT_FOUND when there is none with @breach_id)
 */
TesoroBreach *
tesoro_session_get_breach (TesoroSession  *self,
                           gint64          breach_id,
                           GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  return load_for_event (self, breach_id, error);
}
