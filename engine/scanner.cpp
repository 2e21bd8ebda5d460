#include "engine/scanner.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/text.hpp"

namespace hb {

Expected<std::vector<const Rule*>> select_rules(const ProfileSet& set, const Selection& sel) {
  std::vector<const Rule*> out;
  std::vector<bool> check_used(sel.checks.size()), tag_used(sel.tags.size());
  for (const auto& rule : set.rules) {
    const std::string& id = rule.meta.id;
    bool keep = sel.checks.empty();
    for (std::size_t i = 0; i < sel.checks.size(); ++i)
      if (glob_match(sel.checks[i], id)) keep = true, check_used[i] = true;
    if (!sel.tags.empty()) {
      bool tagged = false;
      for (std::size_t i = 0; i < sel.tags.size(); ++i)
        if (std::find(rule.meta.tags.begin(), rule.meta.tags.end(), sel.tags[i]) !=
            rule.meta.tags.end())
          tagged = true, tag_used[i] = true;
      keep = keep && tagged;
    }
    for (const auto& s : sel.skips)
      if (glob_match(s, id)) keep = false;
    if (keep) out.push_back(&rule);
  }
  for (std::size_t i = 0; i < sel.checks.size(); ++i)
    if (!check_used[i])
      return make_error(ErrorKind::invalid, "--check " + sel.checks[i] + ": matches no rule");
  for (std::size_t i = 0; i < sel.tags.size(); ++i)
    if (!tag_used[i])
      return make_error(ErrorKind::invalid, "--tag " + sel.tags[i] + ": no rule has this tag");
  return out;
}

RuleResult evaluate_rule(const Rule& rule, const ProbeContext& ctx) {
  const auto t0 = std::chrono::steady_clock::now();
  RuleResult r;
  r.meta = rule.meta;
  try {
    bool applies = true;
    if (rule.applies_if) {
      Outcome a = rule.applies_if->evaluate(ctx);
      if (a.status == Status::fail || a.status == Status::notapplicable) {
        applies = false;
        r.status = Status::notapplicable;
        for (auto& e : a.evidence) r.evidence.push_back("not applicable: " + e);
        for (auto& obj : a.objects)
          for (auto& e : obj.evidence) r.evidence.push_back("not applicable: " + obj.id + ": " + e);
      } else if (a.status == Status::error) {
        applies = false;
        r.status = Status::error;
        for (auto& e : a.evidence) r.evidence.push_back("applicability unknown: " + e);
      }
    }
    if (applies) {
      Outcome o = rule.check->evaluate(ctx);
      r.status = o.status;
      r.evidence = std::move(o.evidence);
      r.objects = std::move(o.objects);
    }
  } catch (const std::exception& e) {
    r.status = Status::error;
    r.evidence = {std::string("internal error while checking: ") + e.what()};
    r.objects.clear();
  } catch (...) {
    r.status = Status::error;
    r.evidence = {"internal error while checking: unknown exception"};
    r.objects.clear();
  }
  r.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - t0)
                      .count();
  return r;
}

namespace {

using Clock = std::chrono::steady_clock;

// Everything a worker touches, kept alive by whoever holds it last (an abandoned worker may
// outlive run_scan).
struct ScanState {
  std::shared_ptr<const ProfileSet> owner;  // keeps the rules alive
  std::vector<const Rule*> rules;
  std::shared_ptr<const HostView> host;
  std::shared_ptr<const CommandRunner> commands;
  std::chrono::system_clock::time_point now;
  unsigned jobs = 1;  // the scan's job count, before it is capped at the number of rules
  DockerAccess docker;
  std::vector<std::string> dockerfiles;
  Facts facts;
  std::mutex mu;
  std::condition_variable cv;
  std::size_t next = 0;
  std::size_t completed = 0;
  std::vector<std::optional<RuleResult>> results;
  std::vector<std::optional<Clock::time_point>> started;
  std::vector<std::size_t> fresh;  // indexes completed since the caller last looked
};

void worker(std::shared_ptr<ScanState> st, std::shared_ptr<std::optional<std::size_t>> current) {
  ProbeContext ctx{*st->host, st->facts,  st->commands.get(), st->now,
                   st->jobs,  st->docker, &st->dockerfiles};
  for (;;) {
    std::size_t i;
    {
      std::lock_guard<std::mutex> lock(st->mu);
      if (st->next >= st->rules.size()) {
        current->reset();
        return;
      }
      i = st->next++;
      st->started[i] = Clock::now();
      *current = i;
    }
    RuleResult r = evaluate_rule(*st->rules[i], ctx);
    {
      std::lock_guard<std::mutex> lock(st->mu);
      if (!st->results[i]) {  // not already given up on by the timeout
        st->results[i] = std::move(r);
        ++st->completed;
        st->fresh.push_back(i);
      }
      current->reset();
    }
    st->cv.notify_all();
  }
}

struct Worker {
  std::thread thread;
  std::shared_ptr<std::optional<std::size_t>> current;  // the rule it runs, guarded by st->mu
};

}  // namespace

