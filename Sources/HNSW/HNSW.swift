import Foundation
import CKernels
import Kernels

/// Parameters of an ``HNSWIndex``.
public struct HNSWConfiguration: Sendable, Equatable {
    public var dimension: Int
    public var metric: Metric
    /// Links per node on the upper levels; level 0 keeps `2 * m`.
    public var m: Int
    /// Beam width while inserting.
    public var efConstruction: Int
    /// Seeds the level of every node (a node's level depends only on seed and id,
    /// so a single-thread build is fully deterministic).
    public var seed: UInt64
    /// The form the vectors are kept in (see ``VectorStorage``).
    public var storage: VectorStorage
    /// Codes the search walks instead of the vectors (8 or 4 bits a component), the final
    /// candidates re-ranked with the stored vectors; nil for none. Needs float32 or
    /// float16 storage. The quantizer is learned from the first vectors added and
    /// learned again each time the index doubles, up to ``HNSWIndex/codeTrainingLimit``
    /// vectors (so a store that starts small does not keep ranges from its first few).
    /// ``HNSWIndex/enableQuantizedTraversal(range:bits:)`` sets it on a built index.
    public var traversalCodeBits: Int?

    public init(dimension: Int, metric: Metric, m: Int = 16, efConstruction: Int = 200, seed: UInt64 = 42,
                storage: VectorStorage = .float32, traversalCodeBits: Int? = nil) {
        self.dimension = dimension; self.metric = metric; self.m = m
        self.efConstruction = efConstruction; self.seed = seed; self.storage = storage
        self.traversalCodeBits = traversalCodeBits
    }

    /// Bytes of a traversal code in a node record (0 without codes).
    var traversalCodeBytes: Int {
        guard let bits = traversalCodeBits else { return 0 }
        return bits == 8 ? dimension : ck_sq4_bytes(dimension)
    }

    func validate() throws {
        if let bits = traversalCodeBits {
            guard bits == 8 || bits == 4 else { throw HNSWError.invalidConfiguration("traversal codes have 8 or 4 bits, not \(bits)") }
            guard storage != .int8 else {
                throw HNSWError.invalidConfiguration("quantized traversal re-ranks with float32 or float16 vectors; int8 storage already searches its codes")
            }
        }
        guard dimension >= 1 && dimension <= 65_536 else { throw HNSWError.invalidConfiguration("dimension must be 1...65536, got \(dimension)") }
        guard m >= 2 && m <= 128 else { throw HNSWError.invalidConfiguration("m must be 2...128, got \(m)") }
        guard efConstruction >= 1 && efConstruction <= 10_000 else {
            throw HNSWError.invalidConfiguration("efConstruction must be 1...10000, got \(efConstruction)")
        }
    }
}

/// A Hierarchical Navigable Small World graph index (Malkov and Yashunin, "Efficient
/// and robust approximate nearest neighbor search using Hierarchical Navigable Small
/// World graphs", TPAMI 2018).
///
///     let index = try HNSWIndex(HNSWConfiguration(dimension: 384, metric: .ip))
///     let ids = try index.add(vectors)                  // parallel insert, ids 0, 1, ...
///     let top = try index.search(query, k: 10, ef: 64) // nearest first
///
/// ## Memory layout
/// Level 0 is an arena of fixed-size node records (`| count | links | [code] | vector |`),
/// 32-bit ids indexing it, so a node's links and what a search compares share cache
/// lines; upper levels (about 1/M of the nodes) live apart, one block per node. Every
/// record layout and all access to a record: `NodeRecord.swift`.
///
/// ## Concurrency
/// Searches run concurrently with each other and with ``add(_:threads:progress:)``.
/// Inserts lock the link lists they touch (striped mutexes); searches read link lists
/// without locks, which is safe because a node's vector is written before any link
/// to it is published. Growth, deletion consolidation and loading take a structure
/// lock exclusively.
public final class HNSWIndex: @unchecked Sendable {
    /// As created; ``enableQuantizedTraversal(range:bits:)`` later sets its `traversalCodeBits`.
    public internal(set) var configuration: HNSWConfiguration
    public let dimension: Int
    public let metric: Metric

    let maxLinks0: Int
    let maxLinks: Int
    /// Bytes per node record; grows by the code's bytes when codes join a float32 or float16 record.
    var nodeStride: Int
    /// Where the stored vector (Float32, Float16, or the int8 code under int8 storage) starts in a node record.
    var vectorOffset: Int
    /// Where the code starts (right after the links) under quantized traversal or int8 storage.
    let codeOffset: Int
    let levelMultiplier: Double
    let kernelFunction: ck_f32_fn
    /// Scores a prepared query against a code: the quantizer's kernel (8 or 4 bits).
    var codeFunction: ck_sq8_fn
    /// The integer kernel for 8-bit traversal codes under a dot metric (AVX-512 VNNI, AVX2, NEON), when the
    /// CPU has one, and the largest |q| it is exact for (queries are rounded within it).
    var byteCodeFunction: ck_u8s8_fn?
    var byteQueryLimit: Float = 127
    let halfFunction: ck_f16_fn
    let storesHalves: Bool
    let distanceIsDot: Bool
    /// Cache lines one vector spans.
    let vectorLines: Int

