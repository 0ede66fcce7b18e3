extension RepairNotice: CustomStringConvertible {
    public var description: String {
        switch self {
        case .waitingForRepairLock(let path, let seconds):
            "waiting for \(path): another repair holds it (up to \(seconds) s)"
        case .dryRunBesideRepair(let lockPath):
            "another repair holds \(lockPath): this plan is of the store as it is now, before that repair ends"
        case .agentHasDatabaseOpen(let database):
            "another process has \(database) open (the agent?): writing one session at a time, leaving the write lock free between them"
        case .waitingForWriteLock(let database, let session, let seconds):
            "waiting for the write lock on \(database) (another connection is writing); session \(session), up to \(seconds) s"
        case .sessionChangedWhileRepaired(let session):
            "session \(session) changed while being repaired; planning it again"
        }
    }
}
