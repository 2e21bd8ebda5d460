#include "checks/dockerfile_probe.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include "checks/dockerfile.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

using Command = ShellCommand;
constexpr auto npos = std::string_view::npos;

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The checks, in the order of k_rule_names.
enum class Rule {
  user_nonroot,
  minimal_final_stage,
  base_pinned,
  copy_not_add,
  no_add_url,
  exec_form,
  healthcheck,
  no_update_alone,
  apt_hygiene,
  no_secrets,
  no_world_writable_or_setuid,
};
constexpr std::string_view k_rule_names[] = {"user_nonroot",
                                             "minimal_final_stage",
                                             "base_pinned",
                                             "copy_not_add",
                                             "no_add_url",
                                             "exec_form",
                                             "healthcheck",
                                             "no_update_alone",
                                             "apt_hygiene",
                                             "no_secrets",
                                             "no_world_writable_or_setuid"};

bool one_of(std::string_view w, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), w) != words.end();
}
std::string base_of(std::string_view w) {
  return std::string(w.substr(w.rfind('/') + 1));
}

bool assignment_word(std::string_view w) {
  const auto eq = w.find('=');
  if (eq == npos || eq == 0 || std::isdigit(static_cast<unsigned char>(w[0]))) return false;
  return std::all_of(w.begin(), w.begin() + static_cast<long>(eq), name_char);
}

// The index of a command's program: after VAR=value words, reserved words and wrappers (sudo,
// env ... with their options).
std::size_t program_index(const Command& c) {
  bool after_wrapper = false;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (assignment_word(c[i]) || (after_wrapper && c[i].size() > 1 && c[i][0] == '-')) continue;
    if (!one_of(c[i], {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time",
                       "exec", "command", "nohup", "sudo", "doas", "env", "nice", "xargs"}))
      return i;
    after_wrapper = true;
  }
  return c.size();
}

// A package manager call: "apt-get update", "apk add" ...
struct PackageCall {
  std::string text;
  bool update = false, install = false, apt_install = false, no_recommends = false;
};

std::optional<PackageCall> package_call(const Command& c) {
  const std::size_t p = program_index(c);
  if (p >= c.size()) return std::nullopt;
  const std::string prog = base_of(c[p]);
  const bool apt = one_of(prog, {"apt-get", "apt", "aptitude"}), apk = prog == "apk",
             rpm = one_of(prog, {"yum", "dnf", "microdnf", "tdnf"}), zyp = prog == "zypper";
  if (!apt && !apk && !rpm && !zyp) return std::nullopt;
  std::size_t s = p + 1;
  for (; s < c.size() && !c[s].empty() && c[s][0] == '-'; ++s)  // options, some with a value
    if (one_of(c[s], {"-o", "-c", "-t", "-a", "-X", "--repository", "-p", "--root", "-d", "-e",
                      "-x", "--setopt", "--enablerepo", "--disablerepo", "--releasever"}))
      ++s;
  if (s >= c.size()) return std::nullopt;
  const std::string& sub = c[s];
  PackageCall r;
  r.text = prog + " " + sub;
  if (apt) {
    r.update = sub == "update";
    r.install = one_of(
        sub, {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall"});
    r.apt_install = sub == "install" && prog != "aptitude";
    for (std::size_t k = p + 1; k < c.size(); ++k) {
      const std::string lw = to_lower(c[k]);
      const auto at = lw.find("apt::install-recommends=");
      if (lw == "--no-install-recommends" ||
          (at != npos && one_of(lw.substr(at + 24), {"0", "false", "no", "off"})))
        r.no_recommends = true;
    }
  } else if (apk) {
    r.update = sub == "update";
    r.install = one_of(sub, {"add", "upgrade", "fix"});
  } else if (rpm) {
    r.update = one_of(sub, {"makecache", "check-update"});
    r.install = one_of(sub, {"install", "update", "upgrade", "reinstall", "groupinstall",
                             "localinstall", "distro-sync", "group"});
  } else {
    r.update = one_of(sub, {"refresh", "ref"});
    r.install = one_of(sub, {"install", "in", "update", "up", "dist-upgrade", "dup", "patch"});
  }
  if (!r.update && !r.install) return std::nullopt;
  return r;
}

// What a chmod mode grants that CIS 4.8 forbids: "world-writable", "setuid", "setgid" (joined),
// or "" (also for words that are not modes). Symbolic modes without a who (`+w`) honour the
// umask, which keeps o+w off, so only o/a count for 'w'; `+s` sets both setuid and setgid.
std::string mode_problem(std::string_view mode) {
  bool ww = false, su = false, sg = false;
  if (!mode.empty() && mode.size() <= 5 &&
      std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; })) {
    const unsigned v = static_cast<unsigned>(std::stoul(std::string(mode), nullptr, 8));
    ww = v & 02;
    su = v & 04000;
    sg = v & 02000;
  } else {
    for (std::string_view clause : split(mode, ',')) {
      std::size_t k = clause.find_first_not_of("ugoa");
      const std::string_view who = clause.substr(0, std::min(k, clause.size()));
      if (k == npos) return "";
      const bool all = who.empty() || who.find('a') != npos;
      while (k < clause.size()) {
        const char op = clause[k++];
        if (op != '+' && op != '-' && op != '=') return "";
        const std::size_t end = std::min(clause.find_first_not_of("rwxXstugo", k), clause.size());
        const std::string_view perms = clause.substr(k, end - k);
        k = end;
        if (op == '-') continue;
        ww = ww || (perms.find('w') != npos && (who.find('o') != npos || who.find('a') != npos));
        if (perms.find('s') != npos) {
          su = su || all || who.find('u') != npos;
          sg = sg || all || who.find('g') != npos;
        }
      }
    }
  }
  std::string out;
  for (auto [on, what] : {std::pair{ww, "world-writable"}, {su, "setuid"}, {sg, "setgid"}})
    if (on) out += (out.empty() ? "" : " and ") + std::string(what);
  return out;
}

