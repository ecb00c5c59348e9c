/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-audit-entry.h"
#include "tesoro-breach.h"
#include "tesoro-consent-state.h"
#include "tesoro-contact.h"
#include "tesoro-data-field.h"
#include "tesoro-field-groups.h"
#include "tesoro-import-batch.h"
#include "tesoro-policy.h"
#include "tesoro-receipt.h"
#include "tesoro-request.h"
#include "tesoro-search.h"
#include "tesoro-user.h"

G_BEGIN_DECLS

/*
 * TesoroBackend: what the session asks of a storage engine, in typed
 * operations — never SQL. SQLite (storage/sqlite/) is the embedded default;
 * a server engine implements the same interface without anything above it
 * changing.
 *
 * A backend is one connection, used from one thread at a time. It knows no
 * rules: whether a contact may be changed, what an erasure must remove,
 * who may see what, is decided by the session's services, which call these
 * operations inside transactions they open. Errors are GErrors in the
 * TESORO_ERROR domain with messages a person can act on.
 *
 * Ids are opaque positive numbers that the backend hands out; a contact's
 * id grows with every new contact, and nothing else is assumed of them.
 */

#define TESORO_TYPE_BACKEND (tesoro_backend_get_type ())

G_DECLARE_INTERFACE (TesoroBackend, tesoro_backend, TESORO, BACKEND, GObject)

/**
 * TesoroWriteFlags:
 * @TESORO_WRITE_DEFAULT: an ordinary change
 * @TESORO_WRITE_DURABLE: the commit is synced fully before it returns
 *   (erasure: a power cut must not bring the person back)
 * @TESORO_WRITE_BULK: many contacts at once (an import, sample data): the
 *   backend may gather index entries and check constraints at the commit
 */
typedef enum
{
  TESORO_WRITE_DEFAULT = 0,
  TESORO_WRITE_DURABLE = 1 << 0,
  TESORO_WRITE_BULK    = 1 << 1,
} TesoroWriteFlags;

/**
 * TesoroContactState:
 *
 * What the rules look at before changing a contact.
 */
typedef struct
{
  char     *uid;
  char     *lawful_basis;
  char     *legal_hold_reason;
  char     *trashed_at;
  gboolean  restricted;
  gboolean  legal_hold;
} TesoroContactState;

void tesoro_contact_state_clear (TesoroContactState *state);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TesoroContactState, tesoro_contact_state_clear)

/**
 * TesoroContactQuery:
 * @trash: -1 any, 0 not in the trash, 1 only in the trash
 * @legal_hold: -1 any, 0 not on hold, 1 only on hold
 * @trashed_before: (nullable): only contacts trashed before this moment
 * @inactive_before: (nullable): only contacts whose last activity is older
 * @order: the order of the ids
 *
 * Which contacts: for the erasure runs (trash, expiry, retention) and counts.
 */
typedef enum
{
  TESORO_ORDER_ID,
  TESORO_ORDER_TRASHED,
  TESORO_ORDER_ACTIVITY,
} TesoroQueryOrder;

typedef struct
{
  int               trash;
  int               legal_hold;
  const char       *trashed_before;
  const char       *inactive_before;
  TesoroQueryOrder  order;
} TesoroContactQuery;

void tesoro_contact_query_init (TesoroContactQuery *query);

/**
 * TesoroScalarField:
 *
 * The single-valued fields a batch edit changes one by one.
 */
typedef enum
{
  TESORO_SCALAR_ORGANIZATION,
  TESORO_SCALAR_LAWFUL_BASIS,
} TesoroScalarField;

/**
 * TesoroNameKind:
 *
 * Tags and custom fields are named once and linked to contacts.
 */
typedef enum
{
  TESORO_NAME_TAG,
  TESORO_NAME_CUSTOM_FIELD,
} TesoroNameKind;

/**
 * TesoroRecordKind:
 *
 * The kinds of a contact's linked records, as the storage keeps them.
 */
typedef enum
{
  TESORO_RECORD_NOTE,
  TESORO_RECORD_MESSAGE,
  TESORO_RECORD_TASK,
  TESORO_RECORD_ACTIVITY,
  TESORO_RECORD_CONSENT,
} TesoroRecordKind;

/* Export: the flat rows of File → Export, without one object per contact. */

typedef struct
{
  const char *label;
  const char *value;
  gboolean    primary;
} TesoroRowDetail;

typedef struct
{
  const char *label;
  const char *street;
  const char *postal_code;
  const char *city;
  const char *region;
  const char *country;
} TesoroRowAddress;