    // Storage, sized for `capacity` slots; slots [0, slotCount) are in use or free.
    /// Level-0 records in chunks of `1 << chunkShift` nodes, each chunk one contiguous
    /// allocation: growing adds chunks and never moves a record (see `HNSW+Chunks`).
    let chunkShift: Int
    var chunkTable: UnsafeMutablePointer<UnsafeMutableRawPointer>
    var chunkTableCapacity = 0
    var chunkCount = 0
    var levels: UnsafeMutablePointer<UInt8>
    var upperLinks: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    var deletedBits: UnsafeMutablePointer<UInt64>
    /// One flag per slot: its record or upper links changed since `takeDirtyGroups`.
    var dirty: UnsafeMutablePointer<UInt8>
    /// False for a read-only view whose records and upper links live in someone
    /// else's memory (a store's memory map): nothing of theirs is freed or written.
    var ownsNodeMemory = true
    var capacity: Int
    var slotCount = 0
    /// Slots freed by consolidated deletes, largest first so `popLast` reuses the smallest.
    var freeSlots: [UInt32] = []
    var deletedCount = 0
    var entryPoint: UInt32 = HNSWIndex.none
    var maxLevel = 0
    /// `fingerprint`, once computed; any change to the graph clears it.
    var cachedFingerprint: UInt64?
    /// Set when quantized traversal is on (node records then carry 8- or 4-bit codes) and for int8 storage.
    var quantizer: ScalarQuantizer?
    /// How many vectors the traversal codes' quantizer was learned from (`Int.max`: chosen
    /// by the caller, never learned again).
    var codeTrainingRows = 0

    let locks = StripedLocks(count: 4096)
    let structure = ReadWriteLock()
    let global = Mutex()
    let scratchPool = ScratchPool()

    static let none = UInt32.max
    /// The level recorded for a freed slot (no node has a level this high).
    static let freeSlotLevel: UInt8 = 255
    static let maxLevelCap = 31

    public convenience init(_ configuration: HNSWConfiguration, capacity: Int = 1024) throws {
        try self.init(configuration, capacity: capacity, chunkShift: Self.defaultChunkShift)
    }

    /// `externalChunks`: record memory someone else owns (one pointer per chunk); the
    /// index then becomes a read-only view of it.
    init(_ configuration: HNSWConfiguration, capacity: Int, chunkShift: Int,
         externalChunks: [UnsafeRawPointer]? = nil) throws {
        try configuration.validate()
        self.chunkShift = chunkShift
        self.configuration = configuration
        dimension = configuration.dimension
        metric = configuration.metric
        maxLinks = configuration.m
        maxLinks0 = 2 * configuration.m
        codeOffset = 4 * (1 + maxLinks0)
        vectorOffset = codeOffset + configuration.traversalCodeBytes
        nodeStride = vectorOffset + configuration.storage.bytesPerComponent * configuration.dimension
        levelMultiplier = 1 / log(Double(configuration.m))
        let kernels = KernelTable.best
        kernelFunction = configuration.metric.usesDot ? kernels.dotF32 : kernels.l2sqF32
        codeFunction = ScalarQuantizer.kernel(bits: 8, kernels, usesDot: configuration.metric.usesDot)
        byteCodeFunction = nil   // traversal codes only (installQuantizer); int8 storage reports its codes' distances
        halfFunction = configuration.metric.usesDot ? kernels.dotF16 : kernels.l2sqF16
        storesHalves = configuration.storage == .float16
        distanceIsDot = configuration.metric.usesDot
        vectorLines = (configuration.storage.bytesPerComponent * configuration.dimension + 63) / 64 + 1
        self.capacity = max(1, capacity)
        chunkTable = .allocate(capacity: 1)
        levels = .allocate(capacity: self.capacity)
        upperLinks = .allocate(capacity: self.capacity)
        upperLinks.initialize(repeating: nil, count: self.capacity)
        deletedBits = .allocate(capacity: (self.capacity + 63) / 64)
        deletedBits.initialize(repeating: 0, count: (self.capacity + 63) / 64)
        dirty = .allocate(capacity: self.capacity)
        dirty.initialize(repeating: 0, count: self.capacity)
        chunkTableCapacity = 1
        if let externalChunks {
            ownsNodeMemory = false
            chunkTable.deallocate()
            chunkTable = .allocate(capacity: max(1, externalChunks.count))
            for (c, p) in externalChunks.enumerated() { chunkTable[c] = UnsafeMutableRawPointer(mutating: p) }
            chunkTableCapacity = max(1, externalChunks.count)
            chunkCount = externalChunks.count
        } else {
            addChunks(toHold: self.capacity)
        }
    }

    deinit {
        if ownsNodeMemory {
            for i in 0..<slotCount { upperLinks[i]?.deallocate() }
            freeChunks()
        } else {
            chunkTable.deallocate()
        }
        levels.deallocate(); upperLinks.deallocate(); deletedBits.deallocate(); dirty.deallocate()
    }

