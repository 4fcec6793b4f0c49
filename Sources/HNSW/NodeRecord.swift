import CKernels
import Kernels

// Everything a search or an insert reads or writes of one node, in one place: where
// its record is, its links, its vector in the stored form, its traversal code, the
// query it is compared with, the distance, and the prefetch of what a search reads.
//
// A level-0 record, by stored form (``VectorStorage``) and traversal code:
//
//     float32              | count: u32 | links: u32 x 2M | f32 x dim |
//     float32 + codes      | count | links | code | f32 x dim |
//     float16              | count | links | f16 x dim |
//     float16 + codes      | count | links | code | f16 x dim |
//     int8                 | count | links | code |            (the code is the vector)
//
// A code is 8 bits a component (`dim` bytes) or 4 (`ck_sq4_bytes(dim)`), learned by a
// ``ScalarQuantizer``. Links and code come first so a walk that compares codes reads
// one contiguous run of a record; the vector after them is read only to re-rank.
// Records live in chunks (`HNSW+Chunks`); upper levels in per-node blocks of
// `level x (count + M links)`. Callers hold the structure lock.

/// What a search compares nodes against: the Float32 query, and when the index
/// traverses codes, the query with the quantizer folded in: as floats (`codeA`,
/// `codeW`), and for 8-bit codes under a dot metric on a CPU with AVX-512 VNNI also
/// as signed bytes (`codeBytes`, `a ≈ bytes * byteScale`), so one instruction scores
/// 64 components in exact integer arithmetic. Rounding the query to bytes moves a
/// code distance by about 1e-3 (the codes' own error is about 3e-4); only the walk
/// sees it, the final candidates are re-ranked with the stored vectors.
struct QueryContext {
    let vector: UnsafePointer<Float>
    let codeA: UnsafePointer<Float>?
    let codeW: UnsafePointer<Float>?
    let codeConstant: Float
    let codeBytes: UnsafePointer<Int8>?
    let byteScale: Float

    /// Compare against the stored Float32 or Float16 vectors.
    init(exact vector: UnsafePointer<Float>) {
        self.vector = vector; codeA = nil; codeW = nil; codeConstant = 0; codeBytes = nil; byteScale = 0
    }

    init(vector: UnsafePointer<Float>, a: UnsafePointer<Float>, w: UnsafePointer<Float>, constant: Float,
         bytes: UnsafePointer<Int8>?, byteScale: Float) {
        self.vector = vector; codeA = a; codeW = w; codeConstant = constant
        codeBytes = bytes; self.byteScale = byteScale
    }

    /// True when distances come from codes.
    var isQuantized: Bool { codeA != nil }
}

extension HNSWIndex {
    // MARK: Where things are

    /// The level-0 record of node `id`.
    @inline(__always) func record(_ id: UInt32) -> UnsafeMutableRawPointer {
        chunkTable[Int(id) >> chunkShift] + (Int(id) & (chunkNodes - 1)) * nodeStride
    }

    /// The link list `[count, ids...]` of `id` on `level`.
    @inline(__always) func links(_ id: UInt32, level: Int) -> UnsafeMutablePointer<UInt32> {
        level == 0
            ? record(id).assumingMemoryBound(to: UInt32.self)
            : upperLinks[Int(id)]! + (level - 1) * (maxLinks + 1)
    }

    @inline(__always) func linkCapacity(level: Int) -> Int { level == 0 ? maxLinks0 : maxLinks }

    /// The stored vector of `id`, in whatever form the index keeps it.
    @inline(__always) func payload(_ id: UInt32) -> UnsafeMutableRawPointer {
        record(id) + vectorOffset
    }

    /// The Float32 vector of `id`; only for float32 storage (see ``payload(_:)``).
    @inline(__always) func vector(_ id: UInt32) -> UnsafeMutablePointer<Float> {
        payload(id).assumingMemoryBound(to: Float.self)
    }

    /// The code of `id` (traversal code, or the vector itself under int8 storage).
    @inline(__always) func code(_ id: UInt32) -> UnsafeMutablePointer<UInt8> {
        (record(id) + codeOffset).assumingMemoryBound(to: UInt8.self)
    }

    // MARK: Writing and reading vectors

    /// Writes `vector` (already unit length under cosine) into `id`'s record in the
    /// stored form, and its code when the index has traversal codes.
    func store(_ vector: UnsafePointer<Float>, at id: UInt32) {
        switch configuration.storage {
        case .float32:
            self.vector(id).update(from: vector, count: dimension)
        case .float16:
            let halves = payload(id).assumingMemoryBound(to: UInt16.self)
            for d in 0..<dimension { halves[d] = Float16Codec.encode(vector[d]) }
        case .int8:
            break
        }
        quantizer?.encode(vector, into: code(id))
    }

    /// Writes node `id`'s vector as Float32 into `out` (`dimension` floats): the stored
    /// values for float32, decoded values for float16 and int8.
    func decodeVector(_ id: UInt32, into out: UnsafeMutablePointer<Float>) {
        switch configuration.storage {
        case .float32:
            out.update(from: vector(id), count: dimension)
        case .float16:
            let halves = payload(id).assumingMemoryBound(to: UInt16.self)
            for d in 0..<dimension { out[d] = Float16Codec.decode(halves[d]) }
        case .int8:
            quantizer!.decode(code(id), into: out)
        }
    }

