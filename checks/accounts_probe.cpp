#include "checks/accounts_probe.hpp"

#include <map>
#include <set>

#include "checks/keyvalue_file.hpp"
#include "checks/shadow.hpp"
#include "engine/accounts.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::size_t k_max_objects = 1000;
constexpr std::uint32_t k_default_uid_min = 1000;  // login.defs(5) UID_MIN default
constexpr std::uint32_t k_nobody_uid = 65534;

// Accounts CIS never wants locked out of their special shells.
const std::set<std::string> k_shell_exempt = {"root", "sync", "shutdown", "halt", "nfsnobody"};

struct PasswdLine {
  int line = 0;
  UserEntry user;
  PasswordField password = PasswordField::invalid;
};

struct GroupLine {
  int line = 0;
  GroupEntry group;
};

// /etc/passwd and /etc/group with line numbers, read by the engine's own parsers.
struct AccountLines {
  std::vector<PasswdLine> users;
  std::vector<GroupLine> groups;
  std::optional<std::string> passwd_error, group_error;  // missing or unreadable, and why
};

// Why a file the check needs cannot be had, or nothing when its text is there.
std::optional<std::string> read_error(const Expected<std::string>& text, const std::string& path) {
  if (text.ok()) return std::nullopt;
  if (text.kind() == ErrorKind::not_found) return path + " does not exist";
  return "cannot read " + path + ": " + text.message();
}

// The files' text comes from the read the engine's Accounts share (account_file), parsed here
// once more for what Accounts does not keep: each user's password field, as its class only.
AccountLines load_account_lines(const HostView& host, Facts& facts) {
  AccountLines a;
  auto passwd = account_file(host, facts, "/etc/passwd");
  a.passwd_error = read_error(*passwd, "/etc/passwd");
  if (!a.passwd_error) {
    std::vector<std::string_view> fields;
    auto users = parse_passwd(passwd->value(), &fields);
    if (users.empty())  // garbage is not a host without accounts (root is always there)
      a.passwd_error = "/etc/passwd has no valid account line (name:password:UID:GID:GECOS:home:shell)";
    a.users.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
      const int line = static_cast<int>(users[i].line);
      a.users.push_back(PasswdLine{line, std::move(users[i]), classify_password_field(fields[i])});
    }
  }
  auto group = account_file(host, facts, "/etc/group");
  a.group_error = read_error(*group, "/etc/group");
  if (!a.group_error) {
    auto groups = parse_group(group->value());
    if (groups.empty()) a.group_error = "/etc/group has no valid group line (name:password:GID:members)";
    a.groups.reserve(groups.size());
    for (auto& g : groups) {
      const int line = static_cast<int>(g.line);
      a.groups.push_back(GroupLine{line, std::move(g)});
    }
  }
  return a;
}

Expected<ShadowFile> load_shadow(const HostView& host) {
  auto t = host.read_file("/etc/shadow");
  if (!t) {
    if (t.kind() == ErrorKind::not_found)
      return make_error(ErrorKind::not_found, "/etc/shadow does not exist");
    return make_error(t.kind(), "cannot read /etc/shadow: " + t.message());
  }
  ShadowFile shadow = parse_shadow(*t);
  if (shadow.entries.empty())  // root always has an entry: this is not a shadow file
    return make_error(ErrorKind::parse, "/etc/shadow has no valid entry (" +
                                            std::to_string(shadow.malformed_count) +
                                            " malformed lines)");
  return shadow;
}

enum class Check {
  uid0_only_root,
  no_empty_passwords,
  system_accounts_nologin,
  no_duplicate_uids,
  no_duplicate_gids,
  no_duplicate_user_names,
  no_duplicate_group_names,
  groups_exist,
  shadowed_passwords,
  password_max_days,
  password_warn_age,
  inactive,
  group_members
};

