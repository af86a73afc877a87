/// The Internet checksum (RFC 1071): the ones' complement sum of 16-bit words. A message whose
/// checksum field is right sums to 0xffff.
enum InternetChecksum {
    /// The folded ones' complement sum of the bytes of all `parts`, as one run (an odd part's last
    /// byte pairs with the next part's first, as the pseudo-header and message do when concatenated).
    static func sum(_ parts: ArraySlice<UInt8>...) -> UInt16 {
        var total: UInt32 = 0
        var pending: UInt8?
        for part in parts {
            for byte in part {
                if let high = pending {
                    total &+= UInt32(high) << 8 | UInt32(byte)
                    total = (total & 0xffff) &+ (total >> 16)
                    pending = nil
                } else {
                    pending = byte
                }
            }
        }
        if let high = pending { total &+= UInt32(high) << 8 }
        while total > 0xffff { total = (total & 0xffff) &+ (total >> 16) }
        return UInt16(total)
    }
}
