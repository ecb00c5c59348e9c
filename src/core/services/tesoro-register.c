/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-register"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-atomic-file.h"
#include "tesoro-audit-entry.h"
#include "tesoro-consent-state.h"
#include "tesoro-contact-json.h"
#include "tesoro-csv.h"
#include "tesoro-error.h"
#include "tesoro-fields.h"
#include "tesoro-register.h"
#include "tesoro-retention.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * The register of processing (Art. 30): its settings, the sections built
 * from what the database holds, and the HTML and CSV documents.
 */

#define KEY_PURPOSES   "privacy.purposes"
#define KEY_RECIPIENTS "privacy.recipients"
#define KEY_CONTROLLER "privacy.controller"

/* The purpose every database starts with, until the list is edited. */
#define DEFAULT_PURPOSE_NAME        N_("Customer administration")
#define DEFAULT_PURPOSE_DESCRIPTION N_("Keeping the contact details and history of customers and business contacts")

#define MAX_REGISTER_TEXT 500

G_DEFINE_BOXED_TYPE (TesoroProcessingPurpose, tesoro_processing_purpose,
                     tesoro_processing_purpose_copy, tesoro_processing_purpose_free)

TesoroProcessingPurpose *
tesoro_processing_purpose_new (const char *name,
                               const char *description,
                               const char *lawful_basis)
{
  TesoroProcessingPurpose *self = g_new0 (TesoroProcessingPurpose, 1);

  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->lawful_basis = g_strdup (lawful_basis);
  return self;
}

TesoroProcessingPurpose *
tesoro_processing_purpose_copy (const TesoroProcessingPurpose *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return tesoro_processing_purpose_new (self->name, self->description, self->lawful_basis);
}

void
tesoro_processing_purpose_free (TesoroProcessingPurpose *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->description);
  g_free (self->lawful_basis);
  g_free (self);
}

static void
register_row_free (TesoroRegisterRow *row)
{
  g_free (row->item);
  g_free (row->detail);
  g_free (row);
}

void
tesoro_register_section_free (TesoroRegisterSection *section)
{
  if (section == NULL)
    return;
  g_free (section->key);
  g_free (section->title);
  g_free (section->item_header);
  g_free (section->detail_header);
  g_free (section->count_header);
  g_clear_pointer (&section->rows, g_ptr_array_unref);
  g_free (section);
}

/* Settings */

static char *
read_setting (TesoroSession  *self,
              const char     *key,
              gboolean       *ok,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  char *text = tesoro_backend_get_setting (_tesoro_session_get_backend (self), key, &local_error);

  *ok = local_error == NULL;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return text;
}

static JsonArray *
parse_array (const char *text,
             const char *key)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, text, -1, NULL) || (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_warning ("Ignoring the setting %s: it is not a JSON array", key);
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The purposes as stored; @is_default says when the setting is unset and
 * the list is the default one (its texts untranslated). */
static GPtrArray *
load_purposes (TesoroSession  *self,
               gboolean       *is_default,
               GError        **error)
{
  g_autoptr(GPtrArray) purposes = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_processing_purpose_free);
  g_autofree char *text = NULL;
  g_autoptr(JsonArray) array = NULL;
  gboolean ok;

  text = read_setting (self, KEY_PURPOSES, &ok, error);
  if (!ok)
    return NULL;

  *is_default = text == NULL;
  if (text == NULL)
    {
      g_ptr_array_add (purposes, tesoro_processing_purpose_new (DEFAULT_PURPOSE_NAME, DEFAULT_PURPOSE_DESCRIPTION,
                                                                "contract"));
      return g_steal_pointer (&purposes);
    }

  array = parse_array (text, KEY_PURPOSES);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = object != NULL ? member_string (object, "name") : NULL;

      if (name != NULL && *name != '\0')
        g_ptr_array_add (purposes, tesoro_processing_purpose_new (name, member_string (object, "description"),
                                                                  member_string (object, "lawful_basis")));
    }
  return g_steal_pointer (&purposes);
}

