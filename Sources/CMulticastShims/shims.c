// Out-of-line wrappers for calls glibc declares only under _GNU_SOURCE.
#define _GNU_SOURCE
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/epoll.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "CMulticastShims.h"

_Static_assert(sizeof(mcx_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr layout");
_Static_assert(sizeof(mcx_group_req) == sizeof(struct group_req), "group_req layout");
_Static_assert(sizeof(mcx_group_source_req) == sizeof(struct group_source_req), "group_source_req layout");
_Static_assert(sizeof(mcx_ip_mreqn) == sizeof(struct ip_mreqn), "ip_mreqn layout");

int mcx_recvmmsg(int fd, mcx_mmsghdr *vec, unsigned int vlen, int flags, struct timespec *timeout) {
    return recvmmsg(fd, (struct mmsghdr *)vec, vlen, flags, timeout);
}

int mcx_sendmmsg(int fd, mcx_mmsghdr *vec, unsigned int vlen, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)vec, vlen, flags);
}

int mcx_eventfd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

int mcx_setns(int fd, int nstype) {
    return setns(fd, nstype);
}

// The option numbers in the header are written out (the macros need _GNU_SOURCE); pin them here.
_Static_assert(IP_PKTINFO == 8, "IP_PKTINFO");
_Static_assert(IP_MULTICAST_ALL == 49, "IP_MULTICAST_ALL");
_Static_assert(IPV6_RECVPKTINFO == 49, "IPV6_RECVPKTINFO");
_Static_assert(IPV6_PKTINFO == 50, "IPV6_PKTINFO");
_Static_assert(SO_TIMESTAMPNS == 35, "SO_TIMESTAMPNS");
_Static_assert(SO_RXQ_OVFL == 40, "SO_RXQ_OVFL");
_Static_assert(MCAST_JOIN_GROUP == 42, "MCAST_JOIN_GROUP");
_Static_assert(MCAST_LEAVE_GROUP == 45, "MCAST_LEAVE_GROUP");
_Static_assert(MCAST_JOIN_SOURCE_GROUP == 46, "MCAST_JOIN_SOURCE_GROUP");
_Static_assert(MCAST_LEAVE_SOURCE_GROUP == 47, "MCAST_LEAVE_SOURCE_GROUP");
_Static_assert(CLONE_NEWNET == 0x40000000, "CLONE_NEWNET");
_Static_assert(offsetof(struct in_pktinfo, ipi_addr) == 8, "in_pktinfo layout");
_Static_assert(offsetof(struct in6_pktinfo, ipi6_ifindex) == 16, "in6_pktinfo layout");

int mcx_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int mcx_epoll_add(int epfd, int fd, uint64_t token) {
    struct epoll_event event = { .events = EPOLLIN, .data = { .u64 = token } };
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

int mcx_epoll_remove(int epfd, int fd) {
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

int mcx_epoll_wait(int epfd, uint64_t *tokens, int max_events, int timeout_ms) {
    struct epoll_event events[256];
    if (max_events > 256) max_events = 256;
    int n = epoll_wait(epfd, events, max_events, timeout_ms);
    for (int i = 0; i < n; i++) tokens[i] = events[i].data.u64;
    return n;
}

int mcx_packet_socket(void) {
    return socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
}

int mcx_packet_filter_igmp_mld(int fd) {
    // Classic BPF run by the kernel on every frame: keep IPv4 frames carrying IGMP (protocol 2),
    // IPv6 frames whose first header is hop-by-hop (every well-formed MLD message has one, for
    // its Router Alert), and IPv6 frames carrying ICMPv6 MLD types straight after the fixed
    // header (malformed MLD without the option, kept so it is counted as rejected rather than
    // unseen); drop the rest before they are copied to the socket, and drop VLAN-tagged frames
    // on the parent interface (the kernel shows them again, untagged, on the VLAN interface).
    // Offsets are from the network header (SKF_NET_OFF), so the link type does not matter.
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),  //  0
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 13),                               //  1: tagged? drop
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),           //  2: EtherType
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 2),                        //  3: IPv4? else 6
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 9),                        //  4: IPv4 protocol
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_IGMP, 8, 9),                    //  5: IGMP? keep : drop
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 8),                      //  6: IPv6? else drop
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 6),                        //  7: next header
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_HOPOPTS, 5, 0),                 //  8: hop-by-hop? keep
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMPV6, 0, 5),                  //  9: ICMPv6? else drop
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF + 40),                       // 10: ICMPv6 type
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 130, 0, 3),                             // 11: < 130? drop
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 132, 0, 1),                             // 12: 130-132? keep
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 143, 0, 1),                             // 13: 143? keep : drop
        BPF_STMT(BPF_RET | BPF_K, 0x40000),                                         // 14: keep the whole frame
        BPF_STMT(BPF_RET | BPF_K, 0),                                               // 15: drop
    };
    struct sock_fprog program = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program));
}

long mcx_packet_recv(int fd, void *buffer, size_t length, int *ifindex, int *protocol, int *pkttype) {
    struct sockaddr_ll from;
    socklen_t from_length = sizeof(from);
    ssize_t n = recvfrom(fd, buffer, length, MSG_DONTWAIT, (struct sockaddr *)&from, &from_length);
    if (n >= 0) {
        *ifindex = from.sll_ifindex;
        *protocol = ntohs(from.sll_protocol);
        *pkttype = from.sll_pkttype;
    }
    return n;
}
