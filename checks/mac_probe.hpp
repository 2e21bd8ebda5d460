// The `mac` probe kind: whether a mandatory access control framework protects the running host
// (see profiles/README.md, "Probe: mac"):
//
//   check: { probe: mac, framework: apparmor }     # selinux | apparmor | any (default)
//
//   selinux   pass: /sys/fs/selinux/enforce is 1 and /etc/selinux/config says SELINUX=enforcing;
//             fail: either is not; notapplicable: no /sys/fs/selinux (kernel without SELinux).
//   apparmor  pass: /sys/module/apparmor/parameters/enabled is Y and at least one loaded profile
//             (/sys/kernel/security/apparmor/profiles) is in enforce (or kill) mode; fail:
//             disabled, or enabled with no enforcing profile; notapplicable: no
//             /sys/module/apparmor.
//   any       pass: either of the above passes; fail: neither does (a kernel with neither
//             fails, it is not notapplicable); error: either errs. The one notapplicable case is
//             a root without /sys/kernel (an offline image: no running kernel to observe).
//
// Sources are parsed by checks/mac_sources (pure functions).
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_mac_probe(const Params& params);

}  // namespace hb