const std::vector<std::pair<std::string, Check>> k_checks = {
    {"uid0_only_root", Check::uid0_only_root},
    {"no_empty_passwords", Check::no_empty_passwords},
    {"system_accounts_nologin", Check::system_accounts_nologin},
    {"no_duplicate_uids", Check::no_duplicate_uids},
    {"no_duplicate_gids", Check::no_duplicate_gids},
    {"no_duplicate_user_names", Check::no_duplicate_user_names},
    {"no_duplicate_group_names", Check::no_duplicate_group_names},
    {"groups_exist", Check::groups_exist},
    {"shadowed_passwords", Check::shadowed_passwords},
    {"password_max_days", Check::password_max_days},
    {"password_warn_age", Check::password_warn_age},
    {"inactive", Check::inactive},
    {"group_members", Check::group_members},
};

struct Finding {
  std::string id;
  std::string evidence;
};

std::string at(const char* file, int line) {
  return std::string(file) + ":" + std::to_string(line);
}

std::string days(const std::optional<long long>& d) {
  return d ? std::to_string(*d) : std::string("empty");
}

class AccountsProbe final : public Probe {
 public:
  AccountsProbe(Check check, std::optional<long long> limit, std::string group = {},
                std::vector<std::string> allowed = {})
      : check_(check), limit_(limit), group_(std::move(group)), allowed_(std::move(allowed)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto lines =
        ctx.facts.get<AccountLines>("accounts.lines", [&] {
          return load_account_lines(ctx.host, ctx.facts);
        });
    const AccountLines& a = lines->value();  // the loader never fails
    if (needs_passwd() && a.passwd_error)
      return Outcome::make(Status::error, printable(*a.passwd_error, 400));
    if (needs_group() && a.group_error)
      return Outcome::make(Status::error, printable(*a.group_error, 400));
    const ShadowFile* shadow = nullptr;
    std::shared_ptr<const Expected<ShadowFile>> sh;
    if (needs_shadow()) {
      sh = ctx.facts.get<ShadowFile>("shadow", [&] { return load_shadow(ctx.host); });
      if (!sh->ok()) return Outcome::make(Status::error, printable(sh->message(), 400));
      shadow = &sh->value();
    }

    std::vector<Finding> bad;
    std::string summary;
    switch (check_) {
      case Check::uid0_only_root:
        for (const auto& u : a.users)
          if (u.user.uid == 0 && u.user.name != "root")
            bad.push_back({u.user.name, at("/etc/passwd", u.line) + ": " + printable(u.user.name) +
                                            " has UID 0, the superuser's"});
        summary =
            "only root has UID 0 in /etc/passwd (" + std::to_string(a.users.size()) + " accounts)";
        break;
      case Check::no_empty_passwords:
        for (const auto& u : a.users)
          if (u.password == PasswordField::empty)
            bad.push_back({u.user.name, at("/etc/passwd", u.line) + ": " + printable(u.user.name) +
                                            " has an empty password field"});
        for (const auto& e : shadow->entries)
          if (e.password == PasswordField::empty)
            bad.push_back({e.name, at("/etc/shadow", e.line) + ": " + printable(e.name) +
                                       " has an empty password field: it logs in without a "
                                       "password wherever PAM allows nullok"});
        summary = "no account has an empty password field (" +
                  std::to_string(shadow->entries.size()) + " in /etc/shadow, " +
                  std::to_string(a.users.size()) + " in /etc/passwd)";
        break;
      case Check::system_accounts_nologin:
        system_accounts(ctx, a, bad, summary);
        break;
      case Check::no_duplicate_uids:
        duplicates<std::uint32_t>(
            a.users, "/etc/passwd", "UID ", [](const PasswdLine& u) { return u.user.uid; },
            [](const PasswdLine& u) { return u.user.name; }, bad);
        summary = "every UID in /etc/passwd is unique";
        break;
      case Check::no_duplicate_user_names:
        duplicates<std::string>(
            a.users, "/etc/passwd", "", [](const PasswdLine& u) { return u.user.name; },
            [](const PasswdLine& u) { return u.user.name; }, bad);
        summary = "every user name in /etc/passwd is unique";
        break;
      case Check::no_duplicate_gids:
        duplicates<std::uint32_t>(
            a.groups, "/etc/group", "GID ", [](const GroupLine& g) { return g.group.gid; },
            [](const GroupLine& g) { return g.group.name; }, bad);
        summary = "every GID in /etc/group is unique";
        break;
      case Check::no_duplicate_group_names:
        duplicates<std::string>(
            a.groups, "/etc/group", "", [](const GroupLine& g) { return g.group.name; },
            [](const GroupLine& g) { return g.group.name; }, bad);
        summary = "every group name in /etc/group is unique";
        break;
      case Check::groups_exist: {
        std::set<std::uint32_t> gids;
        for (const auto& g : a.groups) gids.insert(g.group.gid);
        for (const auto& u : a.users)
          if (!gids.count(u.user.gid))
            bad.push_back({u.user.name, at("/etc/passwd", u.line) + ": " + printable(u.user.name) +
                                            "'s primary GID " + std::to_string(u.user.gid) +
                                            " has no entry in /etc/group"});
        summary = "every primary GID in /etc/passwd exists in /etc/group";
        break;
      }
      case Check::shadowed_passwords:
        for (const auto& u : a.users)
          if (u.password != PasswordField::shadowed)
            bad.push_back({u.user.name, at("/etc/passwd", u.line) + ": " + printable(u.user.name) +
                                            "'s password field is " +
                                            std::string(describe(u.password)) +
                                            ", not 'x' (the password is not kept in /etc/shadow)"});
        summary = "every account in /etc/passwd keeps its password in /etc/shadow ('x')";
        break;
      case Check::password_max_days:
      case Check::password_warn_age:
      case Check::inactive:
        ageing(*shadow, bad, summary);
        break;
      case Check::group_members:
        group_members(a, bad, summary);
        break;
    }
    // The member list is worth seeing next to the offenders, not only when all is well.
    const bool keep_summary = check_ == Check::group_members && !bad.empty();
    std::string kept = keep_summary ? summary : std::string();
    Outcome out = finish(std::move(bad), std::move(summary));
    if (keep_summary) out.evidence.push_back(std::move(kept));
    return out;
  }

