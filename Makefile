# The README's commands. Every target first runs scripts/deps.sh, which
# installs missing Debian packages and does nothing when all are present.
#   make run     build (release) and serve on 127.0.0.1:8080
#   make https   the same on HTTPS, with a local CA and localhost certificates
#   make build   build the release binaries into build/release/
#   make test    build and run every test, release and ASan+UBSan
#   make tsan    the ThreadSanitizer build and tests
#   make uring   the release build with Asio's io_uring backend (build/uring/);
#                make uring-test also runs every test with it, make uring-ci
#                those and the short soak
#   make format  clang-format every source file
#   make lint    function and file size and complexity limits (scripts/lint.py)
#   make docs    regenerate the README's and docs' reference tables from the code
SHELL := /bin/bash
JOBS ?= $(shell nproc)
ARGS ?=

.PHONY: deps build run https test test-release test-asan tsan uring uring-test uring-ci format format-check lint docs clean

deps:
	@scripts/deps.sh

# Configure again when the presets change, so a build directory made before a
# preset edit (warnings as errors, sanitizer flags) picks the edit up.
build/%/build.ninja: CMakePresets.json | deps
	cmake --preset $* >/dev/null

build: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS)

run: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS) --target coroserve
	./build/release/server/coroserve $(ARGS)

# Certificates from scripts/dev-certs.sh in build/dev-certs, made again when
# missing or within a day of expiry.
DEV_CERTS := build/dev-certs
https: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS) --target coroserve
	@openssl x509 -checkend 86400 -noout -in $(DEV_CERTS)/localhost-ecdsa.crt >/dev/null 2>&1 \
	  || scripts/dev-certs.sh $(DEV_CERTS)
	@echo "try: curl --cacert $(DEV_CERTS)/ca.crt https://localhost:8080/plaintext"
	./build/release/server/coroserve --tls-cert $(DEV_CERTS)/localhost-ecdsa.crt \
	  --tls-key $(DEV_CERTS)/localhost-ecdsa.key $(ARGS)

test: test-release test-asan

test-release: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS)
	ctest --preset release -j 2

test-asan: deps build/asan/build.ninja
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j 2

tsan: deps build/tsan/build.ninja
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset tsan -j 2

uring: deps build/uring/build.ninja
	cmake --build --preset uring -j $(JOBS)

uring-test: uring
	ctest --preset uring -j 2

# What CI checks of the io_uring build: every test (the hostile and slowloris
# suites among them), then the short soak against its server. A kernel that
# refuses io_uring cannot run them, and says so instead of failing.
uring-ci: uring
	@if scripts/io_uring_allowed.py; then \
	  ctest --preset uring -j 2 && \
	  COROSERVE=build/uring/server/coroserve COROBENCH=build/uring/client/corobench \
	    $(SOAK_CI); \
	else echo "uring-ci: io_uring_setup is refused on this machine; the io_uring suites did not run"; fi

format:
	@scripts/deps.sh
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check:
	@scripts/deps.sh
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')

lint:
	@scripts/deps.sh
	scripts/lint.py

# The options and endpoint tables in README.md and docs/ are printed from the
# code's own tables; the docs_tables_fresh test fails when they are stale.
docs: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS) --target doc_tables
	scripts/docs_tables.py --tool build/release/tools/doc_tables

clean:
	rm -rf build

# Containers, with podman standing in for the Docker engine (scripts/docker-lib.sh):
#   make docker-image   build coroserve:local and coroserve-lb:local
#   make docker-test    build the image, run it, check it for real
#   make compose-test   docker-compose up docker/compose.yaml for real (server, bench, scale)
.PHONY: docker-image docker-test compose-test

docker-image:
	@scripts/docker-image.sh

docker-test:
	@scripts/docker-test.sh

compose-test:
	@scripts/compose-test.sh

# Hostile clients: `make fuzz` builds the libFuzzer targets with
# clang and runs each for FUZZ_SECONDS (fuzz-ci: 20 s); `make hostile` sends
# the malformed-request corpus to nginx and coroserve and prints both answers;
# `make soak` runs 10 minutes of mixed load at ~80% of capacity (soak-ci: 30 s).
.PHONY: fuzz fuzz-ci hostile soak soak-ci
# The short soak CI runs, on the release build and on the uring one.
SOAK_CI := DURATION=30 SAMPLE_S=2 bench/soak.py
FUZZ_SECONDS ?= 60

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/run_fuzz.sh

fuzz-ci:
	FUZZ_SECONDS=20 JOBS=$(JOBS) scripts/run_fuzz.sh

hostile: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS) --target coroserve
	@scripts/deps.sh bench
	bench/corpus_vs_nginx.py

soak: build
	bench/soak.py

soak-ci: build
	$(SOAK_CI)

# Benchmarks: coroserve against nginx, a bare Beast loop, Node.js and
# aiohttp, on loopback, interleaved; prints medians and ratios and writes
# bench/results/latest.{md,json}. About 14 minutes on 2 cores once built.
# `make bench-ab OLD=path/to/old/coroserve [NEW=...] [ROUNDS=10]` compares two
# coroserve binaries (NEW: this tree's build), interleaved, by server CPU per
# plaintext request, and by user-space instructions per request under
# callgrind; writes bench/results/ab.{md,json}.
.PHONY: bench bench-ab
NEW ?= build/release/server/coroserve

bench:
	JOBS=$(JOBS) bench/run_bench.py

bench-ab: deps build/release/build.ninja
	@test -n "$(OLD)" || { echo "usage: make bench-ab OLD=path/to/old/coroserve [NEW=...] [ROUNDS=10]" >&2; exit 2; }
	cmake --build --preset release -j $(JOBS) --target coroserve
	@scripts/deps.sh bench
	bench/run_bench.py --ab $(OLD) $(NEW) $(if $(ROUNDS),--rounds $(ROUNDS))
