// The `accounts` probe kind: one property of the local accounts, from the root's own
// /etc/passwd, /etc/group and /etc/shadow (never NSS). `check:` names the property:
//
//   uid0_only_root, no_empty_passwords, system_accounts_nologin, no_duplicate_uids,
//   no_duplicate_gids, no_duplicate_user_names, no_duplicate_group_names, groups_exist,
//   shadowed_passwords, password_max_days (max: N), password_warn_age (min: N),
//   inactive (max: N)
//
// Each offending account (or shared id or name) is one failing object, with the file and line.
// /etc/passwd and /etc/group are parsed by the engine's parsers (facts key "accounts.lines") from
// the text the engine's Accounts read too (account_file, facts keys "file:/etc/passwd" and
// "file:/etc/group"); /etc/shadow through parse_shadow (facts key "shadow"). A file the check
// needs that is missing or unreadable is an error. Evidence never contains a password field or
// any part of one: shadow's parser keeps only its class (empty, hash, locked ...).
// Parameters: see profiles/README.md.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_accounts_probe(const Params& params);

}  // namespace hb