// The mode word of a chmod (words after it), an install -m or a mkdir -m.
std::optional<std::string> mode_word(const Command& c, std::size_t k, bool is_chmod) {
  for (std::size_t i = k + 1; i < c.size(); ++i) {
    const std::string& w = c[i];
    if (is_chmod) {
      if (w == "--") return i + 1 < c.size() ? std::optional(c[i + 1]) : std::nullopt;
      if (starts_with(w, "--reference")) return std::nullopt;
      // -R, -v, --recursive are options; -w, -x are modes (that remove bits)
      if (w.size() > 1 && w[0] == '-' && w.find_first_not_of("rwxXst", 1) != npos) continue;
      return w;
    }
    if (w == "-m" || w == "--mode")
      return i + 1 < c.size() ? std::optional(c[i + 1]) : std::nullopt;
    if (starts_with(w, "--mode=")) return w.substr(7);
    if (starts_with(w, "-m")) return w.substr(2);
  }
  return std::nullopt;
}

// What the commands of one RUN do, as far as the rules care.
struct RunFacts {
  std::vector<std::string> updates, root_needs, mode_hits;
  bool installs = false, lists_removed = false;
  int apt_installs = 0, apt_without_flag = 0;
};

std::vector<Command> run_commands(const DockerfileInstruction& ins) {
  std::vector<Command> cmds;
  if (ins.exec_form && !ins.argv.empty()) cmds.push_back(ins.argv);
  if (!ins.exec_form) cmds = shell_commands(ins.args);
  for (const auto& h : ins.heredocs) {
    auto more = shell_commands(h.body);
    cmds.insert(cmds.end(), more.begin(), more.end());
  }
  int nested = 0;  // sh -c 'script' holds commands too (a bounded number of levels)
  for (std::size_t k = 0; k < cmds.size() && nested < 32; ++k) {
    const std::size_t p = program_index(cmds[k]);
    if (p >= cmds[k].size() || !one_of(base_of(cmds[k][p]), {"sh", "bash", "dash", "ash", "zsh"}))
      continue;
    for (std::size_t q = p + 1; q + 1 < cmds[k].size(); ++q) {
      const std::string& o = cmds[k][q];
      if (o.size() > 1 && o[0] == '-' && o[1] != '-' && o.find('c') != npos) {
        auto more = shell_commands(std::string(cmds[k][q + 1]));
        cmds.insert(cmds.end(), more.begin(), more.end());
        ++nested;
        break;
      }
    }
  }
  return cmds;
}

