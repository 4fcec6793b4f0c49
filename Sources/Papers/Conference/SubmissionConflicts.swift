/// Conflicts a chair gives per submission: a CSV `submission_id,reviewer[,reason]`
/// (`refer conflicts` writes such a table, so a reviewed one can come back), or OpenReview
/// Conflict edges (JSON, ``OpenReviewEdge``: head the submission, tail the reviewer).
public enum SubmissionConflicts {
    /// Every row of `files`; every bad row is refused naming FILE:LINE and the field, all at once.
    public static func load(_ files: [String]) throws -> [SubmissionConflict] {
        var out: [SubmissionConflict] = []
        try ChairFiles.read(files, edges: ["Conflict"], flag: "--conflicts", required: ["submission_id", "reviewer"]) { e in
            out.append(SubmissionConflict(submission: e.head, reviewer: e.tail, reason: "OpenReview conflict\(e.label.map { " '\($0)'" } ?? "") (\(e.source))",
                                          source: e.source, submissionField: "head", reviewerField: "tail"))
        } table: { table, problems in
            for row in table.rows {
                let at = "\(table.path):\(row.line)"
                _ = problems.attempt {
                    let s = try row.required("submission_id", in: table.path)
                    let r = try row.required("reviewer", in: table.path)
                    out.append(SubmissionConflict(submission: s, reviewer: r, reason: row["reason"].map { "\($0) (\(at))" } ?? "declared conflict (\(at))", source: at))
                }
            }
        }
        return out
    }
}
