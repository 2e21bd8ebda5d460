#include "reports/drift_json.hpp"

#include "engine/report.hpp"
#include "engine/text.hpp"

namespace hb {

using OJson = nlohmann::ordered_json;

namespace {

OJson status_json(const std::optional<Status>& s) {
  return s ? OJson(std::string(to_string(*s))) : OJson(nullptr);
}

OJson lines_json(const std::vector<std::string>& lines) {
  OJson a = OJson::array();
  for (const auto& l : lines) a.push_back(sanitize_utf8(l));
  return a;
}

OJson scan_json(const DriftScan& s) {
  OJson j;
  j["hostname"] = sanitize_utf8(s.hostname);
  j["root"] = sanitize_utf8(s.root);
  j["started"] = format_time(s.started);
  j["profiles"] = lines_json(s.profiles);
  return j;
}

// A capped list appears only when it holds something, with its total before capping.
template <class T, class F>
void capped_json(OJson& j, const char* key, const Capped<T>& list, F item_json) {
  if (list.empty()) return;
  OJson a = OJson::array();
  for (const auto& i : list.items) a.push_back(item_json(i));
  j[key] = std::move(a);
  j[std::string(key) + "_total"] = list.total;
}

OJson object_json(const DriftObject& o) {
  OJson j;
  j["id"] = sanitize_utf8(o.id);
  j["before"] = status_json(o.before);
  j["after"] = status_json(o.after);
  j["evidence"] = lines_json(o.evidence);
  return j;
}

OJson rule_json(const DriftRule& r) {
  OJson j;
  j["id"] = sanitize_utf8(r.id);
  j["title"] = sanitize_utf8(r.title);
  j["severity"] = to_string(r.severity);
  j["before"] = status_json(r.before);
  j["after"] = status_json(r.after);
  auto line = [](const std::string& s) { return OJson(sanitize_utf8(s)); };
  capped_json(j, "evidence_removed", r.evidence_removed, line);
  capped_json(j, "evidence_added", r.evidence_added, line);
  capped_json(j, "new_failing_objects", r.new_failing_objects, object_json);
  capped_json(j, "fixed_objects", r.fixed_objects, object_json);
  capped_json(j, "changed_objects", r.changed_objects, object_json);
  return j;
}

// --- reading ------------------------------------------------------------------------------------

Error bad(const std::string& where, const std::string& what) {
  return make_error(ErrorKind::parse, (where.empty() ? "" : where + ": ") + what);
}

std::string at(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

Expected<std::string> get_string(const OJson& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return bad(at(where, key), "missing or not a string");
  return it->get<std::string>();
}

Expected<std::vector<std::string>> get_strings(const OJson& j, const char* key,
                                               const std::string& where, bool required) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) return bad(at(where, key), "missing");
    return out;
  }
  if (!it->is_array()) return bad(at(where, key), "not a list");
  for (const auto& e : *it) {
    if (!e.is_string()) return bad(at(where, key), "an entry is not a string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

// A status or null (absent in that scan).
Expected<std::optional<Status>> get_status(const OJson& j, const char* key,
                                           const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return bad(at(where, key), "missing");
  if (it->is_null()) return std::optional<Status>();
  if (it->is_string())
    if (auto s = parse_status(it->get<std::string>())) return std::optional<Status>(*s);
  return bad(at(where, key), "not a status or null");
}

Expected<DriftObject> object_from(const OJson& j, const std::string& where) {
  if (!j.is_object()) return bad(where, "not an object");
  DriftObject o;
  auto id = get_string(j, "id", where);
  if (!id) return id.error();
  o.id = *id;
  auto b = get_status(j, "before", where);
  if (!b) return b.error();
  auto a = get_status(j, "after", where);
  if (!a) return a.error();
  o.before = *b;
  o.after = *a;
  auto ev = get_strings(j, "evidence", where, false);
  if (!ev) return ev.error();
  o.evidence = std::move(*ev);
  return o;
}

template <class T, class F>
Expected<Unit> capped_from(const OJson& j, const char* key, const std::string& where,
                           Capped<T>& out, F item_from) {
  auto it = j.find(key);
  if (it == j.end()) return ok_unit();
  const std::string here = at(where, key);
  if (!it->is_array()) return bad(here, "not a list");
  for (std::size_t i = 0; i < it->size(); ++i) {
    auto item = item_from((*it)[i], here + "[" + std::to_string(i) + "]");
    if (!item) return item.error();
    out.items.push_back(std::move(*item));
  }
  out.total = out.items.size();
  auto total = j.find(std::string(key) + "_total");
  if (total != j.end()) {
    if (!total->is_number_unsigned() || total->get<std::size_t>() < out.items.size())
      return bad(here + "_total", "not a count of at least the entries listed");
    out.total = total->get<std::size_t>();
  }
  return ok_unit();
}

Expected<std::string> line_from(const OJson& j, const std::string& where) {
  if (!j.is_string()) return bad(where, "not a string");
  return j.get<std::string>();
}

Expected<DriftRule> rule_from(const OJson& j, const std::string& where) {
  if (!j.is_object()) return bad(where, "not an object");
  DriftRule r;
  auto id = get_string(j, "id", where);
  if (!id) return id.error();
  if (id->empty()) return bad(at(where, "id"), "empty");
  r.id = *id;
  if (auto it = j.find("title"); it != j.end() && it->is_string()) r.title = it->get<std::string>();
  auto sev_text = get_string(j, "severity", where);
  if (!sev_text) return sev_text.error();
  auto sev = parse_severity(*sev_text);
  if (!sev) return bad(at(where, "severity"), "unknown severity '" + *sev_text + "'");
  r.severity = *sev;
  auto b = get_status(j, "before", where);
  if (!b) return b.error();
  auto a = get_status(j, "after", where);
  if (!a) return a.error();
  if (!*b && !*a) return bad(where, "neither a before nor an after status");
  r.before = *b;
  r.after = *a;
  for (auto [key, list] : {std::pair{"evidence_removed", &r.evidence_removed},
                           std::pair{"evidence_added", &r.evidence_added}})
    if (auto ok = capped_from(j, key, where, *list, line_from); !ok) return ok.error();
  for (auto [key, list] : {std::pair{"new_failing_objects", &r.new_failing_objects},
                           std::pair{"fixed_objects", &r.fixed_objects},
                           std::pair{"changed_objects", &r.changed_objects}})
    if (auto ok = capped_from(j, key, where, *list, object_from); !ok) return ok.error();
  return r;
}

Expected<DriftScan> scan_from(const OJson& j, const std::string& where) {
  if (!j.is_object()) return bad(where, "missing or not an object");
  DriftScan s;
  auto host = get_string(j, "hostname", where);
  if (!host) return host.error();
  s.hostname = *host;
  if (auto it = j.find("root"); it != j.end() && it->is_string()) s.root = it->get<std::string>();
  auto started = get_string(j, "started", where);
  if (!started) return started.error();
  auto t = parse_time(*started);
  if (!t) return bad(at(where, "started"), "not an RFC 3339 time: '" + *started + "'");
  s.started = *t;
  auto profiles = get_strings(j, "profiles", where, false);
  if (!profiles) return profiles.error();
  s.profiles = std::move(*profiles);
  return s;
}

}  // namespace

OJson drift_to_json(const Drift& d) {
  OJson j;
  j["before"] = scan_json(d.before);
  j["after"] = scan_json(d.after);
  j["warnings"] = lines_json(d.warnings);
  j["has_changes"] = d.has_changes();
  OJson counts;
  for (DriftCategory c : k_drift_categories) counts[to_key(c)] = d.rules(c).size();
  counts["unchanged"] = d.unchanged;
  j["counts"] = std::move(counts);
  for (DriftCategory c : k_drift_categories) {
    OJson a = OJson::array();
    for (const auto& r : d.rules(c)) a.push_back(rule_json(r));
    j[to_key(c)] = std::move(a);
  }
  return j;
}

Expected<Drift> drift_from_json(const OJson& j, const std::string& where) {
  if (!j.is_object()) return bad(where, "not an object");
  Drift d;
  auto b = scan_from(j.value("before", OJson()), at(where, "before"));
  if (!b) return b.error();
  auto a = scan_from(j.value("after", OJson()), at(where, "after"));
  if (!a) return a.error();
  d.before = std::move(*b);
  d.after = std::move(*a);
  auto warnings = get_strings(j, "warnings", where, false);
  if (!warnings) return warnings.error();
  d.warnings = std::move(*warnings);
  if (auto it = j.find("counts"); it != j.end() && it->is_object())
    if (auto u = it->find("unchanged"); u != it->end() && u->is_number_integer() && *u >= 0)
      d.unchanged = u->get<int>();
  for (DriftCategory c : k_drift_categories) {
    const std::string here = at(where, to_key(c));
    auto it = j.find(to_key(c));
    if (it == j.end()) return bad(here, "missing");
    if (!it->is_array()) return bad(here, "not a list");
    for (std::size_t i = 0; i < it->size(); ++i) {
      auto r = rule_from((*it)[i], here + "[" + std::to_string(i) + "]");
      if (!r) return r.error();
      d.rules(c).push_back(std::move(*r));
    }
  }
  return d;
}

void write_drift_json(const Drift& drift, std::ostream& out) {
  OJson j;
  j["schema"] = k_drift_schema;
  OJson body = drift_to_json(drift);  // named: a temporary would die before the loop
  for (auto& [k, v] : body.items()) j[k] = std::move(v);
  out << j.dump(2, ' ', false, OJson::error_handler_t::replace) << '\n';
}

Expected<Drift> read_drift_json(const std::string& text) {
  OJson j;
  try {
    j = OJson::parse(text);
  } catch (const OJson::exception& e) {
    return make_error(ErrorKind::parse, std::string("invalid JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("schema") || j["schema"] != k_drift_schema)
    return make_error(ErrorKind::parse,
                      std::string("not a hostbench drift (schema is not ") + k_drift_schema + ")");
  return drift_from_json(j, "");
}

}  // namespace hb
