/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-backend"

#include "config.h"

#include <string.h>

#include "tesoro-backend.h"

/*
 * The interface's wrappers. What each operation does is said where it is
 * declared (tesoro-backend.h) and, for the details of an engine, in that
 * engine's files.
 */

G_DEFINE_INTERFACE (TesoroBackend, tesoro_backend, G_TYPE_OBJECT)

static void
tesoro_backend_default_init (TesoroBackendInterface *iface)
{
}

void
tesoro_contact_state_clear (TesoroContactState *state)
{
  g_clear_pointer (&state->uid, g_free);
  g_clear_pointer (&state->lawful_basis, g_free);
  g_clear_pointer (&state->legal_hold_reason, g_free);
  g_clear_pointer (&state->trashed_at, g_free);
  state->restricted = FALSE;
  state->legal_hold = FALSE;
}

/**
 * tesoro_contact_query_init:
 *
 * Every contact, in id order.
 */
void
tesoro_contact_query_init (TesoroContactQuery *query)
{
  memset (query, 0, sizeof *query);
  query->trash = -1;
  query->legal_hold = -1;
  query->order = TESORO_ORDER_ID;
}

void
tesoro_export_layout_clear (TesoroExportLayout *layout)
{
  g_clear_pointer (&layout->custom_names, g_ptr_array_unref);
}

const char    *
tesoro_backend_get_location (TesoroBackend *self)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->get_location (self);
}

gboolean
tesoro_backend_is_read_only (TesoroBackend *self)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->is_read_only (self);
}

TesoroBackend *
tesoro_backend_open_another (TesoroBackend  *self,
                             gboolean        read_only,
                             GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->open_another (self, read_only, error);
}

void
tesoro_backend_close (TesoroBackend *self)
{
  g_return_if_fail (TESORO_IS_BACKEND (self));
  TESORO_BACKEND_GET_IFACE (self)->close (self);
}

void
tesoro_backend_set_actor (TesoroBackend *self,
                          const char    *login)
{
  g_return_if_fail (TESORO_IS_BACKEND (self));
  TESORO_BACKEND_GET_IFACE (self)->set_actor (self, login);
}

int
tesoro_backend_get_schema_version (TesoroBackend *self)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), 0);
  return TESORO_BACKEND_GET_IFACE (self)->get_schema_version (self);
}

gboolean
tesoro_backend_begin_write (TesoroBackend     *self,
                            TesoroWriteFlags   flags,
                            GError           **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->begin_write (self, flags, error);
}

gboolean
tesoro_backend_begin_read (TesoroBackend  *self,
                           GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->begin_read (self, error);
}

gboolean
tesoro_backend_commit (TesoroBackend  *self,
                       GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->commit (self, error);
}

void
tesoro_backend_rollback (TesoroBackend *self)
{
  g_return_if_fail (TESORO_IS_BACKEND (self));
  TESORO_BACKEND_GET_IFACE (self)->rollback (self);
}

gboolean
tesoro_backend_in_transaction (TesoroBackend *self)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->in_transaction (self);
}

gboolean
tesoro_backend_purge (TesoroBackend  *self,
                      GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->purge (self, error);
}

char          *
tesoro_backend_get_setting (TesoroBackend  *self,
                            const char     *key,
                            GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->get_setting (self, key, error);
}

gboolean
tesoro_backend_set_setting (TesoroBackend  *self,
                            const char     *key,
                            const char     *value,
                            GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_setting (self, key, value, error);
}

gboolean
tesoro_backend_insert_contact (TesoroBackend  *self,
                               TesoroContact  *contact,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->insert_contact (self, contact, error);
}

gboolean
tesoro_backend_update_contact (TesoroBackend  *self,
                               TesoroContact  *contact,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->update_contact (self, contact, error);
}

gboolean
tesoro_backend_touch_contact (TesoroBackend  *self,
                              gint64          id,
                              const char     *at,
                              const char     *edited_at,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->touch_contact (self, id, at, edited_at, error);
}

GPtrArray     *
tesoro_backend_load_contacts (TesoroBackend      *self,
                              const gint64       *ids,
                              guint               n_ids,
                              TesoroFieldGroups   fields,
                              GError            **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->load_contacts (self, ids, n_ids, fields, error);
}

