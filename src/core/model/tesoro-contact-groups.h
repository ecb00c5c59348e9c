/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-contact.h"
#include "tesoro-data-field.h"

G_BEGIN_DECLS

/*
 * A contact seen by field group, for field-level security: hiding what a
 * reader may not see, finding which groups a change touches, and taking
 * groups from one copy into another.
 */

/* The groups a change of the contact's fields can touch (the history has
 * functions of its own); of the consent group only the lawful basis. */
#define TESORO_FIELDS_EDITABLE ((TesoroFieldGroups) (TESORO_FIELDS_NAME | TESORO_FIELDS_ORGANIZATION | \
                                                     TESORO_FIELDS_EMAILS | TESORO_FIELDS_PHONES | \
                                                     TESORO_FIELDS_ADDRESSES | TESORO_FIELDS_BIRTHDAY | \
                                                     TESORO_FIELDS_CUSTOM | TESORO_FIELDS_TAGS | \
                                                     TESORO_FIELDS_CONSENT))

void              tesoro_contact_hide_groups    (TesoroContact      *self,
                                                 TesoroFieldGroups   hidden);
void              tesoro_contact_hide_custom    (TesoroContact      *self,
                                                 const char         *name);
TesoroFieldGroups tesoro_contact_diff_groups    (TesoroContact      *a,
                                                 TesoroContact      *b);
GStrv             tesoro_contact_diff_custom    (TesoroContact      *a,
                                                 TesoroContact      *b);
void              tesoro_contact_take_groups    (TesoroContact      *self,
                                                 TesoroContact      *from,
                                                 TesoroFieldGroups   groups);
void              tesoro_contact_take_custom    (TesoroContact      *self,
                                                 TesoroContact      *from,
                                                 const char         *name);
TesoroFieldGroups tesoro_contact_get_filled_groups (TesoroContact  *self);

/* One field at a time (tesoro-data-field.h); @custom_name names the custom
 * field for %TESORO_DATA_FIELD_CUSTOM. */
gboolean          tesoro_contact_has_field      (TesoroContact      *self,
                                                 TesoroDataField     field,
                                                 const char         *custom_name);
gboolean          tesoro_contact_field_differs  (TesoroContact      *self,
                                                 TesoroContact      *other,
                                                 TesoroDataField     field,
                                                 const char         *custom_name);
void              tesoro_contact_clear_field    (TesoroContact      *self,
                                                 TesoroDataField     field,
                                                 const char         *custom_name);
void              tesoro_contact_take_field     (TesoroContact      *self,
                                                 TesoroContact      *from,
                                                 TesoroDataField     field,
                                                 const char         *custom_name);
char             *tesoro_contact_find_new_value (TesoroContact      *self,
                                                 TesoroContact      *stored,
                                                 const char * const *keys);
void              tesoro_contact_take_fields    (TesoroContact      *self,
                                                 TesoroContact      *from,
                                                 const char * const *keys);

G_END_DECLS
