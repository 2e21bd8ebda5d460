// Probe: one typed inspection of the host, built from a profile's `check:` map by its kind's
// parse function (see checks/registry.cpp, THE table of kinds). evaluate() reads the host through
// ctx.host, shares parsed sources through ctx.facts, and returns an Outcome:
//
//   pass / fail      the probe saw what it needed and judged it (evidence says what it saw);
//   error            it could not observe (unreadable file, parse error, too large ...);
//   notapplicable    the component it examines is absent (no such kernel interface, ...).
//
// A probe that cannot observe never answers pass or fail. Where it looks at many objects
// (files, sockets, containers) it lists one ObjectResult each; the outcome's status is then the
// worst of them. Probes are immutable after parse and evaluated from many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/params.hpp"
#include "engine/status.hpp"

namespace hb {

class HostView;
class Facts;
class CommandRunner;

struct ObjectResult {
  std::string id;  // what the object is: a path, "tcp 0.0.0.0:25", a container name
  Status status = Status::error;
  std::vector<std::string> evidence;
};

struct Outcome {
  Status status = Status::error;
  std::vector<std::string> evidence;
  std::vector<ObjectResult> objects;

  static Outcome make(Status s, std::string evidence) {
    Outcome o;
    o.status = s;
    o.evidence.push_back(std::move(evidence));
    return o;
  }
  // Adds an object and folds its status into the outcome's (worst wins).
  void add_object(ObjectResult obj);
};

// How the Docker probes read containers and images (scan --docker, DOCKER_HOST): through the
// Engine API when a daemon answers on the live host, else from the on-disk state.
struct DockerAccess {
  enum class Mode { automatic, api, disk };
  Mode mode = Mode::automatic;
  // DOCKER_HOST as the user's environment gives it ("unix:///run/user/1000/docker.sock");
  // empty: the daemon's own socket. Read by the CLI, never by a probe (no getenv in checks).
  std::string host;
};

struct ProbeContext {
  const HostView& host;
  Facts& facts;
  const CommandRunner* commands;  // null unless the root is the live host
  // The scan's clock (its start), for facts judged by age; injected, so that tests and
  // re-renderings see one fixed time.
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  // The scan's job count (--jobs, else the number of cores): how many threads a probe that
  // parallelises its own work (the filesystem walk) may use. Rules themselves run on that many
  // threads too, so a probe that uses them all is competing only with rules that wait for it.
  unsigned jobs = 1;
  DockerAccess docker = {};
  // The Dockerfiles named with scan --dockerfile (directories already expanded to files), on the
  // scanner's own filesystem; null or empty when none were given.
  const std::vector<std::string>* dockerfiles = nullptr;
};

class Probe {
 public:
  virtual ~Probe() = default;
  virtual Outcome evaluate(const ProbeContext& ctx) const = 0;
};

struct ProbeKind {
  std::string_view name;
  std::string_view summary;
  // Reads params (every key through Params getters, then params.finish()); raises ProfileError
  // through Params::fail on bad input.
  std::unique_ptr<Probe> (*parse)(const Params& params);
};

}  // namespace hb
