#include "reports/html_report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "reports/escape.hpp"
#include "reports/drift_html.hpp"
#include "reports/drift_json.hpp"
#include "reports/html_assets.hpp"
#include "reports/json_report.hpp"

namespace hb {

using OJson = nlohmann::ordered_json;

namespace {

constexpr std::string_view k_csp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'none'; form-action 'none'; base-uri 'none'";

// Display order: what needs attention first.
constexpr Status k_status_order[] = {Status::fail,          Status::error, Status::waived,
                                     Status::informational, Status::pass,  Status::notchecked,
                                     Status::notapplicable};
constexpr Severity k_severity_order[] = {Severity::critical, Severity::high, Severity::medium,
                                         Severity::low, Severity::info};

std::string str(const OJson& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

long long num(const OJson& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<long long>() : 0;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string format_duration(long long ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%03lld s", ms / 1000, ms % 1000);
  return buf;
}

// JSON inside <script>: nothing in it may end the element or open a comment, and U+2028/2029
// are escaped for older script parsers. These characters occur only inside JSON strings, where
// \uXXXX means the same character, so the document parses to the same value.
std::string script_safe_json(const OJson& doc) {
  return script_safe_json_text(doc.dump(-1, ' ', false, OJson::error_handler_t::replace));
}

// The results document the page embeds. Times in JSON keep milliseconds, so the duration is
// taken from the written times: the scan and a re-render from its JSON then agree to the byte.
OJson results_document(const ScanReport& report) {
  std::ostringstream text;
  write_json_report(report, text);
  OJson doc = OJson::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return OJson::object();
  if (auto scan = doc.find("scan"); scan != doc.end() && scan->is_object()) {
    auto started = parse_time(str(*scan, "started"));
    auto finished = parse_time(str(*scan, "finished"));
    if (started && finished)
      (*scan)["duration_ms"] =
          std::chrono::duration_cast<std::chrono::milliseconds>(*finished - *started).count();
  }
  return doc;
}

void fact(std::ostream& out, std::string_view label, const std::string& value,
          const char* cls = nullptr) {
  out << "<div><dt>" << label << "</dt><dd" << (cls ? std::string(" class=\"") + cls + "\"" : "")
      << ">" << html_escape(value) << "</dd></div>\n";
}

void write_header(std::ostream& out, const OJson& doc) {
  const OJson& tool = doc.value("tool", OJson::object());
  const OJson& scan = doc.value("scan", OJson::object());
  std::string host = str(scan, "hostname");
  out << "<header class=\"top\"><div class=\"wrap\">\n<h1>hostbench report: <span class=\"host\">"
      << html_escape(host.empty() ? "unknown host" : host)
      << "</span></h1>\n<dl class=\"facts\">\n";
  fact(out, "Hostname", host, "mono");
  fact(out, "OS", str(scan, "os"));
  fact(out, "Kernel", str(scan, "kernel"));
  std::string virt = str(scan, "virtualization");
  fact(out, "Virtualisation", virt.empty() ? "unknown" : virt);
  if (auto it = scan.find("container_optimized_os"); it != scan.end() && it->is_boolean() && *it)
    fact(out, "Container OS", "yes (container-optimised)");
  if (auto it = scan.find("addresses"); it != scan.end() && it->is_array() && !it->empty()) {
    std::string addrs;
    for (const auto& a : *it)
      if (a.is_string()) addrs += (addrs.empty() ? "" : ", ") + a.get<std::string>();
    fact(out, "Addresses", addrs, "mono");
  }
  fact(out, "Root scanned", str(scan, "root"), "mono");
  std::string requested, parents;
  if (auto it = scan.find("profiles"); it != scan.end() && it->is_array())
    for (const auto& p : *it) {
      if (!p.is_object()) continue;
      std::string name = str(p, "id") + " " + str(p, "version");
      auto req = p.find("requested");
      std::string& into = (req != p.end() && req->is_boolean() && !*req) ? parents : requested;
      into += (into.empty() ? "" : ", ") + name;
    }
  fact(out, "Profiles", requested + (parents.empty() ? "" : " (extending " + parents + ")"));
  fact(out, "Started", str(scan, "started"), "mono");
  fact(out, "Duration", format_duration(num(scan, "duration_ms")));
  fact(out, "User", str(scan, "user"));
  fact(out, "hostbench", str(tool, "version"));
  out << "</dl>\n</div></header>\n";
}

int count_of(const OJson& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<int>() : 0;
}

// A horizontal bar chart: one row per key, its count as text (data-count, for tests and tools).
template <class Key, std::size_t N>
void bar_chart(std::ostream& out, const OJson& counts, const Key (&keys)[N], const char* label) {
  int max = 1;
  for (Key k : keys) max = std::max(max, count_of(counts, to_string(k)));
  const int row = 24, height = static_cast<int>(N) * row + 4;
  std::string aria = label;
  for (Key k : keys)
    aria += std::string(", ") + std::to_string(count_of(counts, to_string(k))) + " " +
            std::string(to_string(k));
  out << "<svg width=\"300\" height=\"" << height << "\" viewBox=\"0 0 300 " << height
      << "\" role=\"img\" aria-label=\"" << html_escape(aria) << "\">\n";
  for (std::size_t i = 0; i < N; ++i) {
    std::string name(to_string(keys[i]));
    int n = count_of(counts, name);
    int y = static_cast<int>(i) * row + 2;
    int w = n == 0 ? 0 : std::max(2, 150 * n / max);
    out << "<text x=\"106\" y=\"" << y + 16 << "\" text-anchor=\"end\">" << name << "</text>"
        << "<rect x=\"114\" y=\"" << y + 4 << "\" width=\"" << w << "\" height=\"16\" rx=\"2\""
        << " style=\"fill:var(--" << name << ")\"/>"
        << "<text x=\"" << 120 + w << "\" y=\"" << y + 16 << "\" data-count=\"" << name << "\">"
        << n << "</text>\n";
  }
  out << "</svg>\n";
}

void write_summary(std::ostream& out, const OJson& doc) {
  const OJson& sum = doc.value("summary", OJson::object());
  double score = 0;
  if (auto it = sum.find("score"); it != sum.end() && it->is_number()) score = it->get<double>();
  int total = count_of(sum, "total");
  int failed = count_of(sum, "fail");
  const double r = 52, circumference = 2 * 3.14159265358979 * r;
  const char* color = score >= 80 ? "--pass" : score >= 50 ? "--medium" : "--fail";
  out << "<section class=\"summary\" aria-labelledby=\"summary-h\">\n"
         "<h2 id=\"summary-h\">Summary</h2>\n<div class=\"cards\">\n"
         "<div class=\"card\" id=\"score\"><h3>Score</h3>\n"
      << "<svg width=\"128\" height=\"128\" viewBox=\"0 0 128 128\" role=\"img\" "
         "aria-label=\"score "
      << fmt("%.1f", score) << " of 100\">"
      << "<circle cx=\"64\" cy=\"64\" r=\"52\" style=\"fill:none;stroke:#d0d7de\" "
         "stroke-width=\"14\"/>"
      << "<circle cx=\"64\" cy=\"64\" r=\"52\" style=\"fill:none;stroke:var(" << color
      << ")\" stroke-width=\"14\" stroke-dasharray=\"" << fmt("%.2f", circumference * score / 100)
      << " " << fmt("%.2f", circumference) << "\" transform=\"rotate(-90 64 64)\"/>"
      << "<text class=\"big\" x=\"64\" y=\"68\" text-anchor=\"middle\" data-count=\"score\">"
      << fmt("%.1f", score) << "</text>"
      << "<text class=\"small\" x=\"64\" y=\"88\" text-anchor=\"middle\">of 100</text></svg>\n"
      << "<p>Severity-weighted share of judged rules (pass, fail, waived) that did not fail.</p>"
         "</div>\n";
  out << "<div class=\"card\" id=\"by-status\"><h3>Results: <span data-count=\"total\">" << total
      << "</span> rules</h3>\n";
  bar_chart(out, sum, k_status_order, "rules by status");
  out << "</div>\n<div class=\"card\" id=\"by-severity\"><h3>Failed by severity: <span "
         "data-count=\"failed\">"
      << failed << "</span> failed</h3>\n";
  bar_chart(out, sum.value("failed_by_severity", OJson::object()), k_severity_order,
            "failed rules by severity");
  out << "</div>\n</div>\n</section>\n";
}

void write_filters(std::ostream& out, const OJson& doc) {
  const OJson& sum = doc.value("summary", OJson::object());
  OJson by_sev = OJson::object();
  if (auto it = doc.find("results"); it != doc.end() && it->is_array())
    for (const auto& r : *it) {
      std::string sv = str(r, "severity");
      by_sev[sv] = count_of(by_sev, sv) + 1;
    }
  out << "<div class=\"filters\" role=\"search\" aria-label=\"Filter rules\">\n"
         "<fieldset><legend>Status</legend>\n";
  for (Status s : k_status_order) {
    std::string name(to_string(s));
    out << "<label><input type=\"checkbox\" name=\"st\" value=\"" << name << "\" checked> " << name
        << " <span class=\"note\">(" << count_of(sum, name) << ")</span></label>\n";
  }
  out << "</fieldset>\n<fieldset><legend>Severity</legend>\n";
  for (Severity s : k_severity_order) {
    std::string name(to_string(s));
    out << "<label><input type=\"checkbox\" name=\"sv\" value=\"" << name << "\" checked> " << name
        << " <span class=\"note\">(" << count_of(by_sev, name) << ")</span></label>\n";
  }
  out << "</fieldset>\n<label class=\"search\">Search id, title, evidence, objects"
         "<input type=\"search\" id=\"q\" autocomplete=\"off\" spellcheck=\"false\"></label>\n"
         "<button type=\"button\" id=\"reset\">Reset filters</button>\n</div>\n";
}

// The waivers file of the scan: expired and unused entries, which the people who own them must
// renew or delete (the waived rules themselves carry their justification in the rule list).
void write_waivers(std::ostream& out, const OJson& doc) {
  auto it = doc.find("waivers");
  if (it == doc.end() || !it->is_object()) return;
  const OJson& w = *it;
  out << "<section class=\"waivers\" aria-labelledby=\"waivers-h\">\n<h2 id=\"waivers-h\">Waivers</h2>\n"
      << "<p>From <span class=\"mono\">" << html_escape(str(w, "file")) << "</span>: "
      << count_of(w, "loaded") << " loaded, " << count_of(w, "applied") << " applied";
  auto rows = [&](const char* key, const char* what) {
    auto a = w.find(key);
    if (a == w.end() || !a->is_array() || a->empty()) return;
    out << "<h3>" << what << " (" << a->size() << ")</h3>\n<table class=\"objs\"><thead><tr>"
        << "<th>Entry</th><th>Rule</th><th>Object</th><th>Justification</th><th>Owner</th>"
        << "<th>Expires</th><th>Why</th></tr></thead><tbody>\n";
    for (const auto& e : *a) {
      if (!e.is_object()) continue;
      out << "<tr><td class=\"mono\">" << html_escape(str(e, "source")) << "</td><td class=\"mono\">"
          << html_escape(str(e, "rule")) << "</td><td class=\"mono\">" << html_escape(str(e, "object"))
          << "</td><td>" << html_escape(str(e, "justification")) << "</td><td>"
          << html_escape(str(e, "owner")) << "</td><td class=\"mono\">" << html_escape(str(e, "expires"))
          << "</td><td>" << html_escape(str(e, "reason")) << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
  };
  auto size_of = [&](const char* key) {
    auto a = w.find(key);
    return a != w.end() && a->is_array() ? a->size() : std::size_t{0};
  };
  out << ", " << size_of("expired") << " expired, " << size_of("unused") << " unused.</p>\n";
  // In force: every fail a waiver turned into `waived`, with the object when it is one.
  std::string in_force;
  std::size_t n_in_force = 0;
  if (auto rs = doc.find("results"); rs != doc.end() && rs->is_array())
    for (const auto& r : *rs) {
      auto ws = r.find("waivers");
      if (ws == r.end() || !ws->is_array()) continue;
      for (const auto& a : *ws) {
        if (!a.is_object()) continue;
        const OJson& e = a.value("waiver", OJson::object());
        ++n_in_force;
        in_force += "<tr><td class=\"mono\">" + html_escape(str(e, "source")) + "</td><td class=\"mono\">" +
                    html_escape(str(r, "id")) + "</td><td class=\"mono\">" + html_escape(str(a, "object")) +
                    "</td><td>" + html_escape(str(e, "justification")) + "</td><td>" +
                    html_escape(str(e, "owner")) + "</td><td class=\"mono\">" + html_escape(str(e, "expires")) +
                    "</td></tr>\n";
      }
    }
  if (n_in_force > 0)
    out << "<h3>In force (" << n_in_force << ")</h3>\n<table class=\"objs\"><thead><tr><th>Entry</th>"
        << "<th>Rule</th><th>Object</th><th>Justification</th><th>Owner</th><th>Expires</th></tr>"
        << "</thead><tbody>\n" << in_force << "</tbody></table>\n";
  rows("expired", "Expired: no longer applied");
  rows("unused", "Unused: waived nothing in this scan");
  out << "</section>\n";
}

}  // namespace

void write_html_report(const ScanReport& report, std::ostream& out) {
  const OJson doc = results_document(report);
  const OJson& tool = doc.value("tool", OJson::object());
  const OJson& scan = doc.value("scan", OJson::object());
  std::string version = str(tool, "version");
  // The drift as the results document holds it, so a re-render from JSON gives the same bytes.
  std::optional<Drift> drift;
  if (auto it = doc.find("drift"); it != doc.end())
    if (auto d = drift_from_json(*it, "drift")) drift = std::move(*d);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << k_csp << "\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"hostbench " << html_escape(version) << "\">\n"
      << "<title>hostbench report: " << html_escape(str(scan, "hostname")) << "</title>\n"
      << "<style>" << k_html_css << (drift ? k_html_drift_css : std::string_view())
      << "</style>\n</head>\n<body>\n"
      << "<a class=\"skip\" href=\"#results\">Skip to the rules</a>\n";
  write_header(out, doc);
  out << "<main class=\"wrap\">\n";
  write_summary(out, doc);
  write_waivers(out, doc);
  if (drift) write_drift_section(*drift, out);
  out << "<section id=\"results\" aria-labelledby=\"results-h\">\n<h2 "
         "id=\"results-h\">Rules</h2>\n";
  write_filters(out, doc);
  out << "<p id=\"shown\" role=\"status\" aria-live=\"polite\"></p>\n<div id=\"list\"></div>\n"
      << "<noscript><p>The rule list needs JavaScript. The summary above is complete, and the "
         "results are embedded in this file as JSON (the script element with id \"data\").</p>"
         "</noscript>\n</section>\n</main>\n"
      << "<footer class=\"wrap\">Written by hostbench " << html_escape(version)
      << " from the hostbench-results/1 document embedded in this page. Failures come first, "
         "by severity; the other rules follow by section.</footer>\n"
      << "<script type=\"application/json\" id=\"data\">" << script_safe_json(doc)
      << "</script>\n<script>" << k_html_js << "</script>\n</body>\n</html>\n";
}

}  // namespace hb
