/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-erasure"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tesoro-audit-entry.h"
#include "tesoro-contact-json.h"
#include "tesoro-erasure.h"
#include "tesoro-error.h"
#include "tesoro-normalize.h"
#include "tesoro-retention.h"
#include "tesoro-session-private.h"
#include "tesoro-utils.h"

/*
 * Erasure (DESIGN.md rules 1 and 2). Every path that erases — Delete
 * Permanently, a selection, Empty Trash, the trash expiry, retention — goes
 * through run_erasure(): one transaction, synced fully, a receipt and an
 * audit entry without personal data per contact, then the files purged.
 */

/* Above this many erased contacts one "reset" replaces the per-contact
 * change notifications. */
#define MAX_SINGLE_NOTIFICATIONS 64

static gboolean
has_text (const char *s)
{
  return s != NULL && *s != '\0';
}

/**
 * tesoro_session_count_linked:
 * @counts: (out caller-allocates): the counts
 *
 * Counts what goes with a contact when it is erased, for the confirmation.
 */
gboolean
tesoro_session_count_linked (TesoroSession       *self,
                             gint64               contact_id,
                             TesoroLinkedCounts  *counts,
                             GError             **error)
{
  TesoroBackend *backend;
  g_auto(TesoroContactState) state = { 0 };

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_VIEW, error))
    return FALSE;

  memset (counts, 0, sizeof *counts);
  backend = _tesoro_session_get_backend (self);
  return tesoro_backend_get_contact_state (backend, contact_id, &state, error) &&
         tesoro_backend_count_linked (backend, contact_id, counts, error);
}

/**
 * tesoro_session_check_erasable:
 *
 * Whether the contact may be deleted permanently now (it exists and is not
 * on legal hold): what a front end asks before its confirmation.
 */
gboolean
tesoro_session_check_erasable (TesoroSession  *self,
                               gint64          contact_id,
                               GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return FALSE;
  return _tesoro_session_check (self, contact_id, TESORO_INTENT_ERASE, NULL, error);
}

/* Reasons: a reason is free text and could name the person ("request of
 * jan@…", "called from 06-12345678"). The receipt and the log must not:
 * what identifies the person is cut out of it, written as stored or in the
 * other ways people write the same thing. */

#define CUT "[…]"

/* Phone numbers are recognised by their digits from this length on: a
 * shorter run of digits in a reason is a ticket or an article far more
 * often than a number. */
#define MIN_PHONE_DIGITS 6

/* The longest run of separators between two digits of one number. */
#define MAX_PHONE_GAP 3

static const char * const month_names[] = {
  /* English, then Dutch, then the abbreviations of both */
  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December",
  "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
  "november", "december",
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
};

static void
add_needle (GPtrArray  *needles,
            const char *text)
{
  if (has_text (text) && g_utf8_strlen (text, -1) >= 2)
    g_ptr_array_add (needles, g_strdup (text));
}

/* The ways a birthday (YYYY-MM-DD) is written in a sentence. A date
 * without its year is too short to tell from other numbers and is left
 * alone. */
static void
add_birthday_needles (GPtrArray  *needles,
                      const char *birthday)
{
  static const char * const seps[] = { "-", "/", "." };
  int y, m, d;

  if (!has_text (birthday) || sscanf (birthday, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      y == TESORO_DATE_NO_YEAR || m < 1 || m > 12 || d < 1 || d > 31)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (seps); i++)
    {
      const char *s = seps[i];

      g_ptr_array_add (needles, g_strdup_printf ("%04d%s%02d%s%02d", y, s, m, s, d));
      g_ptr_array_add (needles, g_strdup_printf ("%02d%s%02d%s%04d", d, s, m, s, y));
      g_ptr_array_add (needles, g_strdup_printf ("%d%s%d%s%04d", d, s, m, s, y));
      g_ptr_array_add (needles, g_strdup_printf ("%02d%s%02d%s%04d", m, s, d, s, y));
      g_ptr_array_add (needles, g_strdup_printf ("%d%s%d%s%04d", m, s, d, s, y));
      g_ptr_array_add (needles, g_strdup_printf ("%02d%s%02d%s%02d", d, s, m, s, y % 100));
    }
  for (guint i = 0; i < G_N_ELEMENTS (month_names) / 12; i++)
    {
      const char *month = month_names[i * 12 + m - 1];

      g_ptr_array_add (needles, g_strdup_printf ("%d %s %04d", d, month, y));
      g_ptr_array_add (needles, g_strdup_printf ("%02d %s %04d", d, month, y));
      g_ptr_array_add (needles, g_strdup_printf ("%s %d, %04d", month, d, y));
      g_ptr_array_add (needles, g_strdup_printf ("%s %d %04d", month, d, y));
    }
}

