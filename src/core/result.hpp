// Result<T>: a value or an Error, never an exception across the wasm boundary.
#pragma once
#include <cstdlib>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace oauth {

struct Ok {};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Reading the wrong side is a programming error in the core: fail loudly and at once.
  const T& value() const& { return ok() ? std::get<0>(v_) : (std::abort(), std::get<0>(v_)); }
  T& value() & { return ok() ? std::get<0>(v_) : (std::abort(), std::get<0>(v_)); }
  T&& value() && { return ok() ? std::move(std::get<0>(v_)) : (std::abort(), std::move(std::get<0>(v_))); }
  const Error& error() const { return !ok() ? std::get<1>(v_) : (std::abort(), std::get<1>(v_)); }
  Error&& take_error() && { return !ok() ? std::move(std::get<1>(v_)) : (std::abort(), std::move(std::get<1>(v_))); }

  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Error> v_;
};

using Status = Result<Ok>;

}  // namespace oauth

// Early return of the error of a Result expression.
#define OAUTH_TRY(expr)                                              \
  do {                                                               \
    auto&& oauth_try_result_ = (expr);                               \
    if (!oauth_try_result_.ok()) return std::move(oauth_try_result_).take_error(); \
  } while (0)