RunFacts analyse_run(const DockerfileInstruction& ins) {
  RunFacts f;
  for (const auto& fl : ins.flags) {  // a cache or tmpfs mount keeps the lists out of the layer
    if (fl.name != "mount") continue;
    bool temp = false, lists = false;
    for (auto kv : split(fl.value, ',')) {
      temp = temp || kv == "type=cache" || kv == "type=tmpfs";
      const auto eq = kv.find('=');
      if (eq != npos && one_of(kv.substr(0, eq), {"target", "dst", "destination"}))
        lists = one_of(kv.substr(eq + 1), {"/var/lib/apt", "/var/lib/apt/", "/var/lib/apt/lists",
                                           "/var/lib/apt/lists/"});
    }
    f.lists_removed = f.lists_removed || (temp && lists);
  }
  for (const Command& c : run_commands(ins)) {
    const std::size_t p = program_index(c);
    if (p >= c.size()) continue;
    const std::string prog = base_of(c[p]);
    for (std::size_t k = 0; k < p; ++k)
      if (c[k] == "sudo" || c[k] == "doas") f.root_needs.push_back(c[k]);
    if (one_of(prog, {"su", "useradd", "groupadd", "adduser", "addgroup", "usermod", "chpasswd"}))
      f.root_needs.push_back(prog);
    if (auto pc = package_call(c)) {
      if (pc->update) f.updates.push_back(pc->text);
      f.installs = f.installs || pc->install;
      f.root_needs.push_back(pc->text);
      if (pc->apt_install) {
        ++f.apt_installs;
        if (!pc->no_recommends) ++f.apt_without_flag;
      }
    }
    if (prog == "rm")
      for (std::size_t k = p + 1; k < c.size(); ++k)
        f.lists_removed = f.lists_removed || starts_with(c[k], "/var/lib/apt/lists");
    for (std::size_t k = 0; k < c.size(); ++k) {
      const std::string b = base_of(c[k]);
      const bool chmod = b == "chmod", other = k == p && (b == "install" || b == "mkdir");
      if (!chmod && !other) continue;
      if (auto m = mode_word(c, k, chmod); m && !mode_problem(*m).empty())
        f.mode_hits.push_back(b + " " + printable(*m, 40) + ": " + mode_problem(*m));
    }
  }
  return f;
}

// The final stage and the earlier stages it builds on (FROM <stage>), final first.
std::vector<const DockerfileStage*> final_chain(const Dockerfile& df) {
  std::vector<const DockerfileStage*> out;
  for (const DockerfileStage* s = &df.stages.back(); s != nullptr;
       s = s->base_stage ? &df.stages[static_cast<std::size_t>(*s->base_stage)] : nullptr)
    out.push_back(s);
  return out;
}

// The last instruction with this keyword along the chain.
std::pair<const DockerfileStage*, std::size_t> last_of(
    const std::vector<const DockerfileStage*>& chain, std::string_view keyword) {
  for (const DockerfileStage* st : chain)
    for (std::size_t k = st->instructions.size(); k-- > 0;)
      if (st->instructions[k].keyword == keyword) return {st, k};
  return {nullptr, 0};
}

class Judge {
 public:
  explicit Judge(const Dockerfile& df) : df_(df), chain_(final_chain(df)), fin_(*chain_.front()) {}

  ObjectResult run(Rule rule, const std::vector<std::string>& allowed) {
    out_.status = Status::pass;
    switch (rule) {
      case Rule::user_nonroot:
        user_nonroot();
        break;
      case Rule::minimal_final_stage:
        minimal(allowed);
        break;
      case Rule::base_pinned:
        base_pinned();
        break;
      case Rule::copy_not_add:
        add(false);
        break;
      case Rule::no_add_url:
        add(true);
        break;
      case Rule::exec_form:
        exec_form();
        break;
      case Rule::healthcheck:
        healthcheck();
        break;
      case Rule::no_update_alone:
      case Rule::apt_hygiene:
      case Rule::no_world_writable_or_setuid:
        runs(rule);
        break;
      case Rule::no_secrets:
        secrets();
        break;
    }
    return std::move(out_);
  }

