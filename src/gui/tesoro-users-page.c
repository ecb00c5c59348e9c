/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "tesoro-a11y.h"
#include "tesoro-access.h"
#include "tesoro-import-run.h"
#include "tesoro-users-page.h"

/*
 * Preferences → Users and Preferences → Roles, for whoever may manage
 * users and roles. Every change is saved at once through the session,
 * which checks it (the last administrator, a password's strength, Export
 * Data only for a role that sees everything); a refused change is said in
 * a toast and the page shows again what is stored.
 */

struct _TesoroUsersPage
{
  AdwPreferencesPage  parent_instance;

  TesoroSession      *session;
  gboolean            roles;       /* the Roles page, else the Users page */
  AdwPreferencesGroup *list_group;
  GPtrArray          *rows;
  GPtrArray          *role_list;   /* TesoroRole, for the combo rows */
  gboolean            updating;
};

G_DEFINE_FINAL_TYPE (TesoroUsersPage, tesoro_users_page, ADW_TYPE_PREFERENCES_PAGE)

static void reload (TesoroUsersPage *self);

static gboolean
reload_cb (gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(TesoroUsersPage) self = g_weak_ref_get (ref);

  if (self != NULL)
    reload (self);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* Shows what is stored again once the handler that changed it is done
 * (its row is among those replaced). */
static void
reload_later (TesoroUsersPage *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_cb, ref, (GDestroyNotify) weak_ref_free);
}

static void
say (TesoroUsersPage *self,
     const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
}

/* Says why a change was refused, and shows what is stored again. */
static void
refused (TesoroUsersPage *self,
         GError          *error)
{
  say (self, error->message);
  reload_later (self);
}

static GtkWidget *
labelled_switch (const char *label,
                 gboolean    active)
{
  GtkWidget *sw = gtk_switch_new ();

  /* Named by its row, whose activatable widget it is. */
  gtk_switch_set_active (GTK_SWITCH (sw), active);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  return sw;
}

static void
add_row (TesoroUsersPage     *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

static GtkStringList *
role_names (TesoroUsersPage *self)
{
  GtkStringList *names = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->role_list->len; i++)
    gtk_string_list_append (names, tesoro_role_get_display_name (self->role_list->pdata[i]));
  return names;
}

