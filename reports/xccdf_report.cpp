#include "reports/xccdf_report.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "reports/escape.hpp"

namespace hb {

std::string xccdf_rule_id(const std::string& rule_id) {
  return std::string(k_xccdf_prefix) + "rule_" + rule_id;
}

std::optional<std::string> rule_id_of(const std::string& xccdf_id) {
  const std::string prefix = std::string(k_xccdf_prefix) + "rule_";
  if (xccdf_id.rfind(prefix, 0) != 0 || xccdf_id.size() == prefix.size()) return std::nullopt;
  return xccdf_id.substr(prefix.size());
}

namespace {

// A name part for group and profile ids: NCName characters only.
std::string id_part(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    out += ok ? c : '-';
  }
  return out.empty() ? "none" : out;
}

// XCCDF has no "critical": it is the highest it knows.
const char* xccdf_severity(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high:
    case Severity::critical: return "high";
  }
  return "unknown";
}

const char* xccdf_result(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::fail: return "fail";
    case Status::error: return "error";
    case Status::notapplicable: return "notapplicable";
    case Status::notchecked: return "notchecked";
    case Status::informational: return "informational";
    case Status::waived: return "pass";  // with an override from fail
  }
  return "unknown";
}

// Where a reference scheme points: CIS benchmarks by product, anything else as a URN.
std::string scheme_uri(const std::string& scheme) {
  if (scheme == "cis-debian12") return "https://www.cisecurity.org/benchmark/debian_linux";
  if (scheme == "cis-docker") return "https://www.cisecurity.org/benchmark/docker";
  if (scheme.rfind("cis", 0) == 0) return "https://www.cisecurity.org/cis-benchmarks";
  if (scheme == "cve") return "https://www.cve.org";
  return "urn:hostbench:reference:" + id_part(scheme);
}

std::string section_of(const RuleResult& r) {
  return r.meta.tags.empty() ? std::string("general") : r.meta.tags.front();
}

void text(pugi::xml_node parent, const char* name, const std::string& value) {
  parent.append_child(name).text().set(xml_clean(value).c_str());
}

std::string decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

// The typed check behind a rule lives in its hostbench profile, not in OVAL: the check element
// names the profile and the rule, as XCCDF's check-content-ref allows.
void add_check(pugi::xml_node parent, const RuleResult& r) {
  auto check = parent.append_child("check");
  check.append_attribute("system") = "urn:hostbench:check:profile";
  auto ref = check.append_child("check-content-ref");
  ref.append_attribute("href") = ("urn:hostbench:profile:" + id_part(r.meta.profile)).c_str();
  ref.append_attribute("name") = xml_clean(r.meta.id).c_str();
}

void add_rule(pugi::xml_node group, const RuleResult& r) {
  auto rule = group.append_child("Rule");
  rule.append_attribute("id") = xccdf_rule_id(r.meta.id).c_str();
  rule.append_attribute("selected") = "true";
  rule.append_attribute("severity") = xccdf_severity(r.meta.severity);
  text(rule, "title", r.meta.title);
  if (!r.meta.description.empty()) text(rule, "description", r.meta.description);
  for (const auto& [scheme, id] : r.meta.references) {
    auto ref = rule.append_child("reference");
    ref.append_attribute("href") = xml_clean(scheme_uri(scheme)).c_str();
    ref.text().set(xml_clean(scheme + " " + id).c_str());
  }
  if (!r.meta.rationale.empty()) text(rule, "rationale", r.meta.rationale);
  for (const auto& [scheme, id] : r.meta.references) {
    auto ident = rule.append_child("ident");
    ident.append_attribute("system") = xml_clean(scheme_uri(scheme)).c_str();
    ident.text().set(xml_clean(id).c_str());
  }
  if (!r.meta.remediation.empty()) text(rule, "fixtext", r.meta.remediation);
  add_check(rule, r);
}

