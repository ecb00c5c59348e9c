/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-breach"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-breach.h"
#include "tesoro-contact-json.h"
#include "tesoro-error.h"
#include "tesoro-utils.h"

struct _TesoroBreachEvent
{
  GObject     parent_instance;

  gint64      id;
  gint64      breach_id;
  char       *at;
  char       *recorded_by;
  char       *kind;
  char       *details;
  JsonObject *parsed;
};

G_DEFINE_FINAL_TYPE (TesoroBreachEvent, tesoro_breach_event, G_TYPE_OBJECT)

enum {
  EVENT_PROP_0,
  EVENT_PROP_AT,
  EVENT_PROP_RECORDED_BY,
  EVENT_PROP_KIND,
  EVENT_PROP_DESCRIPTION,
  EVENT_N_PROPS
};

static GParamSpec *event_properties[EVENT_N_PROPS];

struct _TesoroBreach
{
  GObject           parent_instance;

  gint64            id;
  char             *uid;
  char             *recorded_at;
  char             *recorded_by;

  /* The facts, as the newest correction left them. */
  char             *discovered_at;
  char             *description;
  char             *categories;
  gint64            people_affected;   /* -1: unknown */
  gint64            records_affected;  /* -1: unknown */
  char             *consequences;
  char             *measures;

  /* Art. 33: the supervisory authority. */
  TesoroBreachDuty  authority;
  char             *notified_at;
  char             *notified_reference;
  char             *authority_reason;

  /* Art. 34: the people affected. */
  TesoroBreachDuty  people;
  char             *informed_at;
  char             *informed_how;
  char             *people_reason;

  GListStore       *events;
};

G_DEFINE_FINAL_TYPE (TesoroBreach, tesoro_breach, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UID,
  PROP_DISCOVERED_AT,
  PROP_DESCRIPTION,
  PROP_TITLE,
  PROP_PEOPLE_AFFECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Enumerations */

const char *
tesoro_breach_deadline_to_string (TesoroBreachDeadline deadline)
{
  switch (deadline)
    {
    case TESORO_BREACH_DEADLINE_OPEN:
      return "open";
    case TESORO_BREACH_DEADLINE_OVERDUE:
      return "overdue";
    case TESORO_BREACH_DEADLINE_NOTIFIED:
      return "notified";
    case TESORO_BREACH_DEADLINE_NOT_REQUIRED:
      return "not-required";
    default:
      g_return_val_if_reached ("open");
    }
}

const char *
tesoro_breach_duty_to_string (TesoroBreachDuty duty)
{
  switch (duty)
    {
    case TESORO_BREACH_DUTY_PENDING:
      return "pending";
    case TESORO_BREACH_DUTY_DONE:
      return "done";
    case TESORO_BREACH_DUTY_NOT_REQUIRED:
      return "not-required";
    default:
      g_return_val_if_reached ("pending");
    }
}

typedef struct
{
  TesoroBreachFields  field;
  const char         *key;
  const char         *label;
} FieldInfo;

/* In the order a form shows them; the keys are those of the JSON. */
static const FieldInfo field_info[] = {
  { TESORO_BREACH_FIELD_DISCOVERED, "discovered_at", N_("when discovered") },
  { TESORO_BREACH_FIELD_DESCRIPTION, "description", N_("what happened") },
  { TESORO_BREACH_FIELD_CATEGORIES, "categories", N_("categories of data") },
  { TESORO_BREACH_FIELD_PEOPLE, "people_affected", N_("people affected") },
  { TESORO_BREACH_FIELD_RECORDS, "records_affected", N_("records affected") },
  { TESORO_BREACH_FIELD_CONSEQUENCES, "consequences", N_("likely consequences") },
  { TESORO_BREACH_FIELD_MEASURES, "measures", N_("measures") },
};

/**
 * tesoro_breach_field_to_key:
 * @field: one of the fields
 *
 * Returns: its key in the JSON and in error messages ("people_affected")
 */
const char *
tesoro_breach_field_to_key (TesoroBreachFields field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    if (field_info[i].field == field)
      return field_info[i].key;
  g_return_val_if_reached ("");
}

/* Validation */

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/**
 * tesoro_breach_check_moment:
 * @field: the field's name, for the message
 * @at: a moment in stored form
 * @discovered_at: (nullable): when the breach was discovered: @at may not
 *   be earlier
 * @now: (nullable): the present, in stored form (%NULL: the clock's)
 *
 * Checks that @at is a moment, not in the future, and not before the breach
 * was discovered.
 */
gboolean
tesoro_breach_check_moment (const char  *field,
                            const char  *at,
                            const char  *discovered_at,
                            const char  *now,
                            GError     **error)
{
  g_autofree char *clock = now == NULL ? tesoro_now_iso () : NULL;
  g_autoptr(GDateTime) moment = at != NULL ? tesoro_date_time_from_iso (at) : NULL;
  g_autoptr(GDateTime) present = tesoro_date_time_from_iso (now != NULL ? now : clock);
  g_autoptr(GDateTime) discovered = discovered_at != NULL ? tesoro_date_time_from_iso (discovered_at) : NULL;

  if (is_blank (at))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID, _("Field “%s” is required: give a date and time"), field);
      return FALSE;
    }
  if (moment == NULL)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “%s”: “%.40s” is not a date and time such as 2024-03-01 14:05"), field, at);
      return FALSE;
    }
  if (present != NULL && g_date_time_compare (moment, present) > 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “%s” is in the future: record what has happened"), field);
      return FALSE;
    }
  if (discovered != NULL && g_date_time_compare (moment, discovered) < 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “%s” is before the breach was discovered"), field);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_count (const char  *field,
             gboolean     known,
             gint64       value,
             GError     **error)
{
  if (known && value < 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “%s” must be 0 or more (leave it empty when unknown)"), field);
      return FALSE;
    }
  return TRUE;
}

