// The `file` probe kind: see profiles/README.md for its parameters.
#pragma once

#include <memory>
#include <string>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_file_probe(const Params& params);

// The file tests without a fixed path, for kinds that learn the path at scan time (the TLS
// certificate a daemon setting names): every parameter of `file` except `path`.
class FileChecks {
 public:
  virtual ~FileChecks() = default;
  virtual Outcome evaluate_at(const ProbeContext& ctx, const std::string& path) const = 0;
};
std::unique_ptr<FileChecks> parse_file_checks(const Params& params);

}  // namespace hb