static guint
role_position (TesoroUsersPage *self,
               const char      *key)
{
  for (guint i = 0; i < self->role_list->len; i++)
    if (g_strcmp0 (tesoro_role_get_key (self->role_list->pdata[i]), key) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* The Users page */

static void
on_role_selected_cb (AdwComboRow     *row,
                     GParamSpec      *pspec,
                     TesoroUsersPage *self)
{
  const char *login = g_object_get_data (G_OBJECT (row), "login");
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GError) error = NULL;

  if (self->updating || selected >= self->role_list->len)
    return;
  if (!tesoro_session_set_user_role (self->session, login,
                                     tesoro_role_get_key (self->role_list->pdata[selected]), &error))
    refused (self, error);
  else
    reload_later (self);
}

static void
on_enabled_cb (GtkSwitch       *sw,
               GParamSpec      *pspec,
               TesoroUsersPage *self)
{
  const char *login = g_object_get_data (G_OBJECT (sw), "login");
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  if (!tesoro_session_set_user_disabled (self->session, login, !gtk_switch_get_active (sw), &error))
    refused (self, error);
  else
    reload_later (self);
}

static void
on_password_apply_cb (AdwEntryRow     *row,
                      TesoroUsersPage *self)
{
  const char *login = g_object_get_data (G_OBJECT (row), "login");
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (GTK_EDITABLE (row), "");
  if (!tesoro_session_set_password (self->session, login, password, &error))
    {
      refused (self, error);
      return;
    }
  say (self, _("The password is changed"));
  reload_later (self);
}

static char *
describe_user (TesoroUsersPage *self,
               TesoroUser      *user)
{
  guint position = role_position (self, tesoro_user_get_role (user));
  const char *role = position != GTK_INVALID_LIST_POSITION
                     ? tesoro_role_get_display_name (self->role_list->pdata[position]) : tesoro_user_get_role (user);

  if (tesoro_user_get_disabled (user))
    /* Translators: a user: their login, their role */
    return g_strdup_printf (_("%s · %s · cannot sign in"), tesoro_user_get_login (user), role);
  if (!tesoro_user_has_password (user))
    return g_strdup_printf (_("%s · %s · no password yet"), tesoro_user_get_login (user), role);
  return g_strdup_printf ("%s · %s", tesoro_user_get_login (user), role);
}

static void
add_user_row (TesoroUsersPage *self,
              TesoroUser      *user)
{
  const char *login = tesoro_user_get_login (user);
  g_autofree char *subtitle = describe_user (self, user);
  g_autoptr(GtkStringList) names = role_names (self);
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *role = adw_combo_row_new ();
  GtkWidget *enabled = adw_action_row_new ();
  GtkWidget *sw = labelled_switch (_("Can sign in"), !tesoro_user_get_disabled (user));
  GtkWidget *password = adw_password_entry_row_new ();
  const char *name = tesoro_user_get_full_name (user);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), name != NULL && *name != '\0' ? name : login);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  adw_expander_row_set_icon_name (ADW_EXPANDER_ROW (expander),
                                  tesoro_user_get_disabled (user) ? "action-unavailable-symbolic"
                                                                  : "avatar-default-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role), _("Role"));
  adw_combo_row_set_model (ADW_COMBO_ROW (role), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (role), role_position (self, tesoro_user_get_role (user)));
  g_object_set_data_full (G_OBJECT (role), "login", g_strdup (login), g_free);
  g_signal_connect (role, "notify::selected", G_CALLBACK (on_role_selected_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), role);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (enabled), _("Can sign in"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (enabled),
                               _("Users are never deleted, only disabled: the audit log names them."));
  adw_action_row_add_suffix (ADW_ACTION_ROW (enabled), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (enabled), sw);
  g_object_set_data_full (G_OBJECT (sw), "login", g_strdup (login), g_free);
  g_signal_connect (sw, "notify::active", G_CALLBACK (on_enabled_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), enabled);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password), _("New password (at least 10 characters)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (password), TRUE);
  tesoro_a11y_name_entry_buttons (password);
  g_object_set_data_full (G_OBJECT (password), "login", g_strdup (login), g_free);
  g_signal_connect (password, "apply", G_CALLBACK (on_password_apply_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), password);

  tesoro_a11y_name_inner_lists (expander, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander)));
  add_row (self, self->list_group, expander);
}

/* Adding a user, on a subpage of the window */

typedef struct
{
  TesoroUsersPage *page;
  GtkWidget       *subpage;
  AdwEntryRow     *name;
  AdwEntryRow     *login;
  AdwComboRow     *role;
  AdwEntryRow     *password;
  AdwEntryRow     *own_password;   /* NULL when the administrator has one */
  GtkLabel        *error;
} AddForm;

static void
add_form_free (AddForm *form)
{
  g_free (form);
}

static void
on_add_clicked_cb (GtkButton *button,
                   AddForm   *form)
{
  TesoroUsersPage *self = form->page;
  g_autoptr(GError) error = NULL;
  const char *login = gtk_editable_get_text (GTK_EDITABLE (form->login));
  guint role = adw_combo_row_get_selected (form->role);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Who adds the second user sets their own password first. */
  if (form->own_password != NULL &&
      !tesoro_session_set_password (self->session, tesoro_session_get_actor (self->session),
                                    gtk_editable_get_text (GTK_EDITABLE (form->own_password)), &error))
    {
      g_prefix_error (&error, _("Your own password: "));
      gtk_label_set_label (form->error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
      return;
    }
  if (form->own_password != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (form->own_password), "");
      gtk_widget_set_sensitive (GTK_WIDGET (form->own_password), FALSE);
    }

  if (!tesoro_session_add_user (self->session, login, gtk_editable_get_text (GTK_EDITABLE (form->name)),
                                role < self->role_list->len ? tesoro_role_get_key (self->role_list->pdata[role]) : "",
                                gtk_editable_get_text (GTK_EDITABLE (form->password)), &error))
    {
      gtk_label_set_label (form->error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (form->password), "");
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (root));
  say (self, _("The user is added: from now on everyone signs in"));
  reload (self);
}

