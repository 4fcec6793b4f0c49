/// The fair assignment: the largest score for the worst-off paper first (the mean of its
/// reviewers' ``AssignmentProblem/scores``), then, among assignments that keep it, the
/// largest total weight. This is the
/// max-min objective of PeerReview4All (Stelmakh, Shah and Singh, "PeerReview4All: fair and
/// accurate reviewer assignment in peer review", ALT 2019; JMLR 2021), which their
/// algorithm approximates; refer solves it as two mixed-integer programs (COIN-OR CBC,
/// ``MixedIntegerProgram``), each started from a feasible assignment:
///
/// 1. maximise t subject to every paper's score ≥ t and the problem's constraints
///    (started from ``SumAssignment``'s answer);
/// 2. maximise the total weight subject to every paper's score ≥ t₁, the worst-off
///    paper's score found in 1 (started from 1's answer).
///
/// A large conference's programs hold each paper's `candidates` best-scoring eligible
/// reviewers and the sum assignment's pairs, not every pair (a 1,000 × 300 conference has
/// 300,000 pairs, and CBC then finds nothing better than its start within a minute).
///
/// Within the time limit and on every pair, the answer is exact
/// (``AssignmentSolution/optimal``). Otherwise the best assignment found is returned with a
/// proven upper bound on the worst-off paper's score (``AssignmentSolution/minPaperBound``):
/// CBC's when every pair was in the program, else the smallest over papers of the mean of
/// their best reviewersPerPaper eligible scores (loads aside), so the gap is stated, never
/// hidden.
public enum FairAssignment {
    public static func solve(_ problem: AssignmentProblem, seconds: Double = 60, candidates: Int = 32) throws -> AssignmentSolution {
        let sum = try SumAssignment.solve(problem)
        let scores = problem.scores ?? problem.weights
        let ranked = scores.map { row in row.indices.filter { row[$0] != nil }.sorted { (row[$0]!, $1) > (row[$1]!, $0) } }
        let kept = ranked.enumerated().map { i, rs in Set(rs.prefix(candidates)).union(sum.reviewers[i]) }
        let everyPair = zip(kept, ranked).allSatisfy { $0.count == $1.count }
        // No assignment gives a paper more than its best reviewersPerPaper scores.
        let ceiling = ranked.enumerated().map { i, rs in problem.paperScore(i, Array(rs.prefix(problem.reviewersPerPaper))) }.min() ?? 0
        let k = Double(problem.reviewersPerPaper)
        var program = MixedIntegerProgram()
        // Rows: each paper's count, each reviewer's load, each paper's group minimums, each paper's mean.
        let paperRow = (0..<problem.papers).map { _ in program.addRow(lower: k, upper: k) }
        let loadRow = problem.loads.map { program.addRow(lower: Double($0.lowerBound), upper: Double($0.upperBound)) }
        var groupRow: [[Int?]] = Array(repeating: Array(repeating: nil, count: problem.groupMinimums.count), count: problem.papers)
        for i in 0..<problem.papers {
            for (g, must) in problem.groupMinimums.enumerated() where must > 0 {
                groupRow[i][g] = program.addRow(lower: Double(min(must, problem.reviewersPerPaper)), upper: MixedIntegerProgram.infinity)
            }
        }
        let meanRow = (0..<problem.papers).map { _ in program.addRow(lower: 0, upper: MixedIntegerProgram.infinity) }
        // Columns: a 0/1 per kept pair, then t.
        var pairs: [(paper: Int, reviewer: Int)] = []
        for (i, row) in problem.weights.enumerated() {
            for (j, w) in row.enumerated() {
                guard w != nil, let score = scores[i][j], kept[i].contains(j) else { continue }
                var entries = [(paperRow[i], 1.0), (loadRow[j], 1.0), (meanRow[i], score / k)]
                if let g = problem.groupOf[j], let r = groupRow[i][g] { entries.append((r, 1.0)) }
                program.columns.append(.init(lower: 0, upper: 1, objective: 0, integer: true, entries: entries.map { (row: $0.0, value: $0.1) }))
                pairs.append((i, j))
            }
        }
        // t lies between the smallest and the largest score (finite bounds keep CBC's presolve honest).
        let t = program.columns.count, all = scores.flatMap { $0.compactMap { $0 } }
        program.columns.append(.init(lower: (all.min() ?? 0) - 1, upper: (all.max() ?? 0) + 1, objective: 1, integer: false,
                                     entries: meanRow.map { (row: $0, value: -1.0) }))

        func start(_ chosen: [[Int]]) -> [Double] {
            let set = Set(chosen.enumerated().flatMap { i, rs in rs.map { i * problem.reviewers + $0 } })
            return pairs.map { set.contains($0.paper * problem.reviewers + $0.reviewer) ? 1 : 0 } + [worst(chosen)]
        }
        func chosen(_ values: [Double]) -> [[Int]] {
            var out = [[Int]](repeating: [], count: problem.papers)
            for (c, p) in pairs.enumerated() where values[c] > 0.5 { out[p.paper].append(p.reviewer) }
            return out
        }
        func worst(_ chosen: [[Int]]) -> Double { chosen.indices.map { problem.paperScore($0, chosen[$0]) }.min() ?? 0 }
        func valid(_ c: [[Int]]) -> Bool { AssignmentCheck(problem).violations(c).isEmpty }

        // 1: the worst-off paper as high as it goes.
        var first = sum.reviewers, bound: Double? = everyPair ? nil : ceiling, optimal = false
        if let r = program.solve(seconds: seconds / 2, start: start(sum.reviewers)) {
            let c = chosen(r.values)
            if valid(c), worst(c) >= worst(first) { first = c }
            bound = everyPair ? r.bound : ceiling; optimal = everyPair && r.optimal
        }
        let floor = worst(first)
        // 2: the most total weight that keeps it.
        program.columns[t].objective = 0
        program.columns[t].lower = floor - 1e-9
        for c in 0..<pairs.count { program.columns[c].objective = problem.weights[pairs[c].paper][pairs[c].reviewer]! }
        var best = first
        if let r = program.solve(seconds: seconds / 2, start: start(first)) {
            let c = chosen(r.values)
            if valid(c), worst(c) >= floor - 1e-6, total(c, problem) > total(first, problem) { best = c }
            optimal = optimal && r.optimal
        } else {
            optimal = false
        }
        let ordered = best.enumerated().map { i, rs in rs.sorted { (problem.weights[i][$0]!, $1) > (problem.weights[i][$1]!, $0) } }
        return AssignmentSolution(reviewers: ordered, optimal: optimal, minPaperBound: optimal ? worst(best) : max(bound ?? floor, floor))
    }

    static func total(_ chosen: [[Int]], _ problem: AssignmentProblem) -> Double {
        chosen.indices.reduce(0) { $0 + problem.paperWeight($1, chosen[$1]) }
    }
}
