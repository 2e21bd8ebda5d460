// AptSources: the repositories apt is configured with, from /etc/apt/sources.list and the files
// in /etc/apt/sources.list.d whose names apt reads (*.list one-line style, *.sources deb822
// style; names of letters, digits, '_', '-', '.' only). See sources.list(5).
//
// One-line style: "deb [ opt=val ... ] URI SUITE [COMPONENT...]"; '#' starts a comment.
// deb822 style: stanzas with Types, URIs, Suites, Components, Enabled and the options as fields
// ("Trusted: yes"); '#' lines are comments; "Enabled: no" disables a stanza.
//
// What a check needs of an entry is where it is (file, line) and the options that weaken apt's
// signature checks: trusted, allow-insecure, allow-weak, allow-downgrade-to-insecure, read with
// apt's boolean words (yes/true/with/on/enable/1). Input is hostile: lines are capped (deb822.hpp);
// a malformed deb822 file is an Error "file:line: why"; a one-line entry apt cannot parse
// (no URI or suite, an unterminated "[") is kept with `malformed` set, since apt refuses the whole
// configuration then.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

class Facts;

struct AptSource {
  std::string file;
  std::uint64_t line = 0;
  std::string text;   // the entry as written (one-line), or "Types URIs Suites" (deb822)
  std::string types;  // "deb", "deb-src", or both (deb822)
  std::map<std::string, std::string> options;  // lower-case names: "trusted" -> "yes"
  bool enabled = true;
  bool malformed = false;

  // The options that switch off or weaken signature checks and are set true, as "trusted=yes".
  std::vector<std::string> insecure_options() const;
};

// apt's StringToBool: true for yes/true/with/on/enable/1, false for their opposites and any
// other word (which apt rejects).
bool apt_bool(std::string_view v);

std::vector<AptSource> parse_sources_list(std::string_view text, std::string_view file);
Expected<std::vector<AptSource>> parse_sources_deb822(std::string_view text, std::string_view file);

struct AptSources {
  bool have_etc_apt = false;       // /etc/apt exists
  std::vector<std::string> files;  // the files read
  std::vector<AptSource> entries;
};

// An unreadable file is an Error. Facts key "apt.sources".
Expected<AptSources> load_apt_sources(const HostView& host);
std::shared_ptr<const Expected<AptSources>> apt_sources_fact(const HostView& host, Facts& facts);

}  // namespace hb
