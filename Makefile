# Thin: it only calls the bootstrap, CMake, npm and the test runners.
# `make demo` and `make test` bootstrap whatever is missing on a fresh machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
export NODE_PATH := /usr/share/nodejs
OPENSSL_DIR = $(shell scripts/openssl-prepare.sh)

.PHONY: all bootstrap bootstrap-browser native wasm dist test test-native test-wasm test-node test-browser test-repro demo bench clean \
        fuzz-build fuzz test-fuzz

all: dist

bootstrap:
	scripts/bootstrap.sh

bootstrap-browser:
	scripts/bootstrap.sh --browser

native: bootstrap
	cmake -S . -B build/native -DOPENSSL_SOURCE_DIR=$(OPENSSL_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/native -j$(JOBS)

wasm: bootstrap
	emcmake cmake -S . -B build/wasm -DOPENSSL_SOURCE_DIR=$(OPENSSL_DIR) >/dev/null
	cmake --build build/wasm -j$(JOBS)

dist: wasm
	node scripts/assemble-dist.mjs build/wasm
	node scripts/sbom.mjs build/wasm

# libFuzzer harnesses with ASan + UBSan (clang-14), in their own build dir.
FUZZ_SECONDS ?= 60
fuzz-build: bootstrap
	cmake -S . -B build/fuzz -DOPENSSL_SOURCE_DIR=$(OPENSSL_DIR) -DOAUTH_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
	cmake --build build/fuzz -j$(JOBS)

test: bootstrap-browser native dist
	$(MAKE) --no-print-directory test-native test-wasm test-node test-browser test-repro test-fuzz

test-native:
	ctest --test-dir build/native --output-on-failure

test-wasm:
	ctest --test-dir build/wasm --output-on-failure

test-node:
	node --test --test-concurrency=1 tests/node/

test-browser:
	@if ls tests/browser/*.test.mjs >/dev/null 2>&1; then node --test --test-concurrency=1 tests/browser/; fi

test-repro:
	scripts/check-reproducible.sh

fuzz: fuzz-build
	scripts/run-fuzzers.sh $(FUZZ_SECONDS)

test-fuzz: fuzz-build
	scripts/run-fuzzers.sh 10

demo: bootstrap dist
	node demo/server.mjs

bench: dist
	cmake --build build/wasm -j$(JOBS) --target oauth_wasm_core_profile
	bench/size
	node bench/compare-size.mjs
	node bench/floors.mjs
	node bench/cold-start.mjs
	node bench/pkce.mjs
	node bench/verify.mjs
	node bench/refresh.mjs
	node bench/backend.mjs
	node bench/dpop.mjs
	node bench/restore.mjs
	scripts/bench-native.sh

clean:
	rm -rf build dist
