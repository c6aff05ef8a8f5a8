#include "core/error.hpp"

namespace oauth {

Error Error::local(const char* code, const char* description) {
  return Error{code, description, {}, Blame::local, 0};
}

Error Error::remote(const char* code, const char* description) {
  return Error{code, description, {}, Blame::remote, 0};
}

}  // namespace oauth