static int
by_length_desc (gconstpointer a,
                gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a);
  gsize lb = strlen (*(const char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

static gboolean
is_flexible_space (char c)
{
  return g_ascii_isspace (c) || c == '-';
}

/* A pattern for @needle in which spaces and hyphens may be written as any
 * run of them, or left out: "1234 AB" finds "1234AB" and "1234-ab". */
static char *
flexible_pattern (const char *needle)
{
  GString *pattern = g_string_new (NULL);
  const char *p = needle;

  while (*p)
    {
      const char *start = p;
      g_autofree char *escaped = NULL;

      if (is_flexible_space (*p))
        {
          while (is_flexible_space (*p))
            p++;
          if (start != needle && *p != '\0')
            g_string_append (pattern, "[\\s\\-]*");
          continue;
        }
      while (*p && !is_flexible_space (*p))
        p++;
      escaped = g_regex_escape_string (start, p - start);
      g_string_append (pattern, escaped);
    }

  return g_string_free (pattern, FALSE);
}

/* @text folded and without spaces and hyphens: a needle whose skeleton is
 * not inside the reason's cannot match its flexible pattern, which saves
 * compiling a pattern per needle when many contacts are erased at once. */
static char *
skeleton (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  char *out = folded;

  for (const char *p = folded; *p; p++)
    if (!is_flexible_space (*p))
      *out++ = *p;
  *out = '\0';

  return g_steal_pointer (&folded);
}

static gboolean
is_phone_separator (char c)
{
  return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

/* Cuts every run of digits that is one of @forms (strings of digits,
 * longest first) however it is punctuated: "+31 6 98765432", "0698765432"
 * and "(06) 98 76 54 32" are all the number stored as "06 98765432". */
static char *
cut_phone_numbers (const char *text,
                   GStrv       forms)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      g_autoptr(GString) digits = NULL;
      g_autoptr(GArray) where = NULL;
      const char *run = p;
      const char *q, *copied;
      guint i;

      /* A number starts at a digit, or at a + or ( right before one. */
      if (!g_ascii_isdigit (*p) && !((*p == '+' || *p == '(') && g_ascii_isdigit (p[1])))
        {
          g_string_append_c (out, *p++);
          continue;
        }

      digits = g_string_new (NULL);
      where = g_array_new (FALSE, FALSE, sizeof (const char *));
      q = g_ascii_isdigit (*p) ? p : p + 1;
      for (;;)
        {
          const char *r;

          while (g_ascii_isdigit (*q))
            {
              g_string_append_c (digits, *q);
              g_array_append_val (where, q);
              q++;
            }
          for (r = q; is_phone_separator (*r) && r - q < MAX_PHONE_GAP; r++)
            ;
          if (r == q || !g_ascii_isdigit (*r))
            break;
          q = r;
        }

      /* The run is [run, q): copy it, cutting what is a form. */
      copied = run;
      i = 0;
      while (i < digits->len)
        {
          gsize found = 0;

          for (guint f = 0; forms[f] != NULL && found == 0; f++)
            {
              gsize len = strlen (forms[f]);

              if (len >= MIN_PHONE_DIGITS && len <= digits->len - i && strncmp (digits->str + i, forms[f], len) == 0)
                found = len;
            }
          if (found == 0)
            {
              i++;
              continue;
            }

          {
            const char *start = i == 0 ? run : g_array_index (where, const char *, i);
            const char *end = g_array_index (where, const char *, i + found - 1) + 1;
            int open = 0;

            for (const char *c = start; c < end; c++)
              open += *c == '(' ? 1 : *c == ')' ? -1 : 0;
            /* Keep the brackets in balance: "(06) 1234…" goes whole. */
            if (open > 0 && *end == ')')
              end++;
            g_string_append_len (out, copied, start - copied);
            if (open < 0 && out->len > 0 && out->str[out->len - 1] == '(')
              g_string_truncate (out, out->len - 1);
            g_string_append (out, CUT);
            copied = end;
            i += found;
          }
        }
      if (copied < q)
        g_string_append_len (out, copied, q - copied);
      p = MAX (q, copied);
    }

  return g_string_free (out, FALSE);
}

static char *
redact_reason (TesoroSession  *self,
               gint64          id,
               const char     *reason,
               GError        **error)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autofree char *result = NULL;
  g_autofree char *valid = NULL;
  TesoroContact *contact;
  GPtrArray *array;

  if (!has_text (reason))
    return g_strdup ("");
  /* A reason from the command line may be any bytes; what is kept, and
   * what is compared, is text. */
  if (!g_utf8_validate (reason, -1, NULL))
    {
      valid = g_utf8_make_valid (reason, -1);
      reason = valid;
    }

  contacts = tesoro_backend_load_contacts (_tesoro_session_get_backend (self), &id, 1,
                                           TESORO_FIELDS_NAME | TESORO_FIELDS_ORGANIZATION | TESORO_FIELDS_EMAILS |
                                           TESORO_FIELDS_PHONES | TESORO_FIELDS_ADDRESSES | TESORO_FIELDS_BIRTHDAY |
                                           TESORO_FIELDS_CONSENT,
                                           error);
  if (contacts == NULL)
    return NULL;
  if (contacts->len == 0)
    return g_strdup (reason);
  contact = contacts->pdata[0];

  add_needle (needles, tesoro_contact_get_given_name (contact));
  add_needle (needles, tesoro_contact_get_family_name (contact));
  add_needle (needles, tesoro_contact_get_display_name (contact));
  add_needle (needles, tesoro_contact_get_organization (contact));
  add_birthday_needles (needles, tesoro_contact_get_birthday (contact));

  array = tesoro_contact_get_emails (contact);
  for (guint i = 0; i < array->len; i++)
    add_needle (needles, ((TesoroDetail *) array->pdata[i])->value);

  array = tesoro_contact_get_phones (contact);
  for (guint i = 0; i < array->len; i++)
    {
      const char *value = ((TesoroDetail *) array->pdata[i])->value;
      g_auto(GStrv) phone_forms = NULL;

      add_needle (needles, value);
      if (!has_text (value))
        continue;
      phone_forms = tesoro_phone_digit_forms (value, NULL);
      for (guint f = 0; phone_forms[f] != NULL; f++)
        g_ptr_array_add (forms, g_strdup (phone_forms[f]));
    }

  array = tesoro_contact_get_addresses (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroAddress *a = array->pdata[i];

      add_needle (needles, a->street);
      add_needle (needles, a->postal_code);
    }

  array = tesoro_contact_get_consent (contact);
  for (guint i = 0; i < array->len; i++)
    add_needle (needles, ((TesoroConsentEvent *) array->pdata[i])->evidence);

  /* Longest first, so that "Jan de Vries" goes before "Jan". */
  g_ptr_array_sort (needles, by_length_desc);
  g_ptr_array_sort (forms, by_length_desc);

  result = g_strdup (reason);
  for (guint i = 0; i < needles->len; i++)
    {
      g_autofree char *pattern = NULL;
      g_autofree char *needle_skeleton = skeleton (needles->pdata[i]);
      g_autofree char *result_skeleton = skeleton (result);
      g_autoptr(GRegex) regex = NULL;
      char *replaced;

      if (*needle_skeleton == '\0' || strstr (result_skeleton, needle_skeleton) == NULL)
        continue;
      pattern = flexible_pattern (needles->pdata[i]);
      if (*pattern == '\0')
        continue;
      regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
      if (regex == NULL)
        continue;
      replaced = g_regex_replace_literal (regex, result, -1, 0, CUT, 0, NULL);
      if (replaced != NULL)
        {
          g_free (result);
          result = replaced;
        }
    }

  if (forms->len > 0)
    {
      char *cut;

      g_ptr_array_add (forms, NULL);
      cut = cut_phone_numbers (result, (GStrv) forms->pdata);
      g_free (result);
      result = cut;
    }

  return g_steal_pointer (&result);
}

