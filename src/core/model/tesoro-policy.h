/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tesoro-field-groups.h"

G_BEGIN_DECLS

/*
 * Roles: what a user may do (permissions, per action) and see or change
 * (field access, per field group). The session enforces them
 * (services/tesoro-access.c); this is the data.
 */

/**
 * TesoroPermission:
 *
 * The actions a role may be allowed. Their keys ("export-data") are what
 * tesoro-cli and the database use.
 */
typedef enum
{
  TESORO_PERMISSION_VIEW,
  TESORO_PERMISSION_EDIT,
  TESORO_PERMISSION_HISTORY,
  TESORO_PERMISSION_IMPORT,
  TESORO_PERMISSION_BULK_EXPORT,
  TESORO_PERMISSION_EXPORT_DATA,
  TESORO_PERMISSION_ERASE,
  TESORO_PERMISSION_BATCH_EDIT,
  TESORO_PERMISSION_RESTRICT,
  TESORO_PERMISSION_CONSENT,
  TESORO_PERMISSION_AUDIT_LOG,
  TESORO_PERMISSION_RECEIPTS,
  TESORO_PERMISSION_RETENTION,
  TESORO_PERMISSION_SETTINGS,
  TESORO_PERMISSION_USERS,
  TESORO_PERMISSION_REQUESTS,
  TESORO_N_PERMISSIONS
} TesoroPermission;

const char *tesoro_permission_to_key      (TesoroPermission  permission);
gboolean    tesoro_permission_from_key    (const char       *key,
                                           TesoroPermission *permission);
const char *tesoro_permission_get_label   (TesoroPermission  permission);

/**
 * TesoroFieldAccess:
 * @TESORO_ACCESS_HIDDEN: not shown at all, not searched, not exported
 * @TESORO_ACCESS_READ: shown, not changed
 * @TESORO_ACCESS_WRITE: shown and changed
 */
typedef enum
{
  TESORO_ACCESS_HIDDEN,
  TESORO_ACCESS_READ,
  TESORO_ACCESS_WRITE,
} TesoroFieldAccess;

const char *tesoro_field_access_to_key    (TesoroFieldAccess  access);
gboolean    tesoro_field_access_from_key  (const char        *key,
                                           TesoroFieldAccess *access);

/* The field groups, one bit each, with their keys ("emails") and labels. */

TesoroFieldGroups tesoro_field_group_nth      (guint               index);
const char       *tesoro_field_group_to_key   (TesoroFieldGroups   group);
gboolean          tesoro_field_group_from_key (const char         *key,
                                               TesoroFieldGroups  *group);
const char       *tesoro_field_group_get_label (TesoroFieldGroups  group);

/* The built-in roles. */
#define TESORO_ROLE_ADMINISTRATOR   "administrator"
#define TESORO_ROLE_PRIVACY_OFFICER "privacy-officer"
#define TESORO_ROLE_SALES           "sales"
#define TESORO_ROLE_READ_ONLY       "read-only"

#define TESORO_TYPE_ROLE (tesoro_role_get_type ())

G_DECLARE_FINAL_TYPE (TesoroRole, tesoro_role, TESORO, ROLE, GObject)

TesoroRole        *tesoro_role_new                (const char        *key,
                                                   const char        *name,
                                                   gboolean           builtin);
TesoroRole        *tesoro_role_new_builtin        (const char        *key);
TesoroRole        *tesoro_role_copy               (TesoroRole        *self);
const char        *tesoro_role_get_key            (TesoroRole        *self);
const char        *tesoro_role_get_name           (TesoroRole        *self);
const char        *tesoro_role_get_display_name   (TesoroRole        *self);
gboolean           tesoro_role_is_builtin         (TesoroRole        *self);
gboolean           tesoro_role_has_permission     (TesoroRole        *self,
                                                   TesoroPermission   permission);
void               tesoro_role_set_permission     (TesoroRole        *self,
                                                   TesoroPermission   permission,
                                                   gboolean           allowed);
TesoroFieldAccess  tesoro_role_get_access         (TesoroRole        *self,
                                                   TesoroFieldGroups  group);
void               tesoro_role_set_access         (TesoroRole        *self,
                                                   TesoroFieldGroups  group,
                                                   TesoroFieldAccess  access);
TesoroFieldAccess  tesoro_role_get_custom_access  (TesoroRole        *self,
                                                   const char        *field_name);
void               tesoro_role_set_custom_access  (TesoroRole        *self,
                                                   const char        *field_name,
                                                   TesoroFieldAccess  access);
GStrv              tesoro_role_list_custom_fields (TesoroRole        *self);
TesoroFieldGroups  tesoro_role_get_visible        (TesoroRole        *self);
TesoroFieldGroups  tesoro_role_get_writable       (TesoroRole        *self);
gboolean           tesoro_role_sees_everything    (TesoroRole        *self);
GStrv              tesoro_role_get_hidden_custom  (TesoroRole        *self);

char              *tesoro_role_permissions_to_string       (TesoroRole  *self);
void               tesoro_role_set_permissions_from_string (TesoroRole  *self,
                                                            const char  *text);
char              *tesoro_role_fields_to_string            (TesoroRole  *self);
gboolean           tesoro_role_set_fields_from_string      (TesoroRole  *self,
                                                            const char  *text,
                                                            GError     **error);

G_END_DECLS
