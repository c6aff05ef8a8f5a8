# libFuzzer harnesses (tests/fuzz/, one per parser) with ASan + UBSan, in their own build dir:
#   cmake -S . -B build/fuzz -DOAUTH_FUZZ=ON -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
# The core and the OpenSSL files are instrumented too (target options, so they apply to the
# targets defined before this file). Any sanitizer report aborts the run: make fuzz fails.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "OAUTH_FUZZ needs clang (libFuzzer): pass -DCMAKE_CXX_COMPILER=clang++-14")
endif()
find_package(nlohmann_json 3.10 REQUIRED)
target_link_libraries(oauth_core PUBLIC nlohmann_json::nlohmann_json)

set(fuzz_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
target_compile_options(oauth_core PRIVATE ${fuzz_sanitizers} -fsanitize=fuzzer-no-link)
# OpenSSL's files: sanitized, but without coverage feedback (the parsers under test are ours) and
# without ASan's global metadata. Both would keep every function and table of those files alive,
# and with them references to code we do not compile (ASN.1, BIO, providers) that --gc-sections
# otherwise drops. Their heap and stack accesses are checked; the core is fully instrumented.
target_compile_options(oauth_openssl PRIVATE ${fuzz_sanitizers} -mllvm -asan-globals=0)
foreach(t oauth_openssl oauth_core)
  target_compile_options(${t} PRIVATE -ffunction-sections -fdata-sections)
endforeach()

file(GLOB fuzz_sources CONFIGURE_DEPENDS tests/fuzz/fuzz_*.cpp)
list(SORT fuzz_sources)
foreach(src IN LISTS fuzz_sources)
  get_filename_component(name "${src}" NAME_WE)
  add_executable(${name} "${src}")
  target_include_directories(${name} PRIVATE tests/fuzz)
  target_compile_options(${name} PRIVATE ${fuzz_sanitizers} -fsanitize=fuzzer -fno-exceptions)
  target_link_options(${name} PRIVATE -fsanitize=address,undefined,fuzzer -Wl,--gc-sections)
  # oauth_openssl's shims call back into the core (oauth_entropy): list the core again after it.
  target_link_libraries(${name} PRIVATE oauth_core oauth_openssl oauth_core)
endforeach()