/**
 * TesoroExportRow:
 * @consent: the current marketing consent ("granted", "withdrawn") or ""
 * @emails: (element-type TesoroRowDetail): in their order
 * @phones: (element-type TesoroRowDetail): in their order
 * @addresses: (element-type TesoroRowAddress): in their order
 * @tags: (element-type utf8): in their order
 * @custom: (element-type utf8): name, value, name, value…
 *
 * One contact as an export reads it. The strings belong to the scan and
 * are valid until the next row.
 */
typedef struct
{
  gint64      id;
  const char *given_name;
  const char *family_name;
  const char *display_name;
  const char *organization;
  const char *job_title;
  const char *birthday;
  const char *lawful_basis;
  const char *consent;
  gboolean    restricted;
  GArray     *emails;
  GArray     *phones;
  GArray     *addresses;
  GPtrArray  *tags;
  GPtrArray  *custom;
} TesoroExportRow;

/**
 * TesoroExportLayout:
 * @custom_names: (element-type utf8): the custom fields the contacts have
 *   values for, sorted
 *
 * The most values one of the exported contacts has of each kind.
 */
typedef struct
{
  guint      n_emails;
  guint      n_phones;
  guint      n_addresses;
  GPtrArray *custom_names;
} TesoroExportLayout;

void tesoro_export_layout_clear (TesoroExportLayout *layout);

/* Return FALSE (with @error) to stop a scan. */
typedef gboolean (*TesoroExportRowFunc)  (const TesoroExportRow *row,
                                          gpointer               user_data,
                                          GError               **error);
typedef void     (*TesoroStringFunc)     (const char            *value,
                                          gpointer               user_data);
typedef gboolean (*TesoroAuditEntryFunc) (TesoroAuditEntry      *entry,
                                          gpointer               user_data,
                                          GError               **error);
typedef gboolean (*TesoroConsentRowFunc) (gint64                 id,
                                          const char            *display_name,
                                          const char            *primary_email,
                                          gboolean               restricted,
                                          TesoroConsentState     state,
                                          gpointer               user_data,
                                          GError               **error);

/**
 * TesoroBackendInterface:
 *
 * See the wrappers below for what each operation does.
 */
struct _TesoroBackendInterface
{
  GTypeInterface parent_iface;

  /* The connection */
  const char    *(*get_location)         (TesoroBackend       *self);
  gboolean       (*is_read_only)         (TesoroBackend       *self);
  TesoroBackend *(*open_another)         (TesoroBackend       *self,
                                          gboolean             read_only,
                                          GError             **error);
  void           (*close)                (TesoroBackend       *self);
  void           (*set_actor)            (TesoroBackend       *self,
                                          const char          *login);
  int            (*get_schema_version)   (TesoroBackend       *self);
  gboolean       (*is_exposed)           (TesoroBackend       *self);

  /* Transactions */
  gboolean       (*begin_write)          (TesoroBackend       *self,
                                          TesoroWriteFlags     flags,
                                          GError             **error);
  gboolean       (*begin_read)           (TesoroBackend       *self,
                                          GError             **error);
  gboolean       (*commit)               (TesoroBackend       *self,
                                          GError             **error);
  void           (*rollback)             (TesoroBackend       *self);
  gboolean       (*in_transaction)       (TesoroBackend       *self);
  gboolean       (*purge)                (TesoroBackend       *self,
                                          GError             **error);
  /* Finishes the purges that erasures could not (another connection was
   * reading): purges the files, removes stale bytes another program may
   * have copied into them, and marks the pending receipts purged; sets
   * @n_finished to how many. Nothing pending is a quick no-op. */
  gboolean       (*finish_purges)        (TesoroBackend       *self,
                                          guint               *n_finished,
                                          GError             **error);

  /* Settings */
  char          *(*get_setting)          (TesoroBackend       *self,
                                          const char          *key,
                                          GError             **error);
  gboolean       (*set_setting)          (TesoroBackend       *self,
                                          const char          *key,
                                          const char          *value,
                                          GError             **error);
  /* The keys that start with @prefix, in order; NULL on error. */
  GStrv          (*list_setting_keys)    (TesoroBackend       *self,
                                          const char          *prefix,
                                          GError             **error);

