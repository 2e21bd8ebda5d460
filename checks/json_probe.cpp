#include "checks/json_probe.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "engine/expectation.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/json_text.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

enum class IfMissing { absent, pass, fail, notapplicable, error };

// RFC 6901: "" is the whole document; otherwise "/"-separated tokens where ~1 is '/' and ~0 '~'.
std::optional<std::vector<std::string>> parse_pointer(std::string_view s) {
  std::vector<std::string> tokens;
  if (s.empty()) return tokens;
  if (s.front() != '/') return std::nullopt;
  for (auto raw : split(s.substr(1), '/')) {
    std::string tok;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        tok += raw[i];
        continue;
      }
      if (i + 1 >= raw.size() || (raw[i + 1] != '0' && raw[i + 1] != '1')) return std::nullopt;
      tok += raw[++i] == '0' ? '~' : '/';
    }
    tokens.push_back(std::move(tok));
  }
  return tokens;
}

// An array index as RFC 6901 spells it: "0" or digits without a leading zero.
std::optional<std::size_t> array_index(const std::string& tok) {
  if (tok.empty() || tok.size() > 9) return std::nullopt;
  if (!std::all_of(tok.begin(), tok.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  if (tok.size() > 1 && tok.front() == '0') return std::nullopt;
  return static_cast<std::size_t>(std::stoul(tok));
}

class JsonProbe final : public Probe {
 public:
  JsonProbe(std::string path, std::vector<std::string> tokens, std::string name,
            std::optional<Json> fallback, IfMissing if_missing, Expectation expect)
      : path_(std::move(path)),
        tokens_(std::move(tokens)),
        name_(std::move(name)),
        default_(std::move(fallback)),
        if_missing_(if_missing),
        expect_(std::move(expect)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto doc = ctx.facts.get<Json>("json:" + path_, [&]() -> Expected<Json> {
      auto text = ctx.host.read_file(path_);
      if (!text) return text.error();
      return parse_json_text(path_, *text);
    });
    const bool file_absent = !doc->ok() && doc->kind() == ErrorKind::not_found;
    if (!doc->ok() && !file_absent) return Outcome::make(Status::error, doc->message());
    if (file_absent && if_missing_ != IfMissing::absent) {
      Status s = if_missing_ == IfMissing::pass    ? Status::pass
                 : if_missing_ == IfMissing::fail  ? Status::fail
                 : if_missing_ == IfMissing::error ? Status::error
                                                   : Status::notapplicable;
      return Outcome::make(s, path_ + ": does not exist");
    }

    const Json* found = file_absent ? nullptr : lookup(doc->value());
    std::string line = path_ + ": " + name_;
    std::optional<Json> actual;
    if (found != nullptr) {
      actual = *found;
      line += " = " + printable(value_text(*found));
    } else {
      line += file_absent ? " not set (the file does not exist)" : " not set";
      if (default_) {
        actual = default_;
        line += ", default " + printable(value_text(*default_)) + " applies";
      }
    }
    ExpectationResult r = expect_.test(actual);
    if (!r.ok) line += r.error ? "; " + r.detail : "; expected " + expect_.describe();
    return Outcome::make(r.status(), std::move(line));
  }

 private:
  // The value the pointer names, or null when any step is missing or walks into a scalar.
  const Json* lookup(const Json& doc) const {
    const Json* cur = &doc;
    for (const auto& tok : tokens_) {
      if (cur->is_object()) {
        auto it = cur->find(tok);
        if (it == cur->end()) return nullptr;
        cur = &*it;
      } else if (cur->is_array()) {
        auto i = array_index(tok);
        if (!i || *i >= cur->size()) return nullptr;
        cur = &(*cur)[*i];
      } else {
        return nullptr;
      }
    }
    return cur;
  }

  std::string path_;
  std::vector<std::string> tokens_;
  std::string name_;  // the key or pointer as written, for evidence
  std::optional<Json> default_;
  IfMissing if_missing_;
  Expectation expect_;
};

}  // namespace

std::unique_ptr<Probe> parse_json_probe(const Params& params) {
  std::string path = params.string("path");
  if (path.empty() || path.front() != '/')
    params.fail("path",
                "'" + path + "' is not an absolute host path such as /etc/docker/daemon.json");
  if (has_glob(path)) params.fail("path", "a json check reads one file; globs are not supported");

  const bool has_pointer = params.has("pointer"), has_key = params.has("key");
  if (has_pointer == has_key) params.fail("give exactly one of 'pointer' and 'key'");
  std::vector<std::string> tokens;
  std::string name;
  if (has_pointer) {
    name = params.string("pointer");
    auto t = parse_pointer(name);
    if (!t)
      params.fail("pointer", "'" + name +
                                 "' is not a JSON Pointer (RFC 6901): it starts with '/' "
                                 "and escapes '~' as ~0 and '/' as ~1");
    tokens = std::move(*t);
  } else {
    name = params.string("key");
    tokens.push_back(name);
  }

  std::optional<Json> fallback = params.opt_value("default");
  const std::string word =
      params.choice("if_missing", {"absent", "pass", "fail", "notapplicable", "error"}, "absent");
  const IfMissing if_missing = word == "pass"            ? IfMissing::pass
                               : word == "fail"          ? IfMissing::fail
                               : word == "notapplicable" ? IfMissing::notapplicable
                               : word == "error"         ? IfMissing::error
                                                         : IfMissing::absent;
  Expectation expect = Expectation::parse(params);
  // `exists` asks whether the file sets the key; a program default would answer for it.
  if (fallback && expect.exists())
    params.fail("default", "cannot be combined with expect: exists (which tests the file itself)");
  return std::make_unique<JsonProbe>(std::move(path), std::move(tokens), std::move(name),
                                     std::move(fallback), if_missing, std::move(expect));
}

}  // namespace hb
