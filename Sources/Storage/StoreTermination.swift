import EarlyTermination
import Foundation
import HNSW

/// Learned early termination tuned for one store (`refer tune --store`), kept inside it:
/// per target recall, the model that stops each query when it holds that recall, its
/// held-out recall, and the plain beam (fixed ef) that reaches the same target, used
/// when the model no longer fits the graph.
///
/// The model fits while the store holds between 1/``tolerance`` and ``tolerance`` times
/// the live papers it was tuned on (docs/learned-termination.md has the measurement
/// behind the rule): its trees read the query and the walk's state, not the graph's
/// bytes, so ingests that keep the graph's shape keep its recall.
public struct StoreTermination: Codable, Sendable, Equatable {
    /// One target: its held-out figures and the model that meets it.
    @dynamicMemberLookup
    public struct Target: Codable, Sendable, Equatable {
        public var figures: TunedTarget
        public var model: LearnedTermination

        public init(_ figures: TunedTarget, model: LearnedTermination) { self.figures = figures; self.model = model }

        public subscript<T>(dynamicMember path: KeyPath<TunedTarget, T>) -> T { figures[keyPath: path] }
    }

    /// recall@k of the targets.
    public var k: Int
    /// Live papers when tuned.
    public var papers: Int
    /// The target a search without `recall` uses.
    public var default_recall: Double
    /// Where the queries came from: "stored papers" or the `--queries` file.
    public var queries: String
    /// Training queries, and of them held out.
    public var query_count: Int
    public var held_out_count: Int
    /// When it was tuned (ISO 8601).
    public var tuned_at: String
    /// Ascending target recall.
    public var targets: [Target]

    public init(k: Int, papers: Int, default_recall: Double, queries: String, query_count: Int, held_out_count: Int,
                tuned_at: String, targets: [Target]) {
        self.k = k; self.papers = papers; self.default_recall = default_recall; self.queries = queries
        self.query_count = query_count; self.held_out_count = held_out_count; self.tuned_at = tuned_at
        self.targets = targets.sorted { $0.target_recall < $1.target_recall }
    }

    /// How far the store may grow (or shrink) from the papers it was tuned on, as a factor,
    /// before the models give way to their plain beams.
    public static let tolerance = 1.25

    /// The name under which a store keeps its tuned models.
    static let documentName = "termination"

    /// Whether the models still fit a store of `papers` live papers.
    public func fits(papers now: Int) -> Bool {
        Double(now) <= Double(papers) * Self.tolerance && Double(now) * Self.tolerance >= Double(papers)
    }

    /// The tuned target for a requested recall: the lowest tuned target at or above it
    /// (nil: the default). A recall above every tuned target is refused with the remedy.
    public func target(for recall: Double?) throws -> Target {
        let wanted = recall ?? default_recall
        guard let t = targets.first(where: { $0.target_recall >= wanted - 1e-9 }) else {
            throw StoreError("no tuned target reaches recall \(wanted) (tuned: \(targets.map { String($0.target_recall) }.joined(separator: ", "))); run refer tune --store S --target-recall \(wanted)")
        }
        return t
    }
}

/// A tuned target's figures, measured on the tuner's held-out queries.
public struct TunedTarget: Codable, Sendable, Equatable {
    public var target_recall: Double
    /// recall@k of the model on the held-out queries.
    public var held_out_recall: Double
    /// Mean distance evaluations of the model on the held-out queries.
    public var mean_evaluations: Double
    /// The smallest ef whose plain beam reaches the target on the held-out queries.
    public var plain_ef: Int
    /// Its held-out recall@k and mean evaluations.
    public var plain_recall: Double
    public var plain_mean_evaluations: Double
    /// What the trees predict ("nothing": the tuner found no model cheaper than the plain beam).
    public var predicts: String

    public init(target_recall: Double, held_out_recall: Double, mean_evaluations: Double, plain_ef: Int,
                plain_recall: Double, plain_mean_evaluations: Double, predicts: String) {
        self.target_recall = target_recall; self.held_out_recall = held_out_recall; self.mean_evaluations = mean_evaluations
        self.plain_ef = plain_ef; self.plain_recall = plain_recall; self.plain_mean_evaluations = plain_mean_evaluations
        self.predicts = predicts
    }
}

/// What `refer stats` says of a store's tuning: each target with its held-out figures, and
/// whether the models still fit the store (else searches use each target's plain beam).
public struct TunedSummary: Codable, Sendable, Equatable {
    public var k: Int
    public var papers_when_tuned: Int
    public var fits: Bool
    public var default_recall: Double
    public var queries: String
    public var query_count: Int
    public var held_out_count: Int
    public var tuned_at: String
    public var targets: [TunedTarget]

    public init(_ t: StoreTermination, livePapers: Int) {
        k = t.k; papers_when_tuned = t.papers; fits = t.fits(papers: livePapers); default_recall = t.default_recall
        queries = t.queries; query_count = t.query_count; held_out_count = t.held_out_count; tuned_at = t.tuned_at
        targets = t.targets.map(\.figures)
    }
}

/// How hard a store search works: a fixed beam, or a recall target the store was tuned for.
public enum SearchEffort: Sendable, Equatable {
    /// Plain beam search with this ef (raised to k).
    case ef(Int)
    /// The tuned target for this recall@k (nil: the store's default target; a store never
    /// tuned searches with ef max(64, k)).
    case recall(Double?)

