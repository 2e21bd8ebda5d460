# The Debian package: `cpack -G DEB` in a build tree (after building it) writes
# hostbench_VERSION-1_ARCH.deb. Included from the top CMakeLists.txt after the install rules of
# the binary (/usr/bin) and the profiles (/usr/share/hostbench/profiles).
# tests/integration/package_test.sh builds the package and checks it with dpkg-deb and lintian.
#
# Layout (what `dpkg-deb -c` shows):
#   /usr/bin/hostbench                                  stripped (CPACK_STRIP_FILES)
#   /usr/share/hostbench/profiles/*.yaml
#   /etc/hostbench/config.yaml                          a conffile (debian/conffiles)
#   /lib/systemd/system/hostbench.{service,timer}       not enabled on install
#   /usr/share/man/man1/hostbench.1.gz
#   /usr/share/doc/hostbench/{copyright,changelog.Debian.gz,README.md.gz,profiles.md.gz}
#   /usr/share/doc/hostbench/examples/{waivers.yaml,hostbench.cron}
#   /usr/share/hostbench/ansible/{scan.yml,ansible.cfg,inventory.example.yml,roles/hostbench/...}
#
# /etc and /lib/systemd/system are absolute destinations: they are where Debian wants them
# whatever the prefix (CPack's DEB prefix is /usr), so `cmake --install` puts them there too.

# cpack first builds the `preinstall` target, which by default is `all`: the unit tests too, so
# a test that does not compile (or the minutes of building them) would stand between a built
# binary and its package. Without that dependency cpack packages what is built, and says which
# file is missing when the binary is not (build it first: `cmake --build BUILD`). The same goes
# for `make install`, which then installs without building first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(_hb_pkg_src ${CMAKE_CURRENT_LIST_DIR})
set(_hb_pkg_bin ${CMAKE_BINARY_DIR}/packaging)

# --- Files beside the binary and the profiles ------------------------------------------------
# A stripped install (cpack's CPACK_STRIP_FILES, `cmake --install --strip`) strips the binary;
# this also drops the sections dh_strip drops (.comment: compiler versions; .note), which plain
# `strip` keeps. Runs after the binary's install rule, which the top CMakeLists.txt declares first.
if(CMAKE_STRIP)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment --remove-section=.note
        \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/hostbench\"
        RESULT_VARIABLE rc)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR \"strip hostbench: \${rc}\")
      endif()
    endif()")
endif()

install(FILES ${_hb_pkg_src}/config.yaml DESTINATION /etc/hostbench
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${_hb_pkg_src}/systemd/hostbench.service ${_hb_pkg_src}/systemd/hostbench.timer
  DESTINATION /lib/systemd/system
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${_hb_pkg_src}/waivers.yaml ${_hb_pkg_src}/hostbench.cron
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${_hb_pkg_src}/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR}
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# The Ansible playbook and role (README.md, "Fleets with Ansible"). The controller needs hostbench
# for `hostbench merge` anyway; with the package it has the playbook too:
#   ansible-playbook -i inventory.yml /usr/share/hostbench/ansible/scan.yml
install(DIRECTORY ${_hb_pkg_src}/ansible/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hostbench/ansible
  FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
  DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE
  FILES_MATCHING PATTERN "*.yml" PATTERN "*.j2" PATTERN "ansible.cfg"
  PATTERN "results" EXCLUDE)

# The manual page, the Debian changelog and the documentation (README.md, and the profile format
# for operators who write their own profiles: profiles/README.md as profiles.md), compressed as
# Debian wants them (gzip -9, no name or time stamp in the header: reproducible). Compressed at
# install time, into the build tree, so that building the project needs no gzip step.
find_program(HOSTBENCH_GZIP gzip)
if(HOSTBENCH_GZIP)
  install(CODE "
    file(MAKE_DIRECTORY \"${_hb_pkg_bin}\")
    foreach(pair \"${_hb_pkg_src}/hostbench.1;hostbench.1.gz\"
                 \"${_hb_pkg_src}/debian/changelog;changelog.Debian.gz\"
                 \"${CMAKE_SOURCE_DIR}/README.md;README.md.gz\"
                 \"${CMAKE_SOURCE_DIR}/profiles/README.md;profiles.md.gz\")
      list(GET pair 0 in)
      list(GET pair 1 out)
      execute_process(COMMAND \"${HOSTBENCH_GZIP}\" -9 -n -c \"\${in}\"
        OUTPUT_FILE \"${_hb_pkg_bin}/\${out}\" RESULT_VARIABLE rc)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR \"gzip \${in}: \${rc}\")
      endif()
    endforeach()")
  install(FILES ${_hb_pkg_bin}/hostbench.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  install(FILES ${_hb_pkg_bin}/changelog.Debian.gz ${_hb_pkg_bin}/README.md.gz
    ${_hb_pkg_bin}/profiles.md.gz DESTINATION ${CMAKE_INSTALL_DOCDIR}
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
else()
  message(WARNING "gzip not found: the manual page, changelog and documentation are not installed")
endif()

# --- CPack: one .deb ---------------------------------------------------------------------------
set(HOSTBENCH_MAINTAINER "hostbench maintainers <hostbench@example.org>" CACHE STRING
  "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
# `make package_source` (not used for the .deb): leave out build trees and git's files.
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build[^/]*/" "/out/" "/Testing/" "/_CPack_Packages/")
set(CPACK_PACKAGE_NAME hostbench)
set(CPACK_PACKAGE_VENDOR "The hostbench authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${HOSTBENCH_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Absolute destinations (/etc, /lib) are expected here, not a mistake to warn about.
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # hostbench_0.1.0-1_amd64.deb
# The Debian revision: bump it (with a debian/changelog entry) for a package-only change. A
# non-native version is what changelog.Debian.gz goes with.
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${HOSTBENCH_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from dpkg-shlibdeps on the binary (yaml-cpp, Boost, pugixml, lz4, zlib, xz, zstd,
# libstdc++, libc): needs dpkg-dev at packaging time.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${_hb_pkg_src}/debian/conffiles;${_hb_pkg_src}/debian/postinst;${_hb_pkg_src}/debian/prerm;${_hb_pkg_src}/debian/postrm")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "host hardening scanner for CIS-style benchmarks")
# The long description; CPack puts the summary above it, indents it and turns empty lines into " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "hostbench audits a Linux host against hardening benchmarks: the CIS Debian
Linux 12 Benchmark for the host (file modes, sshd, sysctls, accounts, PAM,
mounts, services, listening sockets, kernel modules, pending updates), the
CIS Docker Benchmark for the Docker daemon, its containers and images, and
good practice for Dockerfiles. The checks are YAML profiles of typed rules.

One binary reads the host through its files and kernel interfaces and
changes nothing. A check that cannot observe ends in error, never in a
silent pass. Mounted images can be scanned offline. Reports: console, JSON,
self-contained HTML, XCCDF 1.2 (accepted by OpenSCAP), JUnit XML and
Prometheus metrics, with waivers, scan history and drift between scans.

The package ships an annotated /etc/hostbench/config.yaml and a systemd
service and timer for a daily scan (not enabled by default).")

include(CPack)
