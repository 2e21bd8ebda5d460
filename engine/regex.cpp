#include "engine/regex.hpp"

#include <boost/regex.hpp>
#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

namespace hb {

struct Regex::Impl {
  boost::regex re;
};

namespace {

// Nested repetition: a group repeated without bound (*, +, {n,}, or more than 100 times) that
// itself holds an unbounded repetition, as in (a+)+, (a*)*, (\w+\s*)*, (x+){2,}. Such a pattern
// backtracks exponentially on a line that almost matches. Boost gives up on it (an error, so the
// rule would be `error` on every such host); refusing it when the profile loads says so at once,
// with the profile's line. Other ambiguous patterns ((a|a)*) are left to Boost's run-time bound.
// The scan is purely syntactic: escapes and character classes are skipped, groups are a stack;
// the list idiom ([^,]*,)* is recognised as safe.
std::optional<std::string> nested_repetition(const std::string& p) {
  struct Frame {
    bool unbounded_inside = false;
    std::size_t open = 0;
  };
  std::vector<Frame> stack{Frame{}};
  // The quantifier at p[i], if any: its length and whether it is unbounded (or above 100).
  auto quantifier = [&p](std::size_t i, bool& unbounded) -> std::size_t {
    unbounded = false;
    if (i >= p.size()) return 0;
    std::size_t len = 0;
    if (p[i] == '*' || p[i] == '+') {
      unbounded = true;
      len = 1;
    } else if (p[i] == '?') {
      len = 1;
    } else if (p[i] == '{') {
      std::size_t j = i + 1, min_end, max_start;
      while (j < p.size() && std::isdigit(static_cast<unsigned char>(p[j]))) ++j;
      if (j == i + 1) return 0;  // not a quantifier: a literal '{'
      min_end = j;
      if (j < p.size() && p[j] == ',') {
        max_start = ++j;
        while (j < p.size() && std::isdigit(static_cast<unsigned char>(p[j]))) ++j;
        if (j == max_start)
          unbounded = true;
        else
          unbounded = j - max_start > 3 || std::stoi(p.substr(max_start, j - max_start)) > 100;
      } else {
        unbounded = min_end - (i + 1) > 3 || std::stoi(p.substr(i + 1, min_end - i - 1)) > 100;
      }
      if (j >= p.size() || p[j] != '}') return 0;
      len = j + 1 - i;
    } else {
      return 0;
    }
    if (i + len < p.size() && p[i + len] == '?') ++len;  // lazy
    return len;
  };
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    std::size_t atom_end = i + 1;
    bool group_unbounded_inside = false;
    bool is_group_close = false;
    if (c == '\\') {
      atom_end = std::min(p.size(), i + 2);
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < p.size() && p[j] == '^') ++j;
      if (j < p.size() && p[j] == ']') ++j;
      while (j < p.size() && p[j] != ']') j += p[j] == '\\' ? 2 : 1;
      atom_end = std::min(p.size(), j + 1);
    } else if (c == '(') {
      stack.push_back(Frame{false, i});
      i += 1;
      continue;
    } else if (c == ')') {
      if (stack.size() > 1) {
        group_unbounded_inside = stack.back().unbounded_inside;
        stack.pop_back();
      }
      is_group_close = true;
    }
    bool unbounded = false;
    const std::size_t q = quantifier(atom_end, unbounded);
    if (is_group_close && unbounded && group_unbounded_inside)
      return "nested repetition near offset " + std::to_string(atom_end) +
             " (a repeated group that repeats without bound inside, as in (a+)+) backtracks "
             "exponentially; rewrite it without the nesting";
    // The list idiom ([^,]*,)*: a negated class repeated up to a character it excludes cannot
    // overlap the next repetition, so it does not backtrack; it is not counted.
    bool delimited = false;
    if (unbounded && c == '[' && i + 1 < p.size() && p[i + 1] == '^' && atom_end + q < p.size()) {
      char next = p[atom_end + q];
      const bool escaped = next == '\\' && atom_end + q + 1 < p.size() &&
                           std::ispunct(static_cast<unsigned char>(p[atom_end + q + 1]));
      if (escaped) next = p[atom_end + q + 1];
      const bool literal = escaped || std::string_view("\\[](){}.*+?^$|").find(next) == std::string_view::npos;
      const std::string_view set(p.data() + i + 2, atom_end - i - 3);  // between "[^" and "]"
      delimited = literal && set.find('\\') == std::string_view::npos &&
                  set.find('-') == std::string_view::npos && set.find(next) != std::string_view::npos;
    }
    if ((unbounded && !delimited) || group_unbounded_inside) stack.back().unbounded_inside = true;
    i = atom_end + q;
  }
  return std::nullopt;
}

}  // namespace

Expected<Regex> Regex::compile(const std::string& pattern, bool ignore_case) {
  if (auto nested = nested_repetition(pattern))
    return make_error(ErrorKind::invalid, "refused regular expression: " + *nested);
  try {
    boost::regex::flag_type flags = boost::regex::ECMAScript;
    if (ignore_case) flags = flags | boost::regex::icase;
    Regex r;
    r.impl_ = std::make_shared<const Impl>(Impl{boost::regex(pattern, flags)});
    r.source_ = pattern;
    return r;
  } catch (const std::exception& e) {
    return make_error(ErrorKind::invalid, std::string("invalid regular expression: ") + e.what());
  }
}

Expected<bool> Regex::search(std::string_view text) const {
  try {
    return boost::regex_search(text.begin(), text.end(), impl_->re);
  } catch (const std::exception& e) {
    // Boost's limit on backtracking, or its memory limit: the answer is unknown.
    return make_error(ErrorKind::too_large, "/" + source_ + "/ could not be matched: " + e.what());
  }
}

}  // namespace hb
