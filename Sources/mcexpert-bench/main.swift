// Receive-side benchmark driver: counts datagrams for a while with the MulticastMonitor engine
// (full statistics, batch window MCX_BATCH_WINDOW_US µs, default the engine's; `monitor-nowindow` wakes for every arrival) or with McastRxSocket.receive()
// one datagram at a time. Prints "ready" once joined, then "packets cpu_seconds" where the CPU
// is what the receive loop used (set-up excluded, as for the other receivers).
// Environment: MCX_RCVBUF=bytes per socket for the engine modes (default 4 MiB, as the other
// receivers of the main table); MCX_JOIN_REPORT=1 prints "join_seconds=S rss_kib=K" to stderr at
// the end (the time to open, join and watch every socket; resident memory after receiving).
// Like `mcexpert`, it raises its soft descriptor limit to the hard one first (one socket per group).
// Used by Benchmarks/run.sh; not part of the tests.
#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert
import MulticastMonitor

let arguments = CommandLine.arguments
guard arguments.count >= 6, let port = UInt16(arguments[3]), let seconds = Double(arguments[4]) else {
    print("usage: mcexpert-bench monitor|monitor-nowindow|socket IFACE PORT SECONDS GROUP...")
    exit(2)
}
let mode = arguments[1], interface = InterfaceSpecifier(arguments[2])
var groups: [MulticastGroup] = []
for text in arguments[5...] {
    guard let group = MulticastGroup(text) else { print("bad group \(text)"); exit(2) }
    groups.append(group)
}
DescriptorLimit.raiseSoftToHard()
/// The receive window ends SECONDS after "ready" (joining thousands of groups takes a while).
var end = Int64.max
@MainActor func startReceiving() {
    end = monotonicNanoseconds().addingSaturating(Int64(saturating: seconds * 1e9))
    printLine("ready", to: 1)
}
var packets = 0
var cpuAtStart = 0.0
var rounds: UInt64 = 0
do {
    switch mode {
    case "monitor", "monitor-nowindow":
        let defaultWindow = Duration.nanoseconds(BatchWindow().maximumNanoseconds)  // the engine's default
        let window = getenv("MCX_BATCH_WINDOW_US").flatMap { Int(String(cString: $0)) }.map { Duration.microseconds($0) } ?? defaultWindow
        let bufferBytes = getenv("MCX_RCVBUF").flatMap { Int(String(cString: $0)) } ?? 4 << 20
        let joinStart = monotonicNanoseconds()
        let monitor = try Monitor(receiveBufferBytes: bufferBytes, batchWindow: mode == "monitor" ? window : .zero)
        try monitor.subscribe(Subscription(groups: groups, port: port, interfaces: [interface]))
        let joinSeconds = Double(monotonicNanoseconds() - joinStart) / 1e9
        defer { if getenv("MCX_JOIN_REPORT") != nil { printLine("join_seconds=\(joinSeconds) rss_kib=\(residentKiB())", to: 2) } }
        cpuAtStart = cpuSeconds()
        startReceiving()
        var nextReport = monotonicNanoseconds() + 10_000_000_000
        while monotonicNanoseconds() < end {
            try monitor.poll(timeout: .milliseconds(100))
            if getenv("MCX_REPORT_RSS") != nil, monotonicNanoseconds() >= nextReport {
                nextReport += 10_000_000_000
                let snapshot = monitor.snapshot()  // as a UI would take them
                let sources = snapshot.streams.reduce(0) { $0 + $1.sources.count }
                printLine("rss_kib=\(residentKiB()) packets=\(snapshot.totalPackets) streams=\(snapshot.streams.count) tracked_sources=\(sources)", to: 2)
            }
        }
        let snapshot = monitor.snapshot()
        packets = Int(snapshot.totalPackets)
        rounds = snapshot.receiveRounds
        let drops = snapshot.streams.reduce(0) { $0 + $1.kernelDrops }
        printLine("kernel drops: \(drops), batch window now: \(snapshot.batchWindow)", to: 2)
    case "socket":
        let socket = try McastRxSocket(groups: groups, port: port, interfaces: [interface], mode: .timeout(.milliseconds(100)))
        _ = try socket.requestReceiveBufferSize(4 << 20, beyondSystemLimit: true)  // as the others
        cpuAtStart = cpuSeconds()
        startReceiving()
        while monotonicNanoseconds() < end {
            if try socket.receive() != nil { packets += 1 }
        }
    default:
        print("unknown mode \(mode)")
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
let cpu = cpuSeconds() - cpuAtStart
printLine("\(packets) \(cpu)", to: 1)
if rounds > 0 { printLine("datagrams per wakeup: \((Double(packets) / Double(rounds) * 10).rounded() / 10)", to: 2) }

/// User plus system CPU this process has used, seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Resident memory in KiB, from /proc/self/statm.
func residentKiB() -> Int {
    guard let text = ProcFiles.read("/proc/self/statm") else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024 : 0
}

/// One line, unbuffered (the script waits for "ready" while the process runs).
func printLine(_ line: String, to descriptor: Int32) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}
