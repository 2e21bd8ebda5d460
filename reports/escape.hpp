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
// Host text for HTML, shown rather than obeyed: control characters as \xNN and bidi controls
// (U+202A-U+202E, U+2066-U+2069) as <U+XXXX>, as the report scripts show them; then html_escape.
std::string html_text(std::string_view s);
// JSON text for a <script type="application/json"> element: < > & and U+2028/U+2029 become
// \u003c \u003e \u0026 \u2028 \u2029, so nothing in it can end the element or open a comment.
// `json` must be valid JSON text: those characters then occur only inside strings, where the
// escape means the same character, so the result parses to the same value.
std::string script_safe_json_text(std::string_view json);
// For XML 1.0 text and attributes: & < > " ' escaped, characters XML 1.0 forbids dropped.
std::string xml_escape(std::string_view s);
// For an XML library that escapes markup itself (pugixml): valid UTF-8 with the characters
// XML 1.0 forbids dropped, nothing escaped.
std::string xml_clean(std::string_view s);

}  // namespace hb