/**
 * tesoro_session_preview_erasure_reason:
 * @reason: (nullable): a reason as the user is writing it
 *
 * The reason as the receipt and the audit log of erasing the contact would
 * keep it, with what identifies the person cut out ("[…]"), for the
 * confirmation to show before anything is stored.
 *
 * Returns: (transfer full) (nullable): the reason as it would be kept
 */
char *
tesoro_session_preview_erasure_reason (TesoroSession  *self,
                                       gint64          contact_id,
                                       const char     *reason,
                                       GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return NULL;
  return redact_reason (self, contact_id, reason, error);
}

/* Erases one contact inside the caller's transaction. */
static TesoroErasureReceipt *
erase_one (TesoroSession        *self,
           gint64                id,
           const char           *reason,
           TesoroErasureMethod   method,
           const char           *now,
           GError              **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  g_auto(TesoroContactState) state = { 0 };
  g_autoptr(TesoroErasureReceipt) receipt = NULL;
  g_autofree char *clean_reason = NULL;
  TesoroLinkedCounts before, after;

  if (!_tesoro_session_check (self, id, TESORO_INTENT_ERASE, &state, error) ||
      !tesoro_backend_count_linked (backend, id, &before, error))
    return NULL;

  clean_reason = redact_reason (self, id, reason, error);
  if (clean_reason == NULL)
    return NULL;

  if (!tesoro_backend_delete_contact (backend, id, error) ||
      !tesoro_backend_count_linked (backend, id, &after, error) ||
      !tesoro_backend_scrub_requests_of (backend, state.uid, now, error))
    return NULL;
  if (tesoro_linked_counts_total (&after) != 0)
    {
      g_set_error (error, TESORO_ERROR, TESORO_ERROR_DATABASE,
                   _("Records of contact %" PRId64 " remained after it was deleted; "
                     "nothing was changed (are foreign keys off?)"), id);
      return NULL;
    }

  receipt = tesoro_erasure_receipt_new (0, state.uid, now, tesoro_session_get_actor (self),
                                        tesoro_erasure_method_to_string (method), clean_reason, &before,
                                        after.search_terms == 0, FALSE);
  if (!tesoro_backend_insert_receipt (backend, receipt, error))
    return NULL;

  if (!_tesoro_session_audit (self, TESORO_AUDIT_ERASE, state.uid,
                              tesoro_json_object_new ("method", 's', tesoro_erasure_receipt_get_method (receipt),
                                                      "reason", 's', tesoro_erasure_receipt_get_reason (receipt),
                                                      "receipt", 'i', tesoro_erasure_receipt_get_id (receipt),
                                                      "counts", 'n', tesoro_linked_counts_to_json_node (&before),
                                                      "index_purged", 'b',
                                                      tesoro_erasure_receipt_get_index_purged (receipt),
                                                      NULL),
                              error))
    return NULL;

  return g_steal_pointer (&receipt);
}

