/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-language.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * The response package: the answer to a data subject's access or
 * portability request (GDPR Art. 15 and 20) as one .zip file. For each of
 * the person's contacts it holds the Export Data files (CSV and JSON, the
 * same bytes as Export Data writes) and the contact as a vCard 4.0, and one
 * README.txt in the requester's language with the information Art. 15(1)
 * lists, taken from Tesoro's own data and settings.
 */

/* The settings the README reads (edited elsewhere): who receives the data,
 * as a JSON array of strings (unset: nobody outside the organisation), and
 * the supervisory authority a complaint can go to. */
#define TESORO_SETTING_PRIVACY_RECIPIENTS "privacy.recipients"
#define TESORO_SETTING_PRIVACY_AUTHORITY  "privacy.authority"

gboolean tesoro_session_write_response_package (TesoroSession   *self,
                                                const gint64    *contact_ids,
                                                guint            n_contact_ids,
                                                TesoroLanguage   language,
                                                const char      *path,
                                                GError         **error);

G_END_DECLS