    /// Live (inserted and not deleted) vectors.
    public var count: Int {
        structure.read { slotCount - freeSlots.count - deletedCount }
    }

    /// Bytes held by the graph and vectors (the arena, upper-level blocks, level and
    /// deletion tables); excludes transient search scratch.
    public var memoryBytes: Int {
        structure.read {
            var upper = 0
            for i in 0..<slotCount where levels[i] > 0 { upper += Int(levels[i]) * (maxLinks + 1) * 4 }
            return residentChunkBytes + capacity * (1 + MemoryLayout<UnsafeMutableRawPointer>.size) + (capacity + 63) / 64 * 8 + upper
        }
    }


    @inline(__always) func isDeleted(_ id: UInt32) -> Bool {
        deletedBits[Int(id) >> 6] & (1 << (UInt64(id) & 63)) != 0
    }

    /// True for a slot that holds a live vector.
    public func isLive(_ id: UInt32) -> Bool {
        Int(id) < slotCount && !isDeleted(id) && levels[Int(id)] != Self.freeSlotLevel
    }

    /// A copy of the vector stored for live node `id` (as indexed: unit length under
    /// cosine; decoded from float16 or int8 storage), or nil when the slot holds none.
    public func storedVector(_ id: UInt32) -> [Float]? {
        structure.read {
            guard isLive(id) else { return nil }
            return [Float](unsafeUninitializedCapacity: dimension) { out, n in
                decodeVector(id, into: out.baseAddress!); n = dimension
            }
        }
    }

    /// The metric's distances (smaller is closer) from `query` to each node of `ids`, read
    /// in place from the node records (nothing copied); nil for a slot without a live
    /// vector. For a cosine index the query is scaled to unit length first, as search does.
    public func distances(from query: [Float], to ids: [UInt32]) -> [Float?] {
        precondition(query.count == dimension, "query has \(query.count) dimensions, the index \(dimension)")
        var q = query
        if metric == .cosine {
            let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { q = q.map { $0 / norm } }
        }
        return structure.read {
            q.withUnsafeBufferPointer { qp in
                withDecodeBuffer { buffer in ids.map { isLive($0) ? exactDistance(qp.baseAddress!, $0, buffer: buffer) : nil } }
            }
        }
    }

    /// The metric's distance between live nodes `a` and `b`, read in place; nil when either is not live.
    public func distance(between a: UInt32, and b: UInt32) -> Float? {
        structure.read {
            guard isLive(a), isLive(b) else { return nil }
            return withDecodeBuffer { buffer in
                if configuration.storage == .float32 { return exactDistance(UnsafePointer(vector(a)), b, buffer: buffer) }
                let query = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
                defer { query.deallocate() }
                decodeVector(a, into: query)
                return exactDistance(UnsafePointer(query), b, buffer: buffer)
            }
        }
    }


    private func withDecodeBuffer<T>(_ body: (UnsafeMutablePointer<Float>) -> T) -> T {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
        defer { buffer.deallocate() }
        return body(buffer)
    }

    /// The level of node `id`, drawn from an exponential distribution seeded by
    /// (seed, id) so it does not depend on insertion order or threads.
    func randomLevel(for id: UInt32) -> Int {
        var x = configuration.seed &+ UInt64(id) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        let u = (Double(x >> 11) + 1) / Double(1 << 53)   // (0, 1]
        return min(Self.maxLevelCap, Int(-log(u) * levelMultiplier))
    }

    /// Grows every table to hold `newCapacity` slots. Caller holds the structure lock
    /// exclusively.
    func grow(to newCapacity: Int) {
        guard newCapacity > capacity else { return }
        addChunks(toHold: newCapacity)
        let newLevels = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newLevels.update(from: levels, count: slotCount)
        levels.deallocate(); levels = newLevels
        let newUpper = UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>.allocate(capacity: newCapacity)
        newUpper.initialize(repeating: nil, count: newCapacity)
        newUpper.update(from: upperLinks, count: slotCount)
        upperLinks.deallocate(); upperLinks = newUpper
        let words = (newCapacity + 63) / 64
        let newBits = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        newBits.initialize(repeating: 0, count: words)
        newBits.update(from: deletedBits, count: (capacity + 63) / 64)
        deletedBits.deallocate(); deletedBits = newBits
        let newDirty = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newDirty.initialize(repeating: 0, count: newCapacity)
        newDirty.update(from: dirty, count: slotCount)
        dirty.deallocate(); dirty = newDirty
        capacity = newCapacity
    }

    /// Records that node `id`'s record or upper links changed (safe from any thread).
    @inline(__always) func markDirty(_ id: UInt32) { ck_mark(dirty + Int(id)) }

    /// Forgets the fingerprint: called by everything that changes the graph.
    func graphChanged() { global.withLock { cachedFingerprint = nil } }

    /// Checks a query or vector: right length, finite values.
    func validate(_ v: UnsafeBufferPointer<Float>, index: Int) throws {
        guard v.count == dimension else { throw HNSWError.dimensionMismatch(expected: dimension, got: v.count) }
        for d in 0..<v.count where !v[d].isFinite { throw HNSWError.nonFinite(vector: index, dimension: d) }
    }
}
