#!/usr/bin/env python3
"""Benchmark input, not a test: a synthetic Debian 12 host root for `hostbench scan --root`.

Usage: tests/bench/gen_host.py OUTDIR [--scale N] [--seed S] [--date RFC2822|now] [--force]

OUTDIR must not exist, or be empty (--force deletes it first). The tree is the host as
`hostbench scan --root OUTDIR` sees it mounted. At scale N it holds:

  - 20*N Docker containers in dockerd 20.10's on-disk state (var/lib/docker/containers/<id>/
    config.v2.json and hostconfig.json, in the layout of tests/fixtures/docker-host, whose two
    real records are the templates), about 90 % running, mixing weak and hardened settings
    (privileged, capabilities, docker.sock and /etc binds, host namespaces, published ports,
    limits, read-only root, user, health checks, restart policies, seccomp and AppArmor);
    5*N images with their config blobs, repositories.json, the layer store (layerdb/sha256/
    <chain>/{diff,cache-id,size[,parent]}) and overlay2/<cache-id>/diff trees with or without a
    shell; /etc/docker/daemon.json, docker.service/docker.socket and a dockerd placeholder.
  - 500*N sockets in proc/net/tcp (60 %) and proc/net/tcp6 (40 %) in the kernel's exact layout
    (tcp lines padded to 149 columns, tcp6 unpadded): LISTEN (loopback and all addresses),
    ESTABLISHED and a few TIME_WAIT (the kernel's shorter time-wait line).
  - 500*N packages in var/lib/dpkg/status (about 2 % removed with config files left) and apt
    lists for bookworm (main) and bookworm-security, as InRelease + Packages compressed with lz4
    as apt does on this Debian 12 machine (gzip when the lz4 CLI is missing): the main list
    carries every installed package (8 % at a newer point-release version) plus half as many
    uninstalled ones; the security list has newer versions of 4 % of the installed packages.
    The security Release is dated at --date (default: now), the main one 30 days before.
  - 200*N regular files and symlinks under etc: the configs the linux profile reads (passwd,
    group, shadow, gshadow and their backups with 80*N users, sshd_config and drop-ins,
    sysctl.d, login.defs, pam.d, audit rules, fstab, modprobe.d, limits.d, apt sources), the
    rest filler config files of the installed packages.
  - from tests/fixtures/hardened (copied, then partly overwritten): proc/sys values,
    proc/self/mountinfo (plus a /var/lib/docker mount), proc/modules, proc/net/udp*, the sysfs
    block stack, lib/modules, systemd units, cron, PAM common-* files, setuid placeholders.

Everything but the two Release dates is a function of --scale and --seed (Python's Mersenne
Twister and SHA-256, no other state). Modes follow tests/fixtures/hardened.attrs and
docker-host.attrs; owners are set (root, gid 42 for shadow) when run as root.
Python 3 standard library only.
"""

import argparse
import copy
import datetime as dt
import gzip
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures"))
BASE = os.path.join(FIXTURES, "hardened")
DOCKER_FIXTURE = os.path.join(FIXTURES, "docker-host")
WEAK_CONTAINER = "b18d246fd250e68cde13f4fc03c151209513d6958c0579656d5f434babe3cf99"
HARDENED_CONTAINER = "f0c8fc959e4240251732109460aaa6b558c697e5ced279e68830c41f07170f66"

IS_ROOT = os.geteuid() == 0


# ---------------------------------------------------------------------------------------------
# small helpers


def sha256(text):
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


