# Helpers for scenario scripts running in dom0 (sourced by dom0/main.sh before each scenario).
# A scenario is scenarios/NAME.sh: it exits 0 for pass, non-zero for fail, records figures
# with `figure KEY VALUE` and says why it failed with `scenario_fail REASON`. Every wait here
# has a deadline. Guests are destroyed by the runner after each scenario, pass or fail.
#
# Provided to scenarios:
#   RIG        /mnt/share/rig (scripts, config)     SHARE  /mnt/share
#   SOUT       this scenario's output directory (in the share, collected by the host)
#   KVER       the running kernel version (also the guest kernel)
#   GUEST_KERNEL, GUEST_INITRD   what `guest_create` boots
#   XNB_JAR    /mnt/share/xnb.jar when the host copied one (empty otherwise)

SHARE=${SHARE:-/mnt/share}
RIG=${RIG:-$SHARE/rig}
KVER=$(uname -r)
GUEST_KERNEL=/boot/vmlinuz-$KVER
GUEST_INITRD=/var/lib/xnb-rig/guest.initrd
XNB_JAR=; [[ -f $SHARE/xnb.jar ]] && XNB_JAR=$SHARE/xnb.jar
CONSOLE_DIR=/var/log/xen/console

rig_t0=${rig_t0:-$(cut -d' ' -f1 /proc/uptime)}
log() { printf '[%7.1f] %s\n' "$(awk -v a="$rig_t0" '{ print $1 - a }' /proc/uptime)" "$*"; }

# figure KEY VALUE: one measured figure of this scenario, reported in the results table.
figure() { printf '%s=%s\n' "$1" "$2" >> "$SOUT/figures"; log "figure $1=$2"; }

# scenario_fail REASON: records why and ends the scenario as failed.
scenario_fail() { printf '%s\n' "$*" > "$SOUT/reason"; log "FAIL: $*"; exit 1; }

# wait_until SECONDS DESCRIPTION CMD...: polls CMD every 0.5 s until it succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" > /dev/null 2>&1; do
    ((SECONDS < deadline)) || scenario_fail "timed out after ${limit} s waiting for: $what"
    sleep 0.5
  done
}

# guest_create NAME EXTRA_CMDLINE [XL_CONFIG_LINE...]: starts a PV guest running the rig's
# initramfs; extra lines (e.g. vif=[...]) go into its xl config. Fails the scenario on error.
guest_create() {
  local name=$1 extra=$2; shift 2
  local cfg=$SOUT/$name.cfg
  {
    echo "name=\"$name\""
    echo 'type="pv"'
    echo "kernel=\"$GUEST_KERNEL\""
    echo "ramdisk=\"$GUEST_INITRD\""
    echo "extra=\"console=hvc0 $extra\""
    echo 'memory=256'
    echo 'vcpus=1'
    echo 'on_crash="preserve"'
    local line; for line in "$@"; do echo "$line"; done
  } > "$cfg"
  local t0=$SECONDS rc=0
  timeout 120 xl -v create "$cfg" > "$SOUT/xl-create-$name.log" 2>&1 || rc=$?
  log "xl create $name: exit $rc after $((SECONDS - t0)) s"
  ((rc == 0)) || scenario_fail "xl create $name failed (exit $rc); see xl-create-$name.log"
}

# guest_console NAME: path of the guest's console log written by xenconsoled.
guest_console() { echo "$CONSOLE_DIR/guest-$1.log"; }

# guest_wait NAME REGEX SECONDS: waits for a console line matching REGEX; a "XNB-GUEST FAIL"
# line or the guest vanishing ends the wait at once.
guest_wait() {
  local name=$1 regex=$2 limit=$3 con
  con=$(guest_console "$name")
  local deadline=$((SECONDS + limit))
  while :; do
    cp "$con" "$SOUT/" 2>/dev/null   # a live copy in the share, for whoever watches the run
    grep -aqE "$regex" "$con" 2>/dev/null && return 0
    if grep -aq 'XNB-GUEST FAIL' "$con" 2>/dev/null; then
      scenario_fail "guest $name: $(grep -a 'XNB-GUEST FAIL' "$con" | head -n1 | sed 's/.*XNB-GUEST FAIL //' | tr -d '\r')"
    fi
    xl domid "$name" > /dev/null 2>&1 || scenario_fail "guest $name is gone while waiting for /$regex/"
    ((SECONDS < deadline)) || scenario_fail "guest $name: no /$regex/ on its console within ${limit} s"
    sleep 0.5
  done
}

