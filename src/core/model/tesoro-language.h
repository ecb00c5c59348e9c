/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Documents written for somebody else — a response package's README for a
 * requester, the register of processing for an authority — are written in
 * the language chosen for them, not in the language of the person running
 * Tesoro. The strings are ordinary translatable strings of Tesoro's
 * catalogue (N_() in the source, translated in po/); this looks them up in
 * the chosen language for the calling thread only.
 */

typedef enum
{
  TESORO_LANGUAGE_ENGLISH,
  TESORO_LANGUAGE_DUTCH,
} TesoroLanguage;

gboolean    tesoro_language_from_string (const char      *text,
                                         TesoroLanguage  *language,
                                         GError         **error);
const char *tesoro_language_to_string   (TesoroLanguage   language);

/* A translator for one document: tesoro_translator_begin() switches the
 * calling thread's message catalogue to @language (it needs that language's
 * locale, e.g. nl_NL.UTF-8, to be installed: without it the document is in
 * English and a warning says why); tesoro_translator_end() switches back.
 * Between the two, use tesoro_translate() (or plain _()). */
typedef struct _TesoroTranslator TesoroTranslator;

TesoroTranslator *tesoro_translator_begin (TesoroLanguage    language);
void              tesoro_translator_end   (TesoroTranslator *self);
const char       *tesoro_translate        (TesoroTranslator *self,
                                           const char       *msgid) G_GNUC_FORMAT (2);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroTranslator, tesoro_translator_end)

G_END_DECLS
