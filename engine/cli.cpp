#include "engine/cli.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>

#include "checks/registry.hpp"
#include "engine/profile.hpp"
#include "engine/text.hpp"
#include "reports/escape.hpp"
#include "reports/report_file.hpp"

namespace hb {

std::optional<std::string> Args::get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

Expected<Args> parse_args(std::span<const std::string> argv, std::span<const OptionSpec> specs) {
  Args args;
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a == "-" || a.empty() || a[0] != '-') {
      args.positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    if (starts_with(a, "--")) {
      std::string name = a.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
      for (const auto& s : specs)
        if (s.name == name) spec = &s;
    } else if (a.size() == 2) {
      for (const auto& s : specs)
        if (s.short_name == a[1]) spec = &s;
    }
    if (spec == nullptr) return make_error(ErrorKind::invalid, "unknown option '" + a + "'");
    std::string key(spec->name);
    if (!spec->takes_value) {
      if (inline_value) return make_error(ErrorKind::invalid, "--" + key + " takes no value");
      args.values_[key].push_back("");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argv.size())
        return make_error(ErrorKind::invalid, "--" + key + " needs a value (" +
                                                  std::string(spec->value_name) + ")");
      inline_value = argv[++i];
    }
    args.values_[key].push_back(*inline_value);
  }
  return args;
}

std::string options_help(std::span<const OptionSpec> specs) {
  std::string out;
  for (const auto& s : specs) {
    std::string left = "  ";
    left += s.short_name ? std::string("-") + s.short_name + ", " : "    ";
    left += "--" + std::string(s.name);
    if (s.takes_value) left += " " + std::string(s.value_name);
    if (left.size() < 30) left.append(30 - left.size(), ' ');
    else left += "\n" + std::string(30, ' ');
    out += left + std::string(s.help) + "\n";
  }
  return out;
}

int write_command_output(const std::string& what, const std::string& path, const std::string& content) {
  if (path == "-") {
    std::cout << content << std::flush;
    return 0;
  }
  if (auto w = write_report_file(path, content); !w)
    return usage_error("cannot write the " + what + ": " + w.message());
  return 0;
}

int usage_error(const std::string& message) {
  std::cerr << "hostbench: error: " << terminal_safe(message) << "\n";
  return 2;
}

namespace {

constexpr OptionSpec k_list_options[] = {
    {"profile", 'p', true, "NAME", "profile to list (repeatable; default: default)"},
    {"var", 0, true, "NAME=VALUE", "override a profile variable"},
    {"help", 'h', false, "", "show this help"},
};

int help_for(const char* usage, std::span<const OptionSpec> specs) {
  std::cout << usage << "\n\nOptions:\n" << options_help(specs);
  return 0;
}

}  // namespace

int cmd_list(std::span<const std::string> argv) {
  auto args = parse_args(argv, k_list_options);
  if (!args) return usage_error(args.message());
  if (args->has("help"))
    return help_for("Usage: hostbench list [--profile NAME]...\n\nLists the rules of the "
                    "profiles: id, severity, title and references.",
                    k_list_options);
  if (!args->positional().empty()) return usage_error("list takes no arguments");
  auto names = args->all("profile");
  if (names.empty()) names = {"default"};
  LoadOptions lo;
  for (const auto& v : args->all("var")) {
    auto eq = v.find('=');
    if (eq == std::string::npos) return usage_error("--var " + v + ": expected NAME=VALUE");
    lo.var_overrides.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  }
  auto set = load_profiles(names, probe_kinds(), lo);
  if (!set) return usage_error(set.message());
  std::size_t w = 10;
  for (const auto& r : set->rules) w = std::max(w, r.meta.id.size());
  for (const auto& r : set->rules) {
    std::string refs;
    for (const auto& [k, v] : r.meta.references) refs += (refs.empty() ? "" : " ") + k + ":" + v;
    std::string id = r.meta.id;
    id.append(w - id.size(), ' ');
    std::string sev(to_string(r.meta.severity));
    sev.append(9 - sev.size(), ' ');
    std::cout << id << "  " << sev << terminal_safe(r.meta.title);
    if (!refs.empty()) std::cout << "  [" << terminal_safe(refs) << "]";
    std::cout << "\n";
  }
  return 0;
}

