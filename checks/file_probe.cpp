#include "checks/file_probe.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/accounts.hpp"
#include "engine/facts.hpp"
#include "engine/host_glob.hpp"
#include "engine/host_view.hpp"
#include "engine/regex.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

// A glob such as /proc/*/fd/* can name a great many paths; past this the probe gives up with an
// error instead of building an unbounded result.
constexpr std::size_t k_max_matches = 10000;
// How many matching lines content_not_matches lists before summarising the rest.
constexpr std::size_t k_max_listed_lines = 5;

const std::vector<std::string> k_type_words = {"file", "directory",   "symlink",     "socket",
                                               "fifo", "char_device", "block_device"};

std::string octal(std::uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode));
  return buf;
}

// An `owner:` or `group:` list: numeric ids are taken as they are, names resolve through the
// root's own /etc/passwd or /etc/group at evaluation time (never NSS).
struct IdSpec {
  std::vector<std::uint32_t> ids;
  std::vector<std::string> names;
  std::string text;  // "root or shadow", for evidence
};

std::optional<std::uint32_t> parse_uint(std::string_view s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<IdSpec> parse_ids(const Params& p, const std::string& key) {
  auto words = p.opt_strings(key);
  if (!words) return std::nullopt;
  if (words->empty()) p.fail(key, "expected at least one name or id");
  IdSpec spec;
  for (const auto& w : *words) {
    if (w.empty()) p.fail(key, "empty name");
    if (auto id = parse_uint(w)) {
      spec.ids.push_back(*id);
    } else {
      if (std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
        p.fail(key, "'" + w + "' is out of range for an id");
      spec.names.push_back(w);
    }
    spec.text += (spec.text.empty() ? "" : " or ") + w;
  }
  return spec;
}

struct ContentRule {
  Regex re;
  std::string source;
};

std::optional<ContentRule> parse_regex(const Params& p, const std::string& key) {
  auto s = p.opt_string(key);
  if (!s) return std::nullopt;
  auto re = Regex::compile(*s);
  if (!re) p.fail(key, re.message());
  return ContentRule{std::move(re.value()), *s};
}

// The result of looking at one path: its status and the lines that say why.
// What was seen at one path. Lines that explain a failure or an error come first, so that the
// first line a report shows (a JUnit message, a console line) is the reason.
struct Verdict {
  Status status = Status::pass;
  std::vector<std::string> evidence;
  std::size_t leading = 0;  // how many failure/error lines head `evidence`
  void add(Status s, std::string line) {
    status = worst(status, s);
    if (s == Status::fail || s == Status::error)
      evidence.insert(evidence.begin() + static_cast<std::ptrdiff_t>(leading++), std::move(line));
    else
      evidence.push_back(std::move(line));
  }
};

class FileProbe final : public Probe, public FileChecks {
 public:
  struct Spec {
    std::string path;
    bool follow = true;
    bool match_any = false;  // with a glob: one passing object is enough
    Status if_missing = Status::notapplicable;
    std::optional<bool> exists;
    std::optional<FileType> type;
    std::optional<std::uint32_t> mode;
    std::optional<std::uint32_t> mode_has;
    std::optional<IdSpec> owner;
    std::optional<IdSpec> group;
    std::optional<ContentRule> content_matches;
    std::optional<ContentRule> content_not_matches;
  };

  explicit FileProbe(Spec spec) : s_(std::move(spec)) {}

  Outcome evaluate(const ProbeContext& ctx) const override { return evaluate_at(ctx, s_.path); }
  Outcome evaluate_at(const ProbeContext& ctx, const std::string& path) const override;

 private:
  Verdict judge(const ProbeContext& ctx, const std::string& path, const FileStat& st) const;
  void judge_ids(const ProbeContext& ctx, const std::string& path, bool user, std::uint32_t actual,
                 const IdSpec& spec, Verdict& v) const;
  void judge_content(const ProbeContext& ctx, const std::string& path, Verdict& v) const;
  Outcome missing(const std::string& what) const;

  Spec s_;
};

void FileProbe::judge_ids(const ProbeContext& ctx, const std::string& path, bool user,
                          std::uint32_t actual, const IdSpec& spec, Verdict& v) const {
  auto accounts = load_accounts(ctx.host, ctx.facts);
  const char* what = user ? "owner" : "group";
  const char* file = user ? "/etc/passwd" : "/etc/group";
  const bool have_file = user ? accounts->have_passwd : accounts->have_group;
  std::vector<std::uint32_t> allowed = spec.ids;
  std::vector<std::string> unknown;
  for (const auto& name : spec.names) {
    auto id = user ? accounts->uid_of(name) : accounts->gid_of(name);
    if (id) {
      allowed.push_back(*id);
    } else {
      unknown.push_back(name);
    }
  }
  const std::string seen =
      user ? accounts->describe_user(actual) : accounts->describe_group(actual);
  if (std::find(allowed.begin(), allowed.end(), actual) != allowed.end()) {
    v.add(Status::pass, path + ": " + what + " " + printable(seen));
    return;
  }
  if (!unknown.empty() && !have_file) {
    // Without the root's account file a name cannot be compared with an id: unobservable.
    v.add(Status::error, path + ": " + what + " " + printable(seen) + "; cannot resolve '" +
                             unknown.front() + "': " + file + " of the root is unreadable");
    return;
  }
  std::string line = path + ": " + what + " " + printable(seen) + "; expected " + spec.text;
  for (const auto& name : unknown) line += "; '" + name + "' is unknown in " + file;
  v.add(Status::fail, std::move(line));
}

void FileProbe::judge_content(const ProbeContext& ctx, const std::string& path, Verdict& v) const {
  // Cached per scan: several rules commonly grep one file (sshd_config), and they should all see
  // the same bytes.
  auto text = ctx.facts.get<std::string>(
      "file-content:" + path, [&]() -> Expected<std::string> { return ctx.host.read_file(path); });
  if (!text->ok()) {
    v.add(Status::error, "cannot read content: " + printable(text->message()));
    return;
  }
  auto lines = split_lines(text->value());
  // A line the matcher gives up on (runaway backtracking) leaves the verdict unknown: error.
  std::optional<std::string> undecided;
  auto line_matches = [&](std::size_t i, const ContentRule& rule) {
    auto m = rule.re.search(lines[i]);
    if (!m) {
      if (!undecided) undecided = path + ":" + std::to_string(i + 1) + ": " + printable(m.message());
      return false;
    }
    return *m;
  };
  if (s_.content_matches) {
    const auto& rule = *s_.content_matches;
    std::optional<std::size_t> hit;
    for (std::size_t i = 0; i < lines.size() && !hit; ++i)
      if (line_matches(i, rule)) hit = i;
    if (hit) {
      v.add(Status::pass, path + ":" + std::to_string(*hit + 1) + ": matches /" + rule.source +
                              "/: " + printable(lines[*hit]));
    } else if (undecided) {
      v.add(Status::error, *undecided);
    } else {
      v.add(Status::fail, path + ": no line matches /" + rule.source + "/");
    }
  }
  if (s_.content_not_matches) {
    const auto& rule = *s_.content_not_matches;
    std::size_t hits = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!line_matches(i, rule)) continue;
      if (++hits <= k_max_listed_lines)
        v.add(Status::fail, path + ":" + std::to_string(i + 1) + ": matches /" + rule.source +
                                "/: " + printable(lines[i]));
    }
    if (hits > k_max_listed_lines)
      v.add(Status::fail, path + ": " + std::to_string(hits - k_max_listed_lines) +
                              " more lines match /" + rule.source + "/");
    if (hits == 0 && undecided) v.add(Status::error, *undecided);
    if (hits == 0 && !undecided) v.add(Status::pass, path + ": no line matches /" + rule.source + "/");
  }
}