  /* Contacts */
  gboolean       (*insert_contact)       (TesoroBackend       *self,
                                          TesoroContact       *contact,
                                          GError             **error);
  gboolean       (*update_contact)       (TesoroBackend       *self,
                                          TesoroContact       *contact,
                                          GError             **error);
  gboolean       (*touch_contact)        (TesoroBackend       *self,
                                          gint64               id,
                                          const char          *at,
                                          const char          *edited_at,
                                          GError             **error);
  GPtrArray     *(*load_contacts)        (TesoroBackend       *self,
                                          const gint64        *ids,
                                          guint                n_ids,
                                          TesoroFieldGroups    fields,
                                          GError             **error);
  GPtrArray     *(*load_summaries)       (TesoroBackend       *self,
                                          const gint64        *ids,
                                          guint                n_ids,
                                          GError             **error);
  gboolean       (*get_contact_state)    (TesoroBackend       *self,
                                          gint64               id,
                                          TesoroContactState  *state,
                                          GError             **error);
  gint64         (*find_by_uid)          (TesoroBackend       *self,
                                          const char          *uid,
                                          gboolean             include_trash,
                                          GError             **error);
  gint64         (*find_by_email)        (TesoroBackend       *self,
                                          const char          *email,
                                          GError             **error);
  gboolean       (*set_trashed)          (TesoroBackend       *self,
                                          gint64               id,
                                          gboolean             trash,
                                          const char          *stamp,
                                          gboolean            *changed,
                                          GError             **error);
  gboolean       (*set_restricted)       (TesoroBackend       *self,
                                          gint64               id,
                                          gboolean             restricted,
                                          GError             **error);
  gboolean       (*set_legal_hold)       (TesoroBackend       *self,
                                          gint64               id,
                                          gboolean             legal_hold,
                                          const char          *reason,
                                          GError             **error);
  gboolean       (*delete_contact)       (TesoroBackend       *self,
                                          gint64               id,
                                          GError             **error);
  gboolean       (*delete_unused_names)  (TesoroBackend       *self,
                                          GError             **error);
  gint64         (*count_contacts)       (TesoroBackend       *self,
                                          const TesoroContactQuery *query,
                                          GError             **error);
  GArray        *(*select_contacts)      (TesoroBackend       *self,
                                          const TesoroContactQuery *query,
                                          GError             **error);
  gboolean       (*count_linked)         (TesoroBackend       *self,
                                          gint64               id,
                                          TesoroLinkedCounts  *counts,
                                          GError             **error);

  /* Fields one at a time (batch edits) */
  char          *(*get_scalar)           (TesoroBackend       *self,
                                          gint64               id,
                                          TesoroScalarField    field,
                                          GError             **error);
  gboolean       (*set_scalar)           (TesoroBackend       *self,
                                          gint64               id,
                                          TesoroScalarField    field,
                                          const char          *value,
                                          GError             **error);
  gboolean       (*get_first_city)       (TesoroBackend       *self,
                                          gint64               id,
                                          char               **city,
                                          guint               *n_addresses,
                                          GError             **error);
  gboolean       (*set_first_city)       (TesoroBackend       *self,
                                          gint64               id,
                                          const char          *city,
                                          gboolean             add_address,
                                          GError             **error);
  gboolean       (*remove_addresses)     (TesoroBackend       *self,
                                          gint64               id,
                                          GError             **error);
  gint64         (*find_name)            (TesoroBackend       *self,
                                          TesoroNameKind       kind,
                                          const char          *name,
                                          gboolean             create,
                                          char               **stored_name,
                                          GError             **error);
  gboolean       (*delete_name_if_unused) (TesoroBackend      *self,
                                           TesoroNameKind       kind,
                                           gint64               name_id,
                                           GError             **error);
  GStrv          (*list_names)           (TesoroBackend       *self,
                                          TesoroNameKind       kind,
                                          GError             **error);
  gboolean       (*get_custom_value)     (TesoroBackend       *self,
                                          gint64               id,
                                          gint64               field_id,
                                          char               **value,
                                          GError             **error);
  gboolean       (*set_custom_value)     (TesoroBackend       *self,
                                          gint64               id,
                                          gint64               field_id,
                                          const char          *value,
                                          GError             **error);
  gboolean       (*get_tag_position)     (TesoroBackend       *self,
                                          gint64               id,
                                          gint64               tag_id,
                                          gint64              *position,
                                          GError             **error);
  gboolean       (*add_tag)              (TesoroBackend       *self,
                                          gint64               id,
                                          gint64               tag_id,
                                          gint64               position,
                                          gboolean            *changed,
                                          GError             **error);
  gboolean       (*remove_tag)           (TesoroBackend       *self,
                                          gint64               id,
                                          gint64               tag_id,
                                          gboolean            *changed,
                                          GError             **error);
  gboolean       (*reindex_contact)      (TesoroBackend       *self,
                                          gint64               id,
                                          GError             **error);

