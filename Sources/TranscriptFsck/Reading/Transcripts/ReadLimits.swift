/// The limits that keep a hostile or broken transcript from exhausting memory or time.
public struct ReadLimits: Sendable, Equatable {
    /// A line longer than this is refused: no real message is this large, a runaway stream is.
    public var maximumLineBytes: Int
    /// Past `expansionGraceBytes` of text, a gzip file that has expanded more than this many times
    /// its compressed size is refused as a likely gzip bomb. Real transcripts expand 3 to 20 times.
    public var maximumExpansionRatio: Int
    public var expansionGraceBytes: Int

    public init(maximumLineBytes: Int = 512 << 20, maximumExpansionRatio: Int = 200, expansionGraceBytes: Int = 128 << 20) {
        self.maximumLineBytes = maximumLineBytes
        self.maximumExpansionRatio = maximumExpansionRatio
        self.expansionGraceBytes = expansionGraceBytes
    }

    public static let standard = ReadLimits()
}
