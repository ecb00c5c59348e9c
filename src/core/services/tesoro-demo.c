/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-error.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Realistic sample contacts, Dutch and English, each with e-mail addresses,
 * phones, an address, and a history of notes, messages, tasks, activities
 * and consent. The same seed gives the same data.
 */

static const char * const nl_given[] = {
  "Sophie", "Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess", "Finn",
  "Zoë", "Noah", "Anna", "Bram", "Lotte", "Jesse", "Fleur", "Thijs", "Sanne", "Ruben",
  "Femke", "Stijn", "Iris", "Joost", "Eva", "Pieter", "Maartje", "Wouter", "Noor", "Gijs",
  "Renée", "José", "Anouk", "Koen", "Esmée", "Jeroen", "Marieke", "Sven", "Ilse", "Hendrik",
};
static const char * const nl_family[] = {
  "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
  "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
  "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
  "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
  "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek", "Willems",
  "Hoekstra", "Koster", "Prins", "Blom", "Huisman", "Post", "Kuipers", "van Wijk", "Maas",
};
static const char * const en_given[] = {
  "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Grace",
  "Thomas", "Sophia", "James", "Lily", "William", "Freya", "Henry", "Chloe", "Alfie", "Ella",
  "Siobhán", "Niamh", "Eoin", "Seán", "Chloé", "Zoe", "Daniel", "Hannah", "Michael", "Sarah",
};
static const char * const en_family[] = {
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
  "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
  "Clarke", "O'Brien", "Murphy", "Kelly", "MacDonald", "Patel", "Khan", "Lewis", "Harris",
};

typedef struct
{
  const char *city;
  const char *region;
  const char *postal_prefix;
} City;

static const City nl_cities[] = {
  { "Amsterdam", "Noord-Holland", "10" }, { "Rotterdam", "Zuid-Holland", "30" },
  { "Utrecht", "Utrecht", "35" }, { "Den Haag", "Zuid-Holland", "25" },
  { "Eindhoven", "Noord-Brabant", "56" }, { "Groningen", "Groningen", "97" },
  { "Tilburg", "Noord-Brabant", "50" }, { "Almere", "Flevoland", "13" },
  { "Breda", "Noord-Brabant", "48" }, { "Nijmegen", "Gelderland", "65" },
  { "Haarlem", "Noord-Holland", "20" }, { "Arnhem", "Gelderland", "68" },
  { "Zwolle", "Overijssel", "80" }, { "Leiden", "Zuid-Holland", "23" },
  { "Delft", "Zuid-Holland", "26" }, { "Enschede", "Overijssel", "75" },
  { "Maastricht", "Limburg", "62" }, { "Leeuwarden", "Friesland", "89" },
  { "'s-Hertogenbosch", "Noord-Brabant", "52" }, { "Amersfoort", "Utrecht", "38" },
};
static const City uk_cities[] = {
  { "London", "Greater London", "N1" }, { "Manchester", "Greater Manchester", "M1" },
  { "Leeds", "West Yorkshire", "LS1" }, { "Bristol", "Bristol", "BS1" },
  { "Birmingham", "West Midlands", "B1" }, { "Edinburgh", "Scotland", "EH1" },
  { "Cardiff", "Wales", "CF10" }, { "Cambridge", "Cambridgeshire", "CB1" },
};
static const char * const nl_streets[] = {
  "Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Julianastraat",
  "Beatrixlaan", "Wilhelminastraat", "Nieuwstraat", "Marktplein", "Oranjestraat", "Parkweg",
  "Lindelaan", "Eikenlaan", "Prinsengracht", "Keizersgracht", "Hoofdstraat", "Industrieweg",
};
static const char * const uk_streets[] = {
  "High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road",
  "Park Avenue", "Queen Street", "Mill Lane", "King's Road",
};
static const char * const nl_org_kinds[] = {
  "Bakkerij %s", "%s Installatietechniek", "%s Advies", "Bouwbedrijf %s", "%s & Zn.",
  "Kapsalon %s", "%s Logistiek B.V.", "Tandartspraktijk %s", "%s Media", "Fietsenwinkel %s",
};
static const char * const uk_org_kinds[] = {
  "%s & Sons Ltd", "%s Consulting", "%s Design Studio", "%s Engineering Ltd", "%s Books",
};
static const char * const nl_jobs[] = {
  "Eigenaar", "Directeur", "Inkoper", "Office manager", "Projectleider", "Boekhouder",
  "Marketingmedewerker", "Verkoper", "Bedrijfsleider", "",
};
static const char * const uk_jobs[] = {
  "Owner", "Managing Director", "Buyer", "Office Manager", "Project Lead", "Accountant", "",
};
static const char * const domains[] = {
  "gmail.com", "outlook.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl", "icloud.com", "proton.me",
};
static const char * const tags[] = {
  "klant", "lead", "leverancier", "partner", "vip", "nieuwsbrief", "beurs 2024",
};
static const char * const note_texts[] = {
  "Wil in het voorjaar een offerte voor het onderhoud.",
  "Belde terug over de factuur; is akkoord met betaling in twee termijnen.",
  "Interesse in het nieuwe pakket. Volgende maand opnieuw contact opnemen.",
  "Prefers to be contacted by e-mail, not by phone.",
  "Met on the trade fair stand; asked for the catalogue.",
  "Verhuist eind dit jaar naar een nieuw pand.",
  "Heeft een klacht ingediend over de levertijd; opgelost met korting.",
  "Very happy with the last delivery, may order again in Q3.",
};
static const char * const subjects_in[] = {
  "Vraag over offerte", "Re: levering", "Factuur %s", "Question about my order", "Afspraak verzetten",
};
static const char * const subjects_out[] = {
  "Offerte %s", "Bevestiging afspraak", "Your quote", "Nieuwsbrief voorjaar", "Herinnering factuur %s",
};
static const char * const task_titles[] = {
  "Offerte sturen", "Terugbellen", "Call back about renewal", "Contract verlengen",
  "Send the catalogue", "Factuur controleren",
};
static const char * const call_summaries[] = {
  "Kort gebeld over de planning.", "Discussed the renewal; positive.",
  "Voicemail ingesproken.", "Afspraak gemaakt voor een demo.",
};
static const char * const meeting_summaries[] = {
  "Kennismaking op kantoor.", "Demo of the new release.", "Jaargesprek.", "Lunch at the fair.",
};
static const char * const consent_sources[] = {
  "web form", "phone call", "trade fair", "e-mail reply",
};

