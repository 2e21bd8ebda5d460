#include "checks/shadow.hpp"

#include <cctype>

#include "engine/text.hpp"

namespace hb {

namespace {

bool des_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/';
}

// A day count as sgetspent reads it: empty is "not set" (nullopt in `out`); a number (possibly
// negative, as -1); anything else makes the line invalid (false).
bool day_field(std::string_view s, std::optional<long long>& out) {
  out.reset();
  if (s.empty()) return true;
  bool neg = false;
  if (s.front() == '-') {
    neg = true;
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 18) return false;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = neg ? -v : v;
  return true;
}

}  // namespace

PasswordField classify_password_field(std::string_view f) {
  if (f.empty()) return PasswordField::empty;
  if (f == "x") return PasswordField::shadowed;
  if (f.front() == '!' || f.front() == '*') return PasswordField::locked;
  if (f.front() == '$' && f.size() > 3) return PasswordField::hash;
  if (f.size() == 13) {
    bool des = true;
    for (char c : f) des = des && des_char(c);
    if (des) return PasswordField::hash;
  }
  return PasswordField::invalid;
}

std::string_view describe(PasswordField p) {
  switch (p) {
    case PasswordField::empty:
      return "empty";
    case PasswordField::hash:
      return "a password hash";
    case PasswordField::locked:
      return "locked";
    case PasswordField::shadowed:
      return "'x' (shadowed)";
    case PasswordField::invalid:
      return "not a valid hash";
  }
  return "not a valid hash";
}

ShadowFile parse_shadow(std::string_view text) {
  ShadowFile out;
  int lineno = 0;
  for (std::string_view line : split_lines(text)) {
    if (static_cast<std::size_t>(++lineno) > k_max_shadow_lines) break;
    if (line.empty()) continue;
    auto f = split(line, ':');
    ShadowEntry e;
    e.line = lineno;
    bool ok = f.size() == 9 && !f[0].empty() && day_field(f[2], e.last_change) &&
              day_field(f[3], e.min_days) && day_field(f[4], e.max_days) &&
              day_field(f[5], e.warn_days) && day_field(f[6], e.inactive_days) &&
              day_field(f[7], e.expire);
    if (!ok) {
      if (out.malformed_lines.size() < k_max_listed_malformed)
        out.malformed_lines.push_back(lineno);
      ++out.malformed_count;
      continue;
    }
    e.name = std::string(f[0]);
    e.password = classify_password_field(f[1]);
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace hb
