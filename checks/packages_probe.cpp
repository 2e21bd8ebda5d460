#include "checks/packages_probe.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "checks/apt_lists.hpp"
#include "checks/apt_sources.hpp"
#include "checks/deb_version.hpp"
#include "checks/dpkg_status.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

enum class Mode { installed, updates, lists_fresh, sources_signed };

constexpr std::size_t k_max_objects = 1000;
constexpr std::int64_t k_day = 86400;
// A Release Date up to a day ahead is clock skew between the archive and this host, not an error.
constexpr std::int64_t k_future_slack = k_day;

std::int64_t seconds_of(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string days_text(std::int64_t seconds) {
  std::int64_t d = seconds / k_day;
  return std::to_string(d) + (d == 1 ? " day" : " days");
}

// Adds objects up to k_max_objects and counts the rest, for a closing line of evidence.
class Objects {
 public:
  explicit Objects(Outcome& o) : o_(o) {}
  void add(std::string id, Status s, std::string evidence) {
    if (o_.objects.size() >= k_max_objects) {
      ++left_out_;
      o_.status = worst(o_.status, s);
      return;
    }
    o_.add_object(ObjectResult{std::move(id), s, {std::move(evidence)}});
  }
  void close() {
    if (left_out_)
      o_.evidence.push_back(std::to_string(left_out_) + " more objects left out (at most " +
                            std::to_string(k_max_objects) + " are listed)");
  }

 private:
  Outcome& o_;
  std::size_t left_out_ = 0;
};

// The dpkg database, or the outcome that says why there is none to judge.
std::optional<Outcome> no_database(const ProbeContext& ctx,
                                   const std::shared_ptr<const Expected<DpkgStatus>>& db) {
  if (db->ok()) return std::nullopt;
  if (db->kind() == ErrorKind::not_found) {
    for (std::string_view rpm : {"/var/lib/rpm", "/usr/lib/sysimage/rpm"})
      if (ctx.host.exists(rpm))
        return Outcome::make(Status::notchecked,
                             "RPM database at " + std::string(rpm) +
                                 " and no dpkg database: hostbench reads dpkg's database only");
    return Outcome::make(Status::notapplicable, printable(db->message(), 400));
  }
  return Outcome::make(Status::error,
                       "cannot read the dpkg database: " + printable(db->message(), 400));
}

// The age in seconds of the newest Release Date that is not in the future (the lists were
// fetched at least that recently), and of the stalest security suite.
struct Ages {
  std::optional<std::int64_t> newest;  // age of the newest Date
  const ReleaseInfo* newest_release = nullptr;
  std::optional<std::int64_t> security;  // age of the oldest security suite's Date
};

Ages list_ages(const AptIndex& idx, std::int64_t now) {
  Ages a;
  for (const auto& r : idx.releases) {
    if (!r.date || *r.date > now + k_future_slack) continue;
    std::int64_t age = std::max<std::int64_t>(0, now - *r.date);
    if (!a.newest || age < *a.newest) {
      a.newest = age;
      a.newest_release = &r;
    }
    if (r.security() && (!a.security || age > *a.security)) a.security = age;
  }
  return a;
}

class PackagesProbe final : public Probe {
 public:
  Mode mode = Mode::installed;
  std::vector<std::string> names;  // installed
  bool want_installed = false;     // installed
  bool security_only = false;      // updates
  std::int64_t max_age_days = 7;   // updates, lists_fresh

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (mode == Mode::sources_signed) return sources_signed(ctx);
    auto db = dpkg_status_fact(ctx.host, ctx.facts);
    if (auto none = no_database(ctx, db)) return *none;
    switch (mode) {
      case Mode::installed:
        return installed(db->value());
      case Mode::updates:
        return updates(ctx, db->value());
      case Mode::lists_fresh:
        return lists_fresh(ctx);
      case Mode::sources_signed:
        break;
    }
    return Outcome::make(Status::error, "unknown check");
  }

 private:
  static std::string where(const DpkgPackage& p) {
    return printable(p.file_name()) + ":" + std::to_string(p.line);
  }

  Outcome installed(const DpkgStatus& db) const {
    Outcome o;
    o.status = Status::pass;
    Objects objects(o);
    std::size_t offending = 0;
    std::set<const DpkgPackage*> reported;
    for (const auto& name : names) {
      std::vector<const DpkgPackage*> found;
      if (has_glob(name)) {
        for (const auto& p : db.packages)
          if (glob_match(name, p.name)) found.push_back(&p);
      } else {
        found = db.find(name);
      }
      if (want_installed) {
        auto ok = std::find_if(found.begin(), found.end(), [](const DpkgPackage* p) {
          return p->state == PackageState::installed;
        });
        if (ok != found.end()) continue;
        ++offending;
        const DpkgPackage* partial = nullptr;
        for (const auto* p : found)
          if (p->files_present()) partial = p;
        objects.add(name, Status::fail,
                    partial ? "present but " + std::string(to_string(partial->state)) +
                                  " (an interrupted dpkg run) at " + where(*partial)
                            : "not installed");
        continue;
      }
      for (const auto* p : found) {
        if (!p->files_present() || !reported.insert(p).second) continue;  // once per package
        ++offending;
        std::string ev = "installed " + printable(p->version);
        if (p->state != PackageState::installed)
          ev += " (" + std::string(to_string(p->state)) + ")";
        objects.add(printable(db.display_name(*p)), Status::fail, ev + " at " + where(*p));
      }
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    const std::string source =
        " (dpkg database " +
        printable(db.files.empty() ? std::string(k_dpkg_status) : db.files.front()) + ", " +
        std::to_string(db.packages.size()) + " entries)";
    if (want_installed)
      o.evidence.push_back(offending ? std::to_string(offending) + " of [" + list +
                                           "] not installed" + source
                                     : "installed: " + list + source);
    else
      o.evidence.push_back(offending
                               ? std::to_string(offending) + " installed of [" + list + "]" + source
                               : "none installed of [" + list + "]" + source);
    objects.close();
    return o;
  }

  Outcome updates(const ProbeContext& ctx, const DpkgStatus& db) const {
    auto lists = apt_lists_fact(ctx.host, ctx.facts, ctx.jobs);
    if (!lists->ok())
      return Outcome::make(Status::error,
                           "cannot read the apt lists: " + printable(lists->message(), 400));
    const AptLists& apt = lists->value();
    const AptIndex& idx = apt.index;
    if (idx.releases.empty() && idx.errors.empty())
      return Outcome::make(Status::error,
                           "no apt lists under " + std::string(k_apt_lists_dir) +
                               ": the available versions are unknown (run apt-get update)");
    Outcome o;
    o.status = Status::pass;
    Objects objects(o);
    for (const auto& [file, why] : idx.errors)
      objects.add(printable(file), Status::error, printable(why, 400));
    for (const auto& [file, why] : apt.errors) {
      // A broken list of another suite does not hide a security update.
      auto list = std::find_if(idx.lists.begin(), idx.lists.end(),
                               [&path = file](const PackagesList& l) { return l.path == path; });
      if (security_only && list != idx.lists.end() && !idx.releases[list->release].security())
        continue;
      objects.add(printable(file), Status::error, printable(why, 400));
    }

    // The suites with a Packages list: a Release file alone (a deb-src entry, a failed download
    // of the list) offers no package.
    std::vector<std::string> suites;
    for (const auto& l : idx.lists) {
      const ReleaseInfo& r = idx.releases[l.release];
      if (!security_only || r.security()) suites.push_back(printable(r.display()));
    }
    std::sort(suites.begin(), suites.end());
    suites.erase(std::unique(suites.begin(), suites.end()), suites.end());
    std::string suite_list;
    for (const auto& s : suites) suite_list += (suite_list.empty() ? "" : ", ") + s;
    if (security_only && suites.empty()) {
      o.status = idx.errors.empty() ? Status::fail : worst(o.status, Status::error);
      o.evidence.push_back("no Packages list of a security suite in " +
                           std::string(k_apt_lists_dir) +
                           ": security updates never reach this host (add the -security suite "
                           "to the apt sources)");
      objects.close();
      return o;
    }

    std::size_t newer = 0, checked = 0;
    for (const auto& p : db.packages) {
      if (!p.files_present()) continue;
      ++checked;
      const PackageCandidates* c = apt.find(p);
      if (!c) continue;
      const std::optional<Candidate>& best = security_only ? c->security : c->any;
      if (!best) continue;
      auto installed = parse_deb_version(p.version);
      if (!installed || compare_deb_versions(best->version, installed.value()) <= 0) continue;
      ++newer;
      const PackagesList& list = idx.lists[best->list];
      const ReleaseInfo& rel = idx.releases[list.release];
      objects.add(printable(db.display_name(p)), Status::fail,
                  "installed " + printable(p.version) + " (" + where(p) + "); " +
                      printable(rel.display()) + " has " + printable(best->text) + " (" +
                      printable(list.path) + ")");
    }
    const std::string what = security_only ? "a security suite" : "the apt lists";
    o.evidence.push_back((newer ? std::to_string(newer) + " of " : "none of ") +
                         std::to_string(checked) + " installed packages " +
                         (newer ? "have" : "has") + " a newer version in " + what + " (" +
                         suite_list + "; " + std::to_string(idx.lists.size()) +
                         " Packages lists, " + std::to_string(apt.stanzas) + " entries read)");
    if (!apt.skipped.empty())
      o.evidence.push_back("not upgrade sources: " + printable(apt.skipped.front(), 300) +
                           (apt.skipped.size() > 1
                                ? " and " + std::to_string(apt.skipped.size() - 1) + " more"
                                : ""));
    Ages ages = list_ages(idx, seconds_of(ctx.now));
    std::optional<std::int64_t> age = security_only ? ages.security : ages.newest;
    if (age && *age > max_age_days * k_day)
      o.evidence.push_back("apt lists are " + days_text(*age) + " old (limit " +
                           std::to_string(max_age_days) +
                           " days): updates published since then are not seen; run apt-get "
                           "update and scan again");
    objects.close();
    return o;
  }

  Outcome lists_fresh(const ProbeContext& ctx) const {
    auto index = apt_index_fact(ctx.host, ctx.facts);
    if (!index->ok())
      return Outcome::make(Status::error,
                           "cannot list the apt lists: " + printable(index->message(), 400));
    const AptIndex& idx = index->value();
    if (idx.releases.empty() && idx.errors.empty())
      return Outcome::make(Status::notapplicable,
                           "no apt lists in " + std::string(k_apt_lists_dir) +
                               " (apt-get update has never run, or the lists were removed)");
    const std::int64_t now = seconds_of(ctx.now);
    const std::int64_t limit = max_age_days * k_day;
    Outcome o;
    o.status = Status::pass;
    Objects objects(o);
    for (const auto& [file, why] : idx.errors)
      objects.add(printable(file), Status::error, printable(why, 400));
    for (const auto& r : idx.releases) {
      const std::string id = printable(r.display()) + " (" + printable(r.path) + ")";
      if (!r.date) {
        objects.add(id, Status::error,
                    r.date_text.empty() ? "no Date field"
                                        : "Date '" + printable(r.date_text, 80) +
                                              "' is not an "
                                              "RFC 2822 date");
        continue;
      }
      if (*r.date > now + k_future_slack) {
        objects.add(id, Status::error,
                    "Date " + printable(r.date_text) + " lies " + days_text(*r.date - now) +
                        " in the future: the clock or the list is wrong");
        continue;
      }
      std::int64_t age = std::max<std::int64_t>(0, now - *r.date);
      if (r.valid_until && *r.valid_until < now) {
        objects.add(id, Status::fail,
                    "expired: Valid-Until " + format_rfc2822_date(*r.valid_until) +
                        " has passed (Date " + printable(r.date_text) + ", " + days_text(age) +
                        " old)");
      } else if (r.security() && age > limit) {
        objects.add(id, Status::fail,
                    "Date " + printable(r.date_text) + ": " + days_text(age) + " old (limit " +
                        std::to_string(max_age_days) + " days)");
      }
    }
    Ages ages = list_ages(idx, now);
    if (!ages.newest) {
      o.status = worst(o.status, Status::error);
      o.evidence.push_back("no Release file in " + std::string(k_apt_lists_dir) +
                           " has a usable Date: the lists' age is unknown");
    } else {
      const bool stale = *ages.newest > limit;
      if (stale) o.status = Status::fail;
      o.evidence.push_back(std::string(stale ? "apt lists are stale: " : "") +
                           "newest Release Date " + printable(ages.newest_release->date_text) +
                           " in " + printable(ages.newest_release->path) + ": " +
                           days_text(*ages.newest) + " old (limit " + std::to_string(max_age_days) +
                           " days, " + std::to_string(idx.releases.size()) + " Release files)");
    }
    objects.close();
    return o;
  }

  Outcome sources_signed(const ProbeContext& ctx) const {
    auto sources = apt_sources_fact(ctx.host, ctx.facts);
    if (!sources->ok())
      return Outcome::make(Status::error,
                           "cannot read the apt sources: " + printable(sources->message(), 400));
    const AptSources& s = sources->value();
    if (!s.have_etc_apt)
      return Outcome::make(Status::notapplicable, "no /etc/apt: apt is not installed");
    Outcome o;
    o.status = Status::pass;
    Objects objects(o);
    std::size_t enabled = 0, weak = 0;
    for (const auto& e : s.entries) {
      if (!e.enabled) continue;
      ++enabled;
      const std::string id = printable(e.file) + ":" + std::to_string(e.line);
      auto insecure = e.insecure_options();
      if (!insecure.empty()) {
        ++weak;
        std::string opts;
        for (const auto& x : insecure) opts += (opts.empty() ? "" : ", ") + printable(x);
        objects.add(id, Status::fail,
                    "'" + printable(e.text, 160) + "' sets " + opts +
                        ": apt installs from it without checking signatures");
      } else if (e.malformed) {
        objects.add(id, Status::error,
                    "'" + printable(e.text, 160) + "' is not an entry apt can read");
      }
    }
    o.evidence.push_back(std::to_string(enabled) + " enabled source entries in " +
                         std::to_string(s.files.size()) + " files, " + std::to_string(weak) +
                         " without signature checks");
    objects.close();
    return o;
  }
};

}  // namespace

