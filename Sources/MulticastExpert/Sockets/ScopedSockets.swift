/// Opens a receiver, runs `body` with it, and closes it however `body` ends — the Swift
/// counterpart of the seed's `with McastRxSocket(...) as s:` block.
///
/// Sockets also close when released, and ``McastRxSocket/close()`` closes one at a moment of
/// the caller's choosing, so a socket can live in a stored property too (the seed's
/// `ExitStack` FAQ has no Swift equivalent because none is needed).
public func withMcastRxSocket<Result>(
    groups: [MulticastGroup], port: UInt16, interfaces: [InterfaceSpecifier] = [], sources: [IPAddress] = [],
    mode: ReceiveMode = .blocking, _ body: (McastRxSocket) throws -> Result
) throws -> Result {
    let socket = try McastRxSocket(groups: groups, port: port, interfaces: interfaces, sources: sources, mode: mode)
    defer { socket.close() }
    return try body(socket)
}

/// Async variant of ``withMcastRxSocket(groups:port:interfaces:sources:mode:_:)``.
public func withMcastRxSocket<Result>(
    groups: [MulticastGroup], port: UInt16, interfaces: [InterfaceSpecifier] = [], sources: [IPAddress] = [],
    mode: ReceiveMode = .blocking, _ body: (McastRxSocket) async throws -> Result
) async throws -> Result {
    let socket = try McastRxSocket(groups: groups, port: port, interfaces: interfaces, sources: sources, mode: mode)
    defer { socket.close() }
    return try await body(socket)
}

/// Opens a sender, runs `body` with it, and closes it however `body` ends.
public func withMcastTxSocket<Result>(
    groups: [MulticastGroup], interface: InterfaceSpecifier? = nil, ttl: Int = 1, loopback: Bool = false,
    _ body: (McastTxSocket) throws -> Result
) throws -> Result {
    let socket = try McastTxSocket(groups: groups, interface: interface, ttl: ttl, loopback: loopback)
    defer { socket.close() }
    return try body(socket)
}