GPtrArray     *
tesoro_backend_load_summaries (TesoroBackend  *self,
                               const gint64   *ids,
                               guint           n_ids,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->load_summaries (self, ids, n_ids, error);
}

gboolean
tesoro_backend_get_contact_state (TesoroBackend       *self,
                                  gint64               id,
                                  TesoroContactState  *state,
                                  GError             **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->get_contact_state (self, id, state, error);
}

gint64
tesoro_backend_find_by_uid (TesoroBackend  *self,
                            const char     *uid,
                            gboolean        include_trash,
                            GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->find_by_uid (self, uid, include_trash, error);
}

gint64
tesoro_backend_find_by_email (TesoroBackend  *self,
                              const char     *email,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->find_by_email (self, email, error);
}

gboolean
tesoro_backend_set_trashed (TesoroBackend  *self,
                            gint64          id,
                            gboolean        trash,
                            const char     *stamp,
                            gboolean       *changed,
                            GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_trashed (self, id, trash, stamp, changed, error);
}

gboolean
tesoro_backend_set_restricted (TesoroBackend  *self,
                               gint64          id,
                               gboolean        restricted,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_restricted (self, id, restricted, error);
}

gboolean
tesoro_backend_set_legal_hold (TesoroBackend  *self,
                               gint64          id,
                               gboolean        legal_hold,
                               const char     *reason,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_legal_hold (self, id, legal_hold, reason, error);
}

gboolean
tesoro_backend_delete_contact (TesoroBackend  *self,
                               gint64          id,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->delete_contact (self, id, error);
}

gboolean
tesoro_backend_delete_unused_names (TesoroBackend  *self,
                                    GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->delete_unused_names (self, error);
}

gint64
tesoro_backend_count_contacts (TesoroBackend             *self,
                               const TesoroContactQuery  *query,
                               GError                   **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->count_contacts (self, query, error);
}

GArray        *
tesoro_backend_select_contacts (TesoroBackend             *self,
                                const TesoroContactQuery  *query,
                                GError                   **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->select_contacts (self, query, error);
}

gboolean
tesoro_backend_count_linked (TesoroBackend       *self,
                             gint64               id,
                             TesoroLinkedCounts  *counts,
                             GError             **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->count_linked (self, id, counts, error);
}

char          *
tesoro_backend_get_scalar (TesoroBackend      *self,
                           gint64              id,
                           TesoroScalarField   field,
                           GError            **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->get_scalar (self, id, field, error);
}

gboolean
tesoro_backend_set_scalar (TesoroBackend      *self,
                           gint64              id,
                           TesoroScalarField   field,
                           const char         *value,
                           GError            **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_scalar (self, id, field, value, error);
}

gboolean
tesoro_backend_get_first_city (TesoroBackend  *self,
                               gint64          id,
                               char          **city,
                               guint          *n_addresses,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->get_first_city (self, id, city, n_addresses, error);
}

gboolean
tesoro_backend_set_first_city (TesoroBackend  *self,
                               gint64          id,
                               const char     *city,
                               gboolean        add_address,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_first_city (self, id, city, add_address, error);
}

gboolean
tesoro_backend_remove_addresses (TesoroBackend  *self,
                                 gint64          id,
                                 GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->remove_addresses (self, id, error);
}

gint64
tesoro_backend_find_name (TesoroBackend   *self,
                          TesoroNameKind   kind,
                          const char      *name,
                          gboolean         create,
                          char           **stored_name,
                          GError         **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->find_name (self, kind, name, create, stored_name, error);
}

gboolean
tesoro_backend_delete_name_if_unused (TesoroBackend   *self,
                                      TesoroNameKind   kind,
                                      gint64           name_id,
                                      GError         **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->delete_name_if_unused (self, kind, name_id, error);
}

GStrv
tesoro_backend_list_names (TesoroBackend   *self,
                           TesoroNameKind   kind,
                           GError         **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->list_names (self, kind, error);
}

gboolean
tesoro_backend_get_custom_value (TesoroBackend  *self,
                                 gint64          id,
                                 gint64          field_id,
                                 char          **value,
                                 GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->get_custom_value (self, id, field_id, value, error);
}