static AdwEntryRow *
form_row (AdwPreferencesGroup *group,
          const char          *title,
          gboolean             password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  if (password)
    tesoro_a11y_name_entry_buttons (row);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, row);
  return ADW_ENTRY_ROW (row);
}

static void
on_back_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (root));
}

/* A subpage: a header bar with a Back button, and @content. */
static GtkWidget *
subpage_new (const char *title,
             GtkWidget  *content)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  g_signal_connect (back, "clicked", G_CALLBACK (on_back_clicked_cb), NULL);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_box_append (GTK_BOX (box), header);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), content);
  gtk_box_append (GTK_BOX (box), scroller);
  return box;
}

static GtkWidget *
form_page (GtkWidget  **group_out,
           GtkLabel   **error_out,
           GtkWidget  **button_out,
           const char  *button_label)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *error = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_set_visible (error, FALSE);
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (GTK_BOX (box), group);
  gtk_box_append (GTK_BOX (box), error);
  gtk_box_append (GTK_BOX (box), button);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  *group_out = group;
  *error_out = GTK_LABEL (error);
  *button_out = button;
  return clamp;
}

static void
on_add_user_clicked_cb (GtkButton       *button,
                        TesoroUsersPage *self)
{
  AddForm *form = g_new0 (AddForm, 1);
  g_autoptr(GtkStringList) names = role_names (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TesoroUser *me = tesoro_session_get_user (self->session);
  GtkWidget *group, *add, *content;

  form->page = self;
  content = form_page (&group, &form->error, &add, _("_Add User"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("The new user signs in with this login and password. Once there "
                                           "are two users, everyone signs in."));
  form->name = form_row (ADW_PREFERENCES_GROUP (group), _("Name"), FALSE);
  form->login = form_row (ADW_PREFERENCES_GROUP (group), _("Login"), FALSE);
  form->role = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->role), _("Role"));
  adw_combo_row_set_model (form->role, G_LIST_MODEL (names));
  adw_combo_row_set_selected (form->role, role_position (self, TESORO_ROLE_SALES));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (form->role));
  form->password = form_row (ADW_PREFERENCES_GROUP (group), _("Password (at least 10 characters)"), TRUE);
  if (me != NULL && !tesoro_user_has_password (me))
    form->own_password = form_row (ADW_PREFERENCES_GROUP (group), _("Your own password, to sign in from now on"),
                                   TRUE);

  form->subpage = subpage_new (_("Add User"), content);
  g_signal_connect_data (add, "clicked", G_CALLBACK (on_add_clicked_cb), form, (GClosureNotify) add_form_free, 0);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (root), form->subpage);
  gtk_widget_grab_focus (GTK_WIDGET (form->name));
}

static void
show_users (TesoroUsersPage *self)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  users = tesoro_session_list_users (self->session, &error);
  if (users == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      add_row (self, self->list_group, row);
      return;
    }
  for (guint i = 0; i < users->len; i++)
    add_user_row (self, users->pdata[i]);
}

/* The Roles page */

static const char *
access_label (TesoroFieldAccess access)
{
  switch (access)
    {
    case TESORO_ACCESS_HIDDEN: return _("Hidden");
    case TESORO_ACCESS_READ: return _("Read");
    case TESORO_ACCESS_WRITE:
    default: return _("Read and change");
    }
}

static void
save_role (TesoroUsersPage *self,
           TesoroRole      *role)
{
  g_autoptr(GError) error = NULL;

  if (!tesoro_session_save_role (self->session, role, &error))
    refused (self, error);
}

static TesoroRole *
role_of (TesoroUsersPage *self,
         GObject         *widget)
{
  return g_object_get_data (widget, "role");
}

static void
on_permission_cb (GtkSwitch       *sw,
                  GParamSpec      *pspec,
                  TesoroUsersPage *self)
{
  TesoroRole *role = role_of (self, G_OBJECT (sw));

  if (self->updating)
    return;
  tesoro_role_set_permission (role, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sw), "permission")),
                              gtk_switch_get_active (sw));
  save_role (self, role);
}

