// `hostbench merge RESULTS...`: many hosts' saved results (engine/fleet.hpp) as one fleet
// report: a console summary, --json (hostbench-fleet/1) and --html (reports/fleet_html.hpp).
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <system_error>

#include "engine/cli.hpp"
#include "engine/fleet.hpp"
#include "reports/escape.hpp"
#include "reports/fleet_html.hpp"
#include "reports/fleet_json.hpp"
#include "reports/report_file.hpp"

namespace hb {

namespace {

namespace fs = std::filesystem;

constexpr OptionSpec k_merge_options[] = {
    {"html", 0, true, "FILE", "write the fleet report as a self-contained HTML page"},
    {"json", 0, true, "FILE", "write the fleet as JSON (hostbench-fleet/1; '-': standard output)"},
    {"max-age-hours", 0, true, "HOURS",
     "flag hosts whose results are older than this as stale (default: 48)"},
    {"jobs", 'j', true, "N", "files read in parallel (default: the number of cores)"},
    {"quiet", 'q', false, "", "print the summary line alone"},
    {"help", 'h', false, "", "show this help"},
};

constexpr const char* k_merge_usage =
    "Usage: hostbench merge RESULTS... [--html FILE] [--json FILE] [--max-age-hours H]\n\n"
    "Merges saved results of many hosts (hostbench-results/1, as scan --json writes them) into\n"
    "one fleet report: per host its score, counts, profiles, scan time and staleness; per rule\n"
    "how many hosts fail it and which; a host x rule matrix of the failing rules, worst hosts and\n"
    "most failed rules first; links to each host's own report (HOST.html next to HOST.json).\n"
    "A directory stands for the *.json files in it (not hidden ones, not the --json output).\n"
    "A file that is not valid results is reported and left out; the merge goes on.\n"
    "Exit codes: 0 every file merged, 3 some file was left out (the reports are still written),\n"
    "2 usage error, no results to merge, or a report that cannot be written.";

// RESULTS arguments: files as given; a directory's *.json files sorted by name, leaving out
// hidden files and the merge's own JSON output.
Expected<std::vector<std::string>> expand_inputs(const std::vector<std::string>& args,
                                                 const std::optional<std::string>& json_out) {
  std::vector<std::string> files;
  for (const auto& a : args) {
    std::error_code ec;
    if (!fs::is_directory(a, ec)) {
      files.push_back(a);
      continue;
    }
    std::vector<std::string> found;
    for (fs::directory_iterator it(a, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.' || name.size() < 6 ||
          name.compare(name.size() - 5, 5, ".json") != 0)
        continue;
      std::error_code ec2;
      if (!it->is_regular_file(ec2)) continue;
      if (json_out && *json_out != "-" && fs::equivalent(it->path(), *json_out, ec2)) continue;
      found.push_back(it->path().string());
    }
    if (ec) return make_error(ErrorKind::io, a + ": " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

// Each host's own HTML report as a link relative to the fleet page's directory ("" when the
// relative path exists).
void link_host_reports(Fleet& fleet, const std::string& html_out) {
  std::error_code ec;
  fs::path base = fs::weakly_canonical(fs::absolute(html_out, ec), ec).parent_path();
  for (auto& h : fleet.hosts) {
    if (h.report_html.empty()) continue;
    std::error_code e2;
    fs::path target = fs::weakly_canonical(fs::absolute(h.report_html, e2), e2);
    fs::path rel = e2 ? fs::path() : target.lexically_relative(base);
    // fleet_report_href percent-encodes it for the href.
    h.report_html = rel.empty() ? std::string() : rel.generic_string();
  }
}


void print_summary(const Fleet& fleet, bool quiet, std::ostream& out) {
  int skipped = 0;
  for (const auto& p : fleet.problems) skipped += p.skipped ? 1 : 0;
  out << "fleet: " << fleet.hosts.size() << " hosts from " << fleet.files_given << " files";
  if (skipped) out << " (" << skipped << " left out)";
  out << ": " << fleet.hosts_failing() << " failing, " << fleet.hosts_stale() << " stale (older than "
      << fleet.max_age_hours << " h); " << fleet.rules.size() << " rules\n";
  if (quiet) return;
  std::size_t shown = 0;
  for (const auto& r : fleet.rules) {
    if (r.count(Status::fail) == 0 || shown == 10) break;
    if (shown++ == 0) out << "most failed rules:\n";
    out << "  " << r.count(Status::fail) << "/" << fleet.hosts.size() << "  " << to_string(r.severity)
        << "  " << terminal_safe(r.id) << "  " << terminal_safe(r.title) << "\n";
  }
  shown = 0;
  for (const auto& h : fleet.hosts) {
    if (h.summary.count(Status::fail) == 0 || shown == 10) break;
    if (shown++ == 0) out << "worst hosts:\n";
    char score[16];
    std::snprintf(score, sizeof score, "%.1f", h.summary.score);
    out << "  " << terminal_safe(fleet_host_name(h)) << "  score " << score << ", "
        << h.summary.count(Status::fail) << " failed" << (h.stale ? ", stale" : "") << "\n";
  }
}

}  // namespace

int cmd_merge(std::span<const std::string> argv) {
  auto args = parse_args(argv, k_merge_options);
  if (!args) return usage_error(args.message());
  if (args->has("help")) {
    std::cout << k_merge_usage << "\n\nOptions:\n" << options_help(k_merge_options);
    return 0;
  }
  if (args->positional().empty())
    return usage_error("merge needs results files or directories (see --help)");
  for (const auto& p : args->positional())
    if (p == "-") return usage_error("merge reads files, not standard input");
  if (args->get("html") == "-") return usage_error("--html needs a file name");

  MergeOptions opt;
  if (auto v = args->get("max-age-hours")) {
    double h = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), h);
    if (ec != std::errc() || end != v->data() + v->size() || !(h > 0) || h > 1e6)
      return usage_error("--max-age-hours needs a positive number of hours, not '" + *v + "'");
    opt.max_age_hours = h;
  }
  if (auto v = args->get("jobs")) {
    unsigned j = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), j);
    if (ec != std::errc() || end != v->data() + v->size() || j == 0 || j > 256)
      return usage_error("--jobs needs a number from 1 to 256, not '" + *v + "'");
    opt.jobs = j;
  }
  auto files = expand_inputs(args->positional(), args->get("json"));
  if (!files) return usage_error(files.message());
  if (files->empty()) return usage_error("no results files to merge (the directories hold no *.json)");

