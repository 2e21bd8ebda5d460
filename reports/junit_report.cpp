#include "reports/junit_report.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>

#include "reports/escape.hpp"

namespace hb {

namespace {

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", s);
  return buf;
}

std::string evidence_text(const RuleResult& r) {
  std::string out;
  for (const auto& e : r.evidence) out += e + "\n";
  for (const auto& o : r.objects) {
    out += o.id + " [" + std::string(to_string(o.status)) + "]\n";
    for (const auto& e : o.evidence) out += "  " + e + "\n";
  }
  return out;
}

std::string first_line(const RuleResult& r) {
  if (!r.evidence.empty()) return r.evidence.front();
  for (const auto& o : r.objects)
    if (o.status == r.status) return o.id + (o.evidence.empty() ? "" : ": " + o.evidence.front());
  return std::string(to_string(r.status));
}

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;
  void add(const RuleResult& r) {
    ++tests;
    failures += r.status == Status::fail;
    errors += r.status == Status::error;
    skipped += r.status == Status::notapplicable || r.status == Status::notchecked;
    time += static_cast<double>(r.duration_us) / 1e6;
  }
  void set(pugi::xml_node n) const {
    n.append_attribute("tests") = tests;
    n.append_attribute("failures") = failures;
    n.append_attribute("errors") = errors;
    n.append_attribute("skipped") = skipped;
    n.append_attribute("time") = seconds(time).c_str();
  }
};

}  // namespace

void write_junit_report(const ScanReport& report, std::ostream& out) {
  const ScanMeta& m = report.meta;
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto suites = doc.append_child("testsuites");
  suites.append_attribute("name") = ("hostbench " + xml_clean(m.hostname)).c_str();

  std::vector<std::string> profiles;  // in order of first appearance
  for (const auto& r : report.results)
    if (std::find(profiles.begin(), profiles.end(), r.meta.profile) == profiles.end())
      profiles.push_back(r.meta.profile);

  Counts total;
  for (const auto& r : report.results) total.add(r);
  total.set(suites);

  int suite_id = 0;
  for (const auto& pid : profiles) {
    Counts c;
    for (const auto& r : report.results)
      if (r.meta.profile == pid) c.add(r);
    auto suite = suites.append_child("testsuite");
    suite.append_attribute("name") = xml_clean(pid).c_str();
    c.set(suite);
    suite.append_attribute("id") = suite_id++;
    suite.append_attribute("hostname") = xml_clean(m.hostname).c_str();
    suite.append_attribute("timestamp") = format_time(m.started).substr(0, 19).c_str();
    auto props = suite.append_child("properties");
    auto prop = [&](const char* name, const std::string& value) {
      auto p = props.append_child("property");
      p.append_attribute("name") = name;
      p.append_attribute("value") = xml_clean(value).c_str();
    };
    prop("root", m.root);
    prop("os", m.os);
    prop("kernel", m.kernel);
    prop("hostbench.version", m.version);
    for (const auto& r : report.results) {
      if (r.meta.profile != pid) continue;
      auto tc = suite.append_child("testcase");
      std::string section = r.meta.tags.empty() ? "general" : r.meta.tags.front();
      tc.append_attribute("classname") = xml_clean(pid + "." + section).c_str();
      tc.append_attribute("name") = xml_clean(r.meta.id + ": " + r.meta.title).c_str();
      tc.append_attribute("time") = seconds(static_cast<double>(r.duration_us) / 1e6).c_str();
      switch (r.status) {
        case Status::fail: {
          auto f = tc.append_child("failure");
          f.append_attribute("message") = xml_clean(first_line(r)).c_str();
          f.append_attribute("type") = std::string(to_string(r.meta.severity)).c_str();
          std::string body = evidence_text(r);
          if (!r.meta.remediation.empty()) body += "\nRemediation: " + r.meta.remediation + "\n";
          f.text().set(xml_clean(body).c_str());
          break;
        }
        case Status::error: {
          auto e = tc.append_child("error");
          e.append_attribute("message") = xml_clean(first_line(r)).c_str();
          e.append_attribute("type") = "error";
          e.text().set(xml_clean(evidence_text(r)).c_str());
          break;
        }
        case Status::notapplicable:
        case Status::notchecked:
          tc.append_child("skipped").append_attribute("message") =
              xml_clean(std::string(to_string(r.status)) + ": " + first_line(r)).c_str();
          break;
        case Status::waived:
        case Status::pass:
        case Status::informational:
          if (!r.evidence.empty() || !r.objects.empty())
            tc.append_child("system-out").text().set(xml_clean(evidence_text(r)).c_str());
          break;
      }
    }
  }
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

}  // namespace hb
