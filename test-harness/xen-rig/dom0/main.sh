#!/bin/bash
# The rig's runner inside dom0 (started by xnb-rig.service from the image, from the 9p share).
# Runs each scenario named in rig/config under a timeout, destroys its guests afterwards,
# collects guest consoles and Xen logs, and writes out/results.tsv:
#   scenario <TAB> pass|fail <TAB> seconds <TAB> key=value;key=value <TAB> reason
# Markers on the console (serial log) let the host follow progress:
#   XNB-RIG RUNNER-STARTED, XNB-RIG SCENARIO-BEGIN name, XNB-RIG SCENARIO-END name status,
#   XNB-RIG RUNNER-DONE
set -u
export SHARE=/mnt/share
export RIG=$SHARE/rig
OUT=$SHARE/out
export rig_t0
rig_t0=$(cut -d' ' -f1 /proc/uptime)
source "$RIG/dom0/lib.sh"
source "$RIG/config"      # SCENARIOS, SCENARIO_TIMEOUT

echo "XNB-RIG RUNNER-STARTED dom0-uptime=$rig_t0 kernel=$KVER"
log "scenarios: $SCENARIOS (timeout ${SCENARIO_TIMEOUT} s each)"

# Xen's toolstack must answer before any scenario.
deadline=$((SECONDS + 120))
until xl list > /dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    echo "XNB-RIG TOOLSTACK-DOWN"
    log "xl list does not answer after 120 s (xenstored/xen.service down?)"
    systemctl --no-pager status xen.service xenstored.service xenconsoled.service > "$OUT/xen-services.txt" 2>&1
    journalctl -b --no-pager > "$OUT/journal.txt" 2>&1
    exit 1
  fi
  sleep 1
done
xl info > "$OUT/xl-info.txt" 2>&1
log "toolstack up: Xen $(awk -F': ' '/^xen_version/ { print $2 }' "$OUT/xl-info.txt"), dom0 $(nproc) vCPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"
# Measured TCP connections start from scratch: no ssthresh cached from an earlier one.
sysctl -q -w net.ipv4.tcp_no_metrics_save=1
mkdir -p /var/lib/xnb-rig "$CONSOLE_DIR"
cp "$SHARE/guest/initrd" "$GUEST_INITRD"
# The jar's own start-up is checked by the scenarios that run it (a JVM start costs 20-50 s under TCG).
[[ -n $XNB_JAR ]] && log "xnb jar: $XNB_JAR ($(stat -c %s "$XNB_JAR") bytes)"

: > "$OUT/results.tsv"
for s in $SCENARIOS; do
  export SOUT=$OUT/scenarios/$s
  mkdir -p "$SOUT"
  echo "XNB-RIG SCENARIO-BEGIN $s"
  t0=$SECONDS rc=0
  # The scenario runs in its own session (setsid, so its pid is its process group) with its
  # output in its log, followed live onto the console by tail. Whatever it started in the
  # background (iperf3, later xnb itself) is killed with its group when it ends or times out.
  timeout --kill-after=10 "$SCENARIO_TIMEOUT" setsid bash -c \
    'echo $$ > "$SOUT/.pgid"; source "$RIG/dom0/lib.sh"; set -euo pipefail; source "$RIG/scenarios/$1.sh"' _ "$s" \
    > "$SOUT/log" 2>&1 < /dev/null &
  spid=$!
  tail --pid="$spid" -s 0.5 -n +1 -F "$SOUT/log" 2>/dev/null &
  tpid=$!
  rc=0; wait "$spid" || rc=$?
  wait "$tpid"
  if [[ -s $SOUT/.pgid ]]; then
    pg=$(cat "$SOUT/.pgid")
    if kill -TERM -- "-$pg" 2>/dev/null; then
      log "stopped processes the scenario left behind"
      sleep 1; kill -KILL -- "-$pg" 2>/dev/null
    fi
    rm -f "$SOUT/.pgid"
  fi
  secs=$((SECONDS - t0))
  if ((rc == 0)); then status=pass; else status=fail; fi
  if ((rc == 124 || rc == 137)); then echo "timed out after ${SCENARIO_TIMEOUT} s" > "$SOUT/reason"; fi
  if [[ $status == fail && ! -s $SOUT/reason ]]; then echo "exit status $rc (see log)" > "$SOUT/reason"; fi
  if [[ $status == fail ]]; then
    # The state the failure left, before the cleanup changes it.
    { timeout 20 xl list; echo; timeout 30 xenstore-ls -fp; } > "$SOUT/state-at-failure.txt" 2>&1
  fi
  guests_destroy_all
  # Scenario teardown hook: scenarios/NAME.teardown.sh runs even if the scenario failed.
  [[ -f $RIG/scenarios/$s.teardown.sh ]] && timeout 120 bash "$RIG/scenarios/$s.teardown.sh" >> "$SOUT/log" 2>&1
  for f in "$CONSOLE_DIR"/guest-*.log; do [[ -f $f ]] && mv "$f" "$SOUT/"; done
  figs=$( [[ -f $SOUT/figures ]] && paste -sd';' "$SOUT/figures")
  reason=$( [[ $status == fail ]] && head -n1 "$SOUT/reason")
  printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$status" "$secs" "$figs" "$reason" >> "$OUT/results.tsv"
  echo "XNB-RIG SCENARIO-END $s $status ${secs}s"
done

log "collecting logs"
mkdir -p "$OUT/xen-logs"
cp -r /var/log/xen/. "$OUT/xen-logs/" 2>/dev/null
timeout 30 xl dmesg > "$OUT/xl-dmesg.txt" 2>&1
dmesg > "$OUT/dmesg.txt" 2>&1
timeout 60 journalctl -b --no-pager > "$OUT/journal.txt" 2>&1
sync
echo "XNB-RIG RUNNER-DONE"
