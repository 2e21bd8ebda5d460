#include "checks/modprobe_config.hpp"

#include <map>

#include "checks/block_chain.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

std::string module_underscores(std::string_view name) {
  std::string out(name);
  bool in_bracket = false;
  for (char& c : out) {
    if (c == '[')
      in_bracket = true;
    else if (c == ']')
      in_bracket = false;
    else if (c == '-' && !in_bracket)
      c = '_';
  }
  return out;
}

std::vector<ModprobeDirective> parse_modprobe_conf(std::string_view text) {
  std::vector<ModprobeDirective> out;
  std::vector<std::string_view> lines = split_lines(text);
  std::size_t i = 0;
  while (i < lines.size()) {
    const int first = static_cast<int>(i) + 1;
    std::string line(lines[i++]);
    // getline_wrapped: a trailing backslash joins the next line.
    while (!line.empty() && line.back() == '\\' && i < lines.size()) {
      line.pop_back();
      line += lines[i++];
    }
    if (!line.empty() && line.back() == '\\') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    std::string_view rest = line;
    auto next_word = [&rest]() {
      std::size_t b = rest.find_first_not_of(" \t");
      if (b == std::string_view::npos) {
        rest = {};
        return std::string_view{};
      }
      rest.remove_prefix(b);
      std::size_t e = rest.find_first_of(" \t");
      std::string_view w = rest.substr(0, e);
      rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 1);
      return w;
    };
    std::string_view cmd = next_word();
    if (cmd != "install" && cmd != "blacklist") continue;
    std::string_view module = next_word();
    if (module.empty()) continue;
    ModprobeDirective d;
    d.line = first;
    d.text = std::string(trim(line));
    d.module = module_underscores(module);
    if (cmd == "install") {
      d.kind = ModprobeDirective::Kind::install;
      d.command = std::string(trim(rest));
      if (d.command.empty()) continue;
    }
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

constexpr std::size_t k_max_install_pattern = 256;

bool is_config_name(const std::string& n) {
  if (n.empty() || n.front() == '.') return false;
  auto ends = [&](std::string_view suffix) {
    return n.size() > suffix.size() && n.ends_with(suffix);
  };
  return ends(".conf") || ends(".alias");
}

}  // namespace

Expected<ModprobeConfig> load_modprobe_config(const HostView& host) {
  std::map<std::string, std::string> chosen;  // name -> path, sorted by name; "" when masked
  for (std::string_view dir : k_modprobe_dirs) {
    auto entries = host.list_dir(dir);
    if (!entries) {
      if (entries.kind() == ErrorKind::not_found) continue;
      return entries.error();
    }
    for (const auto& e : *entries) {
      if (!is_config_name(e.name) || chosen.count(e.name)) continue;
      const std::string path = join_path(dir, e.name);
      auto st = host.stat(path);
      if (st && st->type == FileType::directory) continue;  // kmod refuses directories
      bool masked = false;
      auto lst = host.lstat(path);
      if (lst && lst->type == FileType::symlink) {
        auto target = host.read_link(path);
        masked = target && normal_path(join_path(dir, *target)) == "/dev/null";
      }
      chosen.emplace(e.name, masked ? "" : path);
    }
  }
  ModprobeConfig config;
  for (const auto& [name, path] : chosen) {
    if (path.empty()) continue;
    auto st = host.stat(path);
    if (st && st->type == FileType::char_device) continue;  // /dev/null on a live host
    auto text = host.read_file(path);
    if (!text) {
      if (text.kind() == ErrorKind::not_found) continue;  // dangling: kmod cannot open it
      return text.error();
    }
    config.files.push_back(path);
    for (auto& d : parse_modprobe_conf(*text))
      config.entries.push_back(ModprobeEntry{path, std::move(d)});
  }
  return config;
}

const ModprobeEntry* find_install(const ModprobeConfig& config, std::string_view module) {
  for (const auto& e : config.entries) {
    if (e.directive.kind != ModprobeDirective::Kind::install) continue;
    const std::string& pattern = e.directive.module;
    if (!has_glob(pattern)) {
      if (pattern == module) return &e;
      continue;
    }
    // Module names are at most 55 bytes; a longer pattern is hostile input, and fnmatch's
    // backtracking on it is not worth the risk.
    if (pattern.size() <= k_max_install_pattern && glob_match(pattern, module)) return &e;
  }
  return nullptr;
}

std::vector<const ModprobeEntry*> find_blacklists(const ModprobeConfig& config,
                                                  std::string_view module) {
  std::vector<const ModprobeEntry*> out;
  for (const auto& e : config.entries)
    if (e.directive.kind == ModprobeDirective::Kind::blacklist && e.directive.module == module)
      out.push_back(&e);
  return out;
}

bool install_disables(std::string_view command) {
  std::string_view c = trim(command);
  return c == "/bin/false" || c == "/bin/true" || c == "/usr/bin/false" || c == "/usr/bin/true";
}

}  // namespace hb