gboolean
tesoro_backend_set_custom_value (TesoroBackend  *self,
                                 gint64          id,
                                 gint64          field_id,
                                 const char     *value,
                                 GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_custom_value (self, id, field_id, value, error);
}

gboolean
tesoro_backend_get_tag_position (TesoroBackend  *self,
                                 gint64          id,
                                 gint64          tag_id,
                                 gint64         *position,
                                 GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->get_tag_position (self, id, tag_id, position, error);
}

gboolean
tesoro_backend_add_tag (TesoroBackend  *self,
                        gint64          id,
                        gint64          tag_id,
                        gint64          position,
                        gboolean       *changed,
                        GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->add_tag (self, id, tag_id, position, changed, error);
}

gboolean
tesoro_backend_remove_tag (TesoroBackend  *self,
                           gint64          id,
                           gint64          tag_id,
                           gboolean       *changed,
                           GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->remove_tag (self, id, tag_id, changed, error);
}

gboolean
tesoro_backend_reindex_contact (TesoroBackend  *self,
                                gint64          id,
                                GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->reindex_contact (self, id, error);
}

gint64
tesoro_backend_insert_history (TesoroBackend      *self,
                               gint64              contact_id,
                               TesoroHistoryKind   kind,
                               gconstpointer       record,
                               GError            **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->insert_history (self, contact_id, kind, record, error);
}

gboolean
tesoro_backend_delete_history (TesoroBackend      *self,
                               gint64              contact_id,
                               TesoroHistoryKind   kind,
                               gint64              record_id,
                               GError            **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->delete_history (self, contact_id, kind, record_id, error);
}

gint64
tesoro_backend_get_task_contact (TesoroBackend  *self,
                                 gint64          task_id,
                                 GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->get_task_contact (self, task_id, error);
}

gboolean
tesoro_backend_set_task_done (TesoroBackend  *self,
                              gint64          task_id,
                              gboolean        done,
                              const char     *at,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->set_task_done (self, task_id, done, at, error);
}

gboolean
tesoro_backend_get_latest_consent (TesoroBackend       *self,
                                   gint64               contact_id,
                                   const char          *purpose,
                                   TesoroConsentEvent **event,
                                   GError             **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->get_latest_consent (self, contact_id, purpose, event, error);
}

GPtrArray     *
tesoro_backend_list_purposes (TesoroBackend  *self,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->list_purposes (self, error);
}

gboolean
tesoro_backend_insert_purpose (TesoroBackend  *self,
                               const char     *key,
                               const char     *name,
                               const char     *created_at,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->insert_purpose (self, key, name, created_at, error);
}

GArray        *
tesoro_backend_list_ids (TesoroBackend  *self,
                         gboolean        trash,
                         GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->list_ids (self, trash, error);
}

GArray        *
tesoro_backend_search_ids (TesoroBackend  *self,
                           GPtrArray      *prefixes,
                           gboolean        trash,
                           GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->search_ids (self, prefixes, trash, error);
}

gboolean
tesoro_backend_foreach_match (TesoroBackend  *self,
                              const char     *prefix,
                              TesoroIdFunc    func,
                              gpointer        user_data,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->foreach_match (self, prefix, func, user_data, error);
}

gboolean
tesoro_backend_contact_matches (TesoroBackend  *self,
                                gint64          id,
                                GPtrArray      *prefixes,
                                GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->contact_matches (self, id, prefixes, error);
}

char          *
tesoro_backend_get_sort_key (TesoroBackend  *self,
                             gint64          id,
                             gboolean       *trashed,
                             GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->get_sort_key (self, id, trashed, error);
}

gboolean
tesoro_backend_get_export_layout (TesoroBackend       *self,
                                  GArray              *ids,
                                  gboolean             include_restricted,
                                  TesoroExportLayout  *layout,
                                  GError             **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->get_export_layout (self, ids, include_restricted, layout, error);
}

