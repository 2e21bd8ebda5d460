#include "checks/sysctl_config.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "engine/text.hpp"

namespace hb {

std::string sysctl_normalize(std::string_view key) {
  std::string s(key);
  std::size_t first = s.find_first_of("/.");
  if (first != std::string::npos && s[first] == '.') {
    for (std::size_t i = first; i < s.size(); ++i) {
      if (s[i] == '.')
        s[i] = '/';
      else if (s[i] == '/')
        s[i] = '.';
    }
  }
  // path_simplify: no empty or "." components, no trailing slash; then no leading slash.
  std::string out;
  for (std::string_view comp : split(s, '/')) {
    if (comp.empty() || comp == ".") continue;
    if (!out.empty()) out += '/';
    out += comp;
  }
  return out;
}

std::vector<SysctlLine> parse_sysctl_text(std::string_view text) {
  std::vector<SysctlLine> out;
  int lineno = 0;
  for (std::string_view raw : split_lines(text)) {
    ++lineno;
    std::string_view s = trim(raw);
    if (s.empty() || s.front() == '#' || s.front() == ';') continue;
    SysctlLine line;
    line.line = lineno;
    std::size_t eq = s.find('=');
    std::string_view key = s;
    if (eq != std::string_view::npos) {
      key = s.substr(0, eq);
      line.value = std::string(trim(s.substr(eq + 1)));
    } else if (s.front() != '-') {
      continue;  // "Line is not an assignment, ignoring"
    }
    if (!key.empty() && key.front() == '-') {
      line.ignore_failure = line.value.has_value();
      key.remove_prefix(1);
    }
    line.key = sysctl_normalize(trim(key));
    if (line.key.empty()) continue;
    out.push_back(std::move(line));
  }
  return out;
}

SysctlConfig build_sysctl_config(const std::vector<SysctlFile>& files) {
  struct Slot {
    std::size_t seq;
    SysctlOption option;
  };
  std::unordered_map<std::string, Slot> slots;
  std::size_t seq = 0;
  SysctlConfig config;
  for (const auto& f : files) {
    config.files.push_back(f.path);
    for (const auto& l : f.lines) {
      auto it = slots.find(l.key);
      // systemd keeps an identical re-assignment where it was, with its first location.
      if (it != slots.end() && it->second.option.value == l.value) continue;
      slots.insert_or_assign(
          l.key, Slot{seq++, SysctlOption{l.key, l.value, f.path, l.line, has_glob(l.key)}});
    }
  }
  std::vector<Slot*> order;
  for (auto& [key, slot] : slots) order.push_back(&slot);
  std::sort(order.begin(), order.end(),
            [](const Slot* a, const Slot* b) { return a->seq < b->seq; });
  for (Slot* s : order) config.options.push_back(std::move(s->option));
  return config;
}

namespace {

// glob(3) on /proc/sys paths: '*' stays within one component.
bool key_glob_match(std::string_view pattern, std::string_view key) {
  auto p = split(pattern, '/');
  auto k = split(key, '/');
  if (p.size() != k.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!glob_match(p[i], k[i])) return false;
  return true;
}


struct FileId {
  std::uint64_t device = 0, inode = 0;
  bool operator<(const FileId& o) const {
    return std::pair(device, inode) < std::pair(o.device, o.inode);
  }
};

}  // namespace

Expected<SysctlConfig> load_sysctl_config(const HostView& host) {
  // Name -> path, first directory wins; masked names map to "".
  std::map<std::string, std::string> chosen;
  for (std::string_view dir : k_sysctl_dirs) {
    auto entries = host.list_dir(dir);
    if (!entries) {
      if (entries.kind() == ErrorKind::not_found) continue;
      return entries.error();
    }
    for (const auto& e : *entries) {
      if (e.name.size() <= 5 || !e.name.ends_with(".conf")) continue;
      if (chosen.count(e.name)) continue;
      const std::string path = join_path(dir, e.name);
      bool masked = false;
      auto st = host.lstat(path);
      if (st && st->type == FileType::symlink) {
        auto target = host.read_link(path);
        masked = target && normal_path(join_path(dir, *target)) == "/dev/null";
      }
      chosen.emplace(e.name, masked ? "" : path);
    }
  }

  std::vector<SysctlFile> files;
  std::set<FileId> seen;
  // /etc/sysctl.conf comes last whatever else links to it: reserve its identity now.
  auto conf = host.stat(k_sysctl_conf);
  if (!conf && conf.kind() != ErrorKind::not_found) return conf.error();
  if (conf) seen.insert(FileId{conf->device, conf->inode});

  auto apply = [&](const std::string& path) -> Expected<Unit> {
    auto st = host.stat(path);
    if (st) {
      if (st->type == FileType::char_device) return ok_unit();  // /dev/null on a live host
      if (path != k_sysctl_conf && !seen.insert(FileId{st->device, st->inode}).second)
        return ok_unit();  // the same file under a second name
    }
    auto text = host.read_file(path);
    if (!text) {
      if (text.kind() == ErrorKind::not_found) return ok_unit();  // dangling: systemd skips it
      return text.error();
    }
    files.push_back(SysctlFile{path, parse_sysctl_text(*text)});
    return ok_unit();
  };

  for (const auto& [name, path] : chosen) {
    if (path.empty()) continue;
    auto r = apply(path);
    if (!r) return r.error();
  }
  if (conf) {
    auto r = apply(std::string(k_sysctl_conf));
    if (!r) return r.error();
  }
  return build_sysctl_config(files);
}

std::optional<SysctlOption> find_sysctl(const SysctlConfig& config, std::string_view key) {
  // An explicit assignment (even "-key") takes precedence over every glob, wherever it is.
  for (const auto& o : config.options) {
    if (o.key != key) continue;
    if (!o.value) return std::nullopt;
    return o;
  }
  std::optional<SysctlOption> found;
  for (const auto& o : config.options)
    if (o.glob && o.value && key_glob_match(o.key, key)) found = o;  // the last applied wins
  return found;
}

}  // namespace hb
