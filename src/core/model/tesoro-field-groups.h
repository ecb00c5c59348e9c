/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TesoroFieldGroups:
 *
 * The groups of a contact's data, as loading and field-level security see
 * them. %TESORO_FIELDS_ALL is the whole contact.
 */
typedef enum
{
  TESORO_FIELDS_NAME         = 1 << 0,
  TESORO_FIELDS_ORGANIZATION = 1 << 1,
  TESORO_FIELDS_EMAILS       = 1 << 2,
  TESORO_FIELDS_PHONES       = 1 << 3,
  TESORO_FIELDS_ADDRESSES    = 1 << 4,
  TESORO_FIELDS_BIRTHDAY     = 1 << 5,
  TESORO_FIELDS_CUSTOM       = 1 << 6,
  TESORO_FIELDS_TAGS         = 1 << 7,
  TESORO_FIELDS_NOTES        = 1 << 8,
  TESORO_FIELDS_MESSAGES     = 1 << 9,
  TESORO_FIELDS_TASKS        = 1 << 10,
  TESORO_FIELDS_ACTIVITIES   = 1 << 11,
  TESORO_FIELDS_CONSENT      = 1 << 12,
} TesoroFieldGroups;

#define TESORO_FIELDS_ALL ((TesoroFieldGroups) 0x1fff)
#define TESORO_N_FIELD_GROUPS 13

G_END_DECLS
