# transcript-fsck: build, demo, test.
#   make demo         build, generate a demo store from Fixtures/, audit it
#   make repair-demo  copy the demo store, repair the copy, audit it again
#   make test         every test (unit, CLI, fault injection, the released agent's round trip)
#   make test-unit    the unit-tagged tests alone (no database, process or agent): seconds after a build
#   make bench        the benchmark suite (see Docs/PERFORMANCE.md); make bench-agent, -startup, -since, -huge, -homes: one part
#   make torture      the long fault-injection runs; make fuzz, make sanitize (see Docs/RELIABILITY.md)
#   make audit        scan the store at HERMES_HOME (or DB, TRANSCRIPTS); fails on problems
#   make repair       repair it (a backup is made first), then scan it again
#   make install      the binary, shell completions and man page under PREFIX; make man-lint checks the pages
#   make dist         dist/transcript-fsck-VERSION-linux-ARCH.tar.gz: one binary that needs no Swift, and its
#                     checksum; make dist-check runs it with no toolchain in reach (CI does)
#   make deb          dist/transcript-fsck_VERSION-1_ARCH.deb, from the tarball's tree (dpkg -i, apt install ./...)
#   make wheel        dist/transcript_fsck-VERSION-py3-none-manylinux_2_N_ARCH.whl: the binary as a wheel's script
#                     (pip, pipx, uv tool install); make packages-check installs both on clean roots (CI does)

SWIFT      ?= swift
DEMO_HOME  ?= demo/hermes
REPAIRED   ?= demo/repaired
SCHEMA     ?= early
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBUG_BIN   = .build/debug
RELEASE_BIN = .build/release

.PHONY: all deps test-deps build release demo man-lint repair-demo test test-unit bench bench-agent bench-startup bench-since bench-huge bench-homes fuzz torture sanitize audit repair install dist dist-check deb wheel packages-check clean

all: build

# The C libraries the package links through its module maps.
deps:
	@if [ ! -f /usr/include/sqlite3.h ] || [ ! -f /usr/include/zlib.h ] || [ ! -f /usr/include/zstd.h ]; then \
		echo "installing libsqlite3-dev zlib1g-dev libzstd-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libsqlite3-dev zlib1g-dev libzstd-dev >/dev/null; \
	fi

# The released agent versions the interop tests drive (Tests/Interop), each in a venv cached outside the clone.
HERMES_VERSIONS = 0.13.0 0.14.0 0.15.2 0.16.0 0.17.0 0.18.2 0.19.0
# The released codex CLI versions (Tests/Interop/codex), each a wheel of openai-codex-cli-bin==VERSION unpacked into
# the same cache (fetch_codex.py; nothing is fetched when the binary is there). pip comes from the tools venv.
CODEX_VERSIONS = 0.163.0 0.133.0

# What the tests check the reports with: xmllint (the JUnit schema), prometheus_client's parser, and the agents.
test-deps: deps
	@if ! command -v xmllint >/dev/null; then \
		echo "installing libxml2-utils"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libxml2-utils >/dev/null; \
	fi
	@Tests/Interop/tools-venv.sh >/dev/null
	@for version in $(HERMES_VERSIONS); do Tests/Interop/hermes-venv.sh $$version >/dev/null; done
	@"$$(Tests/Interop/tools-venv.sh)" Tests/Interop/codex/fetch_codex.py $(CODEX_VERSIONS) >/dev/null

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
	@rm -rf $(REPAIRED) && mkdir -p $(dir $(REPAIRED)) && cp -pR $(DEMO_HOME) $(REPAIRED)
	@echo '$$ transcript-fsck repair --home $(REPAIRED) --dry-run'
	@$(DEBUG_BIN)/transcript-fsck repair --home $(REPAIRED) --dry-run || true
	@echo
	@echo '$$ transcript-fsck repair --home $(REPAIRED)'
	@$(DEBUG_BIN)/transcript-fsck repair --home $(REPAIRED) || true
	@echo
	@echo '$$ transcript-fsck scan --home $(REPAIRED)'
	@$(DEBUG_BIN)/transcript-fsck scan --home $(REPAIRED) || true

