#include "reports/fleet_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "engine/text.hpp"
#include "reports/escape.hpp"
#include "reports/fleet_html_assets.hpp"
#include "reports/html_assets.hpp"

namespace hb {

using OJson = nlohmann::ordered_json;

namespace {

// One character per Status (by its integer), then the one of k_not_scanned.
constexpr std::string_view k_status_codes = "pfenciw-";
constexpr char k_code_not_scanned = '-';
constexpr std::size_t k_top = 10;  // worst hosts and most failed rules in the no-script summary

char status_code(std::uint8_t v) {
  if (v == k_not_scanned) return k_code_not_scanned;
  if (v < 7) return k_status_codes[v];
  return k_status_codes[static_cast<int>(Status::error)];  // not a Status: cannot be judged
}

// Non-finite numbers would be null in JSON anyway; say so explicitly.
OJson number(double v) {
  return std::isfinite(v) ? OJson(v) : OJson(nullptr);
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string hours(double h) {
  if (h == std::floor(h)) return fmt("%.0f", h) + " h";
  return fmt("%.1f", h) + " h";
}

// The label of a host in server-rendered lists: its hostname, else its file.
std::string host_label(const FleetHost& h) {
  return h.hostname.empty() ? "(no hostname) " + h.file : h.hostname;
}

void fact(std::ostream& out, std::string_view label, const std::string& html_value,
          const char* key) {
  out << "<div><dt>" << label << "</dt><dd data-fact=\"" << key << "\">" << html_value
      << "</dd></div>\n";
}

void card(std::ostream& out, const char* key, std::string_view label, const std::string& value,
          std::string_view note = {}) {
  out << "<div class=\"stat\" id=\"n-" << key << "\"><span class=\"v\" data-count=\"" << key
      << "\">" << value << "</span><span class=\"k\">" << label << "</span>";
  if (!note.empty()) out << "<span class=\"note\">" << note << "</span>";
  out << "</div>\n";
}

void write_header(const Fleet& f, std::ostream& out, int skipped, int warnings) {
  out << "<header class=\"top\"><div class=\"wrap\">\n<h1>hostbench fleet report</h1>\n"
         "<dl class=\"facts\">\n";
  fact(out, "Generated", "<time class=\"mono\">" + html_text(f.generated) + "</time>", "generated");
  fact(out, "Max result age", html_escape(hours(f.max_age_hours)), "max_age");
  fact(out, "Files given", std::to_string(f.files_given), "files");
  fact(out, "Hosts merged", std::to_string(f.hosts.size()), "hosts");
  fact(out, "Files skipped", std::to_string(skipped), "skipped");
  fact(out, "Warnings", std::to_string(warnings), "warnings");
  out << "</dl>\n</div></header>\n";
}

void write_summary(const Fleet& f, std::ostream& out, int skipped, int warnings) {
  const int failing = f.hosts_failing();
  const int stale = f.hosts_stale();
  const auto failing_rules = std::count_if(
      f.rules.begin(), f.rules.end(), [](const FleetRule& r) { return r.count(Status::fail) > 0; });
  double mean = 0;
  for (const auto& h : f.hosts) mean += h.summary.score;
  if (!f.hosts.empty()) mean /= static_cast<double>(f.hosts.size());

  out << "<section id=\"summary\" aria-labelledby=\"summary-h\">\n"
         "<h2 id=\"summary-h\">Summary</h2>\n<div class=\"stats\">\n";
  card(out, "files", "files given", std::to_string(f.files_given));
  card(out, "hosts", "hosts merged", std::to_string(f.hosts.size()));
  card(out, "failing", "hosts failing", std::to_string(failing), "at least one rule failed");
  card(out, "stale", "stale hosts", std::to_string(stale),
       "results older than " + html_escape(hours(f.max_age_hours)) + ", or no scan time");
  card(out, "skipped", "files skipped", std::to_string(skipped));
  card(out, "warnings", "warnings", std::to_string(warnings));
  card(out, "rules", "rules", std::to_string(f.rules.size()));
  card(out, "failing_rules", "failing rules", std::to_string(failing_rules),
       "failed on at least one host");
  card(out, "mean_score", "mean score", f.hosts.empty() ? "&#8211;" : fmt("%.1f", mean),
       "of 100, over the hosts");
  out << "</div>\n";

  // The worst first, as the model sorts them: readable without the script and on paper.
  if (!f.hosts.empty() && failing > 0) {
    out << "<div class=\"tops\">\n<div class=\"top\" id=\"top-hosts\"><h3>Worst hosts</h3>\n<ol>\n";
    std::size_t n = 0;
    for (const auto& h : f.hosts) {
      if (n == k_top || h.summary.count(Status::fail) == 0) break;
      ++n;
      out << "<li><span class=\"mono\">" << html_text(host_label(h))
          << "</span> <span class=\"note\">" << h.summary.count(Status::fail) << " failed, score "
          << fmt("%.1f", h.summary.score) << (h.stale ? ", stale" : "") << "</span></li>\n";
    }
    out << "</ol>\n</div>\n<div class=\"top\" id=\"top-rules\"><h3>Most failed rules</h3>\n<ol>\n";
    n = 0;
    for (const auto& r : f.rules) {
      if (n == k_top || r.count(Status::fail) == 0) break;
      ++n;
      out << "<li><span class=\"mono\">" << html_text(r.id) << "</span> <span class=\"note\">"
          << r.count(Status::fail) << (r.count(Status::fail) == 1 ? " host, " : " hosts, ")
          << to_string(r.severity) << "</span></li>\n";
    }
    out << "</ol>\n</div>\n</div>\n";
  }
  out << "</section>\n";
}

void problem_table(std::ostream& out, const Fleet& f, bool skipped, int total) {
  const char* id = skipped ? "skipped" : "warnings";
  out << "<h3 id=\"" << id << "-h\">" << (skipped ? "Files skipped" : "Warnings") << " (" << total
      << ")</h3>\n";
  if (total == 0) {
    out << "<p class=\"note\">" << (skipped ? "None: every file was merged." : "None.") << "</p>\n";
    return;
  }
  out << "<table class=\"grid problems\" id=\"" << id << "\"><thead><tr><th scope=\"col\">File"
      << "</th><th scope=\"col\">" << (skipped ? "Why it was skipped" : "Warning")
      << "</th></tr></thead><tbody>\n";
  std::size_t shown = 0;
  for (const auto& p : f.problems) {
    if (p.skipped != skipped) continue;
    if (shown == k_fleet_problem_rows) break;
    ++shown;
    out << "<tr><td class=\"mono\">" << html_text(p.file) << "</td><td>" << html_text(p.message)
        << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
  if (static_cast<int>(shown) < total)
    out << "<p class=\"note more-problems\" data-kind=\"" << id << "\" data-shown=\"" << shown
        << "\">" << total - static_cast<int>(shown)
        << " more not listed here; all of them are in the data block of this page (and in the "
           "merge's JSON output).</p>\n";
}

void write_problems(const Fleet& f, std::ostream& out, int skipped, int warnings) {
  out << "<section id=\"problems\" aria-labelledby=\"problems-h\">\n<h2 id=\"problems-h\">"
         "Problems</h2>\n";
  problem_table(out, f, true, skipped);
  problem_table(out, f, false, warnings);
  out << "</section>\n";
}

// The controls and empty containers the script fills; hidden until it runs.
void write_app(std::ostream& out) {
  out << R"html(<div id="app" hidden>
<section id="hosts" aria-labelledby="hosts-h">
<h2 id="hosts-h">Hosts</h2>
<div class="filters" role="search" aria-label="Filter hosts">
<label class="search">Host name or file<input type="search" id="hq" autocomplete="off" spellcheck="false"></label>
<label><input type="checkbox" id="h-failing"> failing only</label>
<label><input type="checkbox" id="h-stale"> stale only</label>
<span class="note">Applies to the host table and the matrix rows.</span>
</div>
<p class="shown" id="hosts-shown" role="status" aria-live="polite"></p>
<div class="scroll" id="hosts-table"></div>
<div class="pager" id="hosts-pager"></div>
</section>
<section id="rules" aria-labelledby="rules-h">
<h2 id="rules-h">Rules</h2>
<div class="filters" role="search" aria-label="Filter rules">
<label class="search">Rule id or title<input type="search" id="rq" autocomplete="off" spellcheck="false"></label>
<label><input type="checkbox" id="r-failing"> failing only</label>
<span class="note">The id and title filter also applies to the matrix columns.</span>
</div>
<p class="shown" id="rules-shown" role="status" aria-live="polite"></p>
<div class="scroll" id="rules-table"></div>
<div class="pager" id="rules-pager"></div>
</section>
<section id="matrix" aria-labelledby="matrix-h">
<h2 id="matrix-h">Failing rules by host</h2>
<p class="note">Rules that fail on at least one host (most failed first) against the hosts (worst first). A host's row or a rule's column opens its details.</p>
<ul class="legend" aria-label="Legend">
<li><span class="cell c-f">&#10007;</span> fail</li><li><span class="cell c-e">!</span> error</li>
<li><span class="cell c-w">w</span> waived</li><li><span class="cell c-p">&#10003;</span> pass</li>
<li><span class="cell c-n">&#8211;</span> not applicable</li><li><span class="cell c-c">?</span> not checked</li>
<li><span class="cell c-i">i</span> informational</li><li><span class="cell c-x"></span> not scanned</li>
</ul>
<p class="shown" id="matrix-shown" role="status" aria-live="polite"></p>
<div class="pager" id="matrix-cols-pager"></div>
<div class="scroll" id="matrix-table"></div>
<div class="pager" id="matrix-rows-pager"></div>
</section>
</div>
<aside id="panel" hidden aria-labelledby="panel-h" tabindex="-1"></aside>
)html";
}

OJson int_array(const int* v, std::size_t n) {
  OJson a = OJson::array();
  for (std::size_t i = 0; i < n; ++i) a.push_back(v[i]);
  return a;
}

}  // namespace

std::string fleet_report_href(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.front() == '\\') return {};
  const auto colon = path.find(':');
  const auto sep = path.find_first_of("/\\?#");
  if (colon != std::string_view::npos && (sep == std::string_view::npos || colon < sep)) return {};
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size() + 8);
  for (unsigned char c : path) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

OJson fleet_page_data(const Fleet& f) {
  const std::size_t n_rules = f.rules.size();
  OJson hostname = OJson::array(), file = OJson::array(), started = OJson::array(),
        age = OJson::array(), stale = OJson::array(), tool = OJson::array(),
        profiles = OJson::array(), score = OJson::array(), total = OJson::array(),
        counts = OJson::array(), by_sev = OJson::array(), report = OJson::array(),
        href = OJson::array(), status = OJson::array();
  for (const auto& h : f.hosts) {
    hostname.push_back(sanitize_utf8(h.hostname));
    file.push_back(sanitize_utf8(h.file));
    started.push_back(sanitize_utf8(h.started));
    age.push_back(h.age_hours ? number(*h.age_hours) : OJson(nullptr));
    stale.push_back(h.stale);
    tool.push_back(sanitize_utf8(h.tool_version));
    OJson ps = OJson::array();
    for (const auto& p : h.profiles) ps.push_back(sanitize_utf8(p));
    profiles.push_back(std::move(ps));
    score.push_back(number(h.summary.score));
    total.push_back(h.summary.total);
    counts.push_back(int_array(h.summary.counts, 7));
    by_sev.push_back(int_array(h.summary.by_severity_failed, 5));
    report.push_back(sanitize_utf8(h.report_html));
    href.push_back(fleet_report_href(h.report_html));
    std::string row(n_rules, k_code_not_scanned);
    for (std::size_t r = 0; r < n_rules && r < h.status.size(); ++r)
      row[r] = status_code(h.status[r]);
    status.push_back(std::move(row));
  }
  OJson id = OJson::array(), title = OJson::array(), profile = OJson::array(),
        severity = OJson::array(), differs = OJson::array(), rule_hosts = OJson::array();
  for (const auto& r : f.rules) {
    id.push_back(sanitize_utf8(r.id));
    title.push_back(sanitize_utf8(r.title));
    profile.push_back(sanitize_utf8(r.profile));
    severity.push_back(std::string(to_string(r.severity)));
    differs.push_back(r.severity_differs);
    rule_hosts.push_back(int_array(r.hosts, 7));
  }
  OJson problems = OJson::array();
  for (const auto& p : f.problems)
    problems.push_back({{"file", sanitize_utf8(p.file)},
                        {"message", sanitize_utf8(p.message)},
                        {"skipped", p.skipped}});
  OJson doc = OJson::object();
  doc["schema"] = "hostbench-fleet-page/1";
  doc["generated"] = sanitize_utf8(f.generated);
  doc["max_age_hours"] = number(f.max_age_hours);
  doc["files_given"] = f.files_given;
  doc["status_codes"] = std::string(k_status_codes);
  doc["hosts"] = {{"hostname", std::move(hostname)},
                  {"file", std::move(file)},
                  {"started", std::move(started)},
                  {"age_hours", std::move(age)},
                  {"stale", std::move(stale)},
                  {"tool_version", std::move(tool)},
                  {"profiles", std::move(profiles)},
                  {"score", std::move(score)},
                  {"total", std::move(total)},
                  {"counts", std::move(counts)},
                  {"failed_by_severity", std::move(by_sev)},
                  {"report", std::move(report)},
                  {"report_href", std::move(href)},
                  {"status", std::move(status)}};
  doc["rules"] = {{"id", std::move(id)},
                  {"title", std::move(title)},
                  {"profile", std::move(profile)},
                  {"severity", std::move(severity)},
                  {"severity_differs", std::move(differs)},
                  {"hosts", std::move(rule_hosts)}};
  doc["problems"] = std::move(problems);
  return doc;
}

void write_fleet_html(const Fleet& fleet, std::ostream& out) {
  const int skipped =
      static_cast<int>(std::count_if(fleet.problems.begin(), fleet.problems.end(),
                                     [](const FleetProblem& p) { return p.skipped; }));
  const int warnings = static_cast<int>(fleet.problems.size()) - skipped;
  // The style and script texts are constants: hash them once.
  static const std::string style = std::string(k_html_css) + std::string(k_fleet_css);
  static const std::string csp = "default-src 'none'; script-src " + csp_hash_source(k_fleet_js) +
                                 "; style-src " + csp_hash_source(style) +
                                 "; form-action 'none'; base-uri 'none'";
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << csp << "\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"hostbench " << HOSTBENCH_VERSION << "\">\n"
      << "<title>hostbench fleet report: " << fleet.hosts.size()
      << (fleet.hosts.size() == 1 ? " host" : " hosts") << "</title>\n"
      << "<style>" << style << "</style>\n</head>\n<body>\n"
      << "<a class=\"skip\" href=\"#hosts\">Skip to the hosts</a>\n";
  write_header(fleet, out, skipped, warnings);
  out << "<main class=\"wrap\">\n<nav class=\"toc\" aria-label=\"Sections\"><a href=\"#summary\">"
         "Summary</a> <a href=\"#problems\">Problems</a> <a href=\"#hosts\">Hosts</a> "
         "<a href=\"#rules\">Rules</a> <a href=\"#matrix\">Matrix</a></nav>\n";
  write_summary(fleet, out, skipped, warnings);
  write_problems(fleet, out, skipped, warnings);
  out << "<noscript><p class=\"noscript\">The host table, the rule table, the matrix and the "
         "drill-down need JavaScript. The summary and the problems above are complete; the "
         "merged data is embedded in this file as JSON (the script element with id \"data\"), "
         "and <code>hostbench merge --json</code> writes it for other tools.</p></noscript>\n";
  write_app(out);
  out << "</main>\n<footer class=\"wrap\">Written by hostbench " << HOSTBENCH_VERSION
      << " merge from " << fleet.files_given
      << " results files. Hosts come worst first (failed rules weighted by severity, then the "
         "lowest score); rules most failed first.</footer>\n"
      << "<script type=\"application/json\" id=\"data\">"
      << script_safe_json_text(
             fleet_page_data(fleet).dump(-1, ' ', false, OJson::error_handler_t::replace))
      << "</script>\n<script>" << k_fleet_js << "</script>\n</body>\n</html>\n";
}

}  // namespace hb