static void
on_access_cb (AdwComboRow     *row,
              GParamSpec      *pspec,
              TesoroUsersPage *self)
{
  TesoroRole *role = role_of (self, G_OBJECT (row));
  const char *custom = g_object_get_data (G_OBJECT (row), "custom");
  TesoroFieldAccess access = adw_combo_row_get_selected (row);

  if (self->updating || access > TESORO_ACCESS_WRITE)
    return;
  if (custom != NULL)
    tesoro_role_set_custom_access (role, custom, access);
  else
    tesoro_role_set_access (role, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "group")), access);
  save_role (self, role);
}

static GtkWidget *
access_row (TesoroUsersPage   *self,
            TesoroRole        *role,
            const char        *title,
            TesoroFieldAccess  access)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (TesoroFieldAccess a = TESORO_ACCESS_HIDDEN; a <= TESORO_ACCESS_WRITE; a++)
    gtk_string_list_append (labels, access_label (a));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), access);
  g_object_set_data_full (G_OBJECT (row), "role", g_object_ref (role), g_object_unref);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_access_cb), self);
  return row;
}

static void
add_role_row (TesoroUsersPage *self,
              TesoroRole      *role,
              GStrv            custom_names)
{
  GtkWidget *expander = adw_expander_row_new ();
  gboolean fixed = g_strcmp0 (tesoro_role_get_key (role), TESORO_ROLE_ADMINISTRATOR) == 0;
  guint n_allowed = 0;

  for (guint i = 0; i < TESORO_N_PERMISSIONS; i++)
    n_allowed += tesoro_role_has_permission (role, i);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), tesoro_role_get_display_name (role));
  if (fixed)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), _("May do everything, always"));
  else
    {
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u permission", "%u permissions",
                                                                n_allowed), n_allowed);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
    }

  for (guint i = 0; i < TESORO_N_PERMISSIONS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = labelled_switch (tesoro_permission_get_label (i), tesoro_role_has_permission (role, i));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tesoro_permission_get_label (i));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_widget_set_sensitive (row, !fixed);
      g_object_set_data_full (G_OBJECT (sw), "role", g_object_ref (role), g_object_unref);
      g_object_set_data (G_OBJECT (sw), "permission", GUINT_TO_POINTER (i));
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_permission_cb), self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }

  for (guint i = 0; i < TESORO_N_FIELD_GROUPS; i++)
    {
      TesoroFieldGroups group = tesoro_field_group_nth (i);
      g_autofree char *title = g_strdup_printf (_("Field: %s"), tesoro_field_group_get_label (group));
      GtkWidget *row = access_row (self, role, title, tesoro_role_get_access (role, group));

      g_object_set_data (G_OBJECT (row), "group", GUINT_TO_POINTER (group));
      gtk_widget_set_sensitive (row, !fixed);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }

  for (guint i = 0; custom_names != NULL && custom_names[i] != NULL; i++)
    {
      g_autofree char *title = g_strdup_printf (_("Custom field: %s"), custom_names[i]);
      GtkWidget *row = access_row (self, role, title, tesoro_role_get_custom_access (role, custom_names[i]));

      g_object_set_data_full (G_OBJECT (row), "custom", g_strdup (custom_names[i]), g_free);
      gtk_widget_set_sensitive (row, !fixed);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }

  tesoro_a11y_name_inner_lists (expander, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander)));
  add_row (self, self->list_group, expander);
}

static void
on_add_role_confirmed_cb (GtkButton *button,
                          AddForm   *form)
{
  TesoroUsersPage *self = form->page;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!tesoro_session_add_role (self->session, gtk_editable_get_text (GTK_EDITABLE (form->login)),
                                gtk_editable_get_text (GTK_EDITABLE (form->name)), &error))
    {
      gtk_label_set_label (form->error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (form->error), TRUE);
      return;
    }
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (root));
  reload (self);
}

