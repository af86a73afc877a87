import SystemPackage

extension MulticastError {
    /// Turns a failed system call into the most helpful error: privilege and address-in-use
    /// failures get their own cases; everything else keeps the call's name and errno.
    static func from(_ errno: Errno, operation: String, address: SocketAddress? = nil) -> MulticastError {
        switch errno {
        case .permissionDenied, .notPermitted:
            return .permissionDenied(operation: operation)
        case .tooManyOpenFiles:
            let limit = DescriptorLimit.current()
            return .tooManyOpenFiles(operation: operation, soft: limit?.soft, hard: limit?.hard)
        case .tooManyOpenFilesInSystem:
            return .systemFileTableFull(operation: operation)
        case .addressInUse:
            return .addressInUse(address: address.map { "\($0.address)" } ?? "address", port: address?.port ?? 0)
        default:
            return .system(operation: operation, errno: errno)
        }
    }
}