gboolean
tesoro_backend_scan_export_rows (TesoroBackend        *self,
                                 GArray               *ids,
                                 gboolean              include_restricted,
                                 guint64              *n_restricted,
                                 GCancellable         *cancellable,
                                 TesoroExportRowFunc   func,
                                 gpointer              user_data,
                                 GError              **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->scan_export_rows (self, ids, include_restricted, n_restricted, cancellable, func, user_data, error);
}

gboolean
tesoro_backend_scan_consent (TesoroBackend         *self,
                             const char            *purpose,
                             TesoroConsentRowFunc   func,
                             gpointer               user_data,
                             GError               **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->scan_consent (self, purpose, func, user_data, error);
}

gboolean
tesoro_backend_foreach_email (TesoroBackend     *self,
                              guint64            max,
                              gboolean          *complete,
                              TesoroStringFunc   func,
                              gpointer           user_data,
                              GError           **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->foreach_email (self, max, complete, func, user_data, error);
}

gint64
tesoro_backend_append_audit (TesoroBackend  *self,
                             const char     *at,
                             const char     *actor,
                             const char     *action,
                             const char     *contact_uid,
                             const char     *details,
                             GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->append_audit (self, at, actor, action, contact_uid, details, error);
}

GPtrArray     *
tesoro_backend_list_audit (TesoroBackend            *self,
                           const TesoroAuditFilter  *filter,
                           GError                  **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->list_audit (self, filter, error);
}

gboolean
tesoro_backend_scan_audit (TesoroBackend         *self,
                           gboolean              *head_found,
                           gint64                *head_id,
                           char                 **head_hash,
                           TesoroAuditEntryFunc   func,
                           gpointer               user_data,
                           GError               **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->scan_audit (self, head_found, head_id, head_hash, func, user_data, error);
}

gboolean
tesoro_backend_insert_receipt (TesoroBackend         *self,
                               TesoroErasureReceipt  *receipt,
                               GError               **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->insert_receipt (self, receipt, error);
}

gboolean
tesoro_backend_mark_receipts_purged (TesoroBackend  *self,
                                     GPtrArray      *receipts,
                                     GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->mark_receipts_purged (self, receipts, error);
}

GPtrArray     *
tesoro_backend_list_receipts (TesoroBackend  *self,
                              gint64          id,
                              GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->list_receipts (self, id, error);
}

gint64
tesoro_backend_insert_import_batch (TesoroBackend  *self,
                                    const char     *at,
                                    const char     *actor,
                                    const char     *format,
                                    GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->insert_import_batch (self, at, actor, format, error);
}

gboolean
tesoro_backend_finish_import_batch (TesoroBackend  *self,
                                    gint64          batch_id,
                                    const char     *counts,
                                    const char     *undone_at,
                                    GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->finish_import_batch (self, batch_id, counts, undone_at, error);
}

GPtrArray     *
tesoro_backend_list_import_batches (TesoroBackend  *self,
                                    gint64          batch_id,
                                    GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), NULL);
  return TESORO_BACKEND_GET_IFACE (self)->list_import_batches (self, batch_id, error);
}

gboolean
tesoro_backend_put_import_item (TesoroBackend  *self,
                                gint64          batch_id,
                                gint64          contact_id,
                                gboolean        created,
                                const char     *previous,
                                GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->put_import_item (self, batch_id, contact_id, created, previous, error);
}

gboolean
tesoro_backend_get_import_item (TesoroBackend  *self,
                                gint64          batch_id,
                                gint64          contact_id,
                                gboolean       *created,
                                char          **previous,
                                GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->get_import_item (self, batch_id, contact_id, created, previous, error);
}

gboolean
tesoro_backend_list_import_updates (TesoroBackend  *self,
                                    gint64          batch_id,
                                    GArray         *ids,
                                    GPtrArray      *previous,
                                    GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), FALSE);
  return TESORO_BACKEND_GET_IFACE (self)->list_import_updates (self, batch_id, ids, previous, error);
}

gint64
tesoro_backend_delete_import_created (TesoroBackend  *self,
                                      gint64          batch_id,
                                      GError        **error)
{
  g_return_val_if_fail (TESORO_IS_BACKEND (self), -1);
  return TESORO_BACKEND_GET_IFACE (self)->delete_import_created (self, batch_id, error);
}
