import Foundation

/// The best assignment of reviewers to submissions: every submission gets up to
/// `reviewersPerPaper` distinct reviewers, no reviewer gets more than `maxLoad`,
/// conflicted pairs never, and among the assignments that fill the most slots the
/// total score is the largest. Exact: a min-cost max-flow (source → submission,
/// capacity reviewersPerPaper; submission → reviewer, capacity 1, cost −score;
/// reviewer → sink, capacity maxLoad), solved by successive shortest paths with
/// Dijkstra on reduced costs. Scores are rounded to 1e-6 so costs are integers.
///
/// A large conference is solved on each submission's best candidates first (its
/// `candidates` highest-scoring reviewers), then *priced*: the flow is optimal for the
/// whole committee when every slot is filled and no left-out pair has a negative
/// reduced cost under the flow's final potentials (LP duality: no residual cycle can
/// then gain). When a left-out pair could gain, the candidates double and it is solved
/// again; when a slot stays empty, the whole committee is used. So the answer is the
/// dense flow's, at a fraction of the edges.
public enum ReviewerAssignment {
    /// `scores[s][r]`: the score of reviewer r for submission s, nil when in conflict.
    /// Returns, per submission, its reviewers (indices), best score first.
    public static func assign(scores: [[Double?]], reviewersPerPaper: Int, maxLoad: Int) throws -> [[Int]] {
        try assign(scores: scores, reviewersPerPaper: reviewersPerPaper, maxLoad: maxLoad, candidates: max(8 * reviewersPerPaper, 24))
    }

    /// ``assign(scores:reviewersPerPaper:maxLoad:)`` starting from `candidates` reviewers per submission.
    static func assign(scores: [[Double?]], reviewersPerPaper: Int, maxLoad: Int, candidates: Int) throws -> [[Int]] {
        guard reviewersPerPaper >= 1 else { throw ProfileError("reviewers per paper must be at least 1, got \(reviewersPerPaper)") }
        guard maxLoad >= 1 else { throw ProfileError("the reviewer load cap must be at least 1, got \(maxLoad)") }
        let r = scores.first?.count ?? 0
        guard scores.allSatisfy({ $0.count == r }) else { throw ProfileError("every submission needs a score for every reviewer") }
        let costs = scores.map { row in row.map { $0.map { -Int(($0 * 1e6).rounded()) } } }
        // Each submission's reviewers, best first (conflicts left out).
        let ranked = costs.map { row in row.indices.filter { row[$0] != nil }.sorted { (row[$0]!, $0) < (row[$1]!, $1) } }
        var width = max(1, candidates)
        while true {
            let dense = width >= r
            let edges = ranked.map { dense ? $0 : Array($0.prefix(width)) }
            let (chosen, potential) = solve(costs: costs, edges: edges, reviewers: r, perPaper: reviewersPerPaper, maxLoad: maxLoad)
            if dense { return order(chosen, by: scores) }
            let filled = chosen.allSatisfy { $0.count == reviewersPerPaper }
            if filled {
                let price = reviewerPrices(chosen, costs: costs, potential: potential, reviewers: r, maxLoad: maxLoad)
                let gains = ranked.indices.contains { i in
                    ranked[i].dropFirst(width).contains { j in costs[i][j]! + potential[i] - price[j] < 0 }
                }
                if !gains { return order(chosen, by: scores) }
            }
            width = filled ? width * 2 : r
        }
    }

    /// The lowest potential each reviewer node can take with every residual edge of the
    /// solved flow still at a non-negative reduced cost: the sink's when the reviewer has
    /// load to spare, and at least `potential[i] + cost(i, j)` for each submission i it
    /// reviews (the reverse edge). Lower than the flow's own potentials, it prices a
    /// left-out pair as generously as the solution allows, so fewer pairs look gainful.
    static func reviewerPrices(_ chosen: [[Int]], costs: [[Int?]], potential: [Int], reviewers r: Int, maxLoad: Int) -> [Int] {
        let sink = costs.count + r + 1
        var load = [Int](repeating: 0, count: r), price = [Int](repeating: Int.min, count: r)
        for (i, reviewers) in chosen.enumerated() {
            for j in reviewers { load[j] += 1; price[j] = max(price[j], potential[i] + costs[i][j]!) }
        }
        for j in 0..<r where load[j] < maxLoad { price[j] = max(price[j], potential[sink]) }
        return price
    }

