import Foundation
import Names

/// Conflicts declared by a chair or by reviewers themselves: a CSV with the header
/// `reviewer,author_or_domain,reason`. `reviewer` is a name, an e-mail or an author id;
/// `author_or_domain` is a draft author's name or id, or an organisation's e-mail
/// domain (`mit.edu`: every author with an address there). Names meet by the one name
/// rule (``PersonName/mayBe(_:)``), domains by ``EmailDomain``.
public struct DeclaredConflicts: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var reviewer: String
        public var target: Target
        public var reason: String
        /// Where it was declared: FILE:LINE.
        public var source: String
    }

    public enum Target: Sendable, Equatable {
        case person(PersonName, text: String)
        case id(String)
        case domain(String)
    }

    public var entries: [Entry] = []

    public init() {}

    /// Reads declared-conflict CSVs; a bad row is refused naming FILE:LINE and the field.
    public init(files: [String]) throws {
        var problems = InputProblems()
        for path in files {
            guard let table = problems.attempt({ try CSVTable(path: path, required: ["reviewer", "author_or_domain", "reason"]) }) else { continue }
            for row in table.rows {
                let at = "\(path):\(row.line)"
                _ = problems.attempt {
                    let reviewer = try row.required("reviewer", in: path)
                    let target = try row.required("author_or_domain", in: path)
                    entries.append(Entry(reviewer: reviewer, target: try Self.target(target, at: at),
                                         reason: row["reason"] ?? "declared conflict", source: at))
                }
            }
        }
        try problems.check()
    }

    /// Every entry whose reviewer is not on `committee` (none, or several members), named:
    /// a declaration that can never apply is a mistake, not a no-op.
    public func problems(against committee: Committee) -> [String] {
        let lookup = CommitteeLookup(committee)
        var problems = InputProblems()
        for e in entries { _ = problems.attempt { try lookup.find(e.reviewer, at: e.source) } }
        return problems.messages
    }

    /// An id (`source:value`), an e-mail domain (`@mit.edu`, `mit.edu`: a dot, no space), or a name.
    static func target(_ text: String, at: String) throws -> Target {
        if PersonRecord.isID(text) { return .id(text) }
        let bare = text.hasPrefix("@") ? String(text.dropFirst()) : text
        if text.hasPrefix("@") || (bare.contains(".") && !bare.contains(" ") && !bare.hasSuffix(".")) {
            guard let org = EmailDomain.organisation(of: bare) else {
                throw ProfileError("\(at): '\(text)' is a webmail or invalid domain; a conflict with every address there would mean nothing")
            }
            return .domain(org)
        }
        return .person(PersonName(text), text: text)
    }

    /// Whether a declaration's `reviewer` cell names `r`: by id, e-mail, else the name rule.
    static func names(_ text: String, _ r: ConflictPolicy.Reviewer) -> Bool {
        if PersonRecord.isID(text) || text.hasPrefix("~") { return r.ids.contains(text) || r.ids.contains("openreview:" + text) }
        if text.contains("@") && !text.contains(" ") { return r.emails.contains(text.lowercased()) }
        return PersonName(text).mayBe(r.person)
    }

    /// The declared entry that applies to `reviewer` and one of `authors`, with that author.
    func entry(for reviewer: ConflictPolicy.Reviewer, with authors: [ConflictPolicy.DraftAuthors.Entry]) -> (Entry, ConflictPolicy.DraftAuthors.Entry)? {
        for e in entries where Self.names(e.reviewer, reviewer) {
            for a in authors {
                switch e.target {
                case let .person(name, _): if a.name.mayBe(name) { return (e, a) }
                case let .id(id): if a.author.id == id || a.ids.contains(id) { return (e, a) }
                case let .domain(org): if a.author.email.flatMap(EmailDomain.organisation) == org { return (e, a) }
                }
            }
        }
        return nil
    }
}
