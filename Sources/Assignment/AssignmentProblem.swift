/// What a programme chair asks of an assignment, in numbers: a weight for every
/// (paper, reviewer) pair that may be assigned, how many reviewers each paper needs, each
/// reviewer's load range, and reviewer groups with a minimum per paper ("at least one
/// senior"). Knows nothing of papers or people: rows and columns are indices.
public struct AssignmentProblem: Sendable, Equatable {
    /// `weights[p][r]`: what the objective counts when reviewer r reviews paper p; nil: r
    /// may not review p (a conflict).
    public var weights: [[Double?]]
    public var reviewersPerPaper: Int
    /// Per reviewer: the fewest and most papers they review.
    public var loads: [ClosedRange<Int>]
    /// Per reviewer: their group (an index into `groupMinimums`), or nil.
    public var groupOf: [Int?]
    /// Per group: how many of each paper's reviewers must come from it.
    public var groupMinimums: [Int]
    /// What a paper's score averages for the fair objective's worst-off paper (affinity
    /// without bids, say); nil: the weights. Nil exactly where `weights` is.
    public var scores: [[Double?]]?

    public init(weights: [[Double?]], reviewersPerPaper: Int, loads: [ClosedRange<Int>], groupOf: [Int?]? = nil, groupMinimums: [Int] = [],
                scores: [[Double?]]? = nil) throws {
        self.weights = weights; self.reviewersPerPaper = reviewersPerPaper; self.loads = loads; self.scores = scores
        self.groupOf = groupOf ?? Array(repeating: nil, count: loads.count); self.groupMinimums = groupMinimums
        guard reviewersPerPaper >= 1 else { throw AssignmentError("reviewers per paper must be at least 1, got \(reviewersPerPaper)") }
        guard weights.allSatisfy({ $0.count == loads.count }) else { throw AssignmentError("every paper needs a weight (or nil) for every reviewer") }
        guard self.groupOf.count == loads.count else { throw AssignmentError("every reviewer needs a group (or nil)") }
        guard self.groupOf.allSatisfy({ $0 == nil || groupMinimums.indices.contains($0!) }) else { throw AssignmentError("a reviewer's group is not one of the groups") }
        guard loads.allSatisfy({ $0.lowerBound >= 0 }) else { throw AssignmentError("loads must not be negative") }
        guard groupMinimums.allSatisfy({ $0 >= 0 }) else { throw AssignmentError("group minimums must not be negative") }
        guard weights.allSatisfy({ $0.allSatisfy { $0?.isFinite ?? true } }) else { throw AssignmentError("weights must be finite numbers") }
        if let scores {
            guard scores.count == weights.count, zip(scores, weights).allSatisfy({ s, w in s.count == w.count && zip(s, w).allSatisfy { ($0 == nil) == ($1 == nil) } }) else {
                throw AssignmentError("scores must be given exactly where weights are")
            }
            guard scores.allSatisfy({ $0.allSatisfy { $0?.isFinite ?? true } }) else { throw AssignmentError("scores must be finite numbers") }
        }
    }

    public var papers: Int { weights.count }
    public var reviewers: Int { loads.count }

    /// The sum of paper `p`'s weights over `reviewers`.
    public func paperWeight(_ p: Int, _ reviewers: [Int]) -> Double { reviewers.reduce(0) { $0 + weights[p][$1]! } }

    /// Paper `p`'s score with `reviewers`: the mean of their scores (``scores``, else weights).
    public func paperScore(_ p: Int, _ reviewers: [Int]) -> Double {
        reviewers.isEmpty ? 0 : reviewers.reduce(0) { $0 + (scores ?? weights)[p][$1]! } / Double(reviewers.count)
    }
}

/// Which objective an assignment optimises.
public enum AssignmentObjective: String, Sendable, CaseIterable, Codable {
    /// The largest total weight (a min-cost flow, exact).
    case sum
    /// The largest score of the worst-off paper first, then the largest total weight
    /// (mixed-integer programs, exact or with a proven bound).
    case fair
}

/// Reviewers per paper (each list best weight first), and how sure the solver is.
public struct AssignmentSolution: Sendable, Equatable {
    public var reviewers: [[Int]]
    /// True when the objective is proven optimal (always for `sum`).
    public var optimal: Bool
    /// For `fair`: a proven upper bound on the worst-off paper's score (equal to it when
    /// optimal).
    public var minPaperBound: Double?
}

/// Why a problem was refused.
public struct AssignmentError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
