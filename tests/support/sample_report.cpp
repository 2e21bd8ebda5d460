#include "tests/support/sample_report.hpp"

namespace hb::test {

namespace {
RuleResult result(const std::string& id, const std::string& profile, const std::string& tag,
                  Severity sev, Status st, std::vector<std::string> evidence) {
  RuleResult r;
  r.meta.id = id;
  r.meta.title = "Title of " + id;
  r.meta.profile = profile;
  r.meta.severity = sev;
  r.meta.tags = {tag};
  r.meta.rationale = "Because " + id + " matters.";
  r.meta.remediation = "Fix " + id + " like this.";
  r.meta.references = {{"cis-debian12", "5.1.20"}};
  r.status = st;
  r.evidence = std::move(evidence);
  r.duration_us = 1250;
  return r;
}
}  // namespace

ScanReport sample_report() {
  ScanReport rep;
  rep.meta.version = "0.1.0";
  rep.meta.started = SystemTime(std::chrono::milliseconds(1795903451000LL));
  rep.meta.finished = rep.meta.started + std::chrono::milliseconds(42);
  rep.meta.root = "/";
  rep.meta.hostname = "web01";
  rep.meta.os = "Debian GNU/Linux 12 (bookworm)";
  rep.meta.kernel = "6.1.0-28-amd64";
  rep.meta.virtualization = "kvm";
  rep.meta.addresses = {"192.0.2.10", "2001:db8:0:0:0:0:0:10"};
  rep.meta.user = "root(0)";
  rep.meta.jobs = 2;
  rep.meta.profiles = {{"linux", "Linux host baseline", "1.0.0", "", false, {}},
                       {"default", "Default", "1.0.0", "Everything", true, {"linux"}}};
  rep.results = {
      result("host.files.shadow", "linux", "files", Severity::high, Status::fail,
             {"/etc/shadow: mode 0644 allows 0004 beyond 0640"}),
      result("host.ssh.permit_root_login", "linux", "ssh", Severity::critical, Status::pass,
             {"PermitRootLogin no at /etc/ssh/sshd_config:3"}),
      result("host.ssh.banner", "linux", "ssh", Severity::low, Status::notapplicable,
             {"not applicable: /usr/sbin/sshd: does not exist"}),
      result("host.net.ip_forward", "linux", "network", Severity::medium, Status::error,
             {"/proc/sys/net/ipv4/ip_forward: Permission denied"}),
      result("default.extra", "default", "files", Severity::info, Status::waived,
             {"waived: legacy appliance (ops@example.org, until 2027-03-31)"}),
  };
  rep.results[0].objects = {{"/etc/shadow", Status::fail, {"mode 0644"}},
                            {"/etc/shadow-", Status::pass, {"mode 0600"}}};
  rep.summary = compute_summary(rep.results);
  return rep;
}

ScanReport hostile_report() {
  ScanReport rep = sample_report();
  const std::string h = k_hostile;
  rep.meta.hostname = "host" + h;
  rep.meta.os = "OS" + h;
  rep.meta.root = "/mnt/" + h;
  for (auto& r : rep.results) {
    r.evidence.push_back("value " + h);
    r.meta.title += h;
    for (auto& o : r.objects) o.id += h;
  }
  rep.results[0].objects.push_back({"container " + h, Status::fail, {"evidence " + h}});
  rep.summary = compute_summary(rep.results);
  return rep;
}

}  // namespace hb::test
