/// Checks an assignment against its problem, apart from any solver: every constraint
/// counted anew from the chosen pairs. Solvers' answers pass through it before anyone
/// sees them.
public struct AssignmentCheck: Sendable {
    public let problem: AssignmentProblem
    public init(_ problem: AssignmentProblem) { self.problem = problem }

    /// Each broken constraint, in words with indices (empty when the assignment holds).
    public func violations(_ chosen: [[Int]]) -> [String] {
        var out: [String] = []
        guard chosen.count == problem.papers else { return ["\(chosen.count) papers assigned, \(problem.papers) in the problem"] }
        var load = [Int](repeating: 0, count: problem.reviewers)
        for (i, reviewers) in chosen.enumerated() {
            if reviewers.count != problem.reviewersPerPaper { out.append("paper \(i) has \(reviewers.count) reviewers, not \(problem.reviewersPerPaper)") }
            if Set(reviewers).count != reviewers.count { out.append("paper \(i) has a reviewer twice") }
            for j in reviewers {
                guard problem.weights.indices.contains(i), (0..<problem.reviewers).contains(j) else { out.append("paper \(i): no reviewer \(j)"); continue }
                if problem.weights[i][j] == nil { out.append("paper \(i) has reviewer \(j), who may not review it") }
                load[j] += 1
            }
            for (g, must) in problem.groupMinimums.enumerated() where must > 0 {
                let got = reviewers.filter { problem.groupOf.indices.contains($0) && problem.groupOf[$0] == g }.count
                if got < min(must, problem.reviewersPerPaper) { out.append("paper \(i) has \(got) reviewers of group \(g), at least \(must) needed") }
            }
        }
        for (j, l) in load.enumerated() where !problem.loads[j].contains(l) {
            out.append("reviewer \(j) has load \(l), outside \(problem.loads[j].lowerBound)...\(problem.loads[j].upperBound)")
        }
        return out
    }
}
