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

# Every stage timed (wall clock and CPU); the table is printed at the end, also after a failure.
# The bootstrap and the wasm build first; then three lanes at once (scripts/test-stages.sh): the
# CPU-bound one (the native and fuzz builds, the fuzzers one at a time so the other core stays
# with the browsers, the reproducibility check), the Node suites then the engines, and the
# Chromium suite: the last two mostly wait on servers, timers and pages.
test:
	@scripts/test-stages.sh bootstrap-browser dist \
	  'native test-native test-wasm test-fuzz test-repro | test-node test-node-op9 test-engines | test-browser'

test-native:
	ctest --test-dir build/native --output-on-failure

test-wasm:
	ctest --test-dir build/wasm --output-on-failure

# Test files may run side by side (each starts its own servers on free ports and works in temp
# folders of its own). The Node files wait mostly on servers and child processes, and their timers
# run on manual clocks: two at a time. The browser suite two at a time as well.
NODE_TEST_JOBS ?= 2
BROWSER_TEST_JOBS ?= 2

test-node:
	node --test --test-concurrency=$(NODE_TEST_JOBS) tests/node/

# The Node suites whose exchanges with oidc-provider differ where its majors differ, again against
# its next major (9): discovery, login and the server's errors (client), DPoP with nonces (dpop,
# persist), refresh rotation, revocation and logout (session), the grants (client credentials,
# confidential clients' authentication, device flow), ID token algorithms and JWKS rotation
# (id-token), prompt=none (silent-restore), and the test server's own protocol behaviour (support).
# Not repeated: cli (exit codes, terminal and file output of a front end over the same grants that
# grants-device and grants-client-credentials run against 9), types (the declarations, and one
# client's members), wasm-memory (what the core leaves in its heap), seam-calls (how many core
# calls the shim makes per exchange) and error-texts (the browser module's texts written back in
# the page): the server's version changes nothing there.
OP9_SUITES = $(addprefix tests/node/,client.test.mjs dpop.test.mjs persist.test.mjs session.test.mjs \
  grants-client-credentials.test.mjs grants-confidential.test.mjs grants-device.test.mjs id-token.test.mjs \
  silent-restore.test.mjs support.test.mjs)
OP9_NOT_REPEATED = $(addprefix tests/node/,cli.test.mjs types.test.mjs wasm-memory.test.mjs seam-calls.test.mjs \
  error-texts.test.mjs)
test-node-op9:
	@for f in $$(grep -l 'startAuthServer\|useServers' tests/node/*.test.mjs); do \
	  case " $(OP9_SUITES) $(OP9_NOT_REPEATED) " in *" $$f "*) ;; \
	  *) echo "test-node-op9: $$f talks to oidc-provider: add it to OP9_SUITES or OP9_NOT_REPEATED (Makefile)"; exit 1;; esac; \
	done
	OIDC_PROVIDER=9 node --test --test-concurrency=$(NODE_TEST_JOBS) $(OP9_SUITES)

test-browser:
	@if ls tests/browser/*.test.mjs >/dev/null 2>&1; then node --test --test-concurrency=$(BROWSER_TEST_JOBS) tests/browser/; fi

# The cross-engine scenarios: Chromium, Firefox ESR and WebKitGTK (and Chromium against
# oidc-provider 9), one file each, in parallel (each waits mostly on timers and the servers).
test-engines:
	node --test --test-concurrency=4 tests/engines/

test-repro:
	scripts/check-reproducible.sh

fuzz: fuzz-build
	scripts/run-fuzzers.sh $(FUZZ_SECONDS)

# Beside make test's other lanes one harness at a time (FUZZ_JOBS=2 halves the time when alone).
test-fuzz: fuzz-build
	FUZZ_JOBS=$${FUZZ_JOBS:-1} scripts/run-fuzzers.sh 10

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