  Fleet fleet = merge_results(*files, opt);

  const bool json_to_stdout = args->get("json") == "-";
  std::ostream& console = json_to_stdout ? std::cerr : std::cout;
  int skipped = 0;
  for (const auto& p : fleet.problems) {
    skipped += p.skipped ? 1 : 0;
    std::cerr << "hostbench: " << terminal_safe(p.file) << ": " << (p.skipped ? "left out: " : "")
              << terminal_safe(p.message) << "\n";
  }
  print_summary(fleet, args->has("quiet"), console);
  console.flush();
  if (fleet.hosts.empty()) {
    usage_error("none of the " + std::to_string(files->size()) + " files holds hostbench results");
    // The reports are still written: they list what was wrong with each file.
  }

  int rc = fleet.hosts.empty() ? 2 : skipped > 0 ? 3 : 0;
  if (auto path = args->get("json")) {
    std::ostringstream out;
    write_fleet_json(fleet, out);
    if (write_command_output("fleet JSON", *path, out.str()) != 0) rc = 2;
  }
  if (auto path = args->get("html")) {
    // The JSON above names each host's report as found; the page links it relative to itself.
    link_host_reports(fleet, *path);
    std::ostringstream out;
    write_fleet_html(fleet, out);
    if (write_command_output("fleet HTML", *path, out.str()) != 0) rc = 2;
  }
  return rc;
}

}  // namespace hb
