#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a program from the build tree so that it finds its compiled GSettings
# schema and translations without being installed.
set -eu
builddir="$1"
shift
builddir=$(cd "$builddir" && pwd)
export GSETTINGS_SCHEMA_DIR="$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
export TESORO_LOCALEDIR="$builddir/po"
exec "$@"
