// Small text helpers shared by the parsers: splitting lines and fields, trimming, globs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hb {

std::string_view trim(std::string_view s);
// Lines without their terminators; a final line without '\n' counts.
std::vector<std::string_view> split_lines(std::string_view text);
// Splits on a single character, keeping empty fields.
std::vector<std::string_view> split(std::string_view s, char sep);
// Splits on runs of blanks (space, tab).
std::vector<std::string_view> split_ws(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
// fnmatch(3) without flags: *, ? and [...] classes; '/' is an ordinary character.
bool glob_match(std::string_view pattern, std::string_view text);
bool has_glob(std::string_view s);
// A printable rendering for evidence: control bytes become \xNN, invalid UTF-8 is kept as
// bytes (the writers escape it), and anything past max_len is cut with "...".
std::string printable(std::string_view s, std::size_t max_len = 200);
// printable(s, max_len) in single quotes: 'value', for notes that name a word from a file.
std::string in_quotes(std::string_view s, std::size_t max_len = 120);

// The UTF-8 sequence that starts at s[i] (i < s.size()): its length (1 to 4) with its code
// point in `cp`, or 0 when none valid starts there (a stray or truncated byte, an overlong
// form, a surrogate, a value past U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp);
// Valid UTF-8: each byte no valid sequence starts with becomes U+FFFD (as Go does). For text
// bound for a Json (nlohmann's dump() throws on invalid UTF-8) or for a report.
std::string sanitize_utf8(std::string_view s);

}  // namespace hb
