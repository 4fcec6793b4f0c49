/// The files a chair gives for one flag (`--bids`, `--loads`, `--conflicts`): each either
/// OpenReview edges (JSON, ``OpenReviewEdge``) of the kinds the flag takes, or a CSV table
/// read by its header (``CSVTable``). Every problem of every file is gathered, so one run
/// names them all.
enum ChairFiles {
    /// Calls `edge` for each edge and `table` for each table; what they throw or record is
    /// thrown together at the end.
    static func read(_ paths: [String], edges kinds: Set<String>, flag: String, required: [String],
                     edge: (OpenReviewEdge) throws -> Void, table: (CSVTable, inout InputProblems) throws -> Void) throws {
        var problems = InputProblems()
        for path in paths {
            if OpenReviewEdge.isJSON(path) {
                for e in problems.attempt({ try OpenReviewEdge.read(path, kinds: kinds, flag: flag) }) ?? [] {
                    _ = problems.attempt { try edge(e) }
                }
            } else if let t = problems.attempt({ try CSVTable(path: path, required: required) }) {
                // The table's own problems (a missing column) and its rows' go into one list.
                var rows = InputProblems()
                do { try table(t, &rows) } catch { rows.add("\(error)") }
                for m in rows.messages { problems.add(m) }
            }
        }
        try problems.check()
    }
}
