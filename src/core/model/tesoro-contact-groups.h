/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-contact.h"

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

G_END_DECLS
