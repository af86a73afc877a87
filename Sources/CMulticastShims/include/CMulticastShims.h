// CMulticastShims: the parts of the Linux socket API that Swift cannot see through Glibc.
// static inline wrappers and plain re-exports only; all logic lives in Swift.
#ifndef C_MULTICAST_SHIMS_H
#define C_MULTICAST_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <net/if.h>
#include <time.h>

// MARK: - recvmmsg / sendmmsg (declared by glibc only under _GNU_SOURCE)

/// Layout-compatible copy of glibc's `struct mmsghdr`.
typedef struct mcx_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} mcx_mmsghdr;

int mcx_recvmmsg(int fd, mcx_mmsghdr *vec, unsigned int vlen, int flags, struct timespec *timeout);
int mcx_sendmmsg(int fd, mcx_mmsghdr *vec, unsigned int vlen, int flags);
int mcx_setns(int fd, int nstype);
/// A non-blocking, close-on-exec eventfd (used to wake a thread blocked in poll).
int mcx_eventfd(void);

// MARK: - epoll (struct epoll_event is packed on x86_64; keep it on the C side)

/// epoll_create1(EPOLL_CLOEXEC).
int mcx_epoll_create(void);
/// Watches `fd` for input; events for it carry `token`.
int mcx_epoll_add(int epfd, int fd, uint64_t token);
/// Stops watching `fd`.
int mcx_epoll_remove(int epfd, int fd);
/// Waits up to `timeout_ms` (-1: forever); writes the tokens of ready descriptors. Returns their count or -1.
int mcx_epoll_wait(int epfd, uint64_t *tokens, int max_events, int timeout_ms);

// MARK: - Packet sockets (to hear IGMP/MLD queries before reverse-path filtering drops them)

/// socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL)); needs CAP_NET_RAW.
int mcx_packet_socket(void);
/// Attaches a kernel filter that passes only IGMP frames and IPv6 frames with a hop-by-hop header (MLD).
int mcx_packet_filter_igmp_mld(int fd);
/// Reads one frame's network-layer bytes. Fills the arrival interface index, the EtherType
/// (host order) and the packet type (PACKET_HOST, PACKET_MULTICAST, PACKET_OUTGOING, ...).
long mcx_packet_recv(int fd, void *buffer, size_t length, int *ifindex, int *protocol, int *pkttype);

// MARK: - Socket option numbers not always exported to Swift

static inline int mcx_IP_PKTINFO(void) { return 8; }
static inline int mcx_IP_MULTICAST_ALL(void) { return 49; }
static inline int mcx_IPV6_RECVPKTINFO(void) { return 49; }
static inline int mcx_IPV6_PKTINFO(void) { return 50; }
static inline int mcx_IPV6_MULTICAST_ALL(void) { return 29; }
static inline int mcx_SO_TIMESTAMPNS(void) { return 35; }
static inline int mcx_SO_RXQ_OVFL(void) { return 40; }
static inline int mcx_MCAST_JOIN_GROUP(void) { return 42; }
static inline int mcx_MCAST_LEAVE_GROUP(void) { return 45; }
static inline int mcx_MCAST_JOIN_SOURCE_GROUP(void) { return 46; }
static inline int mcx_MCAST_LEAVE_SOURCE_GROUP(void) { return 47; }
static inline int mcx_CLONE_NEWNET(void) { return 0x40000000; }

// MARK: - Protocol-independent multicast requests (RFC 3678)

/// Layout-compatible copy of `struct group_req`.
typedef struct mcx_group_req {
    uint32_t gr_interface;
    struct sockaddr_storage gr_group;
} mcx_group_req;

/// Layout-compatible copy of `struct group_source_req`.
typedef struct mcx_group_source_req {
    uint32_t gsr_interface;
    struct sockaddr_storage gsr_group;
    struct sockaddr_storage gsr_source;
} mcx_group_source_req;

/// Layout-compatible copy of `struct ip_mreqn` (IP_MULTICAST_IF by index and address).
typedef struct mcx_ip_mreqn {
    struct in_addr imr_multiaddr;
    struct in_addr imr_address;
    int imr_ifindex;
} mcx_ip_mreqn;

// MARK: - Ancillary data (CMSG_* are macros and do not import)

static inline struct cmsghdr *mcx_cmsg_firsthdr(struct msghdr *msg) { return CMSG_FIRSTHDR(msg); }
static inline struct cmsghdr *mcx_cmsg_nxthdr(struct msghdr *msg, struct cmsghdr *cmsg) { return CMSG_NXTHDR(msg, cmsg); }
static inline const void *mcx_cmsg_data(const struct cmsghdr *cmsg) { return CMSG_DATA(cmsg); }
static inline size_t mcx_cmsg_space(size_t len) { return CMSG_SPACE(len); }

/// Reads a `struct in_pktinfo`: the header destination address (network order) and arrival interface.
static inline void mcx_read_in_pktinfo(const void *data, uint32_t *dst_addr, int *ifindex) {
    // struct in_pktinfo { int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr; }
    const unsigned char *p = (const unsigned char *)data;
    __builtin_memcpy(ifindex, p, sizeof(int));
    __builtin_memcpy(dst_addr, p + 8, 4);
}

/// Reads a `struct in6_pktinfo`: destination address (16 bytes) and arrival interface.
static inline void mcx_read_in6_pktinfo(const void *data, uint8_t *dst_addr16, int *ifindex) {
    // struct in6_pktinfo { struct in6_addr ipi6_addr; unsigned int ipi6_ifindex; }
    const unsigned char *p = (const unsigned char *)data;
    __builtin_memcpy(dst_addr16, p, 16);
    unsigned int idx;
    __builtin_memcpy(&idx, p + 16, sizeof(idx));
    *ifindex = (int)idx;
}

/// Reads a `struct timespec` (SCM_TIMESTAMPNS) as nanoseconds since the epoch.
static inline int64_t mcx_read_timespec_ns(const void *data) {
    struct timespec ts;
    __builtin_memcpy(&ts, data, sizeof(ts));
    return (int64_t)ts.tv_sec * 1000000000LL + (int64_t)ts.tv_nsec;
}

/// Reads a `uint32_t` (SO_RXQ_OVFL drop counter).
static inline uint32_t mcx_read_u32(const void *data) {
    uint32_t v;
    __builtin_memcpy(&v, data, sizeof(v));
    return v;
}

#endif