    /// The min-cost max-flow over the given submission → reviewer edges: the reviewers
    /// of each submission and the final node potentials (submissions, reviewers, source, sink).
    static func solve(costs: [[Int?]], edges: [[Int]], reviewers r: Int, perPaper: Int, maxLoad: Int) -> ([[Int]], [Int]) {
        let s = costs.count
        var graph = FlowGraph(nodes: s + r + 2)
        let source = s + r, sink = s + r + 1
        var pairEdges: [(submission: Int, reviewer: Int, edge: Int)] = []
        for i in 0..<s {
            graph.addEdge(source, i, capacity: perPaper, cost: 0)
            for j in edges[i] { pairEdges.append((i, j, graph.addEdge(i, s + j, capacity: 1, cost: costs[i][j]!))) }
        }
        for j in 0..<r { graph.addEdge(s + j, sink, capacity: maxLoad, cost: 0) }
        let potential = graph.minCostMaxFlow(from: source, to: sink)
        var out = [[Int]](repeating: [], count: s)
        for p in pairEdges where graph.flow(p.edge) > 0 { out[p.submission].append(p.reviewer) }
        return (out, potential)
    }

    static func order(_ chosen: [[Int]], by scores: [[Double?]]) -> [[Int]] {
        chosen.enumerated().map { i, reviewers in reviewers.sorted { (scores[i][$0]!, $1) > (scores[i][$1]!, $0) } }
    }
}

/// A residual graph for min-cost flow with integer costs.
struct FlowGraph {
    private var to: [Int] = [], capacity: [Int] = [], cost: [Int] = []
    private var adjacency: [[Int]]

    init(nodes: Int) { adjacency = Array(repeating: [], count: nodes) }

    /// Adds an edge and its reverse; returns the forward edge's index.
    @discardableResult
    mutating func addEdge(_ u: Int, _ v: Int, capacity c: Int, cost w: Int) -> Int {
        let e = to.count
        to += [v, u]; capacity += [c, 0]; cost += [w, -w]
        adjacency[u].append(e); adjacency[v].append(e + 1)
        return e
    }

    /// Units sent along forward edge `e` (what its reverse edge can send back).
    func flow(_ e: Int) -> Int { capacity[e ^ 1] }

    /// Sends as much flow as possible at least cost. Potentials start from
    /// Bellman-Ford (costs may be negative), then each augmentation is a Dijkstra
    /// on reduced costs, which stay non-negative, stopped as soon as the sink is settled.
    /// Returns the final node potentials: every edge with residual capacity then has a
    /// non-negative reduced cost (cost + potential[from] − potential[to]).
    mutating func minCostMaxFlow(from source: Int, to sink: Int) -> [Int] {
        let n = adjacency.count
        var potential = [Int](repeating: Int.max / 4, count: n)
        potential[source] = 0
        for _ in 0..<n {
            var changed = false
            for u in 0..<n where potential[u] < Int.max / 4 {
                for e in adjacency[u] where capacity[e] > 0 && potential[u] + cost[e] < potential[to[e]] {
                    potential[to[e]] = potential[u] + cost[e]; changed = true
                }
            }
            if !changed { break }
        }
        for u in 0..<n where potential[u] >= Int.max / 4 { potential[u] = 0 }
        while true {
            var distance = [Int](repeating: Int.max, count: n), via = [Int](repeating: -1, count: n)
            var heap = MinHeap()
            distance[source] = 0; heap.push(0, source)
            while let (d, u) = heap.pop() {
                guard d == distance[u] else { continue }
                if u == sink { break }
                for e in adjacency[u] where capacity[e] > 0 {
                    let v = to[e], nd = d + cost[e] + potential[u] - potential[v]
                    if nd < distance[v] { distance[v] = nd; via[v] = e; heap.push(nd, v) }
                }
            }
            guard distance[sink] != Int.max else { return potential }
            // Dijkstra stopped once the sink was settled: nodes settled before it have
            // exact distances, all others are at least as far as the sink, so raising
            // every potential by min(distance, sink's) keeps reduced costs non-negative.
            let reach = distance[sink]
            for u in 0..<n { potential[u] += min(distance[u], reach) }
            var push = Int.max, v = sink
            while v != source { let e = via[v]; push = min(push, capacity[e]); v = to[e ^ 1] }
            v = sink
            while v != source { let e = via[v]; capacity[e] -= push; capacity[e ^ 1] += push; v = to[e ^ 1] }
        }
    }

    /// A binary min-heap of (key, node).
    struct MinHeap {
        private var items: [(Int, Int)] = []
        mutating func push(_ key: Int, _ node: Int) {
            items.append((key, node))
            var i = items.count - 1
            while i > 0, items[(i - 1) / 2].0 > items[i].0 { items.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        }
        mutating func pop() -> (Int, Int)? {
            guard let top = items.first else { return nil }
            items[0] = items[items.count - 1]; items.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l].0 < items[m].0 { m = l }
                if r < items.count, items[r].0 < items[m].0 { m = r }
                if m == i { return top }
                items.swapAt(i, m); i = m
            }
        }
    }
}
