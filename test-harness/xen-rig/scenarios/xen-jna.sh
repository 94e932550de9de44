# Scenario `xen-jna`: xnb's JNA layer (grant-tables org.xnb.grant.xen: libxengnttab and
# libxenevtchn) against a real Linux netfront, with no backend logic in the way. The xenbus
# handshake is driven by hand with xenstore-utils up to the point where the frontend has
# published its rings; then `xnb xen-probe` maps both ring refs, grant-copies into and out of
# a posted Rx buffer, maps/copies a bad ref, binds/notifies/unbinds both event channels and
# checks nothing stays mapped. Then the device is closed (online=0, Closing) and the frontend
# must reach Closed.
GUEST=xnb-jna MAC=00:16:3e:00:02:02 DEVID=0

xnb_host_setup
guest_create "$GUEST" "xnb.ip=198.18.2.2/24 xnb.peer=198.18.2.254 xnb.wait=5"
d=$(xl domid "$GUEST")
be=/local/domain/0/backend/vif/$d/$DEVID fe=/local/domain/$d/device/vif/$DEVID
t0=$SECONDS
vif_nodes_write "$d" "$DEVID" "$MAC"
for kv in feature-sg=1 feature-rx-copy=1 feature-rx-flip=0 feature-split-event-channels=1; do
  xenstore-write "$be/${kv%%=*}" "${kv#*=}"
done
xenstore-write "$be/state" 2
xs_wait "$fe/state" 4 60 "the netfront to publish its rings (state 4)"
figure frontend_connect_s $((SECONDS - t0))
xenstore-ls -fp "$fe" > "$SOUT/frontend-nodes.txt" 2>&1 || true
tx_ref=$(xs_value "$fe/tx-ring-ref") rx_ref=$(xs_value "$fe/rx-ring-ref")
tx_port=$(xs_value "$fe/event-channel-tx") rx_port=$(xs_value "$fe/event-channel-rx")
[[ -n $tx_port ]] || tx_port=$(xs_value "$fe/event-channel")
[[ -n $tx_ref && -n $rx_ref && -n $tx_port ]] || scenario_fail "frontend published no ring refs/ports (see frontend-nodes.txt)"
log "frontend: tx-ring-ref=$tx_ref rx-ring-ref=$rx_ref event-channel-tx=$tx_port event-channel-rx=${rx_port:-none}"

t1=$SECONDS rc=0
XNB_JAVA_OPTS="-XX:TieredStopAtLevel=1" java_xnb --timeout 180 xen-probe --domain "$d" --tx-ref "$tx_ref" --rx-ref "$rx_ref" --tx-port "$tx_port" \
  ${rx_port:+--rx-port "$rx_port"} > "$SOUT/probe.log" 2>&1 || rc=$?
sed 's/^/  probe| /' "$SOUT/probe.log"
figure probe_s $((SECONDS - t1))
figure probe_steps_ok "$(grep -c '^PROBE ok' "$SOUT/probe.log" || true)"
((rc == 0)) || scenario_fail "xnb xen-probe: exit $rc: $(grep -m1 -E '^PROBE FAIL|Exception|Error' "$SOUT/probe.log" || tail -n1 "$SOUT/probe.log")"

# Close the device the way a backend must: online=0, Closing; the frontend goes to Closed.
xenstore-write "$be/online" 0 "$be/state" 5
xs_wait "$fe/state" 6 30 "the frontend to reach Closed after backend Closing"
xenstore-write "$be/state" 6
xenstore-rm "$be"
xenstore-rm "$fe"
log "device closed and nodes removed"
