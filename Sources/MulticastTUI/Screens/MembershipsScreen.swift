import MulticastDoctor

/// The Memberships screen: what this whole host has joined (not only this program), as read
/// from /proc when the screen is entered or `r` is pressed.
public struct MembershipsScreen: Sendable, Hashable {
    public var memberships: [Membership] = []
    public var cursor = ListCursor()
    /// `/`: moves the cursor to the rows that contain its text.
    public var search = ListSearch()

    public init() {}

    /// Takes a fresh reading, keeping the cursor on a row.
    mutating func update(_ memberships: [Membership]) {
        self.memberships = memberships
        cursor.clamp(count: memberships.count)
    }
}