/* The first of @fields (in form order) that @facts breaks, with @error. */
static TesoroBreachFields
first_bad_field (const TesoroBreachFacts  *facts,
                 TesoroBreachFields        fields,
                 const char               *now,
                 GError                  **error)
{
  if ((fields & TESORO_BREACH_FIELD_DISCOVERED) &&
      !tesoro_breach_check_moment ("discovered_at", facts->discovered_at, NULL, now, error))
    return TESORO_BREACH_FIELD_DISCOVERED;

  if (fields & TESORO_BREACH_FIELD_DESCRIPTION)
    {
      if (is_blank (facts->description))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                       _("Field “description” is required: say what happened"));
          return TESORO_BREACH_FIELD_DESCRIPTION;
        }
      if (!tesoro_check_text ("description", facts->description, TESORO_MAX_LONG_TEXT, error))
        return TESORO_BREACH_FIELD_DESCRIPTION;
    }

  if ((fields & TESORO_BREACH_FIELD_CATEGORIES) &&
      !tesoro_check_text ("categories", facts->categories, TESORO_MAX_SHORT_TEXT, error))
    return TESORO_BREACH_FIELD_CATEGORIES;
  if ((fields & TESORO_BREACH_FIELD_PEOPLE) &&
      !check_count ("people_affected", facts->people_known, facts->people_affected, error))
    return TESORO_BREACH_FIELD_PEOPLE;
  if ((fields & TESORO_BREACH_FIELD_RECORDS) &&
      !check_count ("records_affected", facts->records_known, facts->records_affected, error))
    return TESORO_BREACH_FIELD_RECORDS;
  if ((fields & TESORO_BREACH_FIELD_CONSEQUENCES) &&
      !tesoro_check_text ("consequences", facts->consequences, TESORO_MAX_LONG_TEXT, error))
    return TESORO_BREACH_FIELD_CONSEQUENCES;
  if ((fields & TESORO_BREACH_FIELD_MEASURES) &&
      !tesoro_check_text ("measures", facts->measures, TESORO_MAX_LONG_TEXT, error))
    return TESORO_BREACH_FIELD_MEASURES;

  return 0;
}

/**
 * tesoro_breach_facts_validate:
 * @fields: which of the facts to check
 * @now: (nullable): the present, in stored form (%NULL: the clock's)
 * @bad_field: (out) (optional): the field that breaks a rule, for a form to
 *   mark it
 *
 * The rules of the facts: a discovery time that is a moment and not in the
 * future, a description, counts of 0 or more, text of sensible length.
 *
 * Returns: whether they hold; if not, @error names the field
 */
gboolean
tesoro_breach_facts_validate (const TesoroBreachFacts  *facts,
                              TesoroBreachFields        fields,
                              const char               *now,
                              TesoroBreachFields       *bad_field,
                              GError                  **error)
{
  TesoroBreachFields bad;

  g_return_val_if_fail (facts != NULL, FALSE);

  bad = first_bad_field (facts, fields, now, error);
  if (bad_field != NULL)
    *bad_field = bad;
  return bad == 0;
}

/**
 * tesoro_breach_parse_count:
 * @field: the field's name, for the message
 * @text: (nullable): a whole number as typed; empty when unknown
 * @known: (out): whether @text held a number
 * @value: (out): the number (a negative one is for the rules to refuse)
 *
 * Returns: whether @text is empty or a whole number
 */
gboolean
tesoro_breach_parse_count (const char  *field,
                           const char  *text,
                           gboolean    *known,
                           gint64      *value,
                           GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  *known = FALSE;
  *value = 0;
  if (*stripped == '\0')
    return TRUE;

  if (!g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, value, NULL))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “%s” must be a whole number, such as 120 (leave it empty when unknown)"), field);
      return FALSE;
    }
  *known = TRUE;
  return TRUE;
}

/* TesoroBreachEvent */

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();
  return json_object_ref (json_node_get_object (root));
}

