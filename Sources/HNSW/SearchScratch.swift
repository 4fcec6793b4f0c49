/// Per-search working memory, reused across searches: an epoch-tagged visited array
/// (a node is visited when its tag equals the current epoch, so starting a search is
/// one increment, not a clear) and the two heaps.
final class SearchScratch {
    private(set) var visited: UnsafeMutablePointer<UInt16>
    private(set) var capacity: Int
    private(set) var epoch: UInt16 = 0
    var candidates = NeighborHeap(capacity: 256)
    var results = NeighborHeap(capacity: 256)
    /// Distance evaluations of the current search.
    var distanceCount = 0
    /// A copy of one link list, read under its lock while inserts run (m <= 128).
    let linkBuffer = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * 128 + 1)
    /// The unvisited neighbours of the node being expanded.
    let freshBuffer = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * 128)
    /// The query after per-metric preparation (unit length for cosine).
    private(set) var query = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var queryCapacity = 1
    /// The quantizer-folded query (see `QueryContext`).
    private var codeQuery = CodeQueryBuffers(dimension: 1)

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        visited = .allocate(capacity: self.capacity)
        visited.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        visited.deallocate()
        linkBuffer.deallocate()
        freshBuffer.deallocate()
        query.deallocate()
        candidates.free()
        results.free()
    }

    /// Starts a new search over `nodes` slots.
    @inline(__always)
    func reset(nodes: Int) {
        if nodes > capacity {
            visited.deallocate()
            capacity = max(nodes, capacity * 2)
            visited = .allocate(capacity: capacity)
            visited.initialize(repeating: 0, count: capacity)
            epoch = 0
        }
        epoch &+= 1
        if epoch == 0 {   // wrapped: old tags could collide, clear once every 65535 searches
            visited.update(repeating: 0, count: capacity)
            epoch = 1
        }
        candidates.removeAll()
        results.removeAll()
        distanceCount = 0
    }

    /// Copies `source` into ``query`` scaled to unit length.
    func prepareQuery(_ source: UnsafePointer<Float>, dimension: Int) {
        if dimension > queryCapacity {
            query.deallocate()
            query = .allocate(capacity: dimension)
            queryCapacity = dimension
        }
        var norm: Float = 0
        for d in 0..<dimension { norm += source[d] * source[d] }
        let scale: Float = norm > 0 ? 1 / norm.squareRoot() : 1
        for d in 0..<dimension { query[d] = source[d] * scale }
    }

    /// Room for a query with a quantizer folded in.
    func quantizedQueryBuffers(dimension: Int) -> CodeQueryBuffers {
        if dimension > codeQuery.dimension { codeQuery = CodeQueryBuffers(dimension: dimension) }
        return codeQuery
    }

    /// Buffers to decode nodes into while inserting (allocated on first use).
    func decodedNodes(dimension: Int) -> DecodedNodes {
        if let nodes = decoded, nodes.dimension >= dimension { return nodes }
        let nodes = DecodedNodes(dimension: dimension)
        decoded = nodes
        return nodes
    }
    private var decoded: DecodedNodes?

    @inline(__always) func isVisited(_ id: UInt32) -> Bool { visited[Int(id)] == epoch }
    @inline(__always) func markVisited(_ id: UInt32) { visited[Int(id)] = epoch }
    @inline(__always) func visitedAddress(_ id: UInt32) -> UnsafeRawPointer { UnsafeRawPointer(visited + Int(id)) }
}