# guest_report NAME KEY: the rest of the last "XNB-GUEST KEY ..." console line.
guest_report() {
  grep -a "XNB-GUEST $2 " "$(guest_console "$1")" | tail -n1 | sed "s/.*XNB-GUEST $2 //" | tr -d '\r'
}

# guests_destroy_all: destroys every domain except dom0 (bounded).
guests_destroy_all() {
  local d
  for d in $(xl list 2>/dev/null | awk 'NR > 1 && $2 != 0 { print $1 }'); do
    timeout 60 xl destroy "$d" || log "xl destroy $d failed"
  done
}

# cpu_busy_ticks: dom0's busy CPU time over all its vCPUs (user+nice+system+irq+softirq),
# in clock ticks; steal (time Xen gave to others) and idle are left out.
cpu_busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

# ping_rtt HOST COUNT: prints min/avg/max in ms from iputils ping, fails the scenario if none.
ping_rtt() {
  local out rtt
  out=$(timeout 60 ping -n -c "$2" -i 0.2 -W 2 "$1" 2>&1)
  echo "$out" >> "$SOUT/ping-$1.log"
  rtt=$(echo "$out" | sed -n 's#^rtt min/avg/max/mdev = \([0-9.]*/[0-9.]*/[0-9.]*\)/.*#\1#p')
  [[ -n $rtt ]] || scenario_fail "ping $1 from dom0: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
  echo "$rtt"
}

# iperf_measure LABEL SECONDS IPERF3_ARGS...: runs one iperf3 client run from dom0 and
# records LABEL_gbps (receiver's figure) and LABEL_cpu_s_per_gb (dom0 busy CPU seconds per
# 10^9 bytes received). A short unmeasured run goes first: under TCG the first pass through
# the network code is translated on the fly and a cold run starts at a few Mbit/s, which
# made cold figures vary 10-25x from run to run.
iperf_measure() {
  local label=$1 secs=$2; shift 2
  local json=$SOUT/iperf-$label.json c0 c1 rc=0
  timeout 60 iperf3 -t "${IPERF_WARMUP_SECONDS:-2}" "$@" > "$SOUT/iperf-$label-warmup.txt" 2>&1 \
    || log "iperf3 $label warm-up failed (see iperf-$label-warmup.txt); measuring anyway"
  c0=$(cpu_busy_ticks)
  timeout $((secs + 60)) iperf3 -J -t "$secs" "$@" > "$json" 2> "$SOUT/iperf-$label.err" || rc=$?
  c1=$(cpu_busy_ticks)
  if ((rc != 0)); then
    scenario_fail "iperf3 $label (iperf3 $*): exit $rc: $(jq -r '.error // empty' "$json" 2>/dev/null) $(tail -n1 "$SOUT/iperf-$label.err")"
  fi
  local bps bytes
  bps=$(jq -r '.end.sum_received.bits_per_second' "$json")
  bytes=$(jq -r '.end.sum_received.bytes' "$json")
  [[ $bytes =~ ^[0-9.e+]+$ ]] && awk -v b="$bytes" 'BEGIN { exit !(b > 0) }' \
    || scenario_fail "iperf3 $label moved no bytes (see iperf-$label.json)"
  figure "${label}_gbps" "$(awk -v v="$bps" 'BEGIN { printf "%.3f", v / 1e9 }')"
  figure "${label}_cpu_s_per_gb" "$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v b="$bytes" \
    'BEGIN { printf "%.2f", (t / hz) / (b / 1e9) }')"
}
