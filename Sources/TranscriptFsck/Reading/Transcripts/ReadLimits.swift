/// The limits that keep a hostile or broken transcript from exhausting memory or time.
struct ReadLimits: Sendable, Equatable {
    /// A line longer than this is refused: no real message is this large, a runaway stream is.
    var maximumLineBytes: Int
    /// Past `expansionGraceBytes` of text, a gzip or zstd file that has expanded more than this many times
    /// its compressed size is refused as a likely compression bomb. Real transcripts expand 3 to 20 times.
    var maximumExpansionRatio: Int
    var expansionGraceBytes: Int

    init(maximumLineBytes: Int = 512 << 20, maximumExpansionRatio: Int = 200, expansionGraceBytes: Int = 128 << 20) {
        self.maximumLineBytes = maximumLineBytes
        self.maximumExpansionRatio = maximumExpansionRatio
        self.expansionGraceBytes = expansionGraceBytes
    }

    static let standard = ReadLimits()
}
