/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The GDPR duties, one header each; this one brings them all. Every
 * function is one transaction and writes the accountability log
 * (tesoro-audit.h).
 *
 * All functions are synchronous. They may be called from a worker thread
 * on a session of that thread's own (tesoro_session_open_another());
 * the window's session does not see that thread's "contact-changed"
 * signals and should reload.
 */

#include "tesoro-audit.h"
#include "tesoro-bulk-export.h"
#include "tesoro-consent.h"
#include "tesoro-erasure.h"
#include "tesoro-export-data.h"
#include "tesoro-restriction.h"
#include "tesoro-retention.h"
