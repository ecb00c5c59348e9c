/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TESORO_ERROR (tesoro_error_quark ())

/**
 * TesoroError:
 * @TESORO_ERROR_FAILED: something went wrong that has no better code
 * @TESORO_ERROR_DATABASE: SQLite reported an error
 * @TESORO_ERROR_NOT_A_DATABASE: the file is not a SQLite database
 * @TESORO_ERROR_TOO_NEW: the database was written by a newer Tesoro
 * @TESORO_ERROR_READ_ONLY: the database can only be read
 * @TESORO_ERROR_BUSY: another program holds the database locked
 * @TESORO_ERROR_NOT_FOUND: the named contact or record does not exist
 * @TESORO_ERROR_INVALID: the input breaks a rule (bad e-mail, missing name, …)
 * @TESORO_ERROR_PARSE: the input could not be parsed (JSON, CSV, vCard, …)
 * @TESORO_ERROR_TOO_LARGE: a value is longer than Tesoro accepts
 * @TESORO_ERROR_PERMISSION: the acting user may not do this
 * @TESORO_ERROR_RESTRICTED: processing of the contact is restricted (GDPR Art. 18)
 * @TESORO_ERROR_CANCELLED: the user cancelled the operation
 * @TESORO_ERROR_IO: reading or writing a file failed
 * @TESORO_ERROR_EXISTS: a record with this name or key exists already
 */
typedef enum
{
  TESORO_ERROR_FAILED,
  TESORO_ERROR_DATABASE,
  TESORO_ERROR_NOT_A_DATABASE,
  TESORO_ERROR_TOO_NEW,
  TESORO_ERROR_READ_ONLY,
  TESORO_ERROR_BUSY,
  TESORO_ERROR_NOT_FOUND,
  TESORO_ERROR_INVALID,
  TESORO_ERROR_PARSE,
  TESORO_ERROR_TOO_LARGE,
  TESORO_ERROR_PERMISSION,
  TESORO_ERROR_RESTRICTED,
  TESORO_ERROR_CANCELLED,
  TESORO_ERROR_IO,
  TESORO_ERROR_EXISTS,
} TesoroError;

GQuark tesoro_error_quark (void);

G_END_DECLS
