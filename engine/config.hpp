// The scan configuration file, /etc/hostbench/config.yaml by default (packaging/config.yaml is
// the annotated example). Each key stands for a `hostbench scan` option and is turned into that
// option, so a value from the file is checked exactly as the same flag would be; a flag given on
// the command line wins over the file (for `vars`, per variable name).
//
//   profiles: [default]            --profile (repeated)
//   vars: {pass_max_days: 90}      --var NAME=VALUE
//   jobs: 2                        --jobs
//   fail_on: high                  --fail-on
//   docker: auto                   --docker
//   output:
//     directory: /var/lib/hostbench   --output-dir
//     formats: [json, html]           --formats
//     keep: 30                        --keep
//     keep_days: 90                   --keep-days
//   waivers: /etc/hostbench/waivers.yaml   --waivers
//   baseline: last                 --baseline
//   only_changes: true             --only-changes
//   prometheus: FILE               --prometheus
//   syslog: true                   --syslog
//   nice: true                     --nice
//   timeout: 900                   --timeout
//   rule_timeout: 60               --rule-timeout
//
// Unknown keys and wrong types are errors naming file:line:column.
#pragma once

#include <string>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

inline constexpr const char* k_default_config = "/etc/hostbench/config.yaml";
// The file `scan` reads when present and neither --config nor --no-config is given: the
// environment variable HOSTBENCH_CONFIG when set and not empty (as GIT_CONFIG_SYSTEM does for
// git; the test suite points it at a path that does not exist, so a hostbench installed and
// configured on the test machine changes no test), else k_default_config.
std::string default_config_path();

struct ConfigOption {
  std::string name;   // the long option, without "--": "fail-on"
  std::string value;  // empty for a flag without a value
  std::string where;  // file:line:col of the key, for error messages
};

struct ScanConfig {
  std::string file;
  std::vector<ConfigOption> options;  // in file order
};

Expected<ScanConfig> parse_config(const std::string& text, const std::string& file);
// Reads and parses a config file (at most 1 MiB, a regular file).
Expected<ScanConfig> load_config(const std::string& path);

}  // namespace hb
