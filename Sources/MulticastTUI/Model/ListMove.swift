/// A movement through a list: the arrow, page and Home/End keys mean the same on every screen.
public enum ListMove: Sendable, Hashable, CaseIterable {
    case up, down, pageUp, pageDown, first, last
}