    /// The effort of a request giving at most one of `recall` and `ef`.
    public static func of(recall: Double?, ef: Int?) throws -> SearchEffort {
        switch (recall, ef) {
        case (nil, nil): return .recall(nil)
        case let (r?, nil):
            guard r > 0 && r <= 1 else { throw StoreError("recall must be in (0, 1], got \(r)") }
            return .recall(r)
        case let (nil, e?):
            guard e >= 1 else { throw StoreError("ef must be at least 1, got \(e)") }
            return .ef(e)
        default: throw StoreError("give recall or ef, not both")
        }
    }
}

/// What one store search did.
public struct StoreSearchCost: Sendable, Equatable {
    /// Distance evaluations.
    public var evaluations = 0
    /// The tuned target used (nil: a fixed ef).
    public var target: Double?
    /// "learned", "plain" (the target's plain beam), "ef", or "exact" (a selective filter scanned).
    public var method = "ef"
    public init() {}
}

extension PaperStore {
    /// Keeps `termination` in the store, replacing any other (nil removes it).
    public func setTermination(_ termination: StoreTermination?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try setDocument(StoreTermination.documentName, json: try termination.map { String(decoding: try encoder.encode($0), as: UTF8.self) })
    }
}

extension StoreSearcher {
    /// The store's tuned models, or nil when it was never tuned. Read once per searcher.
    public func termination() throws -> StoreTermination? {
        try tuned.get {
            guard let json = try document(StoreTermination.documentName) else { return nil }
            do { return try JSONDecoder().decode(StoreTermination.self, from: Data(json.utf8)) }
            catch { throw StoreError("\(store.path): the tuned models are damaged (\(error)); run refer tune --store again") }
        }
    }

    /// The `k` nearest papers to `vector` with `effort`, only among `filter`'s nodes when given,
    /// and what it cost.
    public func search(_ vector: [Float], k: Int, effort: SearchEffort, filter: AllowedSet? = nil) throws -> (hits: [Hit], cost: StoreSearchCost) {
        var cost = StoreSearchCost(), stats = SearchStats()
        let neighbors: [Neighbor]
        switch try plan(effort, k: k, filtered: filter != nil) {
        case let .ef(ef, target, method):
            cost.target = target; cost.method = method
            let beam = filter.map { Self.filteredBeam(ef, k: k, passing: $0.count, of: index.count) } ?? ef
            neighbors = try vector.withUnsafeBufferPointer { try index.search($0, k: k, ef: beam, filter: filter, stats: &stats) }
            if stats.usedExactScan { cost.method = "exact" }
        case let .learned(model, target):
            cost.target = target; cost.method = "learned"
            neighbors = Array(try index.search(vector, k: model.k, termination: model, anyGraph: true, stats: &stats).prefix(k))
        }
        cost.evaluations = stats.distanceCount
        return (try hits(neighbors), cost)
    }

    /// The beam of passing papers a filtered walk keeps for an unfiltered `ef`: ef x the
    /// square root of the share that passes (at least k). A filtered walk keeps only passing
    /// papers as results while every node routes, so a full ef of them would walk 1/share
    /// times as far; measured on pypi-minilm-100k at 10% passing (2026-12-06,
    /// docs/learned-termination.md), ef 16 of passing papers reaches the recall@10 unfiltered
    /// ef 64 has, with 2,500 evaluations instead of 8,000.
    static func filteredBeam(_ ef: Int, k: Int, passing: Int, of live: Int) -> Int {
        guard live > 0, passing < live else { return ef }
        return max(k, Int((Double(ef) * (Double(passing) / Double(live)).squareRoot()).rounded(.up)))
    }

    /// Refuses an effort this store cannot give (a recall it was not tuned for), before any work.
    public func validate(_ effort: SearchEffort) throws { _ = try plan(effort, k: 1, filtered: false) }

    enum Plan { case ef(Int, target: Double?, method: String), learned(LearnedTermination, target: Double) }

    /// How a search with `effort` runs: a tuned target's model when it fits the store and
    /// the query (k at most the tuned k, no filter), else that target's plain beam (ef
    /// scaled by k over the tuned k when k is larger), else a fixed ef.
    func plan(_ effort: SearchEffort, k: Int, filtered: Bool) throws -> Plan {
        switch effort {
        case let .ef(ef): return .ef(max(ef, k), target: nil, method: "ef")
        case let .recall(recall):
            guard let tuned = try termination() else {
                if let recall { throw StoreError("\(store.path) is not tuned for recall \(recall): run refer tune --store \(store.path) --target-recall \(recall)") }
                return .ef(max(64, k), target: nil, method: "ef")
            }
            let t = try tuned.target(for: recall)
            if k <= tuned.k && !filtered && tuned.fits(papers: index.count) { return .learned(t.model, target: t.target_recall) }
            return .ef(max(k, t.plain_ef * max(k, tuned.k) / tuned.k), target: t.target_recall, method: "plain")
        }
    }

    /// Index neighbours as papers.
    func hits(_ neighbors: [Neighbor]) throws -> [Hit] {
        let dbs = store.dbs
        return try snapshot.read { txn in
            try neighbors.map { h in
                guard let id = try txn.get(h.id, in: dbs.nodePaper, as: String.self) else {
                    throw StoreError("\(store.path): node \(h.id) has no paper")
                }
                return Hit(paperID: id, distance: h.distance)
            }
        }
    }
}