static GStrv
load_strings (TesoroSession  *self,
              const char     *key,
              GError        **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonArray) array = NULL;
  gboolean ok;

  text = read_setting (self, key, &ok, error);
  if (!ok)
    return NULL;
  array = parse_array (text, key);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node) != '\0')
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

/* Saves a setting of the register inside a transaction, audited by key and
 * number of entries: a recipient may be a person, and the accountability
 * log holds no personal data. */
static gboolean
save_setting (TesoroSession  *self,
              const char     *key,
              JsonNode       *value,
              guint           n_entries,
              GError        **error)
{
  g_autofree char *text = value != NULL ? tesoro_json_to_string (value, FALSE) : NULL;
  g_autofree char *entries = g_strdup_printf ("%u", n_entries);

  return tesoro_backend_set_setting (_tesoro_session_get_backend (self), key, text != NULL ? text : "", error) &&
         _tesoro_session_audit (self, TESORO_AUDIT_SETTINGS, NULL,
                                tesoro_json_object_new ("key", 's', key, "value", 's', entries, NULL), error);
}

static gboolean
check_text (const char  *what,
            const char  *text,
            GError     **error)
{
  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL) ||
      g_utf8_strlen (text, -1) > MAX_REGISTER_TEXT)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("%s: write a text of 1 to %d characters"), what, MAX_REGISTER_TEXT);
      return FALSE;
    }
  return TRUE;
}

/**
 * tesoro_session_list_processing_purposes:
 *
 * Returns: (transfer full) (element-type TesoroProcessingPurpose): the
 * organisation's purposes (the default "Customer administration" on the
 * basis of a contract until the list is edited), in the user's language
 */
GPtrArray *
tesoro_session_list_processing_purposes (TesoroSession  *self,
                                         GError        **error)
{
  g_autoptr(GPtrArray) purposes = NULL;
  gboolean is_default = FALSE;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) ||
      (purposes = load_purposes (self, &is_default, error)) == NULL)
    return NULL;

  for (guint i = 0; is_default && i < purposes->len; i++)
    {
      TesoroProcessingPurpose *p = purposes->pdata[i];

      tesoro_set_str (&p->name, _(p->name));
      tesoro_set_str (&p->description, _(p->description));
    }
  return g_steal_pointer (&purposes);
}

static gboolean
save_purposes (TesoroSession  *self,
               GPtrArray      *purposes,
               GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < purposes->len; i++)
    {
      TesoroProcessingPurpose *p = purposes->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, p->name);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, p->description != NULL ? p->description : "");
      json_builder_set_member_name (builder, "lawful_basis");
      json_builder_add_string_value (builder, p->lawful_basis);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return save_setting (self, KEY_PURPOSES, root, purposes->len, error);
}

static gint
find_purpose (GPtrArray  *purposes,
              const char *name)
{
  g_autofree char *folded = tesoro_fold (name);

  for (guint i = 0; i < purposes->len; i++)
    {
      g_autofree char *other = tesoro_fold (((TesoroProcessingPurpose *) purposes->pdata[i])->name);

      if (g_str_equal (folded, other))
        return (gint) i;
    }
  return -1;
}

/**
 * tesoro_session_add_processing_purpose:
 * @description: (nullable): more about it
 * @lawful_basis: one of #tesoro_lawful_bases
 *
 * Adds a purpose to the register ("requests" permission); a name is there
 * once (case and accents do not count).
 */