# A compiler warning fails the test build. From a clean clone (CI) every file is compiled, so none can hide. The log is
# read rather than passing -warnings-as-errors, which would change the flags and rebuild everything for the next build.
test: test-deps
	@mkdir -p .build
	@status=0; $(SWIFT) build --build-tests >.build/build-tests.log 2>&1 || status=$$?; cat .build/build-tests.log; \
	if [ $$status -ne 0 ]; then exit $$status; fi; \
	if grep -q ': warning: ' .build/build-tests.log; then \
		echo "compiler warnings (there must be none):"; grep ': warning: ' .build/build-tests.log | sort -u; exit 1; fi
	$(SWIFT) test --skip-build

# The unit lane alone: logic in this process, no database, no child process, no agent (Tag.unit in
# Tests/TranscriptFsckTests/Support/Tags.swift). Swift 6.3's --filter matches test ids, not tags, so
# Tests/tagged-tests.py reads the tags from the built tests and names the unit ones; it fails on a test in no lane.
TEST_BINARY = $$($(SWIFT) build --show-bin-path)/transcript-fsckPackageTests.xctest
test-unit: deps
	$(SWIFT) build --build-tests
	@filter=$$(python3 Tests/tagged-tests.py unit "$(TEST_BINARY)") || exit 1; \
	echo "$(SWIFT) test --skip-build --filter <the $$(echo "$$filter" | tr '|' '\n' | wc -l) tests tagged unit>"; \
	$(SWIFT) test --skip-build --filter "$$filter"

bench: release bench-agent bench-startup bench-since bench-huge bench-homes
	python3 Benchmarks/run.py $(BENCH_ARGS)

# The agent's write latency during a repair, with the released agent's own writers (Docs/PERFORMANCE.md): on a WAL
# store, and on a journal_mode=DELETE one (the agent's fallback on NFS, SMB, FUSE and WSL1).
bench-agent: release
	python3 Benchmarks/agent_latency.py $(BENCH_AGENT_ARGS)
	python3 Benchmarks/agent_latency.py --journal-mode delete --work .bench/agent-delete $(BENCH_AGENT_ARGS)

clean:
	rm -rf .build .build-static demo dist

# Fuzzing: libFuzzer over the gzip and JSONL reader, for FUZZ_SECONDS (bounded). Inputs that ever
# crashed it go into Fuzz/regressions/, which the test suite reads every run.
FUZZ_SECONDS ?= 60
FUZZ_BIN = .build/fuzz/fuzz-transcript-reader
LIBRARY_SOURCES = $(shell find Sources/TranscriptFsck -name '*.swift')

$(FUZZ_BIN): $(LIBRARY_SOURCES) Fuzz/FuzzTranscriptReader.swift Sources/CScan/scan.c
	@mkdir -p .build/fuzz
	clang -c -O2 -g -fsanitize=address -I Sources/CScan/include Sources/CScan/scan.c -o .build/fuzz/cscan.o
	swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name TranscriptFsck -package-name transcript_fsck \
		-I Sources/CSQLite -I Sources/CZlib -I Sources/CZstd -I Sources/CScan/include $(LIBRARY_SOURCES) Fuzz/FuzzTranscriptReader.swift \
		.build/fuzz/cscan.o -o $@