 private:
  bool needs_passwd() const {
    return check_ != Check::no_duplicate_gids && check_ != Check::no_duplicate_group_names &&
           check_ != Check::password_max_days && check_ != Check::password_warn_age &&
           check_ != Check::inactive;
  }
  bool needs_group() const {
    return check_ == Check::no_duplicate_gids || check_ == Check::no_duplicate_group_names ||
           check_ == Check::groups_exist || check_ == Check::group_members;
  }
  bool needs_shadow() const {
    return check_ == Check::no_empty_passwords || check_ == Check::password_max_days ||
           check_ == Check::password_warn_age || check_ == Check::inactive;
  }

  // Everyone in the group: the member list of its /etc/group line, and every account whose
  // primary GID it is (the kernel grants both the same access). Each one not in allowed_ fails.
  void group_members(const AccountLines& a, std::vector<Finding>& bad,
                     std::string& summary) const {
    const GroupLine* line = nullptr;
    for (const auto& g : a.groups)
      if (g.group.name == group_) line = &g;
    if (line == nullptr) {
      summary = "/etc/group has no group " + printable(group_) + ": nobody is a member";
      return;
    }
    std::set<std::string> allowed(allowed_.begin(), allowed_.end()), seen;
    std::vector<std::string> members;
    for (const auto& m : line->group.members)
      if (!m.empty() && seen.insert(m).second) {
        members.push_back(m);
        if (!allowed.count(m))
          bad.push_back({m, at("/etc/group", line->line) + ": " + printable(m) + " is a member of " +
                                printable(group_) + " and not in the allowed list"});
      }
    for (const auto& u : a.users)
      if (u.user.gid == line->group.gid && seen.insert(u.user.name).second) {
        members.push_back(u.user.name);
        if (!allowed.count(u.user.name))
          bad.push_back({u.user.name, at("/etc/passwd", u.line) + ": " + printable(u.user.name) +
                                          "'s primary group is " + printable(group_) +
                                          " (GID " + std::to_string(line->group.gid) +
                                          "), and it is not in the allowed list"});
      }
    std::string list;
    for (const auto& m : members) list += (list.empty() ? "" : ", ") + printable(m);
    std::string allowed_text;
    for (const auto& m : allowed_) allowed_text += (allowed_text.empty() ? "" : ", ") + printable(m);
    summary = "members of " + printable(group_) + " (" + at("/etc/group", line->line) +
              "): " + (list.empty() ? std::string("none") : list) + "; allowed: " +
              (allowed_text.empty() ? std::string("none") : allowed_text);
  }

