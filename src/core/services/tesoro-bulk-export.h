/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-bulk.h"
#include "tesoro-csv.h"
#include "tesoro-session.h"
#include "tesoro-vcard.h"

G_BEGIN_DECLS

/*
 * File → Export…: contacts to a CSV file (for a mail merge, a spreadsheet,
 * another program) or a vCard file, and the marketing list. Not to be
 * confused with Export Data (tesoro-export-data.h), which writes everything
 * held about one person.
 *
 * The CSV has a header row of field specs (tesoro-import-map.h), so that
 * Tesoro's own import maps every column back exactly:
 *
 *   given_name, family_name, display_name, organization, job_title,
 *   birthday, lawful_basis, consent,
 *   email/label#1, email/other#1, … email/label#N, email/other#N,
 *   phone/label#1, phone/other#1, …,
 *   address/label#1, address/other/street#1, address/other/postal_code#1,
 *   address/other/city#1, address/other/region#1, address/other/country#1, …,
 *   tags, custom/NAME …
 *
 * N is the largest number of e-mail addresses (phones, addresses) any
 * exported contact has, at least 1; the primary one comes first. Tags are
 * joined with ", "; "consent" is the current marketing consent (granted,
 * withdrawn, or empty when unknown); one custom/NAME column per custom
 * field that an exported contact has a value for, sorted by name. Cells
 * that a spreadsheet would run as a formula are neutralised
 * (tesoro_csv_neutralize()); the import undoes that. History (notes,
 * messages, tasks, activities) is not exported here.
 *
 * Export → import into an empty database → export gives the same bytes.
 *
 * Contacts are written in the order of their id (the order they were
 * created or imported in). Restricted contacts (GDPR Art. 18) are left out
 * and counted unless @include_restricted is set. The file is written
 * atomically (mode 0600): a cancel or an error leaves no file, and an
 * existing file is replaced only when the new one is complete. One entry
 * goes into the accountability log (action "export-contacts": the count
 * and the format, nothing else).
 */

/**
 * TesoroContactFormat:
 * @TESORO_CONTACT_FORMAT_CSV: CSV with a header row of field specs
 * @TESORO_CONTACT_FORMAT_VCARD: vCard (4.0 unless asked for 3.0)
 */
typedef enum
{
  TESORO_CONTACT_FORMAT_CSV,
  TESORO_CONTACT_FORMAT_VCARD,
} TesoroContactFormat;

const char *tesoro_contact_format_to_string   (TesoroContactFormat   format);
gboolean    tesoro_contact_format_from_string (const char           *text,
                                               TesoroContactFormat  *format,
                                               GError              **error);

/**
 * TesoroContactExportOptions:
 * @format: CSV or vCard
 * @delimiter: `,` or `;` (CSV only)
 * @bom: start the file with a UTF-8 byte order mark, which Excel needs to
 *   read UTF-8 (CSV only)
 * @vcard_version: %TESORO_VCARD_VERSION_4_0 or %TESORO_VCARD_VERSION_3_0
 * @include_restricted: export restricted contacts too
 *
 * Initialise with tesoro_contact_export_options_init(), which picks the
 * CSV settings that suit Excel in the user's language.
 */
typedef struct
{
  TesoroContactFormat format;
  char                delimiter;
  gboolean            bom;
  TesoroVcardVersion  vcard_version;
  gboolean            include_restricted;
} TesoroContactExportOptions;

void        tesoro_contact_export_options_init (TesoroContactExportOptions *options);

/**
 * TesoroContactExportResult:
 * @exported: contacts written
 * @restricted: restricted contacts left out
 * @missing: ids asked for that name no contact, or one in the trash
 * @bytes: the size of the file written
 */
typedef struct
{
  guint64 exported;
  guint64 restricted;
  guint64 missing;
  guint64 bytes;
} TesoroContactExportResult;

gboolean    tesoro_session_export_contacts     (TesoroSession                    *self,
                                                const gint64                     *ids,
                                                gssize                            n_ids,
                                                const TesoroContactExportOptions *options,
                                                const char                       *path,
                                                GCancellable                     *cancellable,
                                                TesoroProgressFunc                progress,
                                                gpointer                          user_data,
                                                TesoroContactExportResult        *result,
                                                GError                          **error);

/* The marketing list (purpose limitation, DESIGN.md rule 4). */
gboolean    tesoro_session_export_marketing    (TesoroSession                    *self,
                                                const char                       *path,
                                                GCancellable                     *cancellable,
                                                guint                            *n_exported,
                                                GError                          **error);

G_END_DECLS
