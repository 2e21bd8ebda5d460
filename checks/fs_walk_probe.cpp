#include "checks/fs_walk_probe.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "checks/fs_walk.hpp"
#include "checks/mountinfo.hpp"
#include "engine/accounts.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

// Entries the walk keeps per category: far more than any report lists, small enough to hold.
constexpr std::size_t k_walk_keep = 100000;
constexpr std::int64_t k_default_max_objects = 1000;
// Sorted, as path_list() sorts the profile's list, so that equal sets give equal walk keys.
const std::vector<std::string> k_default_path_dirs = {
    "/bin", "/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin", "/usr/sbin"};
constexpr std::size_t k_names_listed = 10;

enum class Check {
  world_writable_files,
  world_writable_dirs_without_sticky,
  unowned,
  ungrouped,
  setuid,
  setgid,
  world_writable_in_path
};
const std::vector<std::string> k_check_words = {"world_writable_files",
                                                "world_writable_dirs_without_sticky",
                                                "unowned",
                                                "ungrouped",
                                                "setuid",
                                                "setgid",
                                                "world_writable_in_path"};

// The walk and what judging it needs, once per scan.
struct WalkFact {
  FsWalkResult walk;
  bool have_passwd = false, have_group = false;
  std::size_t users = 0, groups = 0;
  std::unordered_map<std::uint32_t, std::string> user_names, group_names;
  std::vector<std::string> dirs_absent;  // PATH directories the root does not have
  std::vector<FsProblem> dirs_failed;    // PATH directories that could not be opened
};

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + printable(s);
  return out;
}

// "a, b, c and 4 more"
template <class T, class Fn>
std::string some(const std::vector<T>& v, std::uint64_t total, const Fn& text) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < k_names_listed; ++i)
    out += (i ? ", " : "") + text(v[i]);
  std::uint64_t shown = std::min<std::uint64_t>(v.size(), k_names_listed);
  if (total > shown) out += " and " + std::to_string(total - shown) + " more";
  return out;
}

std::string mode_text(std::uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777u);
  return buf;
}

Expected<WalkFact> run_walk(const ProbeContext& ctx, const std::vector<std::string>& mounts,
                            const std::vector<std::string>& dirs) {
  WalkFact f;
  auto accounts = load_accounts(ctx.host, ctx.facts);
  f.have_passwd = accounts->have_passwd;
  f.have_group = accounts->have_group;
  f.users = accounts->users.size();
  f.groups = accounts->groups.size();
  std::unordered_set<std::uint32_t> uids, gids;
  for (const auto& u : accounts->users) {
    uids.insert(u.uid);
    f.user_names.emplace(u.uid, u.name);  // the first entry of an id names it, as getpwuid
  }
  for (const auto& g : accounts->groups) {
    gids.insert(g.gid);
    f.group_names.emplace(g.gid, g.name);
  }
  auto root = ctx.host.open_directory("/");
  if (!root) return root.error();

  FsWalkOptions o;
  o.threads = std::max(1u, ctx.jobs);
  o.keep = k_walk_keep;
  o.mounts = mounts;
  if (f.have_passwd) o.known_uids = &uids;
  if (f.have_group) o.known_gids = &gids;
  for (const auto& d : dirs) {
    auto fd = ctx.host.open_directory(d);
    if (fd)
      o.path_dirs.push_back(FsPathDir{d, std::move(fd.value())});
    else if (fd.kind() == ErrorKind::not_found)
      f.dirs_absent.push_back(d);
    else
      f.dirs_failed.push_back(FsProblem{d, fd.message()});
  }
  // The live host's mount table names each filesystem's type (devtmpfs included); an offline
  // root's table, if it has one, describes another machine, so statfs judges there.
  std::shared_ptr<const Expected<MountInfo>> table;
  if (ctx.host.is_live()) {
    table = load_mountinfo(ctx.host, ctx.facts);
    if (!table->ok() || !table->value().present) table.reset();
  }
  o.refuse_mount = [table](const std::string& path, int fd) -> std::optional<std::string> {
    if (table) {
      const MountEntry* m = find_mount(table->value().mounts, path);
      if (m && fs_type_never_walked(m->fs_type))
        return printable(m->fs_type) + " is a pseudo, network or FUSE filesystem, never walked";
    }
    return fs_type_refusal(fd);
  };
  f.walk = walk_filesystem(std::move(root.value()), o);
  return f;
}

