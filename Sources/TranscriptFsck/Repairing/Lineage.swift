/// The compression lineages of a store: which sessions a session continues and which continue it.
///
/// Compression ends a session and goes on in a child (`parent_session_id`), and the agent reads a lineage with
/// one query across its sessions, `WHERE session_id IN (root..tip) ORDER BY id` (`get_messages_as_conversation`
/// with `include_ancestors`, 0.19's `get_resume_conversations` and `get_ancestor_display_prefix`). So every row
/// of an ancestor must keep an id below every row of its descendants, and a repair places rows within those bounds.
struct Lineage: Sendable {
    private let parents: [String: String]
    private let children: [String: [String]]

    init(sessions: [String: DatabaseSession]) {
        var parents: [String: String] = [:]
        var children: [String: [String]] = [:]
        for (id, session) in sessions {
            guard let parent = session.parentSessionID, !parent.isEmpty, parent != id else { continue }
            parents[id] = parent
            children[parent, default: []].append(id)
        }
        // No agent writes a cycle, and no order of ids can satisfy one: its sessions are taken as lineages of their own.
        let cyclic = Set(parents.keys.filter { id in
            var seen: Set<String> = []
            var current = id
            while let parent = parents[current], seen.insert(parent).inserted {
                if parent == id { return true }
                current = parent
            }
            return false
        })
        for id in cyclic { parents[id] = nil }
        for (parent, list) in children { children[parent] = list.filter { !cyclic.contains($0) } }
        self.parents = parents
        // Sorted by the bytes of the ids, so that a plan is the same on every run.
        self.children = children.mapValues { $0.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    }

    /// The sessions `id` continues, parent first, up to the root (the links hold no cycle: `init` took them out).
    func ancestors(of id: String) -> [String] {
        var chain: [String] = []
        var current = id
        while let parent = parents[current] {
            chain.append(parent)
            current = parent
        }
        return chain
    }

    /// Every session that continues `id`, directly or through others, nearest first.
    func descendants(of id: String) -> [String] {
        var found = children[id] ?? []
        var next = 0
        while next < found.count {
            found += children[found[next]] ?? []
            next += 1
        }
        return found
    }
}