  void system_accounts(const ProbeContext& ctx, const AccountLines& a, std::vector<Finding>& bad,
                       std::string& summary) const {
    std::uint32_t uid_min = k_default_uid_min;
    std::string source = "default " + std::to_string(k_default_uid_min);
    const std::string defs = "/etc/login.defs";
    auto config = ctx.facts.get<KeyValueConfig>("keyvalue:login_defs:" + defs, [&] {
      return load_keyvalue_config(ctx.host, defs, KeyValueDialect::login_defs);
    });
    if (config->ok()) {
      if (auto s = find_setting(config->value(), KeyValueDialect::login_defs, "UID_MIN")) {
        std::string_view v = trim(s->value);
        if (!v.empty() && v.size() < 10 && v.find_first_not_of("0123456789") == std::string::npos) {
          uid_min = static_cast<std::uint32_t>(std::stoul(std::string(v)));
          source = defs + ":" + std::to_string(s->where.front().line);
        }
      }
    }
    std::size_t checked = 0;
    for (const auto& u : a.users) {
      if (k_shell_exempt.count(u.user.name)) continue;
      if (u.user.uid >= uid_min && u.user.uid != k_nobody_uid) continue;
      ++checked;
      const std::string shell = base_name(u.user.shell);
      if (!u.user.shell.empty() && (shell == "nologin" || shell == "false")) continue;
      bad.push_back(
          {u.user.name,
           at("/etc/passwd", u.line) + ": system account " + printable(u.user.name) + " (UID " +
               std::to_string(u.user.uid) + ") has the login shell " +
               (u.user.shell.empty() ? std::string("'' (/bin/sh)") : printable(u.user.shell))});
    }
    summary = std::to_string(checked) + " system accounts (UID below " + std::to_string(uid_min) +
              ", " + source +
              ", and nobody; root, sync, shutdown, halt exempt) all have "
              "nologin or false as their shell";
  }

  template <class Key, class Line, class KeyFn, class NameFn>
  static void duplicates(const std::vector<Line>& lines, const char* file, const char* label,
                         KeyFn key, NameFn name, std::vector<Finding>& bad) {
    std::map<Key, std::vector<const Line*>> by;
    std::vector<Key> order;
    for (const auto& l : lines) {
      auto& v = by[key(l)];
      if (v.empty()) order.push_back(key(l));
      v.push_back(&l);
    }
    for (const auto& k : order) {
      const auto& v = by[k];
      if (v.size() < 2) continue;
      std::string id;
      if constexpr (std::is_same_v<Key, std::string>)
        id = printable(k);
      else
        id = label + std::to_string(k);
      std::string ev = id + " is used " + std::to_string(v.size()) + " times in " + file + ": ";
      for (std::size_t i = 0; i < v.size(); ++i)
        ev +=
            (i ? ", " : "") + printable(name(*v[i])) + " (line " + std::to_string(v[i]->line) + ")";
      bad.push_back({id, std::move(ev)});
    }
  }

