#include "engine/host_glob.hpp"

#include <algorithm>

#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

GlobExpansion expand_glob(const HostView& host, std::string_view pattern,
                          std::size_t max_matches) {
  GlobExpansion out;
  std::vector<std::string> paths{"/"};
  for (std::string_view comp : split(pattern, '/')) {
    if (comp.empty() || comp == ".") continue;
    std::vector<std::string> next;
    for (const auto& dir : paths) {
      if (!has_glob(comp)) {
        next.push_back(join_path(dir, comp));
        continue;
      }
      auto entries = host.list_dir(dir);
      if (!entries) {
        // A prefix that is not there (or not a directory) matches nothing, as in glob(3).
        if (entries.kind() != ErrorKind::not_found) out.errors.emplace_back(dir, entries.message());
        continue;
      }
      for (const auto& e : *entries) {
        if (e.name.front() == '.' && comp.front() != '.') continue;
        if (glob_match(comp, e.name)) next.push_back(join_path(dir, e.name));
      }
      if (next.size() > max_matches) {
        out.too_many = true;
        return out;
      }
    }
    paths = std::move(next);
  }
  std::sort(paths.begin(), paths.end());
  out.paths = std::move(paths);
  return out;
}

}  // namespace hb