static gboolean
member_is_string (JsonObject *object,
                  const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/**
 * tesoro_breach_event_get_text:
 * @key: a member of the details ("reference", "reason", …)
 *
 * Returns: the text the details hold under @key, or "" when none
 */
const char *
tesoro_breach_event_get_text (TesoroBreachEvent *self,
                              const char        *key)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), "");

  return member_is_string (self->parsed, key) ? json_object_get_string_member (self->parsed, key) : "";
}

/* A count of a correction: -1 for unknown (null). */
static gint64
member_count (JsonObject *object,
              const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

/**
 * tesoro_breach_event_kind_get_label:
 *
 * Returns: what an event of @kind is, for a person ("Authority notified")
 */
const char *
tesoro_breach_event_kind_get_label (const char *kind)
{
  if (g_strcmp0 (kind, TESORO_BREACH_EVENT_AUTHORITY_NOTIFIED) == 0)
    return _("Authority notified");
  if (g_strcmp0 (kind, TESORO_BREACH_EVENT_AUTHORITY_NOT_REQUIRED) == 0)
    return _("Authority notification not required");
  if (g_strcmp0 (kind, TESORO_BREACH_EVENT_PEOPLE_INFORMED) == 0)
    return _("People informed");
  if (g_strcmp0 (kind, TESORO_BREACH_EVENT_PEOPLE_NOT_REQUIRED) == 0)
    return _("Informing the people not required");
  if (g_strcmp0 (kind, TESORO_BREACH_EVENT_CORRECTION) == 0)
    return _("Facts corrected");
  if (g_strcmp0 (kind, "recorded") == 0)
    return _("Breach recorded");
  return kind != NULL ? kind : "";
}

static void
describe_correction (TesoroBreachEvent *self,
                     GString           *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    {
      const char *key = field_info[i].key;
      g_autofree char *value = NULL;

      if (!json_object_has_member (self->parsed, key))
        continue;

      if (field_info[i].field == TESORO_BREACH_FIELD_PEOPLE || field_info[i].field == TESORO_BREACH_FIELD_RECORDS)
        {
          gint64 n = member_count (self->parsed, key);

          value = n < 0 ? g_strdup (_("unknown")) : g_strdup_printf ("%" G_GINT64_FORMAT, n);
        }
      else if (field_info[i].field == TESORO_BREACH_FIELD_DISCOVERED)
        value = tesoro_format_timestamp_local (tesoro_breach_event_get_text (self, key));
      else
        value = g_strdup (tesoro_breach_event_get_text (self, key));

      g_string_append_c (text, '\n');
      /* Translators: one corrected fact: what it is, and its new value ("people affected: 120") */
      g_string_append_printf (text, _("%s: %s"), _(field_info[i].label), *value != '\0' ? value : _("(empty)"));
    }
}

/**
 * tesoro_breach_event_describe:
 *
 * Returns: (transfer full): what the event recorded, for a person
 */
char *
tesoro_breach_event_describe (TesoroBreachEvent *self)
{
  g_autoptr(GString) text = NULL;
  const char *k;

  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), NULL);

  k = self->kind;
  text = g_string_new (tesoro_breach_event_kind_get_label (k));

  if (g_str_equal (k, TESORO_BREACH_EVENT_AUTHORITY_NOTIFIED))
    {
      g_autofree char *when = tesoro_format_timestamp_local (tesoro_breach_event_get_text (self, "notified_at"));
      const char *reference = tesoro_breach_event_get_text (self, "reference");

      g_string_printf (text, _("Authority notified on %s"), when);
      if (*reference != '\0')
        /* Translators: follows “Authority notified on 3 Mar 2024, 14:05” */
        g_string_append_printf (text, _(", reference %s"), reference);
    }
  else if (g_str_equal (k, TESORO_BREACH_EVENT_PEOPLE_INFORMED))
    {
      g_autofree char *when = tesoro_format_timestamp_local (tesoro_breach_event_get_text (self, "informed_at"));

      /* Translators: when and how (“by e-mail”) the people affected were informed */
      g_string_printf (text, _("People informed on %s: %s"), when, tesoro_breach_event_get_text (self, "how"));
    }
  else if (g_str_equal (k, TESORO_BREACH_EVENT_AUTHORITY_NOT_REQUIRED))
    /* Translators: %s is the reason given */
    g_string_printf (text, _("Authority not notified: %s"), tesoro_breach_event_get_text (self, "reason"));
  else if (g_str_equal (k, TESORO_BREACH_EVENT_PEOPLE_NOT_REQUIRED))
    /* Translators: %s is the reason given */
    g_string_printf (text, _("People not informed: %s"), tesoro_breach_event_get_text (self, "reason"));
  else if (g_str_equal (k, TESORO_BREACH_EVENT_CORRECTION))
    describe_correction (self, text);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * tesoro_breach_event_to_json_node:
 *
 * Returns: (transfer full): the event: id, at, recorded_by, kind, details
 */
