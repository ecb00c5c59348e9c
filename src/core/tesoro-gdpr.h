/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tesoro-audit.h"
#include "tesoro-export.h"
#include "tesoro-store.h"

G_BEGIN_DECLS

/*
 * The GDPR duties on top of the store: permanent erasure with receipts,
 * the consent ledger, restriction of processing, legal hold, trash expiry,
 * retention, Export Data and the marketing export. Every function is one
 * transaction and writes the accountability log (tesoro-audit.h).
 *
 * All functions are synchronous. They may be called from a worker thread on
 * a TesoroStore of that thread's own, opened on the same file (SQLite's WAL
 * lets it read and write beside the window's connection); the window's store
 * does not see that thread's "contact-changed" signals and should reload.
 */

/**
 * TesoroErasureMethod:
 * @TESORO_ERASURE_MANUAL: Delete Permanently of one contact
 * @TESORO_ERASURE_TRASH: Empty Trash, or the automatic expiry of the trash
 * @TESORO_ERASURE_RETENTION: the retention period passed
 * @TESORO_ERASURE_BATCH: permanent deletion of a selection of contacts
 *
 * How a contact came to be erased, as the receipt says.
 */
typedef enum
{
  TESORO_ERASURE_MANUAL,
  TESORO_ERASURE_TRASH,
  TESORO_ERASURE_RETENTION,
  TESORO_ERASURE_BATCH,
} TesoroErasureMethod;

const char *tesoro_erasure_method_to_string   (TesoroErasureMethod method);

/**
 * TesoroLinkedCounts:
 *
 * How many records of each kind belong to a contact: what a confirmation
 * dialog lists, and what an erasure receipt keeps.
 */
typedef struct
{
  guint emails;
  guint phones;
  guint addresses;
  guint custom_fields;
  guint tags;
  guint notes;
  guint messages;
  guint tasks;
  guint activities;
  guint consent_events;
  guint search_terms;
} TesoroLinkedCounts;

guint       tesoro_linked_counts_total        (const TesoroLinkedCounts *counts);
char       *tesoro_linked_counts_describe     (const TesoroLinkedCounts *counts);
JsonNode   *tesoro_linked_counts_to_json_node (const TesoroLinkedCounts *counts);

/* Receipts */

#define TESORO_TYPE_ERASURE_RECEIPT (tesoro_erasure_receipt_get_type ())

G_DECLARE_FINAL_TYPE (TesoroErasureReceipt, tesoro_erasure_receipt, TESORO, ERASURE_RECEIPT, GObject)

gint64                    tesoro_erasure_receipt_get_id           (TesoroErasureReceipt *self);
const char               *tesoro_erasure_receipt_get_contact_uid  (TesoroErasureReceipt *self);
const char               *tesoro_erasure_receipt_get_erased_at    (TesoroErasureReceipt *self);
const char               *tesoro_erasure_receipt_get_erased_by    (TesoroErasureReceipt *self);
const char               *tesoro_erasure_receipt_get_method       (TesoroErasureReceipt *self);
const char               *tesoro_erasure_receipt_get_reason       (TesoroErasureReceipt *self);
const TesoroLinkedCounts *tesoro_erasure_receipt_get_counts       (TesoroErasureReceipt *self);
gboolean                  tesoro_erasure_receipt_get_index_purged (TesoroErasureReceipt *self);
gboolean                  tesoro_erasure_receipt_get_files_purged (TesoroErasureReceipt *self);
char                     *tesoro_erasure_receipt_to_text          (TesoroErasureReceipt *self);
const char               *tesoro_erasure_method_get_label         (const char           *method);
JsonNode                 *tesoro_erasure_receipt_to_json_node     (TesoroErasureReceipt *self);

/* Called after each contact of a batch. */
typedef void (*TesoroErasureProgressFunc) (guint    done,
                                           guint    total,
                                           gpointer user_data);

/* Erasure */
gboolean    tesoro_store_count_linked         (TesoroStore               *self,
                                               gint64                     contact_id,
                                               TesoroLinkedCounts        *counts,
                                               GError                   **error);
gboolean    tesoro_store_erase_contact        (TesoroStore               *self,
                                               gint64                     contact_id,
                                               const char                *reason,
                                               TesoroErasureMethod        method,
                                               TesoroErasureReceipt     **receipt,
                                               GError                   **error);
gboolean    tesoro_store_erase_contacts       (TesoroStore               *self,
                                               const gint64              *ids,
                                               guint                      n_ids,
                                               const char                *reason,
                                               TesoroErasureMethod        method,
                                               GCancellable              *cancellable,
                                               TesoroErasureProgressFunc  progress,
                                               gpointer                   user_data,
                                               GPtrArray                **receipts,
                                               GError                   **error);
gboolean    tesoro_store_purge_files          (TesoroStore               *self,
                                               GError                   **error);
GPtrArray  *tesoro_store_list_erasure_receipts (TesoroStore              *self,
                                                GError                  **error);
TesoroErasureReceipt *tesoro_store_get_erasure_receipt (TesoroStore      *self,
                                                        gint64            receipt_id,
                                                        GError          **error);

