#include "checks/apt_lists.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "checks/deb822.hpp"
#include "checks/decompress.hpp"
#include "engine/facts.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::array<std::string_view, 12> k_months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> k_weekdays = {"Thu", "Fri", "Sat", "Sun",
                                                        "Mon", "Tue", "Wed"};  // 1970-01-01 first

// Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no time zone tables.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

std::optional<int> number(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
  if (s.size() < min_digits || s.size() > max_digits) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

bool yes(const std::string& v) {
  return iequals(trim(v), "yes");
}

}  // namespace

std::optional<std::int64_t> parse_rfc2822_date(std::string_view text) {
  auto words = split_ws(trim(text));
  std::size_t i = 0;
  if (!words.empty() && words[0].size() >= 4 && words[0].back() == ',') ++i;  // "Thu,"
  if (words.size() != i + 5) return std::nullopt;
  auto day = number(words[i], 1, 2);
  std::size_t month = 0;
  while (month < 12 && !iequals(words[i + 1], k_months[month])) ++month;
  auto year = number(words[i + 2], 4, 4);
  auto hms = split(words[i + 3], ':');
  if (!day || month == 12 || !year || (hms.size() != 2 && hms.size() != 3)) return std::nullopt;
  auto hour = number(hms[0], 2, 2), min = number(hms[1], 2, 2);
  auto sec = hms.size() == 3 ? number(hms[2], 2, 2) : std::optional<int>(0);
  if (!hour || !min || !sec || *hour > 23 || *min > 59 || *sec > 60) return std::nullopt;
  static constexpr unsigned k_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  unsigned max_day = month == 1 && !leap ? 28 : k_days[month];
  if (*day < 1 || static_cast<unsigned>(*day) > max_day) return std::nullopt;
  std::string_view zone = words[i + 4];
  std::int64_t offset = 0;
  if (zone == "UTC" || zone == "GMT" || zone == "UT" || zone == "Z") {
    offset = 0;
  } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    auto hh = number(zone.substr(1, 2), 2, 2), mm = number(zone.substr(3, 2), 2, 2);
    if (!hh || !mm || *mm > 59) return std::nullopt;
    offset = (*hh * 3600 + *mm * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  std::int64_t days =
      days_from_civil(*year, static_cast<unsigned>(month + 1), static_cast<unsigned>(*day));
  return days * 86400 + *hour * 3600 + *min * 60 + *sec - offset;
}

std::string format_rfc2822_date(std::int64_t t) {
  std::int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  std::int64_t secs = t - days * 86400;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  std::int64_t wd = ((days % 7) + 7) % 7;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02lld:%02lld:%02lld UTC",
                std::string(k_weekdays[static_cast<std::size_t>(wd)]).c_str(), d,
                std::string(k_months[m - 1]).c_str(), static_cast<long long>(y),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

bool ReleaseInfo::security() const {
  return suite.ends_with("-security") || codename.ends_with("-security") ||
         label == "Debian-Security";
}

std::string ReleaseInfo::display() const {
  if (!codename.empty()) return codename;
  if (!suite.empty()) return suite;
  return base_name(path);
}

Expected<ReleaseInfo> parse_release(std::string_view text, std::string_view name) {
  // A clearsigned InRelease: armor headers up to a blank line, then the dash-escaped text; only
  // the first stanza matters, so stop at the first blank line or the signature.
  std::string body;
  constexpr std::string_view k_begin = "-----BEGIN PGP SIGNED MESSAGE-----";
  if (starts_with(text, k_begin)) {
    bool in_text = false;
    for (std::string_view line : split_lines(text)) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!in_text) {
        in_text = trim(line).empty();
        continue;
      }
      if (starts_with(line, "-----BEGIN PGP SIGNATURE-----") || trim(line).empty()) break;
      if (starts_with(line, "- ")) line.remove_prefix(2);
      body.append(line);
      body += '\n';
    }
    text = body;
  }
  auto in = memory_stream(text);
  LineReader lines(*in);
  StanzaReader st(lines, std::string(name),
                  {"Origin", "Label", "Suite", "Codename", "Date", "Valid-Until", "NotAutomatic",
                   "ButAutomaticUpgrades"});
  auto got = st.next();
  if (!got) return got.error();
  if (!*got) return make_error(ErrorKind::parse, std::string(name) + ": no Release stanza");
  ReleaseInfo r;
  r.path = std::string(name);
  r.origin = st.value(0);
  r.label = st.value(1);
  r.suite = st.value(2);
  r.codename = st.value(3);
  if (r.suite.empty() && r.codename.empty())
    return make_error(ErrorKind::parse, std::string(name) + ": neither Suite nor Codename");
  if (st.has(4)) {
    r.date_text = st.value(4);
    r.date = parse_rfc2822_date(r.date_text);
  }
  if (st.has(5)) r.valid_until = parse_rfc2822_date(st.value(5));
  r.not_automatic = st.has(6) && yes(st.value(6));
  r.but_automatic_upgrades = st.has(7) && yes(st.value(7));
  return r;
}