JsonNode *
tesoro_breach_event_to_json_node (TesoroBreachEvent *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), NULL);

  return tesoro_json_object_new ("id", 'i', self->id,
                                 "at", 's', self->at,
                                 "recorded_by", 's', self->recorded_by,
                                 "kind", 's', self->kind,
                                 "details", 'n', json_node_init_object (json_node_alloc (), self->parsed),
                                 NULL);
}

static void
tesoro_breach_event_finalize (GObject *object)
{
  TesoroBreachEvent *self = (TesoroBreachEvent *) object;

  g_free (self->at);
  g_free (self->recorded_by);
  g_free (self->kind);
  g_free (self->details);
  g_clear_pointer (&self->parsed, json_object_unref);

  G_OBJECT_CLASS (tesoro_breach_event_parent_class)->finalize (object);
}

static void
tesoro_breach_event_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TesoroBreachEvent *self = TESORO_BREACH_EVENT (object);

  switch (prop_id)
    {
    case EVENT_PROP_AT:
      g_value_set_string (value, self->at);
      break;
    case EVENT_PROP_RECORDED_BY:
      g_value_set_string (value, self->recorded_by);
      break;
    case EVENT_PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case EVENT_PROP_DESCRIPTION:
      g_value_take_string (value, tesoro_breach_event_describe (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_breach_event_class_init (TesoroBreachEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tesoro_breach_event_finalize;
  object_class->get_property = tesoro_breach_event_get_property;

  event_properties[EVENT_PROP_AT] =
    g_param_spec_string ("at", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  event_properties[EVENT_PROP_RECORDED_BY] =
    g_param_spec_string ("recorded-by", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  event_properties[EVENT_PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  event_properties[EVENT_PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, EVENT_N_PROPS, event_properties);
}

static void
tesoro_breach_event_init (TesoroBreachEvent *self)
{
}

/**
 * tesoro_breach_event_new:
 * @id: the event's id, or 0 before it is stored
 * @at: when it was recorded
 * @recorded_by: the login of who recorded it
 * @kind: one of the `TESORO_BREACH_EVENT_…` kinds
 * @details: (nullable): a JSON object, as text
 *
 * Returns: (transfer full): the event
 */
TesoroBreachEvent *
tesoro_breach_event_new (gint64      id,
                         gint64      breach_id,
                         const char *at,
                         const char *recorded_by,
                         const char *kind,
                         const char *details)
{
  TesoroBreachEvent *self = g_object_new (TESORO_TYPE_BREACH_EVENT, NULL);

  self->id = id;
  self->breach_id = breach_id;
  self->at = g_strdup (at);
  self->recorded_by = g_strdup (recorded_by);
  self->kind = g_strdup (kind != NULL ? kind : "");
  self->details = g_strdup (details != NULL ? details : "{}");
  self->parsed = parse_object (self->details);
  return self;
}

gint64
tesoro_breach_event_get_id (TesoroBreachEvent *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), 0);
  return self->id;
}

void
_tesoro_breach_event_set_id (TesoroBreachEvent *self,
                             gint64             id)
{
  g_return_if_fail (TESORO_IS_BREACH_EVENT (self));
  self->id = id;
}

gint64
tesoro_breach_event_get_breach_id (TesoroBreachEvent *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), 0);
  return self->breach_id;
}

const char *
tesoro_breach_event_get_at (TesoroBreachEvent *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), NULL);
  return self->at;
}

const char *
tesoro_breach_event_get_recorded_by (TesoroBreachEvent *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), NULL);
  return self->recorded_by;
}

const char *
tesoro_breach_event_get_kind (TesoroBreachEvent *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), NULL);
  return self->kind;
}

/**
 * tesoro_breach_event_get_details:
 *
 * Returns: the details, a JSON object as text
 */
const char *
tesoro_breach_event_get_details (TesoroBreachEvent *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH_EVENT (self), NULL);
  return self->details;
}

/* TesoroBreach: folding the events */

static void
take_text (char       **field,
           JsonObject  *details,
           const char  *key)
{
  if (member_is_string (details, key))
    tesoro_set_str (field, json_object_get_string_member (details, key));
}

static void
apply_correction (TesoroBreach *self,
                  JsonObject   *details)
{
  take_text (&self->discovered_at, details, "discovered_at");
  take_text (&self->description, details, "description");
  take_text (&self->categories, details, "categories");
  take_text (&self->consequences, details, "consequences");
  take_text (&self->measures, details, "measures");
  if (json_object_has_member (details, "people_affected"))
    self->people_affected = member_count (details, "people_affected");
  if (json_object_has_member (details, "records_affected"))
    self->records_affected = member_count (details, "records_affected");
}

/**
 * tesoro_breach_add_event:
 * @event: the next event of the breach's history
 *
 * Appends @event to the history and folds it into the state: the newest
 * event of each kind decides (a notification recorded after "not
 * required" is a change of mind, and the other way round).
 */
