// JSON from hostile sources (daemon.json, dockerd's state files, Engine API answers): parsed
// with nlohmann::json after a pre-scan that refuses nesting deeper than any real document (a
// million '[' would otherwise exhaust the stack in the parser's recursive destructor). Errors
// name the origin and the line:column, never throw.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/expected.hpp"
#include "engine/params.hpp"  // Json

namespace hb {

constexpr std::size_t k_max_json_depth = 512;

// The offset of the first bracket that nests deeper than max_depth, if any; brackets inside
// strings do not count. Run before a recursive parser, so it never builds a hostile tree.
std::optional<std::size_t> json_too_deep_at(std::string_view text, std::size_t max_depth);

// `origin` names the source in errors: a path, or "GET /info from /run/docker.sock".
Expected<Json> parse_json_text(const std::string& origin, std::string_view text);

// 1-based "line:col" of a 0-based byte offset in text.
std::string line_col(std::string_view text, std::size_t offset);

}  // namespace hb