    // MARK: Queries

    /// The context a query searches with: codes when the index has them.
    func queryContext(_ query: UnsafePointer<Float>, scratch: SearchScratch) -> QueryContext {
        guard quantizer != nil else { return QueryContext(exact: query) }
        return queryContext(query, into: scratch.quantizedQueryBuffers(dimension: dimension))
    }

    /// As ``queryContext(_:scratch:)``, folding the quantizer into `buffers`.
    func queryContext(_ query: UnsafePointer<Float>, into buffers: CodeQueryBuffers) -> QueryContext {
        guard let quantizer else { return QueryContext(exact: query) }
        let (a, w) = (buffers.a, buffers.w)
        let constant = quantizer.prepare(query, metric: metric, a: a, w: w)
        guard byteCodeFunction != nil else {
            return QueryContext(vector: query, a: UnsafePointer(a), w: UnsafePointer(w), constant: constant, bytes: nil, byteScale: 0)
        }
        var largest: Float = 0
        for d in 0..<dimension { largest = max(largest, abs(a[d])) }
        // Within the byte product's exact range (127 with VNNI and NEON, 64 on AVX2).
        let scale: Float = largest > 0 ? byteQueryLimit / largest : 1
        for d in 0..<dimension { buffers.bytes[d] = Int8((a[d] * scale).rounded()) }
        return QueryContext(vector: query, a: UnsafePointer(a), w: UnsafePointer(w), constant: constant,
                            bytes: UnsafePointer(buffers.bytes), byteScale: 1 / scale)
    }

    /// The most exact context the stored form allows: Float32 or Float16 vectors when
    /// the index has them, the codes for int8 storage (learned termination and the
    /// budgeted walk measure the graph with it).
    func exactContext(_ query: UnsafePointer<Float>, scratch: SearchScratch) -> QueryContext {
        configuration.storage == .int8 ? queryContext(query, scratch: scratch) : QueryContext(exact: query)
    }

    /// A context that compares other nodes with node `id` as the query, as exactly as
    /// the stored form allows (building and repairing never use traversal codes).
    /// Float32 storage points at the record itself; the other forms decode into `buffer`.
    func nodeContext(_ id: UInt32, buffer: DecodedNode) -> QueryContext {
        if configuration.storage == .float32 { return QueryContext(exact: UnsafePointer(vector(id))) }
        decodeVector(id, into: buffer.vector)
        if configuration.storage == .float16 { return QueryContext(exact: UnsafePointer(buffer.vector)) }
        return queryContext(UnsafePointer(buffer.vector), into: buffer.query)
    }

    // MARK: Distances (smaller is closer)

    /// The distance a search sees from its query to node `id`: the code's when the
    /// context is quantized, else the stored vector's.
    @inline(__always) func distance(_ ctx: QueryContext, _ id: UInt32) -> Float {
        guard let a = ctx.codeA else { return distance(ctx.vector, id) }
        if let bytes = ctx.codeBytes {
            return 1 - (ctx.codeConstant + Float(byteCodeFunction.unsafelyUnwrapped(bytes, code(id), dimension)) * ctx.byteScale)
        }
        let raw = codeFunction(a, ctx.codeW.unsafelyUnwrapped, code(id), dimension)
        return distanceIsDot ? 1 - (ctx.codeConstant + raw) : ctx.codeConstant + raw
    }

    /// The metric's distance between a prepared Float32 query and node `id`'s Float32
    /// or Float16 vector (int8 storage goes through a ``QueryContext``).
    @inline(__always) func distance(_ query: UnsafePointer<Float>, _ id: UInt32) -> Float {
        let raw = storesHalves
            ? halfFunction(query, payload(id).assumingMemoryBound(to: UInt16.self), dimension)
            : kernelFunction(query, vector(id), dimension)
        return distanceIsDot ? 1 - raw : raw
    }

    /// ``distance(_:_:)`` for every stored form: int8 codes are decoded into `buffer` first.
    @inline(__always) func exactDistance(_ query: UnsafePointer<Float>, _ id: UInt32, buffer: UnsafeMutablePointer<Float>) -> Float {
        guard configuration.storage == .int8 else { return distance(query, id) }
        decodeVector(id, into: buffer)
        let raw = kernelFunction(query, buffer, dimension)
        return distanceIsDot ? 1 - raw : raw
    }

    // MARK: Prefetch

    /// Cache lines of what a search reads for one node: the code (with the line it may
    /// straddle into) when walking codes, else the stored vector.
    @inline(__always) func nodeLines(_ ctx: QueryContext) -> Int {
        ctx.isQuantized ? (quantizer.unsafelyUnwrapped.codeBytes + 63) / 64 + 1 : vectorLines
    }

    /// Prefetch cache lines `from..<to` of what a search reads for node `id`, into L2.
    @inline(__always) func prefetchNodeL2(_ ctx: QueryContext, _ id: UInt32, from: Int, to: Int) {
        let p = UnsafeRawPointer(ctx.isQuantized ? UnsafeRawPointer(code(id)) : UnsafeRawPointer(payload(id)))
        for l in stride(from: from, to: to, by: 1) { prefetchL2(p + l * 64) }
    }
}
