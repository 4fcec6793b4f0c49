import Foundation

/// Affinities a venue computed itself, to assign with instead of refer's own scores:
/// OpenReview Affinity_Score edges (head the submission, tail the reviewer, weight the score),
/// a CSV `submission_id,reviewer,score`, or the headerless `paper_id,profile_id,score` rows
/// openreview-expertise writes and openreview-matcher reads. Given any, they replace refer's
/// affinity for every pair: a pair without a row scores 0, as openreview-matcher scores it
/// (the count is noted); refer still shows each reviewer's evidence papers.
public struct ConferenceAffinities: Sendable {
    public struct Row: Sendable {
        public var submission: String
        public var reviewer: String
        public var score: Double
        public var source: String
    }

    public var rows: [Row] = []

    public init() {}

    /// Reads affinity files; every bad row is refused naming FILE:LINE and the field, all at once.
    public init(files: [String]) throws {
        var rows: [Row] = [], problems = InputProblems(), others: [String] = []
        for path in files {
            guard !OpenReviewEdge.isJSON(path) else { others.append(path); continue }
            guard let text = problems.attempt({ try TextFile.read(path).text }),
                  let records = problems.attempt({ try CSVTable.records(text, path: path) }) else { continue }
            // Headerless rows (the matcher's scores): the first row's third field is a number.
            guard let first = records.first, first.fields.count == 3, Double(first.fields[2].trimmingCharacters(in: .whitespaces)) != nil else {
                others.append(path); continue
            }
            for r in records where !r.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                let f = r.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                guard f.count == 3, !f[0].isEmpty, !f[1].isEmpty, let score = Double(f[2]), score.isFinite else {
                    problems.add("\(path):\(r.line): a scores row is paper_id,reviewer,score with a number last"); continue
                }
                rows.append(Row(submission: f[0], reviewer: f[1], score: score, source: "\(path):\(r.line)"))
            }
        }
        _ = problems.attempt {
            try ChairFiles.read(others, edges: ["Affinity_Score"], flag: "--affinities", required: ["score"]) { e in
                guard let w = e.weight, w.isFinite else { throw ProfileError("\(e.source): field 'weight' is not a number") }
                rows.append(Row(submission: e.head, reviewer: e.tail, score: w, source: e.source))
            } table: { table, problems in
                let header = "submission_id,reviewer,score"
                let sub = try ConferenceBids.column(table, ["submission_id", "paper_id", "paper", "pid"], header: header)
                let who = try ConferenceBids.column(table, ["reviewer", "reviewer_id", "profile_id", "email"], header: header)
                for row in table.rows {
                    _ = problems.attempt {
                        let s = try row.required(sub, in: table.path), r = try row.required(who, in: table.path), text = try row.required("score", in: table.path)
                        guard let score = Double(text), score.isFinite else { throw ProfileError("\(table.path):\(row.line): field 'score' is '\(text)', not a number") }
                        rows.append(Row(submission: s, reviewer: r, score: score, source: "\(table.path):\(row.line)"))
                    }
                }
            }
        }
        try problems.check()
        self.rows = rows
    }
}
