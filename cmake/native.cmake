# Native build: fast unit tests of the exact core sources, plus an independent oracle
# (the system's libcrypto, in a separate binary so its symbols cannot clash with ours).
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Catch2 2 REQUIRED)
find_package(OpenSSL REQUIRED)
target_link_libraries(oauth_core PUBLIC nlohmann_json::nlohmann_json)
foreach(t oauth_openssl oauth_core)
  target_compile_options(${t} PRIVATE -ffunction-sections -fdata-sections)
endforeach()
# OpenSSL's files need some optimisation in every configuration: ec_key.c's FIPS pairwise test
# (OSSL_SELF_TEST_*, ECDSA_do_sign) sits behind a parameter its one caller passes as 0, and only
# inlining removes it. At -O0 (Debug) it stays and names functions we do not compile.
target_compile_options(oauth_openssl PRIVATE $<$<CONFIG:Debug>:-O1>)

enable_testing()
file(GLOB unit_sources CONFIGURE_DEPENDS tests/unit/*.cpp)
list(SORT unit_sources)
add_executable(unit_tests ${unit_sources})
target_link_libraries(unit_tests PRIVATE oauth_core Catch2::Catch2)
# ecdsa_test.cpp compares our EC_METHOD tables with OpenSSL's (crypto/ec/ec_local.h).
target_include_directories(unit_tests PRIVATE "${OPENSSL_SOURCE_DIR}" "${OPENSSL_SOURCE_DIR}/crypto/ec")
target_link_options(unit_tests PRIVATE -Wl,--gc-sections)
add_test(NAME unit_native COMMAND unit_tests)

# ASan + UBSan over the core, OpenSSL's files and the tests. Target options, so that they reach
# the targets defined above (add_compile_options only reaches targets defined after it).
option(OAUTH_SANITIZE "Build the core, its OpenSSL files and the unit tests with ASan + UBSan" OFF)
if(OAUTH_SANITIZE)
  foreach(t oauth_openssl oauth_core unit_tests)
    target_compile_options(${t} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  endforeach()
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    # ASan's global metadata would keep OpenSSL's tables alive past --gc-sections, and with them
    # references to code we do not compile (ASN.1): leave OpenSSL's globals out (cmake/fuzz.cmake).
    target_compile_options(oauth_openssl PRIVATE --param=asan-globals=0)
  endif()
  target_link_options(unit_tests PRIVATE -fsanitize=address,undefined)
endif()

# Signatures made by our core, checked by the system libcrypto.
add_executable(oracle_verify tests/oracle/oracle_verify.c)
target_link_libraries(oracle_verify PRIVATE OpenSSL::Crypto)
add_test(NAME sign_vectors_native COMMAND unit_tests "[write-vectors]" --warn NoTests)  # the hidden [.write-vectors] case
set_tests_properties(sign_vectors_native PROPERTIES FIXTURES_SETUP sign_vectors
                     ENVIRONMENT "OAUTH_SIGN_VECTORS_OUT=${CMAKE_BINARY_DIR}/sign_vectors.txt")
add_test(NAME oracle_verifies_our_signatures COMMAND oracle_verify "${CMAKE_BINARY_DIR}/sign_vectors.txt")
set_tests_properties(oracle_verifies_our_signatures PROPERTIES FIXTURES_REQUIRED sign_vectors)

# Native crypto bench (bench/native.mjs, make bench): our core's crypto against the system
# libcrypto, one binary each (the same symbols). Built only on request.
add_executable(bench_native_ours EXCLUDE_FROM_ALL bench/native/ours.cpp)
target_link_libraries(bench_native_ours PRIVATE oauth_core)
target_link_options(bench_native_ours PRIVATE -Wl,--gc-sections)
add_executable(bench_native_system EXCLUDE_FROM_ALL bench/native/system.cpp)
target_link_libraries(bench_native_system PRIVATE OpenSSL::Crypto)
add_custom_target(bench_native DEPENDS bench_native_ours bench_native_system)
