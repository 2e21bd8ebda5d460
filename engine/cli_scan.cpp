// `hostbench scan`: load and select rules, scan, write the console report and the files asked
// for, and return an exit code that follows the results.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <iostream>
#include <sstream>
#include <thread>

#include "checks/registry.hpp"
#include "engine/cli.hpp"
#include "engine/host_info.hpp"
#include "engine/profile.hpp"
#include "engine/scanner.hpp"
#include "reports/console.hpp"
#include "reports/escape.hpp"

namespace hb {

namespace {

constexpr OptionSpec k_scan_base_options[] = {
    {"profile", 'p', true, "NAME", "profile to scan with (repeatable; default: default)"},
    {"root", 'r', true, "DIR", "scan the host mounted at DIR (default: /, the running host)"},
    {"check", 'c', true, "ID", "only rules whose id matches (glob; repeatable)"},
    {"skip", 's', true, "ID", "leave out rules whose id matches (glob; repeatable)"},
    {"tag", 't', true, "TAG", "only rules with this tag (repeatable: any of them)"},
    {"var", 0, true, "NAME=VALUE", "override a profile variable (VALUE is YAML: 5, [22,443])"},
    {"jobs", 'j', true, "N", "rules run in parallel (default: the number of cores)"},
    {"fail-on", 0, true, "SEVERITY", "exit 1 only for failures at or above SEVERITY (default: info)"},
    {"quiet", 'q', false, "", "print the summary line alone"},
    {"no-color", 0, false, "", "never colour the console output (NO_COLOR is honoured too)"},
    {"timings", 0, false, "", "print the slowest rules and sources on standard error"},
    {"max-read", 0, true, "BYTES", "largest file read whole (default: 4194304)"},
    {"rule-timeout", 0, true, "SECONDS", "give up on a rule after this long (default: 60)"},
    {"dockerfile", 0, true, "PATH",
     "a Dockerfile to check, or a directory searched for them (repeatable)"},
    {"docker", 0, true, "MODE",
     "containers and images from: auto (the Engine API, else disk), api or disk"},
    {"help", 'h', false, "", "show this help"},
};

const std::vector<OptionSpec>& scan_options() {
  static const std::vector<OptionSpec> options = [] {
    std::vector<OptionSpec> o(std::begin(k_scan_base_options), std::end(k_scan_base_options));
    auto formats = report_options();
    o.insert(o.end() - 1, formats.begin(), formats.end());
    return o;
  }();
  return options;
}

constexpr const char* k_scan_usage =
    "Usage: hostbench scan [--profile NAME]... [--root DIR] [--json FILE] [OPTIONS]\n\n"
    "Audits the host against the profiles and prints one line per rule and a summary.\n"
    "Exit codes: 0 no failure at or above --fail-on, 1 a check failed, 2 usage, profile or\n"
    "I/O error (nothing scanned, or a report could not be written), 3 no failure but some\n"
    "check ended in error.";

// Times are kept to the millisecond, the precision of the reports: a report rendered again from
// JSON then has the same duration to the byte.
SystemTime now_ms() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// A Dockerfile by name: Dockerfile, NAME.Dockerfile, Dockerfile.NAME (as docker build -f users
// name them).
bool is_dockerfile_name(const std::string& name) {
  return name == "Dockerfile" || name.starts_with("Dockerfile.") || name.ends_with(".Dockerfile");
}

// --dockerfile PATH: a file as is; a directory searched (without following symlinks, skipping
// .git and node_modules) for Dockerfile names. Sorted, each once; an error names what is wrong.
Expected<std::vector<std::string>> expand_dockerfiles(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  constexpr std::size_t k_max_files = 10'000;
  std::set<std::string> found;
  for (const auto& p : paths) {
    std::error_code ec;
    const auto st = fs::status(p, ec);
    if (ec || !fs::exists(st))
      return make_error(ErrorKind::not_found, "--dockerfile " + p + ": no such file or directory");
    if (fs::is_regular_file(st)) {
      found.insert(fs::absolute(p).lexically_normal().string());
      continue;
    }
    if (!fs::is_directory(st))
      return make_error(ErrorKind::invalid, "--dockerfile " + p + ": not a file or directory");
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const auto name = it->path().filename().string();
      if (it->is_directory(ec) && !it->is_symlink(ec) && (name == ".git" || name == "node_modules")) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && !it->is_symlink(ec) && is_dockerfile_name(name))
        found.insert(fs::absolute(it->path()).lexically_normal().string());
      if (found.size() > k_max_files)
        return make_error(ErrorKind::too_large, "--dockerfile " + p + ": more than " +
                                                    std::to_string(k_max_files) + " Dockerfiles");
    }
    if (ec) return make_error(ErrorKind::io, "--dockerfile " + p + ": " + ec.message());
  }
  return std::vector<std::string>(found.begin(), found.end());
}

std::optional<long> parse_positive(const std::string& s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  long v = std::stol(s);
  return v > 0 ? std::optional<long>(v) : std::nullopt;
}

}  // namespace

