/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-history"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tesoro-history.h"

struct _TesoroHistoryItem
{
  GObject            parent_instance;

  TesoroHistoryKind  kind;
  gint64             id;
  char              *title;
  char              *body;
  char              *at;
  char              *due;
  char              *author;
  char              *address;
  gboolean           done;
};

G_DEFINE_FINAL_TYPE (TesoroHistoryItem, tesoro_history_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_ID,
  PROP_TITLE,
  PROP_BODY,
  PROP_AT,
  PROP_DUE,
  PROP_AUTHOR,
  PROP_DONE,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tesoro_history_item_finalize (GObject *object)
{
  TesoroHistoryItem *self = (TesoroHistoryItem *) object;

  g_free (self->title);
  g_free (self->body);
  g_free (self->at);
  g_free (self->due);
  g_free (self->author);
  g_free (self->address);

  G_OBJECT_CLASS (tesoro_history_item_parent_class)->finalize (object);
}

static void
tesoro_history_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TesoroHistoryItem *self = TESORO_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_AT:
      g_value_set_string (value, self->at);
      break;
    case PROP_DUE:
      g_value_set_string (value, self->due);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_DONE:
      g_value_set_boolean (value, self->done);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, tesoro_history_item_get_icon_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tesoro_history_item_class_init (TesoroHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tesoro_history_item_finalize;
  object_class->get_property = tesoro_history_item_get_property;

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, TESORO_HISTORY_TASK, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT] =
    g_param_spec_string ("at", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUE] =
    g_param_spec_string ("due", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DONE] =
    g_param_spec_boolean ("done", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tesoro_history_item_init (TesoroHistoryItem *self)
{
}

TesoroHistoryKind
tesoro_history_item_get_kind (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), 0);
  return self->kind;
}

gint64
tesoro_history_item_get_id (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), 0);
  return self->id;
}

const char *
tesoro_history_item_get_title (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), NULL);
  return self->title;
}

const char *
tesoro_history_item_get_body (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), NULL);
  return self->body;
}

/**
 * tesoro_history_item_get_at:
 *
 * Returns: when it happened (for a task: when it was created)
 */
const char *
tesoro_history_item_get_at (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), NULL);
  return self->at;
}

const char *
tesoro_history_item_get_due (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), NULL);
  return self->due;
}

const char *
tesoro_history_item_get_author (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), NULL);
  return self->author;
}

/**
 * tesoro_history_item_get_address:
 *
 * Returns: (nullable): for a logged message, the address it went to or came from
 */
const char *
tesoro_history_item_get_address (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), NULL);
  return self->address;
}

gboolean
tesoro_history_item_get_done (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), FALSE);
  return self->done;
}

const char *
tesoro_history_item_get_icon_name (TesoroHistoryItem *self)
{
  g_return_val_if_fail (TESORO_IS_HISTORY_ITEM (self), NULL);

  switch (self->kind)
    {
    case TESORO_HISTORY_NOTE: return "document-edit-symbolic";
    case TESORO_HISTORY_MESSAGE_IN: return "mail-unread-symbolic";
    case TESORO_HISTORY_MESSAGE_OUT: return "mail-send-symbolic";
    case TESORO_HISTORY_CALL: return "call-start-symbolic";
    case TESORO_HISTORY_MEETING: return "system-users-symbolic";
    case TESORO_HISTORY_SYSTEM: return "dialog-information-symbolic";
    case TESORO_HISTORY_TASK: return "object-select-symbolic";
    default: return "text-x-generic-symbolic";
    }
}

static TesoroHistoryItem *
item_new (TesoroHistoryKind  kind,
          gint64             id,
          const char        *title,
          const char        *body,
          const char        *at,
          const char        *author)
{
  TesoroHistoryItem *self = g_object_new (TESORO_TYPE_HISTORY_ITEM, NULL);

  self->kind = kind;
  self->id = id;
  self->title = g_strdup (title != NULL ? title : "");
  self->body = g_strdup (body != NULL ? body : "");
  self->at = g_strdup (at != NULL ? at : "");
  self->author = g_strdup (author);

  return self;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  TesoroHistoryItem *ia = *(TesoroHistoryItem **) a;
  TesoroHistoryItem *ib = *(TesoroHistoryItem **) b;
  int c = strcmp (ib->at, ia->at);

  if (c != 0)
    return c;
  if (ia->kind != ib->kind)
    return (int) ia->kind - (int) ib->kind;
  return ib->id < ia->id ? -1 : ib->id > ia->id;
}

/**
 * tesoro_history_new_model:
 * @contact: a contact loaded with its history
 *
 * Returns: (transfer full): a #GListModel of #TesoroHistoryItem, newest first
 */
GListModel *
tesoro_history_new_model (TesoroContact *contact)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GListStore *store;
  GPtrArray *array;

  g_return_val_if_fail (TESORO_IS_CONTACT (contact), NULL);

  array = tesoro_contact_get_notes (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroNote *n = array->pdata[i];
      g_ptr_array_add (items, item_new (TESORO_HISTORY_NOTE, n->id, _("Note"), n->body, n->created_at, n->author));
    }

  array = tesoro_contact_get_messages (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroMessage *m = array->pdata[i];
      gboolean in = g_strcmp0 (m->direction, "in") == 0;
      const char *subject = m->subject != NULL && *m->subject ? m->subject : (in ? _("Message received") : _("Message sent"));

      TesoroHistoryItem *item = item_new (in ? TESORO_HISTORY_MESSAGE_IN : TESORO_HISTORY_MESSAGE_OUT,
                                          m->id, subject, m->body, m->at, m->author);

      item->address = g_strdup (m->address);
      g_ptr_array_add (items, item);
    }

  array = tesoro_contact_get_activities (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroActivity *a = array->pdata[i];
      TesoroHistoryKind kind;
      const char *title;

      if (g_strcmp0 (a->kind, "call") == 0)
        kind = TESORO_HISTORY_CALL, title = _("Call");
      else if (g_strcmp0 (a->kind, "meeting") == 0)
        kind = TESORO_HISTORY_MEETING, title = _("Meeting");
      else
        kind = TESORO_HISTORY_SYSTEM, title = _("Event");

      g_ptr_array_add (items, item_new (kind, a->id, title, a->summary, a->at, a->author));
    }

  array = tesoro_contact_get_tasks (contact);
  for (guint i = 0; i < array->len; i++)
    {
      TesoroTask *t = array->pdata[i];
      TesoroHistoryItem *item = item_new (TESORO_HISTORY_TASK, t->id, t->title, NULL, t->created_at, t->author);

      item->due = g_strdup (t->due);
      item->done = t->done;
      g_ptr_array_add (items, item);
    }

  g_ptr_array_sort (items, compare_newest_first);

  store = g_list_store_new (TESORO_TYPE_HISTORY_ITEM);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  return G_LIST_MODEL (store);
}
