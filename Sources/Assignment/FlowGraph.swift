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
