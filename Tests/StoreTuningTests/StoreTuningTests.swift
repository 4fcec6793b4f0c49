import Foundation
import HNSW
import Kernels
@testable import Storage
import StoreTuning
import Testing
import VectorIO

/// A store tuned on its own index answers a recall, not an ef: measured against brute
/// force on queries it never saw.
@Suite(.serialized) struct StoreTuningTests {
    static let dimension = 16
    static let identity = StoreIdentity(schema_version: StoreIdentity.currentSchema, model: "test-model", dimension: dimension,
                                        metric: "cosine", m: 8, ef_construction: 64, seed: 7)

    /// Points around 40 random centres (real embeddings are clustered too).
    static func vectors(_ n: Int, seed: UInt64) -> [[Float]] {
        var rng = SplitMix64(seed: seed)
        let centres = (0..<40).map { _ in (0..<dimension).map { _ in rng.float() } }
        return (0..<n).map { _ in
            let c = centres[Int(rng.next() % 40)]
            return c.map { $0 + 0.35 * rng.float() }
        }
    }

    static func line(_ i: Int, _ v: [Float]) -> String {
        #"{"id": "p\#(i)", "title": "Paper \#(i)", "year": \#(2000 + i % 20), "vector": [\#(v.map { "\($0)" }.joined(separator: ","))]}"#
    }

    static func exact(_ q: [Float], _ base: [[Float]], k: Int) -> Set<String> {
        func unit(_ v: [Float]) -> [Float] { let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / n } }
        let u = unit(q)
        let scored = base.enumerated().map { i, v in (zip(u, unit(v)).reduce(0) { $0 + $1.0 * $1.1 }, i) }
        return Set(scored.sorted { $0.0 > $1.0 }.prefix(k).map { "p\($0.1)" })
    }

    @Test("tuned on given queries: the models are kept in the store, a recall picks one, unseen queries get that recall; growth beyond the rule falls back; an untuned recall is refused; sampled papers tune too")
    func contract() throws {
        let dir = NSTemporaryDirectory() + "refer-tune-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let store = try PaperStore(path: dir, identity: Self.identity)
        store.buildThreads = 1
        // One distribution: 4,000 stored, 300 unseen queries, 1,100 ingested later, 2,000 to tune on.
        let all = Self.vectors(7_400, seed: 1)
        let base = Array(all[..<4_000]), queries = Array(all[4_000..<4_300]), later = Array(all[4_300..<5_400])
        let training = Matrix<Float>(rows: 2_000, columns: Self.dimension, elements: all[5_400...].flatMap { $0 })
        _ = try store.ingest(lines: base.enumerated().map { Self.line($0, $1) })
        #expect(throws: StoreError("\(dir) is not tuned for recall 0.9: run refer tune --store \(dir) --target-recall 0.9")) {
            try store.searcher().validate(.recall(0.9))
        }

        // Sampled stored papers (5% of the store), each left out while it is a query.
        var sampled = StoreTuner(targets: [0.9])
        sampled.threads = 1
        let fromPapers = try sampled.tune(store, queries: nil, queriesName: "")
        #expect(fromPapers.queries == "stored papers" && fromPapers.query_count == 200 && fromPapers.held_out_count == 40)
        #expect(fromPapers.targets[0].held_out_recall >= 0.9)

        var tuner = StoreTuner(targets: [0.99, 0.9])
        tuner.threads = 1
        let tuned = try tuner.tune(store, queries: training, queriesName: "training.fbin")
        #expect(tuned.queries == "training.fbin" && tuned.query_count == 2_000 && tuned.default_recall == 0.9)
        #expect(tuned.targets.map(\.target_recall) == [0.9, 0.99])
        for t in tuned.targets { #expect(t.held_out_recall >= t.target_recall && t.plain_recall >= t.target_recall) }
        let searcher = try store.searcher()
        #expect(try searcher.termination() == tuned)
        #expect(try store.stats().tuned?.targets.map(\.held_out_recall) == tuned.targets.map(\.held_out_recall))

        // Unseen queries, against brute force.
        for target in tuned.targets {
            var hits = 0, evaluations = 0
            for q in queries {
                let (found, cost) = try searcher.search(q, k: 10, effort: .recall(target.target_recall))
                #expect(cost.method == "learned" && cost.target == target.target_recall)
                hits += Set(found.map(\.paperID)).intersection(Self.exact(q, base, k: 10)).count
                evaluations += cost.evaluations
            }
            let recall = Double(hits) / Double(queries.count * 10)
            #expect(recall >= target.target_recall - 0.02, "target \(target.target_recall): recall \(recall)")
        }
        #expect(try searcher.search(queries[0], k: 10, effort: .recall(0.95)).cost.target == 0.99)
        #expect(try searcher.search(queries[0], k: 10, effort: .ef(20)).cost.method == "ef")
        #expect(throws: StoreError("no tuned target reaches recall 0.999 (tuned: 0.9, 0.99); run refer tune --store S --target-recall 0.999")) {
            try searcher.validate(.recall(0.999))
        }

        // Grown by more than the rule allows: each target's plain beam.
        _ = try store.ingest(lines: later.enumerated().map { Self.line(4_000 + $0, $1) })
        let grown = try store.searcher()
        let cost = try grown.search(queries[0], k: 10, effort: .recall(nil)).cost
        #expect(cost.method == "plain" && cost.target == 0.9)
        #expect(try store.stats().tuned?.fits == false)
    }
}

extension SplitMix64 {
    /// Uniform in [-1, 1).
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
}
