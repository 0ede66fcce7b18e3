extension DatabaseReader {
    /// Throws `damagedDatabase` unless SQLite's full integrity check passes. A damaged file misleads a repair's plan
    /// (an index missing rows hides them from the session's reads, and the repair would insert them again), so a
    /// repair, dry run included, asks this before it reads anything else.
    static func refuseDamage(path: String) throws(FsckError) {
        let verdict: String
        do {
            verdict = try StoreDatabase.open(path: path, mode: .readOnly).check(.full)
        } catch {
            throw FsckError(reading: error, path: path)
        }
        guard verdict == "ok" else { throw .damagedDatabase(path: path, verdict: verdict) }
    }
}
