import Kernels

/// The form in which an index keeps its vectors, chosen when it is created.
///
/// - `float32`: 4 bytes a component, exact distances.
/// - `float16`: 2 bytes a component (IEEE half, round to nearest even); queries stay
///   Float32 and are compared with the halves directly. For unit-length embeddings the
///   rounding error (about 1e-3 relative per component) changes distances far below
///   the gaps between neighbours.
/// - `int8`: 1 byte a component, a ``ScalarQuantizer`` with per-dimension ranges
///   learned from the first vectors added (at most ``HNSWIndex/codeTrainingLimit``;
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

/// Room for a query with a quantizer folded in (see `QueryContext`): per-component
/// factors `a` and weights `w`, and `a` rounded to signed bytes for the integer kernel.
final class CodeQueryBuffers {
    let dimension: Int
    let a: UnsafeMutablePointer<Float>
    let w: UnsafeMutablePointer<Float>
    let bytes: UnsafeMutablePointer<Int8>

    init(dimension: Int) {
        self.dimension = dimension
        a = .allocate(capacity: dimension)
        w = .allocate(capacity: dimension)
        bytes = .allocate(capacity: dimension)
    }

    deinit { a.deallocate(); w.deallocate(); bytes.deallocate() }
}

/// Room to decode one node's vector and fold the quantizer into it, so the node can
/// act as a query (neighbour selection, link repair) without allocating.
final class DecodedNode {
    let vector: UnsafeMutablePointer<Float>
    let query: CodeQueryBuffers

    init(dimension: Int) {
        vector = .allocate(capacity: dimension)
        query = CodeQueryBuffers(dimension: dimension)
    }

    deinit { vector.deallocate() }
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
