#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command headless: on a private Xvfb display (unless one is given in
# $TESORO_KEEP_DISPLAY) inside a private D-Bus session, with in-memory GSettings.
set -eu

export GSETTINGS_BACKEND=memory
export NO_AT_BRIDGE="${NO_AT_BRIDGE:-0}"
export GDK_BACKEND=x11
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
export LIBGL_ALWAYS_SOFTWARE=1

if [ -n "${TESORO_KEEP_DISPLAY:-}" ] && [ -n "${DISPLAY:-}" ]; then
  exec dbus-run-session -- "$@"
fi

# Find a free display number.
n=90
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do
  n=$((n + 1))
done

Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT INT TERM

# Wait until the server answers (up to 10 s).
i=0
while [ ! -e "/tmp/.X11-unix/X$n" ] && [ $i -lt 100 ]; do
  sleep 0.1
  i=$((i + 1))
done

export DISPLAY=":$n"
status=0
dbus-run-session -- "$@" || status=$?
exit $status
