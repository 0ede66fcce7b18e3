/// The partial copies of backups that were interrupted before they were named (`state.db.bak-...partial-PID` and its
/// `-wal`, `-shm`), which a process killed outright (SIGKILL, a power cut) cannot remove itself.
enum BackupLeftovers {
    /// The leftovers beside `database` whose process is gone, by path, sorted.
    static func find(beside database: String) -> [String] {
        let slash = database.lastIndex(of: "/")
        let directory = slash.map { String(database[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let prefix = String(database[(slash.map { database.index(after: $0) } ?? database.startIndex)...]) + ".bak-"
        var found: [String] = []
        for name in (try? POSIX.entryNames(in: directory)) ?? [] {
            let parts = name.split(separator: ".partial-", omittingEmptySubsequences: false)
            guard name.hasPrefix(prefix), parts.count == 2 else { continue }
            let digits = parts[1].prefix { $0.isNumber }
            guard let pid = Int32(digits), !POSIX.processExists(pid) else { continue }
            found.append(directory == "/" ? "/" + name : directory + "/" + name)
        }
        return found.sorted()
    }
}
