/* Prints the kernel header values the Java TAP layer hard-codes, one "NAME VALUE" per line.
 * Compiled and run by TunHeaderConstantsIT; the headers installed here are the truth. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#define P(name) printf("%s %lu\n", #name, (unsigned long)(name))

int main(void) {
    P(TUNSETIFF); P(TUNSETPERSIST); P(TUNGETFEATURES); P(TUNSETOFFLOAD); P(TUNGETIFF);
    P(TUNGETVNETHDRSZ); P(TUNSETVNETHDRSZ); P(TUNSETQUEUE); P(TUNSETVNETLE);
    P(IFF_TUN); P(IFF_TAP); P(IFF_MULTI_QUEUE); P(IFF_ATTACH_QUEUE); P(IFF_DETACH_QUEUE);
    P(IFF_PERSIST); P(IFF_NO_PI); P(IFF_VNET_HDR);
    P(TUN_F_CSUM); P(TUN_F_TSO4); P(TUN_F_TSO6); P(TUN_F_TSO_ECN); P(TUN_F_UFO);
    P(IFNAMSIZ);
    printf("IFREQ_SIZE %zu\n", sizeof(struct ifreq));
    printf("IFREQ_FLAGS_OFFSET %zu\n", offsetof(struct ifreq, ifr_flags));

    printf("VNET_SIZE %zu\n", sizeof(struct virtio_net_hdr));
    printf("VNET_SIZE_V1 %zu\n", sizeof(struct virtio_net_hdr_v1));
    printf("VNET_SIZE_MRG %zu\n", sizeof(struct virtio_net_hdr_mrg_rxbuf));
    printf("VNET_FLAGS_OFFSET %zu\n", offsetof(struct virtio_net_hdr_v1, flags));
    printf("VNET_GSO_TYPE_OFFSET %zu\n", offsetof(struct virtio_net_hdr_v1, gso_type));
    printf("VNET_HDR_LEN_OFFSET %zu\n", offsetof(struct virtio_net_hdr_v1, hdr_len));
    printf("VNET_GSO_SIZE_OFFSET %zu\n", offsetof(struct virtio_net_hdr_v1, gso_size));
    printf("VNET_CSUM_START_OFFSET %zu\n", offsetof(struct virtio_net_hdr_v1, csum_start));
    printf("VNET_CSUM_OFFSET_OFFSET %zu\n", offsetof(struct virtio_net_hdr_v1, csum_offset));
    printf("VNET_NUM_BUFFERS_OFFSET %zu\n", offsetof(struct virtio_net_hdr_v1, num_buffers));
    printf("VNET_LEGACY_CSUM_START_OFFSET %zu\n", offsetof(struct virtio_net_hdr, csum_start));
    printf("VNET_LEGACY_CSUM_OFFSET_OFFSET %zu\n", offsetof(struct virtio_net_hdr, csum_offset));
    P(VIRTIO_NET_HDR_F_NEEDS_CSUM); P(VIRTIO_NET_HDR_F_DATA_VALID); P(VIRTIO_NET_HDR_F_RSC_INFO);
    P(VIRTIO_NET_HDR_GSO_NONE); P(VIRTIO_NET_HDR_GSO_TCPV4); P(VIRTIO_NET_HDR_GSO_UDP);
    P(VIRTIO_NET_HDR_GSO_TCPV6); P(VIRTIO_NET_HDR_GSO_ECN);

    P(O_RDWR); P(O_NONBLOCK); P(O_CLOEXEC);
    P(POLLIN); P(POLLOUT); P(POLLERR); P(POLLHUP); P(POLLNVAL);
    printf("POLLFD_SIZE %zu\n", sizeof(struct pollfd));
    printf("POLLFD_EVENTS %zu\n", offsetof(struct pollfd, events));
    printf("POLLFD_REVENTS %zu\n", offsetof(struct pollfd, revents));
    printf("IOVEC_SIZE %zu\n", sizeof(struct iovec));
    printf("IOVEC_LEN %zu\n", offsetof(struct iovec, iov_len));
    P(EPERM); P(ENOENT); P(EINTR); P(EIO); P(EBADF); P(EAGAIN); P(EACCES); P(EBUSY); P(ENODEV); P(EINVAL);
    return 0;
}
