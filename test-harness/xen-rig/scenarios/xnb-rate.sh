# Scenario `xnb-rate`: the vif's `rate=` (libxl writes the backend's `rate` node as
# "bytes,microseconds"); xnb's Tx credit must hold the guest's transmit to it.
# Measured from the guest to dom0 (-R from dom0's client): iperf3 TCP, then iperf3 UDP offered
# above the limit, then TCP with the limit removed live. Verdict:
#  - the limit holds: TCP and UDP at most 10.5 Mbit/s, and the unlimited path above that;
#  - TCP arrives at 9.5 Mbit/s or more (the issue's band); when the `kernel` scenario ran in
#    this boot and Linux's netback itself stayed under 9.5 at the same limit (its ceiling is
#    9.6: it rounds the 50 ms window up to 13 jiffies), at least 95 % of the kernel's TCP.
# UDP is reported beside the kernel's, not judged: under TCG the guest may not offer more.
DOM0_IP=198.18.6.254 GUEST_IP=198.18.6.2 GUEST=xnb-rate MAC=00:16:3e:00:06:02
RATE_SECONDS=${RATE_SECONDS:-8}

xnb_host_setup
bridge_up xenbr0 "$DOM0_IP/24"
xnb_start
guest_create "$GUEST" "xnb.ip=$GUEST_IP/24 xnb.peer=$DOM0_IP xnb.wait=90" \
  "vif=['bridge=xenbr0,mac=$MAC,rate=10Mb/s${XNB_VIF_EXTRA:-}']"
d=$(xl domid "$GUEST")
log "backend rate node: $(xs_value "/local/domain/0/backend/vif/$d/0/rate")"
figure rate_node "$(xs_value "/local/domain/0/backend/vif/$d/0/rate")"
guest_wait "$GUEST" 'XNB-GUEST READY' 150
guest_rate_priority "$GUEST"
java_xnb --timeout 120 dlstat > "$SOUT/dlstat-before.txt" 2>&1 || log "dlstat failed (see dlstat-before.txt)"

# TCP first (it also warms the data path up), then the UDP verdict.
nstat_mark
IPERF_WARMUP_SECONDS=${RATE_WARMUP_SECONDS:-6} iperf_measure rate_g2d "$RATE_SECONDS" -c "$GUEST_IP" -R
nstat_since rate_g2d
jq -r '.intervals[].sum | "\(.start) \(.bits_per_second / 1e6)"' "$SOUT/iperf-rate_g2d.json" > "$SOUT/rate_g2d-intervals.txt" || true
figure rate_g2d_mbps "$(jq -r '.end.sum_received.bits_per_second / 1e6' "$SOUT/iperf-rate_g2d.json" | xargs printf '%.2f')"
# Where dom0's and the guest's CPU goes while the limit is measured (for the post-mortem).
watchers=()
( sleep 3; top -b -H -d 2 -n 3 -w 200 -p "$XNB_PID" > "$SOUT/top-xnb-threads.txt" 2>&1 ) & watchers+=($!)
( sleep 3; xentop -b -d 2 -i 3 > "$SOUT/xentop.txt" 2>&1 ) & watchers+=($!)
iperf_udp_measure rate_udp_g2d "$RATE_SECONDS" -c "$GUEST_IP" -R
wait "${watchers[@]}" || true
java_xnb --timeout 120 dlstat > "$SOUT/dlstat-after.txt" 2>&1 || log "dlstat failed (see dlstat-after.txt)"
mbps=$(sed -n 's/^rate_udp_g2d_mbps=//p' "$SOUT/figures")

# The same path unlimited, in this boot: the rate node removed live (xnb applies it at once).
xenstore-rm "/local/domain/0/backend/vif/$d/0/rate"
iperf_measure rate_free 4 -c "$GUEST_IP" -R
free=$(jq -r '.end.sum_received.bits_per_second / 1e6' "$SOUT/iperf-rate_free.json")
figure unlimited_g2d_mbps "$(printf '%.2f' "$free")"
xnb_stop # before the verdict: its closing lines (the vif's and the link's accounting) go to xnb.log
tcp=$(sed -n 's/^rate_g2d_mbps=//p' "$SOUT/figures")
kernel_tcp=$(sed -n 's/^rate_g2d_mbps=//p' "$SHARE/out/scenarios/kernel/figures" 2>/dev/null)
kernel_udp=$(sed -n 's/^rate_udp_g2d_mbps=//p' "$SHARE/out/scenarios/kernel/figures" 2>/dev/null)
floor=$(awk -v k="${kernel_tcp:-}" 'BEGIN { f = 9.5; if (k != "" && k < 9.5) f = 0.95 * k; printf "%.2f", f }')
figure rate_tcp_floor_mbps "$floor"
why="TCP $tcp, UDP $mbps, unlimited TCP $(printf '%.2f' "$free") Mbit/s; the kernel's netback at the same limit in this boot: TCP ${kernel_tcp:-not measured}, UDP ${kernel_udp:-not measured}"
awk -v m="$mbps" -v t="$tcp" 'BEGIN { exit !(m <= 10.5 && t <= 10.5) }' \
  || scenario_fail "the limit did not hold: $why (want at most 10.5)"
awk -v f="$free" 'BEGIN { exit !(f > 10.5) }' \
  || scenario_fail "the unlimited path itself moved no more than the limit, so nothing was shown: $why"
awk -v t="$tcp" -v f="$floor" 'BEGIN { exit !(t >= f) }' \
  || scenario_fail "TCP at rate=10Mb/s arrived at $tcp Mbit/s, want at least $floor (9.5, or 95 % of the kernel's when it stayed under 9.5): $why; per-second figures in rate_g2d-intervals.txt, lane counters in dlstat-*.txt, xnb's accounting at the end of xnb.log"
log "rate held: $why"
