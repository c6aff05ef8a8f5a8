// The shared part of the two native crypto benches (bench/native/ours.cpp: our core's
// src/crypto with the OpenSSL files compiled in; bench/native/system.cpp: the system libcrypto).
// Each defines `class Impl` with the four operations; this file reads the fixtures, checks that
// every operation does its job, and times them or runs one of them a fixed number of times.
//
//   <binary> FIXTURES [--ms 1000]           → one JSON line: {"impl", "openssl", "pkce_s256": ops/s, ...}
//   <binary> FIXTURES --count N --op NAME   → N calls of NAME (for valgrind --tool=callgrind)
//
// FIXTURES (bench/native.mjs writes it): lines "<name> <hex>": verifier, challenge (its S256,
// base64url, as text), message (a JWS signing input), rsa_n, rsa_e, rs256 (signature of
// message), ec_x, ec_y, es256 (raw r||s of message).
#pragma once
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

namespace bench {

using Fixtures = std::map<std::string, std::string>;

inline std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

inline Fixtures read_fixtures(const char* path) {
  Fixtures f;
  std::ifstream in(path);
  std::string name, hex;
  while (in >> name >> hex) f[name] = unhex(hex);
  for (const char* need : {"verifier", "challenge", "message", "rsa_n", "rsa_e", "rs256", "ec_x", "ec_y", "es256"}) {
    if (!f.count(need)) {
      std::fprintf(stderr, "%s: no %s\n", path, need);
      std::exit(2);
    }
  }
  return f;
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "check failed: %s\n", what);
  std::exit(1);
}

// Calls op until `ms` have passed (the clock read every 8 calls): calls per second.
template <typename Op>
double rate(Op op, double ms) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  long n = 0;
  double elapsed = 0;
  do {
    for (int i = 0; i < 8; ++i) {
      if (!op()) fail("an operation failed while timed");
    }
    n += 8;
    elapsed = std::chrono::duration<double, std::milli>(clock::now() - start).count();
  } while (elapsed < ms);
  return n * 1000.0 / elapsed;
}

template <typename Impl>
int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FIXTURES [--ms N] [--count N --op pkce_s256|es256_verify|rs256_verify|es256_sign]\n", argv[0]);
    return 2;
  }
  double ms = 1000;
  long count = -1;
  std::string op_name;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--ms")) ms = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--count")) count = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--op")) op_name = argv[i + 1];
  }
  const Fixtures f = read_fixtures(argv[1]);
  Impl impl(f);
  impl.check(f);  // exits when an operation does not do its job

  struct Op {
    const char* name;
    bool (Impl::*fn)();
  };
  const Op ops[] = {{"pkce_s256", &Impl::pkce_s256},
                    {"es256_verify", &Impl::es256_verify},
                    {"rs256_verify", &Impl::rs256_verify},
                    {"es256_sign", &Impl::es256_sign}};
  if (count >= 0) {
    for (const Op& op : ops) {
      if (op_name != op.name) continue;
      for (long i = 0; i < count; ++i) {
        if (!(impl.*op.fn)()) fail("an operation failed");
      }
      return 0;
    }
    std::fprintf(stderr, "unknown --op %s\n", op_name.c_str());
    return 2;
  }
  std::printf("{\"impl\":\"%s\",\"openssl\":\"%s\"", Impl::kName, Impl::version());
  for (const Op& op : ops) {
    rate([&] { return (impl.*op.fn)(); }, ms / 10);  // warm-up
    std::printf(",\"%s\":%.1f", op.name, rate([&] { return (impl.*op.fn)(); }, ms));
  }
  std::printf("}\n");
  return 0;
}

}  // namespace bench
