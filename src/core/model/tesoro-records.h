/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The plain records a contact is made of. Each is a boxed type so that it
 * can travel in GValues and signals; arrays of them are GPtrArrays that own
 * their elements.
 */

/* An e-mail address or a phone number with its label ("work", "home", …). */
typedef struct
{
  char     *label;
  char     *value;
  gboolean  primary;
} TesoroDetail;

typedef struct
{
  char *label;
  char *street;
  char *postal_code;
  char *city;
  char *region;
  char *country;
} TesoroAddress;

typedef struct
{
  char *name;
  char *value;
} TesoroCustomValue;

typedef struct
{
  gint64  id;
  char   *body;
  char   *created_at;
  char   *author;
} TesoroNote;

typedef struct
{
  gint64  id;
  char   *direction;  /* "in" or "out" */
  char   *address;
  char   *subject;
  char   *body;
  char   *at;
  char   *author;
} TesoroMessage;

typedef struct
{
  gint64    id;
  char     *title;
  char     *due;
  gboolean  done;
  char     *done_at;
  char     *created_at;
  char     *author;
} TesoroTask;

typedef struct
{
  gint64  id;
  char   *kind;      /* "call", "meeting" or "system" */
  char   *summary;
  char   *at;
  char   *author;
} TesoroActivity;

typedef struct
{
  gint64    id;
  char     *purpose;
  gboolean  granted;
  char     *at;
  char     *source;
  char     *evidence;
  char     *recorded_by;
  char     *recorded_at;
} TesoroConsentEvent;

#define TESORO_TYPE_DETAIL        (tesoro_detail_get_type ())
#define TESORO_TYPE_ADDRESS       (tesoro_address_get_type ())
#define TESORO_TYPE_CUSTOM_VALUE  (tesoro_custom_value_get_type ())
#define TESORO_TYPE_NOTE          (tesoro_note_get_type ())
#define TESORO_TYPE_MESSAGE       (tesoro_message_get_type ())
#define TESORO_TYPE_TASK          (tesoro_task_get_type ())
#define TESORO_TYPE_ACTIVITY      (tesoro_activity_get_type ())
#define TESORO_TYPE_CONSENT_EVENT (tesoro_consent_event_get_type ())

GType               tesoro_detail_get_type        (void) G_GNUC_CONST;
TesoroDetail       *tesoro_detail_new             (const char *label,
                                                   const char *value,
                                                   gboolean    primary);
TesoroDetail       *tesoro_detail_copy            (const TesoroDetail *self);
void                tesoro_detail_free            (TesoroDetail *self);

GType               tesoro_address_get_type       (void) G_GNUC_CONST;
TesoroAddress      *tesoro_address_new            (void);
TesoroAddress      *tesoro_address_copy           (const TesoroAddress *self);
void                tesoro_address_free           (TesoroAddress *self);
char               *tesoro_address_format         (const TesoroAddress *self);
gboolean            tesoro_address_is_empty       (const TesoroAddress *self);

GType               tesoro_custom_value_get_type  (void) G_GNUC_CONST;
TesoroCustomValue  *tesoro_custom_value_new       (const char *name,
                                                   const char *value);
TesoroCustomValue  *tesoro_custom_value_copy      (const TesoroCustomValue *self);
void                tesoro_custom_value_free      (TesoroCustomValue *self);

GType               tesoro_note_get_type          (void) G_GNUC_CONST;
TesoroNote         *tesoro_note_new               (void);
TesoroNote         *tesoro_note_copy              (const TesoroNote *self);
void                tesoro_note_free              (TesoroNote *self);

GType               tesoro_message_get_type       (void) G_GNUC_CONST;
TesoroMessage      *tesoro_message_new            (void);
TesoroMessage      *tesoro_message_copy           (const TesoroMessage *self);
void                tesoro_message_free           (TesoroMessage *self);

GType               tesoro_task_get_type          (void) G_GNUC_CONST;
TesoroTask         *tesoro_task_new               (void);
TesoroTask         *tesoro_task_copy              (const TesoroTask *self);
void                tesoro_task_free              (TesoroTask *self);

GType               tesoro_activity_get_type      (void) G_GNUC_CONST;
TesoroActivity     *tesoro_activity_new           (void);
TesoroActivity     *tesoro_activity_copy          (const TesoroActivity *self);
void                tesoro_activity_free          (TesoroActivity *self);

GType               tesoro_consent_event_get_type (void) G_GNUC_CONST;
TesoroConsentEvent *tesoro_consent_event_new      (void);
TesoroConsentEvent *tesoro_consent_event_copy     (const TesoroConsentEvent *self);
void                tesoro_consent_event_free     (TesoroConsentEvent *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroDetail, tesoro_detail_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroAddress, tesoro_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroCustomValue, tesoro_custom_value_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroNote, tesoro_note_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroMessage, tesoro_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroTask, tesoro_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroActivity, tesoro_activity_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroConsentEvent, tesoro_consent_event_free)

G_END_DECLS
