// Accounts: the users and groups of the scanned root, from its own /etc/passwd and /etc/group
// (never NSS: an offline root's accounts are not the scanner's). Loaded once per scan through
// the Facts cache. The files' text is read once per scan too (account_file) and shared with the
// other parsers of the same files (the accounts probe's line-numbered view).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

class Facts;
class HostView;

struct UserEntry {
  std::string name;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string home;
  std::string shell;
  std::uint32_t line = 0;  // 1-based, in the text parsed
};

struct GroupEntry {
  std::string name;
  std::uint32_t gid = 0;
  std::vector<std::string> members;
  std::uint32_t line = 0;  // 1-based, in the text parsed
};

struct Accounts {
  std::vector<UserEntry> users;    // in file order
  std::vector<GroupEntry> groups;  // in file order
  bool have_passwd = false;        // false when /etc/passwd could not be read or has no valid line
  bool have_group = false;         // the same for /etc/group

  std::optional<std::string> user_name(std::uint32_t uid) const;
  std::optional<std::string> group_name(std::uint32_t gid) const;
  std::optional<std::uint32_t> uid_of(std::string_view name) const;
  std::optional<std::uint32_t> gid_of(std::string_view name) const;
  // "root(0)" or "1234" when the id has no name.
  std::string describe_user(std::uint32_t uid) const;
  std::string describe_group(std::uint32_t gid) const;
};

// Parses passwd and group text; malformed lines are skipped (they are reported by rules that
// check the files' syntax, not here). Lines are numbered as split_lines() gives them. With
// `password_fields`, each user's second field comes back beside it (views into `text`; never
// kept in UserEntry, since an unshadowed system has its hashes there).
std::vector<UserEntry> parse_passwd(std::string_view text,
                                    std::vector<std::string_view>* password_fields = nullptr);
std::vector<GroupEntry> parse_group(std::string_view text);

// The text of /etc/passwd or /etc/group (or another account file), read once per scan
// (Facts key "file:PATH"); the read's Error when it failed.
std::shared_ptr<const Expected<std::string>> account_file(const HostView& host, Facts& facts,
                                                          const std::string& path);

// The root's accounts, loaded once per scan. Never fails: missing files give empty maps with
// have_passwd / have_group false.
std::shared_ptr<const Accounts> load_accounts(const HostView& host, Facts& facts);

}  // namespace hb
