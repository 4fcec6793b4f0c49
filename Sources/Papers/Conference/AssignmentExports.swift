import Foundation

/// The assignment in the files chairs upload: refer's CSV, HotCRP's bulk assignment and
/// OpenReview matcher's scores.
extension ConferenceAssignment {
    /// `submission_id,reviewer_id,score` rows (refer's CSV; the reviewer is the member's name).
    public var csv: String {
        (["submission_id,reviewer_id,score"] + assignment.map {
            "\(CSVField.quoted($0.submission_id)),\(CSVField.quoted($0.reviewer_id)),\(String(format: "%.6f", $0.score))"
        }).joined(separator: "\n") + "\n"
    }

    /// HotCRP's bulk assignment upload: `paper,action,email`, one `primary` review per
    /// pair (HotCRP assigns by e-mail, so every assigned reviewer needs one).
    public func hotcrpCSV() throws -> String {
        let email = Dictionary(reviewers.map { ($0.name, $0.email) }, uniquingKeysWith: { a, _ in a })
        let missing = Set(assignment.map(\.reviewer_id)).filter { (email[$0] ?? nil) == nil }.sorted()
        guard missing.isEmpty else {
            throw ProfileError("HotCRP assigns by e-mail, and these reviewers have none: \(missing.joined(separator: ", ")); give a committee file with e-mails")
        }
        return (["paper,action,email"] + assignment.map { "\(CSVField.quoted($0.submission_id)),primary,\(CSVField.quoted(email[$0.reviewer_id]!!))" })
            .joined(separator: "\n") + "\n"
    }

    /// OpenReview matcher's scores file: `paper,reviewer,score` with a header; the reviewer
    /// is the member's OpenReview profile id when known, else their e-mail, else their name.
    public func matcherCSV(committee: Committee) -> String {
        var key: [String: String] = [:]
        for m in committee.members {
            let profile = ((m.profile.ids ?? []) + m.ids).first { $0.hasPrefix("openreview:") }.map { String($0.dropFirst("openreview:".count)) }
            key[m.profile.name] = profile ?? m.profile.emails?.first ?? m.profile.name
        }
        return (["paper,reviewer,score"] + assignment.map {
            "\(CSVField.quoted($0.submission_id)),\(CSVField.quoted(key[$0.reviewer_id] ?? $0.reviewer_id)),\(String(format: "%.6f", $0.score))"
        }).joined(separator: "\n") + "\n"
    }
}
