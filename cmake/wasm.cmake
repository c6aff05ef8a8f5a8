# wasm build (Debian's Emscripten): the shipped module in dist/, and the same Catch2
# tests compiled to wasm and run under node.
# Never -I/usr/include here (glibc headers would shadow the wasm sysroot): copy only
# the header folders we need into the build tree.
set(hdr "${CMAKE_BINARY_DIR}/third_party_include")
file(COPY /usr/include/nlohmann DESTINATION "${hdr}")
file(COPY /usr/include/catch2 DESTINATION "${hdr}")
# The browser's module links the same sources compiled with OAUTH_TEXT_MARKERS: its human texts
# are markers (src/core/error_text.hpp) that the page writes back from web/error-texts-table.mjs.
# The Node module and the wasm unit tests link oauth_core, with the texts.
oauth_core_library(oauth_core_browser)
target_compile_definitions(oauth_core_browser PUBLIC OAUTH_TEXT_MARKERS)
set(cores oauth_core oauth_core_browser)
foreach(t ${cores})
  target_include_directories(${t} SYSTEM PUBLIC "${hdr}")
endforeach()

find_program(NODE_EXECUTABLE node REQUIRED)
# Closure minifies the JS glue (--closure 1). Debian's emscripten has no Closure Compiler: the
# npm devDependency google-closure-compiler supplies it (its native build, pinned to the version
# emcc 3.1.6 was made with), handed to emcc through EM_CLOSURE_COMPILER.
option(OAUTH_WASM_CLOSURE "Minify the shipped JS glue with the Closure Compiler" ON)
set(closure_compiler "${CMAKE_SOURCE_DIR}/node_modules/google-closure-compiler-linux/compiler")
if(OAUTH_WASM_CLOSURE AND NOT EXISTS "${closure_compiler}")
  message(FATAL_ERROR "${closure_compiler} is missing: run npm ci (or -DOAUTH_WASM_CLOSURE=OFF)")
endif()
# emcc's optimiser needs acorn, which Debian keeps in /usr/share/nodejs.
set(link_env NODE_PATH=/usr/share/nodejs EM_CLOSURE_COMPILER=${closure_compiler})
set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env ${link_env})
set(CMAKE_C_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env ${link_env})
list(JOIN link_env " " link_env_text)
set_property(GLOBAL PROPERTY RULE_LAUNCH_LINK "${CMAKE_COMMAND} -E env ${link_env_text}")

set(OAUTH_WASM_OPT "-Oz" CACHE STRING "Optimisation level of the shipped module")
option(OAUTH_WASM_LTO "Link-time optimisation of the shipped module" ON)
# The core (src/) without RTTI: nothing in it asks for a type at run time, and its classes with
# virtual members (std::shared_ptr's control blocks) then carry no type_info or type names
# (−90 B brotli). The bindings keep RTTI: embind's library, linked whole, names types by typeid.
# -fmerge-all-constants: constant aggregates (the arrays behind initializer lists such as
# nlohmann's lexer's byte ranges, and local tables) become read-only data instead of being stored
# on the stack by code each call (−205 B brotli). It also lets two equal constant objects share an
# address; nothing in src/ compares the addresses of constant objects.
foreach(t ${cores})
  target_compile_options(${t} PRIVATE -fno-rtti -fmerge-all-constants)
endforeach()
foreach(t oauth_openssl ${cores})
  target_compile_options(${t} PRIVATE ${OAUTH_WASM_OPT} $<$<BOOL:${OAUTH_WASM_LTO}>:-flto>)
endforeach()

