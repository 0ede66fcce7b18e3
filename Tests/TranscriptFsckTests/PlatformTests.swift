import Foundation
import Testing
@testable import TranscriptFsck

/// The system-call boundary: what each call throws, and the one wait loop the three lock waits share.
@Suite(.tags(.unit)) struct PlatformTests {
    @Test func aFileThatIsNotThereThrowsNotFoundAndADirectoryIsReadAsOne() throws {
        let directory = TemporaryDirectory("platform")
        #expect(throws: Errno.notFound) { try FileStatus(path: directory.file("absent")) }
        #expect(throws: Errno.notFound) { try FileDescriptor(opening: directory.file("absent")) }
        #expect(try FileStatus(path: directory.path).kind == .directory)
        let file = try directory.write("a.jsonl", text: "{}\n")
        #expect(try FileStatus(path: file).kind == .regularFile)
        #expect(try FileStatus(path: file).size == 3)
    }

    @Test func aLinkIsALinkToLstatAndNotFollowedWhenAskedNotTo() throws {
        let directory = TemporaryDirectory("platform")
        let target = try directory.write("target", text: "x")
        try FileManager.default.createSymbolicLink(atPath: directory.file("link"), withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: directory.file("dangling"), withDestinationPath: directory.file("gone"))
        #expect(try FileStatus(linkAt: directory.file("link")).kind == .symbolicLink)
        #expect(try FileStatus(path: directory.file("link")).kind == .regularFile)
        #expect(try FileStatus(linkAt: directory.file("dangling")).kind == .symbolicLink)
        #expect(throws: Errno.symbolicLink) { try FileDescriptor(opening: directory.file("link"), followingLinks: false) }
    }

    @Test func aFIFOIsNamedForWhatItIs() throws {
        let directory = TemporaryDirectory("platform")
        #expect(mkfifo(directory.file("pipe"), 0o600) == 0)
        #expect(try FileStatus(linkAt: directory.file("pipe")).kind == .fifo)
    }

    @Test func aNewFileIsCreatedOnceAndThenExists() throws {
        let directory = TemporaryDirectory("platform")
        let path = directory.file("new")
        let file = try FileDescriptor(creatingNew: path, like: nil)
        try file.writeAll(Array("hello".utf8))
        file.close()
        #expect(throws: Errno.exists) { try FileDescriptor(creatingNew: path, like: nil) }
        #expect(try FileDescriptor.contents(of: path) == Array("hello".utf8))
    }

    @Test func aDirectoryListsItsNamesAsBytesEvenWhenTheyAreNotUTF8() throws {
        let directory = TemporaryDirectory("platform")
        let odd: [UInt8] = Array("bad-".utf8) + [0xFF] + Array(".jsonl".utf8)
        let path = Array(directory.path.utf8) + [UInt8(ascii: "/")] + odd
        let descriptor = (path + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) }
        }
        #expect(descriptor >= 0)
        close(descriptor)
        try directory.write("plain.jsonl", text: "")
        #expect(Set(try POSIX.entryNameBytes(in: directory.path)) == [odd, Array("plain.jsonl".utf8)])
        #expect(try FileStatus(linkAtBytes: path).kind == .regularFile)
        #expect(throws: Errno.notFound) { try POSIX.entryNameBytes(in: directory.file("absent")) }
    }

    @Test func aSecondOpenFileCannotTakeAnExclusiveLockTheFirstHolds() throws {
        let directory = TemporaryDirectory("platform")
        let path = try directory.write("lock", text: "")
        let first = try FileDescriptor(opening: path, .readWrite)
        let second = try FileDescriptor(opening: path, .readWrite)
        defer { first.close(); second.close() }
        #expect(try first.lockExclusivelyIfFree())
        #expect(try !second.lockExclusivelyIfFree())
        first.unlock()
        #expect(try second.lockExclusivelyIfFree())
    }

    @Test func retryTellsOnceThatItWaitsAndGivesUpAtTheDeadline() {
        var tries = 0
        var told = 0
        let start = ContinuousClock.now
        let result: Int? = retry(until: start + .milliseconds(120), backoff: .constant(.milliseconds(20)),
                                 onFirstWait: { told += 1 }) { _ in
            tries += 1
            return nil
        }
        #expect(result == nil)
        #expect(told == 1)
        #expect(tries >= 2)
        #expect(ContinuousClock.now - start >= .milliseconds(120))
    }

    @Test func retryReturnsTheFirstResultWithoutWaitingOrTelling() {
        var told = false
        let result = retry(until: .now + .seconds(5), backoff: .doubling(from: .milliseconds(25), upTo: .seconds(1)),
                           onFirstWait: { told = true }) { _ in 7 }
        #expect(result == 7)
        #expect(!told)
    }

    @Test func retryDoublesItsPauseUpToTheLongest() {
        var tries: [ContinuousClock.Instant] = []
        _ = retry(until: .now + .milliseconds(600), backoff: .doubling(from: .milliseconds(20), upTo: .milliseconds(80))) { _ -> Int? in
            tries.append(.now)
            return nil
        }
        // A sleep is never shorter than asked (a loaded machine only makes it longer): 20, 40, 80, 80 ms at least, the
        // last pause cut short by the deadline.
        let pauses = zip(tries.dropFirst(), tries).map { $0 - $1 }.dropLast()
        #expect(pauses.count >= 3)
        for (index, pause) in pauses.enumerated() {
            #expect(pause >= .milliseconds(min(20 << index, 80)), "pause \(index): \(pause)")
        }
    }

    @Test func sqlitesExtendedCodesHaveTheNumbersSqlite3hGivesThem() {
        #expect(SQLiteResultCode.readOnlyDirectory.rawValue == 1544)
        #expect(SQLiteResultCode.readOnlyCannotInitialize.rawValue == 1288)
        #expect(SQLiteResultCode.readOnlyDirectory.primary == .readOnly)
        #expect(SQLiteResultCode(rawValue: 517).isBusy)  // SQLITE_BUSY_SNAPSHOT
        #expect(SQLiteResultCode.locked.isBusy)
        #expect(!SQLiteResultCode.readOnly.isBusy)
        #expect(SQLiteResultCode.busy.description == "5")
    }

    @Test func aTimestampIsReadInUTCAndInTheLocalZone() {
        let written = CalendarTime(year: 2026, month: 12, day: 3, hour: 8, minute: 41, second: 25)
        #expect(written.secondsSinceEpochInUTC == 1_796_287_285)
        #expect(written.secondsSinceEpochInLocalZone != nil)
    }
}
