#include "checks/mac_sources.hpp"

#include "engine/text.hpp"

namespace hb {

int AppArmorProfiles::enforcing() const {
  int n = 0;
  for (const auto& [mode, count] : by_mode)
    if (mode == "enforce" || mode == "kill") n += count;
  return n;
}

std::string AppArmorProfiles::describe() const {
  if (total == 0) return "no profiles loaded";
  std::string out = std::to_string(total) + (total == 1 ? " profile: " : " profiles: ");
  bool first = true;
  for (const auto& [mode, count] : by_mode) {
    out += (first ? "" : ", ") + std::to_string(count) + " " + printable(mode, 40);
    first = false;
  }
  return out;
}

AppArmorProfiles parse_apparmor_profiles(std::string_view text) {
  AppArmorProfiles out;
  constexpr std::size_t k_max_modes = 32;  // distinct mode words kept; the rest count as "other"
  for (std::string_view raw : split_lines(text)) {
    std::string_view line = trim(raw);
    if (line.empty()) continue;
    std::size_t open = line.rfind(" (");
    if (line.back() != ')' || open == std::string_view::npos || open == 0) {
      ++out.malformed;
      continue;
    }
    std::string mode(line.substr(open + 2, line.size() - open - 3));
    if (mode.empty() || mode.find_first_of(" ()") != std::string::npos) {
      ++out.malformed;
      continue;
    }
    if (!out.by_mode.count(mode) && out.by_mode.size() >= k_max_modes) mode = "other";
    ++out.by_mode[mode];
    ++out.total;
  }
  return out;
}

std::string_view to_string(SelinuxMode m) {
  switch (m) {
    case SelinuxMode::enforcing:
      return "enforcing";
    case SelinuxMode::permissive:
      return "permissive";
    case SelinuxMode::disabled:
      return "disabled";
    case SelinuxMode::unknown:
      return "unknown";
  }
  return "unknown";
}

SelinuxConfig parse_selinux_config(std::string_view text) {
  SelinuxConfig out;
  int lineno = 0;
  constexpr std::string_view k_tag = "SELINUX=";
  for (std::string_view line : split_lines(text)) {
    ++lineno;
    if (!starts_with(line, k_tag)) continue;
    std::string_view value = line.substr(k_tag.size());
    auto has_prefix = [&](std::string_view word) {
      return value.size() >= word.size() && iequals(value.substr(0, word.size()), word);
    };
    SelinuxMode mode = has_prefix("enforcing")    ? SelinuxMode::enforcing
                       : has_prefix("permissive") ? SelinuxMode::permissive
                       : has_prefix("disabled")   ? SelinuxMode::disabled
                                                  : SelinuxMode::unknown;
    // libselinux skips a line whose value it does not know and reads on.
    if (mode == SelinuxMode::unknown && out.mode) continue;
    out.mode = mode;
    out.line = lineno;
    out.value = std::string(trim(value));
    if (mode != SelinuxMode::unknown) break;
  }
  return out;
}

}  // namespace hb
