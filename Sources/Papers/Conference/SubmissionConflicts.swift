/// Conflicts a chair gives per submission: a CSV `submission_id,reviewer[,reason]`
/// (`refer conflicts` writes such a table, so a reviewed one can come back), or OpenReview
/// Conflict edges (JSON, ``OpenReviewEdge``: head the submission, tail the reviewer).
public enum SubmissionConflicts {
    /// Every row of `files`; every bad row is refused naming FILE:LINE and the field, all at once.
    public static func load(_ files: [String]) throws -> [SubmissionConflict] {
        var out: [SubmissionConflict] = [], problems = InputProblems()
        for path in files {
            if OpenReviewEdge.isJSON(path) {
                for e in problems.attempt({ try OpenReviewEdge.read(path, kinds: ["Conflict"], flag: "--conflicts") }) ?? [] {
                    out.append(SubmissionConflict(submission: e.head, reviewer: e.tail, reason: "OpenReview conflict\(e.label.map { " '\($0)'" } ?? "") (\(e.source))",
                                                  source: e.source, submissionField: "head", reviewerField: "tail"))
                }
                continue
            }
            guard let table = problems.attempt({ try CSVTable(path: path, required: ["submission_id", "reviewer"]) }) else { continue }
            for row in table.rows {
                let at = "\(path):\(row.line)"
                _ = problems.attempt {
                    let s = try row.required("submission_id", in: path)
                    let r = try row.required("reviewer", in: path)
                    out.append(SubmissionConflict(submission: s, reviewer: r, reason: row["reason"].map { "\($0) (\(at))" } ?? "declared conflict (\(at))", source: at))
                }
            }
        }
        try problems.check()
        return out
    }
}
