// The `kernel_module` probe kind: whether a kernel module is kept out of the kernel (see
// profiles/README.md, "Probe: kernel_module"):
//
//   check: { probe: kernel_module, module: cramfs, expect: disabled }
//
// `expect: disabled` (the only mode) passes when the module is not loaded (/proc/modules;
// skipped with a note on an offline root) and either
//   - modprobe.d keeps it out: kmod's install command for it is /bin/false (or /bin/true,
//     /usr/bin/false, /usr/bin/true) AND a `blacklist MODULE` line exists; or
//   - it is not available: no installed kernel under /lib/modules has its module file, or the
//     running kernel has no loadable module support and does not have it built in.
// It fails when the module is loaded, is built into a kernel (modules.builtin, or the running
// kernel lists it in /proc/filesystems or /sys/module while /proc/modules does not: modprobe.d
// cannot keep out a built-in), or can be loaded and modprobe.d does not stop it. Evidence names
// the lines found (file:line). Module names treat '-' and '_' alike.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_kernel_module_probe(const Params& params);

}  // namespace hb
