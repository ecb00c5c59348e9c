/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tesoro-contact.h"
#include "tesoro-session.h"

G_BEGIN_DECLS

/*
 * Helpers shared by the core and CLI tests: a temporary folder with a fresh
 * database, direct SQLite access for *verifying* what the session wrote (tests
 * never change data behind the session's back except where a test says so),
 * contact builders and comparisons, and a runner for the real tesoro-cli.
 */

typedef struct
{
  char        *dir;     /* a g_dir_make_tmp() folder, removed afterwards */
  char        *path;    /* dir/tesoro.db */
  TesoroSession *session;   /* open on path */
} TesoroTestFixture;

void           tesoro_test_fixture_setup    (TesoroTestFixture *fixture,
                                             gconstpointer      data);
void           tesoro_test_fixture_teardown (TesoroTestFixture *fixture,
                                             gconstpointer      data);

const char    *tesoro_test_backend          (void);
char          *tesoro_test_make_dir         (void);
void           tesoro_test_remove_dir       (const char        *dir);
TesoroSession   *tesoro_test_open_session       (const char        *path);
void           tesoro_test_reopen           (TesoroTestFixture *fixture);

/* Verification through a connection of the test's own (sqlite3 directly). */
gint64         tesoro_test_sql_int          (const char        *db_path,
                                             const char        *sql);
void           tesoro_test_sql_exec         (const char        *db_path,
                                             const char        *sql);
GStrv          tesoro_test_sql_strings      (const char        *db_path,
                                             const char        *sql);

GBytes        *tesoro_test_read_file        (const char        *path);
void           tesoro_test_write_file       (const char        *path,
                                             const char        *data,
                                             gssize             length);
#define tesoro_test_assert_file_unchanged(path, before)                         \
  G_STMT_START {                                                                \
    g_autoptr(GBytes) _after = tesoro_test_read_file (path);                    \
    if (!g_bytes_equal ((before), _after))                                      \
      g_error ("%s:%d: “%s” was changed (%" G_GSIZE_FORMAT " bytes before, %"   \
               G_GSIZE_FORMAT " after)", __FILE__, __LINE__, (path),            \
               g_bytes_get_size (before), g_bytes_get_size (_after));           \
  } G_STMT_END

char          *tesoro_test_data_file        (const char        *name);

/* Contacts */
TesoroContact *tesoro_test_full_contact     (const char        *given_name,
                                             const char        *family_name);
TesoroContact *tesoro_test_add_named        (TesoroSession       *session,
                                             const char        *given_name,
                                             const char        *family_name);
void           tesoro_test_assert_contacts_equal (TesoroContact *expected,
                                                  TesoroContact *actual);
GArray        *tesoro_test_session_ids        (TesoroSession       *session,
                                               const char        *query,
                                               gboolean           trash);

/* JSON */
JsonNode      *tesoro_test_parse_json       (const char        *text);
char          *tesoro_test_json_mismatch    (JsonNode          *expected,
                                             JsonNode          *actual);
#define tesoro_test_assert_json_contains(expected, actual)                      \
  G_STMT_START {                                                                \
    g_autofree char *_where = tesoro_test_json_mismatch ((expected), (actual)); \
    if (_where != NULL)                                                         \
      g_error ("%s:%d: JSON differs at %s", __FILE__, __LINE__, _where);        \
  } G_STMT_END

/* tesoro-cli */
typedef struct
{
  int   status;   /* the exit status */
  char *out;      /* standard output */
  char *err;      /* standard error */
} TesoroCliResult;

void             tesoro_cli_result_free     (TesoroCliResult   *result);
TesoroCliResult *tesoro_test_cli_argv       (const char * const *argv,
                                             const char * const *env,
                                             const char        *input,
                                             gboolean           as_nobody);
TesoroCliResult *tesoro_test_cli            (const char        *db_path,
                                             const char        *input,
                                             ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesoroCliResult, tesoro_cli_result_free)

G_END_DECLS
