#include "core/error.hpp"

namespace oauth {

Error Error::local(const char* code, const char* description) {
  return Error{code, description, {}, Blame::local, 0};
}

Error Error::remote(const char* code, const char* description) {
  return Error{code, description, {}, Blame::remote, 0};
}

std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
  return out;
}

}  // namespace oauth