static void
on_add_role_clicked_cb (GtkButton       *button,
                        TesoroUsersPage *self)
{
  AddForm *form = g_new0 (AddForm, 1);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *group, *add, *content;

  form->page = self;
  content = form_page (&group, &form->error, &add, _("_Add Role"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("A new role may view contacts and read every field. Give it more on "
                                           "the Roles page."));
  form->name = form_row (ADW_PREFERENCES_GROUP (group), _("Name"), FALSE);
  form->login = form_row (ADW_PREFERENCES_GROUP (group), _("Key (lower-case letters, digits, hyphens)"), FALSE);
  form->subpage = subpage_new (_("Add Role"), content);
  g_signal_connect_data (add, "clicked", G_CALLBACK (on_add_role_confirmed_cb), form,
                         (GClosureNotify) add_form_free, 0);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (root), form->subpage);
  gtk_widget_grab_focus (GTK_WIDGET (form->name));
}

static void
show_roles (TesoroUsersPage *self)
{
  g_auto(GStrv) custom = tesoro_session_list_custom_field_names (self->session, NULL);

  for (guint i = 0; i < self->role_list->len; i++)
    add_role_row (self, self->role_list->pdata[i], custom);
}

/* Both */

static void
reload (TesoroUsersPage *self)
{
  g_autoptr(GError) error = NULL;

  self->updating = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->list_group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);

  g_clear_pointer (&self->role_list, g_ptr_array_unref);
  self->role_list = tesoro_session_list_roles (self->session, &error);
  if (self->role_list == NULL)
    self->role_list = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->roles)
    show_roles (self);
  else
    show_users (self);
  self->updating = FALSE;
}

static void
tesoro_users_page_dispose (GObject *object)
{
  TesoroUsersPage *self = (TesoroUsersPage *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->role_list, g_ptr_array_unref);

  G_OBJECT_CLASS (tesoro_users_page_parent_class)->dispose (object);
}

static void
tesoro_users_page_class_init (TesoroUsersPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tesoro_users_page_dispose;
}

static void
tesoro_users_page_init (TesoroUsersPage *self)
{
  self->rows = g_ptr_array_new ();
}

/* The note on what roles protect, and a warning when the file is open to
 * other users of the computer. */
static void
add_file_note (TesoroUsersPage *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *label = gtk_label_new (_("Roles decide what each person may do and see in Tesoro. On this computer "
                                      "the database is a file, and whoever can read the file can read everything "
                                      "in it, whatever their role: roles protect against using Tesoro beyond "
                                      "one’s job, not against copying the file. A shared database server "
                                      "enforces the roles in the server."));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), label);

  if (tesoro_session_is_exposed (self->session))
    {
      g_autofree char *text = g_strdup_printf (_("Other users of this computer can read “%s”: make it readable "
                                                 "by you alone (chmod 600)."),
                                               tesoro_session_get_path (self->session));
      GtkWidget *warning = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (warning), TRUE);
      gtk_label_set_xalign (GTK_LABEL (warning), 0);
      gtk_widget_add_css_class (warning, "warning");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), warning);
    }

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
}

/**
 * tesoro_users_page_new:
 * @roles: the Roles page rather than the Users page
 *
 * Returns: (transfer floating): the page, for whoever may manage users
 */
GtkWidget *
tesoro_users_page_new (TesoroSession *session,
                       gboolean       roles)
{
  TesoroUsersPage *self;
  GtkWidget *add;

  g_return_val_if_fail (TESORO_IS_SESSION (session), NULL);

  self = g_object_new (TESORO_TYPE_USERS_PAGE,
                       "name", roles ? "roles" : "users",
                       "title", roles ? _("Roles") : _("Users"),
                       "icon-name", roles ? "dialog-password-symbolic" : "system-users-symbolic",
                       NULL);
  self->session = g_object_ref (session);
  self->roles = roles;

  add_file_note (self);

  self->list_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->list_group, roles ? _("Roles") : _("Users"));
  adw_preferences_group_set_description (self->list_group,
                                         roles ? _("What each role may do, and which fields it may see or change.")
                                               : _("Who may sign in, and with which role."));
  add = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_tooltip_text (add, roles ? _("Add Role") : _("Add User"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  roles ? _("Add Role") : _("Add User"), -1);
  g_signal_connect (add, "clicked", G_CALLBACK (roles ? on_add_role_clicked_cb : on_add_user_clicked_cb), self);
  gtk_widget_set_sensitive (add, !tesoro_session_is_read_only (session));
  adw_preferences_group_set_header_suffix (self->list_group, add);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->list_group);

  reload (self);
  return GTK_WIDGET (self);
}
