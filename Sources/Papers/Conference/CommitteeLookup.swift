import Names

/// Finds the committee member a chair's file means: by e-mail address (any of theirs,
/// case-insensitive), by author id (`orcid:…`, an OpenReview `~Profile_Id1`, …), else by
/// name under the one name rule (``PersonName/mayBe(_:)``: "Doe, Jane", "J. Doe" and "Jane
/// R. Doe" are Jane Doe). A reference that fits two members, or none, is refused naming the
/// file, line and field and the closest members; one naming a person the committee files
/// list but who does not review (a chair) is recognised as such, so that a conflict with
/// them is not mistaken for a typo.
public struct CommitteeLookup: Sendable {
    /// What a reference names.
    public enum Found: Sendable, Equatable {
        case member(Int)
        /// Someone listed who does not review (``Committee/NonReviewer``): nothing to enforce.
        case nonReviewer(String, why: String)
    }

    public let names: [String]
    private let people: [PersonName]
    private let emails: [[String]]
    private var byEmail: [String: Int] = [:], byID: [String: Int] = [:]
    private let others: [Committee.NonReviewer]
    /// Whether any member has an e-mail (else an e-mail reference is read for the name in it).
    private let hasEmails: Bool

    public init(_ committee: Committee) {
        names = committee.members.map(\.profile.name)
        people = names.map(PersonName.init)
        emails = committee.members.map { ($0.profile.emails ?? []).map { $0.lowercased() } }
        others = committee.nonReviewers
        for (i, m) in committee.members.enumerated() {
            for e in emails[i] { byEmail[e] = byEmail[e] ?? i }
            for id in (m.profile.ids ?? []) + m.ids { byID[id] = byID[id] ?? i }
        }
        hasEmails = !byEmail.isEmpty || others.contains { !$0.emails.isEmpty }
    }

    /// The member `reference` names, or an error naming `at` (FILE:LINE), the `field` and the closest members.
    public func member(_ reference: String, at: String, field: String = "reviewer") throws -> Int {
        switch try find(reference, at: at, field: field) {
        case .member(let j): return j
        case .nonReviewer(let name, let why):
            throw ProfileError("\(at): field '\(field)': '\(reference)' is \(name), who \(why) and reviews nothing here")
        }
    }

    /// What `reference` names: a member, or a listed person who does not review.
    public func find(_ reference: String, at: String, field: String = "reviewer") throws -> Found {
        let text = reference.trimmingCharacters(in: .whitespaces)
        let problem = "\(at): field '\(field)': "
        if text.contains("@") && !text.contains(" ") {
            let address = text.lowercased()
            if let i = byEmail[address] { return .member(i) }
            if let o = others.first(where: { $0.emails.contains(address) }) { return .nonReviewer(o.name, why: o.why) }
            // A committee without addresses (names only): the address's own name, when it spells one person.
            if !hasEmails, let name = Self.name(inAddress: address) {
                let found = people.indices.filter { people[$0].mayBe(name) }
                if found.count == 1 { return .member(found[0]) }
                throw ProfileError(problem + "the committee has no e-mails, and '\(text)' " + (found.isEmpty
                    ? "names nobody on it\(closest(to: name))" : "fits \(found.count) members (\(found.map { names[$0] }.joined(separator: ", ")))")
                    + "; give a committee file with e-mails (HotCRP's PC info CSV)")
            }
            if !hasEmails {
                throw ProfileError(problem + "the committee has no e-mails, and '\(text)' cannot be read as a name; give a committee file with e-mails (HotCRP's PC info CSV)")
            }
            throw ProfileError(problem + "no committee member has the e-mail '\(text)'\(closestAddress(to: address))")
        }
        for id in [text, "openreview:" + text] where byID[id] != nil { return .member(byID[id]!) }
        if PersonRecord.isID(text) {
            if let o = others.first(where: { $0.ids.contains(text) }) { return .nonReviewer(o.name, why: o.why) }
            throw ProfileError(problem + "no committee member has the id '\(text)'")
        }
        let name = PersonName(text)
        guard !name.isEmpty else { throw ProfileError(problem + "'\(text)' is not a name, e-mail or id") }
        let found = people.indices.filter { people[$0].mayBe(name) }
        if found.count == 1 { return .member(found[0]) }
        if found.count > 1 {
            throw ProfileError(problem + "'\(text)' fits \(found.count) committee members (\(found.map { names[$0] }.joined(separator: ", "))); give an e-mail or id")
        }
        if let o = others.first(where: { PersonName($0.name).mayBe(name) }) { return .nonReviewer(o.name, why: o.why) }
        throw ProfileError(problem + "no committee member is '\(text)'\(closest(to: name)); give their name, e-mail or id")
    }

    /// "jonathan.berant@…" → Jonathan Berant: an address whose part before `@` is two or more
    /// words joined by `.`, `_` or `-`; nil otherwise ("jb@…", "berant@…").
    static func name(inAddress address: String) -> PersonName? {
        let local = address.prefix { $0 != "@" }.split(whereSeparator: { ".-_".contains($0) }).map(String.init)
        guard local.count >= 2, local.allSatisfy({ $0.allSatisfy(\.isLetter) }) else { return nil }
        return PersonName(local.joined(separator: " "))
    }

    /// " (closest: A, B)" for the members whose names are nearest `name`: the same family
    /// name first, then by edit distance; "" when none is near.
    func closest(to name: PersonName) -> String {
        let target = name.given + " " + name.family
        let ranked = people.indices.map { i -> (Int, Int) in
            let p = people[i]
            let d = p.family == name.family ? 0 : EditDistance.between(p.given + " " + p.family, target)
            return (d, i)
        }.filter { $0.0 <= max(2, target.count / 3) }.sorted { $0 < $1 }.prefix(3)
        return ranked.isEmpty ? "" : " (closest: \(ranked.map { names[$0.1] }.joined(separator: ", ")))"
    }

    /// " (closest: a@x (Name))" for the member addresses nearest `address`.
    func closestAddress(to address: String) -> String {
        let ranked = emails.indices.flatMap { i in emails[i].map { (EditDistance.between($0, address), $0, i) } }
            .filter { $0.0 <= max(2, address.count / 4) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(3)
        return ranked.isEmpty ? "" : " (closest: \(ranked.map { "\($0.1) (\(names[$0.2]))" }.joined(separator: ", ")))"
    }
}

/// Levenshtein distance, for naming the closest member to a misspelt reference.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let keep = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = keep
            }
        }
        return row[b.count]
    }
}
