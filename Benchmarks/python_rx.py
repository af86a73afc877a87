"""The Python multicast_expert 1.6.0 receive loop, for comparison.
Usage: python_rx.py IFACE PORT SECONDS GROUP...   Prints: packets cpu_seconds"""
import resource
import socket
import sys
import time

import multicast_expert

iface, port, seconds, groups = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
packets = 0
with multicast_expert.McastRxSocket(socket.AF_INET, mcast_ips=groups, port=port, iface=iface, timeout=0.1) as rx:
    for s in rx.sockets:
        s.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)  # SO_RCVBUFFORCE, as the other receivers
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if rx.recvfrom() is not None:
            packets += 1
u = resource.getrusage(resource.RUSAGE_SELF)
print(packets, round(u.ru_utime + u.ru_stime, 3))
