// Small text helpers shared by the parsers: splitting lines and fields, trimming, globs.
#pragma once

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

}  // namespace hb