/**
 * tesoro_session_purge_files:
 *
 * Purges the physical traces of erased data from the database files (for
 * SQLite: the write-ahead log is checkpointed into the database and
 * truncated). Erasure does this itself; to finish what a receipt says was
 * not purged because another connection was reading, and have the receipt
 * say so, see tesoro_session_finish_purges() (opening the database does it
 * too).
 */
gboolean
tesoro_session_purge_files (TesoroSession  *self,
                            GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return FALSE;
  return tesoro_backend_purge (_tesoro_session_get_backend (self), error);
}

/**
 * tesoro_session_finish_purges:
 * @n_finished: (out) (optional): how many erasures' purges are finished,
 *   now or when this session opened the database
 *
 * Finishes the purges that erasures could not (their receipts say the
 * files are not purged yet): purges the files, removes what another
 * program may have copied into them, and the receipts say so. The log is
 * purged even when nothing is pending. Needs the erasure permission.
 */
gboolean
tesoro_session_finish_purges (TesoroSession  *self,
                              guint          *n_finished,
                              GError        **error)
{
  TesoroBackend *backend;
  guint n = 0;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return FALSE;
  backend = _tesoro_session_get_backend (self);
  if (!tesoro_backend_finish_purges (backend, &n, error) || !tesoro_backend_purge (backend, error))
    return FALSE;

  n += self->purged_at_open;
  self->purged_at_open = 0;
  if (n_finished != NULL)
    *n_finished = n;
  return TRUE;
}

