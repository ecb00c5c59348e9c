/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-user"

#include "config.h"

#include "tesoro-user.h"
#include "tesoro-utils.h"

struct _TesoroUser
{
  GObject   parent_instance;

  char     *login;
  char     *full_name;
  char     *role;
  char     *created_at;
  char     *last_sign_in;
  char     *locked_until;
  guint     failed_attempts;
  gboolean  disabled;
  gboolean  has_password;
};

G_DEFINE_FINAL_TYPE (TesoroUser, tesoro_user, G_TYPE_OBJECT)

static void
tesoro_user_finalize (GObject *object)
{
  TesoroUser *self = (TesoroUser *) object;

  g_free (self->login);
  g_free (self->full_name);
  g_free (self->role);
  g_free (self->created_at);
  g_free (self->last_sign_in);
  g_free (self->locked_until);

  G_OBJECT_CLASS (tesoro_user_parent_class)->finalize (object);
}

static void
tesoro_user_class_init (TesoroUserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tesoro_user_finalize;
}

static void
tesoro_user_init (TesoroUser *self)
{
}

TesoroUser *
tesoro_user_new (const char *login,
                 const char *full_name,
                 const char *role)
{
  TesoroUser *self;

  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (TESORO_TYPE_USER, NULL);
  self->login = g_strdup (login);
  self->full_name = g_strdup (full_name != NULL ? full_name : "");
  self->role = g_strdup (role);
  return self;
}

#define STRING_PROPERTY(name)                                   \
  const char *                                                  \
  tesoro_user_get_##name (TesoroUser *self)                     \
  {                                                             \
    g_return_val_if_fail (TESORO_IS_USER (self), NULL);         \
    return self->name;                                          \
  }

#define STRING_SETTER(name)                                     \
  void                                                          \
  tesoro_user_set_##name (TesoroUser *self,                     \
                          const char *value)                    \
  {                                                             \
    g_return_if_fail (TESORO_IS_USER (self));                   \
    tesoro_set_str (&self->name, value);                        \
  }

STRING_PROPERTY (login)
STRING_PROPERTY (full_name)
STRING_SETTER (full_name)
STRING_PROPERTY (role)
STRING_SETTER (role)
STRING_PROPERTY (created_at)
STRING_SETTER (created_at)
STRING_PROPERTY (last_sign_in)
STRING_SETTER (last_sign_in)
STRING_PROPERTY (locked_until)
STRING_SETTER (locked_until)

gboolean
tesoro_user_get_disabled (TesoroUser *self)
{
  g_return_val_if_fail (TESORO_IS_USER (self), FALSE);
  return self->disabled;
}

void
tesoro_user_set_disabled (TesoroUser *self,
                          gboolean    disabled)
{
  g_return_if_fail (TESORO_IS_USER (self));
  self->disabled = !!disabled;
}

gboolean
tesoro_user_has_password (TesoroUser *self)
{
  g_return_val_if_fail (TESORO_IS_USER (self), FALSE);
  return self->has_password;
}

void
tesoro_user_set_has_password (TesoroUser *self,
                              gboolean    has_password)
{
  g_return_if_fail (TESORO_IS_USER (self));
  self->has_password = !!has_password;
}

guint
tesoro_user_get_failed_attempts (TesoroUser *self)
{
  g_return_val_if_fail (TESORO_IS_USER (self), 0);
  return self->failed_attempts;
}

void
tesoro_user_set_failed_attempts (TesoroUser *self,
                                 guint       n)
{
  g_return_if_fail (TESORO_IS_USER (self));
  self->failed_attempts = n;
}

/**
 * tesoro_user_dup_display_name:
 *
 * Returns: (transfer full): "Full Name (login)", or the login alone
 */
char *
tesoro_user_dup_display_name (TesoroUser *self)
{
  g_return_val_if_fail (TESORO_IS_USER (self), NULL);

  if (self->full_name == NULL || *self->full_name == '\0')
    return g_strdup (self->login);
  return g_strdup_printf ("%s (%s)", self->full_name, self->login);
}
