// Glob expansion on the scanned host, as glob(3) without flags: every component may hold *, ?
// and [...]; a leading dot is matched only by a pattern component that starts with one; results
// are sorted. Directories are listed through the HostView, so expansion stays inside the root.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hb {

class HostView;

struct GlobExpansion {
  // Candidate paths, sorted. Components without wildcards are appended unchecked, so a
  // candidate may not exist: callers stat what they need.
  std::vector<std::string> paths;
  // Directories that exist but could not be listed (permission, too many entries ...), with why:
  // what they might have matched is unknown, which callers must not take for "no match".
  std::vector<std::pair<std::string, std::string>> errors;
  bool too_many = false;  // more than max_matches candidates: paths is empty
};

GlobExpansion expand_glob(const HostView& host, std::string_view pattern,
                          std::size_t max_matches = 10000);

}  // namespace hb