Expected<std::uint64_t> scan_packages(FileStream& in, std::string_view name,
                                      const PackageVisitor& visit, const PackageFilter& wanted) {
  LineReader lines(in);
  StanzaReader st(lines, std::string(name), {"Package", "Architecture", "Version"});
  if (wanted) st.keep_only(0, wanted);
  std::uint64_t n = 0;
  for (;;) {
    auto got = st.next();
    if (!got) return got.error();
    if (!*got) return n + st.skipped();
    ++n;
    if (st.has(0) && st.has(1) && st.has(2)) visit(st.value(0), st.value(1), st.value(2));
  }
}

Expected<std::uint64_t> parse_packages(std::string_view text, std::string_view name,
                                       const PackageVisitor& visit, const PackageFilter& wanted) {
  auto in = memory_stream(text);
  return scan_packages(*in, name, visit, wanted);
}

std::string AptLists::candidate_key(std::string_view name, std::string_view arch) const {
  std::string key(name);
  key += ':';
  key += arch.empty() || arch == "all" ? std::string_view(native_arch) : arch;
  return key;
}

const PackageCandidates* AptLists::find(const DpkgPackage& p) const {
  auto it = candidates.find(candidate_key(p.name, p.arch));
  return it == candidates.end() ? nullptr : &it->second;
}

Expected<AptIndex> load_apt_index(const HostView& host) {
  AptIndex idx;
  auto entries = host.list_dir(k_apt_lists_dir);
  if (!entries) {
    if (entries.kind() == ErrorKind::not_found) return idx;
    return entries.error();
  }
  idx.have_dir = true;
  // Release files by their DIR prefix; InRelease wins over Release.
  std::vector<std::pair<std::string, std::string>> releases;  // prefix, file name
  for (const auto& e : *entries) {
    for (std::string_view suffix : {"_InRelease", "_Release"}) {
      if (!e.name.ends_with(suffix) || e.name.size() == suffix.size()) continue;
      std::string prefix = e.name.substr(0, e.name.size() - suffix.size());
      auto same = std::find_if(releases.begin(), releases.end(),
                               [&](const auto& r) { return r.first == prefix; });
      if (same == releases.end())
        releases.emplace_back(prefix, e.name);
      else if (suffix == "_InRelease")
        same->second = e.name;
    }
  }
  std::vector<std::string> paired_prefixes;
  for (const auto& [prefix, file] : releases) {
    const std::string path = join_path(k_apt_lists_dir, file);
    auto text = host.read_file(path);
    if (!text) {
      idx.errors.emplace_back(path, text.message());
      continue;
    }
    auto info = parse_release(*text, path);
    if (!info) {
      idx.errors.emplace_back(path, info.message());
      continue;
    }
    idx.releases.push_back(std::move(*info));
    paired_prefixes.push_back(prefix);
  }
  for (const auto& e : *entries) {
    std::size_t at = e.name.rfind("_Packages");
    if (at == std::string::npos || at == 0) continue;
    std::string_view rest = std::string_view(e.name).substr(at + 9);
    if (!rest.empty() && (rest[0] != '.' || rest.find_first_of("_") != std::string_view::npos))
      continue;  // "_Packages.diff_Index" and the like
    std::size_t best = paired_prefixes.size();
    for (std::size_t i = 0; i < paired_prefixes.size(); ++i) {
      const auto& p = paired_prefixes[i];
      if (e.name.size() > p.size() + 1 && e.name.compare(0, p.size(), p) == 0 &&
          e.name[p.size()] == '_' &&
          (best == paired_prefixes.size() || p.size() > paired_prefixes[best].size()))
        best = i;
    }
    const std::string path = join_path(k_apt_lists_dir, e.name);
    if (best == paired_prefixes.size()) {
      // A Release file that failed to parse is an error already; else the list is an orphan.
      bool errored = std::any_of(releases.begin(), releases.end(),
                                 [&](const auto& r) { return starts_with(e.name, r.first + "_"); });
      if (!errored) idx.orphans.push_back(path);
      continue;
    }
    PackagesList list{path, best, ""};
    std::size_t bin = e.name.rfind("binary-", at);
    if (bin != std::string::npos && bin > paired_prefixes[best].size())
      list.arch = e.name.substr(bin + 7, at - bin - 7);
    idx.lists.push_back(std::move(list));
  }
  return idx;
}