gboolean
tesoro_session_add_processing_purpose (TesoroSession  *self,
                                       const char     *name,
                                       const char     *description,
                                       const char     *lawful_basis,
                                       GError        **error)
{
  g_autoptr(GPtrArray) purposes = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) ||
      !check_text (_("Purpose"), name, error) ||
      (description != NULL && *description != '\0' && !check_text (_("Description"), description, error)))
    return FALSE;
  if (!tesoro_is_lawful_basis (lawful_basis))
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Field “lawful_basis”: “%.40s” is not one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests"),
                   lawful_basis != NULL ? lawful_basis : "");
      return FALSE;
    }

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;
  purposes = tesoro_session_list_processing_purposes (self, error);
  if (purposes == NULL)
    return _tesoro_session_fail (self);
  if (find_purpose (purposes, name) >= 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_EXISTS, _("The register already has the purpose “%s”"), name);
      return _tesoro_session_fail (self);
    }

  g_ptr_array_add (purposes, tesoro_processing_purpose_new (name, description, lawful_basis));
  if (!save_purposes (self, purposes, error) || !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/**
 * tesoro_session_remove_processing_purpose:
 *
 * Removes the purpose @name from the register ("requests" permission).
 */
gboolean
tesoro_session_remove_processing_purpose (TesoroSession  *self,
                                          const char     *name,
                                          GError        **error)
{
  g_autoptr(GPtrArray) purposes = NULL;
  gint index;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) || !check_text (_("Purpose"), name, error) ||
      !_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  purposes = tesoro_session_list_processing_purposes (self, error);
  if (purposes == NULL)
    return _tesoro_session_fail (self);
  index = find_purpose (purposes, name);
  if (index < 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("The register has no purpose “%s”"), name);
      return _tesoro_session_fail (self);
    }

  g_ptr_array_remove_index (purposes, index);
  if (!save_purposes (self, purposes, error) || !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/**
 * tesoro_session_list_recipients:
 *
 * Returns: (transfer full): to whom the data is disclosed (a mailing
 * service, the accountant…), as the privacy officer wrote them
 */
GStrv
tesoro_session_list_recipients (TesoroSession  *self,
                                GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;
  return load_strings (self, KEY_RECIPIENTS, error);
}

static gboolean
change_recipients (TesoroSession  *self,
                   const char     *recipient,
                   gboolean        add,
                   GError        **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JsonBuilder) json = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) recipients = NULL;
  g_auto(GStrv) changed = NULL;
  gboolean found = FALSE;

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) ||
      !check_text (_("Recipient"), recipient, error) ||
      !_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  recipients = load_strings (self, KEY_RECIPIENTS, error);
  if (recipients == NULL)
    return _tesoro_session_fail (self);
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      gboolean same = g_utf8_collate (recipients[i], recipient) == 0;

      found |= same;
      if (!same || add)
        g_strv_builder_add (builder, recipients[i]);
    }
  if (add && found)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_EXISTS, _("The register already has the recipient “%s”"), recipient);
      return _tesoro_session_fail (self);
    }
  if (!add && !found)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_NOT_FOUND, _("The register has no recipient “%s”"), recipient);
      return _tesoro_session_fail (self);
    }
  if (add)
    g_strv_builder_add (builder, recipient);
  changed = g_strv_builder_end (builder);

  json_builder_begin_array (json);
  for (guint i = 0; changed[i] != NULL; i++)
    json_builder_add_string_value (json, changed[i]);
  json_builder_end_array (json);
  root = json_builder_get_root (json);

  if (!save_setting (self, KEY_RECIPIENTS, root, g_strv_length (changed), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/**
 * tesoro_session_add_recipient:
 *
 * Adds a recipient to the register ("requests" permission).
 */
gboolean
tesoro_session_add_recipient (TesoroSession  *self,
                              const char     *recipient,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return change_recipients (self, recipient, TRUE, error);
}

/**
 * tesoro_session_remove_recipient:
 *
 * Removes a recipient from the register ("requests" permission).
 */
gboolean
tesoro_session_remove_recipient (TesoroSession  *self,
                                 const char     *recipient,
                                 GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  return change_recipients (self, recipient, FALSE, error);
}

/**
 * tesoro_session_get_controller:
 *
 * Returns: (transfer full): the controller's name ("" when not set yet)
 */
char *
tesoro_session_get_controller (TesoroSession  *self,
                               GError        **error)
{
  gboolean ok;
  char *text;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error))
    return NULL;
  text = read_setting (self, KEY_CONTROLLER, &ok, error);
  if (!ok)
    return NULL;
  return text != NULL ? text : g_strdup ("");
}

