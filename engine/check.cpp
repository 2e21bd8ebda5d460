#include "engine/check.hpp"

#include <algorithm>

namespace hb {

void Outcome::add_object(ObjectResult obj) {
  status = worst(status, obj.status);
  objects.push_back(std::move(obj));
}

std::unique_ptr<Check> Check::leaf(std::unique_ptr<Probe> probe, std::string kind) {
  auto c = std::make_unique<Check>();
  c->op_ = Op::probe;
  c->kind_ = std::move(kind);
  c->probe_ = std::move(probe);
  return c;
}

std::unique_ptr<Check> Check::parse(const Params& params, std::span<const ProbeKind> kinds) {
  const std::pair<const char*, Op> combinators[] = {
      {"all", Op::all}, {"any", Op::any}, {"none", Op::none}};
  for (const auto& [name, op] : combinators) {
    if (!params.has(name)) continue;
    YAML::Node list = params.raw(name);
    params.finish();  // a combinator map holds nothing else
    if (!list.IsSequence() || list.size() == 0)
      params.fail(name, "expected a non-empty list of checks");
    auto c = std::make_unique<Check>();
    c->op_ = op;
    for (const auto& child : list) {
      if (!child.IsMap()) throw ProfileError(location(params.file(), child) + ": expected a check");
      c->children_.push_back(parse(Params(child, params.file(), params.vars()), kinds));
    }
    return c;
  }
  if (!params.has("probe"))
    params.fail("a check needs 'probe: KIND' or one of all / any / none");
  std::string kind = params.string("probe");
  auto it = std::find_if(kinds.begin(), kinds.end(),
                         [&](const ProbeKind& k) { return k.name == kind; });
  if (it == kinds.end()) {
    std::string known;
    for (const auto& k : kinds) known += (known.empty() ? "" : ", ") + std::string(k.name);
    params.fail("probe", "unknown probe kind '" + kind + "' (known: " + known + ")");
  }
  auto c = std::make_unique<Check>();
  c->op_ = Op::probe;
  c->kind_ = kind;
  c->probe_ = it->parse(params);
  params.finish();
  return c;
}

Outcome Check::evaluate(const ProbeContext& ctx) const {
  if (op_ == Op::probe) return probe_->evaluate(ctx);
  Outcome out;
  int passed = 0, failed = 0, errors = 0, na = 0;
  for (const auto& child : children_) {
    Outcome o = child->evaluate(ctx);
    switch (o.status) {
      case Status::pass: ++passed; break;
      case Status::fail: ++failed; break;
      case Status::notapplicable: ++na; break;
      case Status::error: ++errors; break;
      default: ++passed; break;  // informational and friends do not decide a combination
    }
    for (auto& e : o.evidence) out.evidence.push_back(std::move(e));
    for (auto& obj : o.objects) out.objects.push_back(std::move(obj));
  }
  const int n = static_cast<int>(children_.size());
  switch (op_) {
    case Op::all:
      out.status = failed ? Status::fail
                   : errors ? Status::error
                   : na == n ? Status::notapplicable
                             : Status::pass;
      break;
    case Op::any:
      out.status = passed ? Status::pass
                   : errors ? Status::error
                   : na == n ? Status::notapplicable
                             : Status::fail;
      break;
    case Op::none:
      out.status = passed ? Status::fail
                   : errors ? Status::error
                   : na == n ? Status::notapplicable
                             : Status::pass;
      break;
    case Op::probe: break;
  }
  return out;
}

void Check::kinds(std::vector<std::string>& out) const {
  if (op_ == Op::probe) {
    if (std::find(out.begin(), out.end(), kind_) == out.end()) out.push_back(kind_);
    return;
  }
  for (const auto& c : children_) c->kinds(out);
}

}  // namespace hb
