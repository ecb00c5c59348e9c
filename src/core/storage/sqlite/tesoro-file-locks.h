/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void _tesoro_file_locks_install (void);

G_END_DECLS
