// Floor probe: one embind function of a string and two numbers, returning a string (the shape of
// every bound call of the core). Measured by bench/floors.mjs.
#include <emscripten/bind.h>

#include <string>

std::string echo(const std::string& text, int handle, double now) { return text + std::to_string(handle + static_cast<int>(now)); }

EMSCRIPTEN_BINDINGS(probe) { emscripten::function("echo", &echo); }
