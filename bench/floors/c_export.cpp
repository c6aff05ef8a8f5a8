// Floor probe: the same call as embind.cpp as a plain C export of a standalone module (strings as
// pointer and length), for what embind itself costs. Measured by bench/floors.mjs.
#include <emscripten/em_macros.h>

#include <string>

static std::string answer;

extern "C" EMSCRIPTEN_KEEPALIVE const char* echo(const char* text, unsigned size, int handle, double now) {
  answer.assign(text, size);
  answer += std::to_string(handle + static_cast<int>(now));
  return answer.c_str();
}
