/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-language"

#include "config.h"

#include "tesoro-language.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "tesoro-error.h"

struct _TesoroTranslator
{
  TesoroLanguage language;
  locale_t       locale;
  locale_t       previous;
};

gboolean
tesoro_language_from_string (const char      *text,
                             TesoroLanguage  *language,
                             GError         **error)
{
  g_return_val_if_fail (language != NULL, FALSE);

  if (g_strcmp0 (text, "en") == 0)
    *language = TESORO_LANGUAGE_ENGLISH;
  else if (g_strcmp0 (text, "nl") == 0)
    *language = TESORO_LANGUAGE_DUTCH;
  else
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_INVALID,
                   _("Unknown language “%s”: use “en” (English) or “nl” (Dutch)."),
                   text != NULL ? text : "");
      return FALSE;
    }
  return TRUE;
}

const char *
tesoro_language_to_string (TesoroLanguage language)
{
  return language == TESORO_LANGUAGE_DUTCH ? "nl" : "en";
}

TesoroTranslator *
tesoro_translator_begin (TesoroLanguage language)
{
  static const char * const dutch[] = { "nl_NL.UTF-8", "nl_NL.utf8", "nl_BE.UTF-8", "nl_BE.utf8" };
  TesoroTranslator *self = g_new0 (TesoroTranslator, 1);

  self->language = language;
  if (language == TESORO_LANGUAGE_ENGLISH)
    return self;

  for (guint i = 0; i < G_N_ELEMENTS (dutch) && self->locale == (locale_t) 0; i++)
    self->locale = newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK, dutch[i], (locale_t) 0);

  if (self->locale == (locale_t) 0)
    {
      g_warning ("The Dutch locale (nl_NL.UTF-8) is not installed; writing in English");
      self->language = TESORO_LANGUAGE_ENGLISH;
      return self;
    }

  self->previous = uselocale (self->locale);
  return self;
}

const char *
tesoro_translate (TesoroTranslator *self,
                  const char       *msgid)
{
  g_return_val_if_fail (self != NULL, msgid);

  /* English is the source language: never let the environment's LANGUAGE
   * turn an English document into another one. */
  if (self->language == TESORO_LANGUAGE_ENGLISH)
    return msgid;
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

void
tesoro_translator_end (TesoroTranslator *self)
{
  if (self == NULL)
    return;

  if (self->locale != (locale_t) 0)
    {
      uselocale (self->previous);
      freelocale (self->locale);
    }
  g_free (self);
}
