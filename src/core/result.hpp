// Result<T>: a value or an Error, never an exception across the wasm boundary.
#pragma once
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "core/error.hpp"

namespace oauth {

struct Ok {};

// A tagged union rather than std::variant: the same two alternatives without variant's
// visitation tables, instantiated for every T (the size of the wasm module).
template <typename T>
class [[nodiscard]] Result {
 public:
  // By reference, not by value: an error passed on (OAUTH_TRY) is moved once, straight into place.
  Result(const T& value) : ok_(true) { new (&value_) T(value); }
  Result(T&& value) : ok_(true) { new (&value_) T(std::move(value)); }
  Result(const Error& error) : ok_(false) { new (&error_) Error(error); }
  Result(Error&& error) : ok_(false) { new (&error_) Error(std::move(error)); }

  Result(const Result& other) : ok_(other.ok_) { construct_from(other); }
  Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(other.ok_) {
    construct_from(std::move(other));
  }
  Result& operator=(const Result& other) {
    if (this != &other) {
      destroy();
      ok_ = other.ok_;
      construct_from(other);
    }
    return *this;
  }
  Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) {
      destroy();
      ok_ = other.ok_;
      construct_from(std::move(other));
    }
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok(); }

  // Reading the wrong side is a programming error in the core: fail loudly and at once.
  const T& value() const& { return ok_ ? value_ : (std::abort(), value_); }
  T& value() & { return ok_ ? value_ : (std::abort(), value_); }
  T&& value() && { return ok_ ? std::move(value_) : (std::abort(), std::move(value_)); }
  const Error& error() const { return !ok_ ? error_ : (std::abort(), error_); }
  Error&& take_error() && { return !ok_ ? std::move(error_) : (std::abort(), std::move(error_)); }

  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  // `ok_` already says which side `other` holds.
  template <typename Other>
  void construct_from(Other&& other) {
    if (ok_) {
      new (&value_) T(std::forward<Other>(other).value_);
    } else {
      new (&error_) Error(std::forward<Other>(other).error_);
    }
  }
  void destroy() {
    if (ok_) {
      value_.~T();
    } else {
      error_.~Error();
    }
  }

  union {
    T value_;
    Error error_;
  };
  bool ok_;
};

using Status = Result<Ok>;

}  // namespace oauth

// Early return of the error of a Result expression.
#define OAUTH_TRY(expr)                                              \
  do {                                                               \
    auto&& oauth_try_result_ = (expr);                               \
    if (!oauth_try_result_.ok()) return std::move(oauth_try_result_).take_error(); \
  } while (0)

// Early return of an error, else the value bound to `lhs`: the one-line form of
//   auto r = f(); OAUTH_TRY(r);  ... *r ...
// `lhs` is a declaration or a variable: `auto x` moves the value out, `auto&& x` names it in place
// (no move: the hidden Result lives to the end of the enclosing block), `x` assigns to one in scope.
#define OAUTH_CONCAT_INNER_(a, b) a##b
#define OAUTH_CONCAT_(a, b) OAUTH_CONCAT_INNER_(a, b)
#define OAUTH_ASSIGN_OR_RETURN(lhs, expr) \
  OAUTH_ASSIGN_OR_RETURN_IMPL_(OAUTH_CONCAT_(oauth_assign_result_, __LINE__), lhs, expr)
#define OAUTH_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)              \
  auto tmp = (expr);                                              \
  if (!tmp.ok()) return std::move(tmp).take_error();              \
  lhs = std::move(*tmp)