/**
 * tesoro_session_set_controller:
 * @controller: the name (and contact details) of the organisation
 *   responsible for the processing
 */
gboolean
tesoro_session_set_controller (TesoroSession  *self,
                               const char     *controller,
                               GError        **error)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) ||
      !check_text (_("Controller"), controller, error) ||
      !_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error))
    return FALSE;

  /* Stored as plain text, not JSON. */
  if (!tesoro_backend_set_setting (_tesoro_session_get_backend (self), KEY_CONTROLLER, controller, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_SETTINGS, NULL,
                              tesoro_json_object_new ("key", 's', KEY_CONTROLLER, "value", 's', "1", NULL), error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}

/* The sections */

typedef struct
{
  TesoroTranslator *translator;   /* NULL: the user's language */
} Words;

static const char *tr (Words *w, const char *msgid) G_GNUC_FORMAT (2);

static const char *
tr (Words      *w,
    const char *msgid)
{
  return w->translator != NULL ? tesoro_translate (w->translator, msgid) : _(msgid);
}

static TesoroRegisterSection *
section_new (GPtrArray  *sections,
             const char *key,
             const char *title,
             const char *item_header,
             const char *detail_header,
             const char *count_header)
{
  TesoroRegisterSection *section = g_new0 (TesoroRegisterSection, 1);

  section->key = g_strdup (key);
  section->title = g_strdup (title);
  section->item_header = g_strdup (item_header);
  section->detail_header = g_strdup (detail_header);
  section->count_header = g_strdup (count_header);
  section->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) register_row_free);
  g_ptr_array_add (sections, section);
  return section;
}

static void
add_row (TesoroRegisterSection *section,
         const char            *item,
         const char            *detail,
         gint64                 count)
{
  TesoroRegisterRow *row = g_new0 (TesoroRegisterRow, 1);

  row->item = g_strdup (item);
  row->detail = g_strdup (detail);
  row->count = count;
  g_ptr_array_add (section->rows, row);
}

static const char *
basis_name (Words      *w,
            const char *basis)
{
  const char *msgid = tesoro_lawful_basis_get_msgid (basis);

  if (msgid == NULL)
    return tr (w, N_("No lawful basis recorded"));
  return msgid == basis ? basis : tr (w, msgid);
}

typedef struct
{
  char               *controller;
  char               *now;
  gint64              n_contacts;
  GPtrArray          *counts;       /* TesoroFieldCount */
  GPtrArray          *bases;        /* TesoroFieldCount */
  GPtrArray          *consent;      /* TesoroConsentPurpose */
  GPtrArray          *purposes;     /* TesoroProcessingPurpose */
  gboolean            default_purposes;
  GStrv               recipients;
  GStrv               disabled;
  GPtrArray          *roles;        /* TesoroRole */
  TesoroGdprSettings  retention;
} Facts;

