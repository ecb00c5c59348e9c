/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-test"

#include "config.h"

#include <string.h>

#include "tesoro-breach-dialog.h"
#include "tesoro-breach-event-dialog.h"
#include "tesoro-breach-window-private.h"
#include "tesoro-gui-test-utils.h"
#include "tesoro-utils.h"
#include "tesoro-window-private.h"

/*
 * The Breach Log window, headless, as a privacy officer uses it: opened
 * from the main menu, a breach recorded through the form (with its errors
 * shown in the form), seen in the list with its 72 hours, then the
 * authority notified and the people's case recorded.
 */

static void
set_up (GuiFixture    *fixture,
        gconstpointer  data)
{
  gui_fixture_set_up (fixture, 0);
}

static void
tear_down (GuiFixture    *fixture,
           gconstpointer  data)
{
  gui_close_other_windows (fixture);
  gui_fixture_tear_down (fixture);
}

/* @hours ago, as a person types it in the form (local time). */
static char *
typed_hours_ago (double hours)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, -hours * 3600);

  return g_date_time_format (then, "%Y-%m-%d %H:%M");
}

static void
set_text_view (GtkWidget  *view,
               const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gui_iterate ();
}

static TesoroBreach *
breach_at (TesoroBreachWindow *window,
           guint               position)
{
  TesoroBreach *breach = g_list_model_get_item (_tesoro_breach_window_get_breaches (window), position);

  g_assert_nonnull (breach);
  g_object_unref (breach);
  return breach;
}

