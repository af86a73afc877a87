"""The Python multicast_expert 1.6.0 receive loop, for comparison.
Usage: python_rx.py IFACE PORT SECONDS GROUP...
Prints "ready" once joined, then: packets cpu_seconds (of the receive loop: interpreter start-up
and imports excluded, as set-up is for the other receivers)."""
import resource
import socket
import sys
import time

import multicast_expert


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


iface, port, seconds, groups = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
packets = 0
with multicast_expert.McastRxSocket(socket.AF_INET, mcast_ips=groups, port=port, iface=iface, timeout=0.1) as rx:
    for s in rx.sockets:
        s.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)  # SO_RCVBUFFORCE: 4 MiB, as every receiver here
    cpu_at_start = cpu_seconds()
    print("ready", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if rx.recvfrom() is not None:
            packets += 1
print(packets, round(cpu_seconds() - cpu_at_start, 3))