class FsWalkProbe final : public Probe {
 public:
  Check check = Check::world_writable_files;
  std::vector<std::string> allowed;  // setuid, setgid: globs of paths
  std::vector<std::string> dirs = k_default_path_dirs;
  std::vector<std::string> mounts;
  std::size_t max_objects = k_default_max_objects;

  std::string fact_key() const {
    std::string key = "fs.walk";
    if (!mounts.empty()) key += " mounts=" + join(mounts, ",");
    if (dirs != k_default_path_dirs) key += " dirs=" + join(dirs, ",");
    return key;
  }

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto fact = ctx.facts.get<WalkFact>(fact_key(), [&] { return run_walk(ctx, mounts, dirs); });
    if (!fact->ok())
      return Outcome::make(Status::error,
                           "cannot walk the root: " + printable(fact->message(), 400));
    const WalkFact& f = fact->value();
    if (check == Check::unowned && !f.have_passwd)
      return Outcome::make(Status::error,
                           "no readable /etc/passwd in the root: which uids are known users "
                           "cannot be told");
    if (check == Check::ungrouped && !f.have_group)
      return Outcome::make(Status::error,
                           "no readable /etc/group in the root: which gids are known groups "
                           "cannot be told");
    if (check == Check::world_writable_in_path) return in_path(f);
    if (f.walk.entries == 0)
      return Outcome::make(Status::notapplicable,
                           "the root directory is empty: there is no filesystem to judge");
    return judge(f);
  }

 private:
  std::string name_of(const std::unordered_map<std::uint32_t, std::string>& names,
                      std::uint32_t id) const {
    auto it = names.find(id);
    return it == names.end() ? std::to_string(id) : printable(it->second, 64);
  }

  std::string describe(const WalkFact& f, const FsEntry& e) const {
    return std::string(to_string(e.type)) + ", mode " + mode_text(e.mode) + ", owner " +
           name_of(f.user_names, e.uid) + ", group " + name_of(f.group_names, e.gid);
  }

  bool is_allowed(const std::string& path) const {
    return std::any_of(allowed.begin(), allowed.end(),
                       [&](const std::string& g) { return glob_match(g, path); });
  }

  // How a verdict line names what was found: one, many, and the line for none.
  struct Noun {
    std::string one, many, none;
  };

  // The offenders as objects (at most max_objects), and the verdict line: "1234 MANY; the
  // first 1000 are listed", NONE, or "at least N MANY" when the count is a lower bound.
  void list(Outcome& o, const WalkFact& f, const std::vector<const FsEntry*>& offenders,
            std::uint64_t count, bool exact, const Noun& noun) const {
    for (std::size_t i = 0; i < offenders.size() && i < max_objects; ++i)
      o.add_object(ObjectResult{
          printable(offenders[i]->path, 1024), Status::fail, {describe(f, *offenders[i])}});
    if (count == 0 && exact) {
      o.evidence.push_back(noun.none);
      return;
    }
    std::string line = (exact ? "" : "at least ") + std::to_string(count) + " " +
                       (count == 1 ? noun.one : noun.many);
    if (count > o.objects.size())
      line += "; the first " + std::to_string(o.objects.size()) + " are listed";
    o.evidence.push_back(line);
  }

  std::string walk_summary(const WalkFact& f) const {
    const FsWalkResult& w = f.walk;
    std::string s = "walked " + std::to_string(w.entries) + " entries (" +
                    std::to_string(w.directories) + " directories; " + std::to_string(w.symlinks) +
                    " symlinks, never followed) on the filesystem of /";
    if (!w.walked_mounts.empty()) s += " and the mounts " + join(w.walked_mounts);
    if (w.skipped_mounts_total)
      s += "; not entered: " +
           some(w.skipped_mounts, w.skipped_mounts_total, [](const FsProblem& p) {
             return printable(p.path) + (p.why == "another filesystem" ? "" : " (" + p.why + ")");
           });
    std::vector<std::string> missing;
    for (const auto& m : mounts)
      if (!std::binary_search(w.walked_mounts.begin(), w.walked_mounts.end(), m) &&
          std::none_of(w.skipped_mounts.begin(), w.skipped_mounts.end(),
                       [&](const FsProblem& p) { return p.path == m; }))
        missing.push_back(m);
    if (!missing.empty())
      s += "; listed in mounts but not a mount point the walk reached: " + join(missing);
    if (w.vanished) s += "; " + std::to_string(w.vanished) + " entries vanished while walked";
    return s;
  }

  std::string unreadable_line(const FsWalkResult& w) const {
    return std::to_string(w.unreadable_total) + " entries could not be read: " +
           some(w.unreadable, w.unreadable_total, [](const FsProblem& p) {
             return printable(p.path) + " (" + printable(p.why, 80) + ")";
           });
  }

  Outcome judge(const WalkFact& f) const {
    const FsWalkResult& w = f.walk;
    FsCategory cat = FsCategory::world_writable_files;
    Noun noun;
    const std::string users = " (" + std::to_string(f.users) + " users)";
    const std::string groups = " (" + std::to_string(f.groups) + " groups)";
    switch (check) {
      case Check::world_writable_files:
        noun = {"world-writable file", "world-writable files", "no world-writable regular file"};
        break;
      case Check::world_writable_dirs_without_sticky:
        cat = FsCategory::world_writable_dirs_without_sticky;
        noun = {"world-writable directory without the sticky bit",
                "world-writable directories without the sticky bit",
                "every world-writable directory has the sticky bit"};
        break;
      case Check::unowned:
        cat = FsCategory::unowned;
        noun = {"file or directory whose owner is not a user in /etc/passwd" + users,
                "files and directories whose owner is not a user in /etc/passwd" + users,
                "every file and directory is owned by a user in /etc/passwd" + users};
        break;
      case Check::ungrouped:
        cat = FsCategory::ungrouped;
        noun = {"file or directory whose group is not in /etc/group" + groups,
                "files and directories whose group is not in /etc/group" + groups,
                "every file and directory belongs to a group in /etc/group" + groups};
        break;
      case Check::setuid:
        cat = FsCategory::setuid;
        noun = {"setuid file outside the allowed list", "setuid files outside the allowed list",
                "no setuid file outside the allowed list"};
        break;
      case Check::setgid:
        cat = FsCategory::setgid;
        noun = {"setgid file outside the allowed list", "setgid files outside the allowed list",
                "no setgid file outside the allowed list"};
        break;
      case Check::world_writable_in_path:
        break;
    }
    const FsList& found = w[cat];
    std::vector<const FsEntry*> offenders;
    std::vector<std::string> allowed_seen;
    for (const auto& e : found.entries) {
      if (is_allowed(e.path))
        allowed_seen.push_back(e.path);
      else
        offenders.push_back(&e);
    }
    // Past the walk's cap, entries were counted but not kept, so not matched against `allowed`:
    // the count of offenders is then a lower bound.
    const bool exact = allowed.empty() || found.complete();
    const std::uint64_t count = allowed.empty() ? found.total : offenders.size();

    Outcome o;
    list(o, f, offenders, count, exact, noun);
    if (!allowed_seen.empty())
      o.evidence.push_back(std::to_string(allowed_seen.size()) + " on the allowed list: " +
                           some(allowed_seen, allowed_seen.size(),
                                [](const std::string& p) { return printable(p); }));
    if (!exact)
      o.evidence.push_back("the walk kept the first " + std::to_string(found.entries.size()) +
                           " of " + std::to_string(found.total) + " entries");
    o.evidence.push_back(walk_summary(f));
    if (w.unreadable_total) o.evidence.push_back(unreadable_line(w));
    // Nothing found is a pass only when everything was seen.
    o.status = count > 0                        ? Status::fail
               : (w.unreadable_total || !exact) ? Status::error
                                                : Status::pass;
    return o;
  }

  Outcome in_path(const WalkFact& f) const {
    const FsWalkResult& w = f.walk;
    std::vector<std::string> walked, not_walked;
    for (const auto& d : w.path_dirs) {
      if (d.walked)
        walked.push_back(d.path);
      else
        not_walked.push_back(d.path + " (" + d.why_not + ")");
    }
    for (const auto& p : f.dirs_failed) not_walked.push_back(p.path + " (" + p.why + ")");
    if (walked.empty() && not_walked.empty())
      return Outcome::make(Status::notapplicable,
                           "none of the PATH directories exists in the root: " + join(dirs));
    const FsList& found = w[FsCategory::world_writable_in_path];
    std::vector<const FsEntry*> offenders;
    for (const auto& e : found.entries) offenders.push_back(&e);
    Outcome o;
    list(o, f, offenders, found.total, true,
         {"world-writable entry in the PATH directories",
          "world-writable entries in the PATH directories",
          "nothing world-writable in the PATH directories"});
    o.evidence.push_back("walked: " + join(walked) +
                         (f.dirs_absent.empty() ? "" : "; absent: " + join(f.dirs_absent)));
    const bool blind = !not_walked.empty() || w.unreadable_in_path > 0;
    if (!not_walked.empty()) o.evidence.push_back("not walked: " + join(not_walked));
    if (w.unreadable_in_path) o.evidence.push_back(unreadable_line(w));
    o.status = found.total > 0 ? Status::fail : blind ? Status::error : Status::pass;
    return o;
  }
};