/* Fills the one "%s" of a template, without a non-literal printf format. */
static char *
fill (const char *template,
      const char *value)
{
  const char *mark = strstr (template, "%s");

  if (mark == NULL)
    return g_strdup (template);
  return g_strdup_printf ("%.*s%s%s", (int) (mark - template), template, value, mark + 2);
}

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static char *
ascii_slug (const char *text)
{
  g_autofree char *folded = tesoro_fold (text);
  GString *slug = g_string_new (NULL);

  for (const char *p = folded; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (slug, *p);

  return g_string_free (slug, FALSE);
}

static char *
iso_days_ago (GDateTime *now,
              double     days)
{
  g_autoptr(GDateTime) dt = g_date_time_add_seconds (now, -days * 86400.0);
  return tesoro_iso_from_date_time (dt);
}

static TesoroContact *
make_contact (GRand     *rand,
              GDateTime *now,
              guint      serial)
{
  TesoroContact *contact = tesoro_contact_new ();
  gboolean dutch = g_rand_int_range (rand, 0, 100) < 70;
  const char *given = dutch ? PICK (rand, nl_given) : PICK (rand, en_given);
  const char *family = dutch ? PICK (rand, nl_family) : PICK (rand, en_family);
  const City *city = dutch ? &PICK (rand, nl_cities) : &PICK (rand, uk_cities);
  g_autofree char *given_slug = ascii_slug (given);
  g_autofree char *family_slug = ascii_slug (family);
  double age_days = g_rand_double_range (rand, 30, 6 * 365);
  g_autofree char *created = iso_days_ago (now, age_days);
  TesoroAddress *address;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  guint n_history;

  tesoro_contact_set_given_name (contact, given);
  tesoro_contact_set_family_name (contact, family);
  tesoro_contact_set_created_at (contact, created);

  if (g_rand_int_range (rand, 0, 100) < 60)
    {
      g_autofree char *org = fill (dutch ? PICK (rand, nl_org_kinds) : PICK (rand, uk_org_kinds),
                                   strrchr (family, ' ') ? strrchr (family, ' ') + 1 : family);
      g_autofree char *org_slug = ascii_slug (org);
      g_autofree char *work = g_strdup_printf ("%s@%s.%s", given_slug, org_slug, dutch ? "nl" : "co.uk");

      tesoro_contact_set_organization (contact, org);
      tesoro_contact_set_job_title (contact, dutch ? PICK (rand, nl_jobs) : PICK (rand, uk_jobs));
      tesoro_contact_add_email (contact, "work", work, TRUE);
    }

  email = g_strdup_printf ("%s.%s%u@%s", given_slug, family_slug, serial % 1000, PICK (rand, domains));
  tesoro_contact_add_email (contact, "home", email, tesoro_contact_get_emails (contact)->len == 0);

  if (dutch)
    phone = g_strdup_printf ("+31 6 %04d %04d", g_rand_int_range (rand, 1000, 9999), g_rand_int_range (rand, 0, 9999));
  else
    phone = g_strdup_printf ("+44 7%03d %06d", g_rand_int_range (rand, 100, 999), g_rand_int_range (rand, 0, 999999));
  tesoro_contact_add_phone (contact, "mobile", phone, TRUE);
  if (g_rand_int_range (rand, 0, 100) < 30)
    {
      g_autofree char *office = dutch
        ? g_strdup_printf ("+31 %d %07d", g_rand_int_range (rand, 10, 99), g_rand_int_range (rand, 1000000, 9999999))
        : g_strdup_printf ("+44 20 %04d %04d", g_rand_int_range (rand, 1000, 9999), g_rand_int_range (rand, 0, 9999));
      tesoro_contact_add_phone (contact, "work", office, FALSE);
    }

  address = tesoro_address_new ();
  address->label = g_strdup (tesoro_contact_get_organization (contact) && *tesoro_contact_get_organization (contact) ? "work" : "home");
  if (dutch)
    {
      address->street = g_strdup_printf ("%s %d", PICK (rand, nl_streets), g_rand_int_range (rand, 1, 250));
      address->postal_code = g_strdup_printf ("%s%02d %c%c", city->postal_prefix, g_rand_int_range (rand, 0, 99),
                                              'A' + g_rand_int_range (rand, 0, 26), 'A' + g_rand_int_range (rand, 0, 26));
      address->country = g_strdup ("NL");
    }
  else
    {
      address->street = g_strdup_printf ("%d %s", g_rand_int_range (rand, 1, 200), PICK (rand, uk_streets));
      address->postal_code = g_strdup_printf ("%s %d%c%c", city->postal_prefix, g_rand_int_range (rand, 1, 9),
                                              'A' + g_rand_int_range (rand, 0, 26), 'A' + g_rand_int_range (rand, 0, 26));
      address->country = g_strdup ("GB");
    }
  address->city = g_strdup (city->city);
  address->region = g_strdup (city->region);
  g_ptr_array_add (tesoro_contact_get_addresses (contact), address);

  if (g_rand_int_range (rand, 0, 100) < 40)
    {
      g_autofree char *birthday = g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1950, 2002),
                                                   g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      tesoro_contact_set_birthday (contact, birthday);
    }

  switch (g_rand_int_range (rand, 0, 10))
    {
    case 0: case 1: case 2: case 3:
      tesoro_contact_set_lawful_basis (contact, "contract");
      break;
    case 4: case 5: case 6:
      tesoro_contact_set_lawful_basis (contact, "consent");
      break;
    case 7: case 8:
      tesoro_contact_set_lawful_basis (contact, "legitimate_interests");
      break;
    default:
      break;  /* unset: shown as a warning */
    }

  for (guint i = 0, n = g_rand_int_range (rand, 0, 3); i < n; i++)
    {
      const char *tag = PICK (rand, tags);
      if (!tesoro_contact_has_tag (contact, tag))
        g_ptr_array_add (tesoro_contact_get_tags (contact), g_strdup (tag));
    }

  if (tesoro_contact_get_organization (contact)[0] != '\0' && g_rand_int_range (rand, 0, 100) < 50)
    {
      g_autofree char *number = g_strdup_printf ("K-%05u", serial);
      tesoro_contact_set_custom_value (contact, "Klantnummer", number);
    }

  /* History, spread between creation and now. */
  n_history = g_rand_int_range (rand, 1, 6);
  for (guint i = 0; i < n_history; i++)
    {
      double when = g_rand_double_range (rand, 0, age_days);
      g_autofree char *at = iso_days_ago (now, when);

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          {
            TesoroNote *n = tesoro_note_new ();
            n->body = g_strdup (PICK (rand, note_texts));
            n->created_at = g_steal_pointer (&at);
            g_ptr_array_add (tesoro_contact_get_notes (contact), n);
          }
          break;
        case 1:
          {
            TesoroMessage *m = tesoro_message_new ();
            gboolean in = g_rand_boolean (rand);
            m->direction = g_strdup (in ? "in" : "out");
            m->address = g_strdup (tesoro_contact_get_primary_email (contact));
            g_autofree char *number = g_strdup_printf ("%d", g_rand_int_range (rand, 2020001, 2024999));
            m->subject = fill (in ? PICK (rand, subjects_in) : PICK (rand, subjects_out), number);
            m->body = g_strdup (in ? "Goedemiddag,\n\nKunt u mij hierover meer informatie sturen?\n\nMet vriendelijke groet"
                                   : "Hello,\n\nPlease find the details attached.\n\nKind regards");
            m->at = g_steal_pointer (&at);
            g_ptr_array_add (tesoro_contact_get_messages (contact), m);
          }
          break;
        case 2:
          {
            TesoroTask *t = tesoro_task_new ();
            g_autofree char *due = iso_days_ago (now, when - 14);
            t->title = g_strdup (PICK (rand, task_titles));
            t->due = g_strndup (due, 10);
            t->created_at = g_steal_pointer (&at);
            t->done = when > 20 && g_rand_int_range (rand, 0, 100) < 80;
            if (t->done)
              t->done_at = iso_days_ago (now, when - 3 > 0 ? when - 3 : 0);
            g_ptr_array_add (tesoro_contact_get_tasks (contact), t);
          }
          break;
        default:
          {
            TesoroActivity *a = tesoro_activity_new ();
            gboolean call = g_rand_int_range (rand, 0, 3) > 0;
            a->kind = g_strdup (call ? "call" : "meeting");
            a->summary = g_strdup (call ? PICK (rand, call_summaries) : PICK (rand, meeting_summaries));
            a->at = g_steal_pointer (&at);
            g_ptr_array_add (tesoro_contact_get_activities (contact), a);
          }
          break;
        }
    }

  if (g_rand_int_range (rand, 0, 100) < 55)
    {
      TesoroConsentEvent *c = tesoro_consent_event_new ();
      double when = g_rand_double_range (rand, age_days / 2, age_days);

      c->purpose = g_strdup ("marketing-email");
      c->granted = TRUE;
      c->at = iso_days_ago (now, when);
      c->source = g_strdup (PICK (rand, consent_sources));
      c->evidence = g_strdup ("Opt-in checkbox ticked");
      g_ptr_array_add (tesoro_contact_get_consent (contact), c);

      if (g_rand_int_range (rand, 0, 100) < 20)
        {
          TesoroConsentEvent *w = tesoro_consent_event_new ();

          w->purpose = g_strdup ("marketing-email");
          w->granted = FALSE;
          w->at = iso_days_ago (now, g_rand_double_range (rand, 0, when));
          w->source = g_strdup ("unsubscribe link");
          w->evidence = g_strdup ("Unsubscribed from the newsletter");
          g_ptr_array_add (tesoro_contact_get_consent (contact), w);
        }
    }

  return contact;
}

