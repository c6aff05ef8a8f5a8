// Text a server chose that reaches a person (a device flow's user_code, an issuer quoted in an
// error): printable as it is, on a page, in a log or in a terminal.
#pragma once
#include <string_view>

namespace oauth {

// No C0 control, DEL or C1 control (U+0080..U+009F: a terminal reads U+009B as CSI), and no
// bidirectional formatting character (U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069), which
// reorders what is shown (CVE-2021-42574). Other UTF-8 passes as it is (the JSON parser checked it).
bool is_displayable_text(std::string_view text);

}  // namespace oauth