static void
facts_clear (Facts *f)
{
  g_free (f->controller);
  g_free (f->now);
  g_clear_pointer (&f->counts, g_ptr_array_unref);
  g_clear_pointer (&f->bases, g_ptr_array_unref);
  g_clear_pointer (&f->consent, g_ptr_array_unref);
  g_clear_pointer (&f->purposes, g_ptr_array_unref);
  g_clear_pointer (&f->recipients, g_strfreev);
  g_clear_pointer (&f->disabled, g_strfreev);
  g_clear_pointer (&f->roles, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

/* Everything the register says, read in one snapshot. */
static gboolean
read_facts (TesoroSession  *self,
            Facts          *f,
            GError        **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  TesoroContactQuery query;
  gboolean ok;

  if (!tesoro_backend_begin_read (backend, error))
    return FALSE;

  tesoro_contact_query_init (&query);
  query.trash = -1;
  f->now = tesoro_now_iso ();
  ok = (f->controller = read_setting (self, KEY_CONTROLLER, &ok, error), ok) &&
       (f->n_contacts = tesoro_backend_count_contacts (backend, &query, error)) >= 0 &&
       (f->counts = tesoro_backend_count_field_values (backend, error)) != NULL &&
       (f->bases = tesoro_backend_count_lawful_bases (backend, error)) != NULL &&
       (f->consent = tesoro_backend_list_purposes (backend, error)) != NULL &&
       (f->purposes = load_purposes (self, &f->default_purposes, error)) != NULL &&
       (f->recipients = load_strings (self, KEY_RECIPIENTS, error)) != NULL &&
       (f->disabled = tesoro_session_get_disabled_fields (self, error)) != NULL &&
       (f->roles = tesoro_backend_list_roles (backend, error)) != NULL &&
       tesoro_session_get_gdpr_settings (self, &f->retention, error);

  if (!ok)
    {
      tesoro_backend_rollback (backend);
      return FALSE;
    }
  return tesoro_backend_commit (backend, error);
}

static char *
role_names (Words     *w,
            GPtrArray *roles)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < roles->len; i++)
    {
      TesoroRole *role = roles->pdata[i];

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, tesoro_role_is_builtin (role) ? tr (w, tesoro_role_get_name (role))
                                                            : tesoro_role_get_name (role));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
field_label (Words           *w,
             TesoroDataField  field,
             const char      *custom_name)
{
  if (field == TESORO_DATA_FIELD_CUSTOM)
    return g_strdup_printf (tr (w, N_("Custom field “%s”")), custom_name);
  return g_strdup (tr (w, tesoro_data_field_get_msgid (field)));
}

static GPtrArray *
build_sections (Facts *f,
                Words *w)
{
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func ((GDestroyNotify) tesoro_register_section_free);
  TesoroRegisterSection *s;
  g_autofree char *roles = role_names (w, f->roles);
  g_autofree char *date = g_strndup (f->now, 10);

  s = section_new (sections, "controller", tr (w, N_("Controller")), tr (w, N_("Item")), tr (w, N_("Details")), NULL);
  add_row (s, tr (w, N_("Name of the controller")),
           f->controller != NULL && *f->controller != '\0' ? f->controller : tr (w, N_("Not filled in yet")), -1);
  add_row (s, tr (w, N_("Generated on")), date, -1);
  add_row (s, tr (w, N_("Generated by")), tr (w, N_("Tesoro, from the data the database holds")), -1);

  s = section_new (sections, "purposes", tr (w, N_("Purposes of the processing")), tr (w, N_("Purpose")),
                   tr (w, N_("Description")), NULL);
  for (guint i = 0; i < f->purposes->len; i++)
    {
      TesoroProcessingPurpose *p = f->purposes->pdata[i];
      g_autofree char *detail = NULL;
      const char *name = f->default_purposes ? tr (w, p->name) : p->name;
      const char *description = p->description != NULL && f->default_purposes ? tr (w, p->description) : p->description;

      detail = g_strdup_printf ("%s%s%s: %s", description != NULL ? description : "",
                                description != NULL && *description != '\0' ? " — " : "",
                                tr (w, N_("Lawful basis")), basis_name (w, p->lawful_basis));
      add_row (s, name, detail, -1);
    }
  for (guint i = 0; i < f->consent->len; i++)
    {
      TesoroConsentPurpose *p = f->consent->pdata[i];
      g_autofree char *detail = g_strdup_printf ("%s — %s: %s",
                                                 tr (w, N_("Consent is recorded per person in an append-only ledger")),
                                                 tr (w, N_("Lawful basis")), basis_name (w, "consent"));
      add_row (s, g_strcmp0 (p->key, TESORO_PURPOSE_MARKETING_EMAIL) == 0 ? tr (w, N_("Marketing e-mail")) : p->name,
               detail, -1);
    }

  s = section_new (sections, "subjects", tr (w, N_("Categories of data subjects")), tr (w, N_("Category")), NULL,
                   tr (w, N_("Number")));
  add_row (s, tr (w, N_("Contacts: customers, prospects and other business contacts")), NULL, f->n_contacts);

  s = section_new (sections, "categories", tr (w, N_("Categories of personal data")), tr (w, N_("Field")),
                   tr (w, N_("Personal data")), tr (w, N_("Contacts with a value")));
  for (guint i = 0; i < f->counts->len; i++)
    {
      TesoroFieldCount *c = f->counts->pdata[i];
      g_autofree char *custom_name = NULL;
      g_autofree char *label = NULL;
      TesoroDataField field;

      /* Only what is held: a field without values is no category. */
      if (c->count <= 0 || !tesoro_data_field_parse_key (c->key, &field, &custom_name))
        continue;
      label = field_label (w, field, custom_name);
      add_row (s, label, tesoro_data_field_is_personal (field) ? tr (w, N_("Yes")) : tr (w, N_("No")), c->count);
    }

  s = section_new (sections, "bases", tr (w, N_("Lawful bases in use")), tr (w, N_("Lawful basis")), NULL,
                   tr (w, N_("Contacts")));
  for (guint i = 0; i < f->bases->len; i++)
    {
      TesoroFieldCount *c = f->bases->pdata[i];

      add_row (s, basis_name (w, *c->key != '\0' ? c->key : NULL), NULL, c->count);
    }

  s = section_new (sections, "recipients", tr (w, N_("Recipients")), tr (w, N_("Recipient")), NULL, NULL);
  for (guint i = 0; f->recipients[i] != NULL; i++)
    add_row (s, f->recipients[i], NULL, -1);
  if (f->recipients[0] == NULL)
    add_row (s, tr (w, N_("None: the data is not disclosed to anyone outside the organisation")), NULL, -1);

  s = section_new (sections, "retention", tr (w, N_("Time limits for erasure")), tr (w, N_("Rule")),
                   tr (w, N_("Setting")), NULL);
  {
    g_autofree char *years = g_strdup_printf (tr (w, N_("%u years without activity")), f->retention.retention_years);
    g_autofree char *days = f->retention.trash_expiry_days > 0
                            ? g_strdup_printf (tr (w, N_("after %u days")), f->retention.trash_expiry_days)
                            : g_strdup (tr (w, N_("when the trash is emptied")));

    add_row (s, tr (w, N_("Inactive contacts are deleted permanently")),
             f->retention.retention_enabled ? tr (w, N_("Automatically")) : tr (w, N_("Reviewed by hand; not automatic")),
             -1);
    add_row (s, tr (w, N_("Retention period")), years, -1);
    add_row (s, tr (w, N_("Contacts in the trash are erased")), days, -1);
  }

  s = section_new (sections, "security", tr (w, N_("Technical and organisational security measures")),
                   tr (w, N_("Measure")), tr (w, N_("Details")), NULL);
  add_row (s, tr (w, N_("Erasure that leaves no trace")),
           tr (w, N_("Permanent deletion overwrites the erased data in the database file (secure delete and a scrubbing file layer) and purges the write-ahead log, so that nothing erased can be recovered from the files")),
           -1);
  add_row (s, tr (w, N_("Accountability log")),
           tr (w, N_("An append-only, hash-chained log records who exported, erased, viewed or changed what, without personal data; it can be verified at any time")),
           -1);
  {
    g_autofree char *detail = g_strdup_printf (tr (w, N_("Users sign in with a role (%s); each role has permissions per action and access per group of fields")),
                                               roles);
    add_row (s, tr (w, N_("Roles and field-level security")), detail, -1);
  }
  add_row (s, tr (w, N_("Files readable by their owner only")),
           tr (w, N_("The database, its backups and every export are created with file mode 0600")), -1);
  add_row (s, tr (w, N_("Passwords")), tr (w, N_("Only Argon2id hashes of passwords are stored (libsodium)")), -1);
  if (f->disabled[0] != NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; f->disabled[i] != NULL; i++)
        {
          g_autofree char *custom_name = NULL;
          g_autofree char *label = NULL;
          TesoroDataField field;

          if (!tesoro_data_field_parse_key (f->disabled[i], &field, &custom_name))
            continue;
          label = field_label (w, field, custom_name);
          g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", label);
        }
      add_row (s, tr (w, N_("Data minimisation")), names->str, -1);
    }

  return g_steal_pointer (&sections);
}

