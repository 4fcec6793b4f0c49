import Foundation
import Names
import Storage

/// Who may not review a draft, and why. A reviewer is in conflict when they
/// - are one of the draft's authors,
/// - wrote a paper with one of them in the last `coauthorYears` years (papers
///   without a year count as recent), found in the reviewer's profile and in the
///   store's papers by that author,
/// - share an affiliation with one of them (when both are known; a draft author's
///   affiliation is written "Name (Affiliation)").
/// Names meet by ``AuthorNames/samePerson(_:_:)`` (an initial matches any first name
/// with that letter): a missed conflict costs more than a needlessly excluded reviewer.
public struct ConflictPolicy: Sendable, Equatable {
    /// Co-authorship older than this many years does not count; nil: any time.
    public var coauthorYears: Int?
    /// The year "recent" is measured from (default: this calendar year).
    public var referenceYear: Int

    public init(coauthorYears: Int? = 5, referenceYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())) {
        self.coauthorYears = coauthorYears; self.referenceYear = referenceYear
    }

    /// A draft author: name and, when given as "Name (Affiliation)", affiliation.
    public struct Author: Sendable, Equatable {
        public var name: String
        public var affiliation: String?

        public init(_ text: String) {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.hasSuffix(")"), let open = t.lastIndex(of: "(") {
                name = t[..<open].trimmingCharacters(in: .whitespaces)
                let a = t[t.index(after: open)..<t.index(before: t.endIndex)].trimmingCharacters(in: .whitespaces)
                affiliation = a.isEmpty ? nil : a
            } else {
                name = t; affiliation = nil
            }
        }
    }

    /// Why committee member `member` may not review `draft`, or nil.
    public func conflict(of member: Committee.Member, with draft: DraftAuthors) -> ReviewerExclusion? {
        let reviewer = member.profile, coauthors = member.coauthors
        if let c = authorship(of: coauthors.owner, named: reviewer.name, with: draft) { return c }
        for a in draft.authors {
            if let i = coauthors.firstPublication(with: a.name, where: { isRecent(reviewer.publications[$0].year) }) {
                let p = reviewer.publications[i]
                return .coauthor(reviewer.name, of: a.author.name, paper: .init(id: member.paperIDs[safe: i], title: p.title, year: p.year))
            }
            if let c = storeCoauthorship(of: coauthors.owner, named: reviewer.name, with: a) { return c }
        }
        if let mine = reviewer.affiliation.map(Self.affiliationKey), !mine.isEmpty {
            for a in draft.authors where a.author.affiliation.map(Self.affiliationKey) == mine {
                return ReviewerExclusion(name: reviewer.name, reason: "same affiliation as \(a.author.name): \(a.author.affiliation!)",
                                         rule: .affiliation, paper: nil)
            }
        }
        return nil
    }

    /// Why a person found in the store (no profile of their own: every paper of theirs
    /// is a store paper) may not review `draft`, or nil. Co-authorship is symmetric, so
    /// the draft authors' store papers hold every shared paper the person's would.
    public func conflict(ofStoreAuthor person: PersonName, named name: String, with draft: DraftAuthors) -> ReviewerExclusion? {
        if let c = authorship(of: person, named: name, with: draft) { return c }
        for a in draft.authors { if let c = storeCoauthorship(of: person, named: name, with: a) { return c } }
        return nil
    }

    func authorship(of person: PersonName, named name: String, with draft: DraftAuthors) -> ReviewerExclusion? {
        guard let a = draft.authors.first(where: { $0.name.mayBe(person) }) else { return nil }
        return ReviewerExclusion(name: name, reason: a.author.name == name ? "author of the draft" : "author of the draft (as '\(a.author.name)')",
                                 rule: .author, paper: nil)
    }

    func storeCoauthorship(of person: PersonName, named name: String, with a: DraftAuthors.Entry) -> ReviewerExclusion? {
        guard let p = a.storePapers.first(where: { isRecent($0.paper.year) && $0.authors.contains { $0.mayBe(person) } }) else { return nil }
        return .coauthor(name, of: a.author.name, paper: .init(id: p.paper.id, title: p.paper.title, year: p.paper.year))
    }

    /// A draft's authors prepared for checking a whole committee: each name parsed
    /// once, with the store's papers by that author and their authors parsed.
    public struct DraftAuthors: Sendable {
        struct Entry: Sendable {
            let author: Author
            let name: PersonName
            let storePapers: [(paper: PaperRecord, authors: [PersonName])]
        }
        let authors: [Entry]

        public init(_ authors: [Author], storePapers: (String) throws -> [PaperRecord] = { _ in [] }) rethrows {
            self.authors = try authors.map { a in
                Entry(author: a, name: PersonName(a.name),
                      storePapers: try storePapers(a.name).map { ($0, ($0.authors ?? []).map(PersonName.init)) })
            }
        }
    }

    func isRecent(_ year: Int?) -> Bool {
        guard let window = coauthorYears, let year else { return true }
        return year >= referenceYear - window
    }

    static func affiliationKey(_ s: String) -> String { PaperListParser.titleKey(s) }
}

/// A reviewer's name and the co-authors of their publications, parsed once, so that a
/// draft is checked against a whole committee without re-reading every author list.
public struct CoauthorIndex: Sendable, Equatable {
    /// The reviewer's own name.
    public let owner: PersonName
    /// Family name → the people with it on the reviewer's publications (with the
    /// publication's index), in publication order.
    private let byFamily: [String: [Coauthor]]

    struct Coauthor: Sendable, Equatable {
        let name: PersonName
        let publication: Int
    }

    public init(_ profile: ReviewerProfile) {
        owner = PersonName(profile.name)
        var index: [String: [Coauthor]] = [:]
        for (i, p) in profile.publications.enumerated() {
            for a in p.authors {
                let name = PersonName(a)
                if !name.family.isEmpty { index[name.family, default: []].append(Coauthor(name: name, publication: i)) }
            }
        }
        byFamily = index
    }

    /// The first publication, in the profile's order, that has an author who may be
    /// `person` and for which `include` holds.
    func firstPublication(with person: PersonName, where include: (Int) -> Bool) -> Int? {
        byFamily[person.family]?.first { $0.name.mayBe(person) && include($0.publication) }?.publication
    }
}
