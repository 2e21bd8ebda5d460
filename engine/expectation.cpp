#include "engine/expectation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "engine/text.hpp"

namespace hb {

std::string value_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A number from a JSON number or a numeric string ("365", " -1 ", "0.5").
std::optional<double> as_number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return std::nullopt;
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  const char* b = s.c_str();
  while (*b == ' ' || *b == '\t') ++b;
  if (*b == '\0') return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(b, &end);
  while (end && (*end == ' ' || *end == '\t')) ++end;
  if (end == nullptr || *end != '\0' || std::isnan(d)) return std::nullopt;
  return d;
}

std::string list_text(const Json& arr) {
  std::string out = "[";
  for (std::size_t i = 0; i < arr.size(); ++i) out += (i ? ", " : "") + value_text(arr[i]);
  return out + "]";
}

}  // namespace

Expectation Expectation::parse(const Params& params, const std::string& key) {
  return parse_map(params.map(key));
}

Expectation Expectation::parse_map(const Params& p) {
  Expectation e;
  e.ignore_case_ = p.boolean("ignore_case", false);
  if (p.has("exists")) e.exists_ = p.boolean("exists", true);
  using Op = Test::Op;
  const std::pair<const char*, Op> scalar_ops[] = {
      {"equals", Op::equals}, {"not_equals", Op::not_equals}, {"lt", Op::lt}, {"le", Op::le},
      {"gt", Op::gt},         {"ge", Op::ge},                 {"contains", Op::contains}};
  for (const auto& [name, op] : scalar_ops) {
    auto v = p.opt_value(name);
    if (!v) continue;
    if (v->is_array() || v->is_object()) p.fail(name, "expected a single value");
    if ((op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge) && !v->is_number())
      p.fail(name, "expected a number");
    e.tests_.push_back(Test{op, *v, std::nullopt, value_text(*v)});
  }
  for (const auto& [name, op] :
       {std::pair<const char*, Op>{"one_of", Op::one_of}, {"not_one_of", Op::not_one_of},
        {"all_in", Op::all_in}, {"none_in", Op::none_in}}) {
    auto v = p.opt_value(name);
    if (!v) continue;
    if (!v->is_array()) v = Json::array({*v});
    for (const auto& x : *v)
      if (x.is_array() || x.is_object()) p.fail(name, "expected a list of single values");
    e.tests_.push_back(Test{op, *v, std::nullopt, list_text(*v)});
  }
  if (auto bits = p.opt_string("has_bits")) {
    const bool octal = !bits->empty() && bits->size() <= 5 &&
                       bits->find_first_not_of("01234567") == std::string::npos;
    if (!octal) p.fail("has_bits", "expected octal bits such as \"027\"");
    e.tests_.push_back(Test{Op::has_bits, Json(std::stol(*bits, nullptr, 8)), std::nullopt, *bits});
  }
  for (const auto& [name, op] :
       {std::pair<const char*, Op>{"matches", Op::matches}, {"not_matches", Op::not_matches}}) {
    auto s = p.opt_string(name);
    if (!s) continue;
    auto re = Regex::compile(*s, e.ignore_case_);
    if (!re) p.fail(name, re.message());
    e.tests_.push_back(Test{op, Json(*s), std::move(re.value()), *s});
  }
  p.finish();
  if (e.tests_.empty() && !e.exists_) p.fail("an expectation needs at least one test (equals, "
                                             "one_of, matches, le, exists ...)");
  if (e.exists_ == false && !e.tests_.empty())
    p.fail("exists: false cannot be combined with tests on the value");
  return e;
}

bool Expectation::equal(const Json& expected, const Json& actual) const {
  if (expected.is_string() && actual.is_string()) {
    if (ignore_case_)
      return lower(expected.get<std::string>()) == lower(actual.get<std::string>());
    return expected == actual;
  }
  if (expected.is_number() || actual.is_number()) {
    auto a = as_number(expected), b = as_number(actual);
    if (a && b) return *a == *b;
    return false;
  }
  if (expected.is_boolean() && actual.is_string()) {
    // Text sources (sysctl, key=value files) hold booleans as words.
    std::string s = lower(actual.get<std::string>());
    bool want = expected.get<bool>();
    return want ? (s == "true" || s == "yes") : (s == "false" || s == "no");
  }
  return expected == actual;
}

