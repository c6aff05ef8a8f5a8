// Errors are values. An Error carries an RFC 6749-style `code` (the server's own code when
// the server sent one, or one of ours from error_codes.hpp), a description that never holds
// a secret, the server's error_uri when it sent one, and who is to blame.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/error_text.hpp"

namespace oauth {

// Who caused the failure (the h11 split): our caller misused the API, or the server misbehaved.
enum class Blame { local, remote };

struct Error {
  std::string code;
  std::string description;
  std::string uri;
  Blame blame = Blame::local;
  int http_status = 0;  // for errors that came back in an HTTP response

  static Error local(std::string code, std::string description) {
    return Error{std::move(code), std::move(description), {}, Blame::local, 0};
  }
  static Error remote(std::string code, std::string description) {
    return Error{std::move(code), std::move(description), {}, Blame::remote, 0};
  }
  // The same for the common case of a code and a fixed text (most failure sites): one call out
  // of line (error.cpp) instead of two strings built at every site.
  static Error local(const char* code, const char* description);
  static Error remote(const char* code, const char* description);
};

// The parts joined into one string: a failure site's description in one call, without the chain
// of temporaries that `a + b + c` builds.
std::string concat(std::initializer_list<std::string_view> parts);

}  // namespace oauth
