#include "checks/registry.hpp"

#include "checks/file_probe.hpp"
#include "checks/json_probe.hpp"
#include "checks/keyvalue_probe.hpp"
#include "checks/sysctl_probe.hpp"

namespace hb {

namespace {
// Sorted by name; adding a kind: its file, its test, one row here, its section in
// profiles/README.md.
const ProbeKind k_kinds[] = {
    {"file", "a file's existence, type, mode, owner, group and content", &parse_file_probe},
    {"json", "a value inside a JSON file (daemon.json ...)", &parse_json_probe},
    {"keyvalue", "a setting in a key/value file (sshd_config, login.defs ...)",
     &parse_keyvalue_probe},
    {"sysctl", "a kernel parameter: running value and configured value", &parse_sysctl_probe},
};
}  // namespace

std::span<const ProbeKind> probe_kinds() { return k_kinds; }

}  // namespace hb
