// A plain sendmmsg loop at full speed: the send-side reference, and the load generator of the
// soak and TUI measurements. Usage: send_baseline IFADDR PORT SECONDS SIZE GROUP...  Prints: packets
// Environment: RATE=pps paces the batches; SOURCES=n sends from n sockets (n source ports) in turn;
// PAYLOAD=ts|rtp|rtp-ts gives every datagram a well-formed payload of that kind instead of zeros,
// per group (one buffer per message of a batch):
//   ts      SIZE / 188 MPEG-TS packets (SIZE is rounded down, at least 1): a video PID whose
//           continuity counter advances packet by packet across datagrams; every 40th datagram
//           ends with a PAT and a PMT (program 1: PMT PID 0x100, H.264 on 0x101), so a monitor
//           sees a clean single-program stream.
//   rtp     a 12-byte RTP header (payload type 96, 90 kHz timestamps from the send time, fixed
//           SSRC, sequence number advancing by one), then zeros up to SIZE.
//   rtp-ts  the RTP header with payload type 33, then (SIZE - 12) / 188 TS packets as for ts.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

enum { TS = 188, PMT_PID = 0x100, VIDEO_PID = 0x101, TABLE_INTERVAL = 40, SSRC = 0x1A2B3C4D };
enum payload_kind { ZEROS, KIND_TS, KIND_RTP, KIND_RTP_TS };

// What one group's stream has sent so far: its continuity counters and RTP sequence number.
struct stream_state { uint8_t video_cc, pat_cc, pmt_cc; uint16_t rtp_sequence; long datagrams; };

