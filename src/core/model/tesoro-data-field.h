/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tesoro-field-groups.h"

G_BEGIN_DECLS

/*
 * The fields of a contact one by one, as data minimisation (switching a
 * field off) and the register of processing (Art. 30: which categories of
 * data are held) see them. Finer than the field groups of field-level
 * security: the organisation and the job title are two fields here. Each
 * has a stable key ("birthday"); a custom field's key is "custom:" and its
 * name ("custom:Klantnummer").
 */

/**
 * TesoroDataField:
 * @TESORO_DATA_FIELD_NAME: given, family and display name (always on)
 * @TESORO_DATA_FIELD_LAWFUL_BASIS: the lawful basis (always on)
 * @TESORO_DATA_FIELD_NOTES: the notes (history: never switched off)
 * @TESORO_DATA_FIELD_CUSTOM: a custom field (with a name)
 *
 * The fields and, after the switchable ones, the records of the history.
 */
typedef enum
{
  TESORO_DATA_FIELD_NAME,
  TESORO_DATA_FIELD_ORGANIZATION,
  TESORO_DATA_FIELD_JOB_TITLE,
  TESORO_DATA_FIELD_BIRTHDAY,
  TESORO_DATA_FIELD_EMAILS,
  TESORO_DATA_FIELD_PHONES,
  TESORO_DATA_FIELD_ADDRESSES,
  TESORO_DATA_FIELD_TAGS,
  TESORO_DATA_FIELD_LAWFUL_BASIS,
  TESORO_DATA_FIELD_NOTES,
  TESORO_DATA_FIELD_MESSAGES,
  TESORO_DATA_FIELD_TASKS,
  TESORO_DATA_FIELD_ACTIVITIES,
  TESORO_DATA_FIELD_CONSENT,
  TESORO_DATA_FIELD_CUSTOM,
} TesoroDataField;

/* The built-in fields and records: every value but %TESORO_DATA_FIELD_CUSTOM. */
#define TESORO_N_BUILTIN_DATA_FIELDS TESORO_DATA_FIELD_CUSTOM

#define TESORO_DATA_FIELD_CUSTOM_PREFIX "custom:"

const char        *tesoro_data_field_to_key          (TesoroDataField   field);
gboolean           tesoro_data_field_parse_key       (const char       *key,
                                                      TesoroDataField  *field,
                                                      char            **custom_name);
char              *tesoro_data_field_custom_key      (const char       *name);
const char        *tesoro_data_field_get_msgid       (TesoroDataField   field);
const char        *tesoro_data_field_get_label       (TesoroDataField   field);
gboolean           tesoro_data_field_is_personal     (TesoroDataField   field);
gboolean           tesoro_data_field_is_switchable   (TesoroDataField   field);
gboolean           tesoro_data_field_is_record       (TesoroDataField   field);
TesoroFieldGroups  tesoro_data_field_get_group       (TesoroDataField   field);
gboolean           tesoro_data_field_keys_contain    (const char * const *keys,
                                                      const char       *key);

/**
 * TesoroFieldCount:
 * @key: a field key
 * @count: how many contacts (in the trash or not) have a value of it
 */
typedef struct
{
  char   *key;
  gint64  count;
} TesoroFieldCount;

TesoroFieldCount  *tesoro_field_count_new            (const char       *key,
                                                      gint64            count);
void               tesoro_field_count_free           (TesoroFieldCount *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroFieldCount, tesoro_field_count_free)

G_END_DECLS
