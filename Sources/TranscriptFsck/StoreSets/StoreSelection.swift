#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which stores a run looks at, from the command line: agent homes (each with its profiles), or one store's files.
///
/// A home is a root unless its parent directory is named `profiles`: a root's stores are its default profile and
/// every named profile the agent lists; a profile's home is that profile alone, as the agent resolves `HERMES_HOME`.
/// `--db` or `--transcripts` name one store's files, and its profiles are not looked for.
public struct StoreSelection: Sendable {
    public var homes: [String]
    public var database: String?
    public var transcriptRoots: [String]
    /// Only these profiles of each home's root (`default` is the root itself).
    public var profiles: [String]

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
            return [NamedStore(location: location, root: nil, profile: nil, label: location.database, mayNeverHaveRun: false)]
        }
        let homes = homes.isEmpty ? [StoreLocation.defaultHome(environment: environment)] : homes
        var profilesByRoot: [(root: String, profiles: [HermesProfiles.Profile], listed: Bool)] = []
        for home in homes {
            let place = HermesProfiles.place(home: home)
            if !profiles.isEmpty {
                profilesByRoot.append((place.root, try chosenProfiles(root: place.root), true))
            } else if place.profile != HermesProfiles.defaultName {
                profilesByRoot.append((place.root, [HermesProfiles.Profile(name: place.profile, home: place.root + "/profiles/" + place.profile)], true))
            } else {
                let listed = HermesProfiles.list(root: place.root)
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
                guard seen.insert(location.database).inserted else { continue }
                let label = oneRoot ? profile.name : profile.name == HermesProfiles.defaultName ? root : "\(root) (\(profile.name))"
                stores.append(NamedStore(location: location, root: root, profile: profile.name, label: label,
                                         mayNeverHaveRun: listed || profile.name != HermesProfiles.defaultName))
            }
        }
        return stores
    }

    /// `--profile`: each name as the agent normalises it, which must be a profile of `root`.
    private func chosenProfiles(root: String) throws(FsckError) -> [HermesProfiles.Profile] {
        let available = HermesProfiles.list(root: root)
        var chosen: [HermesProfiles.Profile] = []
        for name in profiles {
            guard let canonical = HermesProfiles.normalized(name) else { throw .notAProfileName(name) }
            if canonical == HermesProfiles.defaultName {
                chosen.append(HermesProfiles.Profile(name: canonical, home: root))
            } else if let profile = available.first(where: { $0.name == canonical }) {
                chosen.append(profile)
            } else {
                throw .profileNotFound(root: root, name: canonical, available: available.map(\.name))
            }
        }
        return chosen
    }
}

/// One store of a run: where it is, and which profile of which root.
public struct NamedStore: Sendable, Equatable {
    public let location: StoreLocation
    /// The agent root and profile the store was found as; nil when `--db` or `--transcripts` named its files.
    public let root: String?
    public let profile: String?
    /// What a person is shown: the profile when the run has one root; the root, and the profile if not the default, when
    /// it has several; the database when files were named.
    public let label: String
    /// A profile the agent created but never ran a session in has no `state.db` yet: no error, nothing to audit.
    let mayNeverHaveRun: Bool

    /// The label as the start of a file name (`coder.`): every byte but letters, digits, `-` and `_` becomes `_`.
    public var fileNamePrefix: String {
        String(decoding: label.utf8.map { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F ? byte : 0x5F
        }, as: UTF8.self) + "."
    }

    /// True when this is a profile that has never run: no database file, and no transcript in its transcript folders.
    func hasNeverRun() -> Bool {
        guard mayNeverHaveRun, POSIX.fileIdentity(location.database) == nil else { return false }
        let roots = location.transcriptRoots.filter(POSIX.isDirectory)
        guard let discovery = try? TranscriptDiscovery.find(roots: roots) else { return false }
        return discovery.transcripts.isEmpty && discovery.unread.isEmpty
    }
}

extension StoreSelection {
    /// `--homes-from`: one home a line; blank lines and lines starting with `#` are passed over. `-` is standard input.
    public static func homes(listedIn path: String) throws(FsckError) -> [String] {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .homesFileUnreadable(path: path, errno: errno) }
        defer { if descriptor != 0 { POSIX.close(descriptor) } }
        return POSIX.readToEnd(descriptor).split(separator: UInt8(ascii: "\n")).compactMap { line in
            var home = String(decoding: line, as: UTF8.self)[...]
            while home.first?.isWhitespace == true { home.removeFirst() }
            while home.last?.isWhitespace == true { home.removeLast() }
            return home.isEmpty || home.hasPrefix("#") ? nil : String(home)
        }
    }
}
