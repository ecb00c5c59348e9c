/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * TesoroUser: a person who uses Tesoro, with a role. Users are never
 * deleted, only disabled: the accountability log names them. The password
 * hash stays in the storage and the session; it is not part of this.
 */

#define TESORO_TYPE_USER (tesoro_user_get_type ())

G_DECLARE_FINAL_TYPE (TesoroUser, tesoro_user, TESORO, USER, GObject)

TesoroUser *tesoro_user_new                (const char *login,
                                            const char *full_name,
                                            const char *role);
const char *tesoro_user_get_login          (TesoroUser *self);
const char *tesoro_user_get_full_name      (TesoroUser *self);
void        tesoro_user_set_full_name      (TesoroUser *self,
                                            const char *full_name);
const char *tesoro_user_get_role           (TesoroUser *self);
void        tesoro_user_set_role           (TesoroUser *self,
                                            const char *role);
gboolean    tesoro_user_get_disabled       (TesoroUser *self);
void        tesoro_user_set_disabled       (TesoroUser *self,
                                            gboolean    disabled);
gboolean    tesoro_user_has_password       (TesoroUser *self);
void        tesoro_user_set_has_password   (TesoroUser *self,
                                            gboolean    has_password);
const char *tesoro_user_get_created_at     (TesoroUser *self);
void        tesoro_user_set_created_at     (TesoroUser *self,
                                            const char *at);
const char *tesoro_user_get_last_sign_in   (TesoroUser *self);
void        tesoro_user_set_last_sign_in   (TesoroUser *self,
                                            const char *at);
guint       tesoro_user_get_failed_attempts (TesoroUser *self);
void        tesoro_user_set_failed_attempts (TesoroUser *self,
                                             guint       n);
const char *tesoro_user_get_locked_until   (TesoroUser *self);
void        tesoro_user_set_locked_until   (TesoroUser *self,
                                            const char *at);
char       *tesoro_user_dup_display_name   (TesoroUser *self);

G_END_DECLS