  /* History */
  gint64         (*insert_history)       (TesoroBackend       *self,
                                          gint64               contact_id,
                                          TesoroRecordKind    kind,
                                          gconstpointer        record,
                                          GError             **error);
  gboolean       (*delete_history)       (TesoroBackend       *self,
                                          gint64               contact_id,
                                          TesoroRecordKind    kind,
                                          gint64               record_id,
                                          GError             **error);
  gint64         (*get_task_contact)     (TesoroBackend       *self,
                                          gint64               task_id,
                                          GError             **error);
  gboolean       (*set_task_done)        (TesoroBackend       *self,
                                          gint64               task_id,
                                          gboolean             done,
                                          const char          *at,
                                          GError             **error);
  gboolean       (*get_latest_consent)   (TesoroBackend       *self,
                                          gint64               contact_id,
                                          const char          *purpose,
                                          TesoroConsentEvent **event,
                                          GError             **error);

  /* Consent purposes */
  GPtrArray     *(*list_purposes)        (TesoroBackend       *self,
                                          GError             **error);
  gboolean       (*insert_purpose)       (TesoroBackend       *self,
                                          const char          *key,
                                          const char          *name,
                                          const char          *created_at,
                                          GError             **error);

  /* Search */
  GArray        *(*list_ids)             (TesoroBackend       *self,
                                          gboolean             trash,
                                          GError             **error);
  GArray        *(*search_ids)           (TesoroBackend       *self,
                                          GPtrArray           *prefixes,
                                          TesoroFieldGroups    visible,
                                          gboolean             trash,
                                          GError             **error);
  gboolean       (*foreach_match)        (TesoroBackend       *self,
                                          const char          *prefix,
                                          TesoroFieldGroups    visible,
                                          TesoroIdFunc         func,
                                          gpointer             user_data,
                                          GError             **error);
  gboolean       (*contact_matches)      (TesoroBackend       *self,
                                          gint64               id,
                                          GPtrArray           *prefixes,
                                          TesoroFieldGroups    visible,
                                          GError             **error);
  char          *(*get_sort_key)         (TesoroBackend       *self,
                                          gint64               id,
                                          gboolean            *trashed,
                                          GError             **error);

  /* Scans */
  gboolean       (*get_export_layout)    (TesoroBackend       *self,
                                          GArray              *ids,
                                          gboolean             include_restricted,
                                          TesoroExportLayout  *layout,
                                          GError             **error);
  gboolean       (*scan_export_rows)     (TesoroBackend       *self,
                                          GArray              *ids,
                                          gboolean             include_restricted,
                                          guint64             *n_restricted,
                                          GCancellable        *cancellable,
                                          TesoroExportRowFunc  func,
                                          gpointer             user_data,
                                          GError             **error);
  gboolean       (*scan_consent)         (TesoroBackend       *self,
                                          const char          *purpose,
                                          TesoroConsentRowFunc func,
                                          gpointer             user_data,
                                          GError             **error);
  gboolean       (*foreach_email)        (TesoroBackend       *self,
                                          guint64              max,
                                          gboolean            *complete,
                                          TesoroStringFunc     func,
                                          gpointer             user_data,
                                          GError             **error);

  /* The accountability log */
  gint64         (*append_audit)         (TesoroBackend       *self,
                                          const char          *at,
                                          const char          *actor,
                                          const char          *action,
                                          const char          *contact_uid,
                                          const char          *details,
                                          GError             **error);
  GPtrArray     *(*list_audit)           (TesoroBackend       *self,
                                          const TesoroAuditFilter *filter,
                                          GError             **error);
  gboolean       (*scan_audit)           (TesoroBackend       *self,
                                          gboolean            *head_found,
                                          gint64              *head_id,
                                          char               **head_hash,
                                          TesoroAuditEntryFunc func,
                                          gpointer             user_data,
                                          GError             **error);

  /* Erasure receipts */
  gboolean       (*insert_receipt)       (TesoroBackend       *self,
                                          TesoroErasureReceipt *receipt,
                                          GError             **error);
  gboolean       (*mark_receipts_purged) (TesoroBackend       *self,
                                          GPtrArray           *receipts,
                                          GError             **error);
  GPtrArray     *(*list_receipts)        (TesoroBackend       *self,
                                          gint64               id,
                                          GError             **error);

