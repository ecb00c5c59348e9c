#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs a build into a temporary DESTDIR, checks that everything is where a
# desktop expects it, then starts the installed Tesoro headless (Xvfb) on a
# temporary database, waits for its window and closes it.
#
# Usage: build-aux/test-install.sh [BUILDDIR]     (default: build)
#
# The start step is skipped, saying so, when the build has no GUI (-Dgui=false or
# not written yet). Set TESORO_KEEP_DESTDIR=1 to keep the installed tree.
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-build}" && pwd)

fail() {
  echo "test-install: FAIL: $*" >&2
  exit 1
}

[ -f "$builddir/build.ninja" ] || fail "$builddir is not a meson build directory"

# Without a display, run again under the headless wrapper (Xvfb + D-Bus session).
if [ -z "${DISPLAY:-}" ] && [ -z "${TESORO_TEST_INSTALL_HEADLESS:-}" ] && command -v Xvfb >/dev/null; then
  TESORO_TEST_INSTALL_HEADLESS=1 exec "$srcdir/build-aux/headless.sh" "$0" "$builddir"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tesoro-test-install.XXXXXX")
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; fi
  if [ -n "${TESORO_KEEP_DESTDIR:-}" ]; then
    echo "test-install: kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

destdir="$tmp/destdir"

# What the build was configured with.
read -r prefix bindir datadir localedir gui < <(
  meson introspect "$builddir" --buildoptions | python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
prefix = opts["prefix"]
def under(value):
    return value if value.startswith("/") else prefix + "/" + value
print(prefix, under(opts["bindir"]), under(opts["datadir"]), under(opts["localedir"]),
      "true" if opts.get("gui", True) else "false")
')
app_id=$(sed -n 's/^#define APPLICATION_ID "\(.*\)"$/\1/p' "$builddir/config.h")
[ -n "$app_id" ] || fail "no APPLICATION_ID in $builddir/config.h"

echo "test-install: installing $app_id (prefix $prefix) into $destdir"
meson install -C "$builddir" --destdir "$destdir" --no-rebuild --quiet >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "meson install failed"; }

missing=0
expect() {
  if [ -f "$destdir$1" ]; then
    echo "  ok  $1"
  else
    echo "  MISSING  $1" >&2
    missing=$((missing + 1))
  fi
}

if [ "$gui" = true ]; then
  expect "$bindir/tesoro"
else
  echo "  --  $bindir/tesoro (not built: -Dgui=false)"
fi
expect "$bindir/tesoro-cli"
expect "$datadir/applications/$app_id.desktop"
expect "$datadir/metainfo/$app_id.metainfo.xml"
expect "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
expect "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
expect "$datadir/glib-2.0/schemas/io.github.tesorocrm.Tesoro.gschema.xml"
expect "$localedir/nl/LC_MESSAGES/tesoro.mo"
[ "$missing" -eq 0 ] || fail "$missing file(s) not installed"

# The installed files are the right ones, not just present.
desktop="$destdir$datadir/applications/$app_id.desktop"
grep -qx "Icon=$app_id" "$desktop" || fail "$desktop: Icon is not $app_id"
grep -qx "Exec=tesoro" "$desktop" || fail "$desktop: Exec is not tesoro"
grep -q '^Name\[nl\]=' "$desktop" || grep -q '^Comment\[nl\]=' "$desktop" ||
  fail "$desktop: no Dutch translation merged in"
grep -q "<id>$app_id</id>" "$destdir$datadir/metainfo/$app_id.metainfo.xml" ||
  fail "metainfo: the component id is not $app_id"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" \
  "$destdir$datadir/metainfo/$app_id.metainfo.xml" || fail "metainfo: launchable is not $app_id.desktop"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "the installed desktop file does not validate"
fi
echo "test-install: layout OK"

# Start the installed copy.
if [ "$gui" != true ] || [ ! -x "$builddir/src/tesoro" ]; then
  echo "test-install: SKIP start: $builddir/src/tesoro does not exist (the GUI is not built); the layout was checked"
  exit 0
fi
if [ -z "${DISPLAY:-}" ]; then
  echo "test-install: SKIP start: no display and no Xvfb; the layout was checked"
  exit 0
fi

schemadir="$destdir$datadir/glib-2.0/schemas"
# meson's post-install step compiles the schemas unless DESTDIR is set; do it here.
[ -f "$schemadir/gschemas.compiled" ] || glib-compile-schemas --strict "$schemadir"

mkdir -p "$tmp/home/data" "$tmp/home/config" "$tmp/home/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
log="$tmp/tesoro.log"
(
  cd "$tmp"
  export XDG_DATA_DIRS="$destdir$datadir:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  export GSETTINGS_SCHEMA_DIR="$schemadir"
  export GSETTINGS_BACKEND=memory
  export TESORO_LOCALEDIR="$destdir$localedir"
  export TESORO_DB="$tmp/tesoro.db"
  export XDG_DATA_HOME="$tmp/home/data" XDG_CONFIG_HOME="$tmp/home/config" XDG_CACHE_HOME="$tmp/home/cache"
  export XDG_RUNTIME_DIR="$tmp/runtime"
  export GDK_BACKEND=x11 GSK_RENDERER="${GSK_RENDERER:-cairo}" NO_AT_BRIDGE=1
  export G_DEBUG=fatal-criticals
  # Its own D-Bus session: another Tesoro on the bus would take the activation.
  exec dbus-run-session -- sh -c 'echo $$ >"$1"; exec "$2"' sh "$tmp/tesoro.pid" "$destdir$bindir/tesoro"
) >"$log" 2>&1 &
session_pid=$!
for _ in $(seq 1 50); do
  [ -s "$tmp/tesoro.pid" ] && break
  sleep 0.1
done
[ -s "$tmp/tesoro.pid" ] || { cat "$log" >&2; fail "the installed tesoro did not start"; }
app_pid=$(cat "$tmp/tesoro.pid")

window_found() {
  if command -v xdotool >/dev/null; then
    xdotool search --onlyvisible --name 'Tesoro' >/dev/null 2>&1
  else
    xwininfo -root -tree 2>/dev/null | grep '"[^"]*Tesoro[^"]*"' >/dev/null
  fi
}

found=""
for _ in $(seq 1 200); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    cat "$log" >&2
    fail "the installed tesoro exited before its window appeared"
  fi
  if window_found; then
    found=yes
    break
  fi
  sleep 0.1
done

# Let it run a moment longer: start-up work after the first frame must not fail either.
sleep 2
if ! kill -0 "$app_pid" 2>/dev/null; then
  cat "$log" >&2
  fail "the installed tesoro exited after it started"
fi
if grep -E -- '-(CRITICAL|ERROR) \*\*' "$log" >&2; then
  fail "the installed tesoro logged critical errors (above)"
fi
[ -n "$found" ] || { cat "$log" >&2; fail "no window titled Tesoro appeared within 20 s"; }

echo "test-install: the installed tesoro started and showed its window"
kill "$app_pid" 2>/dev/null || true
wait "$session_pid" 2>/dev/null || true
app_pid=""
exit 0
