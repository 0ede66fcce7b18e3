/// The compression lineages of a store: which sessions a session continues and which continue it.
///
/// Compression ends a session and goes on in a child (`parent_session_id`), and the agent reads a lineage with
/// one query across its sessions, `WHERE session_id IN (root..tip) ORDER BY id` (`get_messages_as_conversation`
/// with `include_ancestors`, 0.19's `get_resume_conversations` and `get_ancestor_display_prefix`). So every row
/// of an ancestor must keep an id below every row of its descendants, and a repair places rows within those bounds.
struct Lineage: Sendable {
    private let parents: [SessionID: SessionID]
    private let children: [SessionID: [SessionID]]

    init(sessions: [SessionID: DatabaseSession]) {
        var parents: [SessionID: SessionID] = [:]
        var children: [SessionID: [SessionID]] = [:]
        for (id, session) in sessions {
            guard let parent = session.parentSessionID, !parent.bytes.isEmpty, parent != id else { continue }
            parents[id] = parent
            children[parent, default: []].append(id)
        }
        // No agent writes a cycle, and no order of ids can satisfy one: its sessions are taken as lineages of their own.
        let cyclic = Set(parents.keys.filter { id in
            var seen: Set<SessionID> = []
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
        self.children = children.mapValues { $0.sorted() }
    }

    /// The sessions `id` continues, parent first, up to the root (the links hold no cycle: `init` took them out).
    func ancestors(of id: SessionID) -> [SessionID] {
        var chain: [SessionID] = []
        var current = id
        while let parent = parents[current] {
            chain.append(parent)
            current = parent
        }
        return chain
    }

    /// Every session that continues `id`, directly or through others, nearest first.
    func descendants(of id: SessionID) -> [SessionID] {
        var found = children[id] ?? []
        var next = 0
        while next < found.count {
            found += children[found[next]] ?? []
            next += 1
        }
        return found
    }
}