  /* Users and roles */
  GPtrArray     *(*list_users)           (TesoroBackend       *self,
                                          GError             **error);
  TesoroUser    *(*get_user)             (TesoroBackend       *self,
                                          const char          *login,
                                          char               **password_hash,
                                          GError             **error);
  gboolean       (*insert_user)          (TesoroBackend       *self,
                                          TesoroUser          *user,
                                          const char          *password_hash,
                                          GError             **error);
  gboolean       (*update_user)          (TesoroBackend       *self,
                                          TesoroUser          *user,
                                          GError             **error);
  gboolean       (*set_password_hash)    (TesoroBackend       *self,
                                          const char          *login,
                                          const char          *password_hash,
                                          GError             **error);
  GPtrArray     *(*list_roles)           (TesoroBackend       *self,
                                          GError             **error);
  gboolean       (*save_role)            (TesoroBackend       *self,
                                          TesoroRole          *role,
                                          gboolean             create,
                                          GError             **error);

  /* Import batches */
  gint64         (*insert_import_batch)  (TesoroBackend       *self,
                                          const char          *at,
                                          const char          *actor,
                                          const char          *format,
                                          GError             **error);
  gboolean       (*finish_import_batch)  (TesoroBackend       *self,
                                          gint64               batch_id,
                                          const char          *counts,
                                          const char          *undone_at,
                                          GError             **error);
  GPtrArray     *(*list_import_batches)  (TesoroBackend       *self,
                                          gint64               batch_id,
                                          GError             **error);
  gboolean       (*put_import_item)      (TesoroBackend       *self,
                                          gint64               batch_id,
                                          gint64               contact_id,
                                          gboolean             created,
                                          const char          *previous,
                                          GError             **error);
  gboolean       (*get_import_item)      (TesoroBackend       *self,
                                          gint64               batch_id,
                                          gint64               contact_id,
                                          gboolean            *created,
                                          char               **previous,
                                          GError             **error);
  gboolean       (*list_import_updates)  (TesoroBackend       *self,
                                          gint64               batch_id,
                                          GArray              *ids,
                                          GPtrArray           *previous,
                                          GError             **error);
  gint64         (*delete_import_created) (TesoroBackend      *self,
                                           gint64               batch_id,
                                           GError             **error);

  /* Data-subject requests */
  gboolean       (*save_request)         (TesoroBackend       *self,
                                          TesoroRequest       *request,
                                          GError             **error);
  GPtrArray     *(*list_requests)        (TesoroBackend       *self,
                                          gint64               id,
                                          GError             **error);
  gboolean       (*scrub_requests_of)    (TesoroBackend       *self,
                                          const char          *contact_uid,
                                          const char          *at,
                                          GError             **error);
  GArray        *(*select_closed_requests) (TesoroBackend     *self,
                                            const char          *closed_before,
                                            GError             **error);
  gboolean       (*delete_request)       (TesoroBackend       *self,
                                          gint64               id,
                                          GError             **error);

  /* The breach log (append-only) */
  gboolean       (*add_breach)           (TesoroBackend       *self,
                                          TesoroBreach        *breach,
                                          GError             **error);
  gboolean       (*add_breach_event)     (TesoroBackend       *self,
                                          TesoroBreachEvent   *event,
                                          GError             **error);
  GPtrArray     *(*list_breaches)        (TesoroBackend       *self,
                                          GError             **error);
  TesoroBreach  *(*get_breach)           (TesoroBackend       *self,
                                          gint64               id,
                                          GError             **error);

  /* Fields one by one (data minimisation, the register of processing) */
  GPtrArray     *(*count_field_values)   (TesoroBackend       *self,
                                          GError             **error);
  GPtrArray     *(*count_lawful_bases)   (TesoroBackend       *self,
                                          GError             **error);
  gint64         (*count_without_consent) (TesoroBackend      *self,
                                           GError             **error);
  GArray        *(*erase_field_values)   (TesoroBackend       *self,
                                          TesoroDataField      field,
                                          const char          *custom_name,
                                          GError             **error);
};

/*
 * The operations are called through the interface: tesoro_backend_X (self,
 * …) is the X of the table above, with its arguments and types. Each is
 * documented where the engines implement it.
 */
#define TESORO_BACKEND_CALL(self, op, ...) (TESORO_BACKEND_GET_IFACE (self)->op ((self), ## __VA_ARGS__))