/**
 * _tesoro_session_purge_erased:
 * @receipts: (element-type TesoroErasureReceipt): what the erasure committed
 *   just now made
 *
 * After the commit of an erasure: purges the files, and the receipts say
 * so — a small write that holds no personal data, after which the files are
 * purged once more so that the log stays empty.
 */
void
_tesoro_session_purge_erased (TesoroSession *self,
                              GPtrArray     *receipts)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);

  if (receipts->len > 0 && tesoro_backend_purge (backend, NULL) &&
      tesoro_backend_mark_receipts_purged (backend, receipts, NULL))
    tesoro_backend_purge (backend, NULL);
}

typedef struct
{
  const TesoroContactQuery *query;       /* picks the ids inside the transaction, or */
  const gint64             *ids;         /* these */
  guint                     n_ids;
  const char               *reason;
  TesoroErasureMethod       method;
  const char               *summary_action; /* an audit entry for the run, or NULL */
  JsonNode                 *summary;        /* its details (an object; "erased" is added) */
  gboolean                  summary_always; /* even when nothing was erased */
} ErasureRun;

static gboolean
run_erasure (TesoroSession              *self,
             ErasureRun                 *run,
             GCancellable               *cancellable,
             TesoroErasureProgressFunc   progress,
             gpointer                    user_data,
             GPtrArray                 **out_receipts,
             GError                    **error)
{
  TesoroBackend *backend = _tesoro_session_get_backend (self);
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *now = tesoro_now_iso ();
  gboolean outermost = !tesoro_backend_in_transaction (backend);

  if (out_receipts != NULL)
    *out_receipts = NULL;

  /* A power cut right after the user was told "erased" must not bring the
   * person back: the commit is synced fully. */
  if (!_tesoro_session_begin (self, TESORO_WRITE_DURABLE, error))
    return FALSE;

  if (run->query != NULL)
    {
      ids = tesoro_backend_select_contacts (backend, run->query, error);
      if (ids == NULL)
        return _tesoro_session_fail (self);
    }
  else
    {
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), run->n_ids);
      g_array_append_vals (ids, run->ids, run->n_ids);
    }

  for (guint i = 0; i < ids->len; i++)
    {
      TesoroErasureReceipt *receipt;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, TESORO_ERROR, TESORO_ERROR_CANCELLED, _("Cancelled: no contact was deleted"));
          return _tesoro_session_fail (self);
        }

      receipt = erase_one (self, g_array_index (ids, gint64, i), run->reason, run->method, now, error);
      if (receipt == NULL)
        return _tesoro_session_fail (self);
      g_ptr_array_add (receipts, receipt);

      if (progress != NULL)
        progress (i + 1, ids->len, user_data);
    }

  /* Tags and custom fields that no contact uses any more: what only the
   * erased person had may itself say something about them ("Jan's
   * family"), and so may what they had before an edit; remembered import
   * mappings that name such a field are forgotten with it. */
  if (ids->len > 0 && !_tesoro_session_delete_unused_names (self, error))
    return _tesoro_session_fail (self);

  if (run->summary_action != NULL && (ids->len > 0 || run->summary_always))
    {
      JsonNode *details = json_node_copy (run->summary);

      json_object_set_int_member (json_node_get_object (details), "erased", ids->len);
      if (!_tesoro_session_audit (self, run->summary_action, NULL, details, error))
        return _tesoro_session_fail (self);
    }

  if (!_tesoro_session_commit (self, error))
    return _tesoro_session_fail (self);

  /* The receipts say the files were purged; this small write holds no
   * personal data, and the files are purged once more so that the log
   * stays empty. */
  if (outermost)
    _tesoro_session_purge_erased (self, receipts);

  if (ids->len > MAX_SINGLE_NOTIFICATIONS)
    _tesoro_session_emit_changed (self, 0, TESORO_CHANGE_RESET);
  else
    for (guint i = 0; i < ids->len; i++)
      _tesoro_session_emit_changed (self, g_array_index (ids, gint64, i), TESORO_CHANGE_ERASED);

  if (out_receipts != NULL)
    *out_receipts = g_steal_pointer (&receipts);

  return TRUE;
}

