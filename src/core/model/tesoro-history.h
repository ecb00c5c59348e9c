/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tesoro-contact.h"

G_BEGIN_DECLS

/**
 * TesoroHistoryKind:
 *
 * What a timeline entry is. The contact's notes, logged messages, tasks and
 * activities are shown as one timeline, newest first.
 */
typedef enum
{
  TESORO_HISTORY_NOTE,
  TESORO_HISTORY_MESSAGE_IN,
  TESORO_HISTORY_MESSAGE_OUT,
  TESORO_HISTORY_CALL,
  TESORO_HISTORY_MEETING,
  TESORO_HISTORY_SYSTEM,
  TESORO_HISTORY_TASK,
} TesoroHistoryKind;

#define TESORO_TYPE_HISTORY_ITEM (tesoro_history_item_get_type ())

G_DECLARE_FINAL_TYPE (TesoroHistoryItem, tesoro_history_item, TESORO, HISTORY_ITEM, GObject)

TesoroHistoryKind  tesoro_history_item_get_kind    (TesoroHistoryItem *self);
gint64             tesoro_history_item_get_id      (TesoroHistoryItem *self);
const char        *tesoro_history_item_get_title   (TesoroHistoryItem *self);
const char        *tesoro_history_item_get_body    (TesoroHistoryItem *self);
const char        *tesoro_history_item_get_at      (TesoroHistoryItem *self);
const char        *tesoro_history_item_get_due     (TesoroHistoryItem *self);
const char        *tesoro_history_item_get_author  (TesoroHistoryItem *self);
const char        *tesoro_history_item_get_address (TesoroHistoryItem *self);
gboolean           tesoro_history_item_get_done    (TesoroHistoryItem *self);
const char        *tesoro_history_item_get_icon_name (TesoroHistoryItem *self);

GListModel        *tesoro_history_new_model        (TesoroContact     *contact);

G_END_DECLS
