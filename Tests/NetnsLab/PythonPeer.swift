import Foundation

/// The real Python `multicast_expert` 1.6.0, as an independent peer for interop tests.
///
/// Found at `$MCEXPERT_PYTHON`, else at `.venv-interop/bin/python` in the package
/// (`scripts/setup-interop.sh` creates it).
public enum PythonPeer {
    /// The interpreter that can `import multicast_expert`, or nil.
    public static let python: String? = {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates: [String?] = [ProcessInfo.processInfo.environment["MCEXPERT_PYTHON"], packageRoot.appendingPathComponent(".venv-interop/bin/python").path]
        func usable() -> String? {
            for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
                if (try? Shell.run("'\(path)' -c 'import multicast_expert'")) != nil { return path }
            }
            return nil
        }
        if let found = usable() { return found }
        // Missing: make it the way scripts/setup-interop.sh does (a venv from PyPI). Without
        // python3-venv or a network this fails, and the interop tests skip with the command.
        guard Lab.unavailableReason == nil || Lab.isRequired else { return nil }
        let setup = packageRoot.appendingPathComponent("scripts/setup-interop.sh").path
        _ = try? Shell.capture(["sh", setup], timeout: 300)
        return usable()
    }()

    /// Whether interop tests should run: the peer exists, or namespace tests are required (and will fail without it).
    public static var shouldRun: Bool { Lab.shouldRun && (python != nil || Lab.isRequired) }

    /// A receiver: prints `ready`, then `got <hex payload> <source address>` per datagram, up to `count`.
    public static let receiverScript = """
        import socket, sys, multicast_expert
        family = socket.AF_INET if sys.argv[1] == "4" else socket.AF_INET6
        group, port, iface, count = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        with multicast_expert.McastRxSocket(family, mcast_ips=[group], port=port, iface=iface, timeout=15) as rx:
            print("ready", flush=True)
            for _ in range(count):
                got = rx.recvfrom()
                if got is None:
                    print("timeout", flush=True)
                    break
                print("got", got[0].hex(), got[1][0], flush=True)
        """

    /// A sender: sends `payload` (hex) `count` times, 50 ms apart, then prints `done`.
    public static let senderScript = """
        import socket, sys, time, multicast_expert
        family = socket.AF_INET if sys.argv[1] == "4" else socket.AF_INET6
        group, port, iface, payload, count = sys.argv[2], int(sys.argv[3]), sys.argv[4], bytes.fromhex(sys.argv[5]), int(sys.argv[6])
        with multicast_expert.McastTxSocket(family, mcast_ips=[group], iface=iface) as tx:
            for _ in range(count):
                tx.sendto(payload, (group, port))
                time.sleep(0.05)
        print("done", flush=True)
        """
}