int cmd_scan(std::span<const std::string> argv) {
  auto args = parse_args(argv, scan_options());
  if (!args) return usage_error(args.message());
  if (args->has("help")) {
    std::cout << k_scan_usage << "\n\nOptions:\n" << options_help(scan_options());
    return 0;
  }
  if (!args->positional().empty())
    return usage_error("unexpected argument '" + args->positional().front() + "'");

  // Options, all checked before anything is read.
  Severity fail_on = Severity::info;
  if (auto f = args->get("fail-on")) {
    auto sv = parse_severity(*f);
    if (!sv) return usage_error("--fail-on " + *f + ": expected info, low, medium, high or critical");
    fail_on = *sv;
  }
  ScanOptions so;
  if (auto j = args->get("jobs")) {
    auto v = parse_positive(*j);
    if (!v || *v > 1024) return usage_error("--jobs " + *j + ": expected a number from 1 to 1024");
    so.jobs = static_cast<unsigned>(*v);
  }
  if (auto t = args->get("rule-timeout")) {
    auto v = parse_positive(*t);
    if (!v || *v > 86400) return usage_error("--rule-timeout " + *t + ": expected seconds (1 to 86400)");
    so.rule_timeout = std::chrono::seconds(*v);
  }
  if (auto d = args->get("docker")) {
    if (*d == "auto")
      so.docker.mode = DockerAccess::Mode::automatic;
    else if (*d == "api")
      so.docker.mode = DockerAccess::Mode::api;
    else if (*d == "disk")
      so.docker.mode = DockerAccess::Mode::disk;
    else
      return usage_error("--docker " + *d + ": expected auto, api or disk");
  }
  if (const char* dh = std::getenv("DOCKER_HOST")) so.docker.host = dh;
  if (args->has("dockerfile")) {
    auto files = expand_dockerfiles(args->all("dockerfile"));
    if (!files) return usage_error(files.message());
    so.dockerfiles = std::move(*files);
  }
  std::size_t max_read = k_default_max_read;
  if (auto m = args->get("max-read")) {
    auto v = parse_positive(*m);
    if (!v || *v > (1L << 34)) return usage_error("--max-read " + *m + ": expected a number of bytes");
    max_read = static_cast<std::size_t>(*v);
  }
  LoadOptions lo;
  for (const auto& v : args->all("var")) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error("--var " + v + ": expected NAME=VALUE");
    lo.var_overrides.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  }
  const std::string root = args->get("root").value_or("/");
  bool report_to_stdout = false;
  for (const auto& f : report_formats())
    if (args->get(f.name) == "-") report_to_stdout = true;

  auto names = args->all("profile");
  if (names.empty()) names = {"default"};
  auto loaded = load_profiles(names, probe_kinds(), lo);
  if (!loaded) return usage_error(loaded.message());
  auto set = std::make_shared<const ProfileSet>(std::move(loaded.value()));
  Selection sel{args->all("check"), args->all("skip"), args->all("tag")};
  auto rules = select_rules(*set, sel);
  if (!rules) return usage_error(rules.message());

  auto host = open_host_view(root, max_read);
  if (!host) return usage_error(host.message());
  std::shared_ptr<const HostView> view(std::move(host.value()));
  std::shared_ptr<const CommandRunner> runner(make_process_runner());

  ScanReport report;
  report.meta.version = HOSTBENCH_VERSION;
  report.meta.root = view->root();
  HostInfo info = read_host_info(*view);
  report.meta.hostname = info.hostname;
  report.meta.os = info.os;
  report.meta.kernel = info.kernel;
  report.meta.virtualization = info.virtualization;
  report.meta.container_optimized_os = info.container_optimized_os;
  report.meta.addresses = info.addresses;
  report.meta.user = current_user();
  for (const auto& p : set->profiles) {
    bool requested = std::find(set->requested.begin(), set->requested.end(), p.id) !=
                     set->requested.end();
    std::vector<std::string> parents;
    for (const auto& name : p.extends)  // names as written; the loaded profile's id is wanted
      for (const auto& q : set->profiles)
        if (q.id == name || q.file.ends_with("/" + name + ".yaml") || q.file.ends_with("/" + name + ".yml"))
          parents.push_back(q.id);
    report.meta.profiles.push_back({p.id, p.title, p.version, p.description, requested, parents});
  }
  report.meta.jobs = so.jobs ? so.jobs : std::max(1u, std::thread::hardware_concurrency());

  const bool quiet = args->has("quiet");
  const bool progress = !quiet && ::isatty(STDERR_FILENO);
  if (progress) {
    so.progress = [](std::size_t done, std::size_t total, const RuleResult& r) {
      std::cerr << "\r\033[K[" << done << "/" << total << "] " << r.meta.id << std::flush;
    };
  }
  report.meta.started = now_ms();
  so.now = report.meta.started;
  ScanRun run = run_scan(set, *rules, view, runner, so);
  report.meta.finished = now_ms();
  if (progress) std::cerr << "\r\033[K" << std::flush;
  report.results = std::move(run.results);
  report.summary = compute_summary(report.results);

  int rc = exit_code_for(report, fail_on);
  // With a report on standard output the console report goes to standard error.
  std::ostream& console = report_to_stdout ? std::cerr : std::cout;
  const bool tty = ::isatty(report_to_stdout ? STDERR_FILENO : STDOUT_FILENO);
  const char* no_color = std::getenv("NO_COLOR");
  ConsoleOptions co;
  co.quiet = quiet;
  co.color = tty && !args->has("no-color") && !(no_color && *no_color);
  write_console_report(report, co, console);

  if (args->has("timings")) write_timings(report.results, run.source_us, 10, std::cerr);
  if (write_requested_reports(report, *args) != 0) rc = 2;
  std::cout.flush();
  std::cerr.flush();
  if (run.abandoned > 0) std::_Exit(rc);  // a stuck probe thread must not hold the exit
  return rc;
}

}  // namespace hb
