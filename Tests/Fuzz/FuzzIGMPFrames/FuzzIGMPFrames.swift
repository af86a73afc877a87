import FuzzSupport
import MulticastDoctor
import MulticastExpert

// The doctor's IGMP/MLD query recogniser, on network-layer packets as a packet socket gives them.
//
// Input layout: byte 0 picks the EtherType (0x0800 for even values below 0x80, 0x86DD for odd
// ones, then a few others), byte 1 the interface index, bytes 2...9 the arrival time; the rest is
// the packet, starting at the IP header.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let etherType: Int
    switch selector {
    case 0..<0x80: etherType = selector & 1 == 0 ? 0x0800 : 0x86DD
    case 0x80..<0xc0: etherType = [0x0806, 0x8100, 0x88CC, 0][Int(selector & 3)]
    default: etherType = Int(selector & 0x3f) << 10 | 0x0800  // anything else
    }
    let interfaceIndex = Int(input.byte())
    let heardAt = Int64(bitPattern: input.uint64())
    let packet = input.rest()
    if let query = QuerierListener.parse(packet, etherType: etherType, interfaceIndex: interfaceIndex, heardAt: heardAt) {
        // Everything the doctor prints or compares about a heard query.
        withExtendedLifetime(String(describing: query)) {}
        withExtendedLifetime(query.source.description) {}
    }
    return 0
}
