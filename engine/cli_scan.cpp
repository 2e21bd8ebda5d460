// `hostbench scan`: load and select rules, scan, write the console report and the files asked
// for, and return an exit code that follows the results.
#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <iostream>
#include <sstream>
#include <thread>

#include "checks/registry.hpp"
#include "engine/cli.hpp"
#include "engine/config.hpp"
#include "engine/drift.hpp"
#include "engine/landlock.hpp"
#include "engine/process_priority.hpp"
#include "engine/text.hpp"
#include "engine/waivers.hpp"
#include "engine/host_info.hpp"
#include "engine/profile.hpp"
#include "engine/scanner.hpp"
#include "reports/console.hpp"
#include "reports/escape.hpp"
#include "reports/history.hpp"
#include "reports/prometheus_report.hpp"
#include "reports/report_file.hpp"

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
    {"config", 0, true, "FILE", "settings from FILE (default: /etc/hostbench/config.yaml if present, or $HOSTBENCH_CONFIG)"},
    {"no-config", 0, false, "", "ignore /etc/hostbench/config.yaml"},
    {"waivers", 0, true, "FILE", "accepted failures: a waived fail is reported as waived"},
    {"output-dir", 'o', true, "DIR",
     "write HOST-UTCSTAMP.{json,html,xml,junit.xml} and latest.* links in DIR (locked)"},
    {"formats", 0, true, "LIST", "formats --output-dir writes (default: json,html,xccdf,junit)"},
    {"keep", 0, true, "N", "--output-dir keeps the newest N scans"},
    {"keep-days", 0, true, "DAYS", "--output-dir removes scans older than DAYS"},
    {"baseline", 0, true, "FILE|last",
     "compare with earlier results (last: latest.json of --output-dir) and report the drift"},
    {"only-changes", 0, false, "", "with --baseline: print nothing when nothing changed"},
    {"prometheus", 0, true, "FILE", "metrics for node_exporter's textfile collector"},
    {"syslog", 0, false, "", "log one summary line per scan to syslog (the journal)"},
    {"nice", 0, false, "", "run at the lowest CPU and idle IO priority"},
    {"timeout", 0, true, "SECONDS",
     "the whole scan's deadline: unfinished rules are notchecked, every report is still written"},
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
    "check ended in error, 4 another scan holds the --output-dir lock.\n"
    "Settings come from /etc/hostbench/config.yaml when it exists (--config, --no-config);\n"
    "options given on the command line win.";

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

// Exit code of a scan that found its --output-dir locked by another.
constexpr int k_exit_locked = 4;

// The file name suffix of a format in --output-dir.
std::string history_suffix(std::string_view format) {
  if (format == "xccdf") return ".xml";
  if (format == "junit") return ".junit.xml";
  return "." + std::string(format);
}

// --syslog: one line per scan, warning when something failed or could not be checked.
void log_scan_summary(const ScanReport& report, int rc, const std::optional<std::string>& output_dir) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(report.meta.finished -
                                                                  report.meta.started).count();
  std::string line = "scan of " + report.meta.hostname + " (root " + report.meta.root + "): " +
                     summary_line(report.summary) + "; " + std::to_string(ms) + " ms; exit " +
                     std::to_string(rc);
  if (report.waivers)
    line += "; waivers " + std::to_string(report.waivers->applied) + " applied, " +
            std::to_string(report.waivers->expired.size()) + " expired";
  if (output_dir) line += "; reports in " + *output_dir;
  line = terminal_safe(line);  // no control characters from host text in the log
  ::openlog("hostbench", LOG_PID, LOG_DAEMON);
  ::syslog(rc == 0 ? LOG_INFO : LOG_WARNING, "%s", line.c_str());
  ::closelog();
}

std::optional<long> parse_positive(const std::string& s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  long v = std::stol(s);
  return v > 0 ? std::optional<long>(v) : std::nullopt;
}

}  // namespace

