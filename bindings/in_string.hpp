// A string argument from JavaScript, wiped wherever it passed. embind copies a JS string into a
// buffer the glue allocates (and frees after the call), then into a std::string: both copies
// were freed unwiped, so a token response, a callback URL, a stored transaction (PKCE verifier)
// or a client secret stayed readable in wasm memory after its call. This type reads the glue's
// buffer into its own string, wipes the buffer at once, and wipes its string when the call ends.
// It is registered with embind under the name "std::string", which the glue reads as "UTF-8".
#pragma once
#include <emscripten/bind.h>

#include <string>
#include <string_view>

#include "crypto/secret.hpp"

namespace oauth::bindings {

class InString {
 public:
  InString() = default;
  InString(const InString&) = delete;
  InString& operator=(const InString&) = delete;
  InString(InString&& other) noexcept : value_(std::move(other.value_)) { secure_wipe(other.value_); }
  InString& operator=(InString&&) = delete;
  ~InString() { secure_wipe(value_); }

  const std::string& str() const { return value_; }
  std::string_view view() const { return value_; }

  // From embind's wire form (length, then the bytes), which is wiped once copied.
  template <typename Wire>
  static InString take(Wire wire) {
    InString s;
    s.value_.assign(wire->data, wire->length);
    secure_wipe(wire->data, wire->length);
    return s;
  }

 private:
  std::string value_;
};

// A bound function's string parameter.
using Text = const InString&;

}  // namespace oauth::bindings

namespace emscripten::internal {

template <>
struct BindingType<oauth::bindings::InString> {
  using WireType = BindingType<std::string>::WireType;
  static oauth::bindings::InString fromWireType(WireType wire) { return oauth::bindings::InString::take(wire); }
};

}  // namespace emscripten::internal
