/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tesoro-contact.h"

G_BEGIN_DECLS

/*
 * The contact as JSON, in the one documented shape of DESIGN.md that serves
 * tesoro-cli add/show, Export Data and JSON import.
 */

JsonNode      *tesoro_contact_to_json_node     (TesoroContact  *contact);
char          *tesoro_contact_to_json          (TesoroContact  *contact,
                                                gboolean        pretty);
TesoroContact *tesoro_contact_new_from_json_node (JsonNode     *node,
                                                  GError      **error);
TesoroContact *tesoro_contact_new_from_json    (const char     *data,
                                                gssize          length,
                                                GError        **error);
char          *tesoro_json_to_string           (JsonNode       *node,
                                                gboolean        pretty);
JsonNode      *tesoro_json_object_new          (const char     *first_key,
                                                ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
