/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include <json-glib/json-glib.h>

#include "tesoro-session.h"

G_BEGIN_DECLS

/* Exit statuses of DESIGN.md: errors 1, usage errors 2. */
#define TESORO_CLI_OK    0
#define TESORO_CLI_ERROR 1
#define TESORO_CLI_USAGE 2

typedef struct
{
  char          *db_path;
  char          *user;
  char          *password_file;
  gboolean       create_folder;   /* the database's folder may be made */
  TesoroSession *session;
} TesoroCli;

static inline void
tesoro_cli_clear (TesoroCli *cli)
{
  g_clear_object (&cli->session);
  g_clear_pointer (&cli->db_path, g_free);
  g_clear_pointer (&cli->user, g_free);
  g_clear_pointer (&cli->password_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TesoroCli, tesoro_cli_clear)

typedef int (*TesoroCliVerbFunc) (TesoroCli *cli, int argc, char **argv);

typedef struct
{
  const char        *name;
  const char        *parameters;
  const char        *summary;
  TesoroCliVerbFunc  run;
} TesoroCliVerb;

TesoroSession *_tesoro_cli_open_session     (TesoroCli        *cli,
                                             GError          **error);
int          _tesoro_cli_fail           (GError           *error);
int          _tesoro_cli_usage          (GOptionContext   *context,
                                         const char       *message);
gboolean     _tesoro_cli_parse          (GOptionContext   *context,
                                         int              *argc,
                                         char           ***argv,
                                         int              *status);
GOptionContext *_tesoro_cli_context     (const char       *verb);
gboolean     _tesoro_cli_check_arguments (GOptionContext *context,
                                          int              argc,
                                          int              wanted,
                                          int             *status);
char        *_tesoro_cli_read_input     (const char       *path,
                                         gsize            *length,
                                         GError          **error);
TesoroContact *_tesoro_cli_lookup       (TesoroCli        *cli,
                                         const char       *id_or_uid,
                                         GError          **error);
void         _tesoro_cli_print_json     (JsonNode         *node);
typedef JsonNode *(*TesoroCliToJsonFunc) (gpointer item);
void         _tesoro_cli_print_json_array (GPtrArray          *items,
                                           TesoroCliToJsonFunc to_json);
/* For verbs with subcommands: the session (or the exit status of the
 * failure), their options parsed with @wanted arguments, and the exit status
 * of one that did (@ok) or did not do its work. */
TesoroSession *_tesoro_cli_session      (TesoroCli        *cli,
                                         int              *status);
gboolean     _tesoro_cli_parse_verb     (GOptionContext   *context,
                                         GOptionEntry     *entries,
                                         const char       *summary,
                                         int              *argc,
                                         char           ***argv,
                                         int               wanted,
                                         int              *status);
int          _tesoro_cli_done           (gboolean          ok,
                                         GError          **error);
gboolean     _tesoro_cli_confirm        (const char       *question,
                                         gboolean          yes,
                                         GError          **error);

/* Verbs defined in other files. */
/* --- requests (tesoro-cli-requests.c) --- */
int          _tesoro_cli_verb_requests         (TesoroCli *cli, int argc, char **argv);
/* --- gdpr (tesoro-cli-gdpr.c) --- */
int          _tesoro_cli_verb_export_data      (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_delete           (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_empty_trash      (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_consent          (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_restrict         (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_hold             (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_retention        (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_export_marketing (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_receipts         (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_purge            (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_audit            (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_purposes         (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_settings         (TesoroCli *cli, int argc, char **argv);
/* --- import/export (tesoro-cli-import.c) --- */
int          _tesoro_cli_verb_import           (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_export           (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_batch            (TesoroCli *cli, int argc, char **argv);
/* --- privacy office (tesoro-cli-privacy.c) --- */
int          _tesoro_cli_verb_fields           (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_minimisation     (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_register         (TesoroCli *cli, int argc, char **argv);
/* --- users and roles (tesoro-cli-users.c) --- */
int          _tesoro_cli_verb_users            (TesoroCli *cli, int argc, char **argv);
int          _tesoro_cli_verb_roles            (TesoroCli *cli, int argc, char **argv);
/* --- breach log (tesoro-cli-breaches.c) --- */
int          _tesoro_cli_verb_breaches         (TesoroCli *cli, int argc, char **argv);

int          tesoro_cli_run             (int               argc,
                                         char            **argv);

G_END_DECLS