/**
 * tesoro_session_generate_demo:
 * @count: how many contacts to add
 * @seed: the random seed; the same seed gives the same contacts
 *
 * Adds realistic sample contacts. Large counts are written in batches of
 * one transaction each; on cancellation or error the current batch is
 * rolled back and what was committed stays.
 */
gboolean
tesoro_session_generate_demo (TesoroSession  *self,
                              guint           count,
                              guint32         seed,
                              GCancellable   *cancellable,
                              GError        **error)
{
  const guint batch = 5000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *now_iso = tesoro_now_iso ();
  g_autoptr(GDateTime) now = tesoro_date_time_from_iso (now_iso);
  gboolean ok = TRUE;
  guint done = 0;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_IMPORT, error))
    return FALSE;

  while (ok && done < count)
    {
      guint end = MIN (count, done + batch);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }

      /* Many contacts at once: the backend may gather their index rows. */
      if (!_tesoro_session_begin (self, TESORO_WRITE_BULK, error))
        {
          ok = FALSE;
          break;
        }

      for (; done < end; done++)
        {
          g_autoptr(TesoroContact) contact = make_contact (rand, now, done + 1);

          if (!_tesoro_session_insert_contact (self, contact, now_iso, error))
            {
              ok = FALSE;
              break;
            }
        }

      if (ok && !_tesoro_session_commit (self, error))
        ok = FALSE;
      if (!ok)
        _tesoro_session_fail (self);
    }

  if (done > 0)
    _tesoro_session_emit_changed (self, 0, TESORO_CHANGE_RESET);

  return ok;
}
