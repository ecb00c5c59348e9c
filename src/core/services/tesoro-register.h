/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-language.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * The record of processing activities (GDPR Art. 30), generated from what
 * Tesoro holds: the categories of personal data (every field that holds
 * data, with a count; no field that holds none), the purposes (the consent
 * purposes and the organisation's own, setting `privacy.purposes`), the
 * lawful bases in use, the recipients (`privacy.recipients`), the retention
 * rules and the security measures Tesoro takes, for the controller
 * (`privacy.controller`). Written as a self-contained HTML page or as CSV,
 * in English or Dutch. Only who handles data-subject requests (the
 * "requests" permission: the Administrator and the Privacy Officer) reads,
 * edits and exports it.
 */

/**
 * TesoroProcessingPurpose:
 * @name: what the data is used for ("Customer administration")
 * @description: (nullable): more about it
 * @lawful_basis: one of #tesoro_lawful_bases
 */
typedef struct
{
  char *name;
  char *description;
  char *lawful_basis;
} TesoroProcessingPurpose;

#define TESORO_TYPE_PROCESSING_PURPOSE (tesoro_processing_purpose_get_type ())

GType                    tesoro_processing_purpose_get_type (void) G_GNUC_CONST;
TesoroProcessingPurpose *tesoro_processing_purpose_new      (const char *name,
                                                             const char *description,
                                                             const char *lawful_basis);
TesoroProcessingPurpose *tesoro_processing_purpose_copy     (const TesoroProcessingPurpose *self);
void                     tesoro_processing_purpose_free     (TesoroProcessingPurpose       *self);

/* What the privacy officer edits */
GPtrArray  *tesoro_session_list_processing_purposes  (TesoroSession  *self,
                                                      GError        **error);
gboolean    tesoro_session_add_processing_purpose    (TesoroSession  *self,
                                                      const char     *name,
                                                      const char     *description,
                                                      const char     *lawful_basis,
                                                      GError        **error);
gboolean    tesoro_session_remove_processing_purpose (TesoroSession  *self,
                                                      const char     *name,
                                                      GError        **error);
GStrv       tesoro_session_list_recipients           (TesoroSession  *self,
                                                      GError        **error);
gboolean    tesoro_session_add_recipient             (TesoroSession  *self,
                                                      const char     *recipient,
                                                      GError        **error);
gboolean    tesoro_session_remove_recipient          (TesoroSession  *self,
                                                      const char     *recipient,
                                                      GError        **error);
char       *tesoro_session_get_controller            (TesoroSession  *self,
                                                      GError        **error);
gboolean    tesoro_session_set_controller            (TesoroSession  *self,
                                                      const char     *controller,
                                                      GError        **error);

/**
 * TesoroRegisterRow:
 * @item: what the row is about (a field, a purpose, a measure)
 * @detail: (nullable): more about it
 * @count: a number of contacts, or -1 when the row has none
 */
typedef struct
{
  char   *item;
  char   *detail;
  gint64  count;
} TesoroRegisterRow;

/**
 * TesoroRegisterSection:
 * @key: a stable key ("categories", "purposes", …)
 * @title: the heading
 * @item_header: the heading of the items' column
 * @detail_header: (nullable): of the details' column, if the section has one
 * @count_header: (nullable): of the counts' column, if the section has one
 * @rows: (element-type TesoroRegisterRow): the rows
 */
typedef struct
{
  char      *key;
  char      *title;
  char      *item_header;
  char      *detail_header;
  char      *count_header;
  GPtrArray *rows;
} TesoroRegisterSection;

void        tesoro_register_section_free             (TesoroRegisterSection *section);

GPtrArray  *tesoro_session_build_register            (TesoroSession         *self,
                                                      const TesoroLanguage  *language,
                                                      GError               **error);

typedef enum
{
  TESORO_REGISTER_HTML,
  TESORO_REGISTER_CSV,
} TesoroRegisterFormat;

gboolean    tesoro_register_format_from_string       (const char            *text,
                                                      TesoroRegisterFormat  *format,
                                                      GError               **error);
gboolean    tesoro_session_export_register           (TesoroSession         *self,
                                                      TesoroRegisterFormat   format,
                                                      TesoroLanguage         language,
                                                      const char            *path,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroProcessingPurpose, tesoro_processing_purpose_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroRegisterSection, tesoro_register_section_free)

G_END_DECLS
