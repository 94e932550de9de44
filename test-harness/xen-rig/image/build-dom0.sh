#!/bin/bash
# Builds the rig's dom0 image and boot files into OUTDIR, without loop mounts:
#   debootstrap (minbase + Xen 4.17 + Linux 6.1 + tools) -> chroot apt-get (JRE 17, iperf3...)
#   -> configure -> mkfs.ext4 -d -> dom0.img
# plus xen (uncompressed, for QEMU's multiboot loader), vmlinuz, initrd.img, the guest's
# base initramfs (guest-base.cpio.gz) and manifest.txt (installed package versions).
# Usage: build-dom0.sh OUTDIR MIRROR    (run as root; chroot work happens in a private mount
# namespace so a failure never leaves /proc mounted inside the tree it then deletes)
set -euo pipefail
OUT=$1 MIRROR=$2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOTFS="$OUT/rootfs"
IMAGE_SIZE=${XNB_RIG_IMAGE_SIZE:-3G}

mapfile -t STAGE1 < <(grep -vE '^\s*(#|$)' "$HERE/packages" | grep -v '^+')
mapfile -t STAGE2 < <(grep -vE '^\s*(#|$)' "$HERE/packages" | grep '^+' | cut -c2-)
include=$(IFS=,; echo "${STAGE1[*]}")

echo "== debootstrap from $MIRROR: $include"
t0=$SECONDS
unshare --mount --propagation private \
  debootstrap --variant=minbase --include="$include" bookworm "$ROOTFS" "$MIRROR"
echo "== debootstrap took $((SECONDS - t0)) s"

echo "== chroot apt-get: ${STAGE2[*]}"
t0=$SECONDS
cat > "$ROOTFS/usr/sbin/policy-rc.d" <<'P'
#!/bin/sh
exit 101
P
chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
unshare --mount --propagation private chroot "$ROOTFS" /bin/sh -euc '
  mount -t proc proc /proc
  mount -t sysfs sys /sys
  export DEBIAN_FRONTEND=noninteractive LC_ALL=C
  apt-get -o Acquire::Check-Valid-Until=false update -q
  apt-get install -y -q --no-install-recommends '"${STAGE2[*]}"'
  apt-get clean
  umount /sys /proc'
rm -f "$ROOTFS/usr/sbin/policy-rc.d"
echo "== chroot apt-get took $((SECONDS - t0)) s"

echo "== configure"
KVER=$(ls "$ROOTFS/lib/modules" | sort -V | tail -n1)
echo "$KVER" > "$OUT/kver"
echo "xnb-dom0" > "$ROOTFS/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 xnb-dom0\n' > "$ROOTFS/etc/hosts"
echo '/dev/vda / ext4 defaults,errors=remount-ro 0 1' > "$ROOTFS/etc/fstab"
chroot "$ROOTFS" passwd -d root
printf '9p\n9pnet\n9pnet_virtio\n' > "$ROOTFS/etc/modules-load.d/xnb-rig-9p.conf"
# Guest consoles into /var/log/xen/console/guest-NAME.log (the rig collects them).
sed -i '/^XENCONSOLED_ARGS=/d' "$ROOTFS/etc/default/xen"
echo 'XENCONSOLED_ARGS="--log=guest --log-dir=/var/log/xen/console"' >> "$ROOTFS/etc/default/xen"
# The share is the only thing the rig needs; no DHCP waits on boot.
systemctl --root="$ROOTFS" mask systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer 2>/dev/null || true
install -m 0755 "$HERE/dom0-files/xnb-rig-boot" "$ROOTFS/usr/local/sbin/xnb-rig-boot"
install -m 0644 "$HERE/dom0-files/xnb-rig.service" "$ROOTFS/etc/systemd/system/xnb-rig.service"
systemctl --root="$ROOTFS" enable xnb-rig.service
chroot "$ROOTFS" dpkg-query -W -f='${Package}\t${Version}\n' > "$OUT/manifest.txt"

echo "== boot files"
zcat "$ROOTFS"/boot/xen-4.17-amd64.gz > "$OUT/xen"
cp "$ROOTFS/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
cp "$ROOTFS/boot/initrd.img-$KVER" "$OUT/initrd.img"

echo "== guest base initramfs"
"$HERE/build-guest-base.sh" "$ROOTFS" "$KVER" "$OUT/guest-base.cpio.gz"

echo "== mkfs.ext4 -d ($IMAGE_SIZE, sparse)"
t0=$SECONDS
truncate -s "$IMAGE_SIZE" "$OUT/dom0.img"
mkfs.ext4 -q -F -L xnb-dom0 -d "$ROOTFS" "$OUT/dom0.img"
echo "== mkfs took $((SECONDS - t0)) s; rootfs $(du -sh "$ROOTFS" | cut -f1), image $(du -h "$OUT/dom0.img" | cut -f1) used"
rm -rf --one-file-system "$ROOTFS"
