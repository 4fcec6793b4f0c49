import Names

/// Finds the committee member a chair's file means: by e-mail address (any of theirs,
/// case-insensitive), by author id (`orcid:…`, an OpenReview `~Profile_Id1`, …), else by
/// name under the one name rule (``AuthorNames/key(_:)``, "Doe, Jane" is Jane Doe). A name
/// that fits two members, or none, is refused naming the file and line.
public struct CommitteeLookup: Sendable {
    private var byEmail: [String: Int] = [:], byID: [String: Int] = [:], byName: [String: [Int]] = [:]
    public let names: [String]

    public init(_ committee: Committee) {
        names = committee.members.map(\.profile.name)
        for (i, m) in committee.members.enumerated() {
            for e in m.profile.emails ?? [] { byEmail[e.lowercased()] = byEmail[e.lowercased()] ?? i }
            for id in (m.profile.ids ?? []) + m.ids { byID[id] = byID[id] ?? i }
            byName[AuthorNames.key(m.profile.name), default: []].append(i)
        }
    }

    /// The member `reference` names; `at` (FILE:LINE) goes into the error.
    public func member(_ reference: String, at: String) throws -> Int {
        let text = reference.trimmingCharacters(in: .whitespaces)
        if text.contains("@") {
            guard let i = byEmail[text.lowercased()] else { throw ProfileError("\(at): no committee member has the e-mail '\(text)'") }
            return i
        }
        if let i = byID[text] { return i }
        let found = byName[AuthorNames.key(text)] ?? []
        guard !found.isEmpty else { throw ProfileError("\(at): no committee member is '\(text)' (give their name, e-mail or id)") }
        guard found.count == 1 else {
            throw ProfileError("\(at): '\(text)' fits \(found.count) committee members (\(found.map { names[$0] }.joined(separator: ", "))); give an e-mail or id")
        }
        return found[0]
    }
}
