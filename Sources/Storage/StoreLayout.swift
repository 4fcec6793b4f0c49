import Foundation
import HNSW
import Kernels
import LMDB

/// What a store is, recorded once at creation in `meta["store"]`; opening a store
/// made with different values is refused with the difference spelled out.
public struct StoreIdentity: Codable, Sendable, Equatable {
    public var schema_version: Int
    public var model: String
    public var dimension: Int
    public var metric: String
    public var m: Int
    public var ef_construction: Int
    public var seed: UInt64
    /// How the index keeps its vectors; nil in stores made before the choice existed (float32).
    public var index_form: IndexForm?

    public static let currentSchema = 1

    /// The index form, float32 for a store from before the choice.
    public var form: IndexForm { index_form ?? .float32 }

    /// This identity with another index form (for a new store), and that form's links per node.
    public func with(_ form: IndexForm) -> StoreIdentity {
        var copy = self
        copy.index_form = form
        copy.m = form.m
        return copy
    }

    /// The differences from `other`, as "field: stored X, wanted Y" phrases.
    func differences(from other: StoreIdentity) -> [String] {
        var out: [String] = []
        if schema_version != other.schema_version { out.append("schema version: store has \(schema_version), this build reads \(other.schema_version)") }
        if model != other.model { out.append("embedding model: store has '\(model)', asked for '\(other.model)'") }
        if dimension != other.dimension { out.append("dimension: store has \(dimension), asked for \(other.dimension)") }
        if metric != other.metric { out.append("metric: store has \(metric), asked for \(other.metric)") }
        if let wanted = other.index_form, wanted != form {
            out.append("index form: store has \(form.rawValue), asked for \(wanted.rawValue) (chosen once, when the store is made)")
        }
        return out
    }

    var hnsw: HNSWConfiguration {
        HNSWConfiguration(dimension: dimension, metric: Metric(rawValue: metric) ?? .cosine, m: m,
                          efConstruction: ef_construction, seed: seed,
                          storage: form.storage, traversalCodeBits: form.traversalCodeBits)
    }
}

/// How a store's index keeps its vectors, chosen when the store is made.
public enum IndexForm: String, Codable, Sendable, CaseIterable {
    /// Float32 vectors, compared exactly: 1,696 bytes of record a paper at 384 dimensions.
    case float32
    /// Float16 vectors, walked with int8 codes (learned from the first papers, again as
    /// the store doubles, up to 65,536) and re-ranked with the halves, with 32 links per
    /// node: 1,443 bytes of record a paper, and faster at equal recall (docs/benchmarks.md).
    /// Distances agree with Float32 to about 1e-3.
    case compact

    /// Links per node (M; 2M at level 0) of a new store's graph. The compact form's walk
    /// costs a 384-byte code per neighbour, so it takes twice the links: on PyPI 100k, M 32
    /// reached recall@10 0.95 and 0.99 with more queries a second than M 16 (docs/benchmarks.md).
    /// A store keeps the M it was made with.
    public var m: Int { self == .compact ? 32 : 16 }
    /// How the index stores its vectors.
    public var storage: VectorStorage { self == .compact ? .float16 : .float32 }
    /// Bits of the codes the walk reads, nil for none.
    public var traversalCodeBits: Int? { self == .compact ? 8 : nil }

    /// The form a new store takes when none is asked for (`refer ingest --index-form auto`):
    /// compact where this CPU walks its int8 codes with byte products (AVX2, AVX-512 VNNI,
    /// arm64), where it has the most queries a second at equal recall (docs/benchmarks.md);
    /// float32 where it has none (REFER_ISA=scalar), since scoring the codes in floats
    /// takes the compact form's lead away.
    public static func best(for kernels: KernelTable = .best) -> IndexForm {
        kernels.dotU8S8 != nil ? .compact : .float32
    }
}

/// The named LMDB databases of a store (layout: docs/store.md).
struct StoreDatabases {
    let meta, papers, paperNode, nodePaper, authors, graph, groups: Database

    init(_ env: Environment) throws {
        meta = try env.database(named: "meta")
        papers = try env.database(named: "papers")
        paperNode = try env.database(named: "paper_node")
        nodePaper = try env.database(named: "node_paper")
        authors = try env.database(named: "authors")
        graph = try env.database(named: "graph")
        groups = try env.database(named: "graph_groups")
    }
}

/// A store that cannot be opened or written, with the reason.
public struct StoreError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