void
tesoro_breach_add_event (TesoroBreach      *self,
                         TesoroBreachEvent *event)
{
  const char *k;

  g_return_if_fail (TESORO_IS_BREACH (self));
  g_return_if_fail (TESORO_IS_BREACH_EVENT (event));

  k = event->kind;
  if (g_str_equal (k, TESORO_BREACH_EVENT_AUTHORITY_NOTIFIED))
    {
      self->authority = TESORO_BREACH_DUTY_DONE;
      tesoro_set_str (&self->notified_at, tesoro_breach_event_get_text (event, "notified_at"));
      tesoro_set_str (&self->notified_reference, tesoro_breach_event_get_text (event, "reference"));
      g_clear_pointer (&self->authority_reason, g_free);
    }
  else if (g_str_equal (k, TESORO_BREACH_EVENT_AUTHORITY_NOT_REQUIRED))
    {
      self->authority = TESORO_BREACH_DUTY_NOT_REQUIRED;
      tesoro_set_str (&self->authority_reason, tesoro_breach_event_get_text (event, "reason"));
      g_clear_pointer (&self->notified_at, g_free);
      g_clear_pointer (&self->notified_reference, g_free);
    }
  else if (g_str_equal (k, TESORO_BREACH_EVENT_PEOPLE_INFORMED))
    {
      self->people = TESORO_BREACH_DUTY_DONE;
      tesoro_set_str (&self->informed_at, tesoro_breach_event_get_text (event, "informed_at"));
      tesoro_set_str (&self->informed_how, tesoro_breach_event_get_text (event, "how"));
      g_clear_pointer (&self->people_reason, g_free);
    }
  else if (g_str_equal (k, TESORO_BREACH_EVENT_PEOPLE_NOT_REQUIRED))
    {
      self->people = TESORO_BREACH_DUTY_NOT_REQUIRED;
      tesoro_set_str (&self->people_reason, tesoro_breach_event_get_text (event, "reason"));
      g_clear_pointer (&self->informed_at, g_free);
      g_clear_pointer (&self->informed_how, g_free);
    }
  else if (g_str_equal (k, TESORO_BREACH_EVENT_CORRECTION))
    {
      apply_correction (self, event->parsed);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISCOVERED_AT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEOPLE_AFFECTED]);
    }
  /* An unknown kind (from a newer Tesoro) stays in the history. */

  g_list_store_append (self->events, event);
}

/* GObject */

static void
tesoro_breach_dispose (GObject *object)
{
  TesoroBreach *self = (TesoroBreach *) object;

  g_clear_object (&self->events);

  G_OBJECT_CLASS (tesoro_breach_parent_class)->dispose (object);
}

static void
tesoro_breach_finalize (GObject *object)
{
  TesoroBreach *self = (TesoroBreach *) object;

  g_free (self->uid);
  g_free (self->recorded_at);
  g_free (self->recorded_by);
  g_free (self->discovered_at);
  g_free (self->description);
  g_free (self->categories);
  g_free (self->consequences);
  g_free (self->measures);
  g_free (self->notified_at);
  g_free (self->notified_reference);
  g_free (self->authority_reason);
  g_free (self->informed_at);
  g_free (self->informed_how);
  g_free (self->people_reason);

  G_OBJECT_CLASS (tesoro_breach_parent_class)->finalize (object);
}

