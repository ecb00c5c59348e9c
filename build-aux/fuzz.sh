#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer harnesses of tests/fuzz with clang (in build-fuzz)
# and runs each for a bounded time, seeded with the test corpus under
# tests/data. Exits non-zero when a harness finds a crash, a leak, a hang or
# a broken check; the input that did it is kept in build-fuzz/fuzz-artifacts/
# (replay it with: build-fuzz/tests/fuzz/fuzz-NAME FILE).
#
#   build-aux/fuzz.sh [SECONDS_PER_HARNESS]     (default 60; `make fuzz FUZZ_SECONDS=600`)
#
# The corpus grown by earlier runs (build-fuzz/fuzz-corpus/) is reused.
set -eu
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
  ''|*[!0-9]*) echo "fuzz: the time must be a number of seconds, not “$seconds”" >&2; exit 2 ;;
esac

# clang and its sanitizer and libFuzzer runtime, installed like install-deps.sh does.
missing=""
for p in clang libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -n "$missing" ]; then
  echo "fuzz: installing:$missing"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

builddir=build-fuzz
if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true -Dgui=false -Dbuildtype=debugoptimized -Db_lundef=false
fi
meson compile -C "$builddir" fuzz-csv fuzz-vcard

status=0
for name in csv vcard; do
  corpus="$builddir/fuzz-corpus/$name"
  artifacts="$builddir/fuzz-artifacts"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: running fuzz-$name for ${seconds} s (seeds: tests/data/$name)"
  # New inputs go to the first corpus directory; the seeds are only read.
  if ! "$builddir/tests/fuzz/fuzz-$name" \
        -max_total_time="$seconds" \
        -timeout=20 \
        -rss_limit_mb=2048 \
        -max_len=16384 \
        -dict="tests/fuzz/$name.dict" \
        -artifact_prefix="$artifacts/$name-" \
        -print_final_stats=1 \
        "$corpus" "tests/data/$name"; then
    echo "fuzz: fuzz-$name FAILED: the input is in $artifacts/" >&2
    status=1
  fi
done

if [ "$status" -eq 0 ]; then
  echo "fuzz: no problems found"
fi
exit "$status"
