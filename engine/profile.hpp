// Profiles: YAML files of rules (the format is specified in profiles/README.md). The loader
// resolves names, follows `extends`, merges variables (parents first, children override, then
// --var overrides), and parses every check into typed probes. Any mistake — unknown key, unknown
// probe kind, wrong type, bad mode, duplicate id, a cycle in extends — is an Error naming
// file:line:column, and nothing is scanned.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/params.hpp"
#include "engine/probe.hpp"
#include "engine/rule.hpp"

namespace hb {

struct ProfileInfo {
  std::string id;
  std::string title;
  std::string version;
  std::string description;
  std::string file;  // the path it was loaded from
  std::vector<std::string> extends;
};

struct ProfileSet {
  std::vector<ProfileInfo> profiles;  // every profile loaded, parents before children
  std::vector<std::string> requested;  // ids of the profiles asked for
  std::vector<Rule> rules;             // parents' rules first, in file order
  Vars vars;                           // the final values
};

// Where `--profile NAME` looks: ./profiles, /usr/share/hostbench/profiles, then each directory
// of $HOSTBENCH_PROFILE_PATH (colon-separated).
std::vector<std::string> default_profile_dirs();

// NAME.yaml in the first directory that has it; a NAME that is a path to a file is used as is.
Expected<std::string> resolve_profile(const std::string& name, const std::vector<std::string>& dirs);

struct LoadOptions {
  std::vector<std::string> dirs = default_profile_dirs();
  std::vector<std::pair<std::string, std::string>> var_overrides;  // --var name=value (YAML)
};

Expected<ProfileSet> load_profiles(const std::vector<std::string>& names,
                                   std::span<const ProbeKind> kinds, const LoadOptions& options);

// One profile given as YAML text instead of a file (tests, fuzzing): `file` names it in errors;
// its `extends` are looked up as for a file of that name (beside it, then options.dirs).
Expected<ProfileSet> load_profile_text(std::string_view text, const std::string& file,
                                       std::span<const ProbeKind> kinds, const LoadOptions& options);

// Every *.yaml / *.yml profile in the directories, by name (first directory wins).
std::vector<std::pair<std::string, std::string>> list_profiles(const std::vector<std::string>& dirs);

}  // namespace hb
