# lector — build, test, demo, install.
#
#   make            build build/lector, build/liblector.a and build/liblector.so
#   make demo       ingest and tag examples/ and print what was found
#   make test       every test (C, Lua specs, end to end); last line N passed, N failed
#                   (first check-layers: the library refuses Lua and libedit headers)
#   make test-asan  the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make mutate     mutation testing: which deliberate bugs the tests catch
#   make bench      benchmarks side by side with peer tools
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make install PREFIX=/usr/local
#
# `make demo`, `make test`, `make bench` and `make fuzz` install missing
# Debian packages first (scripts/build/deps.sh), then run the real work in a sub-make
# so that pkg-config is only asked once the packages are there.

PREFIX ?= /usr/local
SANITIZER ?=
ifeq ($(SANITIZER),)
BUILD ?= build
SANFLAGS :=
else
BUILD ?= build-san
SANFLAGS := -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

CC ?= cc
OPT ?= -O2
LUAJIT_CFLAGS := $(or $(shell pkg-config --cflags luajit 2>/dev/null),-I/usr/include/luajit-2.1)
LUAJIT_LIBS := $(or $(shell pkg-config --libs luajit 2>/dev/null),-lluajit-5.1)
SQLITE_LIBS := $(or $(shell pkg-config --libs sqlite3 2>/dev/null),-lsqlite3)
EDIT_CFLAGS := $(or $(shell pkg-config --cflags libedit 2>/dev/null),-I/usr/include/editline)
EDIT_LIBS := $(or $(shell pkg-config --libs libedit 2>/dev/null),-ledit)

CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g $(OPT) -fPIC \
               -Iinclude -MMD -MP $(SANFLAGS)
CFLAGS += $(CFLAGS_BASE)
CORE_LIBS := $(SQLITE_LIBS) -lunistring -lm
# libxml2's HTML parser, for core/html.c only (its headers nowhere else).
XML_CFLAGS := $(or $(shell pkg-config --cflags libxml-2.0 2>/dev/null),-I/usr/include/libxml2)
XML_LIBS := $(or $(shell pkg-config --libs libxml-2.0 2>/dev/null),-lxml2)
CORE_LIBS += $(XML_LIBS)
LDFLAGS += $(SANFLAGS)