static void
test_record_and_notify (GuiFixture    *fixture,
                        gconstpointer  data)
{
  TesoroBreachWindow *window;
  TesoroBreachDialog *form;
  TesoroBreachEventDialog *event_dialog;
  GtkWidget *description;
  g_autofree char *discovered = typed_hours_ago (59.9);
  g_autofree char *list_state = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* The main menu offers the log to the administrator; it opens empty. */
  g_assert_true (gui_menu_offers (fixture->window->primary_menu_button, "Breach Log"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-breaches", NULL));
  gui_iterate ();
  window = TESORO_BREACH_WINDOW (gui_find_toplevel (TESORO_TYPE_BREACH_WINDOW));
  g_assert_nonnull (window);
  g_assert_cmpstr (_tesoro_breach_window_get_page (window), ==, "empty");

  /* Record Breach… opens the form; without a description it says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "breaches.record", NULL));
  gui_iterate ();
  form = TESORO_BREACH_DIALOG (gui_find_toplevel (TESORO_TYPE_BREACH_DIALOG));
  g_assert_nonnull (form);
  gui_type_into (gui_find_row (GTK_WIDGET (form), "Discovered (YYYY-MM-DD HH:MM)"), discovered);
  gui_type_into (gui_find_row (GTK_WIDGET (form), "People affected (about how many; empty if unknown)"), "forty");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "breach.save", NULL));
  gui_iterate ();
  g_assert_nonnull (strstr (tesoro_breach_dialog_get_error (form), "people_affected"));
  g_assert_true (gtk_widget_has_css_class (gui_find_row (GTK_WIDGET (form), "People affected (about how many; empty if unknown)"),
                                           "error"));

  gui_type_into (gui_find_row (GTK_WIDGET (form), "People affected (about how many; empty if unknown)"), "40");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "breach.save", NULL));
  gui_iterate ();
  g_assert_nonnull (strstr (tesoro_breach_dialog_get_error (form), "description"));
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_breach_window_get_breaches (window)), ==, 0);

  description = gui_find_widget_of_type (GTK_WIDGET (form), GTK_TYPE_TEXT_VIEW);
  set_text_view (description, "Laptop with the customer list stolen from a car");
  gui_type_into (gui_find_row (GTK_WIDGET (form), "Categories of personal data (such as names, e-mail addresses)"),
                 "names, e-mail addresses");
  /* Ctrl+Enter saves. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "breach.save", NULL));
  gui_iterate ();
  g_assert_null (gui_find_toplevel (TESORO_TYPE_BREACH_DIALOG));

  /* In the list, with its deadline: discovered almost 60 hours ago. */
  g_assert_cmpstr (_tesoro_breach_window_get_page (window), ==, "breaches");
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_breach_window_get_breaches (window)), ==, 1);
  g_assert_cmpstr (tesoro_breach_get_description (breach_at (window, 0)), ==,
                   "Laptop with the customer list stolen from a car");
  g_assert_cmpint (tesoro_breach_get_people_affected (breach_at (window, 0)), ==, 40);
  g_assert_cmpstr (_tesoro_breach_window_get_deadline_text (window), ==, "Notify the authority within 12 hours");
  list_state = tesoro_breach_describe_deadline (breach_at (window, 0), NULL);
  g_assert_cmpstr (list_state, ==, "Notify the authority within 12 hours");

  /* Authority Notified… records it, with the reference. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "breaches.notify", NULL));
  gui_iterate ();
  event_dialog = TESORO_BREACH_EVENT_DIALOG (gui_find_toplevel (TESORO_TYPE_BREACH_EVENT_DIALOG));
  g_assert_nonnull (event_dialog);
  gui_type_into (gui_find_row (GTK_WIDGET (event_dialog), "The authority’s reference (optional)"), "AP-2026-117");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (event_dialog), "breach-event.save", NULL));
  gui_iterate ();
  g_assert_null (gui_find_toplevel (TESORO_TYPE_BREACH_EVENT_DIALOG));
  g_assert_true (g_str_has_prefix (_tesoro_breach_window_get_deadline_text (window), "Authority notified on "));
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_breach_window_get_history (window)), ==, 1);

  /* People Informed… with "not required" needs a reason. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "breaches.inform", NULL));
  gui_iterate ();
  event_dialog = TESORO_BREACH_EVENT_DIALOG (gui_find_toplevel (TESORO_TYPE_BREACH_EVENT_DIALOG));
  gtk_switch_set_active (GTK_SWITCH (gui_find_widget_of_type (GTK_WIDGET (event_dialog), GTK_TYPE_SWITCH)), TRUE);
  gui_iterate ();
  g_assert_false (gtk_widget_get_visible (gui_find_row (GTK_WIDGET (event_dialog), "The authority’s reference (optional)") ?:
                                          gui_find_row (GTK_WIDGET (event_dialog), "How (by e-mail, by letter, on the website…)")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (event_dialog), "breach-event.save", NULL));
  gui_iterate ();
  g_assert_nonnull (strstr (tesoro_breach_event_dialog_get_error (event_dialog), "reason"));
  gui_type_into (gui_find_row (GTK_WIDGET (event_dialog), "Why not"), "The laptop's disk is encrypted");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (event_dialog), "breach-event.save", NULL));
  gui_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_breach_window_get_history (window)), ==, 2);

  /* Stored as the window shows it. */
  stored = tesoro_session_list_breaches (fixture->session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (tesoro_breach_get_notified_reference (stored->pdata[0]), ==, "AP-2026-117");
  g_assert_cmpstr (tesoro_breach_get_people_reason (stored->pdata[0]), ==, "The laptop's disk is encrypted");
  g_assert_cmpstr (tesoro_breach_get_categories (stored->pdata[0]), ==, "names, e-mail addresses");
}

/* An overdue breach says so, and a correction through the same form shows
 * the new facts. */
static void
test_overdue_and_correct (GuiFixture    *fixture,
                          gconstpointer  data)
{
  g_autofree char *old = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_hours (now, -80);
  g_autoptr(TesoroBreach) breach = NULL;
  g_autoptr(GError) error = NULL;
  TesoroBreachFacts facts = { .description = "Backup tape lost" };
  TesoroBreachWindow *window;
  TesoroBreachDialog *form;

  old = tesoro_iso_from_date_time (then);
  facts.discovered_at = old;
  breach = tesoro_session_record_breach (fixture->session, &facts, &error);
  g_assert_no_error (error);

  window = tesoro_breach_window_new (fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  gui_iterate ();
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_tesoro_breach_window_get_breaches (window)), 0);
  gui_iterate ();
  g_assert_cmpstr (_tesoro_breach_window_get_deadline_text (window), ==, "Overdue: notify the authority now");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "breaches.correct", NULL));
  gui_iterate ();
  form = TESORO_BREACH_DIALOG (gui_find_toplevel (TESORO_TYPE_BREACH_DIALOG));
  g_assert_nonnull (form);
  gui_type_into (gui_find_row (GTK_WIDGET (form), "Records affected (about how many; empty if unknown)"), "2500");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "breach.save", NULL));
  gui_iterate ();
  g_assert_null (gui_find_toplevel (TESORO_TYPE_BREACH_DIALOG));
  g_assert_cmpint (tesoro_breach_get_records_affected (breach_at (window, 0)), ==, 2500);
  /* The discovery time was not touched: still overdue, one correction. */
  g_assert_cmpstr (tesoro_breach_get_discovered_at (breach_at (window, 0)), ==, old);
  g_assert_cmpstr (_tesoro_breach_window_get_deadline_text (window), ==, "Overdue: notify the authority now");
  g_assert_cmpuint (g_list_model_get_n_items (_tesoro_breach_window_get_history (window)), ==, 1);

  gui_destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/gui-breaches/record-and-notify", GuiFixture, NULL, set_up, test_record_and_notify, tear_down);
  g_test_add ("/gui-breaches/overdue-and-correct", GuiFixture, NULL, set_up, test_overdue_and_correct, tear_down);

  return g_test_run ();
}
