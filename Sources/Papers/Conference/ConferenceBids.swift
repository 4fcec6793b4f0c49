/// Reviewers' bids: a CSV `submission_id,reviewer,bid`; HotCRP's preference upload
/// (`paper,email,preference`) and its "PC review preferences" export
/// (`paper,title,given_name,family_name,email,conflict,preference[,expertise,topic_score]`:
/// an empty preference is 0, `conflict` in the conflict column a conflict); EasyChair's
/// `bidding.csv` (`member #,member name,submission #,bid`); or OpenReview Bid edges (JSON,
/// ``OpenReviewEdge``: labels Very High 1, High 0.5, Neutral 0, Low -0.5, Very Low -1,
/// Conflict). A bid is `yes`, `maybe`, `no` or `conflict`, or a HotCRP preference from
/// -1000000 to 1000000 (an expertise letter after it, `20X`, is ignored). `conflict`, and a
/// HotCRP preference of -100 or less, exclude the reviewer from the submission; the others
/// become a number from -1 to 1 the objective adds (``Bid/value(_:)``).
public struct ConferenceBids: Sendable {
    public enum Bid: Sendable, Equatable {
        case conflict
        /// -1 (no) to 1 (yes).
        case value(Double)

        /// The documented mapping: yes 1, maybe 0.5, no -1; a HotCRP preference p is p/100
        /// held within -1...1 (HotCRP's scale is open-ended; 100 is a strong yes), and p ≤
        /// -100 a conflict, as HotCRP treats it; OpenReview's labels as its matcher scores them.
        static func parse(_ text: String) -> Bid? {
            switch text.lowercased() {
            case "yes", "eager", "very high": return .value(1)
            case "maybe", "willing", "high": return .value(0.5)
            case "neutral", "none": return .value(0)
            case "low": return .value(-0.5)
            case "no", "not willing", "unwilling", "very low": return .value(-1)
            case "conflict", "c": return .conflict
            default:
                let number = text.last.map { "XYZxyz".contains($0) } == true ? String(text.dropLast()) : text
                guard let p = Int(number), (-1_000_000...1_000_000).contains(p) else { return nil }
                return p <= -100 ? .conflict : .value(min(1, max(-1, Double(p) / 100)))
            }
        }
    }

    public struct Row: Sendable {
        public var submission: String
        public var reviewer: String
        public var bid: Bid
        /// The bid as written.
        public var text: String
        /// FILE:LINE.
        public var source: String
    }

    public var rows: [Row] = []

    public init() {}

    /// Reads bid files; every bad row is refused naming FILE:LINE and the field, all at once.
    public init(files: [String]) throws {
        var rows: [Row] = []
        try ChairFiles.read(files, edges: ["Bid"], flag: "--bids", required: []) { e in
            guard let label = e.label, let bid = Bid.parse(label) else {
                throw ProfileError("\(e.source): field 'label': '\(e.label ?? "")' is not Very High, High, Neutral, Low, Very Low or Conflict")
            }
            rows.append(Row(submission: e.head, reviewer: e.tail, bid: bid, text: label, source: e.source))
        } table: { table, problems in
            let path = table.path
            let sub = try Self.column(table, ["submission_id", "paper", "pid", "submission #"])
            let who = try Self.column(table, ["reviewer", "email", "reviewer_id", "user", "member #"])
            let what = try Self.column(table, ["bid", "preference", "pref"])
            // HotCRP's preferences export: an empty preference is 0, and `conflict` marks a conflict.
            let hotcrpExport = table.header.contains("conflict") && what == "preference"
            for row in table.rows {
                let at = "\(path):\(row.line)"
                _ = problems.attempt {
                    let s = try row.required(sub, in: path)
                    var r = try row.required(who, in: path)
                    // EasyChair's bidding.csv names the member by committee.csv's '#'.
                    if who == "member #" { r = "easychair-member:" + r }
                    if hotcrpExport, let c = row["conflict"] {
                        guard c.lowercased() == "conflict" || c.uppercased() == "Y" else {
                            throw ProfileError("\(at): field 'conflict' is '\(c)', not 'conflict' or empty")
                        }
                        rows.append(Row(submission: s, reviewer: r, bid: .conflict, text: "conflict", source: at))
                        return
                    }
                    let text = hotcrpExport ? (row[what] ?? "0") : try row.required(what, in: path)
                    guard let bid = Bid.parse(text) else {
                        throw ProfileError("\(at): field '\(what)': '\(text)' is not yes, maybe, no, conflict or a preference from -1000000 to 1000000")
                    }
                    rows.append(Row(submission: s, reviewer: r, bid: bid, text: text, source: at))
                }
            }
        }
        self.rows = rows
    }

    /// The first of `names` the header has, else an error listing them.
    static func column(_ table: CSVTable, _ names: [String], header: String = "submission_id,reviewer,bid") throws -> String {
        guard let c = names.first(where: table.header.contains) else {
            throw ProfileError("\(table.path):1: no column \(names.map { "'\($0)'" }.joined(separator: " or ")); the header must be \(header)")
        }
        return c
    }
}
