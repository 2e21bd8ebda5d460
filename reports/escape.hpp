// Escaping for every output: whatever a host file, profile or API answer holds, it reaches a
// terminal, HTML or XML only through these. Invalid UTF-8 becomes U+FFFD.
#pragma once

#include <string>
#include <string_view>

#include "engine/text.hpp"  // sanitize_utf8: valid UTF-8, invalid sequences replaced by U+FFFD

namespace hb {

// For a terminal: valid UTF-8, control characters (ESC included) shown as \xNN, so host data
// can never move the cursor, set a title or inject escape sequences.
std::string terminal_safe(std::string_view s);
// For HTML text and attribute values: & < > " ' escaped, control characters dropped.
std::string html_escape(std::string_view s);
// For XML 1.0 text and attributes: & < > " ' escaped, characters XML 1.0 forbids dropped.
std::string xml_escape(std::string_view s);
// For an XML library that escapes markup itself (pugixml): valid UTF-8 with the characters
// XML 1.0 forbids dropped, nothing escaped.
std::string xml_clean(std::string_view s);

}  // namespace hb
