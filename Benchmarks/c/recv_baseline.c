// The kernel's limit on this machine: a plain recvmmsg loop, one socket per group bound to the
// group (like mcexpert), epoll over them. Usage: recv_baseline IFINDEX PORT SECONDS GROUP...
// Prints "ready" once joined, then: packets cpu_seconds (of the receive loop, set-up excluded).
// Environment: RCVBUF=bytes per socket (SO_RCVBUFFORCE; default 4 MiB, as the other receivers of
// the main table ask for); REPORT=1 also prints "join_seconds=S rss_kib=K" to stderr at the end
// (the time to open, join and watch every socket; resident memory after receiving).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long resident_kib(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) { if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0; fclose(f); }
    return resident * sysconf(_SC_PAGESIZE) / 1024;
}

static double cpu(void) {
    struct rusage u; getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s IFINDEX PORT SECONDS GROUP...\n", argv[0]); return 2; }
    int ifindex = atoi(argv[1]), port = atoi(argv[2]);
    double seconds = atof(argv[3]);
    int rcvbuf = getenv("RCVBUF") ? atoi(getenv("RCVBUF")) : 4 << 20;
    double join_start = now();
    int ep = epoll_create1(0);
    for (int g = 4; g < argc; g++) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (fd < 0) { perror("socket (raise ulimit -n for many groups)"); return 1; }
        int one = 1, size = rcvbuf;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
        int zero = 0;
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
        inet_pton(AF_INET, argv[g], &a.sin_addr);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
        struct ip_mreqn m = { .imr_multiaddr = a.sin_addr, .imr_ifindex = ifindex };
        if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) != 0) { perror("join"); return 1; }
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) { perror("epoll_ctl"); return 1; }
    }
    double join_seconds = now() - join_start;
    enum { BATCH = 64 };
    static char buffers[BATCH][2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    long packets = 0;
    double cpu_at_start = cpu();
    printf("ready\n"); fflush(stdout);
    double end = now() + seconds;
    while (now() < end) {
        struct epoll_event events[64];
        int n = epoll_wait(ep, events, 64, 100);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < BATCH; k++) {
                iov[k].iov_base = buffers[k]; iov[k].iov_len = sizeof buffers[k];
                memset(&msgs[k].msg_hdr, 0, sizeof msgs[k].msg_hdr);
                msgs[k].msg_hdr.msg_iov = &iov[k]; msgs[k].msg_hdr.msg_iovlen = 1;
            }
            int got = recvmmsg(events[i].data.fd, msgs, BATCH, MSG_DONTWAIT, NULL);
            if (got > 0) packets += got;
        }
    }
    printf("%ld %.3f\n", packets, cpu() - cpu_at_start);
    if (getenv("REPORT")) fprintf(stderr, "join_seconds=%.4f rss_kib=%ld\n", join_seconds, resident_kib());
    return 0;
}