# --- the shipped modules ---------------------------------------------------------------
# The same objects linked twice: the browser's module (dist/index.mjs, dist/worker.mjs) without
# the grants only Node uses (src/grants, bindings/grant_bindings.cpp: client credentials, the
# device flow), the calls only tests and benches use (bindings/crypto_extra_bindings.cpp:
# randomToken, verifyJws) and the backend's whole-session record (bindings/server_session_bindings.cpp:
# it carries a DPoP private key), so the browser pays nothing for them; and the Node entry's module
# with everything.
# Both use the web glue: web/node.mjs hands the wasm bytes in (instantiateWasm), and Emscripten
# 3.1.6's ENVIRONMENT=node glue calls require/__dirname, which ES modules lack. The web glue serves
# the workers too (web/worker.mjs): its worker part only finds and fetches the wasm (importScripts,
# a synchronous XHR), which web/core-loader.mjs always does itself through instantiateWasm, and a
# module worker has no importScripts anyway (−95 B brotli of glue). Of the Module options, only
# instantiateWasm (web/core-loader.mjs) and wasmBinary (tests that make a raw module) are read.
set(OAUTH_WASM_LINK_FLAGS
  ${OAUTH_WASM_OPT} --bind -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createCore
  -sENVIRONMENT=web -sFILESYSTEM=0 -sDYNAMIC_EXECUTION=0 -sALLOW_MEMORY_GROWTH=1
  -sMALLOC=emmalloc -sINCOMING_MODULE_JS_API=wasmBinary,instantiateWasm
  -sSTRICT=1 -sEXIT_RUNTIME=0 -sTEXTDECODER=2 --no-entry
  # binaryen repeats -Oz until the module stops shrinking, then orders functions by their static
  # call count (the most called first: smaller indices, and brotli finds more)
  -sBINARYEN_EXTRA_PASSES=--converge,--reorder-functions)
if(OAUTH_WASM_CLOSURE)
  list(APPEND OAUTH_WASM_LINK_FLAGS --closure=1)
endif()
if(OAUTH_WASM_LTO)
  list(APPEND OAUTH_WASM_LINK_FLAGS -flto)
