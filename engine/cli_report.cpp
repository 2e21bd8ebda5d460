// The report formats, their options, and `hostbench report`: render saved JSON results again.
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/cli.hpp"
#include "reports/console.hpp"
#include "reports/escape.hpp"
#include "reports/html_report.hpp"
#include "reports/json_report.hpp"
#include "reports/junit_report.hpp"
#include "reports/report_file.hpp"
#include "reports/xccdf_report.hpp"

namespace hb {

namespace {

// Adding a format: its writer in reports/, its test, one row here.
constexpr ReportFormat k_formats[] = {
    {"json", "JSON results (hostbench-results/1), the source every format renders from",
     &write_json_report},
    {"xccdf", "XCCDF 1.2 results (a Benchmark with its TestResult), for SCAP tools",
     &write_xccdf_report},
    {"junit", "JUnit XML: a testsuite per profile, a testcase per rule", &write_junit_report},
    {"html", "a self-contained HTML report", &write_html_report},
};

}  // namespace

std::span<const ReportFormat> report_formats() { return k_formats; }

std::vector<OptionSpec> report_options() {
  std::vector<OptionSpec> out;
  for (const auto& f : k_formats) out.push_back({f.name, 0, true, "FILE", f.summary});
  return out;
}

int write_requested_reports(const ScanReport& report, const Args& args) {
  int rc = 0;
  for (const auto& f : k_formats) {
    auto path = args.get(f.name);
    if (!path) continue;
    std::ostringstream out;
    f.write(report, out);
    if (*path == "-") {
      std::cout << out.str() << std::flush;
      continue;
    }
    if (auto w = write_report_file(*path, out.str()); !w)
      rc = usage_error("cannot write the " + std::string(f.name) + " report: " + w.message());
  }
  return rc;
}

int cmd_report(std::span<const std::string> argv) {
  std::vector<OptionSpec> specs = report_options();
  specs.push_back({"quiet", 'q', false, "", "do not print the console report"});
  specs.push_back({"help", 'h', false, "", "show this help"});
  auto args = parse_args(argv, specs);
  if (!args) return usage_error(args.message());
  if (args->has("help")) {
    std::cout << "Usage: hostbench report RESULTS.json [--html FILE] [--json FILE] ...\n\n"
                 "Renders saved JSON results again, in any format; with the same results the\n"
                 "output equals what the scan itself wrote. Exit code 0, or 2 when the results\n"
                 "cannot be read or a report cannot be written.\n\nOptions:\n"
              << options_help(specs);
    return 0;
  }
  if (args->positional().size() != 1) return usage_error("report needs one RESULTS.json");
  const std::string& in_path = args->positional().front();
  // Capped, a regular file (or standard input), depth-checked: saved results are input too.
  auto report = load_results_file(in_path);
  if (!report) return usage_error(report.message());
  bool to_stdout = false;
  for (const auto& f : k_formats)
    if (args->get(f.name) == "-") to_stdout = true;
  if (!args->has("quiet")) write_console_report(*report, ConsoleOptions{}, to_stdout ? std::cerr : std::cout);
  return write_requested_reports(*report, *args);
}

}  // namespace hb