# core/*.c is the library; core/host/*.c the binary around it.
CORE_SRCS := $(wildcard core/*.c)
HOST_SRCS := $(wildcard core/host/*.c)
CORE_OBJS := $(CORE_SRCS:core/%.c=$(BUILD)/obj/%.o)
HOST_OBJS := $(HOST_SRCS:core/host/%.c=$(BUILD)/obj/host/%.o)
CTEST_SRCS := $(wildcard tests/c/test_*.c)
CTEST_BINS := $(CTEST_SRCS:tests/c/%.c=$(BUILD)/tests/%)
CDEF := scripts/lector/cdef.lua

.PHONY: all deps demo _demo test _test test-asan mutate bench _bench fuzz _fuzz \
        install clean lint tests check-layers

all: $(BUILD)/lector $(BUILD)/liblector.so $(CDEF)

deps:
	@sh scripts/build/deps.sh build

# The library compiles without the Lua and libedit flags, and refuses a
# source that reaches a Lua or libedit header anyway (libedit's sit in
# /usr/include, where leaving a flag out cannot hide them): -MD lists the
# system headers too, and the object is removed when one of them is the
# host's. Only core/host/ may include them.
LIB_CFLAGS = $(filter-out -MMD,$(CFLAGS)) -MD
HOST_HEADERS := /(luajit-[0-9.]+|editline)/|/(lua|lauxlib|lualib|luajit|luaconf|histedit)\.h
lib_cc = $(CC) $(LIB_CFLAGS) -c $(1) -o $(2) && \
  if grep -qE '$(HOST_HEADERS)' $(2:.o=.d); then rm -f $(2); \
    echo "$(1): includes a Lua or libedit header; only core/host/ may" >&2; \
    exit 1; fi

$(BUILD)/obj/%.o: core/%.c | $(BUILD)/obj
	@echo "$(CC) $(LIB_CFLAGS) -c $< -o $@"
	@$(call lib_cc,$<,$@)

$(BUILD)/obj/host/%.o: core/host/%.c | $(BUILD)/obj/host
	$(CC) $(CFLAGS) $(LUAJIT_CFLAGS) $(EDIT_CFLAGS) -c $< -o $@

$(BUILD)/obj/html.o: CFLAGS += $(XML_CFLAGS)

$(BUILD)/obj $(BUILD)/obj/host $(BUILD)/tests:
	@mkdir -p $@

$(BUILD)/liblector.a: $(CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/liblector.so: $(CORE_OBJS)
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

# -rdynamic and --whole-archive: every lector_* symbol is visible to ffi.C.
$(BUILD)/lector: $(HOST_OBJS) $(BUILD)/liblector.a
	$(CC) $(LDFLAGS) -rdynamic -o $@ $(HOST_OBJS) \
	  -Wl,--whole-archive $(BUILD)/liblector.a -Wl,--no-whole-archive \
	  $(LUAJIT_LIBS) $(EDIT_LIBS) $(CORE_LIBS) -ldl

# The FFI declarations are the header's FFI block, never a hand copy.
$(CDEF): include/lector.h scripts/build/cdef.sh
	sh scripts/build/cdef.sh include/lector.h > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/c/%.c tests/c/check.h tests/c/store_check.h $(BUILD)/liblector.a | $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests/c -o $@ $< $(BUILD)/liblector.a $(LDFLAGS) $(CORE_LIBS)

tests: all $(CTEST_BINS)

# Proves the rule above: each probe includes one Lua or libedit header,
# and must fail to build as a library file, while a file including the
# library's own headers builds.
LAYER_PROBES := $(wildcard tests/c/probe_*.c)
check-layers: | $(BUILD)/tests
	@printf '#include "lector.h"\n#include <sqlite3.h>\nint lector_probe;\n' \
	  > $(BUILD)/tests/probe_ok.c
	@$(call lib_cc,$(BUILD)/tests/probe_ok.c,$(BUILD)/tests/probe.o) || { \
	  echo "FAIL layers: a plain library file does not build" >&2; exit 1; }
	@for p in $(LAYER_PROBES); do \
	  if ($(call lib_cc,$$p,$(BUILD)/tests/probe.o)) >/dev/null 2>&1; then \
	    echo "FAIL layers: $$p built with the library's flags" >&2; exit 1; fi; \
	done; echo "layers: $(words $(LAYER_PROBES)) probes of Lua and libedit headers refused"

demo: deps
	@$(MAKE) --no-print-directory _demo

_demo: all
	@sh examples/demo.sh $(BUILD)/lector

test:
	@sh scripts/build/deps.sh test
	@$(MAKE) --no-print-directory _test

_test: tests check-layers
	@sh tests/run.sh $(BUILD) "$(SANITIZER)"

# Each mutation of tests/mutate/mutations.txt alone, against the tests.
mutate: deps
	@sh tests/mutate/run.sh

test-asan:
	@$(MAKE) --no-print-directory test SANITIZER=address,undefined

bench:
	@sh scripts/build/deps.sh bench
	@$(MAKE) --no-print-directory _bench

_bench: all
	@sh tests/bench/run.sh $(BUILD)

FUZZ_SECONDS ?= 60
fuzz:
	@sh scripts/build/deps.sh fuzz
	@$(MAKE) --no-print-directory _fuzz

_fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

lint:
	clang-format --dry-run --Werror include/*.h core/*.c core/host/*.c tests/c/*.c tests/c/*.h
	@if command -v luacheck >/dev/null; then luacheck scripts tests/spec; \
	 else echo "luacheck not installed: apt-get install lua-check"; fi

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/lib/lua/5.1 \
	  $(DESTDIR)$(PREFIX)/share/lector/scripts/lector \
	  $(DESTDIR)$(PREFIX)/share/lector/scripts/recipes \
	  $(DESTDIR)$(PREFIX)/share/lua/5.1/lector
	install -m 755 $(BUILD)/lector $(DESTDIR)$(PREFIX)/bin/lector
	install -m 644 include/lector.h $(DESTDIR)$(PREFIX)/include/lector.h
	install -m 644 $(BUILD)/liblector.a $(DESTDIR)$(PREFIX)/lib/liblector.a
	install -m 755 $(BUILD)/liblector.so $(DESTDIR)$(PREFIX)/lib/liblector.so
	install -m 755 $(BUILD)/liblector.so $(DESTDIR)$(PREFIX)/lib/lua/5.1/liblector.so
	cd scripts && for f in lector/*.lua lector/*/*.lua; do \
	  install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/lector/scripts/$$f; \
	  install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/lua/5.1/$$f; done
	install -m 644 scripts/recipes/*.lua $(DESTDIR)$(PREFIX)/share/lector/scripts/recipes/

clean:
	rm -rf build build-san $(CDEF)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/host/*.d $(BUILD)/tests/*.d)
