#include "engine/drift.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "engine/report.hpp"
#include "engine/text.hpp"

namespace hb {

const char* to_key(DriftCategory c) {
  switch (c) {
    case DriftCategory::newly_failing:
      return "newly_failing";
    case DriftCategory::fixed:
      return "fixed";
    case DriftCategory::still_failing:
      return "still_failing";
    case DriftCategory::changed:
      return "changed";
    case DriftCategory::added:
      return "added";
    case DriftCategory::removed:
      return "removed";
  }
  return "";
}

const char* to_label(DriftCategory c) {
  switch (c) {
    case DriftCategory::newly_failing:
      return "newly failing";
    case DriftCategory::fixed:
      return "fixed";
    case DriftCategory::still_failing:
      return "still failing";
    case DriftCategory::changed:
      return "changed";
    case DriftCategory::added:
      return "added";
    case DriftCategory::removed:
      return "removed";
  }
  return "";
}

bool DriftRule::differs() const {
  return before != after || !evidence_removed.empty() || !evidence_added.empty() ||
         !new_failing_objects.empty() || !fixed_objects.empty() || !changed_objects.empty();
}

std::vector<DriftRule>& Drift::rules(DriftCategory c) {
  switch (c) {
    case DriftCategory::newly_failing:
      return newly_failing;
    case DriftCategory::fixed:
      return fixed;
    case DriftCategory::still_failing:
      return still_failing;
    case DriftCategory::changed:
      return changed;
    case DriftCategory::added:
      return added;
    case DriftCategory::removed:
      return removed;
  }
  return changed;
}

const std::vector<DriftRule>& Drift::rules(DriftCategory c) const {
  return const_cast<Drift*>(this)->rules(c);
}

bool Drift::has_changes() const {
  if (!newly_failing.empty() || !fixed.empty() || !changed.empty() || !added.empty() ||
      !removed.empty())
    return true;
  return std::any_of(still_failing.begin(), still_failing.end(),
                     [](const DriftRule& r) { return r.differs(); });
}

std::string drift_line(const std::string& line) {
  std::string s = sanitize_utf8(line);
  if (s.size() <= k_drift_max_line) return s;
  std::size_t cut = k_drift_max_line - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // a boundary
  s.resize(cut);
  return s + "...";
}

namespace {

template <class T>
void push(Capped<T>& list, std::size_t cap, T item) {
  ++list.total;
  if (list.items.size() < cap) list.items.push_back(std::move(item));
}

void push_line(Capped<std::string>& list, const std::string& line) {
  ++list.total;
  if (list.items.size() < k_drift_max_evidence) list.items.push_back(drift_line(line));
}

// Lines only in `before` and lines only in `after`, as multisets, each in its scan's order.
void diff_lines(const std::vector<std::string>& before, const std::vector<std::string>& after,
                Capped<std::string>& removed, Capped<std::string>& added) {
  if (before == after) return;
  std::unordered_map<std::string_view, std::size_t> left;
  left.reserve(before.size());
  for (const auto& l : before) ++left[l];
  for (const auto& l : after) {
    auto it = left.find(l);
    if (it != left.end() && it->second > 0)
      --it->second;
    else
      push_line(added, l);
  }
  for (const auto& l : before) {
    auto it = left.find(l);
    if (it->second > 0) {
      --it->second;
      push_line(removed, l);
    }
  }
}

DriftObject drift_object(const ObjectResult* b, const ObjectResult* a) {
  DriftObject o;
  const ObjectResult& shown = a ? *a : *b;
  o.id = drift_line(shown.id);
  if (b) o.before = b->status;
  if (a) o.after = a->status;
  for (std::size_t i = 0; i < shown.evidence.size() && i < k_drift_max_object_evidence; ++i)
    o.evidence.push_back(drift_line(shown.evidence[i]));
  return o;
}

// Pairs the objects of two results by id (the n-th object of an id with the n-th of the same
// id, should a probe repeat one) and sorts each difference into the rule's lists.
void diff_objects(const std::vector<ObjectResult>& before, const std::vector<ObjectResult>& after,
                  DriftRule& out) {
  if (before.empty() && after.empty()) return;
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  struct Chain {
    std::size_t last;
    std::size_t cursor;  // the next earlier object of this id not yet paired
  };
  std::vector<std::size_t> next(before.size(), none);
  std::unordered_map<std::string_view, Chain> by_id;
  by_id.reserve(before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    auto [it, inserted] = by_id.try_emplace(before[i].id, Chain{i, i});
    if (!inserted) {
      next[it->second.last] = i;
      it->second.last = i;
    }
  }
  std::vector<bool> paired(before.size(), false);
  for (const auto& a : after) {
    const ObjectResult* b = nullptr;
    if (auto it = by_id.find(a.id); it != by_id.end() && it->second.cursor != none) {
      b = &before[it->second.cursor];
      paired[it->second.cursor] = true;
      it->second.cursor = next[it->second.cursor];
    }
    const bool a_fails = a.status == Status::fail;
    const bool b_fails = b && b->status == Status::fail;
    if (a_fails && !b_fails)
      push(out.new_failing_objects, k_drift_max_objects, drift_object(b, &a));
    else if (b_fails && !a_fails)
      push(out.fixed_objects, k_drift_max_objects, drift_object(b, &a));
    else if (!b || b->status != a.status || b->evidence != a.evidence)
      push(out.changed_objects, k_drift_max_objects, drift_object(b, &a));
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (paired[i]) continue;
    if (before[i].status == Status::fail)
      push(out.fixed_objects, k_drift_max_objects, drift_object(&before[i], nullptr));
    else
      push(out.changed_objects, k_drift_max_objects, drift_object(&before[i], nullptr));
  }
}

DriftRule rule_of(const RuleResult& shown) {
  DriftRule r;
  r.id = shown.meta.id;
  r.title = shown.meta.title;
  r.severity = shown.meta.severity;
  return r;
}

DriftScan scan_of(const ScanReport& report) {
  DriftScan s;
  s.hostname = report.meta.hostname;
  s.root = report.meta.root;
  s.started = report.meta.started;
  for (const auto& p : report.meta.profiles)
    if (p.requested) s.profiles.push_back(p.version.empty() ? p.id : p.id + " " + p.version);
  return s;
}

std::string listed(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

void add_warnings(const ScanReport& before, const ScanReport& after, Drift& d) {
  const ScanMeta& b = before.meta;
  const ScanMeta& a = after.meta;
  if (b.hostname != a.hostname)
    d.warnings.push_back("the scans are of different hosts: '" + b.hostname + "' then '" +
                         a.hostname + "'");
  if (b.root != a.root)
    d.warnings.push_back("the scans are of different roots: '" + b.root + "' then '" + a.root +
                         "'");
  // Profiles by id (requested ones), then versions of the same id.
  std::unordered_map<std::string_view, std::string_view> bv, av;
  for (const auto& p : b.profiles)
    if (p.requested) bv.emplace(p.id, p.version);
  for (const auto& p : a.profiles)
    if (p.requested) av.emplace(p.id, p.version);
  bool same_set = bv.size() == av.size();
  for (const auto& [id, v] : bv)
    if (!av.count(id)) same_set = false;
  if (!same_set) {
    d.warnings.push_back("the scans used different profiles: " + listed(d.before.profiles) +
                         " then " + listed(d.after.profiles));
  } else {
    for (const auto& p : a.profiles) {
      if (!p.requested) continue;
      auto it = bv.find(p.id);
      if (it != bv.end() && it->second != p.version)
        d.warnings.push_back("profile " + p.id + " changed version: " + std::string(it->second) +
                             " then " + p.version + " (its rules may have changed)");
    }
  }
  if (a.started < b.started)
    d.warnings.push_back("the earlier scan (" + format_time(b.started) +
                         ") started after the later one (" + format_time(a.started) +
                         "): are the two swapped?");
}

void sort_by_severity(std::vector<DriftRule>& rules) {
  std::stable_sort(rules.begin(), rules.end(), [](const DriftRule& x, const DriftRule& y) {
    return static_cast<int>(x.severity) > static_cast<int>(y.severity);
  });
}

}  // namespace

Drift compute_drift(const ScanReport& before, const ScanReport& after) {
  Drift d;
  d.before = scan_of(before);
  d.after = scan_of(after);
  add_warnings(before, after, d);

  // The first result of each id (ids are unique in a scan; a repeat is ignored, not fatal).
  std::unordered_map<std::string_view, const RuleResult*> earlier;
  earlier.reserve(before.results.size());
  for (const auto& r : before.results) earlier.try_emplace(r.meta.id, &r);
  std::unordered_set<std::string_view> seen;
  seen.reserve(after.results.size());

  for (const auto& a : after.results) {
    if (!seen.insert(a.meta.id).second) continue;
    auto it = earlier.find(a.meta.id);
    DriftRule r = rule_of(a);
    r.after = a.status;
    if (it == earlier.end()) {
      for (const auto& e : a.evidence) push_line(r.evidence_added, e);
      for (const auto& o : a.objects)
        if (o.status == Status::fail)
          push(r.new_failing_objects, k_drift_max_objects, drift_object(nullptr, &o));
      (a.status == Status::fail ? d.newly_failing : d.added).push_back(std::move(r));
      continue;
    }
    const RuleResult& b = *it->second;
    r.before = b.status;
    diff_lines(b.evidence, a.evidence, r.evidence_removed, r.evidence_added);
    diff_objects(b.objects, a.objects, r);
    if (a.status == Status::fail) {
      if (b.status != Status::fail || !r.new_failing_objects.empty())
        d.newly_failing.push_back(std::move(r));
      else if (!r.fixed_objects.empty())
        d.fixed.push_back(std::move(r));
      else
        d.still_failing.push_back(std::move(r));
    } else if (b.status == Status::fail) {
      d.fixed.push_back(std::move(r));
    } else if (r.differs()) {
      d.changed.push_back(std::move(r));
    } else {
      ++d.unchanged;
    }
  }
  std::unordered_set<std::string_view> gone_seen;
  for (const auto& b : before.results) {
    if (seen.count(b.meta.id) || !gone_seen.insert(b.meta.id).second) continue;
    DriftRule r = rule_of(b);
    r.before = b.status;
    for (const auto& e : b.evidence) push_line(r.evidence_removed, e);
    d.removed.push_back(std::move(r));
  }
  for (DriftCategory c : k_drift_categories) sort_by_severity(d.rules(c));
  return d;
}

}  // namespace hb