namespace {

constexpr std::uint32_t k_no_slot = UINT32_MAX;

// Lets a map keyed by std::string be searched with a string_view, without a temporary string.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One installed name and architecture while the lists are read: small (a host may have 50,000),
// with the candidates apart, for the few that have an upgrade.
struct Installed {
  std::string_view arch;  // as in candidate_key(): "all" and "" read as the native architecture
  // The installed version as written, below which nothing is an upgrade; with two entries of one
  // key (arch "" and the native one), the older. No floor when one does not parse: every
  // version is kept then.
  std::string_view floor;
  bool has_floor = false;
  std::uint32_t best = k_no_slot;  // index of its PackageCandidates, once it has one
  std::uint32_t next = k_no_slot;  // the same name's next architecture
};

}  // namespace

AptLists load_apt_candidates(const HostView& host, const AptIndex& index, const DpkgStatus& db,
                             unsigned jobs) {
  AptLists out;
  out.index = index;
  out.native_arch = db.native_arch;
  // The installed packages; views point into `db`, which outlives this function. The names are
  // copied into the map's keys (short ones stay in the node), so a lookup does not chase a
  // pointer into the database: 2 of 3 stanzas of a list are looked up and not found.
  std::vector<Installed> slots;
  std::vector<PackageCandidates> found;  // Installed::best points here
  std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> by_name;  // 1st slot
  std::size_t present = 0;
  for (const auto& p : db.packages) present += p.files_present();
  slots.reserve(present);
  by_name.reserve(present);
  const std::string_view native = db.native_arch;
  for (const auto& p : db.packages) {
    if (!p.files_present()) continue;
    const std::string_view arch = p.arch.empty() || p.arch == "all" ? native : p.arch;
    const bool parses = parse_deb_version(p.version).ok();
    auto [it, fresh] = by_name.try_emplace(p.name, static_cast<std::uint32_t>(slots.size()));
    std::uint32_t i = it->second, last = k_no_slot;
    for (; !fresh && i != k_no_slot && slots[i].arch != arch; i = slots[i].next) last = i;
    if (fresh || i == k_no_slot) {
      if (last != k_no_slot) slots[last].next = static_cast<std::uint32_t>(slots.size());
      slots.push_back(Installed{arch, p.version, parses, k_no_slot, k_no_slot});
    } else if (!parses) {
      slots[i].has_floor = false;
    } else if (slots[i].has_floor &&
               compare_deb_versions(parse_deb_version(p.version).value(),
                                    parse_deb_version(slots[i].floor).value()) < 0) {
      slots[i].floor = p.version;
    }
  }
  // The filter sees each stanza's Package before the visitor sees the stanza: it keeps what it
  // found, so a name is looked up once.
  std::uint32_t current = k_no_slot;
  const PackageFilter wanted = [&](std::string_view name) {
    auto it = by_name.find(name);
    current = it == by_name.end() ? k_no_slot : it->second;
    return current != k_no_slot;
  };
  for (std::size_t li = 0; li < index.lists.size(); ++li) {
    const PackagesList& list = index.lists[li];
    const ReleaseInfo& rel = index.releases[list.release];
    const bool security = rel.security();
    if (rel.not_automatic && !security) {
      out.skipped.push_back(list.path + " (" + rel.display() +
                            " is NotAutomatic: apt does not upgrade from it by default)");
      continue;
    }
    auto compression = compression_of(list.path);
    if (!compression) {
      out.errors.emplace_back(list.path, "compression not supported (use lz4, gz, xz or zst)");
      continue;
    }
    auto file = host.open_read(list.path, k_max_list_bytes);
    if (!file) {
      out.errors.emplace_back(list.path, file.message());
      continue;
    }
    auto stream = decompress_stream(std::move(*file), *compression, list.path);
    if (jobs > 1) stream = read_ahead_stream(std::move(stream));
    auto visit = [&](std::string_view, std::string_view arch, std::string_view version) {
      const std::string_view key_arch = arch == "all" ? native : arch;
      std::uint32_t i = current;  // the entry of this stanza's Package
      while (i != k_no_slot && slots[i].arch != key_arch) i = slots[i].next;
      if (i == k_no_slot) return;
      Installed& slot = slots[i];
      // Most entries of an installed package carry the installed version: no upgrade, and no
      // need to parse it.
      if (slot.has_floor && version == slot.floor) return;
      auto v = parse_deb_version(version);
      if (!v) return;  // apt skips a stanza with a broken version too
      if (slot.has_floor &&
          compare_deb_versions(v.value(), parse_deb_version(slot.floor).value()) <= 0)
        return;
      if (slot.best == k_no_slot) {
        slot.best = static_cast<std::uint32_t>(found.size());
        found.emplace_back();
      }
      PackageCandidates& best_of = found[slot.best];
      auto offer = [&](std::optional<Candidate>& best) {
        if (best) {
          int c = compare_deb_versions(v.value(), best->version);
          // The same version in a security suite and another: name the security one.
          if (c < 0 || (c == 0 && (best->security || !security))) return;
        }
        best = Candidate{v.value(), std::string(version), li, security};
      };
      if (security) offer(best_of.security);
      if (!rel.not_automatic) offer(best_of.any);
    };
    auto n = scan_packages(*stream, list.path, visit, wanted);
    if (!n) {
      out.errors.emplace_back(list.path, n.message());
      continue;
    }
    out.stanzas += *n;
  }
  for (const auto& [name, first] : by_name)
    for (std::uint32_t i = first; i != k_no_slot; i = slots[i].next)
      if (slots[i].best != k_no_slot)
        out.candidates.emplace(out.candidate_key(name, slots[i].arch),
                               std::move(found[slots[i].best]));
  return out;
}

std::shared_ptr<const Expected<AptIndex>> apt_index_fact(const HostView& host, Facts& facts) {
  return facts.get<AptIndex>("apt.releases", [&] { return load_apt_index(host); });
}

std::shared_ptr<const Expected<AptLists>> apt_lists_fact(const HostView& host, Facts& facts,
                                                         unsigned jobs) {
  return facts.get<AptLists>("apt.lists", [&]() -> Expected<AptLists> {
    auto db = dpkg_status_fact(host, facts);
    if (!db->ok()) return db->error();
    auto index = apt_index_fact(host, facts);
    if (!index->ok()) return index->error();
    return load_apt_candidates(host, index->value(), db->value(), jobs);
  });
}

}  // namespace hb
