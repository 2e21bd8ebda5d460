// YamlGuard: YAML given to hostbench (a profile, a --var value) loaded within bounds. yaml-cpp
// shares an aliased node instead of copying it, so "billion laughs" (ten aliases of ten aliases
// of ...) loads small; but every walk of the document (variable substitution, conversion to JSON,
// the checks' parameters) visits each alias again, and 10^9 visits is a hang. An alias inside the
// node it names (`&a [*a]`) makes the document a cycle, and a walk of it never ends (stack
// overflow). load_yaml_bounded() loads the first document as YAML::Load does, then walks it once
// with every shared node counted once (sizes memoised by node identity), and refuses:
//   - a text over max_bytes, or one that is not UTF-8 or holds a NUL byte (yaml-cpp would turn
//     bad bytes into U+FFFD silently, and the reports would show what the file did not say);
//   - nesting deeper than max_depth;
//   - more than max_nodes nodes once every alias is expanded (what a walk would visit);
//   - an alias to a node that encloses it (a cycle);
//   - a syntax error (as yaml-cpp reports it).
// Errors are "origin:line:column: message" (origin alone where there is no position). The walk
// costs well under a millisecond for the shipped profiles (a second parse would cost ~16 ms).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/expected.hpp"

namespace hb {

struct YamlBounds {
  std::size_t max_bytes = 8u << 20;     // the shipped profiles are ~200 KB together
  std::size_t max_depth = 64;           // a profile is ~8 levels deep
  std::size_t max_nodes = 1'000'000;    // the shipped profiles have ~12,000 nodes
};

Expected<YAML::Node> load_yaml_bounded(std::string_view text, const std::string& origin,
                                       const YamlBounds& bounds = {});

}  // namespace hb
