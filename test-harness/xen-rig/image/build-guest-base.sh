#!/bin/bash
# Builds the PV guest's base initramfs from the dom0 rootfs, so the guest runs the very
# kernel dom0 boots (the dom0 kernel is also the guest kernel) with matching modules:
#   /bin/busybox (static, from the host's busybox-static), /lib/modules/*.ko (xen-netfront
#   and whatever it depends on, in load order in /lib/modules/load-order, empty when it is
#   built in), /usr/bin/iperf3 with every shared library ldd lists.
# The guest's /init is not here: the rig appends it per run as a second cpio archive (the
# kernel unpacks concatenated archives), so changing guest/init never rebuilds the image.
# Usage: build-guest-base.sh ROOTFS KVER OUT.cpio.gz
set -euo pipefail
ROOTFS=$1 KVER=$2 OUT=$3
STAGE=$(mktemp -d /tmp/xnb-rig-guest.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT

mkdir -p "$STAGE"/{bin,sbin,usr/bin,lib/modules,proc,sys,dev,tmp,etc,run,root}
BUSYBOX=$(command -v busybox)
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || { echo "busybox at $BUSYBOX is not static (need busybox-static)"; exit 1; }
cp "$BUSYBOX" "$STAGE/bin/busybox"

# xen-netfront: Debian's 6.1 config has CONFIG_XEN_NETDEV_FRONTEND=m, but check instead of assume.
: > "$STAGE/lib/modules/load-order"
if grep -q 'xen-netfront.ko' "$ROOTFS/lib/modules/$KVER/modules.builtin" 2>/dev/null; then
  echo "xen-netfront is built into $KVER"
else
  # modprobe prints 'insmod PATH' lines, dependencies first.
  deps=$(chroot "$ROOTFS" modprobe --show-depends --set-version "$KVER" xen-netfront | awk '$1 == "insmod" { print $2 }')
  [[ -n $deps ]] || { echo "xen-netfront: neither built in nor a module of $KVER"; exit 1; }
  for m in $deps; do
    name=$(basename "$m")
    case $name in
      *.ko.xz)  xz -dc  "$ROOTFS$m" > "$STAGE/lib/modules/${name%.xz}";  name=${name%.xz} ;;
      *.ko.zst) zstd -qdc "$ROOTFS$m" > "$STAGE/lib/modules/${name%.zst}"; name=${name%.zst} ;;
      *)        cp "$ROOTFS$m" "$STAGE/lib/modules/$name" ;;
    esac
    echo "$name" >> "$STAGE/lib/modules/load-order"
    echo "module $name (from $m)"
  done
fi

# iperf3 and its shared libraries, resolved inside the rootfs.
cp "$ROOTFS/usr/bin/iperf3" "$STAGE/usr/bin/iperf3"
chroot "$ROOTFS" ldd /usr/bin/iperf3 | awk '/=>/ { print $3 } !/=>/ && $1 ~ /^\// { print $1 }' | sort -u |
while read -r lib; do
  [[ -n $lib ]] || continue
  mkdir -p "$STAGE$(dirname "$lib")"
  cp -L "$ROOTFS$lib" "$STAGE$lib"
  echo "lib $lib"
done
# usrmerge: /lib and /lib64 are links into /usr in bookworm; keep both spellings working.
for d in lib lib64; do
  if [[ -d $STAGE/usr/$d && ! -e $STAGE/$d/ld-linux-x86-64.so.2 ]]; then
    mkdir -p "$STAGE/$d"; cp -an "$STAGE/usr/$d/." "$STAGE/$d/"
  fi
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$STAGE/etc/passwd"
echo 'root:x:0:' > "$STAGE/etc/group"
(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 > "$OUT"
echo "guest base initramfs: $(du -h "$OUT" | cut -f1)"
