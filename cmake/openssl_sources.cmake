# The OpenSSL source files compiled into the core: the one list both builds use, so the
# native tests exercise exactly the OpenSSL code that ships. Every entry is a file of the
# pinned upstream tarball (see scripts/openssl-prepare.sh); our shims live in
# src/crypto/openssl_shims.c, our trimmed copies of two EC_METHOD tables in
# src/crypto/ec_methods.c. Upgrading OpenSSL: re-run every known-answer test, compare those
# tables with the new EC_GFp_nistp256_method() and EC_GFp_mont_method(); a new reachable
# dependency shows up as a link error.
set(OAUTH_OPENSSL_FILES
  crypto/mem_clr.c crypto/mem.c crypto/mem_sec.c crypto/cpuid.c crypto/threads_none.c crypto/o_str.c
  crypto/ctype.c
  crypto/sha/sha256.c crypto/sha/sha512.c
  crypto/bn/bn_lib.c crypto/bn/bn_ctx.c crypto/bn/bn_exp.c crypto/bn/bn_mont.c crypto/bn/bn_mul.c
  crypto/bn/bn_sqr.c crypto/bn/bn_div.c crypto/bn/bn_add.c crypto/bn/bn_asm.c crypto/bn/bn_shift.c
  crypto/bn/bn_word.c crypto/bn/bn_mod.c crypto/bn/bn_gcd.c crypto/bn/bn_rand.c crypto/bn/bn_intern.c
  crypto/bn/bn_recp.c crypto/bn/bn_nist.c
  crypto/ec/ec_lib.c crypto/ec/ecp_mont.c crypto/ec/ecp_smpl.c crypto/ec/ec_mult.c crypto/ec/ec_key.c
  crypto/ec/ecdsa_ossl.c crypto/ec/ec_asn1.c crypto/ec/ecdh_ossl.c crypto/ec/curve25519.c
  crypto/ec/ecp_nistp256.c crypto/ec/ecp_nistputil.c crypto/ec/ecp_nist.c
  providers/prov_running.c
)

# Compile definitions for those files: no function-name strings, small tables.
set(OAUTH_OPENSSL_DEFINES OPENSSL_FUNC=0 OPENSSL_NO_ERR=1 OPENSSL_SMALL_FOOTPRINT=1)

function(oauth_openssl_sources out_var openssl_dir)
  set(files)
  foreach(f IN LISTS OAUTH_OPENSSL_FILES)
    if(NOT EXISTS "${openssl_dir}/${f}")
      message(FATAL_ERROR "OpenSSL file missing from ${openssl_dir}: ${f}")
    endif()
    list(APPEND files "${openssl_dir}/${f}")
  endforeach()
  set(${out_var} ${files} PARENT_SCOPE)
endfunction()
