# Scenario `xnb-rate`: the vif's `rate=` (libxl writes the backend's `rate` node as
# "bytes,microseconds"); xnb's Tx credit must hold the guest's transmit to it. iperf3 from the
# guest to dom0 (-R from dom0's client) must land within 9.5-10.5 Mbit/s.
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
java_xnb --timeout 120 dlstat > "$SOUT/dlstat-before.txt" 2>&1 || log "dlstat failed (see dlstat-before.txt)"
iperf_measure rate_g2d "$RATE_SECONDS" -c "$GUEST_IP" -R
java_xnb --timeout 120 dlstat > "$SOUT/dlstat-after.txt" 2>&1 || log "dlstat failed (see dlstat-after.txt)"
jq -r '.intervals[].sum | "\(.start) \(.bits_per_second / 1e6)"' "$SOUT/iperf-rate_g2d.json" > "$SOUT/rate_g2d-intervals.txt" || true
mbps=$(jq -r '.end.sum_received.bits_per_second / 1e6' "$SOUT/iperf-rate_g2d.json")
figure rate_g2d_mbps "$(printf '%.2f' "$mbps")"
# The same path unlimited, in this boot: the rate node removed live (xnb applies it at once).
xenstore-rm "/local/domain/0/backend/vif/$d/0/rate"
iperf_measure rate_free 4 -c "$GUEST_IP" -R
free=$(jq -r '.end.sum_received.bits_per_second / 1e6' "$SOUT/iperf-rate_free.json")
figure unlimited_g2d_mbps "$(printf '%.2f' "$free")"
if ! awk -v m="$mbps" 'BEGIN { exit !(m >= 9.5 && m <= 10.5) }'; then
  scenario_fail "guest->dom0 at rate=10Mb/s measured $(printf '%.2f' "$mbps") Mbit/s, want 9.5-10.5 (unlimited in this boot: $(printf '%.2f' "$free") Mbit/s; per-second figures in rate_g2d-intervals.txt, lane counters in dlstat-*.txt)"
fi
xnb_stop
