import Foundation
import Storage

/// Every conflict of interest between a committee and a set of submissions, one row each,
/// with the rule that fired and its evidence: what `refer conflicts --csv` writes for a
/// chair to audit (or to upload as declared conflicts).
public struct ConflictTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var submission_id: String
        public var exclusion: ReviewerExclusion
    }

    public var rows: [Row]

    /// Every conflict a conference's assignment enforces (``ConferenceConflicts``: the
    /// policy's rules and the conference's own declarations), a row per pair.
    public init(_ conference: ConferenceConflicts) {
        rows = zip(conference.papers, conference.excluded).flatMap { p, row in
            row.compactMap { $0.map { Row(submission_id: p.id, exclusion: $0) } }
        }
    }

    /// Checks every committee member against every submission's authors, and applies the
    /// conference's declarations (`rules`' bids, the submissions' own conflicts).
    public init(submissions: Submissions, finder: ReviewerFinder, rules: ConferenceRules = ConferenceRules(reviewersPerPaper: 1, maxLoad: 1)) throws {
        self.init(try ConferenceConflicts(submissions: submissions, finder: finder, rules: rules))
    }

    /// The CSV's header: the pair, the rule, and each kind of evidence (empty where the rule has none).
    public static let header = "submission_id,reviewer,rule,reason,paper_id,paper_title,paper_year,institution,reviewer_years,author_years,author_id,domain"

    /// One row per conflicted pair, under ``header``.
    public var csv: String {
        ([Self.header] + rows.map { r in
            let e = r.exclusion, i = e.institution
            return [r.submission_id, e.name, e.rule.rawValue, e.reason, e.paper?.id ?? "", e.paper?.title ?? "",
                    e.paper?.year.map(String.init) ?? "", i?.name ?? "", i?.reviewer_years ?? "", i?.author_years ?? "",
                    e.author_id ?? "", e.domain ?? ""].map(CSVField.quoted).joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
enum CSVField {
    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
