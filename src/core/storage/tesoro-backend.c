/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-backend"

#include "config.h"

#include <string.h>

#include "tesoro-backend.h"

/*
 * The interface, and the small types its operations share. What each
 * operation does is said where the engines implement it.
 */

G_DEFINE_INTERFACE (TesoroBackend, tesoro_backend, G_TYPE_OBJECT)

static void
tesoro_backend_default_init (TesoroBackendInterface *iface)
{
}

void
tesoro_contact_state_clear (TesoroContactState *state)
{
  g_clear_pointer (&state->uid, g_free);
  g_clear_pointer (&state->lawful_basis, g_free);
  g_clear_pointer (&state->legal_hold_reason, g_free);
  g_clear_pointer (&state->trashed_at, g_free);
  state->restricted = FALSE;
  state->legal_hold = FALSE;
}

/**
 * tesoro_contact_query_init:
 *
 * Every contact, in id order.
 */
void
tesoro_contact_query_init (TesoroContactQuery *query)
{
  memset (query, 0, sizeof *query);
  query->trash = -1;
  query->legal_hold = -1;
  query->order = TESORO_ORDER_ID;
}

void
tesoro_export_layout_clear (TesoroExportLayout *layout)
{
  g_clear_pointer (&layout->custom_names, g_ptr_array_unref);
}
