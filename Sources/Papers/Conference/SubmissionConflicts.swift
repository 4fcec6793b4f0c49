/// Conflicts a chair gives per submission: a CSV `submission_id,reviewer[,reason]`
/// (`refer conflicts` writes such a table, so a reviewed one can come back).
public enum SubmissionConflicts {
    public static func load(_ files: [String]) throws -> [SubmissionConflict] {
        var out: [SubmissionConflict] = []
        for path in files {
            let table = try CSVTable(path: path, required: ["submission_id", "reviewer"])
            for row in table.rows {
                let at = "\(path):\(row.line)"
                let s = try row.required("submission_id", in: path)
                let r = try row.required("reviewer", in: path)
                out.append(SubmissionConflict(submission: s, reviewer: r, reason: row["reason"].map { "\($0) (\(at))" } ?? "declared conflict (\(at))", source: at))
            }
        }
        return out
    }
}