/* Trash */
gboolean    tesoro_store_empty_trash          (TesoroStore               *self,
                                               GCancellable              *cancellable,
                                               TesoroErasureProgressFunc  progress,
                                               gpointer                   user_data,
                                               GPtrArray                **receipts,
                                               GError                   **error);
gboolean    tesoro_store_expire_trash         (TesoroStore               *self,
                                               GCancellable              *cancellable,
                                               GPtrArray                **receipts,
                                               GError                   **error);

/* Settings of the privacy officer */

/**
 * TesoroGdprSettings:
 * @retention_enabled: whether contacts inactive for longer than
 *   @retention_years are erased automatically (off by default)
 * @retention_years: the retention period, 1 to 100 years (default 5)
 * @trash_expiry_days: contacts stay this many days in the trash before they
 *   are erased (default 30; 0 keeps them until the trash is emptied)
 */
typedef struct
{
  gboolean retention_enabled;
  guint    retention_years;
  guint    trash_expiry_days;
} TesoroGdprSettings;

gboolean    tesoro_store_get_gdpr_settings    (TesoroStore               *self,
                                               TesoroGdprSettings        *settings,
                                               GError                   **error);
gboolean    tesoro_store_set_gdpr_settings    (TesoroStore               *self,
                                               const TesoroGdprSettings  *settings,
                                               GError                   **error);

/* Retention */
char       *tesoro_retention_cutoff           (guint                      years);
GPtrArray  *tesoro_store_find_retention_candidates (TesoroStore          *self,
                                                    guint                 years,
                                                    GError              **error);
gboolean    tesoro_store_apply_retention      (TesoroStore               *self,
                                               guint                      years,
                                               GCancellable              *cancellable,
                                               TesoroErasureProgressFunc  progress,
                                               gpointer                   user_data,
                                               GPtrArray                **receipts,
                                               GError                   **error);
gboolean    tesoro_store_run_housekeeping     (TesoroStore               *self,
                                               GCancellable              *cancellable,
                                               GPtrArray                **receipts,
                                               GError                   **error);

/* Consent */

#define TESORO_PURPOSE_MARKETING_EMAIL "marketing-email"

typedef enum
{
  TESORO_CONSENT_UNKNOWN,
  TESORO_CONSENT_GRANTED,
  TESORO_CONSENT_WITHDRAWN,
} TesoroConsentState;

const char *tesoro_consent_state_to_string    (TesoroConsentState state);
TesoroConsentState tesoro_consent_state_from_events (GPtrArray           *events,
                                                     const char          *purpose,
                                                     TesoroConsentEvent **latest);

/**
 * TesoroConsentPurpose:
 * @key: the stable key, as stored in the ledger ("marketing-email")
 * @name: the name shown to people ("Marketing e-mail")
 */
typedef struct
{
  char *key;
  char *name;
} TesoroConsentPurpose;

#define TESORO_TYPE_CONSENT_PURPOSE (tesoro_consent_purpose_get_type ())

GType                 tesoro_consent_purpose_get_type (void) G_GNUC_CONST;
TesoroConsentPurpose *tesoro_consent_purpose_copy  (const TesoroConsentPurpose *self);
void                  tesoro_consent_purpose_free  (TesoroConsentPurpose       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroConsentPurpose, tesoro_consent_purpose_free)

GPtrArray  *tesoro_store_list_consent_purposes (TesoroStore              *self,
                                                GError                  **error);
gboolean    tesoro_store_add_consent_purpose  (TesoroStore               *self,
                                               const char                *key,
                                               const char                *name,
                                               GError                   **error);
gint64      tesoro_store_record_consent       (TesoroStore               *self,
                                               gint64                     contact_id,
                                               const char                *purpose,
                                               gboolean                   granted,
                                               const char                *at,
                                               const char                *source,
                                               const char                *evidence,
                                               GError                   **error);
gboolean    tesoro_store_get_consent_state    (TesoroStore               *self,
                                               gint64                     contact_id,
                                               const char                *purpose,
                                               TesoroConsentState        *state,
                                               TesoroConsentEvent       **latest,
                                               GError                   **error);

/* Restriction of processing (Art. 18) and legal hold */
gboolean    tesoro_store_set_restricted       (TesoroStore               *self,
                                               gint64                     contact_id,
                                               gboolean                   restricted,
                                               GError                   **error);
gboolean    tesoro_store_set_legal_hold       (TesoroStore               *self,
                                               gint64                     contact_id,
                                               gboolean                   legal_hold,
                                               const char                *reason,
                                               GError                   **error);

/* Export */
gboolean    tesoro_store_export_data          (TesoroStore               *self,
                                               gint64                     contact_id,
                                               TesoroExportFormat         format,
                                               const char                *path,
                                               GError                   **error);
gboolean    tesoro_store_export_marketing     (TesoroStore               *self,
                                               const char                *path,
                                               GCancellable              *cancellable,
                                               guint                     *n_exported,
                                               GError                   **error);

/* For the store itself (tesoro-store.c): audits a change of lawful basis
 * inside the transaction of tesoro_store_update_contact(). */
gboolean    _tesoro_gdpr_audit_lawful_basis   (TesoroStore               *self,
                                               gint64                     contact_id,
                                               const char                *new_basis,
                                               GError                   **error);

G_END_DECLS