/**
 * tesoro_session_erase_contact:
 * @reason: (nullable): why, as the user gave it; what identifies the
 *   contact (names, organisation, e-mail addresses, phone numbers in any
 *   notation, street, postcode, birthday, consent evidence) is cut out of
 *   it, see tesoro_session_preview_erasure_reason()
 * @method: how (for the receipt)
 * @receipt: (out) (optional) (transfer full): the erasure receipt
 *
 * Permanent Delete (DESIGN.md rule 1): the contact and everything linked to
 * it, in one transaction; tags and custom fields nobody else uses go too.
 * An erasure receipt and an audit entry record the event without personal
 * data. Afterwards the files are purged. A contact on legal hold is refused.
 */
gboolean
tesoro_session_erase_contact (TesoroSession          *self,
                              gint64                  contact_id,
                              const char             *reason,
                              TesoroErasureMethod     method,
                              TesoroErasureReceipt  **receipt,
                              GError                **error)
{
  g_autoptr(GPtrArray) receipts = NULL;
  ErasureRun run = { NULL, };

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return FALSE;

  if (receipt != NULL)
    *receipt = NULL;

  run.ids = &contact_id;
  run.n_ids = 1;
  run.reason = reason;
  run.method = method;

  if (!run_erasure (self, &run, NULL, NULL, NULL, &receipts, error))
    return FALSE;

  if (receipt != NULL)
    *receipt = g_object_ref (receipts->pdata[0]);
  return TRUE;
}

/**
 * tesoro_session_erase_contacts:
 * @ids: (array length=n_ids): the contacts
 * @reason: (nullable): why, for every receipt
 * @cancellable: (nullable): stops before the end; then nothing is erased
 * @progress: (nullable) (scope call): called after each contact
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *   one receipt per contact
 *
 * Erases many contacts in one transaction with one purge. If one of them
 * cannot be erased (missing, on legal hold), none is.
 */
gboolean
tesoro_session_erase_contacts (TesoroSession              *self,
                               const gint64               *ids,
                               guint                       n_ids,
                               const char                 *reason,
                               TesoroErasureMethod         method,
                               GCancellable               *cancellable,
                               TesoroErasureProgressFunc   progress,
                               gpointer                    user_data,
                               GPtrArray                 **receipts,
                               GError                    **error)
{
  ErasureRun run = { NULL, };

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return FALSE;

  run.ids = ids;
  run.n_ids = n_ids;
  run.reason = reason;
  run.method = method;

  return run_erasure (self, &run, cancellable, progress, user_data, receipts, error);
}

/**
 * _tesoro_session_erase_query:
 *
 * For retention and the trash: erases the contacts @query selects at the
 * moment of the call, and records the run in the audit log.
 */
gboolean
_tesoro_session_erase_query (TesoroSession              *self,
                             const TesoroContactQuery   *query,
                             const char                 *reason,
                             TesoroErasureMethod         method,
                             const char                 *summary_action,
                             JsonNode                   *summary,
                             gboolean                    summary_always,
                             GCancellable               *cancellable,
                             TesoroErasureProgressFunc   progress,
                             gpointer                    user_data,
                             GPtrArray                 **receipts,
                             GError                    **error)
{
  ErasureRun run = { NULL, };

  run.query = query;
  run.reason = reason;
  run.method = method;
  run.summary_action = summary_action;
  run.summary = summary;
  run.summary_always = summary_always;

  return run_erasure (self, &run, cancellable, progress, user_data, receipts, error);
}

/**
 * tesoro_session_list_erasure_receipts:
 *
 * Returns: (transfer full) (element-type TesoroErasureReceipt): every
 * receipt, newest first
 */
GPtrArray *
tesoro_session_list_erasure_receipts (TesoroSession  *self,
                                      GError        **error)
{
  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_RECEIPTS, error))
    return NULL;
  return tesoro_backend_list_receipts (_tesoro_session_get_backend (self), 0, error);
}

