// `hostbench diff OLD.json NEW.json`: what changed between two saved scans (engine/drift.hpp),
// on the console and as hostbench-drift/1 JSON or an HTML page. Also load_results_file(), the
// capped reader of saved results that `scan --baseline` uses too.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "engine/cli.hpp"
#include "engine/drift.hpp"
#include "engine/local_file.hpp"
#include "reports/console.hpp"
#include "reports/drift_console.hpp"
#include "engine/json_text.hpp"
#include "reports/drift_html.hpp"
#include "reports/drift_json.hpp"
#include "reports/json_report.hpp"
#include "reports/report_file.hpp"

namespace hb {

namespace {

// Results nest a handful of levels; anything deeper is not ours, and is refused before the
// recursive parser could exhaust the stack on it.
constexpr std::size_t k_max_results_depth = 64;

Expected<std::string> read_stdin(std::size_t cap) {
  std::string text;
  char buf[65536];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > cap)
      return make_error(ErrorKind::too_large,
                        "standard input: larger than " + std::to_string(cap) + " bytes");
  }
  if (std::cin.bad()) return make_error(ErrorKind::io, "standard input: read error");
  return text;
}

constexpr OptionSpec k_diff_options[] = {
    {"json", 0, true, "FILE",
     "write the changes as JSON (hostbench-drift/1; '-': standard output)"},
    {"html", 0, true, "FILE", "write the changes as a self-contained HTML page"},
    {"quiet", 'q', false, "", "print the counts and warnings alone"},
    {"no-color", 0, false, "", "never colour the console output (NO_COLOR is honoured too)"},
    {"help", 'h', false, "", "show this help"},
};

constexpr const char* k_diff_usage =
    "Usage: hostbench diff OLD.json NEW.json [--json FILE] [--html FILE]\n\n"
    "Compares two saved results (hostbench-results/1, as scan --json writes them) rule by rule:\n"
    "newly failing (now fail, or failing objects the older scan did not have; a waiver that\n"
    "expired counts), fixed, still failing, changed (other status changes, other evidence or\n"
    "objects), added and removed rules. Either file may be '-' (standard input).\n"
    "Exit codes: 0 nothing newly fails, 1 some rule newly fails, 2 usage error, or a results\n"
    "file that cannot be read or a report that cannot be written.";


}  // namespace

Expected<ScanReport> load_results_file(const std::string& path) {
  auto text =
      path == "-" ? read_stdin(k_max_results_bytes) : read_local_file(path, k_max_results_bytes);
  if (!text) return text.error();  // the message names the file
  const std::string name = path == "-" ? "standard input" : path;
  if (json_too_deep_at(*text, k_max_results_depth))
    return make_error(ErrorKind::parse, name + ": not hostbench results (JSON nested deeper than " +
                                            std::to_string(k_max_results_depth) + " levels)");
  auto report = read_json_report(*text);
  if (!report) return make_error(report.kind(), name + ": " + report.message());
  return report;
}

int cmd_diff(std::span<const std::string> argv) {
  auto args = parse_args(argv, k_diff_options);
  if (!args) return usage_error(args.message());
  if (args->has("help")) {
    std::cout << k_diff_usage << "\n\nOptions:\n" << options_help(k_diff_options);
    return 0;
  }
  const auto& files = args->positional();
  if (files.size() != 2)
    return usage_error("diff needs two results files, OLD.json and NEW.json (see --help)");
  if (files[0] == "-" && files[1] == "-") return usage_error("diff: only one file can be '-'");
  if (args->get("html") == "-") return usage_error("--html needs a file name");

  auto before = load_results_file(files[0]);
  if (!before) return usage_error(before.message());
  auto after = load_results_file(files[1]);
  if (!after) return usage_error(after.message());
  const Drift drift = compute_drift(*before, *after);

  // With JSON on standard output the console listing goes to standard error.
  const bool json_to_stdout = args->get("json") == "-";
  std::ostream& console = json_to_stdout ? std::cerr : std::cout;
  const char* no_color = std::getenv("NO_COLOR");
  ConsoleOptions co;
  co.quiet = args->has("quiet");
  co.color = ::isatty(json_to_stdout ? STDERR_FILENO : STDOUT_FILENO) && !args->has("no-color") &&
             !(no_color && *no_color);
  write_drift_console(drift, co, true, console);
  console.flush();

  int rc = drift.newly_failing_count() > 0 ? 1 : 0;
  if (auto path = args->get("json")) {
    std::ostringstream out;
    write_drift_json(drift, out);
    if (write_command_output("JSON drift", *path, out.str()) != 0) rc = 2;
  }
  if (auto path = args->get("html")) {
    std::ostringstream out;
    write_drift_page(drift, out);
    if (write_command_output("HTML drift", *path, out.str()) != 0) rc = 2;
  }
  return rc;
}

}  // namespace hb
