/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The breach log (GDPR Art. 33(5)): every personal data breach, with the
 * facts about it, its effects and the remedial action taken, so that the
 * supervisory authority can verify compliance. The log is append-only: a
 * breach is recorded once, and everything learnt or done later (the
 * authority notified, the people affected informed, a correction of the
 * facts) is an event appended to it. A TesoroBreach is the breach with its
 * events folded in: the newest value of each fact, and the whole history.
 *
 * The clock of Art. 33(1): the authority is to be notified within 72 hours
 * of becoming aware of the breach, unless it is unlikely to result in a
 * risk to people (then the reason is recorded instead). The deadline is the
 * moment the 72 hours end; from that moment on, a breach whose authority
 * was neither notified nor recorded as not needing it is overdue.
 */

#define TESORO_BREACH_DEADLINE_HOURS 72

/* The kinds of events, as stored. */
#define TESORO_BREACH_EVENT_AUTHORITY_NOTIFIED      "authority-notified"
#define TESORO_BREACH_EVENT_AUTHORITY_NOT_REQUIRED  "authority-not-required"
#define TESORO_BREACH_EVENT_PEOPLE_INFORMED         "people-informed"
#define TESORO_BREACH_EVENT_PEOPLE_NOT_REQUIRED     "people-not-required"
#define TESORO_BREACH_EVENT_CORRECTION              "correction"

/* Actions of the accountability log: details hold the breach's uid and the
 * event's kind (and for a correction the names of the fields), never text. */
#define TESORO_AUDIT_BREACH_RECORDED  "breach-recorded"
#define TESORO_AUDIT_BREACH_EVENT     "breach-event"

/**
 * TesoroBreachDuty:
 * @TESORO_BREACH_DUTY_PENDING: nothing recorded yet
 * @TESORO_BREACH_DUTY_DONE: the authority was notified, or the people informed
 * @TESORO_BREACH_DUTY_NOT_REQUIRED: not needed, for the recorded reason
 *
 * Where a breach stands with one of its two duties: notifying the
 * authority (Art. 33) and informing the people affected (Art. 34).
 */
typedef enum
{
  TESORO_BREACH_DUTY_PENDING,
  TESORO_BREACH_DUTY_DONE,
  TESORO_BREACH_DUTY_NOT_REQUIRED,
} TesoroBreachDuty;

/**
 * TesoroBreachDeadline:
 * @TESORO_BREACH_DEADLINE_OPEN: not notified yet, and the 72 hours still run
 * @TESORO_BREACH_DEADLINE_OVERDUE: not notified, and the 72 hours have passed
 * @TESORO_BREACH_DEADLINE_NOTIFIED: the authority was notified
 * @TESORO_BREACH_DEADLINE_NOT_REQUIRED: notifying was recorded as not required
 */
typedef enum
{
  TESORO_BREACH_DEADLINE_OPEN,
  TESORO_BREACH_DEADLINE_OVERDUE,
  TESORO_BREACH_DEADLINE_NOTIFIED,
  TESORO_BREACH_DEADLINE_NOT_REQUIRED,
} TesoroBreachDeadline;

const char *tesoro_breach_deadline_to_string (TesoroBreachDeadline deadline);
const char *tesoro_breach_duty_to_string     (TesoroBreachDuty     duty);

/**
 * TesoroBreachFields:
 *
 * The facts of a breach, one bit each: which of them a correction changes.
 */
typedef enum
{
  TESORO_BREACH_FIELD_DISCOVERED   = 1 << 0,
  TESORO_BREACH_FIELD_DESCRIPTION  = 1 << 1,
  TESORO_BREACH_FIELD_CATEGORIES   = 1 << 2,
  TESORO_BREACH_FIELD_PEOPLE       = 1 << 3,
  TESORO_BREACH_FIELD_RECORDS      = 1 << 4,
  TESORO_BREACH_FIELD_CONSEQUENCES = 1 << 5,
  TESORO_BREACH_FIELD_MEASURES     = 1 << 6,
  TESORO_BREACH_FIELDS_ALL         = (1 << 7) - 1,
} TesoroBreachFields;

const char *tesoro_breach_field_to_key (TesoroBreachFields field);

/**
 * TesoroBreachFacts:
 * @discovered_at: when the organisation became aware of it (stored form,
 *   ISO 8601 in UTC)
 * @description: what happened
 * @categories: (nullable): the categories of personal data concerned
 * @people_known: whether @people_affected holds a number
 * @people_affected: the approximate number of people concerned
 * @records_known: whether @records_affected holds a number
 * @records_affected: the approximate number of records concerned
 * @consequences: (nullable): the likely consequences
 * @measures: (nullable): the measures taken or proposed
 *
 * What is known of a breach, as a form or the command line gives it.
 * Zero-initialised, the numbers are unknown.
 */
typedef struct
{
  const char *discovered_at;
  const char *description;
  const char *categories;
  gboolean    people_known;
  gint64      people_affected;
  gboolean    records_known;
  gint64      records_affected;
  const char *consequences;
  const char *measures;
} TesoroBreachFacts;

gboolean tesoro_breach_facts_validate  (const TesoroBreachFacts  *facts,
                                        TesoroBreachFields        fields,
                                        const char               *now,
                                        TesoroBreachFields       *bad_field,
                                        GError                  **error);