static void
tesoro_breach_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TesoroBreach *self = TESORO_BREACH (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_UID:
      g_value_set_string (value, self->uid);
      break;
    case PROP_DISCOVERED_AT:
      g_value_set_string (value, self->discovered_at);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_TITLE:
      g_value_take_string (value, tesoro_breach_dup_title (self));
      break;
    case PROP_PEOPLE_AFFECTED:
      g_value_set_int64 (value, self->people_affected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_breach_class_init (TesoroBreachClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tesoro_breach_dispose;
  object_class->finalize = tesoro_breach_finalize;
  object_class->get_property = tesoro_breach_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UID] =
    g_param_spec_string ("uid", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISCOVERED_AT] =
    g_param_spec_string ("discovered-at", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TesoroBreach:title:
   *
   * The first line of the description, for a list.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * TesoroBreach:people-affected:
   *
   * The approximate number of people affected, or -1 when unknown.
   */
  properties[PROP_PEOPLE_AFFECTED] =
    g_param_spec_int64 ("people-affected", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tesoro_breach_init (TesoroBreach *self)
{
  self->events = g_list_store_new (TESORO_TYPE_BREACH_EVENT);
  self->people_affected = -1;
  self->records_affected = -1;
}

/* Public API */

/**
 * tesoro_breach_new:
 * @id: the breach's id, or 0 before it is stored
 * @uid: its random uid (what the accountability log names)
 * @recorded_at: when it was entered in the log
 * @recorded_by: the login of who entered it
 * @facts: what was known when it was entered
 *
 * Returns: (transfer full): the breach, without events
 */
TesoroBreach *
tesoro_breach_new (gint64                    id,
                   const char               *uid,
                   const char               *recorded_at,
                   const char               *recorded_by,
                   const TesoroBreachFacts  *facts)
{
  TesoroBreach *self;

  g_return_val_if_fail (facts != NULL, NULL);

  self = g_object_new (TESORO_TYPE_BREACH, NULL);
  self->id = id;
  self->uid = g_strdup (uid);
  self->recorded_at = g_strdup (recorded_at);
  self->recorded_by = g_strdup (recorded_by);
  self->discovered_at = g_strdup (facts->discovered_at);
  self->description = g_strdup (facts->description != NULL ? facts->description : "");
  self->categories = g_strdup (facts->categories != NULL ? facts->categories : "");
  self->people_affected = facts->people_known ? facts->people_affected : -1;
  self->records_affected = facts->records_known ? facts->records_affected : -1;
  self->consequences = g_strdup (facts->consequences != NULL ? facts->consequences : "");
  self->measures = g_strdup (facts->measures != NULL ? facts->measures : "");
  return self;
}

void
_tesoro_breach_set_id (TesoroBreach *self,
                       gint64        id)
{
  g_return_if_fail (TESORO_IS_BREACH (self));
  self->id = id;
}

gint64
tesoro_breach_get_id (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), 0);
  return self->id;
}

const char *
tesoro_breach_get_uid (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->uid;
}

const char *
tesoro_breach_get_recorded_at (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->recorded_at;
}

const char *
tesoro_breach_get_recorded_by (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->recorded_by;
}

/**
 * tesoro_breach_get_facts:
 * @facts: (out caller-allocates): the current facts; the strings belong to
 *   the breach
 */
void
tesoro_breach_get_facts (TesoroBreach      *self,
                         TesoroBreachFacts *facts)
{
  g_return_if_fail (TESORO_IS_BREACH (self));
  g_return_if_fail (facts != NULL);

  facts->discovered_at = self->discovered_at;
  facts->description = self->description;
  facts->categories = self->categories;
  facts->people_known = self->people_affected >= 0;
  facts->people_affected = MAX (self->people_affected, 0);
  facts->records_known = self->records_affected >= 0;
  facts->records_affected = MAX (self->records_affected, 0);
  facts->consequences = self->consequences;
  facts->measures = self->measures;
}

const char *
tesoro_breach_get_discovered_at (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->discovered_at;
}

const char *
tesoro_breach_get_description (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->description;
}

/**
 * tesoro_breach_dup_title:
 *
 * Returns: (transfer full): the first line of the description
 */
char *
tesoro_breach_dup_title (TesoroBreach *self)
{
  const char *end;

  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);

  end = strpbrk (self->description, "\r\n");
  return g_strstrip (end != NULL ? g_strndup (self->description, end - self->description)
                                 : g_strdup (self->description));
}

const char *
tesoro_breach_get_categories (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->categories;
}

/**
 * tesoro_breach_get_people_affected:
 *
 * Returns: the approximate number, or -1 when unknown
 */
gint64
tesoro_breach_get_people_affected (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), -1);
  return self->people_affected;
}

/**
 * tesoro_breach_get_records_affected:
 *
 * Returns: the approximate number, or -1 when unknown
 */
gint64
tesoro_breach_get_records_affected (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), -1);
  return self->records_affected;
}

const char *
tesoro_breach_get_consequences (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->consequences;
}

const char *
tesoro_breach_get_measures (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->measures;
}

/**
 * tesoro_breach_get_events:
 *
 * Returns: (transfer none): the history, oldest first (#TesoroBreachEvent)
 */
GListModel *
tesoro_breach_get_events (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return G_LIST_MODEL (self->events);
}

/**
 * tesoro_breach_dup_deadline:
 *
 * Returns: (transfer full) (nullable): when the 72 hours of Art. 33(1) end,
 *   in stored form
 */
char *
tesoro_breach_dup_deadline (TesoroBreach *self)
{
  g_autoptr(GDateTime) discovered = NULL;
  g_autoptr(GDateTime) deadline = NULL;

  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);

  discovered = tesoro_date_time_from_iso (self->discovered_at);
  if (discovered == NULL)
    return NULL;
  deadline = g_date_time_add_hours (discovered, TESORO_BREACH_DEADLINE_HOURS);
  return tesoro_iso_from_date_time (deadline);
}

/**
 * tesoro_breach_get_deadline_state:
 * @now: (nullable): the present, in stored form (%NULL: the clock's)
 * @seconds_left: (out) (optional): until the deadline (negative past it)
 *
 * Returns: where the breach stands with the 72 hours of Art. 33(1)
 */
