import Testing
@testable import TranscriptFsck
@Test func zzLayoutProbe() {
    print("PROBE SessionFinding", MemoryLayout<SessionFinding>.stride, "Problem?", MemoryLayout<Problem?>.stride,
          "SessionFacts?", MemoryLayout<SessionFacts?>.stride, "Alignment?", MemoryLayout<Alignment?>.stride,
          "Entry", MemoryLayout<IncrementalAudit.Entry>.stride)
}
