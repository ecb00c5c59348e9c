# SPDX-License-Identifier: GPL-3.0-or-later
#
# Thin wrapper over meson for the two README commands.
#   make run   install missing build dependencies, build, start Tesoro
#   make test  the same set-up, then the whole test suite headless
#   make bench the benchmarks (meson test --benchmark)
#   make demo  start Tesoro on a throw-away database with sample data
#   make fuzz  the libFuzzer harnesses for a bounded time (needs clang)

BUILDDIR ?= build
MESON_SETUP_ARGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test bench demo fuzz asan clean

all: build

deps:
	@./build-aux/install-deps.sh

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_SETUP_ARGS)

build: deps $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)

run: build
	./build-aux/run-uninstalled.sh $(BUILDDIR) ./$(BUILDDIR)/src/tesoro

test: build
	./build-aux/headless.sh meson test -C $(BUILDDIR) --print-errorlogs --num-processes 2

bench: build
	./build-aux/headless.sh meson test -C $(BUILDDIR) --benchmark --print-errorlogs --verbose --timeout-multiplier 0

demo: build
	@test -e $(BUILDDIR)/demo.db || ./$(BUILDDIR)/src/cli/tesoro-cli --db $(BUILDDIR)/demo.db demo --count 300
	./build-aux/run-uninstalled.sh $(BUILDDIR) ./$(BUILDDIR)/src/tesoro --db $(BUILDDIR)/demo.db

asan: deps
	meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug --wipe >/dev/null 2>&1 || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
	meson compile -C build-asan
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./build-aux/headless.sh meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 4

fuzz: deps
	./build-aux/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILDDIR) build-asan build-fuzz
