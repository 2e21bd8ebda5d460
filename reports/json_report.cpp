#include "reports/json_report.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "reports/drift_json.hpp"
#include "reports/escape.hpp"

namespace hb {

using OJson = nlohmann::ordered_json;

namespace {

OJson evidence_json(const std::vector<std::string>& ev) {
  OJson a = OJson::array();
  for (const auto& e : ev) a.push_back(sanitize_utf8(e));
  return a;
}

OJson waiver_json(const Waiver& w) {
  OJson j;
  j["rule"] = sanitize_utf8(w.rule);
  if (!w.object.empty()) j["object"] = sanitize_utf8(w.object);
  j["justification"] = sanitize_utf8(w.justification);
  if (!w.owner.empty()) j["owner"] = sanitize_utf8(w.owner);
  if (!w.expires.empty()) j["expires"] = sanitize_utf8(w.expires);
  j["source"] = sanitize_utf8(w.source);
  return j;
}

OJson result_json(const RuleResult& r) {
  OJson j;
  j["id"] = r.meta.id;
  j["title"] = r.meta.title;
  j["profile"] = r.meta.profile;
  j["severity"] = to_string(r.meta.severity);
  j["status"] = to_string(r.status);
  j["evidence"] = evidence_json(r.evidence);
  OJson refs = OJson::object();
  for (const auto& [k, v] : r.meta.references) refs[k] = v;
  j["references"] = refs;
  j["tags"] = r.meta.tags;
  j["duration_ms"] = static_cast<double>(r.duration_us) / 1000.0;
  j["description"] = r.meta.description;
  j["rationale"] = r.meta.rationale;
  j["remediation"] = r.meta.remediation;
  j["source"] = r.meta.source;
  OJson objs = OJson::array();
  for (const auto& o : r.objects) {
    OJson oj;
    oj["id"] = sanitize_utf8(o.id);
    oj["status"] = to_string(o.status);
    oj["evidence"] = evidence_json(o.evidence);
    objs.push_back(std::move(oj));
  }
  j["objects"] = std::move(objs);
  if (!r.waivers.empty()) {  // only when a waiver applied: results without waivers are unchanged
    OJson ws = OJson::array();
    for (const auto& a : r.waivers) {
      OJson wj;
      wj["waiver"] = waiver_json(a.waiver);
      if (!a.object.empty()) wj["object"] = sanitize_utf8(a.object);
      ws.push_back(std::move(wj));
    }
    j["waivers"] = std::move(ws);
  }
  return j;
}

}  // namespace

void write_json_report(const ScanReport& report, std::ostream& out) {
  const ScanMeta& m = report.meta;
  OJson j;
  j["schema"] = k_results_schema;
  j["tool"] = {{"name", m.tool}, {"version", m.version}};
  OJson scan;
  scan["started"] = format_time(m.started);
  scan["finished"] = format_time(m.finished);
  scan["duration_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(m.finished - m.started).count();
  scan["root"] = sanitize_utf8(m.root);
  scan["hostname"] = sanitize_utf8(m.hostname);
  scan["os"] = sanitize_utf8(m.os);
  scan["kernel"] = sanitize_utf8(m.kernel);
  scan["virtualization"] = sanitize_utf8(m.virtualization);
  scan["container_optimized_os"] = m.container_optimized_os;
  OJson addrs = OJson::array();
  for (const auto& a : m.addresses) addrs.push_back(sanitize_utf8(a));
  scan["addresses"] = addrs;
  OJson profiles = OJson::array();
  for (const auto& p : m.profiles) {
    OJson pj;
    pj["id"] = p.id;
    pj["title"] = p.title;
    pj["version"] = p.version;
    pj["description"] = p.description;
    pj["requested"] = p.requested;
    pj["extends"] = p.extends;
    profiles.push_back(std::move(pj));
  }
  scan["profiles"] = profiles;
  scan["user"] = sanitize_utf8(m.user);
  scan["jobs"] = m.jobs;
  j["scan"] = std::move(scan);

  const Summary& s = report.summary;
  OJson sum;
  sum["total"] = s.total;
  for (Status st : k_all_statuses) sum[std::string(to_string(st))] = s.count(st);
  sum["score"] = std::round(s.score * 10.0) / 10.0;
  OJson by_sev;
  for (Severity sv : k_all_severities)
    by_sev[std::string(to_string(sv))] = s.by_severity_failed[static_cast<int>(sv)];
  sum["failed_by_severity"] = by_sev;
  j["summary"] = std::move(sum);
  if (report.waivers) {
    const WaiverStatus& ws = *report.waivers;
    OJson wj;
    wj["file"] = sanitize_utf8(ws.file);
    wj["loaded"] = ws.loaded;
    wj["applied"] = ws.applied;
    auto notes = [](const std::vector<WaiverNote>& v) {
      OJson a = OJson::array();
      for (const auto& n : v) {
        OJson e = waiver_json(n.waiver);
        e["reason"] = sanitize_utf8(n.reason);
        a.push_back(std::move(e));
      }
      return a;
    };
    wj["expired"] = notes(ws.expired);
    wj["unused"] = notes(ws.unused);
    j["waivers"] = std::move(wj);
  }

  OJson results = OJson::array();
  for (const auto& r : report.results) results.push_back(result_json(r));
  j["results"] = std::move(results);
  if (report.drift) j["drift"] = drift_to_json(*report.drift);  // after a comparison only
  out << j.dump(2, ' ', false, OJson::error_handler_t::replace) << '\n';
}

namespace {

std::string str(const OJson& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

Waiver waiver_from(const OJson& j) {
  Waiver w;
  if (!j.is_object()) return w;
  w.rule = str(j, "rule");
  w.object = str(j, "object");
  w.justification = str(j, "justification");
  w.owner = str(j, "owner");
  w.expires = str(j, "expires");
  w.source = str(j, "source");
  return w;
}

std::vector<std::string> strings(const OJson& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

}  // namespace

Expected<ScanReport> read_json_report(const std::string& text) {
  OJson j;
  try {
    j = OJson::parse(text);
  } catch (const OJson::exception& e) {
    return make_error(ErrorKind::parse, std::string("invalid JSON: ") + e.what());
  }
  if (!j.is_object() || str(j, "schema") != k_results_schema)
    return make_error(ErrorKind::parse, std::string("not hostbench results (schema is not ") +
                                            k_results_schema + ")");
  ScanReport rep;
  const OJson& tool = j.value("tool", OJson::object());
  rep.meta.tool = str(tool, "name");
  rep.meta.version = str(tool, "version");
  const OJson& scan = j.value("scan", OJson::object());
  rep.meta.started = parse_time(str(scan, "started")).value_or(SystemTime{});
  rep.meta.finished = parse_time(str(scan, "finished")).value_or(SystemTime{});
  rep.meta.root = str(scan, "root");
  rep.meta.hostname = str(scan, "hostname");
  rep.meta.os = str(scan, "os");
  rep.meta.kernel = str(scan, "kernel");
  rep.meta.virtualization = str(scan, "virtualization");
  if (auto it = scan.find("container_optimized_os"); it != scan.end() && it->is_boolean())
    rep.meta.container_optimized_os = it->get<bool>();
  rep.meta.user = str(scan, "user");
  rep.meta.addresses = strings(scan, "addresses");
  if (auto it = scan.find("jobs"); it != scan.end() && it->is_number_unsigned())
    rep.meta.jobs = it->get<unsigned>();
  if (auto it = scan.find("profiles"); it != scan.end() && it->is_array())
    for (const auto& p : *it)
      if (p.is_object()) {
        auto req = p.find("requested");
        rep.meta.profiles.push_back({str(p, "id"), str(p, "title"), str(p, "version"),
                                     str(p, "description"),
                                     req == p.end() || !req->is_boolean() || req->get<bool>(),
                                     strings(p, "extends")});
      }
  auto results = j.find("results");
  if (results == j.end() || !results->is_array())
    return make_error(ErrorKind::parse, "results: missing or not a list");
  for (const auto& rj : *results) {
    if (!rj.is_object()) return make_error(ErrorKind::parse, "results: an entry is not an object");
    RuleResult r;
    r.meta.id = str(rj, "id");
    r.meta.title = str(rj, "title");
    r.meta.profile = str(rj, "profile");
    r.meta.description = str(rj, "description");
    r.meta.rationale = str(rj, "rationale");
    r.meta.remediation = str(rj, "remediation");
    r.meta.source = str(rj, "source");
    auto sev = parse_severity(str(rj, "severity"));
    auto st = parse_status(str(rj, "status"));
    if (r.meta.id.empty() || !sev || !st)
      return make_error(ErrorKind::parse, "results: entry '" + r.meta.id +
                                              "' lacks a valid id, severity or status");
    r.meta.severity = *sev;
    r.status = *st;
    r.evidence = strings(rj, "evidence");
    r.meta.tags = strings(rj, "tags");
    if (auto it = rj.find("references"); it != rj.end() && it->is_object())
      for (const auto& [k, v] : it->items())
        if (v.is_string()) r.meta.references.emplace_back(k, v.get<std::string>());
    if (auto it = rj.find("duration_ms"); it != rj.end() && it->is_number())
      r.duration_us = static_cast<std::int64_t>(it->get<double>() * 1000.0 + 0.5);
    if (auto it = rj.find("objects"); it != rj.end() && it->is_array())
      for (const auto& oj : *it) {
        auto ost = parse_status(str(oj, "status"));
        if (!oj.is_object() || !ost)
          return make_error(ErrorKind::parse, "results: " + r.meta.id + ": an object lacks a status");
        r.objects.push_back(ObjectResult{str(oj, "id"), *ost, strings(oj, "evidence")});
      }
    if (auto it = rj.find("waivers"); it != rj.end() && it->is_array())
      for (const auto& wj : *it)
        if (wj.is_object()) r.waivers.push_back({waiver_from(wj.value("waiver", OJson::object())), str(wj, "object")});
    rep.results.push_back(std::move(r));
  }
  rep.summary = compute_summary(rep.results);
  if (auto it = j.find("waivers"); it != j.end() && it->is_object()) {
    WaiverStatus ws;
    ws.file = str(*it, "file");
    if (auto n = it->find("loaded"); n != it->end() && n->is_number_integer()) ws.loaded = n->get<int>();
    if (auto n = it->find("applied"); n != it->end() && n->is_number_integer()) ws.applied = n->get<int>();
    auto notes = [&](const char* key, std::vector<WaiverNote>& out) {
      if (auto a = it->find(key); a != it->end() && a->is_array())
        for (const auto& e : *a)
          if (e.is_object()) out.push_back({waiver_from(e), str(e, "reason")});
    };
    notes("expired", ws.expired);
    notes("unused", ws.unused);
    rep.waivers = std::move(ws);
  }
  if (auto it = j.find("drift"); it != j.end() && !it->is_null()) {  // absent in older results
    auto drift = drift_from_json(*it, "drift");
    if (!drift) return drift.error();
    rep.drift = std::move(*drift);
  }
  return rep;
}

}  // namespace hb
