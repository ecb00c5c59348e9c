/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tesoro-error"

#include "config.h"

#include "tesoro-error.h"

G_DEFINE_QUARK (tesoro-error-quark, tesoro_error)