// Canonical absolute paths: "/usr/bin", not "usr/bin", "/usr/bin/", "/usr/../bin" or "//usr".
bool canonical_path(const std::string& p) {
  if (p.empty() || p.front() != '/') return false;
  if (p.size() > 1 && p.back() == '/') return false;
  if (p.find("//") != std::string::npos || p.find('\0') != std::string::npos) return false;
  for (std::string_view c : split(p, '/'))
    if (c == "." || c == "..") return false;
  return true;
}

std::vector<std::string> path_list(const Params& params, const std::string& key, bool globs) {
  std::vector<std::string> out = params.strings(key);
  for (const auto& p : out) {
    if (!canonical_path(p)) params.fail(key, "'" + p + "' is not a canonical absolute path");
    if (!globs && has_glob(p)) params.fail(key, "'" + p + "' is a glob; name a directory");
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::unique_ptr<Probe> parse_fs_walk_probe(const Params& params) {
  auto p = std::make_unique<FsWalkProbe>();
  if (!params.has("check")) params.fail("'check' is required: " + join(k_check_words, ", "));
  const std::string word = params.choice("check", k_check_words, k_check_words.front());
  p->check = static_cast<Check>(std::find(k_check_words.begin(), k_check_words.end(), word) -
                                k_check_words.begin());
  if (params.has("allowed")) {
    if (p->check != Check::setuid && p->check != Check::setgid)
      params.fail("allowed", "'allowed' applies to check: setuid and setgid only");
    p->allowed = path_list(params, "allowed", true);
  }
  if (params.has("dirs")) {
    p->dirs = path_list(params, "dirs", false);
    if (p->dirs.empty()) params.fail("dirs", "expected at least one directory");
  } else {
    std::sort(p->dirs.begin(), p->dirs.end());
  }
  if (params.has("mounts")) {
    p->mounts = path_list(params, "mounts", false);
    if (std::find(p->mounts.begin(), p->mounts.end(), "/") != p->mounts.end())
      params.fail("mounts", "'/' is always walked; list the other mount points to walk");
  }
  if (auto n = params.opt_int("max_objects")) {
    if (*n < 1 || *n > static_cast<std::int64_t>(k_walk_keep))
      params.fail("max_objects", "expected a number from 1 to " + std::to_string(k_walk_keep));
    p->max_objects = static_cast<std::size_t>(*n);
  }
  return p;
}

}  // namespace hb
