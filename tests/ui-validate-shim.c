/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preloaded into `gtk4-builder-tool validate` by build-aux/check-ui.py, so that the
 * tool of GTK 4.8 can check Tesoro's .ui files. On its own it cannot:
 *
 *  - libadwaita is not loaded, so AdwHeaderBar or a template whose parent is
 *    AdwApplicationWindow are "invalid object types";
 *  - it looks signal handlers up as exported symbols, and the handlers of a widget
 *    template are static functions bound with gtk_widget_class_bind_template_callback
 *    (GTK 4.10's tool uses a scope that accepts any handler, as this one does);
 *  - Tesoro's own widgets are not linked into it.
 *
 * So this library replaces gtk_builder_new(): it initialises libadwaita (which
 * registers all its types) and gives each builder a scope that accepts every handler
 * and stands in a placeholder widget for each Tesoro type. check-ui.py lists the
 * properties and signals the .ui file uses on each Tesoro type in the environment
 * variable TESORO_UI_PLACEHOLDERS ("TesoroThing=prop1,prop2:signal1;TesoroOther=…"), and the
 * placeholder gets them, so that they do not fail; their values are not checked here
 * (the widget tests construct the real widgets).
 */

#define G_LOG_DOMAIN "tesoro-ui-validate"

#include <dlfcn.h>
#include <string.h>

#include <adwaita.h>
#include <gtk/gtk.h>

GtkBuilder *gtk_builder_new (void);

#define VALIDATE_TYPE_SCOPE (validate_scope_get_type ())
G_DECLARE_FINAL_TYPE (ValidateScope, validate_scope, VALIDATE, SCOPE, GtkBuilderCScope)

struct _ValidateScope
{
  GtkBuilderCScope parent_instance;
};

static GtkBuilderScopeInterface *parent_scope_iface;

static void validate_scope_scope_init (GtkBuilderScopeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ValidateScope, validate_scope, GTK_TYPE_BUILDER_CSCOPE,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE,
                                                      validate_scope_scope_init))

static void
handler_stand_in (void)
{
}

/* The property and signal names the .ui file uses on TYPE_NAME, from the environment. */
static void
placeholder_members (const char   *type_name,
                     char       ***properties,
                     char       ***signals)
{
  const char *spec = g_getenv ("TESORO_UI_PLACEHOLDERS");
  g_auto(GStrv) types = g_strsplit (spec != NULL ? spec : "", ";", -1);

  *properties = NULL;
  *signals = NULL;
  for (guint i = 0; types[i] != NULL; i++)
    {
      g_auto(GStrv) name_members = g_strsplit (types[i], "=", 2);

      if (g_strv_length (name_members) == 2 && g_str_equal (name_members[0], type_name))
        {
          g_auto(GStrv) parts = g_strsplit (name_members[1], ":", 2);

          *properties = g_strsplit (parts[0] != NULL ? parts[0] : "", ",", -1);
          *signals = g_strsplit (parts[0] != NULL && parts[1] != NULL ? parts[1] : "", ",", -1);
          return;
        }
    }
}

static void
placeholder_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
}

static void
placeholder_class_init (gpointer klass,
                        gpointer class_data)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *type_name = class_data;
  g_auto(GStrv) properties = NULL;
  g_auto(GStrv) signals = NULL;
  guint prop_id = 1;

  placeholder_members (type_name, &properties, &signals);
  /* Only for the properties installed below: GObject sets the others through the
   * class that owns them. */
  object_class->set_property = placeholder_set_property;

  for (guint i = 0; properties != NULL && properties[i] != NULL; i++)
    {
      if (*properties[i] == '\0' || g_object_class_find_property (object_class, properties[i]) != NULL)
        continue;
      /* The property exists so that the builder accepts it; it sessions nothing. Its
       * name is copied (no G_PARAM_STATIC_STRINGS): the strings here are freed. */
      g_object_class_install_property (object_class, prop_id++,
                                       g_param_spec_string (properties[i], NULL, NULL, NULL,
                                                            G_PARAM_WRITABLE));
    }

  for (guint i = 0; signals != NULL && signals[i] != NULL; i++)
    {
      if (*signals[i] == '\0' || g_signal_lookup (signals[i], G_TYPE_FROM_CLASS (klass)) != 0)
        continue;
      g_signal_new (g_intern_string (signals[i]), G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
    }
}

static GType
register_placeholder (const char *type_name)
{
  GTypeQuery query;
  GTypeInfo info = { 0, };

  g_type_query (GTK_TYPE_WIDGET, &query);
  info.class_size = query.class_size;
  info.instance_size = query.instance_size;
  info.class_init = placeholder_class_init;
  info.class_data = g_strdup (type_name);

  g_printerr ("note: %s is one of Tesoro's widgets; a placeholder stands in for it here\n",
              type_name);
  return g_type_register_static (GTK_TYPE_WIDGET, type_name, &info, 0);
}

static GType
validate_scope_get_type_from_name (GtkBuilderScope *scope,
                                   GtkBuilder      *builder,
                                   const char      *type_name)
{
  GType type = parent_scope_iface->get_type_from_name (scope, builder, type_name);
  const char *template_class = g_getenv ("TESORO_UI_TEMPLATE_CLASS");

  if (type != G_TYPE_INVALID)
    return type;

  /* The tool makes its own type for the template of the file under test. */
  if (g_strcmp0 (type_name, template_class) == 0)
    return G_TYPE_INVALID;

  if (g_str_has_prefix (type_name, "Tesoro"))
    return register_placeholder (type_name);

  return G_TYPE_INVALID;
}

static GClosure *
validate_scope_create_closure (GtkBuilderScope        *scope,
                               GtkBuilder             *builder,
                               const char             *function_name,
                               GtkBuilderClosureFlags  flags,
                               GObject                *object,
                               GError                **error)
{
  gboolean swapped = (flags & GTK_BUILDER_CLOSURE_SWAPPED) != 0;

  if (object == NULL)
    object = gtk_builder_get_current_object (builder);

  if (object != NULL)
    return swapped ? g_cclosure_new_object_swap (handler_stand_in, object)
                   : g_cclosure_new_object (handler_stand_in, object);

  return swapped ? g_cclosure_new_swap (handler_stand_in, NULL, NULL)
                 : g_cclosure_new (handler_stand_in, NULL, NULL);
}

static void
validate_scope_scope_init (GtkBuilderScopeInterface *iface)
{
  parent_scope_iface = g_type_interface_peek_parent (iface);

  iface->get_type_from_name = validate_scope_get_type_from_name;
  iface->create_closure = validate_scope_create_closure;
}

static void
validate_scope_class_init (ValidateScopeClass *klass)
{
}

static void
validate_scope_init (ValidateScope *self)
{
}

GtkBuilder *
gtk_builder_new (void)
{
  static GtkBuilder *(*real_gtk_builder_new) (void);
  g_autoptr(GtkBuilderScope) scope = NULL;
  GtkBuilder *builder;

  if (real_gtk_builder_new == NULL)
    {
      real_gtk_builder_new = (GtkBuilder *(*) (void)) dlsym (RTLD_NEXT, "gtk_builder_new");
      if (real_gtk_builder_new == NULL)
        g_error ("gtk_builder_new not found: %s", dlerror ());
      /* Registers libadwaita's types and its style; needs the display that the
       * tool has already opened. */
      adw_init ();
    }

  builder = real_gtk_builder_new ();
  scope = g_object_new (VALIDATE_TYPE_SCOPE, NULL);
  gtk_builder_set_scope (builder, scope);

  return builder;
}
