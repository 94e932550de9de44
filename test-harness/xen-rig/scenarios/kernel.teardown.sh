# After `kernel` (guests already destroyed): take the bridge and Linux's netback away, so the
# scenarios after it (xnb's) find no kernel backend competing for vif devices.
ip link del xenbr0 2>/dev/null || true
modprobe -r xen-netback 2>/dev/null || echo "kernel teardown: xen-netback still loaded ($(lsmod | grep xen_netback))"
