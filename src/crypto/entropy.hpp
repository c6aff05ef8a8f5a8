// The platform CSPRNG: crypto.getRandomValues in the browser and Node, getentropy(3) natively.
// A failing source is an error, never weak output.
#pragma once
#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace oauth {

// Fills `out` with `size` random bytes from the platform, or fails with entropy_failure.
Status fill_random(unsigned char* out, std::size_t size);

// `size` random bytes as a string.
Result<std::string> random_bytes(std::size_t size);

// Test seam: replace the platform source (nullptr restores it). Natively only; the wasm
// tests make crypto.getRandomValues fail instead.
using EntropySource = int (*)(unsigned char* out, std::size_t size);
void set_entropy_source_for_testing(EntropySource source);

}  // namespace oauth
