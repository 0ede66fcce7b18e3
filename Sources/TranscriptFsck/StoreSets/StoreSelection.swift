/// Which stores a run looks at, from the command line: agent homes (each with its profiles), or one store's files.
///
/// A home is a root unless its parent directory is named `profiles`: a root's stores are its default profile and
/// every named profile the agent lists; a profile's home is that profile alone, as the agent resolves `HERMES_HOME`.
/// `--db` or `--transcripts` name one store's files, and its profiles are not looked for.
public struct StoreSelection: Sendable {
    var homes: [String]
    var database: String?
    var transcriptRoots: [String]
    /// Only these profiles of each home's root (`default` is the root itself).
    var profiles: [String]

    public init(homes: [String] = [], database: String? = nil, transcriptRoots: [String] = [], profiles: [String] = []) {
        self.homes = homes
        self.database = database
        self.transcriptRoots = transcriptRoots
        self.profiles = profiles
    }

    /// The stores, each once, in the order the homes were given and the agent lists their profiles.
    public func stores(environment: [String: String]) throws(FsckError) -> [NamedStore] {
        if database != nil || !transcriptRoots.isEmpty {
            let location = StoreLocation.resolve(home: homes.first, database: database, transcriptRoots: transcriptRoots,
                                                 environment: environment)
            return [NamedStore(location: location, root: nil, profile: nil, label: location.database, mayNeverHaveRun: false, unavailable: nil)]
        }
        let homes = homes.isEmpty ? [HermesLayout.defaultHome(environment: environment)] : homes
        var profilesByRoot: [(root: String, profiles: [HermesProfiles.Profile], listed: Bool)] = []
        var unavailable: [String: FsckError] = [:]
        for home in homes {
            let place = HermesProfiles.place(home: home)
            if !profiles.isEmpty {
                // Of one home, a profile it lacks is an error of the run; of many, of that home's store alone.
                let chosen = try chosenProfiles(root: place.root, failingAlone: homes.count > 1)
                for (profile, failure) in chosen { if let failure { unavailable[profile.home] = failure } }
                profilesByRoot.append((place.root, chosen.map(\.0), true))
            } else if place.profile != HermesProfiles.defaultName {
                profilesByRoot.append((place.root, [HermesProfiles.Profile(name: place.profile, home: place.root + "/profiles/" + place.profile)], true))
            } else {
                let listed: [HermesProfiles.Profile]
                do {
                    listed = try HermesProfiles.list(root: place.root)
                } catch {
                    // Of many homes, that home's failure; of one, the run's.
                    guard homes.count > 1 else { throw error }
                    unavailable[place.root] = error
                    profilesByRoot.append((place.root, [HermesProfiles.Profile(name: HermesProfiles.defaultName, home: place.root)], true))
                    continue
                }
                // A root with no profiles is one store, whose missing database is an error as it always was.
                profilesByRoot.append((place.root, listed.isEmpty ? [HermesProfiles.Profile(name: HermesProfiles.defaultName, home: home)] : listed,
                                       listed.count > 1))
            }
        }
        let oneRoot = Set(profilesByRoot.map(\.root)).count == 1
        var stores: [NamedStore] = []
        var seen: Set<String> = []
        for (root, profiles, listed) in profilesByRoot {
            for profile in profiles {
                let location = StoreLocation.resolve(home: profile.home, database: nil, transcriptRoots: [], environment: environment)
                // One store, however its path is spelt (./, //, a link to it): the file it is, else the path.
                let identity = POSIX.fileIdentity(location.database).map { "\($0.device):\($0.inode)" } ?? location.database
                guard seen.insert(identity).inserted else { continue }
                let label = oneRoot ? profile.name : profile.name == HermesProfiles.defaultName ? root : "\(root) (\(profile.name))"
                stores.append(NamedStore(location: location, root: root, profile: profile.name, label: label,
                                         mayNeverHaveRun: listed || profile.name != HermesProfiles.defaultName,
                                         unavailable: unavailable[profile.home]))
            }
        }
        return stores
    }

