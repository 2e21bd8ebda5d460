#include "tests/support/fake_probe.hpp"

#include <stdexcept>
#include <thread>

#include "engine/facts.hpp"

namespace hb::test {

std::atomic<int> g_fake_source_computations{0};

namespace {

class FakeProbe : public Probe {
 public:
  Status status = Status::pass;
  std::string evidence;
  int sleep_ms = 0;
  bool throws = false;
  std::string source;
  bool report_jobs = false;

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (sleep_ms) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    if (throws) throw std::runtime_error("fake probe exploded");
    if (!source.empty())
      (void)ctx.facts.get<int>(source, [] () -> Expected<int> {
        ++g_fake_source_computations;
        return 1;
      });
    if (report_jobs) return Outcome::make(status, "jobs " + std::to_string(ctx.jobs));
    return Outcome::make(status, evidence);
  }
};

std::unique_ptr<Probe> parse_fake(const Params& p) {
  auto probe = std::make_unique<FakeProbe>();
  auto st = p.choice("status", {"pass", "fail", "error", "notapplicable", "informational"}, "pass");
  probe->status = *parse_status(st);
  probe->evidence = p.opt_string("evidence").value_or("fake " + st);
  probe->sleep_ms = static_cast<int>(p.opt_int("sleep_ms").value_or(0));
  probe->throws = p.boolean("throws", false);
  probe->source = p.opt_string("source").value_or("");
  probe->report_jobs = p.boolean("report_jobs", false);
  return probe;
}

const ProbeKind k_fake_kinds[] = {{"fake", "answers what it is told", &parse_fake}};

}  // namespace

std::span<const ProbeKind> fake_kinds() { return k_fake_kinds; }

}  // namespace hb::test
