/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-contact.h"

G_BEGIN_DECLS

typedef struct _TesoroEmailSet TesoroEmailSet;

TesoroEmailSet *tesoro_email_set_new          (gboolean        complete);
void            tesoro_email_set_free         (TesoroEmailSet *set);
void            tesoro_email_set_add          (TesoroEmailSet *set,
                                               const char     *email);
gboolean        tesoro_email_set_add_contact  (TesoroEmailSet *set,
                                               TesoroContact  *contact);
gboolean        tesoro_email_set_may_know     (TesoroEmailSet *set,
                                               TesoroContact  *contact);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroEmailSet, tesoro_email_set_free)

G_END_DECLS