fuzz: deps $(FUZZ_BIN)
	@mkdir -p .build/fuzz/corpus .build/fuzz/crashes
	@cp Fuzz/corpus/* .build/fuzz/corpus/
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix=.build/fuzz/crashes/ .build/fuzz/corpus Fuzz/regressions 2>&1 | tail -25
	@if ls .build/fuzz/crashes/* >/dev/null 2>&1; then \
		echo "crashing inputs in .build/fuzz/crashes/: copy them into Fuzz/regressions/ and fix the reader"; exit 1; fi

# The long fault-injection runs (make test runs short versions of each).
torture: deps
	$(SWIFT) build --build-tests
	TRANSCRIPT_FSCK_TORTURE=1 $(SWIFT) test --skip-build --filter TortureTests

# The whole test suite under AddressSanitizer, then ThreadSanitizer, each in its own build folder.
# Leaks that third-party code keeps at exit are suppressed (Tests/lsan-suppressions.txt); ours are not.
LSAN_ENV = LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt
sanitize: test-deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	TRANSCRIPT_FSCK_SANITIZER=address $(LSAN_ENV) $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TRANSCRIPT_FSCK_SANITIZER=thread $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

# For deployment repos: the store to audit or repair. FSCK may name an installed binary instead.
HERMES_HOME ?= $(HOME)/.hermes
DB          ?=
TRANSCRIPTS ?=
FSCK        ?= $(RELEASE_BIN)/transcript-fsck
STORE_ARGS   = --home $(HERMES_HOME) $(if $(DB),--db $(DB)) $(foreach dir,$(TRANSCRIPTS),--transcripts $(dir))

audit: $(if $(filter $(RELEASE_BIN)/%,$(FSCK)),release)
	$(FSCK) scan $(STORE_ARGS)

# Exit status: the rescan's (0 when every session is whole, 1 when some still need a person).
repair: $(if $(filter $(RELEASE_BIN)/%,$(FSCK)),release)
	@status=0; $(FSCK) repair $(STORE_ARGS) || status=$$?; \
	if [ $$status -gt 1 ]; then exit $$status; fi; \
	echo; $(FSCK) scan $(STORE_ARGS)

PREFIX ?= /usr/local
# The man pages: GenerateManual writes them from the commands, Manual/finish-manual.py adds what it cannot (EXIT STATUS
# from each command's discussion; ENVIRONMENT, FILES and EXAMPLES from Manual/sections.mdoc). Dated by the source, not
# the build (SOURCE_DATE_EPOCH, else the last commit), so one source gives the same pages.
GENERATED_MANUAL = .build/plugins/GenerateManual/outputs/transcript-fsck
MANUAL           = .build/manual/transcript-fsck.1
MANUAL_DATE     := $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)} +%Y-%m-%d)

$(MANUAL): $(shell find Sources/transcript-fsck -name '*.swift') Manual/sections.mdoc Manual/finish-manual.py
	$(SWIFT) package generate-manual --multi-page --date $(MANUAL_DATE) >/dev/null
	python3 Manual/finish-manual.py Manual/sections.mdoc $(GENERATED_MANUAL) $(dir $(MANUAL)) || { rm -rf $(dir $(MANUAL)); exit 1; }

# Every page through mandoc's linter, which must have nothing to say. Only what mandoc says of the cross references
# between the pages is let through: it looks them up among the pages installed on this machine, where these are not
# yet, or are an older install without its index (a machine where the .deb was installed: "mandoc.db lacks").
man-lint: $(MANUAL)
	@command -v mandoc >/dev/null || { echo "installing mandoc"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq mandoc >/dev/null; }
	@messages=$$(mandoc -T lint $(dir $(MANUAL))*.1 2>&1 | grep -v -e 'referenced manual not found: Xr transcript-fsck' \
		-e 'mandoc.db lacks transcript-fsck[.a-z]*(1) entry'); \
	if [ -n "$$messages" ]; then echo "$$messages"; exit 1; fi; \
	echo "mandoc -T lint: $$(ls $(dir $(MANUAL))*.1 | wc -l) pages, nothing to say"

# INSTALL_BIN: which build to install (make dist installs the static one into its staging tree).
INSTALL_BIN ?= $(RELEASE_BIN)/transcript-fsck
install: $(if $(filter $(RELEASE_BIN)/%,$(INSTALL_BIN)),release) $(MANUAL)
	install -d $(PREFIX)/bin $(PREFIX)/share/man/man1 $(PREFIX)/share/bash-completion/completions \
		$(PREFIX)/share/zsh/site-functions $(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(INSTALL_BIN) $(PREFIX)/bin/transcript-fsck
	Packaging/install-manual.sh $(dir $(MANUAL)) $(PREFIX)/share/man/man1
	$(INSTALL_BIN) --generate-completion-script bash > $(PREFIX)/share/bash-completion/completions/transcript-fsck
	sed -i '1{/^#!/d}' $(PREFIX)/share/bash-completion/completions/transcript-fsck # sourced, not run: no #! line
	$(INSTALL_BIN) --generate-completion-script zsh > $(PREFIX)/share/zsh/site-functions/_transcript-fsck
	$(INSTALL_BIN) --generate-completion-script fish > $(PREFIX)/share/fish/vendor_completions.d/transcript-fsck.fish
	@echo "installed transcript-fsck under $(PREFIX)"

# The release for servers without Swift: the Swift runtime and FoundationEssentials linked in statically,
# only glibc, libstdc++, libsqlite3, zlib and libzstd from the system (Packaging/).
VERSION   := $(shell sed -n 's/^let toolVersion = "\(.*\)"$$/\1/p' Sources/transcript-fsck/Version.swift)
DIST_NAME  = transcript-fsck-$(VERSION)-linux-$(shell uname -m)
STATIC_BIN = .build-static/release/transcript-fsck
# No run path (SwiftPM's $ORIGIN names a directory with no library), and the GOT read-only from the start (bind now).
STATIC_BUILD = -c release --static-swift-stdlib --disable-local-rpath --scratch-path .build-static -Xlinker -z -Xlinker now

dist: deps $(MANUAL)
	$(SWIFT) build $(STATIC_BUILD) --product transcript-fsck
	rm -rf dist/stage
	$(MAKE) --no-print-directory install PREFIX=dist/stage INSTALL_BIN=$(STATIC_BIN) >/dev/null
	Packaging/make-dist.sh dist/stage dist $(DIST_NAME)
	rm -rf dist/stage

dist-check: dist build
	$(DEBUG_BIN)/fsck-fixtures demo dist/check-store --schema $(SCHEMA) >/dev/null
	Packaging/check-dist.sh dist/$(DIST_NAME).tar.gz dist/check-store $(VERSION)

# The Debian package, made from the tarball's tree (Packaging/make-deb.sh): dist/transcript-fsck_VERSION-1_ARCH.deb.
DEB_ARCH = $(shell dpkg --print-architecture 2>/dev/null)
DEB      = dist/transcript-fsck_$(VERSION)-1_$(DEB_ARCH).deb

deb: dist
	@command -v dpkg-shlibdeps >/dev/null || { echo "installing dpkg-dev"; $(SUDO) apt-get install -y -qq dpkg-dev >/dev/null; }
	Packaging/make-deb.sh dist/$(DIST_NAME) dist $(VERSION)

# The wheel (Packaging/make-wheel.py), for pip, pipx and uv: the binary as its one script. A wheel may need only the
# libraries manylinux lists (glibc, libstdc++, libgcc_s, libm), so its binary links SQLite, zlib and zstd in: the same
# objects as make dist's, linked once more with a directory that holds only their static archives searched first.
WHEEL_LIBS = .build-static/wheel-libs
WHEEL_BIN  = dist/wheel/transcript-fsck

wheel: dist
	rm -rf $(WHEEL_LIBS) dist/wheel && mkdir -p $(WHEEL_LIBS) dist/wheel
	ln -s $$(clang -print-file-name=libsqlite3.a) $$(clang -print-file-name=libz.a) $$(clang -print-file-name=libzstd.a) $(WHEEL_LIBS)/
	$(SWIFT) build $(STATIC_BUILD) --product transcript-fsck -Xlinker -L$(CURDIR)/$(WHEEL_LIBS)
	install -m 755 $(STATIC_BIN) $(WHEEL_BIN)
	strip --remove-section=.comment --remove-section=.note $(WHEEL_BIN)
	python3 Packaging/make-wheel.py $(WHEEL_BIN) dist $(VERSION)

# Each package installed on a clean root and run on a demo store: lintian, dpkg -i into a fresh Debian root, the units
# verified, scored (systemd-analyze security: 4.0 or more fails) and run by systemd in that root booted with
# systemd-nspawn; the wheel pip-installed into a fresh venv (Packaging/check-packages.sh). The root is built once.
PACKAGE_TOOLS = lintian:lintian mmdebstrap:mmdebstrap systemd-nspawn:systemd-container
packages-check: deb wheel build
	@for pair in $(PACKAGE_TOOLS); do command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
	$(DEBUG_BIN)/fsck-fixtures demo dist/check-store --schema $(SCHEMA) >/dev/null
	Packaging/check-packages.sh $(DEB) "$$(ls dist/transcript_fsck-$(VERSION)-*.whl)" dist/check-store $(VERSION)

# An unchanged --since audit and a gzip bomb, each against a full scan in the same run (Docs/PERFORMANCE.md).
bench-since: release
	python3 Benchmarks/since_and_bomb.py $(BENCH_SINCE_ARGS)

# One 300 MB message: scan and repair peak memory against the message and against the agent writing it (Docs/PERFORMANCE.md).
bench-huge: release
	python3 Benchmarks/huge_message.py $(BENCH_HUGE_ARGS)

# A fleet audit: 1,000 homes of 10 sessions in one run against 1,000 separate runs, with peak memory (Docs/PERFORMANCE.md).
bench-homes: release
	python3 Benchmarks/many_homes.py $(BENCH_HOMES_ARGS)

# Start-up time of the static binary against the toolchain-linked one and /bin/true (Docs/PERFORMANCE.md).
bench-startup: release dist
	python3 Benchmarks/startup.py dist/$(DIST_NAME)/bin/transcript-fsck $(RELEASE_BIN)/transcript-fsck
