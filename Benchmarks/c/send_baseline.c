// A plain sendmmsg loop at full speed: the send-side reference, and the load generator of the
// soak and TUI measurements. Usage: send_baseline IFADDR PORT SECONDS SIZE GROUP...  Prints: packets
// Environment: RATE=pps paces the batches; SOURCES=n sends from n sockets (n source ports) in turn.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: %s IFADDR PORT SECONDS SIZE GROUP...\n", argv[0]); return 2; }
    int port = atoi(argv[2]), size = atoi(argv[4]);
    double seconds = atof(argv[3]);
    int sources = getenv("SOURCES") ? atoi(getenv("SOURCES")) : 1;
    double rate = getenv("RATE") ? atof(getenv("RATE")) : 0;
    if (sources < 1) sources = 1;
    int *fds = calloc(sources, sizeof *fds);
    struct in_addr ifaddr; inet_pton(AF_INET, argv[1], &ifaddr);
    for (int i = 0; i < sources; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        setsockopt(fds[i], IPPROTO_IP, IP_MULTICAST_IF, &ifaddr, sizeof ifaddr);
    }
    int next_fd = 0;
    double start = now();
    int groups = argc - 5;
    struct sockaddr_in *dst = calloc(groups, sizeof *dst);
    for (int g = 0; g < groups; g++) { dst[g].sin_family = AF_INET; dst[g].sin_port = htons(port); inet_pton(AF_INET, argv[5 + g], &dst[g].sin_addr); }
    enum { BATCH = 64 };
    char *payload = calloc(1, size);
    struct mmsghdr msgs[BATCH]; struct iovec iov[BATCH];
    long sent = 0; double end = now() + seconds; int g = 0;
    while (now() < end) {
        for (int k = 0; k < BATCH; k++) {
            iov[k].iov_base = payload; iov[k].iov_len = size;
            memset(&msgs[k].msg_hdr, 0, sizeof msgs[k].msg_hdr);
            msgs[k].msg_hdr.msg_iov = &iov[k]; msgs[k].msg_hdr.msg_iovlen = 1;
            msgs[k].msg_hdr.msg_name = &dst[g]; msgs[k].msg_hdr.msg_namelen = sizeof dst[g];
            g = (g + 1) % groups;
        }
        if (rate > 0) {
            double due = start + (sent + BATCH) / rate;
            while (now() < due) { struct timespec ts = {0, 200000}; nanosleep(&ts, NULL); }
        }
        int n = sendmmsg(fds[next_fd], msgs, BATCH, 0);
        next_fd = (next_fd + 1) % sources;
        if (n > 0) sent += n;
    }
    printf("%ld\n", sent);
    return 0;
}
