# Thin: it only calls the bootstrap, CMake, npm and the test runners.
# `make demo` and `make test` bootstrap whatever is missing on a fresh machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
export NODE_PATH := /usr/share/nodejs
OPENSSL_DIR = $(shell scripts/openssl-prepare.sh)

.PHONY: all bootstrap bootstrap-browser native wasm dist test test-native test-wasm test-node test-node-op9 test-browser test-engines test-repro demo bench clean \
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

# Every stage timed; the table of times is printed at the end, also after a failure.
test:
	@scripts/test-stages.sh bootstrap-browser native dist test-native test-wasm test-node test-node-op9 \
	  test-browser test-engines test-repro test-fuzz

test-native:
	ctest --test-dir build/native --output-on-failure

test-wasm:
	ctest --test-dir build/wasm --output-on-failure

test-node:
	node --test --test-concurrency=1 tests/node/

# The Node suites that talk to oidc-provider, again against its next major (9).
OP9_SUITES = $(shell grep -l 'startAuthServer\|useServers' tests/node/*.test.mjs)
test-node-op9:
	OIDC_PROVIDER=9 node --test --test-concurrency=1 $(OP9_SUITES)

test-browser:
	@if ls tests/browser/*.test.mjs >/dev/null 2>&1; then node --test --test-concurrency=1 tests/browser/; fi

# The cross-engine scenarios: Chromium, Firefox ESR and WebKitGTK (and Chromium against
# oidc-provider 9), one file each, in parallel (each waits mostly on timers and the servers).
test-engines:
	node --test --test-concurrency=4 tests/engines/

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
	node bench/create-client.mjs
	node bench/pkce.mjs
	node bench/verify.mjs
	node bench/refresh.mjs
	node bench/backend.mjs
	node bench/dpop.mjs
	node bench/hostile-callback.mjs

	node bench/restore.mjs
	scripts/bench-native.sh

clean:
	rm -rf build dist
