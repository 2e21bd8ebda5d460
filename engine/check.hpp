// Check: the tree under a rule's `check:` (and `applies_if:`). A leaf names a probe kind and its
// parameters; inner nodes combine children:
//
//   check: { probe: file, path: /etc/shadow, expect: { mode: "0640" } }
//   check: { all: [ {probe: ...}, {probe: ...} ] }   # every child passes
//   check: { any: [ ... ] }                           # at least one child passes
//   check: { none: [ ... ] }                          # no child passes
//
// Combining (children's evidence is kept, in order):
//   all:  fail if a child fails; else error if one errs; else notapplicable if all are; else pass
//   any:  pass if a child passes; else error if one errs; else notapplicable if all are; else fail
//   none: fail if a child passes; else error if one errs; else notapplicable if all are; else pass
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "engine/probe.hpp"

namespace hb {

class Check {
 public:
  enum class Op { probe, all, any, none };

  // Parses a check map; raises ProfileError (file:line) on any mistake.
  static std::unique_ptr<Check> parse(const Params& params, std::span<const ProbeKind> kinds);
  // For tests and callers that build rules in code.
  static std::unique_ptr<Check> leaf(std::unique_ptr<Probe> probe, std::string kind);

  Outcome evaluate(const ProbeContext& ctx) const;
  Op op() const { return op_; }
  // The probe kinds used in this tree, for `hostbench list` and the sources report.
  void kinds(std::vector<std::string>& out) const;

 private:
  Op op_ = Op::probe;
  std::string kind_;
  std::unique_ptr<Probe> probe_;
  std::vector<std::unique_ptr<Check>> children_;
};

}  // namespace hb
