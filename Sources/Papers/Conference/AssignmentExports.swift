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

    /// The members' OpenReview profile ids (`~Jane_Doe1`), or an error naming every member
    /// without one: openreview-matcher and OpenReview's edges know reviewers by profile id
    /// alone, and a name in their place would be read as another reviewer.
    func openReviewIDs(_ committee: Committee, for what: String) throws -> [String: String] {
        var key: [String: String] = [:], missing: [String] = []
        for m in committee.members {
            if let id = ((m.profile.ids ?? []) + m.ids).first(where: { $0.hasPrefix("openreview:") }) { key[m.profile.name] = String(id.dropFirst("openreview:".count)) }
            else { missing.append(m.profile.name) }
        }
        guard missing.isEmpty else {
            throw ProfileError("\(what) name reviewers by OpenReview profile id, and \(missing.count) member(s) have none: \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? ", …" : ""); give a committee with OpenReview ids (an expertise dataset's archives, or profiles with ids [\"openreview:~Name1\"])")
        }
        return key
    }

    /// openreview-matcher's inputs (`--scores`, `--constraints`), headerless as its
    /// `matcher/__main__.py` reads them (`csv.reader`, every row data): `scores.csv` has
    /// `paper_id,profile_id,score` for every eligible pair (refer's affinity), `conflicts.csv`
    /// `paper_id,profile_id,-1` for every excluded pair.
    public func matcherFiles(committee: Committee) throws -> (scores: String, conflicts: String) {
        let key = try openReviewIDs(committee, for: "openreview-matcher's files")
        var scores = "", conflicts = ""
        for (i, s) in suggestions.enumerated() {
            for (j, name) in reviewers.map(\.name).enumerated() {
                if let a = affinities[safe: i]?[safe: j] ?? nil { scores += "\(s.submission_id),\(key[name]!),\(String(format: "%.6f", a))\n" }
            }
            for e in s.excluded { conflicts += "\(s.submission_id),\(key[e.name]!),-1\n" }
        }
        return (scores, conflicts)
    }

    /// The assignment as OpenReview edges, one JSON object a line, as openreview-py's
    /// `Edge.to_json()` writes the matcher's proposals: invitation
    /// `<venue>/Reviewers/-/Proposed_Assignment`, head the submission's note id, tail the
    /// reviewer's profile id, weight the affinity, label "refer"; readers the venue and the
    /// reviewer, written and signed by the venue's programme chairs. Post them with
    /// `openreview.tools.post_bulk_edges`, then deploy them as OpenReview's matching does.
    public func openReviewEdges(committee: Committee) throws -> String {
        guard let venue else { throw ProfileError("OpenReview edges need OpenReview submissions (the venue id comes from their invitations or domain)") }
        let key = try openReviewIDs(committee, for: "OpenReview edges")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try assignment.map { pair in
            let tail = key[pair.reviewer_id]!
            let edge = Edge(invitation: "\(venue)/Reviewers/-/Proposed_Assignment", head: pair.submission_id, tail: tail, weight: pair.score,
                            label: "refer", readers: [venue, tail], writers: [venue], signatures: ["\(venue)/Program_Chairs"])
            return String(decoding: try encoder.encode(edge), as: UTF8.self) + "\n"
        }.joined()
    }

    struct Edge: Encodable {
        var invitation, head, tail: String
        var weight: Double
        var label: String
        var readers, writers, signatures: [String]
    }
}
