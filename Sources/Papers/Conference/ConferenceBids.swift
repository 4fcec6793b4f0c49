/// Reviewers' bids: a CSV `submission_id,reviewer,bid` (HotCRP's preference upload,
/// `paper,email,preference`, is read too). A bid is `yes`, `maybe`, `no` or `conflict`, or
/// a HotCRP preference from -100 to 100 (an expertise letter after it, `20X`, is
/// ignored). `conflict`, and HotCRP's -100, exclude the reviewer from the submission; the
/// others become a number the objective adds (``value``).
public struct ConferenceBids: Sendable {
    public enum Bid: Sendable, Equatable {
        case conflict
        /// -1 (no) to 1 (yes).
        case value(Double)

        /// The documented mapping: yes 1, maybe 0.5, no -1, a HotCRP preference p is p/100,
        /// -100 is a conflict.
        static func parse(_ text: String) -> Bid? {
            switch text.lowercased() {
            case "yes", "eager": return .value(1)
            case "maybe", "willing": return .value(0.5)
            case "no", "not willing", "unwilling": return .value(-1)
            case "conflict": return .conflict
            default:
                let number = text.hasSuffix("X") || text.hasSuffix("Y") || text.hasSuffix("Z") || text.hasSuffix("x") || text.hasSuffix("y") || text.hasSuffix("z")
                    ? String(text.dropLast()) : text
                guard let p = Int(number), (-100...100).contains(p) else { return nil }
                return p == -100 ? .conflict : .value(Double(p) / 100)
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

    /// Reads bid CSVs; a bad row is refused naming FILE:LINE and the field.
    public init(files: [String]) throws {
        for path in files {
            let table = try CSVTable(path: path, required: [])
            let sub = try Self.column(table, ["submission_id", "paper", "pid", "submission #"], path: path)
            let who = try Self.column(table, ["reviewer", "email", "reviewer_id", "member #"], path: path)
            let what = try Self.column(table, ["bid", "preference", "pref"], path: path)
            for row in table.rows {
                let at = "\(path):\(row.line)"
                let s = try row.required(sub, in: path)
                var r = try row.required(who, in: path)
                // EasyChair's bidding.csv names the member by committee.csv's '#'.
                if who == "member #" { r = "easychair-member:" + r }
                let text = try row.required(what, in: path)
                guard let bid = Bid.parse(text) else {
                    throw ProfileError("\(at): bid '\(text)' is not yes, maybe, no, conflict or a preference from -100 to 100")
                }
                rows.append(Row(submission: s, reviewer: r, bid: bid, text: text, source: at))
            }
        }
    }

    /// The first of `names` the header has, else an error listing them.
    static func column(_ table: CSVTable, _ names: [String], path: String) throws -> String {
        guard let c = names.first(where: table.header.contains) else {
            throw ProfileError("\(path):1: no column \(names.map { "'\($0)'" }.joined(separator: " or ")); the header must be submission_id,reviewer,bid")
        }
        return c
    }
}