/**
 * tesoro_session_build_register:
 * @language: (nullable): the language of the texts; %NULL for the user's
 *
 * Returns: (transfer full) (element-type TesoroRegisterSection): the
 * register as it stands, section by section; %NULL with @error set (the
 * "requests" permission is needed)
 */
GPtrArray *
tesoro_session_build_register (TesoroSession         *self,
                               const TesoroLanguage  *language,
                               GError               **error)
{
  g_auto(Facts) facts = { 0 };
  g_autoptr(TesoroTranslator) translator = NULL;
  Words words = { NULL };

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) || !read_facts (self, &facts, error))
    return NULL;

  if (language != NULL)
    words.translator = translator = tesoro_translator_begin (*language);
  return build_sections (&facts, &words);
}

/* The documents */

gboolean
tesoro_register_format_from_string (const char            *text,
                                    TesoroRegisterFormat  *format,
                                    GError               **error)
{
  if (g_strcmp0 (text, "html") == 0)
    *format = TESORO_REGISTER_HTML;
  else if (g_strcmp0 (text, "csv") == 0)
    *format = TESORO_REGISTER_CSV;
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Unknown format “%s”: use “html” or “csv”"), text != NULL ? text : "");
      return FALSE;
    }
  return TRUE;
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);
  g_string_append (out, escaped);
}

