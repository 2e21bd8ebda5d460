// DpkgStatus: the packages dpkg knows on the scanned root, from its database as dpkg itself reads
// it: /var/lib/dpkg/status, then the journal /var/lib/dpkg/updates/NNNN (entries dpkg wrote but
// has not yet merged into status; later entries replace earlier ones), or, on distroless images
// that have no status file, one file per package under /var/lib/dpkg/status.d/.
//
// Fields used: Package, Status ("want flag state"), Architecture, Version, Multi-Arch. A package
// counts as installed when its files are on disk: state installed, or an interrupted operation
// that left them there (half-installed, unpacked, half-configured, triggers-awaited,
// triggers-pending). config-files and not-installed entries are kept with their state.
//
// Input is hostile: a malformed database is an Error "file:line: why" (dpkg refuses such a
// database too): a stanza without Package, a bad package name, a Status that is not three known
// words, a package present on disk without a Version; at most k_max_dpkg_packages entries.
// Loaded once per scan under the Facts key "dpkg.status".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

class Facts;

enum class PackageState {
  not_installed,
  config_files,
  half_installed,
  unpacked,
  half_configured,
  triggers_awaited,
  triggers_pending,
  installed,
};
std::string_view to_string(PackageState s);

struct DpkgPackage {
  std::string name;
  std::string arch;        // "amd64", "all", or "" when the entry has none
  std::string version;     // as written
  std::string multi_arch;  // "same", "foreign", "allowed" or ""
  std::string want;        // "install", "hold", "deinstall", "purge", "unknown"
  PackageState state = PackageState::not_installed;
  // The database file and line of the entry, for evidence; the file name is shared by all the
  // entries of one file (a database has tens of thousands).
  std::shared_ptr<const std::string> file;
  std::uint64_t line = 0;

  bool files_present() const {
    return state != PackageState::not_installed && state != PackageState::config_files;
  }
  std::string_view file_name() const { return file ? std::string_view(*file) : ""; }
};

struct DpkgStatus {
  std::vector<DpkgPackage> packages;  // one per name and architecture, sorted by name, arch
  std::string native_arch;            // dpkg's own architecture (the dpkg package is always native)
  std::vector<std::string> files;     // the database files read, in order

  // The entries with this name, any architecture.
  std::vector<const DpkgPackage*> find(std::string_view name) const;
  // How dpkg-query names a package: "libssl3:i386" for a foreign architecture, else "openssl".
  std::string display_name(const DpkgPackage& p) const;
};

inline constexpr std::size_t k_max_dpkg_packages = 500000;
inline constexpr std::string_view k_dpkg_status = "/var/lib/dpkg/status";

// Parses one database file's text (status, a journal entry or a status.d file) into entries,
// in file order. Pure; `name` prefixes errors and evidence.
Expected<std::vector<DpkgPackage>> parse_dpkg_status(std::string_view text,
                                                     std::string_view name = k_dpkg_status);
// The same, streamed (the status file of a large desktop runs to several MB).
Expected<std::vector<DpkgPackage>> read_dpkg_status(FileStream& in, std::string_view name);

// Merges entries (later ones replace earlier ones with the same name and architecture, and
// not-installed entries drop out) and finds the native architecture. In place: the entries are
// moved, not copied (a status file is usually sorted already, and then it is not sorted again).
DpkgStatus build_dpkg_status(std::vector<std::vector<DpkgPackage>> files,
                             std::vector<std::string> names);

// The root's database. ErrorKind::not_found when the root has none (neither status nor
// status.d); any other failure to read it is an Error.
Expected<DpkgStatus> load_dpkg_status(const HostView& host);
// load_dpkg_status, once per scan (Facts key "dpkg.status").
std::shared_ptr<const Expected<DpkgStatus>> dpkg_status_fact(const HostView& host, Facts& facts);

}  // namespace hb
