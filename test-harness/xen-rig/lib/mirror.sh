# Finds the Debian mirror this machine's apt uses for the main archive (not -security,
# not -updates), so the rig never hard-codes a host name. Reads deb822 *.sources files and
# one-line sources.list entries. Prints the URI, or nothing. RIG_APT_ETC replaces /etc/apt
# (for the self-test).
rig_debian_mirror() {
  local f etc=${RIG_APT_ETC:-/etc/apt}
  for f in "$etc"/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    awk '
      function flush() {
        if (uris != "" && types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ && enabled != "no") {
          split(uris, u, " "); print u[1]; found = 1; exit
        }
        uris = ""; types = ""; suites = ""; enabled = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^#/ { next }
      tolower($1) == "uris:"    { $1 = ""; uris = $0; sub(/^ +/, "", uris) }
      tolower($1) == "types:"   { $1 = ""; types = $0 }
      tolower($1) == "suites:"  { $1 = ""; suites = $0 }
      tolower($1) == "enabled:" { enabled = tolower($2) }
      END { if (!found) flush() }
    ' "$f" | head -n1 | grep . && return 0
  done
  for f in "$etc"/sources.list "$etc"/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    # deb [options] URI SUITE COMPONENTS...
    sed -E 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' | grep . && return 0
  done
  return 1
}