static char *
write_html (GPtrArray      *sections,
            TesoroLanguage  language,
            const char     *title)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
                          tesoro_language_to_string (language));
  append_escaped (out, title);
  g_string_append (out, "</title>\n<style>\n"
                        "body { font-family: sans-serif; max-width: 60em; margin: 2em auto; color: #222; }\n"
                        "table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }\n"
                        "th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }\n"
                        "th { background: #f0f0f0; }\n"
                        "td.count { text-align: right; white-space: nowrap; }\n"
                        "</style>\n</head>\n<body>\n<h1>");
  append_escaped (out, title);
  g_string_append (out, "</h1>\n");

  for (guint i = 0; i < sections->len; i++)
    {
      TesoroRegisterSection *s = sections->pdata[i];

      g_string_append_printf (out, "<h2 id=\"%s\">", s->key);
      append_escaped (out, s->title);
      g_string_append (out, "</h2>\n<table>\n<tr><th>");
      append_escaped (out, s->item_header);
      g_string_append (out, "</th>");
      if (s->detail_header != NULL)
        {
          g_string_append (out, "<th>");
          append_escaped (out, s->detail_header);
          g_string_append (out, "</th>");
        }
      if (s->count_header != NULL)
        {
          g_string_append (out, "<th>");
          append_escaped (out, s->count_header);
          g_string_append (out, "</th>");
        }
      g_string_append (out, "</tr>\n");

      for (guint j = 0; j < s->rows->len; j++)
        {
          TesoroRegisterRow *row = s->rows->pdata[j];

          g_string_append (out, "<tr><td>");
          append_escaped (out, row->item);
          g_string_append (out, "</td>");
          if (s->detail_header != NULL)
            {
              g_string_append (out, "<td>");
              append_escaped (out, row->detail);
              g_string_append (out, "</td>");
            }
          if (s->count_header != NULL)
            {
              if (row->count >= 0)
                g_string_append_printf (out, "<td class=\"count\">%" G_GINT64_FORMAT "</td>", row->count);
              else
                g_string_append (out, "<td></td>");
            }
          g_string_append (out, "</tr>\n");
        }
      g_string_append (out, "</table>\n");
    }

  g_string_append (out, "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

/* One row per item: section, item, details, count, so that a spreadsheet
 * can sort and filter the whole register. */
static gboolean
write_csv (GPtrArray      *sections,
           TesoroLanguage  language,
           Words          *w,
           GOutputStream  *stream,
           GError        **error)
{
  g_autoptr(TesoroCsvWriter) writer = NULL;
  char delimiter = ',';
  gboolean bom = FALSE;
  const char *header[] = { tr (w, N_("Section")), tr (w, N_("Item")), tr (w, N_("Details")), tr (w, N_("Number")) };

  tesoro_contact_export_csv_defaults (tesoro_language_to_string (language), &delimiter, &bom);
  writer = tesoro_csv_writer_new (stream, delimiter,
                                  TESORO_CSV_WRITER_NEUTRALIZE_FORMULAS | (bom ? TESORO_CSV_WRITER_BOM : 0));
  if (!tesoro_csv_writer_write_row (writer, header, G_N_ELEMENTS (header), NULL, error))
    return FALSE;

  for (guint i = 0; i < sections->len; i++)
    {
      TesoroRegisterSection *s = sections->pdata[i];

      for (guint j = 0; j < s->rows->len; j++)
        {
          TesoroRegisterRow *row = s->rows->pdata[j];
          g_autofree char *count = row->count >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, row->count) : g_strdup ("");
          const char *cells[] = { s->title, row->item, row->detail != NULL ? row->detail : "", count };

          if (!tesoro_csv_writer_write_row (writer, cells, G_N_ELEMENTS (cells), NULL, error))
            return FALSE;
        }
    }
  return tesoro_csv_writer_flush (writer, NULL, error);
}

