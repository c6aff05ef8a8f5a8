#include "crypto/sha2.hpp"

#include "support.hpp"

using namespace oauth;
using oauth::test::hex_encode;

TEST_CASE("SHA-2 of \"abc\" matches FIPS 180-4 examples", "[sha2]") {
  CHECK(hex_encode(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(sha384("abc")) ==
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  CHECK(hex_encode(sha512("abc")) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
        "454d4423643ce80e2a9ac94fa54ca49f");
}

TEST_CASE("SHA-256 of the empty string and of a two-block message", "[sha2]") {
  CHECK(hex_encode(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_encode(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("digest() dispatches by algorithm and reports sizes", "[sha2]") {
  CHECK(digest(Sha2::sha384, "abc") == sha384("abc"));
  CHECK(digest_size(Sha2::sha256) == 32);
  CHECK(digest_size(Sha2::sha384) == 48);
  CHECK(digest_size(Sha2::sha512) == 64);
}
