// Syntax rules of OAuth parameter values (RFC 6749 Appendix A, RFC 8707 §2).
#pragma once
#include <string_view>

namespace oauth {

// scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) (RFC 6749 §3.3).
bool is_valid_scope(std::string_view scope);

// Whether the space-delimited `scope` holds `token` as a whole token (RFC 6749 §3.3).
bool scope_has_token(std::string_view scope, std::string_view token);

// A resource indicator is an absolute URI without a fragment (RFC 8707 §2).
bool is_valid_resource(std::string_view resource);

// error = 1*( %x20-21 / %x23-5B / %x5D-7E ) (RFC 6749 §4.1.2.1, §5.2); error_description the same,
// error_uri 1*( %x21 / %x23-5B / %x5D-7E ).
bool is_valid_error_code(std::string_view error);
bool is_valid_error_description(std::string_view description);
bool is_valid_error_uri(std::string_view uri);

// An error_uri passed on to the app: its characters as above, and an https URL a person may be sent
// to (is_openable_url), since the app may render it as a link: a server's javascript: is dropped.
bool is_openable_error_uri(std::string_view uri);

}  // namespace oauth