TesoroBreachDeadline
tesoro_breach_get_deadline_state (TesoroBreach *self,
                                  const char   *now,
                                  gint64       *seconds_left)
{
  g_autofree char *clock = NULL;
  g_autofree char *deadline_iso = NULL;
  g_autoptr(GDateTime) present = NULL;
  g_autoptr(GDateTime) deadline = NULL;
  gint64 left = 0;

  g_return_val_if_fail (TESORO_IS_BREACH (self), TESORO_BREACH_DEADLINE_OPEN);

  if (now == NULL)
    now = clock = tesoro_now_iso ();
  present = tesoro_date_time_from_iso (now);
  deadline_iso = tesoro_breach_dup_deadline (self);
  deadline = tesoro_date_time_from_iso (deadline_iso);
  if (present != NULL && deadline != NULL)
    left = g_date_time_difference (deadline, present) / G_TIME_SPAN_SECOND;
  if (seconds_left != NULL)
    *seconds_left = left;

  if (self->authority == TESORO_BREACH_DUTY_DONE)
    return TESORO_BREACH_DEADLINE_NOTIFIED;
  if (self->authority == TESORO_BREACH_DUTY_NOT_REQUIRED)
    return TESORO_BREACH_DEADLINE_NOT_REQUIRED;
  /* At the deadline itself no time is left. */
  return left > 0 ? TESORO_BREACH_DEADLINE_OPEN : TESORO_BREACH_DEADLINE_OVERDUE;
}

/**
 * tesoro_breach_is_overdue:
 * @now: (nullable): the present, in stored form (%NULL: the clock's)
 *
 * Returns: whether the authority is neither notified nor recorded as not
 *   needing it, and the 72 hours have passed
 */
gboolean
tesoro_breach_is_overdue (TesoroBreach *self,
                          const char   *now)
{
  return tesoro_breach_get_deadline_state (self, now, NULL) == TESORO_BREACH_DEADLINE_OVERDUE;
}

/**
 * tesoro_breach_was_notified_late:
 *
 * Returns: whether the authority was notified after the 72 hours (Art.
 *   33(1) then asks for the reasons for the delay)
 */
gboolean
tesoro_breach_was_notified_late (TesoroBreach *self)
{
  g_autofree char *deadline_iso = NULL;
  g_autoptr(GDateTime) deadline = NULL;
  g_autoptr(GDateTime) notified = NULL;

  g_return_val_if_fail (TESORO_IS_BREACH (self), FALSE);

  if (self->authority != TESORO_BREACH_DUTY_DONE)
    return FALSE;
  deadline_iso = tesoro_breach_dup_deadline (self);
  deadline = tesoro_date_time_from_iso (deadline_iso);
  notified = tesoro_date_time_from_iso (self->notified_at);
  return deadline != NULL && notified != NULL && g_date_time_compare (notified, deadline) > 0;
}

/**
 * tesoro_breach_describe_deadline:
 * @now: (nullable): the present, in stored form (%NULL: the clock's)
 *
 * Returns: (transfer full): the 72-hour state for a person: "Notify the
 *   authority within 14 hours", "Overdue: notify the authority now",
 *   "Authority notified on 3 Mar 2024, 14:05"
 */
char *
tesoro_breach_describe_deadline (TesoroBreach *self,
                                 const char   *now)
{
  gint64 left = 0;

  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);

  switch (tesoro_breach_get_deadline_state (self, now, &left))
    {
    case TESORO_BREACH_DEADLINE_OPEN:
      if (left >= 3600)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Notify the authority within %d hour",
                                             "Notify the authority within %d hours", left / 3600),
                                (int) (left / 3600));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Notify the authority within %d minute",
                                           "Notify the authority within %d minutes", MAX (left / 60, 1)),
                              (int) MAX (left / 60, 1));
    case TESORO_BREACH_DEADLINE_OVERDUE:
      return g_strdup (_("Overdue: notify the authority now"));
    case TESORO_BREACH_DEADLINE_NOTIFIED:
      {
        g_autofree char *when = tesoro_format_timestamp_local (self->notified_at);

        return g_strdup_printf (tesoro_breach_was_notified_late (self)
                                  ? _("Authority notified on %s, after the 72 hours")
                                  : _("Authority notified on %s"), when);
      }
    case TESORO_BREACH_DEADLINE_NOT_REQUIRED:
    default:
      return g_strdup (_("Authority not notified: not required"));
    }
}

/**
 * tesoro_breach_describe_people:
 *
 * Returns: (transfer full): whether the people affected were informed
 *   (Art. 34), for a person
 */
char *
tesoro_breach_describe_people (TesoroBreach *self)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);

  switch (self->people)
    {
    case TESORO_BREACH_DUTY_DONE:
      when = tesoro_format_timestamp_local (self->informed_at);
      return g_strdup_printf (_("People informed on %s: %s"), when, self->informed_how);
    case TESORO_BREACH_DUTY_NOT_REQUIRED:
      return g_strdup_printf (_("People not informed: %s"), self->people_reason);
    case TESORO_BREACH_DUTY_PENDING:
    default:
      return g_strdup (_("People not informed yet"));
    }
}

TesoroBreachDuty
tesoro_breach_get_authority_duty (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), TESORO_BREACH_DUTY_PENDING);
  return self->authority;
}