#define tesoro_backend_get_location(self, ...)                TESORO_BACKEND_CALL (self, get_location, ## __VA_ARGS__)
#define tesoro_backend_is_read_only(self, ...)                TESORO_BACKEND_CALL (self, is_read_only, ## __VA_ARGS__)
#define tesoro_backend_open_another(self, ...)                TESORO_BACKEND_CALL (self, open_another, ## __VA_ARGS__)
#define tesoro_backend_close(self, ...)                       TESORO_BACKEND_CALL (self, close, ## __VA_ARGS__)
#define tesoro_backend_set_actor(self, ...)                   TESORO_BACKEND_CALL (self, set_actor, ## __VA_ARGS__)
#define tesoro_backend_get_schema_version(self, ...)          TESORO_BACKEND_CALL (self, get_schema_version, ## __VA_ARGS__)
#define tesoro_backend_is_exposed(self, ...)                  TESORO_BACKEND_CALL (self, is_exposed, ## __VA_ARGS__)
#define tesoro_backend_begin_write(self, ...)                 TESORO_BACKEND_CALL (self, begin_write, ## __VA_ARGS__)
#define tesoro_backend_begin_read(self, ...)                  TESORO_BACKEND_CALL (self, begin_read, ## __VA_ARGS__)
#define tesoro_backend_commit(self, ...)                      TESORO_BACKEND_CALL (self, commit, ## __VA_ARGS__)
#define tesoro_backend_rollback(self, ...)                    TESORO_BACKEND_CALL (self, rollback, ## __VA_ARGS__)
#define tesoro_backend_in_transaction(self, ...)              TESORO_BACKEND_CALL (self, in_transaction, ## __VA_ARGS__)
#define tesoro_backend_purge(self, ...)                       TESORO_BACKEND_CALL (self, purge, ## __VA_ARGS__)
#define tesoro_backend_finish_purges(self, ...)               TESORO_BACKEND_CALL (self, finish_purges, ## __VA_ARGS__)
#define tesoro_backend_get_setting(self, ...)                 TESORO_BACKEND_CALL (self, get_setting, ## __VA_ARGS__)
#define tesoro_backend_set_setting(self, ...)                 TESORO_BACKEND_CALL (self, set_setting, ## __VA_ARGS__)
#define tesoro_backend_list_setting_keys(self, ...)           TESORO_BACKEND_CALL (self, list_setting_keys, ## __VA_ARGS__)
#define tesoro_backend_insert_contact(self, ...)              TESORO_BACKEND_CALL (self, insert_contact, ## __VA_ARGS__)
#define tesoro_backend_update_contact(self, ...)              TESORO_BACKEND_CALL (self, update_contact, ## __VA_ARGS__)
#define tesoro_backend_touch_contact(self, ...)               TESORO_BACKEND_CALL (self, touch_contact, ## __VA_ARGS__)
#define tesoro_backend_load_contacts(self, ...)               TESORO_BACKEND_CALL (self, load_contacts, ## __VA_ARGS__)
#define tesoro_backend_load_summaries(self, ...)              TESORO_BACKEND_CALL (self, load_summaries, ## __VA_ARGS__)
#define tesoro_backend_get_contact_state(self, ...)           TESORO_BACKEND_CALL (self, get_contact_state, ## __VA_ARGS__)
#define tesoro_backend_find_by_uid(self, ...)                 TESORO_BACKEND_CALL (self, find_by_uid, ## __VA_ARGS__)
#define tesoro_backend_find_by_email(self, ...)               TESORO_BACKEND_CALL (self, find_by_email, ## __VA_ARGS__)
#define tesoro_backend_set_trashed(self, ...)                 TESORO_BACKEND_CALL (self, set_trashed, ## __VA_ARGS__)
#define tesoro_backend_set_restricted(self, ...)              TESORO_BACKEND_CALL (self, set_restricted, ## __VA_ARGS__)
#define tesoro_backend_set_legal_hold(self, ...)              TESORO_BACKEND_CALL (self, set_legal_hold, ## __VA_ARGS__)
#define tesoro_backend_delete_contact(self, ...)              TESORO_BACKEND_CALL (self, delete_contact, ## __VA_ARGS__)
#define tesoro_backend_delete_unused_names(self, ...)         TESORO_BACKEND_CALL (self, delete_unused_names, ## __VA_ARGS__)
#define tesoro_backend_count_contacts(self, ...)              TESORO_BACKEND_CALL (self, count_contacts, ## __VA_ARGS__)
#define tesoro_backend_select_contacts(self, ...)             TESORO_BACKEND_CALL (self, select_contacts, ## __VA_ARGS__)
#define tesoro_backend_count_linked(self, ...)                TESORO_BACKEND_CALL (self, count_linked, ## __VA_ARGS__)
#define tesoro_backend_get_scalar(self, ...)                  TESORO_BACKEND_CALL (self, get_scalar, ## __VA_ARGS__)
#define tesoro_backend_set_scalar(self, ...)                  TESORO_BACKEND_CALL (self, set_scalar, ## __VA_ARGS__)
#define tesoro_backend_get_first_city(self, ...)              TESORO_BACKEND_CALL (self, get_first_city, ## __VA_ARGS__)
#define tesoro_backend_set_first_city(self, ...)              TESORO_BACKEND_CALL (self, set_first_city, ## __VA_ARGS__)
#define tesoro_backend_remove_addresses(self, ...)            TESORO_BACKEND_CALL (self, remove_addresses, ## __VA_ARGS__)
#define tesoro_backend_find_name(self, ...)                   TESORO_BACKEND_CALL (self, find_name, ## __VA_ARGS__)
#define tesoro_backend_delete_name_if_unused(self, ...)       TESORO_BACKEND_CALL (self, delete_name_if_unused, ## __VA_ARGS__)
#define tesoro_backend_list_names(self, ...)                  TESORO_BACKEND_CALL (self, list_names, ## __VA_ARGS__)
#define tesoro_backend_get_custom_value(self, ...)            TESORO_BACKEND_CALL (self, get_custom_value, ## __VA_ARGS__)
#define tesoro_backend_set_custom_value(self, ...)            TESORO_BACKEND_CALL (self, set_custom_value, ## __VA_ARGS__)
#define tesoro_backend_get_tag_position(self, ...)            TESORO_BACKEND_CALL (self, get_tag_position, ## __VA_ARGS__)
#define tesoro_backend_add_tag(self, ...)                     TESORO_BACKEND_CALL (self, add_tag, ## __VA_ARGS__)
#define tesoro_backend_remove_tag(self, ...)                  TESORO_BACKEND_CALL (self, remove_tag, ## __VA_ARGS__)
#define tesoro_backend_reindex_contact(self, ...)             TESORO_BACKEND_CALL (self, reindex_contact, ## __VA_ARGS__)
#define tesoro_backend_insert_history(self, ...)              TESORO_BACKEND_CALL (self, insert_history, ## __VA_ARGS__)
#define tesoro_backend_delete_history(self, ...)              TESORO_BACKEND_CALL (self, delete_history, ## __VA_ARGS__)
#define tesoro_backend_get_task_contact(self, ...)            TESORO_BACKEND_CALL (self, get_task_contact, ## __VA_ARGS__)
#define tesoro_backend_set_task_done(self, ...)               TESORO_BACKEND_CALL (self, set_task_done, ## __VA_ARGS__)
#define tesoro_backend_get_latest_consent(self, ...)          TESORO_BACKEND_CALL (self, get_latest_consent, ## __VA_ARGS__)
#define tesoro_backend_list_purposes(self, ...)               TESORO_BACKEND_CALL (self, list_purposes, ## __VA_ARGS__)
#define tesoro_backend_insert_purpose(self, ...)              TESORO_BACKEND_CALL (self, insert_purpose, ## __VA_ARGS__)
#define tesoro_backend_list_ids(self, ...)                    TESORO_BACKEND_CALL (self, list_ids, ## __VA_ARGS__)
#define tesoro_backend_search_ids(self, ...)                  TESORO_BACKEND_CALL (self, search_ids, ## __VA_ARGS__)
#define tesoro_backend_foreach_match(self, ...)               TESORO_BACKEND_CALL (self, foreach_match, ## __VA_ARGS__)
#define tesoro_backend_contact_matches(self, ...)             TESORO_BACKEND_CALL (self, contact_matches, ## __VA_ARGS__)
#define tesoro_backend_get_sort_key(self, ...)                TESORO_BACKEND_CALL (self, get_sort_key, ## __VA_ARGS__)
#define tesoro_backend_get_export_layout(self, ...)           TESORO_BACKEND_CALL (self, get_export_layout, ## __VA_ARGS__)
#define tesoro_backend_scan_export_rows(self, ...)            TESORO_BACKEND_CALL (self, scan_export_rows, ## __VA_ARGS__)
#define tesoro_backend_scan_consent(self, ...)                TESORO_BACKEND_CALL (self, scan_consent, ## __VA_ARGS__)
#define tesoro_backend_foreach_email(self, ...)               TESORO_BACKEND_CALL (self, foreach_email, ## __VA_ARGS__)
#define tesoro_backend_append_audit(self, ...)                TESORO_BACKEND_CALL (self, append_audit, ## __VA_ARGS__)
#define tesoro_backend_list_audit(self, ...)                  TESORO_BACKEND_CALL (self, list_audit, ## __VA_ARGS__)
#define tesoro_backend_scan_audit(self, ...)                  TESORO_BACKEND_CALL (self, scan_audit, ## __VA_ARGS__)
#define tesoro_backend_insert_receipt(self, ...)              TESORO_BACKEND_CALL (self, insert_receipt, ## __VA_ARGS__)
#define tesoro_backend_mark_receipts_purged(self, ...)        TESORO_BACKEND_CALL (self, mark_receipts_purged, ## __VA_ARGS__)
#define tesoro_backend_list_receipts(self, ...)               TESORO_BACKEND_CALL (self, list_receipts, ## __VA_ARGS__)
#define tesoro_backend_list_users(self, ...)                  TESORO_BACKEND_CALL (self, list_users, ## __VA_ARGS__)
#define tesoro_backend_get_user(self, ...)                    TESORO_BACKEND_CALL (self, get_user, ## __VA_ARGS__)
#define tesoro_backend_insert_user(self, ...)                 TESORO_BACKEND_CALL (self, insert_user, ## __VA_ARGS__)
#define tesoro_backend_update_user(self, ...)                 TESORO_BACKEND_CALL (self, update_user, ## __VA_ARGS__)
#define tesoro_backend_set_password_hash(self, ...)           TESORO_BACKEND_CALL (self, set_password_hash, ## __VA_ARGS__)
#define tesoro_backend_list_roles(self, ...)                  TESORO_BACKEND_CALL (self, list_roles, ## __VA_ARGS__)
#define tesoro_backend_save_role(self, ...)                   TESORO_BACKEND_CALL (self, save_role, ## __VA_ARGS__)
#define tesoro_backend_insert_import_batch(self, ...)         TESORO_BACKEND_CALL (self, insert_import_batch, ## __VA_ARGS__)
#define tesoro_backend_finish_import_batch(self, ...)         TESORO_BACKEND_CALL (self, finish_import_batch, ## __VA_ARGS__)
#define tesoro_backend_list_import_batches(self, ...)         TESORO_BACKEND_CALL (self, list_import_batches, ## __VA_ARGS__)
#define tesoro_backend_put_import_item(self, ...)             TESORO_BACKEND_CALL (self, put_import_item, ## __VA_ARGS__)
#define tesoro_backend_get_import_item(self, ...)             TESORO_BACKEND_CALL (self, get_import_item, ## __VA_ARGS__)
#define tesoro_backend_list_import_updates(self, ...)         TESORO_BACKEND_CALL (self, list_import_updates, ## __VA_ARGS__)
#define tesoro_backend_delete_import_created(self, ...)       TESORO_BACKEND_CALL (self, delete_import_created, ## __VA_ARGS__)
#define tesoro_backend_save_request(self, ...)                TESORO_BACKEND_CALL (self, save_request, ## __VA_ARGS__)
#define tesoro_backend_list_requests(self, ...)               TESORO_BACKEND_CALL (self, list_requests, ## __VA_ARGS__)
#define tesoro_backend_scrub_requests_of(self, ...)           TESORO_BACKEND_CALL (self, scrub_requests_of, ## __VA_ARGS__)
#define tesoro_backend_select_closed_requests(self, ...)      TESORO_BACKEND_CALL (self, select_closed_requests, ## __VA_ARGS__)
#define tesoro_backend_delete_request(self, ...)              TESORO_BACKEND_CALL (self, delete_request, ## __VA_ARGS__)
#define tesoro_backend_add_breach(self, ...)                  TESORO_BACKEND_CALL (self, add_breach, ## __VA_ARGS__)
#define tesoro_backend_add_breach_event(self, ...)            TESORO_BACKEND_CALL (self, add_breach_event, ## __VA_ARGS__)
#define tesoro_backend_list_breaches(self, ...)               TESORO_BACKEND_CALL (self, list_breaches, ## __VA_ARGS__)
#define tesoro_backend_get_breach(self, ...)                  TESORO_BACKEND_CALL (self, get_breach, ## __VA_ARGS__)
#define tesoro_backend_count_field_values(self, ...)          TESORO_BACKEND_CALL (self, count_field_values, ## __VA_ARGS__)
#define tesoro_backend_count_lawful_bases(self, ...)          TESORO_BACKEND_CALL (self, count_lawful_bases, ## __VA_ARGS__)
#define tesoro_backend_count_without_consent(self, ...)       TESORO_BACKEND_CALL (self, count_without_consent, ## __VA_ARGS__)
#define tesoro_backend_erase_field_values(self, ...)          TESORO_BACKEND_CALL (self, erase_field_values, ## __VA_ARGS__)

G_END_DECLS
