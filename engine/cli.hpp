// The command line: a table of {name, summary, function} (cli.cpp), one function per command.
// Every command returns the process exit code: 0 ok, 1 a check failed, 2 usage/profile/I-O
// error, 3 no failure but some check ended in error.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/report.hpp"

namespace hb {

int cli_main(int argc, char** argv);

// A small option parser shared by the commands: --name value, --name=value, and short aliases.
struct OptionSpec {
  std::string_view name;   // "profile"
  char short_name;         // 'p', or 0
  bool takes_value;
  std::string_view value_name;  // "NAME", for --help
  std::string_view help;
};

class Args {
 public:
  bool has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  std::optional<std::string> get(std::string_view name) const;  // the last value given
  std::vector<std::string> all(std::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend Expected<Args> parse_args(std::span<const std::string>, std::span<const OptionSpec>);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

Expected<Args> parse_args(std::span<const std::string> argv, std::span<const OptionSpec> specs);
std::string options_help(std::span<const OptionSpec> specs);

// Report formats: one row each in cli_report.cpp. Each gives `--NAME FILE` to scan and report.
struct ReportFormat {
  std::string_view name;  // "json": the option --json
  std::string_view summary;
  void (*write)(const ScanReport& report, std::ostream& out);
};
std::span<const ReportFormat> report_formats();
// The --FORMAT FILE options of every format, for a command's option list.
std::vector<OptionSpec> report_options();
// Writes every format the args name ("-" is standard output). Returns 0, or 2 after printing
// what could not be written.
int write_requested_reports(const ScanReport& report, const Args& args);

// Commands (cli_scan.cpp, cli_report.cpp and cli.cpp).
int cmd_report(std::span<const std::string> args);
int cmd_scan(std::span<const std::string> args);
int cmd_list(std::span<const std::string> args);
int cmd_validate(std::span<const std::string> args);
int cmd_profiles(std::span<const std::string> args);
int cmd_diff(std::span<const std::string> args);  // cli_diff.cpp
int cmd_merge(std::span<const std::string> args);  // cli_merge.cpp

// Saved results (hostbench-results/1) from a file, or from standard input for "-": a regular
// file of at most k_max_results_bytes, parsed by read_json_report. Errors name the file and what
// is wrong ("old.json: not hostbench results ...", "x.json: larger than 268435456 bytes").
inline constexpr std::size_t k_max_results_bytes = std::size_t{256} << 20;
Expected<ScanReport> load_results_file(const std::string& path);

// Whether `scan` confines the process's writes with Landlock (engine/landlock.hpp) before it
// scans. cli_main() (the real binary) turns it on; in-process callers such as the unit tests,
// which go on running after a scan, leave it off. Landlock cannot be undone in a process.
void set_write_confinement(bool on);
bool write_confinement();

// Writes a command's output file (`diff`, `merge`): `content` to `path` through
// write_report_file, or to standard output for "-". Returns 0, or 2 after saying what failed
// ("cannot write the WHAT: ...").
int write_command_output(const std::string& what, const std::string& path, const std::string& content);

// Prints "hostbench: error: MESSAGE" on stderr and returns 2.
int usage_error(const std::string& message);

}  // namespace hb
