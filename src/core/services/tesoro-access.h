/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tesoro-audit-entry.h"
#include "tesoro-policy.h"
#include "tesoro-session.h"
#include "tesoro-user.h"

G_BEGIN_DECLS

/*
 * Access control: who acts, what their role lets them do, and what of a
 * contact they may see and change. The session enforces it in every
 * service; front ends ask here only to offer what will be allowed.
 *
 * One person needs no sign-in: a fresh database has one user, the
 * administrator (the operating-system login), and opens as them. Once a
 * second active user exists, every session starts signed out and must
 * sign in with a login and password.
 */

#define TESORO_PASSWORD_MIN_LENGTH 10

/* Audit actions of access control */
#define TESORO_AUDIT_VIEW             "view"
#define TESORO_AUDIT_SIGN_IN          "sign-in"
#define TESORO_AUDIT_SIGN_IN_FAILED   "sign-in-failed"
#define TESORO_AUDIT_USER_ADDED       "user-added"
#define TESORO_AUDIT_USER_CHANGED     "user-changed"
#define TESORO_AUDIT_ROLE_CHANGED     "role-changed"

/* Who acts */
gboolean          tesoro_session_requires_sign_in   (TesoroSession      *self);
gboolean          tesoro_session_is_signed_in       (TesoroSession      *self);
gboolean          tesoro_session_sign_in            (TesoroSession      *self,
                                                     const char         *login,
                                                     const char         *password,
                                                     GError            **error);
void              tesoro_session_sign_out           (TesoroSession      *self);
TesoroUser       *tesoro_session_get_user           (TesoroSession      *self);
TesoroRole       *tesoro_session_get_role           (TesoroSession      *self);
void              tesoro_session_set_front_end      (TesoroSession      *self,
                                                     const char         *front_end);
const char       *tesoro_session_get_front_end      (TesoroSession      *self);
gboolean          tesoro_session_is_exposed         (TesoroSession      *self);

/* What the acting user may do and see */
gboolean          tesoro_session_can                (TesoroSession      *self,
                                                     TesoroPermission    permission);
gboolean          tesoro_session_require            (TesoroSession      *self,
                                                     TesoroPermission    permission,
                                                     GError            **error);
TesoroFieldAccess tesoro_session_get_access         (TesoroSession      *self,
                                                     TesoroFieldGroups   group);
TesoroFieldAccess tesoro_session_get_custom_access  (TesoroSession      *self,
                                                     const char         *field_name);

/* Users (the "users" permission; anyone may change their own password) */
gboolean          tesoro_password_check_strength    (const char         *password,
                                                     const char         *login,
                                                     GError            **error);
GPtrArray        *tesoro_session_list_users         (TesoroSession      *self,
                                                     GError            **error);
gboolean          tesoro_session_add_user           (TesoroSession      *self,
                                                     const char         *login,
                                                     const char         *full_name,
                                                     const char         *role,
                                                     const char         *password,
                                                     GError            **error);
gboolean          tesoro_session_set_user_disabled  (TesoroSession      *self,
                                                     const char         *login,
                                                     gboolean            disabled,
                                                     GError            **error);
gboolean          tesoro_session_set_user_role      (TesoroSession      *self,
                                                     const char         *login,
                                                     const char         *role,
                                                     GError            **error);
gboolean          tesoro_session_set_password       (TesoroSession      *self,
                                                     const char         *login,
                                                     const char         *password,
                                                     GError            **error);

/* Roles */
GPtrArray        *tesoro_session_list_roles         (TesoroSession      *self,
                                                     GError            **error);
TesoroRole       *tesoro_session_lookup_role        (TesoroSession      *self,
                                                     const char         *key,
                                                     GError            **error);
gboolean          tesoro_session_add_role           (TesoroSession      *self,
                                                     const char         *key,
                                                     const char         *name,
                                                     GError            **error);
gboolean          tesoro_session_save_role          (TesoroSession      *self,
                                                     TesoroRole         *role,
                                                     GError            **error);

/* The audit of views */
GPtrArray        *tesoro_session_list_views         (TesoroSession      *self,
                                                     const char         *contact_uid,
                                                     GError            **error);

G_END_DECLS
