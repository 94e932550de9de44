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
    echo "vcpus=${GUEST_VCPUS:-1}"   # GUEST_VCPUS=2: a multi-queue netfront
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

# nstat_mark LABEL: dom0's TCP/IP counters since the previous mark (nstat keeps its own history),
# into $SOUT/nstat-LABEL.txt: retransmissions, checksum errors, drops seen by dom0's stack.
nstat_mark() { nstat -n > /dev/null 2>&1 || true; }
nstat_since() { nstat -s 2>/dev/null | grep -Ev ' 0 +0\.0$' > "$SOUT/nstat-$1.txt" || true; }

# iperf_udp_measure LABEL SECS ARGS...: iperf3 UDP offered at RATE_UDP_OFFER (15M) for SECS
# after a 1 s omit; figure LABEL_mbps = what arrived. A rate limiter's accuracy without TCP's
# congestion control in the loop (under TCG that measured the rig: spurious RTOs, slow start).
iperf_udp_measure() {
  local label=$1 secs=$2; shift 2
  local json=$SOUT/iperf-$label.json rc=0 mbps
  timeout $((secs + 60)) iperf3 -J -u -b "${RATE_UDP_OFFER:-15M}" -O 1 -t "$secs" "$@" > "$json" 2> "$SOUT/iperf-$label.err" || rc=$?
  ((rc == 0)) || scenario_fail "iperf3 $label (iperf3 -u $*): exit $rc: $(jq -r '.error // empty' "$json" 2>/dev/null) $(tail -n1 "$SOUT/iperf-$label.err")"
  jq -r '.intervals[].sum | "\(.start) \(.bits_per_second / 1e6)"' "$json" > "$SOUT/$label-intervals.txt" || true
  mbps=$(jq -r '(.end.sum_received // .end.sum).bits_per_second / 1e6' "$json")
  [[ $mbps =~ ^[0-9.e+-]+$ ]] || scenario_fail "iperf3 $label: no received rate in iperf-$label.json"
  figure "${label}_mbps" "$(printf '%.2f' "$mbps")"
}

# guest_rate_priority NAME: before a rate measurement, the guest's vCPU (the sender) outweighs
# dom0's (Xen weight 1024 against 256), so the emulated host's two pCPUs go to the guest when
# both want them. Otherwise dom0's load (a JVM's JIT under TCG, iperf3, the backend) took time
# slices from the guest and the sender, not the limit, set the figure: the kernel's own netback
# measured 7.5-9.9 Mbit/s per second at its 9.6 Mbit/s limit that way. Same for both backends.
guest_rate_priority() {
  local sched
  sched=$(xl info | sed -n 's/^xen_scheduler *: *//p')
  case $sched in
    credit2) xl sched-credit2 -d "$1" -w 1024 ;;
    credit) xl sched-credit -d "$1" -w 1024 ;;
    *) log "guest_rate_priority: scheduler '$sched' has no weights; left as it is"; return 0 ;;
  esac
  log "guest $1: $sched weight 1024 (dom0 256) for the rate measurement"
}

