/// Something no assignment can meet, in indices (the caller names papers and people).
public enum Shortfall: Sendable, Equatable {
    public struct PaperCount: Sendable, Equatable { public var paper: Int; public var count: Int }
    public struct ReviewerLoad: Sendable, Equatable { public var reviewer: Int; public var load: Int }
    public struct PaperGroup: Sendable, Equatable { public var paper: Int; public var group: Int; public var count: Int }

    /// The maximum loads add up to fewer reviews than papers × reviewers per paper.
    case maximumLoads(total: Int, needed: Int)
    /// The minimum loads add up to more reviews than there are.
    case minimumLoads(total: Int, reviews: Int)
    /// Papers with fewer eligible reviewers (after conflicts) than they need.
    case eligibleReviewers([PaperCount])
    /// Reviewers whose minimum load is above the number of papers they may review.
    case eligiblePapers([ReviewerLoad])
    /// Papers with fewer eligible reviewers of a group than the group's minimum.
    case eligibleInGroup([PaperGroup])
    /// A group's maximum loads add up to fewer reviews than its minimums need.
    case groupLoads(group: Int, total: Int, needed: Int)
    /// Each count holds alone, but not all at once: what the best flow left unmet
    /// (papers short of reviewers, reviewers under their minimum, papers short of a group).
    case together(unfilled: [PaperCount], underloaded: [ReviewerLoad], groupShort: [PaperGroup])
}

/// Thrown when a problem has no assignment, with every reason found.
public struct AssignmentInfeasible: Error, Sendable, Equatable {
    public var shortfalls: [Shortfall]
    public init(_ shortfalls: [Shortfall]) { self.shortfalls = shortfalls }
}

extension AssignmentProblem {
    /// Every reason, found by counting, that no assignment exists (empty when the counts
    /// allow one; the flow then decides, see ``Shortfall/together(unfilled:underloaded:groupShort:)``).
    public func shortfalls() -> [Shortfall] {
        let k = reviewersPerPaper, needed = papers * k
        var out: [Shortfall] = []
        let maxTotal = loads.reduce(0) { $0 + $1.upperBound }, minTotal = loads.reduce(0) { $0 + $1.lowerBound }
        if maxTotal < needed { out.append(.maximumLoads(total: maxTotal, needed: needed)) }
        if minTotal > needed { out.append(.minimumLoads(total: minTotal, reviews: needed)) }
        let eligible = weights.map { row in row.indices.filter { row[$0] != nil } }
        let fewReviewers = eligible.enumerated().filter { $0.element.count < k }.map { Shortfall.PaperCount(paper: $0.offset, count: $0.element.count) }
        if !fewReviewers.isEmpty { out.append(.eligibleReviewers(fewReviewers)) }
        let fewPapers = (0..<reviewers).compactMap { j -> Shortfall.ReviewerLoad? in
            let n = weights.filter { $0[j] != nil }.count
            return n < loads[j].lowerBound ? .init(reviewer: j, load: n) : nil
        }
        if !fewPapers.isEmpty { out.append(.eligiblePapers(fewPapers)) }
        var fewInGroup: [Shortfall.PaperGroup] = []
        for (g, must) in groupMinimums.enumerated() where must > 0 {
            let members = (0..<reviewers).filter { groupOf[$0] == g }
            let total = members.reduce(0) { $0 + loads[$1].upperBound }
            if total < papers * min(must, k) { out.append(.groupLoads(group: g, total: total, needed: papers * min(must, k))) }
            for (i, row) in eligible.enumerated() {
                let n = row.filter { groupOf[$0] == g }.count
                if n < min(must, k) { fewInGroup.append(.init(paper: i, group: g, count: n)) }
            }
        }
        if !fewInGroup.isEmpty { out.append(.eligibleInGroup(fewInGroup)) }
        return out
    }
}

