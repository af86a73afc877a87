/// The RTP timestamp clock of a payload type, which interarrival jitter is measured in.
///
/// Static payload types follow RFC 3551 §6 (tables 4 and 5). Dynamic types (96–127) are bound
/// to a clock only by signalling (SDP) the receiver does not see, so they, and every unassigned
/// or reserved type, get the rate the caller passes (90 kHz, the video clock, unless the user
/// says otherwise).
public enum RTPClockRate {
    /// MPEG-2 transport stream over RTP (RFC 2250, RFC 3551): the payload is 188-byte TS packets.
    public static let mpegTransportStream: UInt8 = 33

    /// The timestamp clock of `payloadType` in hertz; `dynamicDefault` for dynamic, unassigned
    /// and reserved types.
    public static func hertz(payloadType: UInt8, dynamicDefault: UInt32 = 90_000) -> UInt32 {
        switch payloadType {
        case 0, 3, 4, 5, 7, 8, 9, 12, 13, 15, 18: 8_000  // PCMU, GSM, G723, DVI4/8k, LPC, PCMA, G722, QCELP, CN, G728, G729
        case 6: 16_000  // DVI4/16k
        case 16: 11_025  // DVI4/11k
        case 17: 22_050  // DVI4/22k
        case 10, 11: 44_100  // L16 stereo, L16 mono
        case 14, 25, 26, 28, 31, 32, 33, 34: 90_000  // MPA, CelB, JPEG, nv, H261, MPV, MP2T, H263
        default: dynamicDefault
        }
    }
}
