#include "checks/dpkg_status.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include "checks/deb822.hpp"
#include "checks/deb_version.hpp"
#include "checks/decompress.hpp"
#include "engine/facts.hpp"
#include "engine/text.hpp"

namespace hb {

std::string_view to_string(PackageState s) {
  switch (s) {
    case PackageState::not_installed:
      return "not-installed";
    case PackageState::config_files:
      return "config-files";
    case PackageState::half_installed:
      return "half-installed";
    case PackageState::unpacked:
      return "unpacked";
    case PackageState::half_configured:
      return "half-configured";
    case PackageState::triggers_awaited:
      return "triggers-awaited";
    case PackageState::triggers_pending:
      return "triggers-pending";
    case PackageState::installed:
      return "installed";
  }
  return "?";
}

namespace {

constexpr std::uint64_t k_max_status_bytes = std::uint64_t{256} << 20;
constexpr std::string_view k_updates_dir = "/var/lib/dpkg/updates";
constexpr std::string_view k_status_d = "/var/lib/dpkg/status.d";

std::optional<PackageState> parse_state(std::string_view w) {
  for (auto s :
       {PackageState::not_installed, PackageState::config_files, PackageState::half_installed,
        PackageState::unpacked, PackageState::half_configured, PackageState::triggers_awaited,
        PackageState::triggers_pending, PackageState::installed})
    if (w == to_string(s)) return s;
  return std::nullopt;
}

// dpkg's pkg_name_is_illegal().
bool valid_package_name(std::string_view n) {
  auto alnum = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  if (n.empty() || !alnum(n[0])) return false;
  for (char c : n)
    if (!alnum(c) && std::string_view("-+._").find(c) == std::string_view::npos) return false;
  return true;
}

enum Field { f_package, f_status, f_arch, f_version, f_multi_arch };

// `control_only`: a status.d file is a package's control file, which has no Status field:
// its presence means installed.
Expected<std::vector<DpkgPackage>> read_entries(FileStream& in, std::string_view name,
                                                bool control_only) {
  LineReader lines(in);
  StanzaReader st(lines, std::string(name),
                  {"Package", "Status", "Architecture", "Version", "Multi-Arch"});
  std::vector<DpkgPackage> out;
  const auto file = std::make_shared<const std::string>(name);
  auto fail = [&](std::uint64_t line, const std::string& why) {
    return make_error(ErrorKind::parse,
                      std::string(name) + ":" + std::to_string(line) + ": " + why);
  };
  for (;;) {
    auto more = st.next();
    if (!more) return more.error();
    if (!*more) break;
    if (!st.has(f_package)) return fail(st.first_line(), "stanza without a Package field");
    DpkgPackage p;
    p.name = st.value(f_package);
    if (!valid_package_name(p.name))
      return fail(st.line(f_package), "invalid package name '" + printable(p.name, 80) + "'");
    p.file = file;
    p.line = st.first_line();
    if (st.has(f_status)) {
      auto words = split_ws(st.value(f_status));
      static const std::string_view k_wants[] = {"unknown", "install", "hold", "deinstall",
                                                 "purge"};
      auto state = words.size() == 3 ? parse_state(words[2]) : std::nullopt;
      bool want_ok = words.size() == 3 && std::find(std::begin(k_wants), std::end(k_wants),
                                                    words[0]) != std::end(k_wants);
      bool flag_ok = words.size() == 3 && (words[1] == "ok" || words[1] == "reinstreq");
      if (!state || !want_ok || !flag_ok)
        return fail(st.line(f_status),
                    "invalid Status '" + printable(st.value(f_status), 80) + "' of " + p.name);
      p.want = std::string(words[0]);
      p.state = *state;
    } else if (control_only) {
      p.want = "install";
      p.state = PackageState::installed;
    } else {
      return fail(st.first_line(), "package " + p.name + " has no Status field");
    }
    if (st.has(f_version)) p.version = st.value(f_version);
    if (p.files_present()) {
      if (p.version.empty())
        return fail(st.first_line(), "installed package " + p.name + " has no Version");
      auto v = parse_deb_version(p.version);
      if (!v)
        return fail(st.line(f_version), "invalid Version '" + printable(p.version, 80) + "' of " +
                                            p.name + ": " + v.message());
    }
    if (st.has(f_arch)) p.arch = st.value(f_arch);
    if (st.has(f_multi_arch)) p.multi_arch = st.value(f_multi_arch);
    if (out.size() >= k_max_dpkg_packages)
      return make_error(ErrorKind::too_large, std::string(name) + ": more than " +
                                                  std::to_string(k_max_dpkg_packages) +
                                                  " package entries");
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Expected<std::vector<DpkgPackage>> parse_dpkg_status(std::string_view text, std::string_view name) {
  auto in = memory_stream(text);
  return read_entries(*in, name, false);
}

Expected<std::vector<DpkgPackage>> read_dpkg_status(FileStream& in, std::string_view name) {
  return read_entries(in, name, false);
}

DpkgStatus build_dpkg_status(std::vector<std::vector<DpkgPackage>> files,
                             std::vector<std::string> names) {
  // All entries in file order, then stably sorted by name and architecture: of the entries with
  // one key, the last (latest file, latest in the file) is the one dpkg keeps.
  std::vector<DpkgPackage> all;
  if (files.size() == 1) {
    all = std::move(files.front());
  } else {
    std::size_t total = 0;
    for (const auto& f : files) total += f.size();
    all.reserve(total);
    for (auto& f : files)
      for (auto& p : f) all.push_back(std::move(p));
  }
  files.clear();
  auto before = [](const DpkgPackage& a, const DpkgPackage& b) {
    int c = a.name.compare(b.name);
    return c < 0 || (c == 0 && a.arch < b.arch);
  };
  if (!std::is_sorted(all.begin(), all.end(), before))
    std::stable_sort(all.begin(), all.end(), before);
  DpkgStatus db;
  db.files = std::move(names);
  std::unordered_map<std::string, int> arch_count;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i + 1 < all.size() && all[i].name == all[i + 1].name && all[i].arch == all[i + 1].arch)
      continue;  // a later entry replaces this one
    DpkgPackage& p = all[i];
    if (p.state == PackageState::not_installed) continue;
    if (p.name == "dpkg" && p.files_present() && !p.arch.empty() && p.arch != "all")
      db.native_arch = p.arch;
    if (!p.arch.empty() && p.arch != "all") ++arch_count[p.arch];
    if (kept != i) all[kept] = std::move(p);
    ++kept;
  }
  all.erase(all.begin() + static_cast<std::ptrdiff_t>(kept), all.end());
  // Kept for the whole scan: not with the up to 2x capacity the vector grew to while reading.
  if (all.capacity() - all.size() > all.size() / 8) all.shrink_to_fit();
  db.packages = std::move(all);
  if (db.native_arch.empty()) {
    int best = 0;
    for (const auto& [arch, n] : arch_count)
      if (n > best || (n == best && arch < db.native_arch)) {
        best = n;
        db.native_arch = arch;
      }
  }
  return db;
}

std::vector<const DpkgPackage*> DpkgStatus::find(std::string_view name) const {
  std::vector<const DpkgPackage*> out;
  auto it = std::lower_bound(packages.begin(), packages.end(), name,
                             [](const DpkgPackage& p, std::string_view n) { return p.name < n; });
  for (; it != packages.end() && it->name == name; ++it) out.push_back(&*it);
  return out;
}

std::string DpkgStatus::display_name(const DpkgPackage& p) const {
  if (p.arch.empty() || p.arch == "all" || p.arch == native_arch) return p.name;
  return p.name + ":" + p.arch;
}

Expected<DpkgStatus> load_dpkg_status(const HostView& host) {
  std::vector<std::vector<DpkgPackage>> files;
  std::vector<std::string> names;
  auto stream = host.open_read(k_dpkg_status, k_max_status_bytes);
  if (stream) {
    auto entries = read_entries(**stream, k_dpkg_status, false);
    if (!entries) return entries.error();
    files.push_back(std::move(*entries));
    names.emplace_back(k_dpkg_status);
    // The journal: entries dpkg wrote after its last checkpoint, applied in name order.
    auto journal = host.list_dir(k_updates_dir);
    if (!journal && journal.kind() != ErrorKind::not_found) return journal.error();
    if (journal) {
      for (const auto& e : *journal) {
        if (e.name.empty() || e.name.find_first_not_of("0123456789") != std::string::npos)
          continue;  // "tmp.i" is dpkg's work in progress, not a committed entry
        const std::string path = join_path(k_updates_dir, e.name);
        auto text = host.read_file(path);
        if (!text) return text.error();
        auto parsed = parse_dpkg_status(*text, path);
        if (!parsed) return parsed.error();
        files.push_back(std::move(*parsed));
        names.push_back(path);
      }
    }
    return build_dpkg_status(std::move(files), std::move(names));
  }
  if (stream.kind() != ErrorKind::not_found) return stream.error();
  auto dir = host.list_dir(k_status_d);
  if (!dir) {
    if (dir.kind() == ErrorKind::not_found)
      return make_error(ErrorKind::not_found,
                        "no dpkg database (" + std::string(k_dpkg_status) + " does not exist)");
    return dir.error();
  }
  for (const auto& e : *dir) {
    // "<pkg>.md5sums" lies beside "<pkg>" (whose name may hold dots: libssl1.1).
    if (e.name.size() > 8 && e.name.ends_with(".md5sums")) continue;
    const std::string path = join_path(k_status_d, e.name);
    auto text = host.read_file(path);
    if (!text) return text.error();
    auto in = memory_stream(*text);
    auto parsed = read_entries(*in, path, true);
    if (!parsed) return parsed.error();
    files.push_back(std::move(*parsed));
    names.push_back(path);
  }
  return build_dpkg_status(std::move(files), std::move(names));
}

std::shared_ptr<const Expected<DpkgStatus>> dpkg_status_fact(const HostView& host, Facts& facts) {
  return facts.get<DpkgStatus>("dpkg.status", [&] { return load_dpkg_status(host); });
}

}  // namespace hb