 private:
  void note(Status s, int line, const std::string& text) {
    out_.status = worst(out_.status, s);
    out_.evidence.push_back(printable(df_.name, 300) + ":" + std::to_string(line) + ": " + text);
  }
  void only(Status s, int line, const std::string& text) {
    out_.status = s;
    note(s, line, text);
  }
  static std::string show(std::string_view s) { return printable(s, 120); }
  // "a, b, c" for up to three items, then "and N more" (a hostile RUN can hold thousands).
  static std::string first_few(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < 3; ++i) out += (i ? ", " : "") + show(items[i]);
    if (items.size() > 3) out += " and " + std::to_string(items.size() - 3) + " more";
    return out;
  }
  std::string from_text(const DockerfileStage& st) const {
    std::string t = "FROM " + show(st.base);
    if (st.base_resolved != st.base) t += " (= " + show(st.base_resolved) + ")";
    return t;
  }
  std::string stage_label(const DockerfileStage& st) const {
    return st.name.empty() ? "#" + std::to_string(st.index) : "'" + show(st.name) + "'";
  }

  void user_nonroot() {
    auto [ust, pos] = last_of(chain_, "USER");
    if (ust == nullptr)
      return note(Status::fail, fin_.line,
                  "the final stage (" + from_text(fin_) +
                      ") sets no USER: the container runs as the base image's user, root for "
                      "most images (CIS 4.1)");
    const DockerfileInstruction& u = ust->instructions[pos];
    const std::string where =
        ust == &fin_ ? "" : " (stage " + stage_label(*ust) + ", which the final stage builds on)";
    DockerfileVars vars;  // ENV of the stages it builds on, then its own ARG and ENV before it
    for (auto it = chain_.rbegin(); it != chain_.rend(); ++it) {
      const std::size_t end = *it == ust ? pos : (*it)->instructions.size();
      for (std::size_t k = 0; k < end; ++k) {
        const auto& ins = (*it)->instructions[k];
        if (ins.keyword != "ENV" && (ins.keyword != "ARG" || *it != ust)) continue;
        for (const auto& a : ins.assignments) {
          if (!a.value) {  // ARG NAME: the global ARG's value, if it is one
            auto g = df_.globals.find(a.name);
            vars[a.name] = g != df_.globals.end() ? g->second : std::nullopt;
            continue;
          }
          auto ex = expand_dockerfile_word(*a.value, vars, df_.escape);
          vars[a.name] = ex.complete ? std::optional(ex.text) : std::nullopt;
        }
      }
      if (*it == ust) break;
    }
    const auto ex = expand_dockerfile_word(u.args, vars, df_.escape);
    const std::string shown = "USER " + show(u.args) + where;
    if (!ex.complete)
      return note(Status::error, u.first_line, shown + ": the user cannot be told: " + ex.note);
    const std::string_view user = trim(std::string_view(ex.text).substr(0, ex.text.find(':')));
    if (user.empty() || user == "root" || user.find_first_not_of('0') == npos)
      return note(Status::fail, u.first_line,
                  shown +
                      " is the last USER of the final stage: the container runs as root "
                      "(CIS 4.1)");
    note(Status::pass, u.first_line, shown + " is the last USER of the final stage");
    // Steps after it that need root: they only work through sudo and the like.
    bool after = false;
    for (auto it = std::find(chain_.rbegin(), chain_.rend(), ust); it != chain_.rend(); ++it)
      for (std::size_t k = 0; k < (*it)->instructions.size(); ++k) {
        const auto& ins = (*it)->instructions[k];
        after = after || (*it != ust || k > pos);
        if (!after || ins.keyword != "RUN") continue;
        const auto f = analyse_run(ins);
        if (!f.root_needs.empty())
          note(Status::fail, ins.first_line,
               "RUN " + show(f.root_needs.front()) + " needs root after " + shown + " (line " +
                   std::to_string(u.first_line) +
                   "): do it before switching user, and set USER last");
      }
  }

  void minimal(const std::vector<std::string>& allowed) {
    if (df_.stages.size() == 1)
      return only(Status::informational, fin_.line,
                  "single-stage build (" + from_text(fin_) +
                      "): a multi-stage build can ship only the artefacts, on a minimal base");
    if (fin_.base_stage)
      return only(Status::informational, fin_.line,
                  "the final stage builds on stage " +
                      stage_label(df_.stages[static_cast<std::size_t>(*fin_.base_stage)]) +
                      ", not on a minimal base");
    const std::string& ref = fin_.base_resolved;
    std::string name = ref.substr(0, std::min(ref.find('@'), ref.size()));  // without tag, digest
    if (const auto colon = name.rfind(':'); colon != npos && name.find('/', colon) == npos)
      name.resize(colon);
    bool minimal = false;
    for (const auto& g : allowed) minimal = minimal || glob_match(g, ref) || glob_match(g, name);
    std::string list;
    for (const auto& g : allowed) list += (list.empty() ? "" : ", ") + g;
    if (!fin_.base_complete || !minimal)
      return only(Status::informational, fin_.line,
                  "the final stage's " + from_text(fin_) + " is not one of the minimal bases (" +
                      show(list) + "): it ships the base image's shell and packages");
    for (const auto& ins : fin_.instructions)
      if (ins.keyword == "RUN")
        return only(Status::informational, ins.first_line,
                    "the final stage (" + from_text(fin_) +
                        ") runs commands: a minimal final stage only copies artefacts");
    note(Status::pass, fin_.line,
         "the final stage's " + from_text(fin_) + " is minimal and only copies artefacts");
  }

  void base_pinned() {
    bool any = false;
    for (const auto& st : df_.stages) {
      if (st.base_stage || st.is_scratch()) continue;
      any = true;
      const std::string what = from_text(st) + ": ";
      const std::string& ref = st.base_resolved;
      if (!st.base_complete) {
        note(Status::fail, st.line,
             what + "the image depends on a build argument (" + st.base_note +
                 "), so the Dockerfile does not pin it");
        continue;
      }
      const auto at = ref.find('@');
      if (at != npos) {
        const std::string_view d = std::string_view(ref).substr(at + 1);
        const bool ok = (starts_with(d, "sha256:") && d.size() == 7 + 64) ||
                        (starts_with(d, "sha512:") && d.size() == 7 + 128);
        const bool hex = d.find_first_not_of("0123456789abcdef", 7) == npos;
        note(ok && hex ? Status::pass : Status::fail, st.line,
             what + (ok && hex ? "pinned by digest" : "malformed digest"));
        continue;
      }
      const auto colon = ref.rfind(':');
      const std::string tag =
          colon != npos && ref.find('/', colon) == npos ? ref.substr(colon + 1) : "";
      if (tag.empty() || tag == "latest")
        note(Status::fail, st.line,
             what + (tag.empty() ? "no tag: Docker pulls :latest" : "the tag latest") +
                 ", whatever it is at build time; pin a version tag, or best a digest "
                 "(@sha256:...)");
      else
        note(Status::pass, st.line,
             what + "tag " + show(tag) + " (a digest @sha256:... is best: a tag can be moved)");
    }
    if (!any) note(Status::pass, fin_.line, "no external base image (only scratch and stages)");
  }

  static bool is_url(std::string_view w) {
    const std::string l = to_lower(w);
    return starts_with(l, "http://") || starts_with(l, "https://") || starts_with(l, "git@") ||
           starts_with(l, "git://");
  }
  // A URL for evidence, with any user:password@ replaced.
  static std::string redact(std::string_view url) {
    const auto scheme = url.find("://");
    const auto host = scheme == npos ? 0 : scheme + 3;
    const auto at = url.find('@', host), slash = url.find('/', host);
    if (scheme == npos || at == npos || (slash != npos && at > slash)) return printable(url, 120);
    return printable(std::string(url.substr(0, host)) + "***" + std::string(url.substr(at)), 120);
  }

  void add(bool urls_only) {
    bool any = false;
    for (const auto& st : df_.stages)
      for (const auto& ins : st.instructions) {
        if (ins.keyword != "ADD") continue;
        std::vector<std::string> words = ins.argv;
        if (!ins.exec_form)
          for (auto w : split_ws(ins.args)) words.emplace_back(w);
        if (!words.empty()) words.pop_back();  // the destination
        std::string url;
        for (const auto& w : words)
          if (url.empty() && is_url(w)) url = w;
        if (urls_only && url.empty()) continue;
        any = true;
        if (url.empty())
          note(Status::fail, ins.first_line,
               "ADD " + show(ins.args) +
                   ": use COPY (ADD also unpacks archives and fetches URLs; CIS 4.9)");
        else if (ins.flag("checksum"))  // BuildKit verifies the download
          note(urls_only ? Status::pass : Status::fail, ins.first_line,
               "ADD of a URL (" + redact(url) + ") with --checksum: its content is verified" +
                   (urls_only ? "" : "; still, COPY what an earlier stage fetched (CIS 4.9)"));
        else
          note(Status::fail, ins.first_line,
               "ADD of a URL (" + redact(url) +
                   "), severe: fetched at build time without verification; download it in a RUN "
                   "that checks its hash, or use ADD --checksum= (CIS 4.9)");
      }
    if (!any) note(Status::pass, fin_.line, urls_only ? "no ADD of a URL" : "no ADD instruction");
  }

  void exec_form() {
    auto [est, epos] = last_of(chain_, "ENTRYPOINT");
    auto [cst, cpos] = last_of(chain_, "CMD");
    if (!est && !cst)
      return only(Status::notapplicable, fin_.line,
                  "the final stage sets no ENTRYPOINT or CMD: the base image's apply");
    for (const auto* i :
         {est ? &est->instructions[epos] : nullptr, cst ? &cst->instructions[cpos] : nullptr}) {
      if (i == nullptr) continue;
      if (i->exec_form)
        note(Status::pass, i->first_line, i->keyword + " in exec (JSON) form");
      else
        note(Status::fail, i->first_line,
             i->keyword + " " + show(i->args) +
                 " is in shell form: it runs under /bin/sh -c, which does not pass signals on "
                 "and which distroless images lack; write " +
                 i->keyword + " [\"...\", \"...\"]");
    }
  }

  void healthcheck() {
    auto [st, pos] = last_of(chain_, "HEALTHCHECK");
    if (st == nullptr)
      return note(Status::fail, fin_.line, "the final stage has no HEALTHCHECK (CIS 4.6)");
    const auto& h = st->instructions[pos];
    const auto words = split_ws(h.args);
    const bool none = !words.empty() && iequals(words.front(), "NONE");
    note(none ? Status::fail : Status::pass, h.first_line,
         none ? "HEALTHCHECK NONE disables the health check (CIS 4.6)"
              : "HEALTHCHECK " + show(h.args));
  }

  void runs(Rule rule) {
    bool any = false;
    for (const auto& st : df_.stages)
      for (const auto& ins : st.instructions) {
        if (ins.keyword != "RUN") continue;
        const RunFacts f = analyse_run(ins);
        const int line = ins.first_line;
        if (rule == Rule::no_update_alone && !f.updates.empty() && !f.installs) {
          note(Status::fail, line,
               "RUN " + first_few(f.updates) +
                   " without an install in the same RUN: its cached layer keeps stale "
                   "package lists for later installs (CIS 4.7)");
        } else if (rule == Rule::apt_hygiene && f.apt_installs > 0) {
          any = true;
          std::string why;
          if (f.apt_without_flag > 0) why = "without --no-install-recommends";
          if (!f.lists_removed)
            why += (why.empty() ? "" : " and ") +
                   std::string("without removing /var/lib/apt/lists in the same RUN");
          note(why.empty() ? Status::pass : Status::fail, line,
               why.empty() ? "apt-get install with --no-install-recommends, lists removed"
                           : "RUN apt-get install " + why);
        } else if (rule == Rule::no_world_writable_or_setuid) {
          if (!f.mode_hits.empty())
            note(Status::fail, line, "RUN " + first_few(f.mode_hits) + " (CIS 4.8)");
        }
      }
    if (rule == Rule::no_world_writable_or_setuid)
      for (const auto& st : df_.stages)
        for (const auto& ins : st.instructions)
          if (const auto* m = ins.flag("chmod"); m && !mode_problem(m->value).empty())
            note(Status::fail, ins.first_line,
                 ins.keyword + " --chmod=" + show(m->value) + ": " + mode_problem(m->value) +
                     " (CIS 4.8)");
    if (!out_.evidence.empty()) return;
    if (rule == Rule::apt_hygiene && !any)
      return only(Status::notapplicable, fin_.line, "no apt-get install");
    note(Status::pass, fin_.line,
         rule == Rule::no_update_alone
             ? "no RUN updates package lists without installing"
             : "no chmod, install -m, mkdir -m or --chmod makes files world-writable, setuid or "
               "setgid");
  }

  static bool secret_name(std::string_view name) {
    bool hit = false;
    for (std::string_view part : split(name, '_'))
      for (std::string_view p : split(part, '-')) {
        const std::string u = to_lower(p);
        if (u == "public") return false;
        hit = hit || one_of(u, {"password", "passwords", "passwd", "passphrase", "token", "tokens",
                                "secret", "secrets", "key", "keys", "apikey", "credential",
                                "credentials"});
      }
    return hit;
  }
  // A value with text of its own: not empty, not only $NAME / ${NAME} references.
  static bool literal(std::string_view v) {
    std::string s;
    for (char c : v)
      if (c != '"' && c != '\'' && c != ' ' && c != '\t') s += c;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] != '$') return true;
      const bool brace = i + 1 < s.size() && s[i + 1] == '{';
      std::size_t j = i + 1 + (brace ? 1 : 0);
      const std::size_t start = j;
      while (j < s.size() && name_char(s[j])) ++j;
      if (j == start || (brace && (j >= s.size() || s[j] != '}'))) return true;
      i = j + (brace ? 1 : 0);
    }
    return false;
  }

  void secrets() {
    auto check = [&](const DockerfileInstruction& ins) {
      for (const auto& a : ins.assignments)
        if (secret_name(a.name) && a.value && literal(*a.value))
          note(Status::fail, ins.first_line,
               ins.keyword + " " + show(a.name) +
                   " has a literal value (not shown): it stays in the image's history; pass it "
                   "at run time or use a build secret, RUN --mount=type=secret (CIS 4.10)");
    };
    for (const auto& ins : df_.global_args) check(ins);
    for (const auto& st : df_.stages)
      for (const auto& ins : st.instructions)
        if (ins.keyword == "ARG" || ins.keyword == "ENV") check(ins);
    if (out_.evidence.empty())
      note(Status::pass, fin_.line, "no ARG or ENV with a secret-like name has a literal value");
  }

  const Dockerfile& df_;
  std::vector<const DockerfileStage*> chain_;
  const DockerfileStage& fin_;
  ObjectResult out_;
};