  void ageing(const ShadowFile& shadow, std::vector<Finding>& bad, std::string& summary) const {
    const long long limit = *limit_;
    std::size_t checked = 0;
    for (const auto& e : shadow.entries) {
      if (e.password != PasswordField::hash) continue;  // no usable password: nothing ages
      ++checked;
      std::string why;
      switch (check_) {
        case Check::password_max_days:
          if (!e.max_days || *e.max_days < 1 || *e.max_days > limit)
            why = "maximum password age " + days(e.max_days) + " (field 5); expected 1 to " +
                  std::to_string(limit) + " days";
          break;
        case Check::password_warn_age:
          if (!e.warn_days || *e.warn_days < limit)
            why = "password expiry warning " + days(e.warn_days) +
                  " (field 6); expected at least " + std::to_string(limit) + " days";
          break;
        default:
          if (!e.inactive_days || *e.inactive_days < 0 || *e.inactive_days > limit)
            why = "inactivity lock " + days(e.inactive_days) +
                  (e.inactive_days ? "" : " (never locked)") + " (field 7); expected 0 to " +
                  std::to_string(limit) + " days";
          break;
      }
      if (!why.empty())
        bad.push_back({e.name, at("/etc/shadow", e.line) + ": " + printable(e.name) + ": " + why});
    }
    const char* what = check_ == Check::password_max_days   ? "a maximum password age of 1 to "
                       : check_ == Check::password_warn_age ? "an expiry warning of at least "
                                                            : "an inactivity lock of 0 to ";
    summary = std::to_string(checked) + " account" + (checked == 1 ? "" : "s") +
              " with a password in /etc/shadow, all with " + what + std::to_string(limit) + " days";
    if (checked == 0) summary = "no account in /etc/shadow has a usable password";
    if (shadow.malformed_count > 0) {
      std::string lines;
      for (int l : shadow.malformed_lines) lines += (lines.empty() ? "" : ", ") + std::to_string(l);
      summary += "; " + std::to_string(shadow.malformed_count) +
                 " malformed lines skipped, as shadow-utils skips them (lines " + lines + ")";
    }
  }

  static Outcome finish(std::vector<Finding> bad, std::string summary) {
    Outcome out;
    out.status = Status::pass;
    if (bad.empty()) {
      out.evidence.push_back(std::move(summary));
      return out;
    }
    const std::size_t n = bad.size();
    out.evidence.push_back(std::to_string(n) +
                           (n == 1 ? " offending entry" : " offending entries"));
    for (std::size_t i = 0; i < n && i < k_max_objects; ++i)
      out.add_object(
          ObjectResult{printable(bad[i].id), Status::fail, {std::move(bad[i].evidence)}});
    if (n > k_max_objects)
      out.evidence.push_back(std::to_string(n - k_max_objects) + " more not listed (at most " +
                             std::to_string(k_max_objects) + " objects)");
    return out;
  }

  Check check_;
  std::optional<long long> limit_;
  std::string group_;                 // group_members
  std::vector<std::string> allowed_;  // group_members
};

}  // namespace

std::unique_ptr<Probe> parse_accounts_probe(const Params& params) {
  std::vector<std::string> words;
  for (const auto& [w, c] : k_checks) words.push_back(w);
  if (!params.has("check")) params.fail("check", "required: one of the account checks");
  const std::string word = params.choice("check", words, "");
  Check check = Check::uid0_only_root;
  for (const auto& [w, c] : k_checks)
    if (w == word) check = c;
  std::optional<long long> limit;
  const char* key = check == Check::password_warn_age ? "min" : "max";
  if (check == Check::password_max_days || check == Check::password_warn_age ||
      check == Check::inactive) {
    auto v = params.opt_int(key);
    if (!v) params.fail(key, std::string("check: ") + word + " needs '" + key + ": DAYS'");
    if (*v < 0 || *v > 1'000'000) params.fail(key, "expected a number of days (0 to 1000000)");
    limit = *v;
  }
  if (check == Check::group_members) {
    std::string group = params.string("group");
    if (group.empty()) params.fail("group", "check: group_members needs 'group: NAME'");
    auto allowed = params.opt_strings("allowed").value_or(std::vector<std::string>{});
    return std::make_unique<AccountsProbe>(check, limit, std::move(group), std::move(allowed));
  }
  return std::make_unique<AccountsProbe>(check, limit);
}

}  // namespace hb
