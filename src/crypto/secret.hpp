// Secret: bytes that are wiped (OPENSSL_cleanse) when replaced or dropped. Tokens, verifiers,
// keys and client secrets live in these. Move-only: a secret is never silently copied.
#pragma once
#include <string>
#include <string_view>

namespace oauth {

void secure_wipe(void* data, std::size_t size);
void secure_wipe(std::string& s);

// Equality without an early exit (for states, nonces, hashes). Lengths are not secret.
bool constant_time_equal(std::string_view a, std::string_view b);

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { secure_wipe(other.value_); }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      secure_wipe(value_);
      value_ = std::move(other.value_);
      secure_wipe(other.value_);
    }
    return *this;
  }
  ~Secret() { secure_wipe(value_); }

  std::string_view view() const { return value_; }
  bool empty() const { return value_.empty(); }
  std::size_t size() const { return value_.size(); }
  void clear() { secure_wipe(value_); value_.clear(); }
  // An explicit copy, for the few places a secret must leave (a request body).
  Secret clone() const { return Secret(value_); }

 private:
  std::string value_;
};

}  // namespace oauth