gboolean tesoro_breach_check_moment    (const char               *field,
                                        const char               *at,
                                        const char               *discovered_at,
                                        const char               *now,
                                        GError                  **error);
gboolean tesoro_breach_parse_count     (const char               *field,
                                        const char               *text,
                                        gboolean                 *known,
                                        gint64                   *value,
                                        GError                  **error);

/* An event of a breach's history */

#define TESORO_TYPE_BREACH_EVENT (tesoro_breach_event_get_type ())

G_DECLARE_FINAL_TYPE (TesoroBreachEvent, tesoro_breach_event, TESORO, BREACH_EVENT, GObject)

TesoroBreachEvent *tesoro_breach_event_new            (gint64              id,
                                                       gint64              breach_id,
                                                       const char         *at,
                                                       const char         *recorded_by,
                                                       const char         *kind,
                                                       const char         *details);
gint64             tesoro_breach_event_get_id         (TesoroBreachEvent  *self);
gint64             tesoro_breach_event_get_breach_id  (TesoroBreachEvent  *self);
const char        *tesoro_breach_event_get_at         (TesoroBreachEvent  *self);
const char        *tesoro_breach_event_get_recorded_by (TesoroBreachEvent *self);
const char        *tesoro_breach_event_get_kind       (TesoroBreachEvent  *self);
const char        *tesoro_breach_event_get_details    (TesoroBreachEvent  *self);
const char        *tesoro_breach_event_get_text       (TesoroBreachEvent  *self,
                                                       const char         *key);
char              *tesoro_breach_event_describe       (TesoroBreachEvent  *self);
JsonNode          *tesoro_breach_event_to_json_node   (TesoroBreachEvent  *self);
const char        *tesoro_breach_event_kind_get_label (const char         *kind);
void               _tesoro_breach_event_set_id        (TesoroBreachEvent  *self,
                                                       gint64              id);

/* A breach, its events folded in */

#define TESORO_TYPE_BREACH (tesoro_breach_get_type ())

G_DECLARE_FINAL_TYPE (TesoroBreach, tesoro_breach, TESORO, BREACH, GObject)

TesoroBreach      *tesoro_breach_new                  (gint64                    id,
                                                       const char               *uid,
                                                       const char               *recorded_at,
                                                       const char               *recorded_by,
                                                       const TesoroBreachFacts  *facts);
void               tesoro_breach_add_event            (TesoroBreach             *self,
                                                       TesoroBreachEvent        *event);
void               _tesoro_breach_set_id              (TesoroBreach             *self,
                                                       gint64                    id);

gint64             tesoro_breach_get_id               (TesoroBreach  *self);
const char        *tesoro_breach_get_uid              (TesoroBreach  *self);
const char        *tesoro_breach_get_recorded_at      (TesoroBreach  *self);
const char        *tesoro_breach_get_recorded_by      (TesoroBreach  *self);
void               tesoro_breach_get_facts            (TesoroBreach      *self,
                                                       TesoroBreachFacts *facts);
const char        *tesoro_breach_get_discovered_at    (TesoroBreach  *self);
const char        *tesoro_breach_get_description      (TesoroBreach  *self);
char              *tesoro_breach_dup_title            (TesoroBreach  *self);
const char        *tesoro_breach_get_categories       (TesoroBreach  *self);
gint64             tesoro_breach_get_people_affected  (TesoroBreach  *self);
gint64             tesoro_breach_get_records_affected (TesoroBreach  *self);
const char        *tesoro_breach_get_consequences     (TesoroBreach  *self);
const char        *tesoro_breach_get_measures         (TesoroBreach  *self);
GListModel        *tesoro_breach_get_events           (TesoroBreach  *self);

char              *tesoro_breach_dup_deadline         (TesoroBreach  *self);
TesoroBreachDeadline tesoro_breach_get_deadline_state (TesoroBreach  *self,
                                                       const char    *now,
                                                       gint64        *seconds_left);
gboolean           tesoro_breach_is_overdue           (TesoroBreach  *self,
                                                       const char    *now);
char              *tesoro_breach_describe_deadline    (TesoroBreach  *self,
                                                       const char    *now);
char              *tesoro_breach_describe_people      (TesoroBreach  *self);

TesoroBreachDuty   tesoro_breach_get_authority_duty   (TesoroBreach  *self);
const char        *tesoro_breach_get_notified_at      (TesoroBreach  *self);
const char        *tesoro_breach_get_notified_reference (TesoroBreach *self);
const char        *tesoro_breach_get_authority_reason (TesoroBreach  *self);
gboolean           tesoro_breach_was_notified_late    (TesoroBreach  *self);
TesoroBreachDuty   tesoro_breach_get_people_duty      (TesoroBreach  *self);
const char        *tesoro_breach_get_informed_at      (TesoroBreach  *self);
const char        *tesoro_breach_get_informed_how     (TesoroBreach  *self);
const char        *tesoro_breach_get_people_reason    (TesoroBreach  *self);

JsonNode          *tesoro_breach_to_json_node         (TesoroBreach  *self,
                                                       const char    *now,
                                                       gboolean       with_history);

G_END_DECLS
