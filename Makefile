# phx - one non-recursive Makefile.
#   make            build every tool into $(O)/bin
#   make test       install what is missing, build, run every test (what CI runs)
#   make check      build and run every test (unit, command line, man lint, ASan+UBSan)
#   make demo       install what is missing, build, run the demo job
#   make lint       style checks a script can do
#   make fuzz       build the libFuzzer targets and run each for FUZZ_SECONDS
#   make valgrind   the command-line tests again under valgrind
#   make bench      benchmarks against the tools a user would otherwise pick
#   make install PREFIX=/usr/local DESTDIR=   /   make uninstall

O ?= build/release
SAN ?=
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
FUZZ_SECONDS ?= 30

PKGS := libcurl jansson sqlite3 libmongoc-1.0 libxml-2.0
DEBIAN_PKGS := libcurl4-openssl-dev libjansson-dev libsqlite3-dev libmongoc-dev libbson-dev libcsv-dev libxml2-dev pkg-config

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
# Tools link with --as-needed: one that never talks to MongoDB does not load
# libmongoc, which (as Debian builds it) initialises itself at load time.
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Ilib -MMD -MP
ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN := -fsanitize=address,undefined
endif

LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
TOOL_SRC := $(sort $(wildcard tools/phx-*.c))
TOOLS := $(TOOL_SRC:tools/%.c=$(O)/bin/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
HELPER_SRC := $(sort $(wildcard tests/helpers/*.c))
HELPERS := $(HELPER_SRC:tests/helpers/%.c=$(O)/tests/helpers/%)
MANS := $(sort $(wildcard man/*.[1-9]))
DEPS_STAMP := $(O)/.deps-ok
# make V=1 shows the whole command lines
Q := $(if $(filter 1,$(V)),,@)

.PHONY: all check test demo lint fuzz valgrind bench install uninstall clean deps
# keep the objects of tools and tests (make would delete them as intermediates)
.SECONDARY:
all: $(TOOLS) $(UNITS) $(HELPERS)

# Fail with the packages to install, not with a compiler error.
$(DEPS_STAMP):
	@mkdir -p $(@D)
	@if ! pkg-config --exists $(PKGS) || [ ! -f /usr/include/csv.h ]; then \
	  echo "phx: missing build libraries. Install them with:" >&2; \
	  echo "  sudo apt-get install $(DEBIAN_PKGS)" >&2; \
	  echo "or run scripts/install-deps" >&2; exit 1; fi
	@touch $@

$(O)/lib/%.o: lib/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# the shipped etc/ files are embedded into the binaries
$(O)/lib/defaults.o: etc/property.schema.json etc/rules.conf
$(O)/lib/defaults.o: etc/llm-fields.conf
$(O)/lib/cost_defaults.o: etc/prices.conf
$(O)/lib/defaults.o: etc/mls-selectors.conf

$(O)/libphx.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(O)/tools/%.o: tools/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/bin/%: $(O)/tools/%.o $(O)/libphx.a
	@mkdir -p $(@D)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -Wl,--as-needed -o $@ $< $(O)/libphx.a $(PKG_LIBS)

$(O)/tests/%.o: tests/unit/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

$(O)/tests/test_%: $(O)/tests/test_%.o $(O)/libphx.a
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $< $(O)/libphx.a $(PKG_LIBS)

$(O)/tests/helpers/%: tests/helpers/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -fPIC -shared -o $@.so $< -ldl
	@touch $@

deps:
	@scripts/install-deps

NPROC := $(shell nproc 2>/dev/null || echo 2)

test: deps
	@$(MAKE) --no-print-directory -j$(NPROC) check

check: all
	@$(MAKE) --no-print-directory O=build/asan SAN=1 all
	@tests/check build/release build/asan

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo $(O)/bin

lint:
	@scripts/lint

fuzz:
	@scripts/fuzz $(FUZZ_SECONDS)

valgrind: all
	@PHX_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	  tests/run $(O) valgrind

bench: all
	@bench/run $(O)/bin

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	for m in $(MANS); do s=$${m##*.}; install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done

uninstall:
	rm -f $(TOOLS:$(O)/bin/%=$(DESTDIR)$(BINDIR)/%)
	for m in $(MANS); do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m#man/}; done

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(TOOL_SRC:tools/%.c=$(O)/tools/%.d) $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%.d)
