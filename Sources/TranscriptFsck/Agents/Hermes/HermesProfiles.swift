/// The agent's profiles, as `hermes_cli/profiles.py` and `hermes_constants.py` define them (0.13.0 to 0.19.0 alike):
/// every profile is a home of its own, with its own `state.db` and `sessions/`. The `default` profile is the root
/// itself; a named one is `<root>/profiles/<name>/`.
enum HermesProfiles {
    static let defaultName = "default"

    /// One profile: its name and its home (what the agent sets `HERMES_HOME` to for it).
    struct Profile: Sendable, Equatable {
        let name: String
        let home: String
    }

    /// `list_profiles()`: the default (when the root is a directory), then every directory under `profiles/` whose
    /// name `_PROFILE_ID_RE` accepts, in name order, except one named `default`. `is_dir()` follows symbolic links.
    /// A `profiles/` that is there but cannot be listed is an error, as it is to the agent (`iterdir` raises): its
    /// profiles would go unaudited.
    static func list(root: String) throws(FsckError) -> [Profile] {
        guard POSIX.isDirectory(root) else { return [] }
        var profiles = [Profile(name: defaultName, home: root)]
        let directory = root + "/profiles"
        var entries: [String] = []
        if POSIX.isDirectory(directory) {
            do { entries = try POSIX.entryNames(in: directory) } catch {
                throw .profilesUnlistable(path: directory, errno: error.rawValue)
            }
        }
        let names = entries.filter { isProfileName($0) && $0 != defaultName }
        for name in names.sorted() where POSIX.isDirectory(directory + "/" + name) {
            profiles.append(Profile(name: name, home: directory + "/" + name))
        }
        return profiles
    }

    /// The entries under `profiles/` that `list_profiles()` passes over (a name it does not accept, `default`, a file).
    static func passedOver(root: String) -> [String] {
        let directory = root + "/profiles"
        let listed = Set(((try? list(root: root)) ?? []).map(\.name))
        return ((try? POSIX.entryNames(in: directory)) ?? []).filter { !listed.contains($0) }.sorted()
    }

    /// The root and profile name of a home, as `get_default_hermes_root` and `get_active_profile_name` see it: a
    /// home whose parent directory is named `profiles` is that root's named profile; any other is a root.
    static func place(home: String) -> (root: String, profile: String) {
        let path = home.count > 1 && home.hasSuffix("/") ? String(home.dropLast()) : home
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        let name = parts.last.map(String.init) ?? ""
        if parts.count >= 3, parts[parts.count - 2] == "profiles", isProfileName(name), name != defaultName {
            let root = parts.dropLast(2).joined(separator: "/")
            return (root.isEmpty ? "/" : root, name)
        }
        return (path, defaultName)
    }

    /// `normalize_profile_name`: surrounding blanks dropped, lower case (`Default` is `default`); nil when what is
    /// left is not a name the agent accepts (`validate_profile_name`).
    static func normalized(_ name: String) -> String? {
        let lowered = name[...].trimmingSpaces.lowercased()
        return lowered == defaultName || isProfileName(lowered) ? lowered : nil
    }

    /// `_PROFILE_ID_RE`: `^[a-z0-9][a-z0-9_-]{0,63}$`.
    static func isProfileName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func isLowerAlphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        return isLowerAlphanumeric(bytes[0]) && bytes.dropFirst().allSatisfy { isLowerAlphanumeric($0) || $0 == 0x5F || $0 == 0x2D }
    }
}