static uint32_t crc32_mpeg(const uint8_t *p, int n) {  // MPEG-2 CRC-32, bit by bit
    uint32_t crc = 0xFFFFFFFF;
    for (int i = 0; i < n; i++) {
        crc ^= (uint32_t)p[i] << 24;
        for (int b = 0; b < 8; b++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
    }
    return crc;
}

// A TS packet on pid starting a PSI section (pointer_field 0): the section with its CRC, then 0xFF.
static void psi_packet(uint8_t *p, int pid, uint8_t table_id, const uint8_t *body, int body_length) {
    memset(p, 0xFF, TS);
    p[0] = 0x47; p[1] = 0x40 | (pid >> 8 & 0x1F); p[2] = pid & 0xFF; p[3] = 0x10;
    uint8_t *s = p + 5;
    int length = 5 + body_length + 4;
    p[4] = 0;
    s[0] = table_id; s[1] = 0xB0 | (length >> 8 & 0x0F); s[2] = length & 0xFF;
    s[3] = 0x00; s[4] = 0x01; s[5] = 0xC1; s[6] = 0; s[7] = 0;
    memcpy(s + 8, body, body_length);
    uint32_t crc = crc32_mpeg(s, 8 + body_length);
    s[8 + body_length] = crc >> 24; s[9 + body_length] = crc >> 16; s[10 + body_length] = crc >> 8; s[11 + body_length] = crc;
}

static uint8_t pat_template[TS], pmt_template[TS];

// packets TS packets at p: the stream's next datagram.
static void fill_ts(uint8_t *p, int packets, struct stream_state *st) {
    int tables = st->datagrams % TABLE_INTERVAL == 0 && packets >= 3;
    int video = tables ? packets - 2 : packets;
    for (int k = 0; k < video; k++, p += TS) {
        p[0] = 0x47; p[1] = VIDEO_PID >> 8; p[2] = VIDEO_PID & 0xFF; p[3] = 0x10 | st->video_cc;
        st->video_cc = (st->video_cc + 1) & 0x0F;
    }
    if (tables) {
        memcpy(p, pat_template, TS); p[3] = 0x10 | st->pat_cc; st->pat_cc = (st->pat_cc + 1) & 0x0F; p += TS;
        memcpy(p, pmt_template, TS); p[3] = 0x10 | st->pmt_cc; st->pmt_cc = (st->pmt_cc + 1) & 0x0F;
    }
}

static void fill_rtp(uint8_t *p, int payload_type, uint32_t timestamp, struct stream_state *st) {
    p[0] = 0x80; p[1] = payload_type;
    p[2] = st->rtp_sequence >> 8; p[3] = st->rtp_sequence & 0xFF; st->rtp_sequence++;
    p[4] = timestamp >> 24; p[5] = timestamp >> 16; p[6] = timestamp >> 8; p[7] = timestamp;
    p[8] = (uint32_t)SSRC >> 24; p[9] = SSRC >> 16 & 0xFF; p[10] = SSRC >> 8 & 0xFF; p[11] = SSRC & 0xFF;
}

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: %s IFADDR PORT SECONDS SIZE GROUP...\n", argv[0]); return 2; }
    int port = atoi(argv[2]), size = atoi(argv[4]);
    double seconds = atof(argv[3]);
    int sources = getenv("SOURCES") ? atoi(getenv("SOURCES")) : 1;
    double rate = getenv("RATE") ? atof(getenv("RATE")) : 0;
    const char *kind_name = getenv("PAYLOAD") ? getenv("PAYLOAD") : "";
    enum payload_kind kind = ZEROS;
    if (strcmp(kind_name, "ts") == 0) kind = KIND_TS;
    else if (strcmp(kind_name, "rtp") == 0) kind = KIND_RTP;
    else if (strcmp(kind_name, "rtp-ts") == 0) kind = KIND_RTP_TS;
    else if (*kind_name) { fprintf(stderr, "PAYLOAD must be ts, rtp or rtp-ts\n"); return 2; }
    int ts_packets = 0;
    if (kind == KIND_TS) { ts_packets = size / TS > 0 ? size / TS : 1; size = ts_packets * TS; }
    if (kind == KIND_RTP_TS) { ts_packets = (size - 12) / TS > 0 ? (size - 12) / TS : 1; size = 12 + ts_packets * TS; }
    if (kind == KIND_RTP && size < 12) size = 12;
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
    struct stream_state *streams = calloc(groups, sizeof *streams);
    const uint8_t pat_body[] = { 0x00, 0x01, 0xE0 | PMT_PID >> 8, PMT_PID & 0xFF };
    const uint8_t pmt_body[] = { 0xE0 | VIDEO_PID >> 8, VIDEO_PID & 0xFF, 0xF0, 0x00, 0x1B, 0xE0 | VIDEO_PID >> 8, VIDEO_PID & 0xFF, 0xF0, 0x00 };
    psi_packet(pat_template, 0, 0x00, pat_body, sizeof pat_body);
    psi_packet(pmt_template, PMT_PID, 0x02, pmt_body, sizeof pmt_body);
    enum { BATCH = 64 };
    // Zeros: one buffer shared by every message. A payload kind: one buffer per message, the
    // video packets' bytes after the header left 0xFF.
    int buffers = kind == ZEROS ? 1 : BATCH;
    uint8_t *payload = malloc((size_t)buffers * size);
    memset(payload, kind == ZEROS || kind == KIND_RTP ? 0 : 0xFF, (size_t)buffers * size);
    struct mmsghdr msgs[BATCH]; struct iovec iov[BATCH];
    long sent = 0, unsent = 0; double end = now() + seconds; int g = 0;
    while (now() < end) {
        uint32_t timestamp = (uint32_t)(uint64_t)((now() - start) * 90000);
        for (int k = 0; k < BATCH; k++) {
            uint8_t *p = payload + (size_t)(kind == ZEROS ? 0 : k) * size;
            struct stream_state *st = &streams[g];
            if (kind == KIND_TS) fill_ts(p, ts_packets, st);
            if (kind == KIND_RTP) fill_rtp(p, 96, timestamp, st);
            if (kind == KIND_RTP_TS) { fill_rtp(p, 33, timestamp, st); fill_ts(p + 12, ts_packets, st); }
            st->datagrams++;
            iov[k].iov_base = p; iov[k].iov_len = size;
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
        if (n > 0) sent += n;
        // With a payload kind the batch's counters are spent: send the rest, or a receiver would
        // count the sender's own shortfall as loss. Messages that fail are reported.
        for (int done = n > 0 ? n : 0; kind != ZEROS && done < BATCH;) {
            int more = sendmmsg(fds[next_fd], msgs + done, BATCH - done, 0);
            if (more <= 0) { unsent += BATCH - done; break; }
            done += more; sent += more;
        }
        next_fd = (next_fd + 1) % sources;
    }
    if (unsent > 0) fprintf(stderr, "send_baseline: %ld datagrams not sent (their sequence numbers are gaps)\n", unsent);
    printf("%ld\n", sent);
    return 0;
}