/**
 * tesoro_session_export_register:
 * @path: the file to write (replaced atomically; mode 0600)
 *
 * Writes the register as a self-contained HTML page or as CSV, in
 * @language, and records the export in the accountability log.
 */
gboolean
tesoro_session_export_register (TesoroSession         *self,
                                TesoroRegisterFormat   format,
                                TesoroLanguage         language,
                                const char            *path,
                                GError               **error)
{
  g_auto(Facts) facts = { 0 };
  g_autoptr(GPtrArray) sections = NULL;
  g_autoptr(TesoroAtomicFile) file = NULL;
  g_autofree char *title = NULL;
  gboolean ok;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_REQUESTS, error) || !read_facts (self, &facts, error))
    return FALSE;

  file = tesoro_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;

  {
    g_autoptr(TesoroTranslator) translator = tesoro_translator_begin (language);
    Words words = { translator };

    sections = build_sections (&facts, &words);
    title = g_strdup_printf ("%s%s%s", tr (&words, N_("Register of processing activities")),
                             facts.controller != NULL && *facts.controller != '\0' ? " — " : "",
                             facts.controller != NULL ? facts.controller : "");
    if (format == TESORO_REGISTER_HTML)
      {
        g_autofree char *html = write_html (sections, language, title);

        ok = g_output_stream_write_all (tesoro_atomic_file_get_stream (file), html, strlen (html), NULL, NULL, error);
      }
    else
      ok = write_csv (sections, language, &words, tesoro_atomic_file_get_stream (file), error);
  }

  if (!ok || !tesoro_atomic_file_commit (file, NULL, error))
    return FALSE;

  if (!_tesoro_session_begin (self, TESORO_WRITE_DEFAULT, error) ||
      !_tesoro_session_audit (self, TESORO_AUDIT_REGISTER_EXPORT, NULL,
                              tesoro_json_object_new ("format", 's', format == TESORO_REGISTER_HTML ? "html" : "csv",
                                                      "language", 's', tesoro_language_to_string (language), NULL),
                              error) ||
      !_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);
  return TRUE;
}