std::unique_ptr<Probe> parse_packages_probe(const Params& params) {
  auto p = std::make_unique<PackagesProbe>();
  if (!params.has("check"))
    params.fail("'check' is required: installed, updates, lists_fresh or sources_signed");
  std::string mode = params.choice(
      "check", {"installed", "updates", "lists_fresh", "sources_signed"}, "installed");
  auto read_age = [&] {
    auto days = params.opt_int("max_list_age_days");
    if (days && (*days < 1 || *days > 3650))
      params.fail("max_list_age_days", "must be between 1 and 3650 days");
    if (days) p->max_age_days = *days;
  };
  if (mode == "installed") {
    params.allow_only({"probe", "check", "names", "expect"});
    p->mode = Mode::installed;
    p->names = params.strings("names");
    if (p->names.empty()) params.fail("names", "name at least one package");
    for (const auto& n : p->names) {
      bool ok = !n.empty();
      for (char c : n)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("+-._*?[]!").find(c) != std::string_view::npos);
      if (!ok) params.fail("names", "'" + n + "' is not a package name (or a glob of one)");
    }
    Params expect = params.map("expect");
    if (!expect.has("installed"))
      expect.fail("expect needs 'installed: true' or 'installed: false'");
    p->want_installed = expect.boolean("installed", false);
    expect.finish();
  } else if (mode == "updates") {
    params.allow_only({"probe", "check", "suites", "max_list_age_days"});
    p->mode = Mode::updates;
    p->security_only = params.choice("suites", {"security", "all"}, "all") == "security";
    read_age();
  } else if (mode == "lists_fresh") {
    params.allow_only({"probe", "check", "max_list_age_days"});
    p->mode = Mode::lists_fresh;
    read_age();
  } else {
    params.allow_only({"probe", "check"});
    p->mode = Mode::sources_signed;
  }
  return p;
}

}  // namespace hb