void add_rule_result(pugi::xml_node tr, const RuleResult& r, const std::string& time) {
  auto rr = tr.append_child("rule-result");
  rr.append_attribute("idref") = xccdf_rule_id(r.meta.id).c_str();
  rr.append_attribute("role") = "full";
  rr.append_attribute("severity") = xccdf_severity(r.meta.severity);
  rr.append_attribute("time") = time.c_str();
  rr.append_attribute("weight") = "1.000000";
  rr.append_child("result").text().set(xccdf_result(r.status));
  if (r.status == Status::waived) {
    auto ov = rr.append_child("override");
    ov.append_attribute("time") = time.c_str();
    ov.append_attribute("authority") = "hostbench waivers";
    ov.append_child("old-result").text().set("fail");
    ov.append_child("new-result").text().set("pass");
    // The justification of each waiver applied, with where it comes from (file:line).
    std::string remark;
    for (const auto& a : r.waivers) {
      if (!remark.empty()) remark += "; ";
      if (!a.object.empty()) remark += a.object + ": ";
      remark += a.waiver.justification;
      if (!a.waiver.owner.empty()) remark += " (owner " + a.waiver.owner + ")";
      if (!a.waiver.expires.empty()) remark += " until " + a.waiver.expires;
      remark += " [" + a.waiver.source + "]";
    }
    if (remark.empty()) {
      remark = "waived";
      for (const auto& e : r.evidence)
        if (e.rfind("waived", 0) == 0) remark = e;
    }
    text(ov, "remark", remark);
  }
  for (const auto& [scheme, id] : r.meta.references) {
    auto ident = rr.append_child("ident");
    ident.append_attribute("system") = xml_clean(scheme_uri(scheme)).c_str();
    ident.text().set(xml_clean(id).c_str());
  }
  auto message = [&](const char* severity, const std::string& m) {
    auto msg = rr.append_child("message");
    msg.append_attribute("severity") = severity;
    msg.text().set(xml_clean(m).c_str());
  };
  const char* sev = r.status == Status::fail ? "warning" : r.status == Status::error ? "error" : "info";
  for (const auto& e : r.evidence) message(sev, e);
  for (const auto& o : r.objects) {
    std::string m = o.id + " [" + std::string(to_string(o.status)) + "]";
    for (const auto& e : o.evidence) m += "; " + e;
    message(o.status == Status::fail ? "warning" : o.status == Status::error ? "error" : "info", m);
  }
  add_check(rr, r);
}

// XCCDF 1.2 §7.3.1 default model: a rule scores 100 (pass) or 0 (fail, error); other results
// are left out; a group scores the mean of its scored children, the benchmark the mean of its
// groups. The flat model sums the weights of passed rules, with the maximum over all scored.
struct Scores {
  double default_score = 0;
  double flat = 0;
  double flat_max = 0;
};

Scores compute_scores(const std::vector<RuleResult>& results,
                      const std::vector<std::string>& sections) {
  Scores s;
  double group_sum = 0;
  int groups = 0;
  for (const auto& sec : sections) {
    double sum = 0;
    int n = 0;
    for (const auto& r : results) {
      if (section_of(r) != sec) continue;
      bool good = r.status == Status::pass || r.status == Status::waived;
      bool bad = r.status == Status::fail || r.status == Status::error;
      if (!good && !bad) continue;
      sum += good ? 100.0 : 0.0;
      ++n;
      s.flat_max += 1.0;
      if (good) s.flat += 1.0;
    }
    if (n == 0) continue;
    group_sum += sum / n;
    ++groups;
  }
  s.default_score = groups ? group_sum / groups : 0.0;
  return s;
}

}  // namespace

