@testable import MulticastMonitor
import Testing

@Suite("iperf2 UDP header decoding")
struct IperfHeaderTests {
    /// Bytes from a hex string (spaces ignored).
    func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    /// The first 40 bytes of datagrams iperf 2.1.8 sent (`iperf -c … -u -l 200`), captured here.
    var first: [UInt8] { bytes("00000001 6b0777b8 000a6e2c 00000000 48010098 00000001 0000c737 000000c8 00000000 ffffffe2") }
    var second: [UInt8] { bytes("00000002 6b0777b8 000aad63 00000000 48010098 00000001 0000c737 000000c8 00000000 ffffffe2") }
    var closing: [UInt8] { bytes("ffffff24 6b0777b9 00000f03 ffffffff 48010098 00000001 0000c737 000000c8 00000000 ffffffe2") }
    /// The same with `-C` (compatibility: no flags, the payload pattern at offset 16).
    var compatibleFirst: [UInt8] { bytes("00000001 6b0777c2 000e95cc 00000000 36373839 30313233") }
    var compatibleClosing: [UInt8] { bytes("ffffff2b 6b0777c3 0002bf73 ffffffff 36373839 30313233") }

    @Test("iperf 2.1.8's first datagram is sequence 1, 64-bit form, with its send time")
    func realFirst() throws {
        let header = try #require(IperfHeader(decoding: first))
        #expect(header.sequence == 1)
        #expect(!header.isFinal)
        #expect(header.isSequence64Bit)
        #expect(header.sendTimeNanoseconds == 0x6B07_77B8 * 1_000_000_000 + 0x000A_6E2C * 1_000)
        #expect(IperfHeader(decoding: second)?.sequence == 2)
    }

    @Test("iperf 2.1.8's closing datagrams carry the negated sequence number")
    func realClosing() throws {
        let header = try #require(IperfHeader(decoding: closing))
        #expect(header.isFinal)
        #expect(header.sequence == 220)  // 0xffffffff_ffffff24 = −220
        #expect(header.isSequence64Bit)
    }

    @Test("the FIN of the brief, id 0xffffffbe and id2 0xffffffff, is −66")
    func closingSixtySix() throws {
        var payload = first
        payload[0...3] = [0xFF, 0xFF, 0xFF, 0xBE]
        payload[12...15] = [0xFF, 0xFF, 0xFF, 0xFF]
        let header = try #require(IperfHeader(decoding: payload))
        #expect(header.isFinal)
        #expect(header.sequence == 66)
    }

    @Test("a 64-bit sequence number past 2^32 joins id2 and id as unsigned halves")
    func sixtyFourBit() throws {
        var payload = first
        payload[0...3] = [0x80, 0, 0, 2]  // negative as int32, but only the low half here
        payload[12...15] = [0, 0, 0, 1]
        let header = try #require(IperfHeader(decoding: payload))
        #expect(!header.isFinal)
        #expect(header.sequence == 1 << 32 | 0x8000_0002)
    }

    @Test("without HEADER_SEQNO64B (older iperf2, or -C) the sequence number is id alone")
    func thirtyTwoBit() throws {
        let header = try #require(IperfHeader(decoding: compatibleFirst))
        #expect(header.sequence == 1)
        #expect(!header.isFinal)
        #expect(!header.isSequence64Bit)
        let closing = try #require(IperfHeader(decoding: compatibleClosing))
        #expect(closing.isFinal)
        #expect(closing.sequence == 213)
        // Old iperf2: flags (HEADER_VERSION1) at offset 12, sequence 7; 16 bytes is enough.
        let old = try #require(IperfHeader(decoding: bytes("00000007 6b0777c2 00000000 80000000")))
        #expect(old.sequence == 7)
        #expect(!old.isSequence64Bit)
        let oldFinal = try #require(IperfHeader(decoding: bytes("fffffff9 6b0777c2 00000000 80000000")))
        #expect(oldFinal.isFinal)
        #expect(oldFinal.sequence == 7)
    }

    @Test("the most negative sequence numbers do not trap")
    func mostNegative() throws {
        let old = try #require(IperfHeader(decoding: bytes("80000000 00000000 00000000 00000000")))
        #expect(old.isFinal)
        #expect(old.sequence == 1 << 31)
        var payload = first
        payload[0...3] = [0, 0, 0, 0]
        payload[12...15] = [0x80, 0, 0, 0]
        let wide = try #require(IperfHeader(decoding: payload))
        #expect(wide.isFinal)
        #expect(wide.sequence == 1 << 63)
    }

    @Test("tv_usec of a million or more is not a time, so not iperf")
    func microsecondsOutOfRange() throws {
        #expect(IperfHeader(decoding: bytes("00000001 6b0777b8 000f4240 00000000 48010098")) == nil)  // 1_000_000
        #expect(IperfHeader(decoding: bytes("00000001 6b0777b8 ffffffff 00000000 48010098")) == nil)
        let largest = try #require(IperfHeader(decoding: bytes("00000001 6b0777b8 000f423f 00000000 48010098")))
        #expect(largest.sendTimeNanoseconds == Int64(0x6B07_77B8) * 1_000_000_000 + 999_999_000)
    }

    @Test("the largest tv_sec does not trap")
    func hugeSeconds() throws {
        let header = try #require(IperfHeader(decoding: bytes("00000001 ffffffff 000f423f 00000000")))
        #expect(header.sendTimeNanoseconds == Int64(4_294_967_295) * 1_000_000_000 + 999_999_000)
    }

    @Test("fewer than 16 bytes are rejected; 16 to 19 bytes read the 32-bit form")
    func lengths() {
        for length in 0..<16 { #expect(IperfHeader(decoding: Array(first.prefix(length))) == nil) }
        for length in 16..<20 { #expect(IperfHeader(decoding: Array(first.prefix(length)))?.isSequence64Bit == false) }
        #expect(IperfHeader(decoding: Array(first.prefix(20)))?.isSequence64Bit == true)
    }

    @Test("random bytes never trap")
    func randomBytes() {
        var random = SplitMix64(seed: 0x1BE2F)
        var decoded = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 32)
            var payload = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if length >= 12 { payload[8] = 0; payload[9] = 0x0F & payload[9] }  // tv_usec often in range
            if let header = IperfHeader(decoding: payload) {
                decoded += 1
                #expect(header.sendTimeNanoseconds >= 0)
            }
        }
        #expect(decoded > 1_000)
    }
}
