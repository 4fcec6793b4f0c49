/// The assignment with the largest total weight that meets every constraint of an
/// ``AssignmentProblem``. Exact: a min-cost max-flow, solved by successive shortest paths
/// (``FlowGraph``):
///
///     source → paper (capacity k) → [paper, group] → reviewer (capacity 1, cost −weight) → sink
///
/// Lower bounds (a reviewer's minimum load, a paper's minimum from a group) are edges of
/// cost −B beside the free edges, with B larger than any total weight: among maximum flows
/// the cheapest first fills every lower bound it can, then maximises the weight. So the
/// answer meets every constraint whenever any assignment does (flows are integral). Weights
/// are rounded to 1e-6 so costs are integers.
///
/// A large conference is solved on each paper's best candidates first (its `candidates`
/// highest-weight reviewers in each group), then *priced*: the flow is optimal for the
/// whole committee when it meets every constraint and no left-out pair has a negative
/// reduced cost under the flow's final potentials (LP duality: no residual cycle can then
/// gain). When a left-out pair could gain, the candidates double and it is solved again;
/// when a constraint is left unmet, the whole committee is used. So the answer is the dense
/// flow's, at a fraction of the edges.
public enum SumAssignment {
    /// Solves `problem`; throws ``AssignmentInfeasible`` naming what no assignment can meet.
    public static func solve(_ problem: AssignmentProblem) throws -> AssignmentSolution {
        try solve(problem, candidates: max(8 * problem.reviewersPerPaper, 24))
    }

    static func solve(_ problem: AssignmentProblem, candidates: Int) throws -> AssignmentSolution {
        let network = Network(problem)
        var width = max(1, candidates)
        while true {
            let dense = width >= problem.reviewers
            let flow = network.solve(width: dense ? Int.max : width)
            let short = network.shortfall(flow.reviewers)
            if dense {
                guard short == nil else { throw AssignmentInfeasible([short!]) }
                return AssignmentSolution(reviewers: flow.reviewers, optimal: true, minPaperBound: nil)
            }
            if short == nil {
                if !network.leftOutPairGains(flow) { return AssignmentSolution(reviewers: flow.reviewers, optimal: true, minPaperBound: nil) }
                width *= 2
            } else {
                width = problem.reviewers
            }
        }
    }

    /// The flow network of a problem.
    struct Network {
        let problem: AssignmentProblem
        let costs: [[Int?]]
        /// Groups including one for reviewers without a group (the last).
        let groupCount: Int
        let groupOf: [Int]
        /// Each paper's eligible reviewers per group, best weight first.
        let ranked: [[[Int]]]
        let bonus: Int

        init(_ problem: AssignmentProblem) {
            self.problem = problem
            costs = problem.weights.map { row in row.map { $0.map { -Int(($0 * 1e6).rounded()) } } }
            groupCount = problem.groupMinimums.count + 1
            let groupOf = problem.groupOf.map { $0 ?? problem.groupMinimums.count }, costs = self.costs
            self.groupOf = groupOf
            let members = (0..<groupCount).map { g in (0..<problem.reviewers).filter { groupOf[$0] == g } }
            ranked = costs.map { row in members.map { $0.filter { row[$0] != nil }.sorted { (row[$0]!, $0) < (row[$1]!, $1) } } }
            let largest = costs.lazy.flatMap { $0.compactMap { $0.map(abs) } }.max() ?? 0
            bonus = 2 * (problem.papers * problem.reviewersPerPaper + 1) * (largest + 1)
        }

        var paperNodes: Int { problem.papers }
        func groupNode(_ i: Int, _ g: Int) -> Int { paperNodes + i * groupCount + g }
        func reviewerNode(_ j: Int) -> Int { paperNodes + problem.papers * groupCount + j }
        var source: Int { reviewerNode(problem.reviewers) }
        var sink: Int { source + 1 }

        struct Flow { var reviewers: [[Int]]; var potential: [Int]; var width: Int }

        func solve(width: Int) -> Flow {
            let k = problem.reviewersPerPaper, minimums = problem.groupMinimums + [0]
            var graph = FlowGraph(nodes: sink + 1)
            var pairs: [(paper: Int, reviewer: Int, edge: Int)] = []
            for i in 0..<problem.papers {
                graph.addEdge(source, i, capacity: k, cost: 0)
                for g in 0..<groupCount {
                    let must = min(minimums[g], k)
                    if must > 0 { graph.addEdge(i, groupNode(i, g), capacity: must, cost: -bonus) }
                    if k - must > 0 { graph.addEdge(i, groupNode(i, g), capacity: k - must, cost: 0) }
                    for j in ranked[i][g].prefix(width) {
                        pairs.append((i, j, graph.addEdge(groupNode(i, g), reviewerNode(j), capacity: 1, cost: costs[i][j]!)))
                    }
                }
            }
            for (j, load) in problem.loads.enumerated() {
                if load.lowerBound > 0 { graph.addEdge(reviewerNode(j), sink, capacity: load.lowerBound, cost: -bonus) }
                if load.count > 1 { graph.addEdge(reviewerNode(j), sink, capacity: load.upperBound - load.lowerBound, cost: 0) }
            }
            let potential = graph.minCostMaxFlow(from: source, to: sink)
            var out = [[Int]](repeating: [], count: problem.papers)
            for p in pairs where graph.flow(p.edge) > 0 { out[p.paper].append(p.reviewer) }
            for i in out.indices { out[i].sort { (costs[i][$0]!, $0) < (costs[i][$1]!, $1) } }
            return Flow(reviewers: out, potential: potential, width: width)
        }

        /// True when some pair left out of a narrow solve has a negative reduced cost.
        func leftOutPairGains(_ flow: Flow) -> Bool {
            let p = flow.potential
            for i in 0..<problem.papers {
                for g in 0..<groupCount {
                    let u = groupNode(i, g)
                    for j in ranked[i][g].dropFirst(flow.width) where costs[i][j]! + p[u] - p[reviewerNode(j)] < 0 { return true }
                }
            }
            return false
        }

        /// What the flow leaves unmet (nil when it meets every constraint).
        func shortfall(_ chosen: [[Int]]) -> Shortfall? {
            let k = problem.reviewersPerPaper
            var load = [Int](repeating: 0, count: problem.reviewers)
            for reviewers in chosen { for j in reviewers { load[j] += 1 } }
            let unfilled = chosen.indices.filter { chosen[$0].count < k }
            let underloaded = load.indices.filter { load[$0] < problem.loads[$0].lowerBound }
            var groupShort: [Shortfall.PaperGroup] = []
            for (i, reviewers) in chosen.enumerated() {
                for (g, must) in problem.groupMinimums.enumerated() where must > 0 {
                    let got = reviewers.filter { groupOf[$0] == g }.count
                    if got < min(must, k) { groupShort.append(.init(paper: i, group: g, count: got)) }
                }
            }
            if unfilled.isEmpty && underloaded.isEmpty && groupShort.isEmpty { return nil }
            return .together(unfilled: unfilled.map { .init(paper: $0, count: chosen[$0].count) }, underloaded: underloaded.map { .init(reviewer: $0, load: load[$0]) }, groupShort: groupShort)
        }
    }
}