class Tree:
    """Writes files under the output root, keeping modes and owners as Debian has them."""

    def __init__(self, root):
        self.root = root

    def path(self, host_path):
        return os.path.join(self.root, host_path.lstrip("/"))

    def mkdir(self, host_path, mode=0o755):
        p = self.path(host_path)
        os.makedirs(p, exist_ok=True)
        os.chmod(p, mode)
        return p

    def write(self, host_path, data, mode=0o644, gid=0):
        p = self.path(host_path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.lexists(p):
            os.unlink(p)
        with open(p, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        if IS_ROOT:
            os.chown(p, 0, gid)
        os.chmod(p, mode)
        return p

    def symlink(self, target, host_path):
        p = self.path(host_path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.lexists(p):
            os.unlink(p)
        os.symlink(target, p)


def rfc2822(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S UTC")


def rfc3339(t, frac):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%09dZ" % frac


def apply_attrs(tree, attrs_file):
    """Applies a fixture's .attrs file (MODE OWNER GROUP /path) to the copied tree."""
    with open(attrs_file) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            mode, owner, group, path = line.split(None, 3)
            p = tree.path(path)
            if not os.path.lexists(p):
                continue
            if IS_ROOT:
                uid = 0 if owner in ("root", "0") else int(owner)
                gid = 0 if group in ("root", "0") else int(group)
                os.lchown(p, uid, gid)
            os.chmod(p, int(mode, 8))


# ---------------------------------------------------------------------------------------------
# accounts


SHELLS = ["/bin/bash", "/bin/bash", "/bin/bash", "/usr/bin/zsh", "/bin/sh"]
FIRST = ["anna", "ben", "carla", "dmitri", "elena", "farid", "grace", "hiro", "ines", "jonas",
         "kofi", "lena", "mateo", "nadia", "oskar", "priya", "quentin", "rosa", "sven", "tomas",
         "uma", "victor", "wen", "xavier", "yara", "zoe"]
LAST = ["adams", "berg", "costa", "dubois", "evans", "fischer", "garcia", "huber", "ito",
        "jansen", "kowalski", "larsen", "moreau", "nakamura", "okafor", "petrov", "quinn",
        "rossi", "silva", "tanaka", "ueda", "vogel", "weber", "xu", "young", "zimmer"]


def gen_accounts(tree, rng, scale, day):
    """passwd, group, shadow, gshadow (+ the '-' backups) with 80*N people beside Debian's
    base accounts (tests/fixtures/hardened's). Mostly hardened shadow fields, some weak."""
    base = os.path.join(BASE, "etc")
    passwd = open(os.path.join(base, "passwd")).read().splitlines()
    shadow = open(os.path.join(base, "shadow")).read().splitlines()
    group = open(os.path.join(base, "group")).read().splitlines()
    gshadow = open(os.path.join(base, "gshadow")).read().splitlines()
    # docker's group as the docker.io package creates it, with the administrator in it
    group.append("docker:x:111:admin")
    gshadow.append("docker:!::admin")
    shared = {"sudo": [], "sshusers": [], "docker": [], "developers": [], "ops": []}
    group.append("developers:x:2000:")
    gshadow.append("developers:!::")
    group.append("ops:x:2001:")
    gshadow.append("ops:!::")
    names = set(l.split(":")[0] for l in passwd)
    n_people = 80 * scale
    for i in range(n_people):
        while True:
            name = rng.choice(FIRST) + "." + rng.choice(LAST)
            if name in names:
                name += str(i)
            if name not in names:
                break
        names.add(name)
        uid = 1100 + i
        gecos = name.replace(".", " ").title() + ",,,"
        shell = rng.choice(SHELLS) if rng.random() < 0.9 else "/usr/sbin/nologin"
        passwd.append(f"{name}:x:{uid}:{uid}:{gecos}:/home/{name}:{shell}")
        group.append(f"{name}:x:{uid}:")
        gshadow.append(f"{name}:!::")
        r = rng.random()
        salt = sha256(f"salt{i}")[:22]
        hashed = f"$y$j9T${salt}$notarealhash{sha256(name)[:31]}"
        changed = day - rng.randrange(0, 400)
        if r < 0.80:    # hardened: ageing, warning, inactivity lock
            fields = [hashed, str(changed), "1", "365", "7", "45", "", ""]
        elif r < 0.93:  # Debian's defaults: never expires, never locked
            fields = [hashed, str(changed), "0", "99999", "7", "", "", ""]
        elif r < 0.98:  # locked account
            fields = ["!" + hashed, str(changed), "0", "99999", "7", "", "", ""]
        else:           # an expired short warning and an old MD5 hash
            fields = ["$1$notareal$" + sha256(name)[:22], str(changed), "0", "180", "3", "", "", ""]
        shadow.append(f"{name}:" + ":".join(fields))
        for g, share in (("sudo", 0.03), ("sshusers", 0.5), ("docker", 0.02),
                         ("developers", 0.4), ("ops", 0.1)):
            if rng.random() < share:
                shared[g].append(name)

    def add_members(lines, sep_index):
        out = []
        for line in lines:
            f = line.split(":")
            if f[0] in shared and shared[f[0]]:
                members = [m for m in f[sep_index].split(",") if m] + shared[f[0]]
                f[sep_index] = ",".join(members)
            out.append(":".join(f))
        return out

    group = add_members(group, 3)
    gshadow = add_members(gshadow, 3)
    for name, lines, mode, gid in (("passwd", passwd, 0o644, 0), ("group", group, 0o644, 0),
                                   ("shadow", shadow, 0o640, 42), ("gshadow", gshadow, 0o640, 42)):
        text = "\n".join(lines) + "\n"
        tree.write(f"/etc/{name}", text, mode, gid)
        # the backup is the file before the last person was added
        tree.write(f"/etc/{name}-", "\n".join(lines[:-1]) + "\n", mode, gid)
    return [l.split(":")[0] for l in passwd]


# ---------------------------------------------------------------------------------------------
# configuration files the linux profile reads


SYSCTL_EXTRA = [
    ("vm.swappiness", ["10", "1", "60"]),
    ("vm.max_map_count", ["262144", "1048576"]),
    ("net.core.somaxconn", ["4096", "1024", "65535"]),
    ("net.ipv4.tcp_fin_timeout", ["15", "30"]),
    ("fs.inotify.max_user_watches", ["524288", "1048576"]),
    ("fs.file-max", ["2097152", "9223372036854775807"]),
    ("net.core.netdev_max_backlog", ["16384", "5000"]),
    ("kernel.pid_max", ["4194304"]),
    ("net.ipv4.tcp_keepalive_time", ["600", "7200"]),
    ("vm.dirty_ratio", ["10", "20"]),
]

MODULES = ["snd_pcsp", "pcspkr", "floppy", "firewire_core", "firewire_ohci", "bluetooth",
           "btusb", "thunderbolt", "dccp", "sctp", "rds", "tipc", "n_hdlc", "ax25", "netrom",
           "x25", "rose", "decnet", "econet", "af_802154", "ipx", "appletalk", "psnap", "p8023",
           "p8022", "can", "atm", "cifs", "nfs", "nfsv4", "ksmbd", "gfs2"]

AUDIT_WATCH = ["/etc/sudoers", "/etc/hosts", "/etc/hostname", "/etc/issue", "/etc/issue.net",
               "/etc/network", "/etc/apparmor", "/etc/apparmor.d", "/etc/selinux", "/var/log/lastlog",
               "/var/run/faillock", "/etc/ssh/sshd_config", "/etc/cron.d", "/etc/crontab",
               "/var/spool/cron", "/etc/docker", "/usr/bin/dockerd", "/usr/bin/containerd",
               "/var/lib/docker", "/etc/default/docker", "/lib/systemd/system/docker.service"]

PAM_FILES = {
    "chfn": "#\n# The PAM configuration file for the Shadow `chfn' service\n#\n\n"
            "# This allows root to change user infomation without being\n# prompted for a password\n"
            "auth\t\tsufficient\tpam_rootok.so\n\n@include common-auth\n@include common-account\n"
            "@include common-session\n\n",
    "chsh": "#\n# The PAM configuration file for the Shadow `chsh' service\n#\n\n"
            "auth       required   pam_shells.so\n\nauth\t\tsufficient\tpam_rootok.so\n\n"
            "@include common-auth\n@include common-account\n@include common-session\n",
    "chpasswd": "# The PAM configuration file for the Shadow 'chpasswd' service\n#\n\n"
                "@include common-password\n\n",
    "newusers": "# The PAM configuration file for the Shadow 'newusers' service\n#\n\n"
                "@include common-password\n\n",
    "passwd": "#\n# The PAM configuration file for the Shadow `passwd' service\n#\n\n"
              "@include common-password\n\n",
    "other": "#\n# /etc/pam.d/other - specify the PAM fallback behaviour\n#\n\n"
             "@include common-auth\n@include common-account\n@include common-password\n"
             "@include common-session\n",
    "runuser": "#%PAM-1.0\nauth\t\tsufficient\tpam_rootok.so\nsession\t\toptional\tpam_keyinit.so revoke\n"
               "session\t\trequired\tpam_limits.so\nsession\t\trequired\tpam_unix.so\n",
    "runuser-l": "#%PAM-1.0\nauth\t\tinclude\t\trunuser\nsession\t\toptional\tpam_keyinit.so force revoke\n"
                 "-session\toptional\tpam_systemd.so\nsession\t\tinclude\t\trunuser\n",
    "su": "#\n# The PAM configuration file for the Shadow `su' service\n#\n\n"
          "auth       sufficient pam_rootok.so\n\n# auth       required   pam_wheel.so\n\n"
          "session       required   pam_env.so readenv=1\n"
          "session       required   pam_env.so readenv=1 envfile=/etc/default/locale\n"
          "session    optional   pam_mail.so nopen\nsession    required   pam_limits.so\n\n"
          "@include common-auth\n@include common-account\n@include common-session\n",
    "su-l": "#%PAM-1.0\nauth\t\tinclude\t\tsu\naccount\t\tinclude\t\tsu\npassword\tinclude\t\tsu\n"
            "session\t\toptional\tpam_keyinit.so force revoke\nsession\t\tinclude\t\tsu\n",
    "sshd": "# PAM configuration for the Secure Shell service\n\n@include common-auth\n\n"
            "account    required     pam_nologin.so\n\n@include common-account\n\n"
            "session [success=ok ignore=ignore module_unknown=ignore default=bad]        "
            "pam_selinux.so close\nsession    required     pam_loginuid.so\n"
            "session    optional     pam_keyinit.so force revoke\n\n@include common-session\n\n"
            "session    optional     pam_motd.so  motd=/run/motd.dynamic\n"
            "session    optional     pam_motd.so noupdate\n"
            "session    optional     pam_mail.so standard noenv\n"
            "session    required     pam_limits.so\n"
            "session    required     pam_env.so\n"
            "session    required     pam_env.so envfile=/etc/default/locale\n\n"
            "session [success=ok ignore=ignore module_unknown=ignore default=bad]        "
            "pam_selinux.so open\n\n@include common-password\n",
    "sudo": "#%PAM-1.0\n\n# Set up user limits from /etc/security/limits.conf.\n"
            "session    required   pam_limits.so\n\n@include common-auth\n@include common-account\n"
            "@include common-session-noninteractive\n",
    "cron": "# The PAM configuration file for the cron daemon\n\n@include common-auth\n\n"
            "session    required     pam_loginuid.so\nsession    required     pam_env.so\n"
            "session    required     pam_env.so envfile=/etc/default/locale\n\n"
            "@include common-account\n@include common-session-noninteractive\n\n"
            "session    required   pam_limits.so\n",
}


def gen_configs(tree, rng, scale):
    n = scale
    # sshd: Debian's sshd_config and the hardening drop-in come from the base; N site drop-ins
    # sort after it (sshd keeps the first value of a keyword, so they change nothing judged)
    for i in range(n):
        tree.write(f"/etc/ssh/sshd_config.d/{20 + i:04d}-site.conf",
                   f"# Site settings {i} (managed by configuration management)\n"
                   f"AcceptEnv LANG LC_* TZ\nTCPKeepAlive yes\nPrintMotd no\n", 0o600)
    # sysctl: 3*N drop-ins of tuning parameters, one of them weak (sorted before the hardening
    # file, so the hardening file's values win, as with sysctl --system)
    tree.write("/etc/sysctl.d/30-debug.conf",
               "# left over from a debugging session\nkernel.yama.ptrace_scope = 0\n", 0o644)
    for i in range(3 * n):
        lines = [f"# tuning for application {i}"]
        for key, values in rng.sample(SYSCTL_EXTRA, 4):
            lines.append(f"{key} = {rng.choice(values)}")
        tree.write(f"/etc/sysctl.d/70-app-{i:04d}.conf", "\n".join(lines) + "\n")
    # modprobe.d: N files blacklisting hardware and protocol modules
    for i in range(n):
        mods = rng.sample(MODULES, 6)
        body = "".join(f"blacklist {m}\n" if rng.random() < 0.5 else f"install {m} /bin/false\n"
                       for m in mods)
        tree.write(f"/etc/modprobe.d/site-{i:04d}.conf", f"# site module policy {i}\n" + body)
    # audit: 2*N rules files of watches
    for i in range(2 * n):
        lines = [f"## application audit rules {i}"]
        for path in rng.sample(AUDIT_WATCH, 5):
            lines.append(f"-w {path} -p wa -k app{i}")
        lines.append(f"-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k mounts{i}")
        tree.write(f"/etc/audit/rules.d/60-app-{i:04d}.rules", "\n".join(lines) + "\n", 0o640)
    # limits.d: N files
    for i in range(n):
        tree.write(f"/etc/security/limits.d/70-app-{i:04d}.conf",
                   f"# limits for service account {i}\n*    soft    nofile    {rng.choice([4096, 65536])}\n"
                   f"*    hard    nofile    {rng.choice([65536, 1048576])}\n")
    for name, text in PAM_FILES.items():
        tree.write(f"/etc/pam.d/{name}", text)
    # fstab and the mount table: /var/lib/docker on a logical volume of its own
    fstab = open(os.path.join(BASE, "etc/fstab")).read()
    fstab += "/dev/mapper/hardened--vg-docker /var/lib/docker ext4    defaults,nodev        0       2\n"
    tree.write("/etc/fstab", fstab)
    mountinfo = open(os.path.join(BASE, "proc/self/mountinfo")).read()
    mountinfo += ("84 72 254:9 / /var/lib/docker rw,nodev,relatime shared:47 - ext4 "
                  "/dev/mapper/hardened--vg-docker rw\n")
    tree.write("/proc/self/mountinfo", mountinfo, 0o444)
    # ... and its logical volume in the sysfs block stack, as dm-8 beside it is
    uuid = open(os.path.join(BASE, "sys/devices/virtual/block/dm-8/dm/uuid")).read().strip()
    dm9 = "/sys/devices/virtual/block/dm-9"
    tree.write(dm9 + "/dev", "254:9\n")
    tree.write(dm9 + "/dm/name", "hardened--vg-docker\n")
    tree.write(dm9 + "/dm/suspended", "0\n")
    tree.write(dm9 + "/dm/uuid", uuid[:-8] + "Dk9Lr3Wd\n")
    tree.symlink("../../dm-0", dm9 + "/slaves/dm-0")
    tree.symlink("../devices/virtual/block/dm-9", "/sys/block/dm-9")
    tree.symlink("../../devices/virtual/block/dm-9", "/sys/dev/block/254:9")
    # the host's name
    tree.write("/etc/hostname", f"bench-{scale}x\n")
    tree.write("/proc/sys/kernel/hostname", f"bench-{scale}x\n", 0o644)
    # apt sources: the two suites whose lists are generated
    tree.write("/etc/apt/sources.list.d/debian.sources",
               "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n"
               "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
               "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n"
               "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")


# ---------------------------------------------------------------------------------------------
# sockets


def hex4(ip):
    """An IPv4 address as /proc/net/tcp prints it: the __be32 printed %08X on little endian."""
    b = bytes(int(x) for x in ip.split("."))
    return "%08X" % int.from_bytes(b, "little")


def hex6(words):
    """16 bytes as /proc/net/tcp6 prints them: four __be32 words, each %08X little endian."""
    return "".join("%08X" % int.from_bytes(words[i:i + 4], "little") for i in range(0, 16, 4))


def v6_bytes(kind, rng, v4=None):
    if kind == "any":
        return bytes(16)
    if kind == "loopback":
        return bytes(15) + b"\x01"
    if kind == "mapped":
        return bytes(10) + b"\xff\xff" + bytes(int(x) for x in v4.split("."))
    # global unicast in 2001:db8::/32 (documentation prefix)
    return bytes.fromhex("20010db8") + bytes(rng.randrange(256) for _ in range(12))


def gen_sockets(tree, rng, scale):
    total = 500 * scale
    n4 = total * 3 // 5
    n6 = total - n4
    host4 = "10.0.2.15"
    host6 = v6_bytes("global", rng)
    inode = [20000]

    def next_inode():
        inode[0] += rng.randrange(1, 40)
        return inode[0]

    def ptr():
        return "00000000%08x" % rng.getrandbits(32)

    listen_ports = [(22, "any", 0), (25, "loopback", 0), (80, "any", 33), (443, "any", 33),
                    (5432, "loopback", 105), (6379, "loopback", 106), (9100, "any", 65534),
                    (631, "loopback", 0), (3306, "loopback", 107), (8080, "any", 1000)]

    def socket_line_4(sl):
        r = rng.random()
        if r < 0.10:    # LISTEN
            port, where, uid = rng.choice(listen_ports) if rng.random() < 0.5 else \
                (rng.randrange(1024, 65535), rng.choice(["any", "loopback"]), rng.choice([0, 1000, 33]))
            local = (hex4("0.0.0.0") if where == "any" else hex4("127.0.0.1")) + ":%04X" % port
            remote = "00000000:0000"
            backlog = rng.choice([0, 0, 0, 1])
            return ("%4d: %s %s %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d %d %d %d %d" %
                    (sl, local, remote, 0x0A, 0, backlog, 0, 0, 0, uid, 0, next_inode(), 1, ptr(),
                     100, 0, 0, 10, 0))
        if r < 0.95:    # ESTABLISHED: inbound to a service or outbound from an ephemeral port
            if rng.random() < 0.6:
                lport = rng.choice([22, 443, 80, 5432])
                rip = "%d.%d.%d.%d" % (rng.choice([10, 192, 172]), rng.randrange(256),
                                       rng.randrange(256), rng.randrange(1, 255))
                rport = rng.randrange(32768, 61000)
                lip = host4 if lport != 5432 else "127.0.0.1"
                rip = rip if lport != 5432 else "127.0.0.1"
            else:
                lport = rng.randrange(32768, 61000)
                lip = host4
                rip = "%d.%d.%d.%d" % (rng.randrange(1, 224), rng.randrange(256),
                                       rng.randrange(256), rng.randrange(1, 255))
                rport = rng.choice([443, 443, 80, 53, 5432, 6379])
            uid = rng.choice([0, 33, 105, 1000])
            timer = rng.choice([(0, 0), (2, rng.randrange(0x100, 0x50000)), (1, rng.randrange(0x10, 0x400))])
            return ("%4d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d %d %d %d %d" %
                    (sl, hex4(lip), lport, hex4(rip), rport, 0x01, rng.choice([0, 0, 0x24]), 0,
                     timer[0], timer[1], 0, uid, 0, next_inode(), rng.choice([2, 3, 4]), ptr(),
                     rng.choice([20, 201, 204]), 4, rng.choice([30, 10, 0]), 10, -1))
        # TIME_WAIT: the time-wait socket's shorter line (inode 0)
        rip = "%d.%d.%d.%d" % (rng.randrange(1, 224), rng.randrange(256), rng.randrange(256),
                               rng.randrange(1, 255))
        return ("%4d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s" %
                (sl, hex4(host4), rng.randrange(32768, 61000), hex4(rip), rng.choice([80, 443]),
                 0x06, 0, 0, 3, rng.randrange(0x100, 0x1800), 0, 0, 0, 0, 3, ptr()))

    header4 = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
               "timeout inode")
    lines = [header4.ljust(149)]
    for sl in range(n4):
        lines.append(socket_line_4(sl).ljust(149))
    tree.write("/proc/net/tcp", "\n".join(lines) + "\n", 0o444)

    def socket_line_6(sl):
        r = rng.random()
        if r < 0.10:
            port, where, uid = rng.choice(listen_ports) if rng.random() < 0.5 else \
                (rng.randrange(1024, 65535), rng.choice(["any", "loopback"]), rng.choice([0, 1000]))
            local = hex6(v6_bytes(where, rng)) + ":%04X" % port
            remote = hex6(bytes(16)) + ":0000"
            return ("%4d: %s %s %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d %d %d %d %d" %
                    (sl, local, remote, 0x0A, 0, 0, 0, 0, 0, uid, 0, next_inode(), 1, ptr(),
                     100, 0, 0, 10, 0))
        if r < 0.95:
            if rng.random() < 0.5:  # an IPv4 client on a dual-stack listener
                rip = "%d.%d.%d.%d" % (10, rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
                local = hex6(v6_bytes("mapped", rng, host4)) + ":%04X" % rng.choice([22, 80, 443])
                remote = hex6(v6_bytes("mapped", rng, rip)) + ":%04X" % rng.randrange(32768, 61000)
            else:
                local = hex6(host6) + ":%04X" % rng.randrange(32768, 61000)
                remote = hex6(v6_bytes("global", rng)) + ":%04X" % rng.choice([443, 80])
            return ("%4d: %s %s %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d %d %d %d %d" %
                    (sl, local, remote, 0x01, 0, 0, 2, rng.randrange(0x100, 0x50000), 0,
                     rng.choice([0, 33, 1000]), 0, next_inode(), 3, ptr(), 20, 4, 30, 10, -1))
        local = hex6(host6) + ":%04X" % rng.randrange(32768, 61000)
        remote = hex6(v6_bytes("global", rng)) + ":%04X" % 443
        return ("%4d: %s %s %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s" %
                (sl, local, remote, 0x06, 0, 0, 3, rng.randrange(0x100, 0x1800), 0, 0, 0, 0, 3, ptr()))

    header6 = ("  sl  local_address                         remote_address                        "
               "st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode")
    lines = [header6]
    for sl in range(n6):
        lines.append(socket_line_6(sl))
    tree.write("/proc/net/tcp6", "\n".join(lines) + "\n", 0o444)


# ---------------------------------------------------------------------------------------------
# packages


REAL_PACKAGES = [
    ("adduser", "3.134", "all", "admin", "important"), ("apt", "2.6.1", "amd64", "admin", "required"),
    ("base-files", "12.4+deb12u10", "amd64", "admin", "required"),
    ("bash", "5.2.15-2+b7", "amd64", "shells", "required"),
    ("coreutils", "9.1-1", "amd64", "utils", "required"), ("dpkg", "1.21.22", "amd64", "admin", "required"),
    ("openssl", "3.0.15-1~deb12u1", "amd64", "utils", "optional"),
    ("libssl3", "3.0.15-1~deb12u1", "amd64", "libs", "optional"),
    ("openssh-server", "1:9.2p1-2+deb12u5", "amd64", "net", "optional"),
    ("openssh-client", "1:9.2p1-2+deb12u5", "amd64", "net", "standard"),
    ("sudo", "1.9.13p3-1+deb12u1", "amd64", "admin", "optional"),
    ("tzdata", "2024b-0+deb12u1", "all", "localization", "required"),
    ("systemd", "252.33-1~deb12u1", "amd64", "admin", "important"),
    ("libc6", "2.36-9+deb12u9", "amd64", "libs", "optional"),
    ("docker.io", "20.10.24+dfsg1-1+b3", "amd64", "admin", "optional"),
    ("containerd", "1.6.20~ds1-1+b1", "amd64", "admin", "optional"),
    ("runc", "1.1.5+ds1-1+deb12u1", "amd64", "admin", "optional"),
    ("auditd", "1:3.0.9-1", "amd64", "admin", "optional"),
    ("cron", "3.0pl1-162", "amd64", "admin", "important"),
    ("telnetd", "0.17+2.4-2+deb12u1", "all", "oldlibs", "optional"),
]

PREFIXES = ["lib", "lib", "lib", "", "", "python3-", "node-", "golang-", "r-cran-", "ruby-",
            "fonts-", "gir1.2-", "libghc-", "perl-", "php-"]
STEMS = ["acorn", "bison", "cairo", "delta", "ember", "flux", "glade", "harfbuzz", "icu", "jansson",
         "kmod", "lzma", "mpfr", "nettle", "orc", "pango", "qhull", "rsvg", "sqlite", "tiff",
         "udev", "vorbis", "wayland", "xml", "yaml", "zstd", "brotli", "curl", "dbus", "expat",
         "ffi", "gmp", "hogweed", "idn", "jpeg", "krb", "ldap", "magic", "ncurses", "onig",
         "pcre", "quadmath", "readline", "seccomp", "tasn", "unistring", "vte", "wrap", "xxhash",
         "zip", "boost", "clang", "doxygen", "elfutils", "fontconfig", "gnutls", "hwloc", "isl",
         "json", "keyutils", "lua", "mariadb", "nghttp", "openblas", "postgresql", "qt", "rtmp",
         "sasl", "tcl", "uuid", "vulkan", "webp", "x11", "yajl", "zlib"]
SUFFIXES = ["", "", "-dev", "-utils", "-common", "-data", "-doc", "1", "2", "6", "-bin", "-tools",
            "0", "-runtime", "-plugins"]
MAINTAINERS = ["Debian QA Group <packages@qa.debian.org>",
               "Debian X Strike Force <debian-x@lists.debian.org>",
               "Debian Python Team <team+python@tracker.debian.org>",
               "Debian Javascript Maintainers <pkg-javascript-devel@alioth-lists.debian.net>",
               "Debian Go Packaging Team <team+pkg-go@tracker.debian.org>",
               "Debian R Packages Maintainers <r-pkg-team@alioth-lists.debian.net>",
               "Matthias Klose <doko@debian.org>", "GNOME Maintainers <pkg-gnome-maintainers@lists.alioth.debian.org>"]
WORDS = ("library for handling data in a portable and efficient way with bindings tools and "
         "documentation the package contains runtime files shared objects development headers "
         "command line utilities examples plugins for applications and services").split()


def gen_version(rng):
    v = "%d.%d" % (rng.randrange(0, 12), rng.randrange(0, 30))
    if rng.random() < 0.6:
        v += ".%d" % rng.randrange(0, 20)
    if rng.random() < 0.1:
        v += "+dfsg"
    if rng.random() < 0.08:
        v = "%d:%s" % (rng.randrange(1, 3), v)
    if rng.random() < 0.9:
        v += "-%d" % rng.randrange(1, 8)
        if rng.random() < 0.1:
            v += "+b%d" % rng.randrange(1, 4)
    return v


def newer(version, n):
    """A later Debian revision of the same upstream version, as a stable update makes it."""
    if "~deb12u" in version:
        head, _, tail = version.rpartition("~deb12u")
        return "%s~deb12u%d" % (head, int(tail) + n)
    if "+deb12u" in version:
        head, _, tail = version.rpartition("+deb12u")
        return "%s+deb12u%d" % (head, int(tail) + n)
    return "%s+deb12u%d" % (version, n)


def description(rng, name):
    short = " ".join(rng.sample(WORDS, 5))
    long_lines = [" " + " ".join(rng.sample(WORDS, 11)) for _ in range(rng.randrange(2, 6))]
    return short, long_lines


def gen_packages(tree, rng, scale, now):
    n_installed = 500 * scale
    pkgs = []
    names = set()
    for name, version, arch, section, prio in REAL_PACKAGES:
        pkgs.append(dict(name=name, version=version, arch=arch, section=section, priority=prio))
        names.add(name)
    i = 0
    while len(pkgs) < n_installed + n_installed // 2:
        i += 1
        name = rng.choice(PREFIXES) + rng.choice(STEMS) + rng.choice(SUFFIXES)
        if name in names:
            name = "%s%d" % (name, i)
        if name in names:
            continue
        names.add(name)
        pkgs.append(dict(name=name, version=gen_version(rng),
                         arch="all" if rng.random() < 0.2 else "amd64",
                         section=rng.choice(["libs", "devel", "utils", "net", "python", "admin",
                                             "javascript", "golang", "gnu-r", "fonts", "doc"]),
                         priority=rng.choice(["optional"] * 8 + ["standard", "important"])))
    installed, available_only = pkgs[:n_installed], pkgs[n_installed:]
    all_names = sorted(names)
    for p in pkgs:
        p["size"] = rng.randrange(8, 40000)
        p["maint"] = rng.choice(MAINTAINERS)
        p["desc"] = description(rng, p["name"])
        deps = rng.sample(all_names, rng.randrange(0, 5))
        p["depends"] = ", ".join(["libc6 (>= 2.34)"] + [f"{d} (>= {gen_version(rng)})"
                                                       if rng.random() < 0.3 else d for d in deps])
        p["source"] = p["name"].split("-")[0] if rng.random() < 0.3 else None
        p["multiarch"] = rng.choice([None, None, "same", "foreign"])
    # dpkg status, sorted by name as dpkg writes it
    stanzas = []
    for p in sorted(installed, key=lambda p: p["name"]):
        removed = p["name"] not in ("telnetd",) and rng.random() < 0.02
        p["installed"] = not removed
        s = [f"Package: {p['name']}",
             "Status: " + ("deinstall ok config-files" if removed else "install ok installed"),
             f"Priority: {p['priority']}", f"Section: {p['section']}",
             f"Installed-Size: {p['size']}", f"Maintainer: {p['maint']}",
             f"Architecture: {p['arch']}"]
        if p["multiarch"]:
            s.append(f"Multi-Arch: {p['multiarch']}")
        if p["source"]:
            s.append(f"Source: {p['source']}")
        s.append(f"Version: {p['version']}")
        s.append(f"Depends: {p['depends']}")
        if rng.random() < 0.15 or removed:
            s.append("Conffiles:")
            s.append(f" /etc/{p['name']}/{p['name']}.conf {sha256(p['name'])[:32]}")
        s.append(f"Description: {p['desc'][0]}")
        s.extend(p["desc"][1])
        s.append(f"Homepage: https://example.org/{p['name']}")
        stanzas.append("\n".join(s) + "\n")
    tree.write("/var/lib/dpkg/status", "\n".join(stanzas))

    # apt lists: every installed package in main (8 % at a newer point-release revision), half
    # as many uninstalled ones; newer versions of 4 % of the installed ones in security
    main, security = [], []
    for p in installed:
        r = rng.random()
        if r < 0.04:
            main.append((p, p["version"]))
            security.append((p, newer(p["version"], 1)))
        elif r < 0.12:
            main.append((p, newer(p["version"], 1)))
        else:
            main.append((p, p["version"]))
    for p in available_only:
        main.append((p, p["version"]))
        if rng.random() < 0.02:
            security.append((p, newer(p["version"], 1)))

    def packages_text(entries, pool):
        out = []
        for p, version in sorted(entries, key=lambda e: e[0]["name"]):
            src = p["source"] or p["name"]
            first = src[:4] if src.startswith("lib") else src[0]
            fname = f"{p['name']}_{version.split(':')[-1]}_{p['arch']}.deb"
            s = [f"Package: {p['name']}"]
            if p["source"]:
                s.append(f"Source: {p['source']}")
            s += [f"Version: {version}", f"Installed-Size: {p['size']}",
                  f"Maintainer: {p['maint']}", f"Architecture: {p['arch']}",
                  f"Depends: {p['depends']}", f"Description: {p['desc'][0]}"]
            if p["multiarch"]:
                s.append(f"Multi-Arch: {p['multiarch']}")
            s += [f"Homepage: https://example.org/{p['name']}",
                  f"Description-md5: {hashlib.md5(p['desc'][0].encode()).hexdigest()}",
                  f"Section: {p['section']}", f"Priority: {p['priority']}",
                  f"Filename: pool/{pool}/{first}/{src}/{fname}",
                  f"Size: {p['size'] * 300 + 1000}"]
            if pool == "main":
                s.append(f"MD5sum: {hashlib.md5(fname.encode()).hexdigest()}")
            s.append(f"SHA256: {sha256(fname)}")
            out.append("\n".join(s) + "\n")
        return "\n".join(out)

    lz4 = shutil.which("lz4")

    def compress(plain):
        if lz4:
            return subprocess.run([lz4, "-q", "-c", "-"], input=plain, stdout=subprocess.PIPE,
                                  check=True).stdout, ".lz4"
        return gzip.compress(plain, 9, mtime=0), ".gz"

    sig = "\n".join(sha256(f"signature{i}")[:64] for i in range(4))
    tree.mkdir("/var/lib/apt/lists", 0o755)
    tree.mkdir("/var/lib/apt/lists/partial", 0o700)
    tree.write("/var/lib/apt/lists/lock", "", 0o640)
    for uri, suite, codename, label, pool, entries, date, extra in (
            ("deb.debian.org_debian", "oldstable", "bookworm", "Debian", "main", main,
             now - dt.timedelta(days=30), ["Version: 12.12",
                                           "Changelogs: https://metadata.ftp-master.debian.org/changelogs/@CHANGEPATH@_changelog"]),
            ("deb.debian.org_debian-security", "oldstable-security", "bookworm-security",
             "Debian-Security", "updates/main", security, now, ["Version: 12"])):
        plain = packages_text(entries, pool).encode()
        data, ext = compress(plain)
        dist = f"{uri}_dists_{codename}"
        tree.write(f"/var/lib/apt/lists/{dist}_main_binary-amd64_Packages{ext}", data)
        fields = [f"Origin: Debian", f"Label: {label}", f"Suite: {suite}"] + extra[:1] + \
                 [f"Codename: {codename}"] + extra[1:] + [f"Date: {rfc2822(date)}"]
        if label == "Debian-Security":
            fields.append(f"Valid-Until: {rfc2822(date + dt.timedelta(days=7))}")
        fields += ["Acquire-By-Hash: yes", "Architectures: amd64 arm64 armhf i386 ppc64el",
                   "Components: " + ("updates/main" if label == "Debian-Security" else "main"),
                   f"Description: Debian 12 - {'Security Updates' if label == 'Debian-Security' else 'bookworm'}",
                   "SHA256:",
                   " %s %8d main/binary-amd64/Packages" % (sha256(plain), len(plain))]
        text = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + "\n".join(fields) +
                "\n-----BEGIN PGP SIGNATURE-----\n\n" + sig + "\n=AbCd\n-----END PGP SIGNATURE-----\n")
        tree.write(f"/var/lib/apt/lists/{dist}_InRelease", text)
    return installed


# ---------------------------------------------------------------------------------------------
# Docker


IMAGE_NAMES = ["nginx", "postgres", "redis", "registry.example.com/shop/api",
               "registry.example.com/shop/web", "grafana/grafana", "prom/prometheus",
               "traefik", "memcached", "rabbitmq", "gcr.io/distroless/static", "alpine"]


def gen_docker(tree, rng, scale, now):
    root = "/var/lib/docker"
    # daemon configuration, units and binary: the Debian docker.io package's, with a
    # realistic daemon.json (not the capture daemon's isolation settings)
    for rel in ("lib/systemd/system/docker.service", "lib/systemd/system/docker.socket",
                "etc/default/docker"):
        with open(os.path.join(DOCKER_FIXTURE, rel)) as f:
            tree.write("/" + rel, f.read())
    tree.write("/etc/docker/daemon.json", json.dumps({
        "icc": False, "log-level": "info", "live-restore": True, "userland-proxy": False,
        "log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"},
        "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}},
    }, indent=2) + "\n")
    tree.write("/usr/sbin/dockerd", "", 0o755)
    tree.write("/usr/bin/docker", "", 0o755)
    tree.write("/usr/sbin/runc", "", 0o755)
    tree.write("/usr/bin/containerd", "", 0o755)
    tree.mkdir(root, 0o710)
    tree.mkdir(root + "/containers", 0o710)
    for d in ("/image", "/image/overlay2", "/image/overlay2/imagedb", "/image/overlay2/imagedb/content",
              "/image/overlay2/imagedb/content/sha256", "/image/overlay2/layerdb",
              "/image/overlay2/layerdb/sha256"):
        tree.mkdir(root + d, 0o700)
    tree.mkdir(root + "/overlay2", 0o710)

    with open(os.path.join(DOCKER_FIXTURE, "var/lib/docker/image/overlay2/imagedb/content/sha256",
                           "d4b9f9529441d7ac5b9c5fce5cdead1a33adf536397027bf3bb6127e3674943c")) as f:
        image_template = json.load(f)

    # images: a base layer shared by many images (Debian and Alpine with a shell, distroless
    # without one) and for most an application layer on top
    bases = [("debian", True), ("alpine", True), ("distroless", False)]
    n_images = 5 * scale
    images = []
    repos = {}
    layers_done = set()
    for i in range(n_images):
        name = IMAGE_NAMES[i % len(IMAGE_NAMES)]
        created = now - dt.timedelta(days=rng.randrange(1, 900), seconds=rng.randrange(86400))
        user = rng.choice(["", "", "1000", "nobody", "app:app"])
        base, has_shell = bases[rng.randrange(len(bases))]
        diff_ids = ["sha256:" + sha256(f"base-layer-{base}")]
        if rng.random() < 0.85:
            diff_ids.append("sha256:" + sha256(f"app-layer-{i}"))
        n_layers = len(diff_ids)
        doc = copy.deepcopy(image_template)
        doc["comment"] = f"synthetic image {i} on {base}"
        doc["created"] = rfc3339(created, rng.randrange(10 ** 9))
        doc["config"]["User"] = user
        doc["config"]["Cmd"] = ["/bin/sh", "-c", f"exec /app/{name.split('/')[-1]}"] if has_shell \
            else [f"/app/{name.split('/')[-1]}"]
        doc["config"]["Env"] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        if rng.random() < 0.4:
            doc["config"]["Healthcheck"] = {"Test": ["CMD", "/app/healthcheck"], "Interval": 30000000000}
        if rng.random() < 0.6:
            doc["config"]["ExposedPorts"] = {f"{rng.choice([80, 8080, 5432, 6379])}/tcp": {}}
        doc["history"] = [{"created": doc["created"], "created_by": f"/bin/sh -c #(nop) layer {k}"}
                          for k in range(n_layers)]
        doc["rootfs"]["diff_ids"] = diff_ids
        blob = json.dumps(doc, separators=(",", ":"))
        image_id = sha256(blob)
        tree.write(f"{root}/image/overlay2/imagedb/content/sha256/{image_id}", blob, 0o600)
        # tags: most tagged with a version, some only :latest, a few dangling (none)
        r = rng.random()
        if r < 0.7:
            tags = [f"{name}:{rng.randrange(1, 20)}.{rng.randrange(0, 10)}.{i}"]
            if rng.random() < 0.3:
                tags.append(f"{name}:latest")
        elif r < 0.92:
            tags = [f"{name}:latest"]
        else:
            tags = []
        for t in tags:
            repos.setdefault(name, {})[t] = "sha256:" + image_id
        if tags:
            repos[name][f"{name}@sha256:{sha256('digest' + image_id)}"] = "sha256:" + image_id
        # the layer store: chain ids (the diff id for a base layer, else sha256 of "PARENT DIFF"),
        # cache ids naming the overlay2 directories, each layer stored once
        parent = ""
        for k, diff in enumerate(diff_ids):
            chain = diff if not parent else "sha256:" + sha256(parent + " " + diff)
            hexchain = chain.split(":")[1]
            if hexchain not in layers_done:
                layers_done.add(hexchain)
                cache_id = sha256(f"cache-{hexchain}")
                d = f"{root}/image/overlay2/layerdb/sha256/{hexchain}"
                tree.mkdir(d, 0o700)
                tree.write(d + "/diff", diff, 0o600)
                tree.write(d + "/cache-id", cache_id, 0o600)
                tree.write(d + "/size", str(rng.randrange(10 ** 5, 10 ** 8)), 0o600)
                if parent:
                    tree.write(d + "/parent", parent, 0o600)
                diffdir = f"{root}/overlay2/{cache_id}/diff"
                tree.mkdir(f"{root}/overlay2/{cache_id}", 0o710)
                tree.mkdir(diffdir, 0o755)
                if k == 0:
                    tree.mkdir(diffdir + "/etc", 0o755)
                    tree.write(diffdir + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                               "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n")
                    if has_shell:
                        tree.mkdir(diffdir + "/bin", 0o755)
                        if base == "alpine":
                            tree.write(diffdir + "/bin/busybox", "placeholder: busybox\n", 0o755)
                            tree.symlink("busybox", diffdir + "/bin/sh")
                        else:
                            tree.write(diffdir + "/bin/bash", "placeholder: bash\n", 0o755)
                            tree.write(diffdir + "/bin/dash", "placeholder: dash\n", 0o755)
                            tree.symlink("dash", diffdir + "/bin/sh")
                else:
                    tree.mkdir(diffdir + "/app", 0o755)
                    tree.write(diffdir + f"/app/{name.split('/')[-1]}", "placeholder binary\n", 0o755)
            parent = chain
        images.append(dict(id=image_id, name=(tags[0] if tags else "sha256:" + image_id),
                           doc=doc, has_shell=has_shell))
    tree.write(f"{root}/image/overlay2/repositories.json",
               json.dumps({"Repositories": repos}, separators=(",", ":")), 0o600)

    # containers: the fixture's two real records as templates, settings mixed per container
    cdir = os.path.join(DOCKER_FIXTURE, "var/lib/docker/containers")
    templates = {}
    for kind, cid in (("weak", WEAK_CONTAINER), ("hardened", HARDENED_CONTAINER)):
        with open(os.path.join(cdir, cid, "config.v2.json")) as f:
            cfg = json.load(f)
        with open(os.path.join(cdir, cid, "hostconfig.json")) as f:
            hc = json.load(f)
        templates[kind] = (cfg, hc)

    n_containers = 20 * scale
    used_names = set()
    for i in range(n_containers):
        cid = sha256(f"container-{i}")
        image = images[rng.randrange(len(images))]
        weak = rng.random() < 0.35
        cfg, hc = copy.deepcopy(templates["weak" if weak else "hardened"])
        base_name = image["name"].split("/")[-1].split(":")[0].split("@")[0][:20] or "app"
        cname = f"{base_name}-{i}"
        used_names.add(cname)
        created = now - dt.timedelta(days=rng.randrange(0, 120), seconds=rng.randrange(86400))
        started = created + dt.timedelta(seconds=rng.randrange(1, 3600))
        running = rng.random() < 0.9
        cfg["ID"] = cid
        cfg["Name"] = "/" + cname
        cfg["Created"] = rfc3339(created, rng.randrange(10 ** 9))
        cfg["Image"] = "sha256:" + image["id"]
        cfg["Config"]["Image"] = image["name"]
        cfg["Config"]["Hostname"] = cid[:12] if not weak or rng.random() < 0.5 else "vm"
        cfg["Config"]["Cmd"] = image["doc"]["config"]["Cmd"]
        cfg["Path"] = cfg["Config"]["Cmd"][0]
        cfg["Args"] = cfg["Config"]["Cmd"][1:]
        cfg["Config"]["Env"] = image["doc"]["config"]["Env"] + [f"INSTANCE={i}"]
        cfg["Config"]["Labels"] = {"com.example.team": rng.choice(["shop", "data", "infra"])}
        st = cfg["State"]
        st["Running"] = running
        st["Pid"] = 20000 + i * 7 if running else 0
        st["StartedAt"] = rfc3339(started, rng.randrange(10 ** 9))
        if not running:
            st["ExitCode"] = rng.choice([0, 137, 1])
            st["FinishedAt"] = rfc3339(started + dt.timedelta(hours=rng.randrange(1, 48)), 0)
        for key in ("LogPath", "HostnamePath", "HostsPath", "ResolvConfPath"):
            old = cfg[key]
            cfg[key] = old.replace(WEAK_CONTAINER, cid).replace(HARDENED_CONTAINER, cid)
        net = cfg["NetworkSettings"]
        net["SandboxID"] = sha256(f"sandbox-{i}")
        # health check: from the container's own --health-cmd, the image's, or none
        if not weak and rng.random() < 0.8:
            cfg["Config"]["Healthcheck"] = {"Test": ["CMD-SHELL", "true"], "Interval": 30000000000}
        else:
            cfg["Config"].pop("Healthcheck", None)
        health = cfg["Config"].get("Healthcheck") or image["doc"]["config"].get("Healthcheck")
        st["Health"] = ({"Status": "healthy", "FailingStreak": 0, "Log": []}
                        if health and running else None)
        # user
        cfg["Config"]["User"] = rng.choice(["1000:1000", "app", "65534"]) if not weak else ""
        # networking: host, none or the default bridge with published ports
        mode = "host" if weak and rng.random() < 0.4 else rng.choice(["bridge", "bridge", "none"])
        hc["NetworkMode"] = "default" if mode == "bridge" else mode
        ports, bindings = {}, {}
        if mode == "bridge":
            exposed = rng.choice([80, 8080, 5432, 6379, 443])
            host_ip = rng.choice(["", "", "127.0.0.1"]) if not weak else ""
            host_port = rng.choice([exposed, 8000 + i % 1000, 80])
            bindings = {f"{exposed}/tcp": [{"HostIp": host_ip, "HostPort": str(host_port)}]}
            ports = {f"{exposed}/tcp": [{"HostIp": host_ip or "0.0.0.0", "HostPort": str(host_port)}]}
            ip = "172.17.%d.%d" % ((i + 2) // 250, (i + 2) % 250 + 2)
            net["Networks"] = {"bridge": {
                "IPAMConfig": None, "Links": None, "Aliases": None,
                "NetworkID": sha256("bridge-net"), "EndpointID": sha256(f"endpoint-{i}"),
                "Gateway": "172.17.0.1", "IPAddress": ip, "IPPrefixLen": 16, "IPv6Gateway": "",
                "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
                "MacAddress": "02:42:ac:11:%02x:%02x" % ((i + 2) // 250, (i + 2) % 250 + 2),
                "DriverOpts": None, "IPAMOperational": False}}
            net["Bridge"] = ""
            net["SandboxKey"] = f"/var/run/docker/netns/{net['SandboxID'][:12]}"
            cfg["Config"]["ExposedPorts"] = {f"{exposed}/tcp": {}}
        else:
            template_net = "host" if mode == "host" else "none"
            nid = sha256(f"{template_net}-net")
            net["Networks"] = {template_net: {
                "IPAMConfig": None, "Links": None, "Aliases": None, "NetworkID": nid,
                "EndpointID": sha256(f"endpoint-{i}"), "Gateway": "", "IPAddress": "",
                "IPPrefixLen": 0, "IPv6Gateway": "", "GlobalIPv6Address": "",
                "GlobalIPv6PrefixLen": 0, "MacAddress": "", "DriverOpts": None,
                "IPAMOperational": False}}
            net["SandboxKey"] = ("/var/run/docker/netns/default" if mode == "host"
                                 else f"/var/run/docker/netns/{net['SandboxID'][:12]}")
        net["Ports"] = ports if running else {}
        hc["PortBindings"] = bindings
        # runtime security settings
        if weak:
            hc["Privileged"] = rng.random() < 0.3
            hc["SecurityOpt"] = ["label=disable"] if hc["Privileged"] else \
                rng.choice([None, ["seccomp=unconfined"], ["apparmor=unconfined"]])
            hc["CapAdd"] = rng.choice([None, ["CAP_SYS_ADMIN"], ["CAP_NET_ADMIN", "CAP_NET_RAW"]])
            hc["CapDrop"] = None
            hc["PidMode"] = "host" if rng.random() < 0.3 else ""
            hc["IpcMode"] = "host" if rng.random() < 0.2 else "private"
            hc["UTSMode"] = "host" if rng.random() < 0.1 else ""
            hc["ReadonlyRootfs"] = False
            hc["Memory"] = 0
            hc["MemorySwap"] = 0
            hc["PidsLimit"] = None
            hc["CpuShares"] = 0
            hc["RestartPolicy"] = rng.choice([{"Name": "no", "MaximumRetryCount": 0},
                                              {"Name": "always", "MaximumRetryCount": 0}])
            binds = []
            mps = {}
            for src, dst, rw in rng.sample([("/var/run/docker.sock", "/var/run/docker.sock", True),
                                             ("/etc", "/host-etc", False),
                                             ("/srv/data", "/data", True),
                                             ("/", "/host", False)], rng.randrange(0, 3)):
                binds.append(f"{src}:{dst}" + ("" if rw else ":ro"))
                spec = {"Type": "bind", "Source": src, "Target": dst}
                if not rw:
                    spec["ReadOnly"] = True
                mp = {"Source": src, "Destination": dst, "RW": rw, "Name": "", "Driver": "",
                      "Type": "bind", "Propagation": "rprivate", "Spec": spec,
                      "SkipMountpointCreation": False}
                if not rw:
                    mp["Relabel"] = "ro"
                mps[dst] = mp
            hc["Binds"] = binds or None
            cfg["MountPoints"] = mps
            cfg["NoNewPrivileges"] = False
            cfg["AppArmorProfile"] = "unconfined" if hc["Privileged"] else "docker-default"
        else:
            hc["Privileged"] = False
            hc["CapAdd"] = rng.choice([None, None, ["CAP_NET_BIND_SERVICE"]])
            hc["CapDrop"] = ["ALL"]
            hc["SecurityOpt"] = ["no-new-privileges"]
            hc["ReadonlyRootfs"] = rng.random() < 0.85
            hc["Memory"] = rng.choice([64, 128, 256, 512, 1024]) * 1024 * 1024
            hc["MemorySwap"] = hc["Memory"] * 2
            hc["PidsLimit"] = rng.choice([64, 100, 256])
            hc["CpuShares"] = rng.choice([256, 512, 1024])
            hc["RestartPolicy"] = {"Name": "on-failure", "MaximumRetryCount": rng.choice([3, 5])}
            if rng.random() < 0.3:
                vol = sha256(f"volume-{i}")
                hc["Binds"] = None
                cfg["MountPoints"] = {"/data": {
                    "Source": "", "Destination": "/data", "RW": True, "Name": vol,
                    "Driver": "local", "Type": "volume", "Relabel": "z", "ID": sha256(f"mp-{i}"),
                    "Spec": {"Type": "volume", "Source": vol, "Target": "/data"},
                    "SkipMountpointCreation": False}}
            cfg["NoNewPrivileges"] = True
            cfg["AppArmorProfile"] = "docker-default"
        d = f"{root}/containers/{cid}"
        tree.mkdir(d, 0o710)
        tree.write(d + "/config.v2.json", json.dumps(cfg, separators=(",", ":")), 0o600)
        tree.write(d + "/hostconfig.json", json.dumps(hc, separators=(",", ":")), 0o644)
    return n_containers, n_images


# ---------------------------------------------------------------------------------------------
# filler under /etc


FILLER_KEYS = ["enabled", "listen", "port", "timeout", "max_connections", "log_level", "cache_dir",
               "user", "group", "retries", "interval", "pid_file", "socket", "workers", "tls"]


def count_etc(root):
    n = 0
    for _dirpath, dirnames, filenames in os.walk(os.path.join(root, "etc")):
        n += len(filenames)
        n += sum(1 for d in dirnames if os.path.islink(os.path.join(_dirpath, d)))
    return n


def gen_filler(tree, rng, target, installed):
    have = count_etc(tree.root)
    need = target - have
    if need < 0:
        sys.exit(f"gen_host.py: the generated configs already hold {have} files under etc, "
                 f"more than the {target} asked for")
    pkgs = [p["name"] for p in installed if p["name"] not in ("telnetd",)]
    k = 0
    while k < need:
        pkg = pkgs[k % len(pkgs)]
        round_ = k // len(pkgs)
        path = (f"/etc/{pkg}/{pkg}.conf" if round_ == 0 else f"/etc/{pkg}/conf.d/{round_:03d}-local.conf")
        lines = [f"# {pkg} configuration", f"[{pkg}]"]
        for key in rng.sample(FILLER_KEYS, rng.randrange(3, 9)):
            lines.append(f"{key} = {rng.choice(['yes', 'no', '127.0.0.1', '30', '/var/lib/' + pkg, 'info', '4'])}")
        tree.write(path, "\n".join(lines) + "\n")
        k += 1
    return have


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description="Generate a synthetic Debian 12 host root for benchmarks.")
    ap.add_argument("outdir")
    ap.add_argument("--scale", type=int, default=1, help="multiplier (1: 20 containers, 500 "
                    "sockets, 500 packages, 200 files under /etc)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--date", default="now", help="the security suite's Release Date, "
                    "RFC 2822 ('Sat, 28 Nov 2026 22:35:49 UTC') or 'now' (the default)")
    ap.add_argument("--force", action="store_true", help="delete OUTDIR first")
    args = ap.parse_args()
    if args.scale < 1:
        ap.error("--scale must be at least 1")
    if args.date == "now":
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    else:
        now = dt.datetime.strptime(args.date, "%a, %d %b %Y %H:%M:%S UTC").replace(tzinfo=dt.timezone.utc)
    out = os.path.abspath(args.outdir)
    if os.path.exists(out):
        if args.force:
            shutil.rmtree(out)
        elif os.listdir(out):
            sys.exit(f"gen_host.py: {out} is not empty (--force deletes it)")
    os.umask(0o022)
    # the base: the hardened fixture, with its modes and owners
    shutil.copytree(BASE, out, symlinks=True, dirs_exist_ok=True)
    for placeholder in ("tmp/.placeholder", "var/tmp/.placeholder"):
        p = os.path.join(out, placeholder)
        if os.path.exists(p):
            os.unlink(p)
    # the base's packages area is replaced whole
    shutil.rmtree(os.path.join(out, "var/lib/apt/lists"))
    tree = Tree(out)
    apply_attrs(tree, os.path.join(FIXTURES, "hardened.attrs"))
    rng = random.Random(args.seed)
    day = int(now.timestamp() // 86400)

    people = gen_accounts(tree, random.Random(rng.getrandbits(64)), args.scale, day)
    gen_configs(tree, random.Random(rng.getrandbits(64)), args.scale)
    gen_sockets(tree, random.Random(rng.getrandbits(64)), args.scale)
    installed = gen_packages(tree, random.Random(rng.getrandbits(64)), args.scale, now)
    n_containers, n_images = gen_docker(tree, random.Random(rng.getrandbits(64)), args.scale, now)
    configs = gen_filler(tree, random.Random(rng.getrandbits(64)), 200 * args.scale, installed)
    for d in ("/tmp", "/var/tmp"):
        tree.mkdir(d, 0o1777)
        os.chmod(tree.path(d), 0o1777)
    print(f"{out}: scale {args.scale}: {n_containers} containers, {n_images} images, "
          f"{500 * args.scale} tcp/tcp6 sockets, {500 * args.scale} packages, "
          f"{count_etc(out)} files under etc ({configs} configs), {len(people)} accounts")


if __name__ == "__main__":
    main()
