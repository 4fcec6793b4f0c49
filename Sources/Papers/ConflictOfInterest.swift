import Foundation
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

    /// The reason `reviewer` may not review a draft by `authors`, or nil.
    /// `storePapers(author)` gives the stored papers listing that author.
    public func conflict(of reviewer: ReviewerProfile, with authors: [Author],
                         storePapers: (String) throws -> [PaperRecord] = { _ in [] }) rethrows -> String? {
        let me = reviewer.name
        for a in authors where AuthorNames.samePerson(a.name, me) {
            return a.name == reviewer.name ? "author of the draft" : "author of the draft (as '\(a.name)')"
        }
        for a in authors {
            for p in reviewer.publications where isRecent(p.year) && p.authors.contains(where: { AuthorNames.samePerson($0, a.name) }) {
                return "co-author of \(a.name): '\(p.title)'" + (p.year.map { " (\($0))" } ?? "")
            }
            for p in try storePapers(a.name) where isRecent(p.year) && (p.authors ?? []).contains(where: { AuthorNames.samePerson($0, me) }) {
                return "co-author of \(a.name): '\(p.title)'" + (p.year.map { " (\($0))" } ?? "")
            }
        }
        if let mine = reviewer.affiliation.map(Self.affiliationKey), !mine.isEmpty {
            for a in authors where a.affiliation.map(Self.affiliationKey) == mine {
                return "same affiliation as \(a.name): \(a.affiliation!)"
            }
        }
        return nil
    }

    func isRecent(_ year: Int?) -> Bool {
        guard let window = coauthorYears, let year else { return true }
        return year >= referenceYear - window
    }

    static func affiliationKey(_ s: String) -> String { PaperListParser.titleKey(s) }
}
