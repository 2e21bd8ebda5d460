// AptLists: the packages apt can install, from /var/lib/apt/lists as `apt-get update` left it.
//
// Release files: DIR_InRelease (clearsigned; preferred, as apt prefers it) or DIR_Release, where
// DIR is the repository's dists/SUITE URI with '/' written as '_'. Of the first stanza: Origin,
// Label, Suite, Codename, Date and Valid-Until (RFC 2822, UTC or a numeric zone), NotAutomatic,
// ButAutomaticUpgrades. Signatures are not verified here (apt verified them on download).
// A suite is a security suite when its Suite or Codename ends in "-security" (Debian 11+,
// Ubuntu) or its Label is "Debian-Security" (Debian 10 and older: "buster/updates").
//
// Packages lists: DIR_COMPONENT_binary-ARCH_Packages, plain or .gz/.xz/.zst/.lz4. Each pairs
// with the Release file whose DIR is the longest prefix of its name; a list without one is not
// used by apt either (kept as an orphan, for evidence). Lists are streamed and decompressed
// (checks/decompress.hpp); a stanza whose Package is not installed is passed over to its end
// without being parsed (StanzaReader::keep_only: most of a list's ~65,000 stanzas), and of the
// others only Package, Architecture and Version are read. Kept are the versions newer than the
// installed one (the upgrades; an installed package's own version is the common case and is not
// kept): per installed name and architecture, the newest version in a security suite and the
// newest in any suite apt upgrades from. "all" counts as the native
// architecture on both sides, so a package that moves between arch-specific and all still
// upgrades. Suites marked NotAutomatic (experimental, backports) are not upgrade sources and are
// skipped; apt pinning (/etc/apt/preferences) is not modelled.
//
// Facts keys: "apt.releases" (the Release files and the pairing, cheap) and "apt.lists" (the
// candidates, which need "dpkg.status"). A Release or Packages file that cannot be read or parsed
// is recorded with why, never silently dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checks/deb_version.hpp"
#include "checks/dpkg_status.hpp"
#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

class Facts;

inline constexpr std::string_view k_apt_lists_dir = "/var/lib/apt/lists";
// The largest compressed list read (the decompressed size is capped by k_max_decompressed).
inline constexpr std::uint64_t k_max_list_bytes = std::uint64_t{1} << 30;

// "Thu, 26 Nov 2026 21:03:35 UTC" (the weekday is optional; zones UTC, GMT, UT, Z or +hhmm).
// Seconds since the epoch, or nullopt when the text is not such a date.
std::optional<std::int64_t> parse_rfc2822_date(std::string_view text);
// The form apt's archives write: "Sat, 28 Nov 2026 22:35:49 UTC".
std::string format_rfc2822_date(std::int64_t t);

struct ReleaseInfo {
  std::string path;  // the host path of the Release or InRelease file
  std::string origin, label, suite, codename;
  std::string date_text;  // as written, "" when absent
  std::optional<std::int64_t> date;
  std::optional<std::int64_t> valid_until;
  bool not_automatic = false;
  bool but_automatic_upgrades = false;

  bool security() const;
  // The name a person knows the suite by: the codename ("bookworm-security"), else the suite.
  std::string display() const;
};

// Parses a Release or InRelease file's text; `name` prefixes errors. An Error when the text has
// no stanza, or neither Suite nor Codename. A Date that does not parse leaves date empty (the
// freshness check says so) rather than failing the whole file.
Expected<ReleaseInfo> parse_release(std::string_view text, std::string_view name);

struct PackagesList {
  std::string path;
  std::size_t release = 0;  // index into AptIndex::releases
  std::string arch;         // from "binary-ARCH" in the name, "" for a flat repository
};

struct AptIndex {
  bool have_dir = false;  // /var/lib/apt/lists exists
  std::vector<ReleaseInfo> releases;
  std::vector<PackagesList> lists;
  std::vector<std::string> orphans;                         // Packages lists without a Release file
  std::vector<std::pair<std::string, std::string>> errors;  // file, why
};

struct Candidate {
  DebVersion version;
  std::string text;       // the version as written in the list
  std::size_t list = 0;   // index into AptIndex::lists
  bool security = false;  // from a security suite (named first when suites tie)
};

struct PackageCandidates {
  std::optional<Candidate> security;  // the newest version in a security suite
  std::optional<Candidate> any;       // the newest version in any upgrade source
};

struct AptLists {
  AptIndex index;
  std::vector<std::string> skipped;  // lists that are no upgrade source, with why
  std::vector<std::pair<std::string, std::string>> errors;  // lists that failed, with why
  std::uint64_t stanzas = 0;                                // read over all lists
  std::string native_arch;
  // By candidate_key(); only packages with a newer version somewhere (an upgrade), and of those
  // only the classes (security, any) that have one.
  std::unordered_map<std::string, PackageCandidates> candidates;

  // "name:arch" with "all" and "" read as the native architecture.
  std::string candidate_key(std::string_view name, std::string_view arch) const;
  const PackageCandidates* find(const DpkgPackage& p) const;
};

// Called for every stanza of a Packages list with Package, Architecture and Version.
using PackageVisitor =
    std::function<void(std::string_view name, std::string_view arch, std::string_view version)>;
// Which package names a scan wants; a stanza of another name is passed over unparsed.
using PackageFilter = std::function<bool(std::string_view name)>;
// Streams one Packages list (decompressed); returns the number of stanzas, skipped ones included.
// Stanzas without one of the three fields are not visited; malformed text is an Error
// "name:line: why" (in a stanza `wanted` rejects, only the lines up to its Package field are
// checked). Without `wanted`, every stanza is parsed.
Expected<std::uint64_t> scan_packages(FileStream& in, std::string_view name,
                                      const PackageVisitor& visit,
                                      const PackageFilter& wanted = nullptr);
// The same on a buffer (pure; tests, fuzzing).
Expected<std::uint64_t> parse_packages(std::string_view text, std::string_view name,
                                       const PackageVisitor& visit,
                                       const PackageFilter& wanted = nullptr);

// Lists the directory, parses the Release files and pairs the Packages lists. A missing
// directory gives have_dir false and nothing else; an unreadable one is an Error.
Expected<AptIndex> load_apt_index(const HostView& host);
// Streams every paired list and keeps the upgrade candidates of the installed packages. With
// `jobs` above 1, a list is read and decompressed on a thread of its own while this one parses it
// (read_ahead_stream): the same result, sooner, on a second core.
AptLists load_apt_candidates(const HostView& host, const AptIndex& index, const DpkgStatus& db,
                             unsigned jobs = 1);

std::shared_ptr<const Expected<AptIndex>> apt_index_fact(const HostView& host, Facts& facts);
// Needs the dpkg database: its Error when that cannot be read. `jobs`: the scan's (ProbeContext).
std::shared_ptr<const Expected<AptLists>> apt_lists_fact(const HostView& host, Facts& facts,
                                                         unsigned jobs = 1);

}  // namespace hb