# guest_wait NAME REGEX SECONDS [COUNT]: waits for COUNT (default 1) console lines matching
# REGEX; a "XNB-GUEST FAIL" line or the guest vanishing ends the wait at once.
guest_wait() {
  local name=$1 regex=$2 limit=$3 count=${4:-1} con n
  con=$(guest_console "$name")
  local deadline=$((SECONDS + limit))
  while :; do
    cp "$con" "$SOUT/" 2>/dev/null   # a live copy in the share, for whoever watches the run
    n=$(grep -acE "$regex" "$con" 2>/dev/null) || true
    ((${n:-0} >= count)) && return 0
    if grep -aq 'XNB-GUEST FAIL' "$con" 2>/dev/null; then
      scenario_fail "guest $name: $(grep -a 'XNB-GUEST FAIL' "$con" | head -n1 | sed 's/.*XNB-GUEST FAIL //' | tr -d '\r')"
    fi
    xl domid "$name" > /dev/null 2>&1 || scenario_fail "guest $name is gone while waiting for /$regex/"
    ((SECONDS < deadline)) || scenario_fail "guest $name: $( ((count > 1)) && echo "only ${n:-0} of $count lines" || echo no) /$regex/ on its console within ${limit} s"
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

# xnb_host_setup: turns this boot's dom0 into a host where xnb is the only vif backend, the
# operator's steps of docs/real-xen.md:
#  - Linux's xen-netback kept away: udev would load it for the first backend/vif node
#    (modalias xen-backend:vif) and it would race xnb for the device. `install ... /bin/false`
#    beats a blacklist, which does not stop explicit loads. Unloaded if the kernel scenario
#    left it loaded (its guests are gone by now).
#  - libxl's vif hotplug script: libxl runs vif-bridge after the backend reaches InitWait, and
#    vif-bridge fails (set -e) on `ip link set dev vifD.N down` because xnb makes no vifD.N
#    device (its guests join the link's switch; the link's one TAP is on the bridge). So
#    /etc/xen/scripts/vif-xnb (a no-op that logs) becomes xl's default vif script in xl.conf.
xnb_host_setup() {
  echo 'install xen_netback /bin/false' > /etc/modprobe.d/xnb-no-kernel-netback.conf
  if lsmod | grep -q '^xen_netback '; then
    rmmod xen_netback 2>/dev/null || scenario_fail "rmmod xen_netback: still in use ($(lsmod | grep '^xen_netback '))"
  fi
  if modprobe xen-netback 2>/dev/null; then scenario_fail "modprobe xen-netback still works after the modprobe.d install line"; fi
  install -m 0755 "$RIG/dom0/vif-xnb" /etc/xen/scripts/vif-xnb
  sed -i '/^vif.default.script=/d' /etc/xen/xl.conf
  echo 'vif.default.script="vif-xnb"' >> /etc/xen/xl.conf
  log "xnb host setup: kernel netback kept away (not loaded), xl.conf vif.default.script=vif-xnb"
}

# xnb_host_undo: back to the kernel backend (for the kernel scenario, whatever ran before).
xnb_host_undo() {
  rm -f /etc/modprobe.d/xnb-no-kernel-netback.conf
  [[ -f /etc/xen/xl.conf ]] && sed -i '/^vif.default.script=/d' /etc/xen/xl.conf
  return 0
}

# xs_value PATH: the node's value, or empty when it does not exist.
xs_value() { xenstore-read "$1" 2>/dev/null || true; }

# xs_wait PATH REGEX SECONDS WHAT: waits until the node's value matches ^REGEX$.
xs_wait() {
  local path=$1 regex=$2 limit=$3 what=$4 deadline=$((SECONDS + $3)) v
  while :; do
    v=$(xs_value "$path")
    [[ $v =~ ^($regex)$ ]] && return 0
    ((SECONDS < deadline)) || scenario_fail "timed out after ${limit} s waiting for $what ($path is '${v:-<none>}', want /$regex/)"
    sleep 0.2
  done
}

# vif_nodes_write DOMID DEVID MAC: writes a vif's xenstore nodes by hand, as libxl does
# (permissions included; the frontend's state last), for a backend in dom0.
vif_nodes_write() {
  local d=$1 n=$2 mac=$3
  local be=/local/domain/0/backend/vif/$d/$n fe=/local/domain/$d/device/vif/$n
  xenstore-write "$be/frontend" "$fe" "$be/frontend-id" "$d" "$be/online" 1 "$be/state" 1 \
    "$be/handle" "$n" "$be/mac" "$mac" "$be/type" vif
  xenstore-chmod -r "$be" n0 "r$d"
  xenstore-write "$fe/backend" "$be" "$fe/backend-id" 0 "$fe/handle" "$n" "$fe/mac" "$mac"
  xenstore-chmod "/local/domain/$d/device/vif" n0 "r$d"
  xenstore-chmod -r "$fe" "n$d" r0
  xenstore-write "$fe/state" 1
}

# java_xnb [--timeout SECONDS] ARGS...: xnb.jar from the share, as bin/xnb runs it
# (XNB_JAVA_OPTS added in front), under `timeout` when asked (a function cannot be run by it).
java_xnb() {
  local limit=0
  if [[ $1 == --timeout ]]; then limit=$2; shift 2; fi
  [[ -n $XNB_JAR ]] || scenario_fail "no xnb.jar in the share (build it: mvn -B -DskipTests package -pl tools -am)"
  # No timeout wrapper without a limit: timeout makes its own process group, and the daemon
  # must stay in the scenario's, which the runner kills when the scenario ends.
  local pre=(); ((limit > 0)) && pre=(timeout --kill-after=10 "$limit")
  # shellcheck disable=SC2086
  "${pre[@]}" java ${XNB_JAVA_OPTS:-} --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.nio=ALL-UNNAMED -XX:+UseParallelGC -Xss1m -jar "$XNB_JAR" "$@"
}

# ---- xnb's daemon -------------------------------------------------------------------------
# xnb_start [ARGS...]: starts `xnb daemon ARGS` in the background (in the scenario's process
# group, so the runner stops it if the scenario does not), its output in $SOUT/xnb.log, and
# waits (XNB_START_TIMEOUT, 240 s: a JVM start under TCG) for its ready file.
xnb_start() {
  XNB_LOG=$SOUT/xnb.log
  local t0=$SECONDS limit=${XNB_START_TIMEOUT:-240} ready=/run/xnb-rig.ready
  rm -f "$ready"
  log "starting xnb daemon $*"
  # C1 only (XNB_DAEMON_JAVA_OPTS overrides): under TCG, C2's compiles of the data path kept a
  # dom0 vCPU busy for minutes and the path ran slow meanwhile (rate test: unlimited 20-150
  # Mbit/s with C2 against 207 with C1 in the same rig). On hardware C2 compiles in
  # milliseconds: operators keep the JVM's default.
  XNB_JAVA_OPTS="${XNB_DAEMON_JAVA_OPTS--XX:TieredStopAtLevel=1} ${XNB_JAVA_OPTS:-}" \
    java_xnb daemon --ready-file "$ready" "$@" >> "$XNB_LOG" 2>&1 &
  XNB_JOB=$!   # the subshell; the JVM's own pid comes in the ready file
  while [[ ! -s $ready ]]; do
    kill -0 "$XNB_JOB" 2>/dev/null || scenario_fail "xnb daemon exited during start-up: $(tail -n 3 "$XNB_LOG" | tr '\n' ' ') (see xnb.log)"
    ((SECONDS - t0 < limit)) || scenario_fail "xnb daemon not ready after ${limit} s (no ready file; see xnb.log)"
    sleep 0.5
  done
  XNB_PID=$(head -n1 "$ready")
  [[ -d /proc/$XNB_PID ]] || scenario_fail "xnb ready file names pid '$XNB_PID', which is not running"
  figure xnb_start_s $((SECONDS - t0))
}

# xnb_stop: SIGTERM and wait (60 s) for the daemon to exit; fails if it does not or exits badly.
xnb_stop() {
  [[ -n ${XNB_PID:-} ]] || return 0
  local rc=0 deadline=$((SECONDS + 60))
  kill -TERM "$XNB_PID" 2>/dev/null || true
  while kill -0 "$XNB_PID" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -QUIT "$XNB_PID" 2>/dev/null; sleep 2   # a thread dump into xnb.log for the post-mortem
      kill -KILL "$XNB_PID" 2>/dev/null
      scenario_fail "xnb daemon did not exit within 60 s of SIGTERM (thread dump in xnb.log)"
    fi
    sleep 0.2
  done
  wait "$XNB_JOB" || rc=$?
  XNB_PID= XNB_JOB=
  log "xnb daemon exited with status $rc"
  # 143 = killed by the TERM itself (no handler): acceptable; anything else is a crash.
  ((rc == 0 || rc == 143)) || scenario_fail "xnb daemon exited with status $rc after SIGTERM (see xnb.log)"
}

# xnb_cli ARGS...: one `xnb ARGS` command (attach, detach), output appended to $SOUT/xnb-cli.log.
xnb_cli() {
  local rc=0 t0=$SECONDS
  echo "\$ xnb $*" >> "$SOUT/xnb-cli.log"
  # C1 only: a short-lived command under TCG spends more time in C2 than it saves.
  XNB_JAVA_OPTS="-XX:TieredStopAtLevel=1 ${XNB_JAVA_OPTS:-}" java_xnb --timeout 180 "$@" >> "$SOUT/xnb-cli.log" 2>&1 || rc=$?
  log "xnb $*: exit $rc after $((SECONDS - t0)) s"
  return $rc
}

# gntdev_maps PID: regions of /dev/xen/gntdev mapped into the process (one per grant mapping).
gntdev_maps() { local n; n=$(grep -c 'gntdev' "/proc/$1/maps" 2>/dev/null) || true; echo "${n:-0}"; }

# user_evtchn_ports: event channels bound through /dev/xen/evtchn by dom0 processes other
# than xenstored and xenconsoled (Linux names each "evtchn:<thread name>" in /proc/interrupts).
user_evtchn_ports() {
  local n; n=$(grep 'evtchn:' /proc/interrupts | grep -cvE 'xenstored|xenconsoled') || true; echo "${n:-0}"
}

# bridge_up NAME IP/PREFIX: a Linux bridge in dom0 with an address (as vif-bridge expects).
bridge_up() {
  if ! ip link show "$1" > /dev/null 2>&1; then
    ip link add "$1" type bridge
    ip link set "$1" type bridge forward_delay 0 stp_state 0
  fi
  ip addr replace "$2" dev "$1"
  ip link set "$1" up
}

# guest_ping_figures NAME GUEST_IP: ping RTTs both ways (the guest's own report, then dom0's).
guest_ping_figures() {
  local g2d
  g2d=$(guest_report "$1" PING)
  log "guest -> dom0 ping: $g2d"
  figure ping_g2d_ms "$(echo "$g2d" | sed -n 's/^rtt=\([^ ]*\).*/\1/p')"
  figure ping_d2g_ms "$(ping_rtt "$2" 10)"
}

# xnb_holds_nothing [EVTCHN_BASELINE]: true when the daemon maps no grant and dom0 has no more
# user event channels than the baseline (for wait_until, which re-runs it).
xnb_holds_nothing() {
  (( $(gntdev_maps "$XNB_PID") == 0 )) && (( $(user_evtchn_ports) <= ${1:-0} ))
}

# xnb_wait_released WHAT EVTCHN_BASELINE: waits (20 s) for xnb_holds_nothing, and says what is held.
xnb_wait_released() {
  local deadline=$((SECONDS + 20))
  until xnb_holds_nothing "$2"; do
    if ((SECONDS >= deadline)); then
      grep 'evtchn:' /proc/interrupts > "$SOUT/interrupts-at-leak.txt" 2>&1
      scenario_fail "after $1: xnb still maps $(gntdev_maps "$XNB_PID") grant regions, dom0 has $(user_evtchn_ports) user event channels (baseline $2; see interrupts-at-leak.txt)"
    fi
    sleep 0.5
  done
  log "after $1: no grant mapped by xnb, user event channels back to $2"
}

# xs_state_trace DOMID DEVID: logs (background, until the scenario ends) every change of the
# vif's backend and frontend state nodes, with the wall time (as in xnb.log), into $SOUT/states-DOMID.DEVID.log:
# where the handshake's seconds go.
xs_state_trace() {
  local be=/local/domain/0/backend/vif/$1/$2 fe=/local/domain/$1/device/vif/$2 last= now
  (
    while :; do
      now="backend=$(xenstore-read "$be/state" 2>/dev/null || echo -) frontend=$(xenstore-read "$fe/state" 2>/dev/null || echo -)"
      [[ $now != "$last" ]] && printf '%s %s\n' "$(date +%H:%M:%S.%3N)" "$now" >> "$SOUT/states-$1.$2.log"
      last=$now
      sleep 0.5
    done
  ) &
}
