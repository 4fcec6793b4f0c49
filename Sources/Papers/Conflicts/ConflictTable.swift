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

    /// Checks every committee member against every submission's authors.
    public init(submissions: [PaperRecord], finder: ReviewerFinder) throws {
        guard let committee = finder.committee, !committee.members.isEmpty else {
            throw ProfileError("a conflict table needs a committee: give --committee FILE, or a store ingested with --committee")
        }
        var rows: [Row] = []
        for s in submissions {
            let draft = try finder.draftAuthors(ConflictPolicy.Author.of(s))
            for reviewer in finder.members {
                if let e = finder.conflicts.conflict(of: reviewer, with: draft) { rows.append(Row(submission_id: s.id, exclusion: e)) }
            }
        }
        self.rows = rows
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
