// DebVersion: Debian package versions, parsed and ordered exactly as dpkg 1.21 does
// (lib/dpkg/parsehelp.c parseversion, lib/dpkg/version.c verrevcmp; deb-version(7)).
//
// "[epoch:]upstream[-revision]": the epoch is the digits before the first ':', the revision what
// follows the last '-'. Ordering: epochs numerically; then upstream, then revision, each compared
// by alternating non-digit and digit runs: non-digits character by character, where '~' sorts
// before everything (even the end of the string), then the end, then letters, then every other
// character (by its byte value + 256, with bytes above 0x7f as signed chars, as dpkg on amd64);
// digit runs numerically, leading zeros ignored, of any length (no overflow). A missing revision
// is "", which equals "0" (an empty digit run equals a run of zeros): 1.0 == 1.0-0, as in dpkg.
//
// parse_deb_version() accepts exactly what `dpkg --compare-versions` accepts: errors (empty,
// embedded blanks, a bad epoch, nothing after the colon, an empty revision or upstream) fail;
// dpkg's mere warnings (upstream not starting with a digit, unusual characters) parse, and the
// warning is kept. Input is hostile: any length, any bytes; no recursion, no allocation beyond
// the copies of the parts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/expected.hpp"

namespace hb {

struct DebVersion {
  std::int64_t epoch = 0;  // 0..INT_MAX
  std::string upstream;
  std::string revision;  // "" when there is none
  std::string warning;   // dpkg's warning about the syntax, or ""
};

// Parses a version as dpkg's parseversion(); an Error (ErrorKind::parse) with dpkg's reason.
Expected<DebVersion> parse_deb_version(std::string_view text);

// dpkg's verrevcmp on one part: < 0, 0 or > 0.
int compare_version_part(std::string_view a, std::string_view b);
// dpkg_version_compare: epoch, then upstream, then revision.
int compare_deb_versions(const DebVersion& a, const DebVersion& b);

}  // namespace hb
