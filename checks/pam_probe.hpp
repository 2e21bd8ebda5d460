// The `pam` probe kind: whether a module is in a PAM service's stack, with given arguments.
// It reads /etc/pam.d/SERVICE (parse_pam_config, each file once per scan under the facts key
// "pam.d:PATH"), follows `@include`, `TYPE include` and `TYPE substack` (relative names under
// /etc/pam.d; at most 16 levels, Linux-PAM's PAM_SUBSTACK_MAX_LEVEL), and looks at the lines of
// `type` for `module` (compared by file name, so /lib/.../pam_unix.so is pam_unix.so). A line
// matches when it has every argument of `args_present` (a flag `word` or `word=...`) and every
// `args` key=value passes its expectation (the last occurrence on the line counts).
// `expect: {present: true}` passes when some line matches; `{present: false}` fails with one
// object per matching line. Presence only: the control flow ([success=1 ...]) is not evaluated.
// No /etc/pam.d in the root: notapplicable. A missing service file: no line (present: false
// passes, present: true fails). A missing included file, an unreadable file, a line PAM would
// reject in the stack, or includes deeper than 16 levels: error. Parameters: see
// profiles/README.md.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_pam_probe(const Params& params);

}  // namespace hb
