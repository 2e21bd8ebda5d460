#include "checks/mountinfo.hpp"

#include <charconv>
#include <optional>

#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

template <class T>
std::optional<T> parse_number(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

Error line_error(int line, const std::string& why) {
  return make_error(ErrorKind::parse, "line " + std::to_string(line) + ": " + why);
}

}  // namespace

std::string unescape_octal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && is_octal(s[i + 1]) && is_octal(s[i + 2]) &&
        is_octal(s[i + 3])) {
      int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
      if (v <= 0xff) {
        out += static_cast<char>(v);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::vector<std::string> split_options(std::string_view options) {
  std::vector<std::string> out;
  for (std::string_view o : split(options, ','))
    if (!o.empty()) out.emplace_back(o);
  return out;
}

Expected<std::vector<MountEntry>> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> out;
  int lineno = 0;
  for (std::string_view line : split_lines(text)) {
    ++lineno;
    if (trim(line).empty()) continue;
    if (out.size() >= k_max_mounts)
      return make_error(ErrorKind::too_large,
                        "more than " + std::to_string(k_max_mounts) + " mounts");
    std::vector<std::string_view> f = split(line, ' ');
    // Six fixed fields, the separator, then type, source and superblock options.
    std::size_t sep = 6;
    while (sep < f.size() && f[sep] != "-") ++sep;
    if (f.size() < 10 || sep >= f.size())
      return line_error(lineno, "not a mountinfo line (expected 10 or more fields with ' - ')");
    if (f.size() != sep + 4)
      return line_error(
          lineno, "expected 3 fields after ' - ', found " + std::to_string(f.size() - sep - 1));
    MountEntry e;
    e.line = lineno;
    auto id = parse_number<std::uint64_t>(f[0]);
    auto parent = parse_number<std::uint64_t>(f[1]);
    if (!id || !parent) return line_error(lineno, "mount ids are not numbers");
    std::size_t colon = f[2].find(':');
    std::optional<unsigned> major, minor;
    if (colon != std::string_view::npos) {
      major = parse_number<unsigned>(f[2].substr(0, colon));
      minor = parse_number<unsigned>(f[2].substr(colon + 1));
    }
    if (!major || !minor)
      return line_error(lineno, "'" + printable(f[2], 40) + "' is not MAJOR:MINOR");
    if (f[4].empty() || f[4].front() != '/')
      return line_error(lineno, "mount point '" + printable(f[4], 80) + "' is not absolute");
    e.id = *id;
    e.parent = *parent;
    e.major = *major;
    e.minor = *minor;
    e.root = unescape_octal(f[3]);
    e.mount_point = unescape_octal(f[4]);
    e.mount_options = std::string(f[5]);
    for (std::size_t i = 6; i < sep; ++i) e.optional_fields.emplace_back(f[i]);
    e.fs_type = std::string(f[sep + 1]);
    e.source = unescape_octal(f[sep + 2]);
    e.super_options = std::string(f[sep + 3]);
    if (e.fs_type.empty()) return line_error(lineno, "empty filesystem type");
    out.push_back(std::move(e));
  }
  return out;
}

std::shared_ptr<const Expected<MountInfo>> load_mountinfo(const HostView& host, Facts& facts) {
  return facts.get<MountInfo>("mountinfo", [&]() -> Expected<MountInfo> {
    MountInfo mi;
    mi.path = std::string(k_mountinfo_path);
    auto text = host.read_file(k_mountinfo_path);
    if (!text) {
      if (text.kind() == ErrorKind::not_found) return mi;
      return text.error();
    }
    auto mounts = parse_mountinfo(*text);
    if (!mounts) return make_error(mounts.kind(), mi.path + ": " + mounts.message());
    mi.present = true;
    mi.mounts = std::move(mounts.value());
    return mi;
  });
}

const MountEntry* find_mount(const std::vector<MountEntry>& mounts, std::string_view mount_point) {
  const MountEntry* found = nullptr;
  for (const auto& m : mounts)
    if (m.mount_point == mount_point) found = &m;
  return found;
}

bool path_is_under(std::string_view path, std::string_view mount_point) {
  if (mount_point == "/") return !path.empty() && path.front() == '/';
  if (!starts_with(path, mount_point)) return false;
  return path.size() == mount_point.size() || path[mount_point.size()] == '/';
}

const MountEntry* covering_mount(const std::vector<MountEntry>& mounts, std::string_view path) {
  const MountEntry* best = nullptr;
  for (const auto& m : mounts) {
    if (!path_is_under(path, m.mount_point)) continue;
    if (!best || m.mount_point.size() >= best->mount_point.size()) best = &m;
  }
  return best;
}

}  // namespace hb
