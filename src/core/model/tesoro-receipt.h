/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The erasure receipt: what Permanent Delete keeps of an erased contact,
 * without personal data (the random uid, who, when, how, why, and how many
 * records of each kind went with it).
 */

/**
 * TesoroErasureMethod:
 * @TESORO_ERASURE_MANUAL: Delete Permanently of one contact
 * @TESORO_ERASURE_TRASH: Empty Trash, or the automatic expiry of the trash
 * @TESORO_ERASURE_RETENTION: the retention period passed
 * @TESORO_ERASURE_BATCH: permanent deletion of a selection of contacts
 * @TESORO_ERASURE_REQUEST: the response to an erasure request (Art. 17)
 * @TESORO_ERASURE_REQUEST_RETENTION: a closed data-subject request whose
 *   retention period passed (the receipt's uid is the request's)
 *
 * How a contact came to be erased, as the receipt says.
 */
typedef enum
{
  TESORO_ERASURE_MANUAL,
  TESORO_ERASURE_TRASH,
  TESORO_ERASURE_RETENTION,
  TESORO_ERASURE_BATCH,
  TESORO_ERASURE_REQUEST,
  TESORO_ERASURE_REQUEST_RETENTION,
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

TesoroErasureReceipt     *tesoro_erasure_receipt_new              (gint64                    id,
                                                                   const char               *contact_uid,
                                                                   const char               *erased_at,
                                                                   const char               *erased_by,
                                                                   const char               *method,
                                                                   const char               *reason,
                                                                   const TesoroLinkedCounts *counts,
                                                                   gboolean                  index_purged,
                                                                   gboolean                  files_purged);
void                      _tesoro_erasure_receipt_set_id          (TesoroErasureReceipt     *self,
                                                                   gint64                    id);
void                      _tesoro_erasure_receipt_set_files_purged (TesoroErasureReceipt    *self,
                                                                    gboolean                  files_purged);
void                      tesoro_linked_counts_from_json          (const char               *text,
                                                                   TesoroLinkedCounts       *counts);

G_END_DECLS
