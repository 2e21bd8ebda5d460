#include "reports/drift_console.hpp"

#include "engine/report.hpp"
#include "reports/escape.hpp"

namespace hb {

namespace {

struct Colors {
  const char* reset = "";
  const char* dim = "";
  const char* bold = "";
  const char* red = "";
  const char* green = "";
  const char* yellow = "";
  explicit Colors(bool on) {
    if (!on) return;
    reset = "\033[0m";
    dim = "\033[2m";
    bold = "\033[1m";
    red = "\033[1;31m";
    green = "\033[32m";
    yellow = "\033[33m";
  }
};

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string word(const std::optional<Status>& s, const char* absent) {
  return s ? std::string(to_string(*s)) : std::string(absent);
}

const char* color_of(DriftCategory c, const Colors& k) {
  switch (c) {
    case DriftCategory::newly_failing:
      return k.red;
    case DriftCategory::fixed:
      return k.green;
    case DriftCategory::still_failing:
      return k.red;
    default:
      return k.yellow;
  }
}

// "NEW FAIL", "FIXED" ...: what happened, in 9 columns.
const char* tag_of(DriftCategory c) {
  switch (c) {
    case DriftCategory::newly_failing:
      return "NEW FAIL";
    case DriftCategory::fixed:
      return "FIXED";
    case DriftCategory::still_failing:
      return "FAIL";
    case DriftCategory::changed:
      return "CHANGED";
    case DriftCategory::added:
      return "ADDED";
    case DriftCategory::removed:
      return "REMOVED";
  }
  return "";
}

void rule_line(std::ostream& out, DriftCategory c, const DriftRule& r, const Colors& k) {
  out << "  " << color_of(c, k) << pad(tag_of(c), 9) << k.reset << " "
      << pad(std::string(to_string(r.severity)), 8) << " " << pad(terminal_safe(r.id), 36) << " "
      << terminal_safe(r.title) << k.dim << " (" << word(r.before, "new") << " -> "
      << word(r.after, "gone") << ")" << k.reset << "\n";
}

void object_lines(std::ostream& out, const char* what, const Capped<DriftObject>& list,
                  const Colors& k) {
  for (const auto& o : list.items) {
    out << "            " << what << " " << terminal_safe(o.id) << k.dim << " ("
        << word(o.before, "new") << " -> " << word(o.after, "gone") << ")";
    if (!o.evidence.empty()) out << ": " << terminal_safe(o.evidence.front());
    out << k.reset << "\n";
  }
  if (list.total > list.items.size())
    out << "            ... and " << list.total - list.items.size() << " more " << what
        << " objects\n";
}

void details(std::ostream& out, const DriftRule& r, const Colors& k) {
  for (const auto& l : r.evidence_added.items) out << "            + " << terminal_safe(l) << "\n";
  if (r.evidence_added.total > r.evidence_added.items.size())
    out << "            ... and " << r.evidence_added.total - r.evidence_added.items.size()
        << " more new lines\n";
  for (const auto& l : r.evidence_removed.items)
    out << k.dim << "            - " << terminal_safe(l) << k.reset << "\n";
  if (r.evidence_removed.total > r.evidence_removed.items.size())
    out << "            ... and " << r.evidence_removed.total - r.evidence_removed.items.size()
        << " more old lines\n";
  object_lines(out, "newly failing", r.new_failing_objects, k);
  object_lines(out, "fixed", r.fixed_objects, k);
  object_lines(out, "changed", r.changed_objects, k);
}

std::string scan_name(const DriftScan& s) {
  return terminal_safe(s.hostname.empty() ? "unknown host" : s.hostname) + " at " +
         format_time(s.started);
}

}  // namespace

std::string drift_counts_line(const Drift& d) {
  std::string out;
  for (DriftCategory c : k_drift_categories)
    out += (out.empty() ? "" : ", ") + std::to_string(d.rules(c).size()) + " " + to_label(c);
  return out + ", " + std::to_string(d.unchanged) + " unchanged";
}

void write_drift_console(const Drift& d, const ConsoleOptions& opt, bool full, std::ostream& out) {
  const Colors k(opt.color);
  if (full) {
    out << k.bold << "hostbench diff: " << scan_name(d.before) << " -> " << scan_name(d.after)
        << k.reset << "\n";
  } else {
    out << k.bold << "Changes since the scan of " << scan_name(d.before) << k.reset << ": ";
  }
  out << drift_counts_line(d) << "\n";
  for (const auto& w : d.warnings)
    out << k.yellow << "warning: " << k.reset << terminal_safe(w) << "\n";
  if (opt.quiet) return;
  if (!full) {
    // The two categories that matter at a glance.
    for (DriftCategory c : {DriftCategory::newly_failing, DriftCategory::fixed}) {
      const auto& rules = d.rules(c);
      std::size_t shown = 0;
      for (const auto& r : rules) {
        if (shown++ >= opt.max_objects) break;
        rule_line(out, c, r, k);
      }
      if (rules.size() > opt.max_objects)
        out << "  ... and " << rules.size() - opt.max_objects << " more " << to_label(c)
            << " (hostbench diff lists them all)\n";
    }
    out << "\n";
    return;
  }
  if (!d.has_changes()) out << "Nothing changed since the earlier scan.\n";
  for (DriftCategory c :
       {DriftCategory::newly_failing, DriftCategory::fixed, DriftCategory::changed,
        DriftCategory::added, DriftCategory::removed, DriftCategory::still_failing}) {
    const auto& rules = d.rules(c);
    if (rules.empty()) continue;
    std::string heading = to_label(c);
    heading[0] = static_cast<char>(heading[0] - 'a' + 'A');
    out << "\n" << k.bold << heading << " (" << rules.size() << "):" << k.reset << "\n";
    std::size_t same = 0;  // still failing as before: counted, not listed
    for (const auto& r : rules) {
      if (c == DriftCategory::still_failing && !r.differs()) {
        ++same;
        continue;
      }
      rule_line(out, c, r, k);
      details(out, r, k);
    }
    if (same > 0)
      out << "  " << same << (same == rules.size() ? "" : " more")
          << " failing as before (--json lists them)\n";
  }
}

}  // namespace hb