Verdict FileProbe::judge(const ProbeContext& ctx, const std::string& path,
                         const FileStat& st) const {
  Verdict v;
  if (s_.exists == false) {
    v.add(Status::fail,
          path + ": exists (" + std::string(to_string(st.type)) + "); expected it absent");
    return v;
  }
  if (s_.type) {
    if (st.type == *s_.type) {
      v.add(Status::pass, path + ": is a " + std::string(to_string(st.type)));
    } else {
      v.add(Status::fail, path + ": is a " + std::string(to_string(st.type)) + "; expected " +
                              std::string(to_string(*s_.type)));
    }
  }
  if (s_.mode) {
    // "At most" is a bit mask, not a number: 0604 is not stricter than 0660 although smaller.
    const std::uint32_t excess = st.mode & ~*s_.mode & 07777;
    if (excess == 0) {
      v.add(Status::pass, path + ": mode " + octal(st.mode) + " within " + octal(*s_.mode));
    } else {
      v.add(Status::fail, path + ": mode " + octal(st.mode) + " allows " + octal(excess) +
                              " beyond " + octal(*s_.mode));
    }
  }
  if (s_.mode_has) {
    const std::uint32_t lacking = *s_.mode_has & ~st.mode;
    if (lacking == 0) {
      v.add(Status::pass, path + ": mode " + octal(st.mode) + " has " + octal(*s_.mode_has));
    } else {
      v.add(Status::fail, path + ": mode " + octal(st.mode) + " lacks " + octal(lacking) + " of " +
                              octal(*s_.mode_has));
    }
  }
  if (s_.owner) judge_ids(ctx, path, true, st.uid, *s_.owner, v);
  if (s_.group) judge_ids(ctx, path, false, st.gid, *s_.group, v);
  if (s_.content_matches || s_.content_not_matches) judge_content(ctx, path, v);
  if (v.evidence.empty())  // only exists: true was asked
    v.add(Status::pass,
          path + ": exists (" + std::string(to_string(st.type)) + ", mode " + octal(st.mode) + ")");
  return v;
}

Outcome FileProbe::missing(const std::string& what) const {
  if (s_.exists == true) return Outcome::make(Status::fail, what + "; expected it to exist");
  if (s_.exists == false) return Outcome::make(Status::pass, what + ", as expected");
  return Outcome::make(s_.if_missing, what);
}

