import Foundation
@testable import TranscriptFsck

/// The library's two entry points run in this process on a home, as `scan --home` and `repair --home` find the store
/// (its default database and transcripts, no environment read): the one copy every suite calls.
enum StoreRun {
    /// The store under `home`: `home/state.db` and the transcripts under `home/sessions`.
    static func location(_ home: String) -> StoreLocation {
        .resolve(home: home, database: nil, transcriptRoots: [], environment: [:])
    }

    /// `StoreScanner.scan()` of `home`: every session, or only those `sessions` names.
    static func scan(_ home: String, sessions: [String] = [], jobs: Int = 1) async throws -> ScanReport {
        try await StoreScanner(location: location(home), sessionIDs: sessions.map { SessionID($0) }, jobs: jobs).scan()
    }

    /// `StoreRepairer.repair()` of `home`; by default without a backup, which the tests of the backup ask for.
    @discardableResult
    static func repair(_ home: String, _ options: StoreRepairer.Options = .init(makeBackup: false)) async throws -> RepairReport {
        try await StoreRepairer(location: location(home), options: options).repair()
    }
}

/// A store's files as bytes on disk.
enum StoreFiles {
    /// Folds the WAL into the database file, so that the file alone holds the store (to compare, copy or hand it on).
    static func checkpoint(_ database: String) throws {
        try SQLiteConnection(path: database, mode: .readWrite).execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
}