class DockerfileProbe final : public Probe {
 public:
  DockerfileProbe(Rule rule, std::vector<std::string> allowed)
      : rule_(rule), allowed_(std::move(allowed)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (ctx.dockerfiles == nullptr || ctx.dockerfiles->empty())
      return Outcome::make(Status::notapplicable, "no --dockerfile given");
    Outcome o;
    o.status = Status::notapplicable;  // the lowest rank: the objects decide
    for (const std::string& path : *ctx.dockerfiles) {
      auto df = ctx.facts.get<Dockerfile>("dockerfile:" + path, [&]() -> Expected<Dockerfile> {
        auto view = open_host_view("/", std::min(ctx.host.max_read(), k_dockerfile_max_bytes));
        if (!view) return view.error();
        auto text = (*view)->read_file(path);
        if (!text) return text.error();
        return parse_dockerfile(*text, path);
      });
      ObjectResult obj;
      if (df->ok()) {
        obj = Judge(df->value()).run(rule_, allowed_);
      } else {
        obj.status = Status::error;
        obj.evidence.push_back(printable(df->message(), 400));
      }
      obj.id = path;
      o.add_object(std::move(obj));
    }
    o.evidence.push_back(std::to_string(ctx.dockerfiles->size()) +
                         " Dockerfile(s) from --dockerfile");
    return o;
  }

 private:
  Rule rule_;
  std::vector<std::string> allowed_;
};

}  // namespace

std::unique_ptr<Probe> parse_dockerfile_probe(const Params& params) {
  const std::string check = params.string("check");
  std::optional<Rule> rule;
  std::string names;
  for (std::size_t i = 0; i < std::size(k_rule_names); ++i) {
    if (check == k_rule_names[i]) rule = static_cast<Rule>(i);
    names += (i ? ", " : "") + std::string(k_rule_names[i]);
  }
  if (!rule) params.fail("check", "'" + check + "' is not one of: " + names);
  auto allowed = params.opt_strings("allowed");
  if (allowed && *rule != Rule::minimal_final_stage)
    params.fail("allowed", "only check: minimal_final_stage takes 'allowed'");
  return std::make_unique<DockerfileProbe>(
      *rule, allowed.value_or(std::vector<std::string>{"scratch", "gcr.io/distroless/*",
                                                       "cgr.dev/chainguard/*"}));
}

}  // namespace hb
