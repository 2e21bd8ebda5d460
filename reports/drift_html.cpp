#include "reports/drift_html.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "engine/report.hpp"
#include "engine/text.hpp"
#include "reports/escape.hpp"
#include "reports/html_assets.hpp"

namespace hb {

namespace {

// Host text for HTML: control and bidi characters shown, then escaped (reports/escape.hpp).
std::string text(std::string_view s) { return html_text(s); }

std::string badge(const std::optional<Status>& s, const char* absent) {
  if (!s) return std::string("<span class=\"note\">") + absent + "</span>";
  std::string name(to_string(*s));
  return "<span class=\"badge b-" + name + "\">" +
         (*s == Status::notapplicable ? std::string("n/a") : name) + "</span>";
}

std::string status_word(const std::optional<Status>& s, const char* absent) {
  return s ? std::string(to_string(*s)) : std::string(absent);
}

void more(std::ostream& out, std::size_t total, std::size_t shown, const char* what) {
  if (total > shown)
    out << "<li class=\"note\">and " << total - shown << " more " << what << "</li>\n";
}

void objects(std::ostream& out, const char* heading, const Capped<DriftObject>& list) {
  if (list.empty()) return;
  out << "<p class=\"dh\">" << heading << " (" << list.total
      << ")</p>\n<ul class=\"drift-objs\">\n";
  for (const auto& o : list.items) {
    out << "<li><span class=\"obj-id\">" << text(o.id) << "</span> <span class=\"note\">"
        << status_word(o.before, "new") << " &#8594; " << status_word(o.after, "gone") << "</span>";
    for (const auto& e : o.evidence) out << "<br><span class=\"ev\">" << text(e) << "</span>";
    out << "</li>\n";
  }
  more(out, list.total, list.items.size(), "objects");
  out << "</ul>\n";
}

void evidence(std::ostream& out, const DriftRule& r) {
  if (r.evidence_removed.empty() && r.evidence_added.empty()) return;
  out << "<p class=\"dh\">Evidence</p>\n<ul class=\"drift-ev\">\n";
  for (const auto& l : r.evidence_added.items)
    out << "<li class=\"ev-add\"><span class=\"sign\" aria-label=\"now\">+</span> <span "
           "class=\"ev\">"
        << text(l) << "</span></li>\n";
  more(out, r.evidence_added.total, r.evidence_added.items.size(), "new lines");
  for (const auto& l : r.evidence_removed.items)
    out << "<li class=\"ev-del\"><span class=\"sign\" aria-label=\"before\">&#8722;</span> "
           "<span class=\"ev\">"
        << text(l) << "</span></li>\n";
  more(out, r.evidence_removed.total, r.evidence_removed.items.size(), "old lines");
  out << "</ul>\n";
}

void rules_table(std::ostream& out, DriftCategory c, const std::vector<DriftRule>& rules) {
  out << "<table class=\"drift-rules\" data-drift=\"" << to_key(c) << "\">\n<thead><tr>"
      << "<th scope=\"col\">Rule</th><th scope=\"col\">Severity</th><th scope=\"col\">Before</th>"
         "<th scope=\"col\">Now</th><th scope=\"col\">What changed</th></tr></thead>\n<tbody>\n";
  for (const auto& r : rules) {
    std::string sev(to_string(r.severity));
    out << "<tr data-rule=\"" << text(r.id) << "\"><td><span class=\"rid\">" << text(r.id)
        << "</span><span class=\"rtitle\">" << text(r.title) << "</span></td>"
        << "<td><span class=\"sev s-" << sev << "\">" << sev << "</span></td>"
        << "<td>" << badge(r.before, "not in that scan") << "</td><td>"
        << badge(r.after, "not in this scan") << "</td><td>\n";
    objects(out, "Objects newly failing", r.new_failing_objects);
    objects(out, "Objects fixed", r.fixed_objects);
    objects(out, "Objects changed", r.changed_objects);
    evidence(out, r);
    if (!r.differs()) out << "<span class=\"note\">no change</span>\n";
    out << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n";
}

std::string heading(DriftCategory c) {
  std::string label = to_label(c);
  label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return label;
}

std::string profiles_of(const DriftScan& s) {
  std::string out;
  for (const auto& p : s.profiles) out += (out.empty() ? "" : ", ") + p;
  return out.empty() ? "none" : out;
}

}  // namespace

void write_drift_section(const Drift& d, std::ostream& out) {
  out << "<section class=\"drift\" id=\"drift\" aria-labelledby=\"drift-h\">\n"
         "<h2 id=\"drift-h\">Changes since the last scan</h2>\n"
      << "<p class=\"drift-base\">Compared with the scan of <span class=\"mono\">"
      << text(d.before.hostname.empty() ? "unknown host" : d.before.hostname)
      << "</span> at <time class=\"mono\" datetime=\"" << format_time(d.before.started) << "\">"
      << format_time(d.before.started) << "</time> (profiles " << text(profiles_of(d.before))
      << ").</p>\n";
  if (!d.warnings.empty()) {
    out << "<ul class=\"drift-warnings\">\n";
    for (const auto& w : d.warnings)
      out << "<li><strong>Warning:</strong> " << text(w) << "</li>\n";
    out << "</ul>\n";
  }
  out << "<ul class=\"drift-counts\">\n";
  for (DriftCategory c : k_drift_categories)
    out << "<li" << (d.rules(c).empty() ? "" : std::string(" class=\"dc-") + to_key(c) + "\"")
        << "><span class=\"n\" data-drift-count=\"" << to_key(c) << "\">" << d.rules(c).size()
        << "</span> " << to_label(c) << "</li>\n";
  out << "<li class=\"dc-unchanged\"><span class=\"n\" data-drift-count=\"unchanged\">"
      << d.unchanged << "</span> unchanged</li>\n</ul>\n";
  if (!d.has_changes()) out << "<p class=\"note\">Nothing changed since that scan.</p>\n";
  // What needs attention first; the still failing last, collapsed.
  for (DriftCategory c : {DriftCategory::newly_failing, DriftCategory::fixed,
                          DriftCategory::changed, DriftCategory::added, DriftCategory::removed}) {
    const auto& rules = d.rules(c);
    if (rules.empty()) continue;
    out << "<h3 id=\"drift-" << to_key(c) << "\">" << heading(c) << " <span class=\"n\">("
        << rules.size() << ")</span></h3>\n";
    rules_table(out, c, rules);
  }
  if (!d.still_failing.empty()) {
    out << "<details class=\"drift-still\"><summary><h3 id=\"drift-still_failing\">Still failing "
           "<span class=\"n\">("
        << d.still_failing.size() << ")</span></h3></summary>\n";
    rules_table(out, DriftCategory::still_failing, d.still_failing);
    out << "</details>\n";
  }
  out << "</section>\n";
}

void write_drift_page(const Drift& d, std::ostream& out) {
  const std::string host = d.after.hostname.empty() ? "unknown host" : d.after.hostname;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>hostbench diff: " << text(host) << "</title>\n<style>" << k_html_css
      << k_html_drift_css << "</style>\n</head>\n<body>\n"
      << "<header class=\"top\"><div class=\"wrap\">\n<h1>hostbench diff: <span class=\"host\">"
      << text(host) << "</span></h1>\n<dl class=\"facts\">\n";
  auto scan = [](const DriftScan& s) {
    return text(s.hostname.empty() ? "unknown host" : s.hostname) + " at " + format_time(s.started);
  };
  // One value, or "A then B" when the two scans differ.
  auto both = [](const std::string& b, const std::string& a) {
    return text(b == a ? a : b + " then " + a);
  };
  out << "<div><dt>Earlier scan</dt><dd class=\"mono\">" << scan(d.before) << "</dd></div>\n"
      << "<div><dt>Later scan</dt><dd class=\"mono\">" << scan(d.after) << "</dd></div>\n"
      << "<div><dt>Root scanned</dt><dd class=\"mono\">" << both(d.before.root, d.after.root)
      << "</dd></div>\n<div><dt>Profiles</dt><dd>"
      << both(profiles_of(d.before), profiles_of(d.after)) << "</dd></div>\n";
  out << "</dl>\n</div></header>\n<main class=\"wrap\">\n";
  write_drift_section(d, out);
  out << "</main>\n<footer class=\"wrap\">Written by hostbench diff from two hostbench-results/1 "
         "files. Newly failing rules come first, by severity.</footer>\n</body>\n</html>\n";
}

}  // namespace hb
