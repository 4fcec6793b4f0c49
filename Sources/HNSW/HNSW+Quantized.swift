import CKernels
import Kernels

/// What a search compares nodes against: the Float32 query, and when the index
/// traverses int8 codes, the query with the quantizer folded in.
struct QueryContext {
    let vector: UnsafePointer<Float>
    let sq8A: UnsafePointer<Float>?
    let sq8W: UnsafePointer<Float>?
    let sq8Constant: Float

    /// Compare against the stored Float32 vectors.
    init(exact vector: UnsafePointer<Float>) {
        self.vector = vector; sq8A = nil; sq8W = nil; sq8Constant = 0
    }

    init(vector: UnsafePointer<Float>, a: UnsafePointer<Float>, w: UnsafePointer<Float>, constant: Float) {
        self.vector = vector; sq8A = a; sq8W = w; sq8Constant = constant
    }

    var isQuantized: Bool { sq8A != nil }
}

/// Quantized traversal: every vector also gets an 8-bit code (one byte a dimension,
/// see ``ScalarQuantizer``) stored in its node record right after the links. Searches then walk the graph
/// comparing the query with codes, a quarter of the bytes of a Float32 vector, and
/// re-rank the final `ef` candidates with exact Float32 distances. The graph itself
/// is built and repaired with exact distances.
extension HNSWIndex {
    /// True once ``enableQuantizedTraversal(range:)`` has run.
    public var usesQuantizedTraversal: Bool { structure.read { quantizer != nil && configuration.storage == .float32 } }

    /// Learns an int8 quantizer from the stored vectors, encodes them all, and makes
    /// every later search traverse the codes (vectors added later are encoded with the
    /// same ranges; values outside them are clamped).
    public func enableQuantizedTraversal(range: ScalarQuantizer.RangeKind = .perDimension) throws {
        guard ownsNodeMemory else { throw HNSWError.readOnly }
        guard configuration.storage == .float32 else {
            throw HNSWError.invalidConfiguration("quantized traversal needs float32 storage; this index stores \(configuration.storage.rawValue) (int8 storage already searches codes)")
        }
        try structure.write {
            let stored = (0..<slotCount).filter { levels[$0] != Self.freeSlotLevel }
            guard !stored.isEmpty else { throw HNSWError.invalidConfiguration("quantized traversal needs vectors to learn its ranges from") }
            let sq = ScalarQuantizer.train(rows: stored.count, dimension: dimension, range: range) { UnsafePointer(vector(UInt32(stored[$0]))) }
            installQuantizer(sq)
        }
    }

    /// Sets the quantizer, widens every node record to carry a code, and encodes
    /// every slot. Caller holds the structure lock exclusively.
    func installQuantizer(_ sq: ScalarQuantizer) {
        if configuration.storage == .int8 {   // the records hold codes only: nothing to re-encode
            quantizer = sq
            return
        }
        if quantizer == nil {
            let (links, vectorBytes) = (codeOffset, 4 * dimension)
            let oldVectorOffset = vectorOffset
            relayoutChunks(newStride: nodeStride + dimension) { from, to in
                to.copyMemory(from: from, byteCount: links)
                (to + links + dimension).copyMemory(from: from + oldVectorOffset, byteCount: vectorBytes)
            }
            vectorOffset = codeOffset + dimension
        }
        quantizer = sq
        for i in 0..<slotCount {
            markDirty(UInt32(i))
            if levels[i] != Self.freeSlotLevel { encode(UInt32(i)) }
        }
    }

    @inline(__always) func code(_ id: UInt32) -> UnsafeMutablePointer<UInt8> {
        (record(id) + codeOffset).assumingMemoryBound(to: UInt8.self)
    }

    /// Writes node `id`'s code from its Float32 vector.
    @inline(__always) func encode(_ id: UInt32) {
        guard let quantizer else { return }
        quantizer.encode(UnsafePointer(vector(id)), into: code(id))
    }

    /// The context a query searches with: quantized when the index has codes.
    func queryContext(_ query: UnsafePointer<Float>, scratch: SearchScratch) -> QueryContext {
        guard quantizer != nil else { return QueryContext(exact: query) }
        let (a, w) = scratch.quantizedQueryBuffers(dimension: dimension)
        return queryContext(query, a: a, w: w)
    }

    /// As ``queryContext(_:scratch:)``, folding the quantizer into `a` and `w`.
    func queryContext(_ query: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>) -> QueryContext {
        guard let quantizer else { return QueryContext(exact: query) }
        let constant = quantizer.prepare(query, metric: metric, a: a, w: w)
        return QueryContext(vector: query, a: UnsafePointer(a), w: UnsafePointer(w), constant: constant)
    }

    /// The most exact context the stored form allows: Float32 or Float16 vectors when
    /// the index has them, the codes for int8 storage (learned termination and the
    /// budgeted walk measure the graph with it).
    func exactContext(_ query: UnsafePointer<Float>, scratch: SearchScratch) -> QueryContext {
        configuration.storage == .int8 ? queryContext(query, scratch: scratch) : QueryContext(exact: query)
    }

    /// The distance a search sees from its query to node `id`.
    @inline(__always) func distance(_ ctx: QueryContext, _ id: UInt32) -> Float {
        guard let a = ctx.sq8A else { return distance(ctx.vector, id) }
        let raw = sq8Function(a, ctx.sq8W.unsafelyUnwrapped, code(id), dimension)
        return distanceIsDot ? 1 - (ctx.sq8Constant + raw) : ctx.sq8Constant + raw
    }

    /// Prefetch cache lines `from..<to` of what a search reads for node `id`.
    @inline(__always) func prefetchNode(_ ctx: QueryContext, _ id: UInt32, from: Int, to: Int) {
        let p = UnsafeRawPointer(ctx.isQuantized ? UnsafeRawPointer(code(id)) : UnsafeRawPointer(payload(id)))
        for l in stride(from: from, to: to, by: 1) { prefetch(p + l * 64) }
    }

    /// As ``prefetchNode(_:_:from:to:)``, into L2 only.
    @inline(__always) func prefetchNodeL2(_ ctx: QueryContext, _ id: UInt32, from: Int, to: Int) {
        let p = UnsafeRawPointer(ctx.isQuantized ? UnsafeRawPointer(code(id)) : UnsafeRawPointer(payload(id)))
        for l in stride(from: from, to: to, by: 1) { prefetchL2(p + l * 64) }
    }

    /// Cache lines one node's searched data spans.
    @inline(__always) func nodeLines(_ ctx: QueryContext) -> Int {
        ctx.isQuantized ? (dimension + 63) / 64 + 1 : vectorLines
    }
}
