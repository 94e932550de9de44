# Scenario `xnb-multiqueue`: a guest with vcpus=2 whose Linux netfront asks for two queues
# (it takes min(its CPUs, the backend's multi-queue-max-queues)); xnb's daemon offers 2.
# Checked: the frontend wrote multi-queue-num-queues=2 and a queue-N/ key set per queue, the
# daemon made a lane per queue (dlstat: vifD.0 index 0 and 1), and iperf3 with 4 TCP streams
# each way moves packets through both lanes. Figures: throughput with -P 4 both ways and each
# lane's share of the packets.
DOM0_IP=198.18.8.254 GUEST_IP=198.18.8.2 GUEST=xnb-multiqueue MAC=00:16:3e:00:08:02
MQ_IPERF_SECONDS=${MQ_IPERF_SECONDS:-6}

xnb_host_setup
bridge_up xenbr0 "$DOM0_IP/24"
evt0=$(user_evtchn_ports)
xnb_start --max-queues 2
GUEST_VCPUS=2 guest_create "$GUEST" "xnb.ip=$GUEST_IP/24 xnb.peer=$DOM0_IP xnb.wait=90" \
  "vif=['bridge=xenbr0,mac=$MAC${XNB_VIF_EXTRA:-}']"
domid=$(xl domid "$GUEST")
be=/local/domain/0/backend/vif/$domid/0 fe=/local/domain/$domid/device/vif/0
guest_wait "$GUEST" 'XNB-GUEST READY' 150
xenstore-ls -fp "$fe" > "$SOUT/frontend-nodes.txt" 2>&1 || true
xenstore-ls -fp "$be" > "$SOUT/backend-nodes.txt" 2>&1 || true
figure backend_max_queues "$(xs_value "$be/multi-queue-max-queues")"
queues=$(xs_value "$fe/multi-queue-num-queues")
figure frontend_queues "${queues:-none}"
[[ $queues == 2 ]] || scenario_fail "the guest's netfront asked for '${queues:-no}' queues, want 2 (backend offers $(xs_value "$be/multi-queue-max-queues"); see frontend-nodes.txt)"
for q in 0 1; do
  [[ -n $(xs_value "$fe/queue-$q/tx-ring-ref") && -n $(xs_value "$fe/queue-$q/rx-ring-ref") ]] \
    || scenario_fail "no ring refs under $fe/queue-$q (see frontend-nodes.txt)"
done

# Several flows each way: the guest's netfront picks a Tx queue per flow, xnb's hash an Rx queue.
IPERF_WARMUP_SECONDS=${XNB_IPERF_WARMUP_SECONDS:-10} iperf_measure mq_g2d "$MQ_IPERF_SECONDS" -c "$GUEST_IP" -R -P 4
IPERF_WARMUP_SECONDS=4 iperf_measure mq_d2g "$MQ_IPERF_SECONDS" -c "$GUEST_IP" -P 4
java_xnb --timeout 300 dlstat -p > "$SOUT/dlstat.txt" 2>&1 || scenario_fail "dlstat failed (see dlstat.txt)"
# LINK:INDEX:IPKTS:RBYTES:OPKTS:OBYTES:...: packets each way per lane of this vif
lanes=$(awk -F: -v l="vif$domid.0" '$1 == l { n++ } END { print n + 0 }' "$SOUT/dlstat.txt")
((lanes == 2)) || scenario_fail "dlstat shows $lanes lanes for vif$domid.0, want 2 (see dlstat.txt)"
total=0
for q in 0 1; do
  p=$(awk -F: -v l="vif$domid.0" -v q="$q" '$1 == l && $2 == q { print $3 + $5 }' "$SOUT/dlstat.txt")
  figure "lane${q}_packets" "${p:-0}"
  total=$((total + ${p:-0}))
  ((${p:-0} > 1000)) || scenario_fail "lane $q of vif$domid.0 moved ${p:-0} packets: the traffic was not spread (see dlstat.txt)"
done
figure lane_packets_total "$total"

timeout 60 xl destroy "$GUEST" || scenario_fail "xl destroy $GUEST failed or took over 60 s"
xnb_wait_released "xl destroy of a two-queue guest" "$evt0"
xnb_stop
# the vif's own closing account, per queue (for the post-mortem beside dlstat's lane counters)
grep "vif$domid.0: closed" "$XNB_LOG" > "$SOUT/vif-account.txt" || true
log "two queues, two lanes, both carrying traffic"