    /// `--profile`: each name as the agent normalises it, which must be a profile of `root`; with `failingAlone`, one
    /// that is not is kept with its error, for that store's outcome.
    private func chosenProfiles(root: String, failingAlone: Bool) throws(FsckError) -> [(HermesProfiles.Profile, FsckError?)] {
        let available = try HermesProfiles.list(root: root)
        var chosen: [(HermesProfiles.Profile, FsckError?)] = []
        for name in profiles {
            guard let canonical = HermesProfiles.normalized(name) else { throw .notAProfileName(name) }
            if canonical == HermesProfiles.defaultName {
                chosen.append((HermesProfiles.Profile(name: canonical, home: root), nil))
            } else if let profile = available.first(where: { $0.name == canonical }) {
                chosen.append((profile, nil))
            } else {
                let failure = FsckError.profileNotFound(root: root, name: canonical, available: available.map(\.name))
                guard failingAlone else { throw failure }
                chosen.append((HermesProfiles.Profile(name: canonical, home: root + "/profiles/" + canonical), failure))
            }
        }
        return chosen
    }
}

/// One store of a run: where it is, and which profile of which root.
public struct NamedStore: Sendable {
    public let location: StoreLocation
    /// The agent root and profile the store was found as; nil when `--db` or `--transcripts` named its files.
    let root: String?
    let profile: String?
    /// What a person is shown: the profile when the run has one root; the root, and the profile if not the default, when
    /// it has several; the database when files were named.
    public let label: String
    /// A profile the agent created but never ran a session in has no `state.db` yet: no error, nothing to audit.
    let mayNeverHaveRun: Bool
    /// Why the store cannot be looked at at all (a home of many that lacks the `--profile` named): its outcome.
    let unavailable: FsckError?

    /// The label as the start of a file name (`coder.`): letters, digits, `.`, `-` and `_` as they are, every other
    /// byte as `%XX`, so that two labels never give one name.
    public var fileNamePrefix: String {
        var name = ""
        for byte in label.utf8 {
            let plain = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || ".-_".utf8.contains(byte)
            name += plain ? String(UnicodeScalar(byte)) : "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
        }
        return name + "."
    }

    /// True when this is a profile that has never run: its directory can be read, it holds no `state.db` (not even a
    /// link to one that is gone), and its transcript folders hold no transcript. Anything it cannot tell is no.
    func hasNeverRun() -> Bool {
        let home = HermesLayout.home(ofDatabase: location.database) ?? ""
        guard mayNeverHaveRun, (try? POSIX.entryNames(in: home.isEmpty ? "/" : home)) != nil,
              Self.nameError(location.database) == .notFound else { return false }
        var roots: [String] = []
        for root in location.transcriptRoots {
            switch Self.nameError(root) {
            case .notFound?: continue
            case nil where (try? POSIX.entryNames(in: root)) != nil: roots.append(root)
            default: return false
            }
        }
        guard let discovery = try? TranscriptDiscovery.find(roots: roots) else { return false }
        return discovery.transcripts.isEmpty && discovery.unread.isEmpty
    }

    /// Why `path` names nothing itself (`lstat`: a link that points nowhere is something); nil when it names something.
    private static func nameError(_ path: String) -> Errno? {
        do { _ = try FileStatus(linkAt: path); return nil } catch { return error }
    }
}

extension StoreSelection {
    /// `--homes-from`: one home a line; blank lines and lines starting with `#` are passed over. `-` is standard input.
    public static func homes(listedIn path: String) throws(FsckError) -> [String] {
        let bytes: [UInt8]
        do { bytes = try path == "-" ? FileDescriptor.standardInput.readToEnd() : FileDescriptor.contents(of: path) } catch {
            throw .homesFileUnreadable(path: path, errno: error.rawValue)
        }
        var homes: [String] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard !line.contains(0) else { throw .homesFileDefect(path: path, line: index + 1, defect: .nulByte) }
            var home = String(decoding: line, as: UTF8.self)[...]
            while home.first?.isWhitespace == true { home.removeFirst() }
            while home.last?.isWhitespace == true { home.removeLast() }
            if !home.isEmpty, !home.hasPrefix("#") { homes.append(String(home)) }
        }
        // An empty list is a mistake upstream (a find that found nothing), never "audit the default home".
        guard !homes.isEmpty else { throw .homesFileDefect(path: path, line: nil, defect: .noHomes) }
        return homes
    }
}

extension [NamedStore] {
    /// The store, when the run covers one that is read as it always was; nil for a run over several, or over one profile
    /// that has never run or cannot be looked at, which a `StoreSetReport` reports.
    public var onlyStore: StoreLocation? {
        guard count == 1, let store = first, store.unavailable == nil, !store.hasNeverRun() else { return nil }
        return store.location
    }
}
