import Assignment

/// What a chair reads about an assignment: scores per submission, loads, bids, conflicts.
/// A submission's score is the mean affinity of its assigned reviewers.
public struct AssignmentStats: Codable, Sendable, Equatable {
    public struct Loads: Codable, Sendable, Equatable {
        public var min: Int
        public var max: Int
    }

    public struct Spread: Codable, Sendable, Equatable {
        public var min: Double, p10: Double, median: Double, p90: Double, max: Double
    }

    public var objective: String
    /// True when the objective's optimum is proven (always for `sum`).
    public var optimal: Bool
    /// `fair`: a proven upper bound on `min_paper_score` (equal to it when optimal).
    public var min_paper_bound: Double?
    public var total_score: Double
    public var min_paper_score: Double
    public var mean_paper_score: Double
    public var paper_scores: Spread
    public var loads: Loads
    /// Load → how many reviewers have it.
    public var load_counts: [String: Int]
    /// Assigned pairs by bid: yes (> 0.5), maybe (0 < bid ≤ 0.5), neutral (0), no (< 0), none (no bid).
    public var bids: [String: Int]
    /// Excluded (submission, reviewer) pairs by conflict rule.
    public var conflicts: [String: Int]
    /// Submissions in the file that were left out (withdrawn, desk-rejected, deleted), with why.
    public var skipped_submissions: [Skipped] = []
    /// Rows that took no effect, and why (about a submission left out, naming a chair).
    public var notes: [String] = []

    public struct Skipped: Codable, Sendable, Equatable {
        public var id: String
        public var reason: String
    }

    init(objective: AssignmentObjective, solution: AssignmentSolution, affinity: [[Double?]], bids bid: [[ConferenceBids.Row?]],
         excluded: [[ReviewerExclusion]], loads load: [Int]) {
        self.objective = objective.rawValue
        optimal = solution.optimal
        min_paper_bound = solution.minPaperBound
        let scores = solution.reviewers.enumerated().map { i, rs in rs.isEmpty ? 0 : rs.reduce(0) { $0 + affinity[i][$1]! } / Double(rs.count) }
        total_score = solution.reviewers.enumerated().reduce(0) { acc, e in acc + e.element.reduce(0) { $0 + affinity[e.offset][$1]! } }
        min_paper_score = scores.min() ?? 0
        mean_paper_score = scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
        let sorted = scores.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[Int((q * Double(sorted.count - 1)).rounded())] }
        paper_scores = Spread(min: at(0), p10: at(0.1), median: at(0.5), p90: at(0.9), max: at(1))
        loads = Loads(min: load.min() ?? 0, max: load.max() ?? 0)
        load_counts = Dictionary(grouping: load, by: { String($0) }).mapValues(\.count)
        var counts = ["yes": 0, "maybe": 0, "neutral": 0, "no": 0, "none": 0]
        for (i, rs) in solution.reviewers.enumerated() {
            for j in rs {
                switch bid[i][j]?.bid {
                case nil, .conflict?: counts["none"]! += 1
                case .value(let v)?: counts[v > 0.5 ? "yes" : v > 0 ? "maybe" : v == 0 ? "neutral" : "no"]! += 1
                }
            }
        }
        bids = counts
        conflicts = Dictionary(grouping: excluded.flatMap { $0 }, by: \.rule.rawValue).mapValues(\.count)
    }
}
