/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-data-field.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * Data minimisation (GDPR Art. 5(1)(c)): the organisation switches off the
 * fields it does not need (setting `privacy.disabled_fields`, a JSON array
 * of field keys), erases what they hold, and reads a report of what it
 * keeps without much use.
 *
 * A field that is off is not offered by the editor, the import or File →
 * Export. The session enforces it: saving a contact that brings a new or
 * changed value of a field that is off is refused with an error naming the
 * field; values already held stay (Export Data shows them: the person has a
 * right to all that is held) until they are erased. An import drops such
 * values (its columns map to "Do not import").
 */

/**
 * TesoroFieldInfo:
 * @key: the field key ("birthday", "custom:Klantnummer")
 * @label: in the user's language (a custom field: its name)
 * @personal: whether its values are personal data
 * @switchable: whether it may be switched off (not the name or lawful basis)
 * @enabled: whether it is on
 * @count: how many contacts (the trash included) have a value
 */
typedef struct
{
  char     *key;
  char     *label;
  gboolean  personal;
  gboolean  switchable;
  gboolean  enabled;
  gint64    count;
} TesoroFieldInfo;

#define TESORO_TYPE_FIELD_INFO (tesoro_field_info_get_type ())

GType            tesoro_field_info_get_type (void) G_GNUC_CONST;
TesoroFieldInfo *tesoro_field_info_copy     (const TesoroFieldInfo *self);
void             tesoro_field_info_free     (TesoroFieldInfo       *self);

GStrv       tesoro_session_get_disabled_fields  (TesoroSession  *self,
                                                 GError        **error);
gboolean    tesoro_session_is_field_enabled     (TesoroSession  *self,
                                                 const char     *key);
GPtrArray  *tesoro_session_list_fields          (TesoroSession  *self,
                                                 GError        **error);
gboolean    tesoro_session_set_field_enabled    (TesoroSession  *self,
                                                 const char     *key,
                                                 gboolean        enabled,
                                                 GError        **error);
gint64      tesoro_session_count_field_values   (TesoroSession  *self,
                                                 const char     *key,
                                                 GError        **error);
gint64      tesoro_session_erase_field_values   (TesoroSession  *self,
                                                 const char     *key,
                                                 GError        **error);

/* The minimisation report */

/* A field is almost never filled below this share of the contacts. */
#define TESORO_RARE_FIELD_PERCENT 5

/**
 * TesoroMinimisationReport:
 * @n_contacts: contacts held, the trash included
 * @rare_fields: (element-type TesoroFieldInfo): fields that are on but that
 *   fewer than %TESORO_RARE_FIELD_PERCENT % of the contacts have a value of
 * @n_without_basis: contacts with no lawful basis
 * @retention_years: the retention period of the settings
 * @n_inactive: contacts without activity for longer than that
 * @n_without_consent: contacts whose lawful basis is consent but who have
 *   consent for no purpose (never recorded, or withdrawn)
 */
typedef struct
{
  gint64     n_contacts;
  GPtrArray *rare_fields;
  gint64     n_without_basis;
  guint      retention_years;
  gint64     n_inactive;
  gint64     n_without_consent;
} TesoroMinimisationReport;

TesoroMinimisationReport *tesoro_session_get_minimisation_report (TesoroSession  *self,
                                                                  GError        **error);
void                      tesoro_minimisation_report_free        (TesoroMinimisationReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroFieldInfo, tesoro_field_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroMinimisationReport, tesoro_minimisation_report_free)

G_END_DECLS
