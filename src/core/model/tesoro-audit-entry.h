/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The accountability log: append-only (triggers refuse UPDATE and DELETE)
 * and hash-chained. Each entry says who (the actor's login), when, what (the
 * action), about which contact (by uid only, never by name or address) and
 * details as a JSON object that holds no personal data.
 *
 * hash = SHA-256 over "tesoro-audit-1", prev_hash, id, at, actor, action,
 * contact_uid and details, each length-prefixed; prev_hash of the first entry
 * is 64 zeros. The head of the chain (id and hash of the newest entry) is
 * also kept in the settings table, so that removing the newest entries is
 * detected too.
 *
 * New kinds of entries (viewing a contact, users and roles) are new action
 * names with their own details; nothing else changes.
 */

/* The actions Tesoro writes. */
#define TESORO_AUDIT_ERASE              "erase"
#define TESORO_AUDIT_EXPORT_DATA        "export-data"
#define TESORO_AUDIT_RESPONSE_PACKAGE   "response-package"
#define TESORO_AUDIT_EXPORT_MARKETING   "export-marketing"
#define TESORO_AUDIT_CONSENT_GRANTED    "consent-granted"
#define TESORO_AUDIT_CONSENT_WITHDRAWN  "consent-withdrawn"
#define TESORO_AUDIT_RESTRICT           "restrict"
#define TESORO_AUDIT_LEGAL_HOLD         "legal-hold"
#define TESORO_AUDIT_LAWFUL_BASIS       "lawful-basis"
#define TESORO_AUDIT_RETENTION_RUN      "retention-run"
#define TESORO_AUDIT_TRASH_EXPIRY       "trash-expiry"
#define TESORO_AUDIT_EMPTY_TRASH        "empty-trash"
#define TESORO_AUDIT_SETTINGS           "settings"
#define TESORO_AUDIT_PURPOSE_ADDED      "purpose-added"
#define TESORO_AUDIT_EXPORT_CONTACTS    "export-contacts"
#define TESORO_AUDIT_BATCH_EDIT         "batch-edit"
#define TESORO_AUDIT_BATCH_UNDO         "batch-undo"
#define TESORO_AUDIT_IMPORT             "import"
#define TESORO_AUDIT_IMPORT_UNDO        "import-undo"
#define TESORO_AUDIT_FIELD_OFF          "field-off"
#define TESORO_AUDIT_FIELD_ON           "field-on"
#define TESORO_AUDIT_FIELD_ERASED       "field-erased"
#define TESORO_AUDIT_REGISTER_EXPORT    "register-export"

#define TESORO_AUDIT_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

#define TESORO_TYPE_AUDIT_ENTRY (tesoro_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (TesoroAuditEntry, tesoro_audit_entry, TESORO, AUDIT_ENTRY, GObject)

gint64       tesoro_audit_entry_get_id          (TesoroAuditEntry *self);
const char  *tesoro_audit_entry_get_at          (TesoroAuditEntry *self);
const char  *tesoro_audit_entry_get_actor       (TesoroAuditEntry *self);
const char  *tesoro_audit_entry_get_action      (TesoroAuditEntry *self);
const char  *tesoro_audit_entry_get_contact_uid (TesoroAuditEntry *self);
const char  *tesoro_audit_entry_get_details     (TesoroAuditEntry *self);
const char  *tesoro_audit_entry_get_prev_hash   (TesoroAuditEntry *self);
const char  *tesoro_audit_entry_get_hash        (TesoroAuditEntry *self);
char        *tesoro_audit_entry_describe        (TesoroAuditEntry *self);
JsonNode    *tesoro_audit_entry_to_json_node    (TesoroAuditEntry *self);

/**
 * TesoroAuditFilter:
 * @action: (nullable): only this action
 * @actions: (nullable) (array zero-terminated=1): only these actions
 * @actor: (nullable): only entries of this user (their login)
 * @contact_uid: (nullable): only entries about this contact
 * @since: (nullable): only entries at or after this moment (ISO 8601)
 * @until: (nullable): only entries before this moment (ISO 8601)
 * @limit: at most this many entries; 0 for all
 * @newest_first: order by id descending rather than ascending
 *
 * Initialise with tesoro_audit_filter_init().
 */
typedef struct
{
  const char *action;
  const char * const *actions;
  const char *actor;
  const char *contact_uid;
  const char *since;
  const char *until;
  guint       limit;
  gboolean    newest_first;
} TesoroAuditFilter;

void        tesoro_audit_filter_init     (TesoroAuditFilter        *filter);

TesoroAuditEntry *tesoro_audit_entry_new    (gint64      id,
                                             const char *at,
                                             const char *actor,
                                             const char *action,
                                             const char *contact_uid,
                                             const char *details,
                                             const char *prev_hash,
                                             const char *hash);
char             *tesoro_audit_compute_hash (const char *prev_hash,
                                             gint64      id,
                                             const char *at,
                                             const char *actor,
                                             const char *action,
                                             const char *contact_uid,
                                             const char *details);

G_END_DECLS
