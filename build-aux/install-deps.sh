#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the Debian 12 packages Tesoro needs to build and to run its tests,
# and only those that are missing. Says what it installs. Uses sudo when not root.
set -eu

PACKAGES="
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libjson-glib-dev libsqlite3-dev libsodium-dev
  libarchive-dev
  sqlite3 desktop-file-utils appstream gtk-update-icon-cache
  xvfb xauth dbus dbus-x11 at-spi2-core locales
  libgtk-4-bin python3 xdotool imagemagick fonts-cantarell
  python3-gi gir1.2-atspi-2.0 tzdata
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all build dependencies are present"
else
  echo "install-deps: installing:$missing"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# The Dutch locale is needed to see (and test) the translation.
if command -v locale >/dev/null && ! locale -a 2>/dev/null | grep -qi '^nl_NL\.utf-\?8$'; then
  if [ -w /etc/locale.gen ] || [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: generating the nl_NL.UTF-8 locale"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO sed -i 's/^# *\(nl_NL.UTF-8\)/\1/' /etc/locale.gen && $SUDO locale-gen >/dev/null || \
      echo "install-deps: could not generate nl_NL.UTF-8 (the Dutch screenshot and locale tests will be skipped)"
  fi
fi