Expected<bool> Expectation::holds(const Test& t, const Json& actual) const {
  using Op = Test::Op;
  switch (t.op) {
    case Op::equals: return equal(t.value, actual);
    case Op::not_equals: return !equal(t.value, actual);
    case Op::one_of:
      return std::any_of(t.value.begin(), t.value.end(),
                         [&](const Json& x) { return equal(x, actual); });
    case Op::not_one_of:
      return std::none_of(t.value.begin(), t.value.end(),
                          [&](const Json& x) { return equal(x, actual); });
    case Op::all_in:
    case Op::none_in: {
      // A list value is judged item by item; a single value as a list of one.
      const Json items = actual.is_array() ? actual : Json::array({actual});
      auto listed = [&](const Json& x) {
        return std::any_of(t.value.begin(), t.value.end(),
                           [&](const Json& y) { return equal(y, x); });
      };
      return t.op == Op::all_in ? std::all_of(items.begin(), items.end(), listed)
                                : std::none_of(items.begin(), items.end(), listed);
    }
    case Op::matches:
    case Op::not_matches: {
      auto found = t.re->search(value_text(actual));
      if (!found) return found.error();
      return t.op == Op::matches ? *found : !*found;
    }
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge: {
      auto a = as_number(actual);
      if (!a) return false;
      double b = t.value.get<double>();
      switch (t.op) {
        case Op::lt: return *a < b;
        case Op::le: return *a <= b;
        case Op::gt: return *a > b;
        default: return *a >= b;
      }
    }
    case Op::has_bits: {
      // Octal with its leading 0 ("027", "0077"). "27" is refused: login.defs and friends read
      // numbers as C does (strtol base 0), so "27" would be decimal 27, i.e. 033.
      std::string text = std::string(trim(value_text(actual)));
      if (text.empty() || text.size() > 6 || text.front() != '0' ||
          text.find_first_not_of("01234567") != std::string::npos)
        return false;
      long want = t.value.get<long>();
      return (std::stol(text, nullptr, 8) & want) == want;
    }
    case Op::contains:
      if (actual.is_array())
        return std::any_of(actual.begin(), actual.end(),
                           [&](const Json& x) { return equal(t.value, x); });
      if (actual.is_string()) {
        std::string hay = actual.get<std::string>(), needle = value_text(t.value);
        if (ignore_case_) hay = lower(hay), needle = lower(needle);
        return hay.find(needle) != std::string::npos;
      }
      return false;
  }
  return false;
}

ExpectationResult Expectation::test(const std::optional<Json>& actual) const {
  if (!actual) {
    if (exists_ == false) return {true, false, "not set, as expected"};
    return {false, false, "not set; expected " + describe()};
  }
  if (exists_ == false)
    return {false, false, "set to '" + value_text(*actual) + "'; expected it unset"};
  for (const auto& t : tests_) {
    auto h = holds(t, *actual);
    if (!h) return {false, true, h.message()};
    if (!*h) return {false, false, "found '" + value_text(*actual) + "'; expected " + describe()};
  }
  return {true, false, "found '" + value_text(*actual) + "'"};
}

std::string Expectation::describe() const {
  using Op = Test::Op;
  std::string out;
  for (const auto& t : tests_) {
    std::string part;
    switch (t.op) {
      case Op::equals: part = "'" + t.text + "'"; break;
      case Op::not_equals: part = "not '" + t.text + "'"; break;
      case Op::one_of: part = "one of " + t.text; break;
      case Op::not_one_of: part = "none of " + t.text; break;
      case Op::all_in: part = t.value.empty() ? "empty" : "only items of " + t.text; break;
      case Op::none_in: part = "no item of " + t.text; break;
      case Op::matches: part = "a match for /" + t.text + "/"; break;
      case Op::not_matches: part = "no match for /" + t.text + "/"; break;
      case Op::lt: part = "< " + t.text; break;
      case Op::le: part = "<= " + t.text; break;
      case Op::gt: part = "> " + t.text; break;
      case Op::ge: part = ">= " + t.text; break;
      case Op::contains: part = "containing '" + t.text + "'"; break;
      case Op::has_bits: part = "octal with bits " + t.text + " set"; break;
    }
    out += (out.empty() ? "" : " and ") + part;
  }
  if (out.empty()) out = exists_.value_or(true) ? "set" : "unset";
  if (ignore_case_) out += " (ignoring case)";
  return out;
}

}  // namespace hb