ScanRun run_scan(std::shared_ptr<const ProfileSet> owner, const std::vector<const Rule*>& rules,
                 std::shared_ptr<const HostView> host,
                 std::shared_ptr<const CommandRunner> commands, const ScanOptions& options) {
  auto st = std::make_shared<ScanState>();
  st->owner = std::move(owner);
  st->rules = rules;
  st->host = std::move(host);
  st->commands = st->host->is_live() ? std::move(commands) : nullptr;
  st->now = options.now.value_or(std::chrono::system_clock::now());
  st->results.resize(rules.size());
  st->started.resize(rules.size());

  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  st->jobs = jobs;
  st->docker = options.docker;
  st->dockerfiles = options.dockerfiles;
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, rules.size())));
  std::vector<Worker> workers;
  auto spawn = [&] {
    Worker w;
    w.current = std::make_shared<std::optional<std::size_t>>();
    w.thread = std::thread(worker, st, w.current);
    workers.push_back(std::move(w));
  };
  for (unsigned j = 0; j < jobs && !rules.empty(); ++j) spawn();

  ScanRun run;
  std::vector<bool> abandoned_rule(rules.size());
  const auto scan_start = Clock::now();
  {
    std::unique_lock<std::mutex> lock(st->mu);
    while (st->completed < rules.size()) {
      st->cv.wait_for(lock, std::chrono::milliseconds(50));
      const auto now = Clock::now();
      if (options.scan_timeout && now - scan_start >= *options.scan_timeout) {
        // The deadline: nothing new starts; what runs is given up on; all of it is notchecked.
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(*options.scan_timeout).count();
        st->next = rules.size();
        for (std::size_t i = 0; i < rules.size(); ++i) {
          if (st->results[i]) continue;
          RuleResult r;
          r.meta = rules[i]->meta;
          r.status = Status::notchecked;
          if (st->started[i]) {
            r.evidence = {"not finished: the scan's --timeout of " + std::to_string(secs) +
                          " s passed while the check ran"};
            r.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                now - *st->started[i]).count();
            abandoned_rule[i] = true;
            ++run.abandoned;
          } else {
            r.evidence = {"not run: the scan's --timeout of " + std::to_string(secs) +
                          " s passed before the check started"};
          }
          st->results[i] = std::move(r);
          ++st->completed;
          ++run.not_finished;
          st->fresh.push_back(i);
        }
      }
      for (std::size_t i = 0; i < rules.size(); ++i) {
        if (st->results[i] || !st->started[i] || now - *st->started[i] < options.rule_timeout)
          continue;
        RuleResult r;
        r.meta = rules[i]->meta;
        r.status = Status::error;
        r.evidence = {"timed out after " + std::to_string(options.rule_timeout.count()) +
                      " ms; the check was abandoned"};
        r.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            now - *st->started[i]).count();
        st->results[i] = std::move(r);
        ++st->completed;
        st->fresh.push_back(i);
        abandoned_rule[i] = true;
        ++run.abandoned;
        if (st->next < rules.size()) spawn();  // keep the pool at strength
      }
      if (options.progress) {
        auto fresh = std::move(st->fresh);
        st->fresh.clear();
        for (std::size_t i : fresh) options.progress(st->completed, rules.size(), *st->results[i]);
      }
    }
  }
  for (auto& w : workers) {
    bool stuck;
    {
      std::lock_guard<std::mutex> lock(st->mu);
      stuck = w.current->has_value() && abandoned_rule[**w.current];
    }
    if (stuck)
      w.thread.detach();
    else
      w.thread.join();
  }
  {
    std::lock_guard<std::mutex> lock(st->mu);  // an abandoned worker may still look at results
    run.results.reserve(rules.size());
    // With every worker joined nobody else reads the results: move them (a large host's objects
    // and evidence are megabytes); an abandoned worker may still look, so then copy.
    for (auto& r : st->results) {
      if (run.abandoned == 0)
        run.results.push_back(std::move(*r));
      else
        run.results.push_back(*r);
    }
  }
  run.parse_counts = st->facts.parse_counts();
  run.source_us = st->facts.durations_us();
  return run;
}

}  // namespace hb