int cmd_validate(std::span<const std::string> argv) {
  constexpr OptionSpec specs[] = {{"help", 'h', false, "", "show this help"}};
  auto args = parse_args(argv, specs);
  if (!args) return usage_error(args.message());
  if (args->has("help"))
    return help_for("Usage: hostbench validate FILE...\n\nLoads each profile (with its "
                    "parents) and reports the first error, as file:line:column.",
                    specs);
  if (args->positional().empty()) return usage_error("validate needs at least one FILE");
  int rc = 0;
  for (const auto& file : args->positional()) {
    auto set = load_profiles({file}, probe_kinds(), LoadOptions{});
    if (!set) {
      std::cerr << terminal_safe(set.message()) << "\n";
      rc = 2;
      continue;
    }
    std::cout << terminal_safe(file) << ": ok, " << set->rules.size() << " rules\n";
  }
  return rc;
}

int cmd_profiles(std::span<const std::string> argv) {
  constexpr OptionSpec specs[] = {{"help", 'h', false, "", "show this help"}};
  auto args = parse_args(argv, specs);
  if (!args) return usage_error(args.message());
  if (args->has("help"))
    return help_for("Usage: hostbench profiles\n\nLists the profiles found in ./profiles, "
                    "/usr/share/hostbench/profiles and $HOSTBENCH_PROFILE_PATH.",
                    specs);
  auto dirs = default_profile_dirs();
  auto found = list_profiles(dirs);
  if (found.empty()) {
    std::cerr << "no profiles found in:";
    for (const auto& d : dirs) std::cerr << " " << terminal_safe(d);
    std::cerr << "\n";
    return 2;
  }
  for (const auto& [name, file] : found) {
    auto set = load_profiles({file}, probe_kinds(), LoadOptions{});
    std::string n = name;
    if (n.size() < 12) n.append(12 - n.size(), ' ');
    if (!set) {
      std::cout << n << "  (invalid) " << terminal_safe(file) << "\n";
      continue;
    }
    const ProfileInfo& p = set->profiles.back();
    std::cout << n << "  " << terminal_safe(p.version) << "  " << set->rules.size() << " rules  "
              << terminal_safe(p.title) << "  (" << terminal_safe(file) << ")\n";
  }
  return 0;
}

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string>);
};

constexpr Command k_commands[] = {
    {"scan", "audit this host (or --root DIR) against profiles and write reports", &cmd_scan},
    {"list", "list the rules of profiles", &cmd_list},
    {"validate", "check profile files for errors", &cmd_validate},
    {"profiles", "list the profiles that can be named with --profile", &cmd_profiles},
    {"report", "render saved JSON results again, in any format", &cmd_report},
    {"diff", "compare two saved JSON results: what newly fails, what was fixed", &cmd_diff},
    {"merge", "merge many hosts' saved results into one fleet report (HTML, JSON)", &cmd_merge},
};

int general_help() {
  std::cout << "hostbench " << HOSTBENCH_VERSION
            << ": audits a Linux host against CIS-style benchmarks.\n\n"
               "Usage: hostbench COMMAND [OPTIONS]\n\nCommands:\n";
  for (const auto& c : k_commands) {
    std::string n(c.name);
    n.append(12 - n.size(), ' ');
    std::cout << "  " << n << c.summary << "\n";
  }
  std::cout << "\n'hostbench COMMAND --help' describes a command's options.\n"
               "Exit codes: 0 no failure, 1 a check failed, 2 usage/profile/I-O error, "
               "3 no failure but some check ended in error.\n";
  return 0;
}

}  // namespace

namespace {
std::atomic<bool> g_write_confinement{false};
}  // namespace

void set_write_confinement(bool on) { g_write_confinement = on; }
bool write_confinement() { return g_write_confinement; }

int cli_main(int argc, char** argv) {
  set_write_confinement(true);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    general_help();
    return 2;
  }
  const std::string& cmd = args.front();
  if (cmd == "--help" || cmd == "-h" || cmd == "help") return general_help();
  if (cmd == "--version" || cmd == "version") {
    std::cout << "hostbench " << HOSTBENCH_VERSION << "\n";
    return 0;
  }
  for (const auto& c : k_commands)
    if (c.name == cmd) return c.run(std::span<const std::string>(args).subspan(1));
  return usage_error("unknown command '" + cmd + "' (see hostbench --help)");
}

}  // namespace hb
