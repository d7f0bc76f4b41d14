# The README's commands. Every target first runs scripts/deps.sh, which
# installs missing Debian packages and does nothing when all are present.
#   make run     build (release) and serve on 127.0.0.1:8080
#   make build   build the release binaries into build/release/
#   make test    build and run every test, release and ASan+UBSan
#   make tsan    the ThreadSanitizer build and tests
#   make format  clang-format every source file
SHELL := /bin/bash
JOBS ?= $(shell nproc)
ARGS ?=

.PHONY: deps build run test test-release test-asan tsan format format-check clean

deps:
	@scripts/deps.sh

build/%/build.ninja: | deps
	cmake --preset $* >/dev/null

build: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS)

run: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS) --target coroserve
	./build/release/server/coroserve $(ARGS)

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

format:
	@scripts/deps.sh
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check:
	@scripts/deps.sh
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
