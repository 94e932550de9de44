# Scenario `xnb-attach`: xnb's own hot-plug. A guest boots without a vif; `xnb attach` gives it
# one on bridge xenbr0 (xnb writes the xenstore nodes itself, as libxl would); traffic; `xnb
# detach` takes it away and the guest sees its NIC go; `xnb attach` again brings one back.
#   dom0 xenbr0 198.18.4.254/24 <-> xnb <-> guest ethN 198.18.4.2/24
DOM0_IP=198.18.4.254 GUEST_IP=198.18.4.2 GUEST=xnb-attach MAC=00:16:3e:00:04:02

xnb_host_setup
bridge_up xenbr0 "$DOM0_IP/24"
evt0=$(user_evtchn_ports)
xnb_start
# The guest waits up to 240 s for a NIC to appear: an `xnb attach` is a JVM start under TCG.
guest_create "$GUEST" "xnb.ip=$GUEST_IP/24 xnb.peer=$DOM0_IP xnb.wait=90 xnb.ifwait=240"
d=$(xl domid "$GUEST")
guest_wait "$GUEST" 'XNB-GUEST BOOTED' 60

t0=$SECONDS
xnb_cli attach --domain "$d" --mac "$MAC" --link xenbr0 || scenario_fail "xnb attach --domain $d failed (see xnb-cli.log)"
guest_wait "$GUEST" 'XNB-GUEST PEER-UP' 150
figure attach_to_peer_up_s $((SECONDS - t0))
guest_wait "$GUEST" 'XNB-GUEST READY' 60
figure ping_d2g_ms "$(ping_rtt "$GUEST_IP" 5)"
devid=$(xenstore-list "/local/domain/0/backend/vif/$d" 2>/dev/null | head -n1)
[[ -n $devid ]] || scenario_fail "no backend/vif/$d/* node after xnb attach"
xenstore-ls -fp "/local/domain/0/backend/vif/$d" > "$SOUT/backend-nodes.txt" 2>&1 || true
log "attached as devid $devid; $(gntdev_maps "$XNB_PID") grant regions mapped by xnb"

t1=$SECONDS
xnb_cli detach --domain "$d" --devid "$devid" || scenario_fail "xnb detach --domain $d --devid $devid failed (see xnb-cli.log)"
guest_wait "$GUEST" 'XNB-GUEST NIC-REMOVED' 60
figure detach_to_nic_gone_s $((SECONDS - t1))
wait_until 30 "backend/vif/$d/$devid to be removed" bash -c "! xenstore-exists /local/domain/0/backend/vif/$d/$devid"
xnb_wait_released "xnb detach" "$evt0"

t2=$SECONDS
xnb_cli attach --domain "$d" --mac "$MAC" --link xenbr0 || scenario_fail "second xnb attach --domain $d failed (see xnb-cli.log)"
guest_wait "$GUEST" 'XNB-GUEST PEER-UP eth' 150
figure reattach_to_peer_up_s $((SECONDS - t2))
figure ping_d2g_again_ms "$(ping_rtt "$GUEST_IP" 5)"

timeout 60 xl destroy "$GUEST" || scenario_fail "xl destroy $GUEST failed or took over 60 s"
xnb_wait_released "xl destroy" "$evt0"
xnb_stop
