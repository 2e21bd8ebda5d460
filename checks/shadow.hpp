// Shadow: /etc/shadow as shadow-utils' sgetspent reads it, "name:password:lastchg:min:max:warn:
// inactive:expire:reserved", and what a password field means.
//
// The password field is never kept: parse_shadow reduces it to a PasswordField class at once, so
// no hash (or any part of one) can reach evidence, logs or results. Numeric fields are days;
// empty means "not set" (nullopt). A line with the wrong number of fields or a non-numeric day
// count is skipped, as sgetspent skips it, and its number is recorded (never its content).
// parse_shadow is pure (a fuzzing target); at most k_max_shadow_lines lines are read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hb {

enum class PasswordField {
  empty,     // "": no password at all; anyone may log in (where PAM allows nullok)
  hash,      // a crypt(3) hash ("$y$...", "$6$...", 13-character DES): a usable password
  locked,    // starts with '!' or '*': password login disabled
  shadowed,  // "x": in /etc/passwd, "the password is in /etc/shadow"
  invalid,   // anything else: no password can match it
};
PasswordField classify_password_field(std::string_view field);
// "empty", "a password hash", "locked", "'x' (shadowed)", "not a valid hash": words for evidence
// that describe the field without quoting it.
std::string_view describe(PasswordField p);

struct ShadowEntry {
  int line = 0;
  std::string name;
  PasswordField password = PasswordField::invalid;
  std::optional<long long> last_change, min_days, max_days, warn_days, inactive_days, expire;
};

struct ShadowFile {
  std::vector<ShadowEntry> entries;  // in file order
  std::vector<int> malformed_lines;  // skipped lines, at most k_max_listed_malformed of them
  std::size_t malformed_count = 0;
};

inline constexpr std::size_t k_max_shadow_lines = 1'000'000;
inline constexpr std::size_t k_max_listed_malformed = 100;

ShadowFile parse_shadow(std::string_view text);

}  // namespace hb
