// Emscripten JS library (linked with --js-library, cmake/wasm.cmake): embind's JavaScript for what
// the bindings never use, replaced by empty functions so the glue does not carry it.
// - std::wstring, std::u16string, std::u32string: embind registers them with every module, which
//   brings its UTF-16 and UTF-32 coders; every bound call here takes and returns UTF-8
//   std::string. A binding taking a wide string would fail at its call as an unbound type.
// - Module.count_emval_handles / get_first_emval: debugging counters of live emscripten::val
//   handles, which nothing here reads.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring__deps: [],
  _embind_register_std_wstring: function(rawType, charSize, name) {},
  $init_emval__deps: [],
  $init_emval: function() {},
});