int cmd_scan(std::span<const std::string> argv_in) {
  auto cli_args = parse_args(argv_in, scan_options());
  if (!cli_args) return usage_error(cli_args.message());
  if (cli_args->has("help")) {
    std::cout << k_scan_usage << "\n\nOptions:\n" << options_help(scan_options());
    return 0;
  }
  if (!cli_args->positional().empty())
    return usage_error("unexpected argument '" + cli_args->positional().front() + "'");

  // The config file: its settings become options placed before the command line's, so a flag
  // given on the command line wins and every value is checked as the flag would be.
  std::map<std::string, std::string> from_config;  // option -> file:line:col, for errors
  std::vector<std::string> argv_merged;
  std::string config_file;
  {
    std::optional<std::string> config_path = cli_args->get("config");
    if (!config_path && !cli_args->has("no-config")) {
      const std::string fallback = default_config_path();
      if (::access(fallback.c_str(), F_OK) == 0) config_path = fallback;
    }
    if (config_path) {
      auto config = load_config(*config_path);
      if (!config) return usage_error(config.message());
      config_file = *config_path;
      std::set<std::string> cli_vars;
      for (const auto& v : cli_args->all("var")) cli_vars.insert(v.substr(0, v.find('=')));
      for (const auto& o : config->options) {
        if (o.name == "var" ? cli_vars.count(o.value.substr(0, o.value.find('='))) > 0
                            : cli_args->has(o.name))
          continue;
        const bool flag = std::any_of(scan_options().begin(), scan_options().end(),
                                      [&](const OptionSpec& sp) { return sp.name == o.name && !sp.takes_value; });
        argv_merged.push_back("--" + o.name);
        if (!flag) argv_merged.push_back(o.value);
        from_config.emplace(o.name, o.where);
      }
    }
  }
  argv_merged.insert(argv_merged.end(), argv_in.begin(), argv_in.end());
  auto args = parse_args(argv_merged, scan_options());
  if (!args) return usage_error(args.message());
  // An error about a value: names the config file's line when the value came from there.
  auto bad = [&](const std::string& option, const std::string& message) {
    auto it = from_config.find(option);
    return usage_error(it == from_config.end() ? message : it->second + ": " + message);
  };

  // Options, all checked before anything is read.
  Severity fail_on = Severity::info;
  if (auto f = args->get("fail-on")) {
    auto sv = parse_severity(*f);
    if (!sv) return bad("fail-on", "--fail-on " + *f + ": expected info, low, medium, high or critical");
    fail_on = *sv;
  }
  ScanOptions so;
  if (auto j = args->get("jobs")) {
    auto v = parse_positive(*j);
    if (!v || *v > 1024) return bad("jobs", "--jobs " + *j + ": expected a number from 1 to 1024");
    so.jobs = static_cast<unsigned>(*v);
  }
  if (auto t = args->get("rule-timeout")) {
    auto v = parse_positive(*t);
    if (!v || *v > 86400) return bad("rule-timeout", "--rule-timeout " + *t + ": expected seconds (1 to 86400)");
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
      return bad("docker", "--docker " + *d + ": expected auto, api or disk");
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
  if (auto t = args->get("timeout")) {
    auto v = parse_positive(*t);
    if (!v || *v > 86400) return bad("timeout", "--timeout " + *t + ": expected seconds (1 to 86400)");
    so.scan_timeout = std::chrono::seconds(*v);
  }
  std::optional<WaiverSet> waivers;
  if (auto w = args->get("waivers")) {
    auto loaded_waivers = load_waivers(*w);
    if (!loaded_waivers) return bad("waivers", loaded_waivers.message());
    waivers = std::move(*loaded_waivers);
  }
  // --output-dir and its companions.
  const std::optional<std::string> output_dir = args->get("output-dir");
  std::vector<const ReportFormat*> history_formats;
  Retention retention;
  {
    std::string list = args->get("formats").value_or("json,html,xccdf,junit");
    for (auto name : split(list, ',')) {
      name = trim(name);
      const ReportFormat* found = nullptr;
      for (const auto& f : report_formats())
        if (f.name == name) found = &f;
      if (!found) return bad("formats", "--formats " + list + ": '" + std::string(name) +
                                             "' is not one of json, html, xccdf, junit");
      if (std::find(history_formats.begin(), history_formats.end(), found) == history_formats.end())
        history_formats.push_back(found);
    }
    if (history_formats.empty()) return bad("formats", "--formats: no format named");
    if (auto k = args->get("keep")) {
      auto v = parse_positive(*k);
      if (!v) return bad("keep", "--keep " + *k + ": expected a number of scans (1 or more)");
      retention.keep = *v;
    }
    if (auto k = args->get("keep-days")) {
      auto v = parse_positive(*k);
      if (!v || *v > 36500) return bad("keep-days", "--keep-days " + *k + ": expected a number of days");
      retention.keep_days = *v;
    }
    for (const char* o : {"formats", "keep", "keep-days"})
      if (args->has(o) && !output_dir) return bad(o, std::string("--") + o + " needs --output-dir");
  }
  const std::optional<std::string> prometheus = args->get("prometheus");
  const std::optional<std::string> baseline_arg = args->get("baseline");
  if (baseline_arg == "last" && !output_dir)
    return bad("baseline", "--baseline last needs --output-dir (its latest.json is the last scan)");
  const bool only_changes = args->has("only-changes");
  if (only_changes && !baseline_arg) return bad("only-changes", "--only-changes needs --baseline");
  if (args->has("nice"))
    if (auto n = lower_priority(); !n) std::cerr << "hostbench: warning: --nice: " << n.message() << "\n";
  LoadOptions lo;
  for (const auto& v : args->all("var")) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) return bad("var", "--var " + v + ": expected NAME=VALUE");
    lo.var_overrides.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  }
  const std::string root = args->get("root").value_or("/");
  bool report_to_stdout = false;
  for (const auto& f : report_formats())
    if (args->get(f.name) == "-") report_to_stdout = true;

  auto names = args->all("profile");
  if (names.empty()) names = {"default"};
  auto loaded = load_profiles(names, probe_kinds(), lo);
  if (!loaded)
    return usage_error(loaded.message() + (from_config.count("profile") || from_config.count("var")
                                               ? " (profiles and vars set in " + config_file + ")"
                                               : ""));
  auto set = std::make_shared<const ProfileSet>(std::move(loaded.value()));
  Selection sel{args->all("check"), args->all("skip"), args->all("tag")};
  auto rules = select_rules(*set, sel);
  if (!rules) return usage_error(rules.message());

  auto host = open_host_view(root, max_read);
  if (!host) return usage_error(host.message());
  std::shared_ptr<const HostView> view(std::move(host.value()));
  std::shared_ptr<const CommandRunner> runner(make_process_runner());

  // The output directory is locked before anything is scanned: two runs never interleave, and
  // the second one says who holds the directory and exits with its own code.
  DirLock dir_lock;
  if (output_dir) {
    auto lock = lock_output_dir(*output_dir);
    if (!lock) return bad("output-dir", "--output-dir: " + lock.message());
    if (lock->busy) {
      std::cerr << "hostbench: another scan" << (lock->holder.empty() ? "" : " (" + lock->holder + ")")
                << " is writing to " << *output_dir << "; not scanning\n";
      return k_exit_locked;
    }
    dir_lock = std::move(*lock);
  }
  // Landlock: from here on this process, its threads and commands write only beneath the report
  // directories (and /dev/null); nothing happens where the kernel lacks Landlock.
  if (write_confinement()) {
    std::vector<std::string> writable;
    for (const auto& f : report_formats())
      if (auto p = args->get(f.name); p && *p != "-") writable.push_back(report_dir_of(*p));
    if (prometheus) writable.push_back(report_dir_of(*prometheus));
    if (output_dir) writable.push_back(*output_dir);
    if (auto confined = restrict_writes_to(writable); !confined)
      std::cerr << "hostbench: warning: Landlock: " << confined.message() << "\n";
  }
  // The baseline, read under the lock (latest.json cannot move meanwhile). "last" without an
  // earlier scan is the first scan: no drift, and --only-changes prints it in full.
  std::optional<ScanReport> baseline;
  if (baseline_arg) {
    std::string path = *baseline_arg;
    if (path == "last") path = *output_dir + "/latest.json";
    if (*baseline_arg != "last" || ::access(path.c_str(), F_OK) == 0) {
      auto loaded_baseline = load_results_file(path);
      if (!loaded_baseline) return bad("baseline", "--baseline: " + loaded_baseline.message());
      baseline = std::move(*loaded_baseline);
    }
  }

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
  if (waivers) report.waivers = apply_waivers(*waivers, report.results, report.meta.started);
  report.summary = compute_summary(report.results);
  if (baseline) report.drift = compute_drift(*baseline, report);

  int rc = exit_code_for(report, fail_on);
  // With a report on standard output the console report goes to standard error.
  std::ostream& console = report_to_stdout ? std::cerr : std::cout;
  const bool tty = ::isatty(report_to_stdout ? STDERR_FILENO : STDOUT_FILENO);
  const char* no_color = std::getenv("NO_COLOR");
  ConsoleOptions co;
  co.quiet = quiet;
  co.color = tty && !args->has("no-color") && !(no_color && *no_color);
  // --only-changes: silence when the baseline shows no change (cron mails only on change).
  if (!(only_changes && report.drift && !report.drift->has_changes()))
    write_console_report(report, co, console);

  if (args->has("timings")) write_timings(report.results, run.source_us, 10, std::cerr);
  if (write_requested_reports(report, *args) != 0) rc = 2;
  if (output_dir) {
    std::vector<HistoryFile> files;
    for (const ReportFormat* f : history_formats) {
      std::ostringstream out;
      f->write(report, out);
      files.push_back({history_suffix(f->name), out.str()});
    }
    auto written = write_history(*output_dir, history_stem(report.meta.hostname, report.meta.started), files);
    if (!written) {
      rc = usage_error("--output-dir: " + written.message());
    } else if (auto pruned = prune_history(*output_dir, history_host(report.meta.hostname), retention,
                                           report.meta.started);
               !pruned) {
      rc = usage_error("--output-dir: retention: " + pruned.message());
    }
  }
  if (prometheus) {
    std::ostringstream out;
    write_prometheus_report(report, out);
    if (auto w = write_report_file(*prometheus, out.str(), 0644); !w)
      rc = usage_error("cannot write the metrics: " + w.message());
  }
  if (args->has("syslog")) log_scan_summary(report, rc, output_dir);
  std::cout.flush();
  std::cerr.flush();
  if (run.abandoned > 0) std::_Exit(rc);  // a stuck probe thread must not hold the exit
  return rc;
}

}  // namespace hb