/**
 * tesoro_breach_get_notified_at:
 *
 * Returns: (nullable): when the authority was notified
 */
const char *
tesoro_breach_get_notified_at (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->notified_at;
}

/**
 * tesoro_breach_get_notified_reference:
 *
 * Returns: (nullable): the authority's reference of the notification
 */
const char *
tesoro_breach_get_notified_reference (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->notified_reference;
}

/**
 * tesoro_breach_get_authority_reason:
 *
 * Returns: (nullable): why notifying the authority is not required
 */
const char *
tesoro_breach_get_authority_reason (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->authority_reason;
}

TesoroBreachDuty
tesoro_breach_get_people_duty (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), TESORO_BREACH_DUTY_PENDING);
  return self->people;
}

/**
 * tesoro_breach_get_informed_at:
 *
 * Returns: (nullable): when the people affected were informed
 */
const char *
tesoro_breach_get_informed_at (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->informed_at;
}

/**
 * tesoro_breach_get_informed_how:
 *
 * Returns: (nullable): how the people affected were informed
 */
const char *
tesoro_breach_get_informed_how (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->informed_how;
}

/**
 * tesoro_breach_get_people_reason:
 *
 * Returns: (nullable): why informing the people affected is not required
 */
const char *
tesoro_breach_get_people_reason (TesoroBreach *self)
{
  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);
  return self->people_reason;
}

static void
add_count (JsonBuilder *builder,
           const char  *key,
           gint64       value)
{
  json_builder_set_member_name (builder, key);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
duty_to_json_node (TesoroBreachDuty  duty,
                   const char       *at_key,
                   const char       *at,
                   const char       *text_key,
                   const char       *text,
                   const char       *reason)
{
  return tesoro_json_object_new ("state", 's', tesoro_breach_duty_to_string (duty),
                                 at_key, 's', at,
                                 text_key, 's', text,
                                 "reason", 's', reason,
                                 NULL);
}

/**
 * tesoro_breach_to_json_node:
 * @now: (nullable): the present for the deadline state (%NULL: the clock's)
 * @with_history: whether to add the events
 *
 * Returns: (transfer full): the breach as `tesoro-cli breaches show --json`
 *   prints it; unknown numbers are null
 */
JsonNode *
tesoro_breach_to_json_node (TesoroBreach *self,
                            const char   *now,
                            gboolean      with_history)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *deadline = NULL;
  TesoroBreachDeadline state;
  gint64 left = 0;

  g_return_val_if_fail (TESORO_IS_BREACH (self), NULL);

  deadline = tesoro_breach_dup_deadline (self);
  state = tesoro_breach_get_deadline_state (self, now, &left);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  json_builder_set_member_name (builder, "uid");
  json_builder_add_string_value (builder, self->uid);
  json_builder_set_member_name (builder, "discovered_at");
  json_builder_add_string_value (builder, self->discovered_at);
  json_builder_set_member_name (builder, "recorded_at");
  json_builder_add_string_value (builder, self->recorded_at);
  json_builder_set_member_name (builder, "recorded_by");
  json_builder_add_string_value (builder, self->recorded_by);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, self->description);
  json_builder_set_member_name (builder, "categories");
  json_builder_add_string_value (builder, self->categories);
  add_count (builder, "people_affected", self->people_affected);
  add_count (builder, "records_affected", self->records_affected);
  json_builder_set_member_name (builder, "consequences");
  json_builder_add_string_value (builder, self->consequences);
  json_builder_set_member_name (builder, "measures");
  json_builder_add_string_value (builder, self->measures);
  json_builder_set_member_name (builder, "deadline");
  json_builder_add_string_value (builder, deadline);
  json_builder_set_member_name (builder, "deadline_state");
  json_builder_add_string_value (builder, tesoro_breach_deadline_to_string (state));
  json_builder_set_member_name (builder, "hours_left");
  if (state == TESORO_BREACH_DEADLINE_OPEN)
    json_builder_add_int_value (builder, left / 3600);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "overdue");
  json_builder_add_boolean_value (builder, state == TESORO_BREACH_DEADLINE_OVERDUE);
  json_builder_set_member_name (builder, "authority");
  json_builder_add_value (builder, duty_to_json_node (self->authority, "notified_at", self->notified_at,
                                                      "reference", self->notified_reference, self->authority_reason));
  json_builder_set_member_name (builder, "notified_late");
  json_builder_add_boolean_value (builder, tesoro_breach_was_notified_late (self));
  json_builder_set_member_name (builder, "people_informed");
  json_builder_add_value (builder, duty_to_json_node (self->people, "informed_at", self->informed_at,
                                                      "how", self->informed_how, self->people_reason));
  if (with_history)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->events));

      json_builder_set_member_name (builder, "history");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TesoroBreachEvent) event = g_list_model_get_item (G_LIST_MODEL (self->events), i);

          json_builder_add_value (builder, tesoro_breach_event_to_json_node (event));
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
