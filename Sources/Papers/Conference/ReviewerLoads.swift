/// Per-reviewer loads: a CSV `reviewer,min,max` (either number may be empty: the
/// command's `--min-load`/`--max-load` then hold), or OpenReview Custom_Max_Papers edges
/// (JSON: tail the reviewer, weight the maximum). Reviewers not in a file take the defaults.
public struct ReviewerLoads: Sendable {
    public struct Row: Sendable {
        public var reviewer: String
        public var min: Int?
        public var max: Int?
        public var source: String
    }

    public var rows: [Row] = []

    public init() {}

    /// Reads load files; every bad row is refused naming FILE:LINE and the field, all at once.
    public init(files: [String]) throws {
        var rows: [Row] = []
        try ChairFiles.read(files, edges: ["Custom_Max_Papers"], flag: "--loads", required: ["reviewer", "min", "max"]) { e in
            guard let w = e.weight, w >= 0, w == w.rounded() else { throw ProfileError("\(e.source): field 'weight' is not a whole number ≥ 0") }
            rows.append(Row(reviewer: e.tail, min: nil, max: Int(w), source: e.source))
        } table: { table, problems in
            for row in table.rows {
                let at = "\(table.path):\(row.line)"
                _ = problems.attempt {
                    let r = try row.required("reviewer", in: table.path)
                    func number(_ field: String) throws -> Int? {
                        guard let text = row[field] else { return nil }
                        guard let n = Int(text), n >= 0 else { throw ProfileError("\(at): field '\(field)' is '\(text)', not a whole number ≥ 0") }
                        return n
                    }
                    let lo = try number("min"), hi = try number("max")
                    if let lo, let hi, lo > hi { throw ProfileError("\(at): min \(lo) is above max \(hi)") }
                    rows.append(Row(reviewer: r, min: lo, max: hi, source: at))
                }
            }
        }
        self.rows = rows
    }
}

/// Reviewer groups: a CSV `reviewer,group` ("senior", "junior", …), with how many of each
/// paper's reviewers a group must give (`--group-min senior=1`).
public struct ReviewerGroups: Sendable {
    public struct Row: Sendable {
        public var reviewer: String
        public var group: String
        public var source: String
    }

    public var rows: [Row] = []
    /// Group name → how many of each paper's reviewers must come from it.
    public var minimums: [String: Int] = [:]

    public init() {}

    /// Reads group CSVs and `GROUP=N` minimums; a minimum for a group no row names is refused.
    public init(files: [String], minimums texts: [String]) throws {
        var problems = InputProblems()
        for path in files {
            guard let table = problems.attempt({ try CSVTable(path: path, required: ["reviewer", "group"]) }) else { continue }
            for row in table.rows {
                _ = problems.attempt {
                    rows.append(Row(reviewer: try row.required("reviewer", in: path), group: try row.required("group", in: path), source: "\(path):\(row.line)"))
                }
            }
        }
        try problems.check()
        let known = Set(rows.map(\.group))
        for text in texts {
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let n = Int(parts[1]), n >= 0 else { throw ProfileError("--group-min '\(text)': write GROUP=N, e.g. senior=1") }
            guard known.contains(parts[0]) else {
                throw ProfileError("--group-min '\(text)': no reviewer is in group '\(parts[0])'" + (known.isEmpty ? " (give --groups FILE)" : " (groups: \(known.sorted().joined(separator: ", ")))"))
            }
            minimums[parts[0]] = n
        }
    }
}
