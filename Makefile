# transcript-fsck: build, demo, test.
#   make demo         build, generate a demo store from Fixtures/, audit it
#   make repair-demo  copy the demo store, repair the copy, audit it again
#   make test         every test (unit, CLI, fault injection)
#   make bench        the benchmark suite (see Docs/PERFORMANCE.md)

SWIFT      ?= swift
DEMO_HOME  ?= demo/hermes
REPAIRED   ?= demo/repaired
SCHEMA     ?= early
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBUG_BIN   = .build/debug
RELEASE_BIN = .build/release

.PHONY: all deps build release demo repair-demo test bench clean

all: build

# The C libraries the package links through its module maps, and the sqlite3 shell the docs use.
deps:
	@if [ ! -f /usr/include/sqlite3.h ] || [ ! -f /usr/include/zlib.h ]; then \
		echo "installing libsqlite3-dev zlib1g-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libsqlite3-dev zlib1g-dev >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

$(DEMO_HOME): build
	$(DEBUG_BIN)/fsck-fixtures demo $(DEMO_HOME) --schema $(SCHEMA)

# The audit exits 1 when it finds problems, which the demo store is built to have.
demo: build
	@$(DEBUG_BIN)/fsck-fixtures demo $(DEMO_HOME) --schema $(SCHEMA)
	@echo
	@echo '$$ transcript-fsck scan --home $(DEMO_HOME)'
	@status=0; $(DEBUG_BIN)/transcript-fsck scan --home $(DEMO_HOME) || status=$$?; \
	if [ $$status -eq 1 ]; then echo "(exit status 1: problems found, as planted)"; else echo "unexpected exit status $$status"; exit 1; fi

repair-demo: build
	@$(DEBUG_BIN)/fsck-fixtures demo $(DEMO_HOME) --schema $(SCHEMA) >/dev/null
	@rm -rf $(REPAIRED) && mkdir -p $(dir $(REPAIRED)) && cp -R $(DEMO_HOME) $(REPAIRED)
	@echo '$$ transcript-fsck repair --home $(REPAIRED) --dry-run'
	@$(DEBUG_BIN)/transcript-fsck repair --home $(REPAIRED) --dry-run || true
	@echo
	@echo '$$ transcript-fsck repair --home $(REPAIRED)'
	@$(DEBUG_BIN)/transcript-fsck repair --home $(REPAIRED) || true
	@echo
	@echo '$$ transcript-fsck scan --home $(REPAIRED)'
	@$(DEBUG_BIN)/transcript-fsck scan --home $(REPAIRED) || true

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: release
	python3 Benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf .build demo
