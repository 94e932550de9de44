# Scenario `kernel`: the reference. Linux's own xen-netback serves a PV guest on bridge
# xenbr0; the figures here are what xnb's scenarios are compared with (all emulated, so
# only comparable with each other, on the same machine).
#   dom0 xenbr0 198.18.1.254/24  <->  vif (kernel netback)  <->  guest eth0 198.18.1.2/24
# Sourced by dom0/main.sh with lib.sh loaded and `set -euo pipefail`.
DOM0_IP=198.18.1.254 GUEST_IP=198.18.1.2 GUEST=xnb-kernel
IPERF_SECONDS=${IPERF_SECONDS:-5}

# An earlier run of xnb scenarios in this boot may have kept netback away.
xnb_host_undo
modprobe xen-netback || scenario_fail "modprobe xen-netback"
if ! ip link show xenbr0 > /dev/null 2>&1; then
  ip link add xenbr0 type bridge
  ip link set xenbr0 type bridge forward_delay 0 stp_state 0
fi
ip addr replace "$DOM0_IP/24" dev xenbr0
ip link set xenbr0 up

t0=$SECONDS
guest_create "$GUEST" "xnb.ip=$GUEST_IP/24 xnb.peer=$DOM0_IP xnb.wait=90" \
  "vif=['bridge=xenbr0,mac=00:16:3e:00:01:02']"
figure xl_create_s $((SECONDS - t0))
domid=$(xl domid "$GUEST")
log "guest $GUEST is domain $domid; backend: $(xenstore-ls "/local/domain/0/backend/vif/$domid/0" 2>/dev/null | tr '\n' ' ' | cut -c1-300)"

guest_wait "$GUEST" 'XNB-GUEST PEER-UP' 150
figure guest_net_up_s $((SECONDS - t0))
guest_wait "$GUEST" 'XNB-GUEST READY' 60
g2d=$(guest_report "$GUEST" PING)
log "guest -> dom0 ping: $g2d"
figure ping_g2d_ms "$(echo "$g2d" | sed -n 's/^rtt=\([^ ]*\).*/\1/p')"

d2g=$(ping_rtt "$GUEST_IP" 10)
figure ping_d2g_ms "$d2g"

# iperf3 from dom0 to the guest's server: -R makes the guest send (guest -> dom0).
iperf_measure iperf_g2d "$IPERF_SECONDS" -c "$GUEST_IP" -R
iperf_measure iperf_d2g "$IPERF_SECONDS" -c "$GUEST_IP"

# xnb-rate's limit on the kernel's netback, for the side-by-side table: the node written live
# (Linux's xen_net_rate_changed applies it at once), as libxl writes it for rate=10Mb/s.
xenstore-write "/local/domain/0/backend/vif/$domid/0/rate" 62500,50000
guest_rate_priority "$GUEST"
nstat_mark
IPERF_WARMUP_SECONDS=${RATE_WARMUP_SECONDS:-6} iperf_measure rate_g2d "${RATE_SECONDS:-8}" -c "$GUEST_IP" -R
nstat_since rate_g2d
iperf_udp_measure rate_udp_g2d "${RATE_SECONDS:-8}" -c "$GUEST_IP" -R
figure rate_g2d_mbps "$(jq -r '.end.sum_received.bits_per_second / 1e6' "$SOUT/iperf-rate_g2d.json" | xargs printf '%.2f')"

log "vif counters: $(ip -s link show "vif$domid.0" | tr -s ' \n' ' ')"