void write_xccdf_report(const ScanReport& report, std::ostream& out) {
  const ScanMeta& m = report.meta;
  std::vector<const ProfileRef*> requested;
  for (const auto& p : m.profiles)
    if (p.requested) requested.push_back(&p);
  std::string bench_name, bench_version;
  for (const auto* p : requested) {
    bench_name += (bench_name.empty() ? "" : "-") + id_part(p->id);
    bench_version += (bench_version.empty() ? "" : " ") + p->id + " " + p->version;
  }
  if (bench_name.empty()) bench_name = "scan";
  if (bench_version.empty()) bench_version = m.version;

  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto bench = doc.append_child("Benchmark");
  bench.append_attribute("xmlns") = k_xccdf_namespace;
  bench.append_attribute("id") = (std::string(k_xccdf_prefix) + "benchmark_" + bench_name).c_str();
  bench.append_attribute("resolved") = "1";
  bench.append_attribute("xml:lang") = "en";
  bench.append_child("status").text().set("accepted");
  std::string title;
  for (const auto* p : requested) title += (title.empty() ? "" : " + ") + p->title;
  text(bench, "title", title.empty() ? std::string("hostbench scan") : title);
  text(bench, "description",
       "Rules of the hostbench profiles used for this scan, with the scan's results.");
  // The CPE 2.2 URI: OpenSCAP 1.3.7 rejects a CPE 2.3 formatted string here (it only warns
  // that the URI form is deprecated).
  bench.append_child("platform").append_attribute("idref") = "cpe:/o:linux:linux_kernel";
  text(bench, "version", bench_version);
  auto meta = bench.append_child("metadata");
  auto dc = [&](const char* name, const std::string& value) {
    auto n = meta.append_child(name);
    n.append_attribute("xmlns:dc") = "http://purl.org/dc/elements/1.1/";
    n.text().set(xml_clean(value).c_str());
  };
  dc("dc:creator", "hostbench " + m.version);
  dc("dc:publisher", "hostbench");
  dc("dc:source", "hostbench profiles: " + bench_version);

  // Profiles: each selects its own rules and, through extends, its parents'.
  std::map<std::string, const ProfileRef*> by_id;
  for (const auto& p : m.profiles) by_id[p.id] = &p;
  for (const auto& p : m.profiles) {
    std::set<std::string> closure{p.id};
    std::vector<std::string> todo = p.extends;
    while (!todo.empty()) {
      std::string id = todo.back();
      todo.pop_back();
      if (!closure.insert(id).second) continue;
      if (auto it = by_id.find(id); it != by_id.end())
        todo.insert(todo.end(), it->second->extends.begin(), it->second->extends.end());
    }
    auto prof = bench.append_child("Profile");
    prof.append_attribute("id") = (std::string(k_xccdf_prefix) + "profile_" + id_part(p.id)).c_str();
    text(prof, "title", p.title.empty() ? p.id : p.title);
    if (!p.description.empty()) text(prof, "description", p.description);
    for (const auto& r : report.results) {
      if (!closure.count(r.meta.profile)) continue;
      auto sel = prof.append_child("select");
      sel.append_attribute("idref") = xccdf_rule_id(r.meta.id).c_str();
      sel.append_attribute("selected") = "true";
    }
  }

  // Groups in order of first appearance; rules in scan order within them.
  std::vector<std::string> sections;
  for (const auto& r : report.results)
    if (std::find(sections.begin(), sections.end(), section_of(r)) == sections.end())
      sections.push_back(section_of(r));
  for (const auto& sec : sections) {
    auto group = bench.append_child("Group");
    group.append_attribute("id") = (std::string(k_xccdf_prefix) + "group_" + id_part(sec)).c_str();
    text(group, "title", sec);
    for (const auto& r : report.results)
      if (section_of(r) == sec) add_rule(group, r);
  }

  const std::string start = format_time(m.started), end = format_time(m.finished);
  auto tr = bench.append_child("TestResult");
  tr.append_attribute("id") = (std::string(k_xccdf_prefix) + "testresult_" + bench_name).c_str();
  tr.append_attribute("start-time") = start.c_str();
  tr.append_attribute("end-time") = end.c_str();
  tr.append_attribute("test-system") = ("cpe:/a:hostbench:hostbench:" + m.version).c_str();
  tr.append_attribute("version") = xml_clean(bench_version).c_str();
  auto bref = tr.append_child("benchmark");
  bref.append_attribute("href") = "#";
  bref.append_attribute("id") = (std::string(k_xccdf_prefix) + "benchmark_" + bench_name).c_str();
  text(tr, "title", "hostbench scan of " + m.hostname);
  auto ident = tr.append_child("identity");
  ident.append_attribute("authenticated") = "false";
  ident.append_attribute("privileged") = m.user.find("(0)") != std::string::npos ? "true" : "false";
  ident.text().set(xml_clean(m.user).c_str());
  if (!requested.empty())
    tr.append_child("profile").append_attribute("idref") =
        (std::string(k_xccdf_prefix) + "profile_" + id_part(requested.front()->id)).c_str();
  text(tr, "target", m.hostname);
  for (const auto& a : m.addresses) text(tr, "target-address", a);
  auto facts = tr.append_child("target-facts");
  auto fact = [&](const char* name, const std::string& value, const char* type = "string") {
    auto f = facts.append_child("fact");
    f.append_attribute("name") = name;
    f.append_attribute("type") = type;
    f.text().set(xml_clean(value).c_str());
  };
  fact("urn:xccdf:fact:scanner:name", m.tool);
  fact("urn:xccdf:fact:scanner:version", m.version);
  fact("urn:xccdf:fact:asset:identifier:host_name", m.hostname);
  for (const auto& a : m.addresses)
    fact(a.find(':') != std::string::npos ? "urn:xccdf:fact:asset:identifier:ipv6"
                                          : "urn:xccdf:fact:asset:identifier:ipv4",
         a);
  fact("urn:hostbench:fact:os", m.os);
  fact("urn:hostbench:fact:kernel", m.kernel);
  fact("urn:hostbench:fact:virtualization", m.virtualization);
  fact("urn:hostbench:fact:root", m.root);
  for (const auto& r : report.results) add_rule_result(tr, r, end);

  Scores s = compute_scores(report.results, sections);
  auto sc = tr.append_child("score");
  sc.append_attribute("system") = "urn:xccdf:scoring:default";
  sc.append_attribute("maximum") = "100.000000";
  sc.text().set(decimal(s.default_score).c_str());
  auto flat = tr.append_child("score");
  flat.append_attribute("system") = "urn:xccdf:scoring:flat";
  flat.append_attribute("maximum") = decimal(s.flat_max).c_str();
  flat.text().set(decimal(s.flat).c_str());

  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

}  // namespace hb
