# Shared by the integration scripts: counting checks, and fixture roots made at test time.
passed=0 failed=0
ok()   { passed=$((passed + 1)); }
bad()  { failed=$((failed + 1)); echo "FAILED: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }

# A fixture copied to a fresh root, with the modes and owners of its .attrs file applied.
make_fixture() {
  local name=$1 dest=$2
  mkdir -p "$dest"
  cp -a "$src/tests/fixtures/$name/." "$dest/"
  local attrs="$src/tests/fixtures/$name.attrs"
  [ -f "$attrs" ] && while read -r mode owner group path; do
    case "$mode" in ''|'#'*) continue ;; esac
    # Owner first: chown clears the setuid and setgid bits that the mode may set.
    if [ "$(id -u)" -eq 0 ]; then chown -h "$owner:$group" "$dest$path"; fi
    chmod "$mode" "$dest$path"
  done < "$attrs"
  # Dates that must be current (tests/fixtures/README.md, "The .touch file").
  local touch="$src/tests/fixtures/$name.touch" now week
  [ -f "$touch" ] || return 0
  now=$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')
  week=$(LC_ALL=C date -u -d '+7 days' '+%a, %d %b %Y %H:%M:%S UTC')
  grep -v '^#' "$touch" | while read -r path; do
    [ -n "$path" ] && sed -i -e "0,/^Date: /s/^Date: .*/Date: $now/" \
      -e "0,/^Valid-Until: /s/^Valid-Until: .*/Valid-Until: $week/" "$dest$path"
  done
}

# The exit code a JSON result implies for a given --fail-on severity.
expected_rc() {
  jq -r --arg f "${2:-info}" '
    def rank: {"info":0,"low":1,"medium":2,"high":3,"critical":4}[.];
    if any(.results[]; .status == "fail" and ((.severity|rank) >= ($f|rank))) then 1
    elif any(.results[]; .status == "error") then 3 else 0 end' "$1"
}
