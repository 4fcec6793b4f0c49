import Kernels

/// The form in which an index keeps its vectors, chosen when it is created.
///
/// - `float32`: 4 bytes a component, exact distances.
/// - `float16`: 2 bytes a component (IEEE half, round to nearest even); queries stay
///   Float32 and are compared with the halves directly. For unit-length embeddings the
///   rounding error (about 1e-3 relative per component) changes distances far below
///   the gaps between neighbours.
/// - `int8`: 1 byte a component, a ``ScalarQuantizer`` with per-dimension ranges
///   learned from the first vectors added (at most ``HNSWIndex/int8TrainingRows``;
///   later values outside the ranges are clamped). No Float32 copy is kept: the graph
///   is built and searched on the codes, and reported distances are the codes'.
///
/// The record of a node is `| count | links | vector in this form |`, so the
/// stored form sets the bytes per vector: at 384 dimensions and M = 16, 1,668 (float32),
/// 900 (float16) or 516 (int8) bytes of level-0 record.
public enum VectorStorage: String, Sendable, CaseIterable, Codable {
    case float32, float16, int8

    /// Bytes one component takes in a node record.
    public var bytesPerComponent: Int {
        switch self {
        case .float32: 4
        case .float16: 2
        case .int8: 1
        }
    }

    /// The code in an index file's header.
    var code: UInt8 {
        switch self {
        case .float32: 0
        case .float16: 1
        case .int8: 2
        }
    }

    init?(code: UInt8) {
        guard let s = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = s
    }
}

extension HNSWIndex {
    /// How many of the first vectors an int8 index learns its ranges from.
    public static let int8TrainingRows = 65_536

    /// The stored vector of `id`, in whatever form the index keeps it.
    @inline(__always) func payload(_ id: UInt32) -> UnsafeMutableRawPointer {
        record(id) + vectorOffset
    }

    /// Writes `vector` (already unit length under cosine) into `id`'s record in the stored form.
    func store(_ vector: UnsafePointer<Float>, at id: UInt32) {
        switch configuration.storage {
        case .float32:
            self.vector(id).update(from: vector, count: dimension)
            encode(id)
        case .float16:
            let halves = payload(id).assumingMemoryBound(to: UInt16.self)
            for d in 0..<dimension { halves[d] = Float16Codec.encode(vector[d]) }
        case .int8:
            quantizer!.encode(vector, into: code(id))
        }
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

    /// A context that compares other nodes with node `id` as the query. Float32
    /// storage points at the record itself; the other forms decode into `buffer`.
    func nodeContext(_ id: UInt32, buffer: DecodedNode) -> QueryContext {
        if configuration.storage == .float32 { return QueryContext(exact: UnsafePointer(vector(id))) }
        decodeVector(id, into: buffer.vector)
        return queryContext(UnsafePointer(buffer.vector), a: buffer.a, w: buffer.w)
    }
}

/// Room to decode one node's vector and fold the quantizer into it, so the node can
/// act as a query (neighbour selection, link repair) without allocating.
final class DecodedNode {
    let vector: UnsafeMutablePointer<Float>
    let a: UnsafeMutablePointer<Float>
    let w: UnsafeMutablePointer<Float>

    init(dimension: Int) {
        vector = .allocate(capacity: dimension)
        a = .allocate(capacity: dimension)
        w = .allocate(capacity: dimension)
    }

    deinit { vector.deallocate(); a.deallocate(); w.deallocate() }
}

/// The decoded nodes one insert needs at once: the node being inserted, the node
/// whose list is being pruned, and the candidate being checked against the kept links.
final class DecodedNodes {
    let inserted: DecodedNode
    let base: DecodedNode
    let candidate: DecodedNode
    let dimension: Int

    init(dimension: Int) {
        self.dimension = dimension
        inserted = DecodedNode(dimension: dimension)
        base = DecodedNode(dimension: dimension)
        candidate = DecodedNode(dimension: dimension)
    }
}