/**
 * tesoro_session_get_erasure_receipt:
 *
 * Returns: (transfer full) (nullable): the receipt
 */
TesoroErasureReceipt *
tesoro_session_get_erasure_receipt (TesoroSession  *self,
                                    gint64          receipt_id,
                                    GError        **error)
{
  g_autoptr(GPtrArray) receipts = NULL;

  g_return_val_if_fail (TESORO_IS_SESSION (self), NULL);

  if (!tesoro_session_require (self, TESORO_PERMISSION_RECEIPTS, error))
    return NULL;

  receipts = tesoro_backend_list_receipts (_tesoro_session_get_backend (self), MAX (receipt_id, 1), error);
  return receipts != NULL ? g_object_ref (receipts->pdata[0]) : NULL;
}

/* Trash */

/**
 * tesoro_session_empty_trash:
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * Erases every contact in the trash (method "trash"), except those on legal
 * hold, in one transaction.
 */
gboolean
tesoro_session_empty_trash (TesoroSession              *self,
                            GCancellable               *cancellable,
                            TesoroErasureProgressFunc   progress,
                            gpointer                    user_data,
                            GPtrArray                 **receipts,
                            GError                    **error)
{
  g_autoptr(JsonNode) summary = NULL;
  TesoroContactQuery held, erasable;
  gint64 n_held;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return FALSE;

  tesoro_contact_query_init (&held);
  held.trash = 1;
  held.legal_hold = 1;
  n_held = tesoro_backend_count_contacts (_tesoro_session_get_backend (self), &held, error);
  if (n_held < 0)
    return FALSE;

  tesoro_contact_query_init (&erasable);
  erasable.trash = 1;
  erasable.legal_hold = 0;
  erasable.order = TESORO_ORDER_TRASHED;

  summary = tesoro_json_object_new ("kept_on_legal_hold", 'i', n_held, NULL);
  return _tesoro_session_erase_query (self, &erasable, _("Emptied the trash"), TESORO_ERASURE_TRASH,
                                      TESORO_AUDIT_EMPTY_TRASH, summary, TRUE,
                                      cancellable, progress, user_data, receipts, error);
}

/**
 * tesoro_session_expire_trash:
 * @receipts: (out) (optional) (transfer full) (element-type TesoroErasureReceipt):
 *
 * Erases the contacts that have been in the trash for longer than the
 * trash expiry setting (except those on legal hold).
 */
gboolean
tesoro_session_expire_trash (TesoroSession  *self,
                             GCancellable   *cancellable,
                             GPtrArray     **receipts,
                             GError        **error)
{
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *cutoff = NULL;
  g_autofree char *reason = NULL;
  TesoroGdprSettings settings;
  TesoroContactQuery expired;

  g_return_val_if_fail (TESORO_IS_SESSION (self), FALSE);

  if (!tesoro_session_require (self, TESORO_PERMISSION_ERASE, error))
    return FALSE;

  if (receipts != NULL)
    *receipts = NULL;
  if (!tesoro_session_get_gdpr_settings (self, &settings, error))
    return FALSE;
  if (settings.trash_expiry_days == 0)
    {
      if (receipts != NULL)
        *receipts = g_ptr_array_new_with_free_func (g_object_unref);
      return TRUE;
    }

  cutoff = tesoro_iso_ago (settings.trash_expiry_days, 0);
  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In the trash for more than %u day",
                                         "In the trash for more than %u days", settings.trash_expiry_days),
                            settings.trash_expiry_days);
  summary = tesoro_json_object_new ("days", 'i', (gint64) settings.trash_expiry_days, "cutoff", 's', cutoff, NULL);

  tesoro_contact_query_init (&expired);
  expired.trash = 1;
  expired.legal_hold = 0;
  expired.trashed_before = cutoff;
  expired.order = TESORO_ORDER_TRASHED;

  return _tesoro_session_erase_query (self, &expired, reason, TESORO_ERASURE_TRASH, TESORO_AUDIT_TRASH_EXPIRY,
                                      summary, FALSE, cancellable, NULL, NULL, receipts, error);
}
