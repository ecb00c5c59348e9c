/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tesoro-field-groups.h"
#include "tesoro-records.h"

G_BEGIN_DECLS

#define TESORO_TYPE_CONTACT (tesoro_contact_get_type ())

G_DECLARE_FINAL_TYPE (TesoroContact, tesoro_contact, TESORO, CONTACT, GObject)

/* The GDPR Art. 6 lawful bases, as stored and as written in JSON. */
extern const char * const tesoro_lawful_bases[];

const char    *tesoro_lawful_basis_get_label       (const char    *basis);
const char    *tesoro_lawful_basis_get_msgid       (const char    *basis);

TesoroContact *tesoro_contact_new                  (void);
TesoroContact *tesoro_contact_copy                 (TesoroContact *self);

TesoroFieldGroups tesoro_contact_get_shown_groups (TesoroContact    *self);
void           tesoro_contact_set_shown_groups     (TesoroContact *self,
                                                    TesoroFieldGroups groups);
gint64         tesoro_contact_get_id               (TesoroContact *self);
void           tesoro_contact_set_id               (TesoroContact *self,
                                                    gint64         id);
const char    *tesoro_contact_get_uid              (TesoroContact *self);
void           tesoro_contact_set_uid              (TesoroContact *self,
                                                    const char    *uid);
const char    *tesoro_contact_get_given_name       (TesoroContact *self);
void           tesoro_contact_set_given_name       (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_family_name      (TesoroContact *self);
void           tesoro_contact_set_family_name      (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_display_name     (TesoroContact *self);
void           tesoro_contact_set_display_name     (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_organization     (TesoroContact *self);
void           tesoro_contact_set_organization     (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_job_title        (TesoroContact *self);
void           tesoro_contact_set_job_title        (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_birthday         (TesoroContact *self);
void           tesoro_contact_set_birthday         (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_lawful_basis     (TesoroContact *self);
void           tesoro_contact_set_lawful_basis     (TesoroContact *self,
                                                    const char    *value);
gboolean       tesoro_contact_get_restricted       (TesoroContact *self);
void           tesoro_contact_set_restricted       (TesoroContact *self,
                                                    gboolean       value);
gboolean       tesoro_contact_get_legal_hold       (TesoroContact *self);
void           tesoro_contact_set_legal_hold       (TesoroContact *self,
                                                    gboolean       value);
const char    *tesoro_contact_get_legal_hold_reason (TesoroContact *self);
void           tesoro_contact_set_legal_hold_reason (TesoroContact *self,
                                                     const char    *value);
const char    *tesoro_contact_get_created_at       (TesoroContact *self);
void           tesoro_contact_set_created_at       (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_updated_at       (TesoroContact *self);
void           tesoro_contact_set_updated_at       (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_last_activity_at (TesoroContact *self);
void           tesoro_contact_set_last_activity_at (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_trashed_at       (TesoroContact *self);
void           tesoro_contact_set_trashed_at       (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_primary_email    (TesoroContact *self);
void           tesoro_contact_set_primary_email    (TesoroContact *self,
                                                    const char    *value);
const char    *tesoro_contact_get_primary_phone    (TesoroContact *self);
const char    *tesoro_contact_get_consent_state    (TesoroContact *self);
void           tesoro_contact_set_consent_state    (TesoroContact *self,
                                                    const char    *value);

char          *tesoro_contact_dup_best_name        (TesoroContact *self);

/* The multi-valued parts and the history. The arrays belong to the contact
 * and may be changed in place by whoever builds or edits it. */
GPtrArray     *tesoro_contact_get_emails           (TesoroContact *self);
GPtrArray     *tesoro_contact_get_phones           (TesoroContact *self);
GPtrArray     *tesoro_contact_get_addresses        (TesoroContact *self);
GPtrArray     *tesoro_contact_get_custom_values    (TesoroContact *self);
GPtrArray     *tesoro_contact_get_tags             (TesoroContact *self);
GPtrArray     *tesoro_contact_get_notes            (TesoroContact *self);
GPtrArray     *tesoro_contact_get_messages         (TesoroContact *self);
GPtrArray     *tesoro_contact_get_tasks            (TesoroContact *self);
GPtrArray     *tesoro_contact_get_activities       (TesoroContact *self);
GPtrArray     *tesoro_contact_get_consent          (TesoroContact *self);

void           tesoro_contact_add_email            (TesoroContact *self,
                                                    const char    *label,
                                                    const char    *value,
                                                    gboolean       primary);
void           tesoro_contact_add_phone            (TesoroContact *self,
                                                    const char    *label,
                                                    const char    *value,
                                                    gboolean       primary);
const char    *tesoro_contact_get_custom_value     (TesoroContact *self,
                                                    const char    *name);
void           tesoro_contact_set_custom_value     (TesoroContact *self,
                                                    const char    *name,
                                                    const char    *value);
gboolean       tesoro_contact_has_tag              (TesoroContact *self,
                                                    const char    *tag);

gboolean       tesoro_contact_validate             (TesoroContact *self,
                                                    GError       **error);
gboolean       tesoro_is_lawful_basis              (const char    *text);

G_END_DECLS