Outcome FileProbe::evaluate_at(const ProbeContext& ctx, const std::string& path) const {
  const bool glob = has_glob(path);
  GlobExpansion found;
  if (glob) {
    found = expand_glob(ctx.host, path, k_max_matches);
    if (found.too_many)
      found.errors.emplace_back(path, "more than " + std::to_string(k_max_matches) +
                                             " paths match; narrow the pattern");
  } else {
    found.paths.push_back(path);
  }

  struct Seen {
    std::string path;
    Expected<FileStat> st;
  };
  std::vector<Seen> present;
  for (auto& p : found.paths) {
    auto st = s_.follow ? ctx.host.stat(p) : ctx.host.lstat(p);
    // Missing (or a dangling link when following) is "not there"; any other failure is an
    // object we know exists but cannot observe.
    if (!st && st.kind() == ErrorKind::not_found) continue;
    present.push_back(Seen{std::move(p), std::move(st)});
  }

  if (!glob) {
    if (present.empty()) return missing(path + ": does not exist");
    const Seen& one = present.front();
    if (!one.st) return Outcome::make(Status::error, printable(one.st.message()));
    Verdict v = judge(ctx, one.path, *one.st);
    Outcome out;
    out.status = v.status;
    out.evidence = std::move(v.evidence);
    return out;
  }

  if (present.empty() && found.errors.empty()) return missing(path + ": no path matches");
  Outcome out;
  out.status = Status::notapplicable;  // the lowest rank: the objects decide
  out.evidence.push_back(path + ": " + std::to_string(present.size()) +
                         (present.size() == 1 ? " path matches" : " paths match"));
  for (const auto& [dir, why] : found.errors)
    out.add_object(ObjectResult{dir, Status::error, {"cannot list: " + printable(why)}});
  for (const auto& seen : present) {
    const std::string id = printable(seen.path);
    if (!seen.st) {
      out.add_object(ObjectResult{id, Status::error, {printable(seen.st.message())}});
      continue;
    }
    Verdict v = judge(ctx, id, *seen.st);
    out.add_object(ObjectResult{id, v.status, std::move(v.evidence)});
  }
  if (s_.match_any) {
    // "Some file sets it" (a limits.d drop-in, say): one pass decides; else an error that might
    // have hidden a pass outranks the failures.
    bool any_pass = false, any_error = false;
    for (const auto& o : out.objects) {
      any_pass |= o.status == Status::pass;
      any_error |= o.status == Status::error;
    }
    out.status = any_pass ? Status::pass : any_error ? Status::error : Status::fail;
    if (present.empty()) out.status = any_error ? Status::error : s_.if_missing;
  }
  return out;
}

}  // namespace

namespace {

// Everything but `path`, which the caller has read (or decides at scan time).
std::unique_ptr<FileProbe> parse_spec(const Params& params, std::string path) {
  FileProbe::Spec s;
  s.path = std::move(path);
  s.follow = params.boolean("follow", true);
  s.match_any = params.choice("match", {"all", "any"}, "all") == "any";
  if (s.match_any && !has_glob(s.path))
    params.fail("match", "applies to a path with wildcards");
  const bool has_if_missing = params.has("if_missing");
  s.if_missing = *parse_status(
      params.choice("if_missing", {"notapplicable", "pass", "fail", "error"}, "notapplicable"));

  Params e = params.map("expect");
  if (e.has("exists")) s.exists = e.boolean("exists", true);
  if (e.has("type")) {
    const std::string t = e.choice("type", k_type_words, "file");
    for (FileType ft : {FileType::regular, FileType::directory, FileType::symlink, FileType::socket,
                        FileType::fifo, FileType::char_device, FileType::block_device})
      if (to_string(ft) == t) s.type = ft;
  }
  s.mode = e.opt_mode("mode");
  s.mode_has = e.opt_mode("mode_has");
  s.owner = parse_ids(e, "owner");
  s.group = parse_ids(e, "group");
  s.content_matches = parse_regex(e, "content_matches");
  s.content_not_matches = parse_regex(e, "content_not_matches");
  e.finish();

  const bool has_tests = s.type || s.mode || s.mode_has || s.owner || s.group ||
                         s.content_matches || s.content_not_matches;
  if (!has_tests && !s.exists)
    e.fail(
        "expect needs at least one of exists, type, mode, mode_has, owner, group, "
        "content_matches, content_not_matches");
  if (s.exists == false && has_tests)
    e.fail("exists: false cannot be combined with tests on the file");
  if (s.exists && has_if_missing)
    params.fail("if_missing", "has no effect when expect has 'exists'; remove one of them");
  if (s.type == FileType::symlink && s.follow)
    e.fail("type", "a symlink is only seen with follow: false");
  return std::make_unique<FileProbe>(std::move(s));
}

}  // namespace

std::unique_ptr<Probe> parse_file_probe(const Params& params) {
  std::string path = params.string("path");
  if (path.empty() || path.front() != '/')
    params.fail("path", "'" + path + "' is not an absolute host path such as /etc/shadow");
  return parse_spec(params, std::move(path));
}

std::unique_ptr<FileChecks> parse_file_checks(const Params& params) {
  return parse_spec(params, "");
}

}  // namespace hb