endif()
# Every freed heap block wiped first: replaces emmalloc's free and realloc (wasm only).
set(wipe_on_free "${CMAKE_SOURCE_DIR}/src/crypto/wipe_on_free.c")
# embind's JS for the types and debugging counters the bindings never use, left out of the glue.
set(embind_unused "${CMAKE_SOURCE_DIR}/bindings/embind_unused.js")
file(GLOB node_binding_sources CONFIGURE_DEPENDS bindings/*.cpp)
list(SORT node_binding_sources)
set(browser_binding_sources ${node_binding_sources})
list(FILTER browser_binding_sources EXCLUDE REGEX "/(grant|crypto_extra|server_session)_bindings\.cpp$")

# After the link, binaryen's -Oz once more (the wasm-opt emcc itself runs, Debian's binaryen):
# emcc's meta-DCE runs after its -Oz and leaves what it cut loose in place (bench/README: with
# --reorder-functions above, −334 B brotli). Names, imports, exports and the table stay as they
# are, so the glue is unchanged.
find_program(WASM_OPT wasm-opt REQUIRED)
# --mvp-features: what emcc's link targets here, pinned, so a later binaryen's defaults cannot add any.
set(OAUTH_WASM_POST_LINK_PASSES --mvp-features -Oz)

# link_flags names a list variable; the JS library comes after them, so after --bind's own.
function(oauth_wasm_module target output dir core sources link_flags)
  add_executable(${target} ${ARGN} ${sources} ${wipe_on_free})
  target_link_libraries(${target} PRIVATE ${core})
  target_compile_options(${target} PRIVATE ${OAUTH_WASM_OPT} -fno-exceptions ${repro_flags}
                         $<$<BOOL:${OAUTH_WASM_LTO}>:-flto>)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME "${output}" SUFFIX ".mjs"
                        RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/${dir}"
                        LINK_DEPENDS "${embind_unused}")
  target_link_options(${target} PRIVATE ${${link_flags}} "SHELL:--js-library ${embind_unused}")
  set(wasm "${CMAKE_BINARY_DIR}/${dir}/${output}.wasm")
  set(keep_names "")
  if("--profiling-funcs" IN_LIST ${link_flags})
    set(keep_names -g)  # bench/size reads the function names
  endif()
  add_custom_command(TARGET ${target} POST_BUILD
                     COMMAND ${WASM_OPT} ${OAUTH_WASM_POST_LINK_PASSES} ${keep_names} "${wasm}" -o "${wasm}" VERBATIM)
endfunction()
oauth_wasm_module(oauth_wasm_core oauth-wasm-core module oauth_core_browser "${browser_binding_sources}" OAUTH_WASM_LINK_FLAGS)
oauth_wasm_module(oauth_wasm_core_node oauth-wasm-core-node module oauth_core "${node_binding_sources}" OAUTH_WASM_LINK_FLAGS)

# The browser module with its function names kept (--profiling-funcs), for bench/size's breakdown
# by origin. Built only on request (make bench); never shipped.
set(profile_link_flags ${OAUTH_WASM_LINK_FLAGS} --profiling-funcs)
list(REMOVE_ITEM profile_link_flags --closure=1)
oauth_wasm_module(oauth_wasm_core_profile oauth-wasm-core profile oauth_core_browser "${browser_binding_sources}" profile_link_flags
                  EXCLUDE_FROM_ALL)

# --- unit tests in wasm ----------------------------------------------------------------
enable_testing()
file(GLOB unit_sources CONFIGURE_DEPENDS tests/unit/*.cpp)
list(SORT unit_sources)
add_executable(unit_tests_wasm ${unit_sources} ${wipe_on_free})
target_link_libraries(unit_tests_wasm PRIVATE oauth_core)
# ecdsa_test.cpp compares our EC_METHOD tables with OpenSSL's (crypto/ec/ec_local.h).
target_include_directories(unit_tests_wasm PRIVATE "${OPENSSL_SOURCE_DIR}" "${OPENSSL_SOURCE_DIR}/crypto/ec")
target_compile_options(unit_tests_wasm PRIVATE -O1 -fexceptions)
target_link_options(unit_tests_wasm PRIVATE -O1 -fexceptions -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 -sMALLOC=emmalloc
                    -sEXIT_RUNTIME=1 -sNODERAWFS=0)
set_target_properties(unit_tests_wasm PROPERTIES SUFFIX ".js")
# emcmake's emulator flag is rejected by Node 20: run node explicitly.
add_test(NAME unit_wasm COMMAND ${NODE_EXECUTABLE} $<TARGET_FILE:unit_tests_wasm>)
# The test runners are CommonJS scripts; the repo's package.json says "module".
file(WRITE "${CMAKE_BINARY_DIR}/package.json" "{\"type\": \"commonjs\"}\n")

# What the manifest records about this build (scripts/assemble-dist.mjs adds hashes and sizes).
execute_process(COMMAND ${CMAKE_CXX_COMPILER} --version OUTPUT_VARIABLE emcc_version_text)
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" emcc_version "${emcc_version_text}")
file(READ "${OPENSSL_SOURCE_DIR}/oauth-wasm-openssl.json" openssl_info)
list(JOIN OAUTH_OPENSSL_FILES "\",\"" openssl_files_json)
file(RELATIVE_PATH embind_unused_in_tree "${CMAKE_SOURCE_DIR}" "${embind_unused}")
list(JOIN OAUTH_WASM_POST_LINK_PASSES " " post_link_passes)
set(recorded_link_flags ${OAUTH_WASM_LINK_FLAGS} "--js-library ${embind_unused_in_tree}" "then wasm-opt ${post_link_passes}")
list(JOIN recorded_link_flags "\",\"" link_flags_json)
list(JOIN OAUTH_OPENSSL_DEFINES "\",\"" openssl_defines_json)
set(compile_flags ${OAUTH_WASM_OPT} -fno-exceptions "-fno-rtti -fmerge-all-constants (src/)"
                  "-DOAUTH_TEXT_MARKERS (the browser's module)")
if(OAUTH_WASM_LTO)
  list(APPEND compile_flags -flto)
endif()
list(JOIN compile_flags "\",\"" compile_flags_json)
string(STRIP "${openssl_info}" openssl_info)
file(WRITE "${CMAKE_BINARY_DIR}/build-info.json"
  "{\"emcc\":\"${emcc_version}\",\"openssl\":${openssl_info},\"openssl_files\":[\"${openssl_files_json}\"],"
  "\"openssl_defines\":[\"${openssl_defines_json}\"],\"compile_flags\":[\"${compile_flags_json}\"],"
  "\"link_flags\":[\"${link_flags_json}\"]}\n")
