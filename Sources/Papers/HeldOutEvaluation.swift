import Embedding
import Foundation
import Kernels
import Names
import Storage

/// Reviewer suggestion measured on a corpus without labels: papers are held out (the rest
/// is the store), and a held-out paper's own authors are the people who should be found
/// for it. A query counts when at least one of its authors has `minimumPapers` or more
/// remaining papers (counted under their exact name key, as the baseline groups people);
/// it is a hit when one of those authors is in the top `k`.
///
/// Each ranking is scored by ``ReviewerFinder`` on the store with the held-out papers
/// hidden (candidates from the nearest papers, as refer answers a query); the plain
/// baseline is computed exhaustively in the same run on the same vectors: every person
/// with at least `minimumPapers` remaining papers, ranked by the mean of their 3 best
/// similarities. The query is the held-out paper's stored vector (title and abstract).
public struct HeldOutEvaluation: Sendable {
    public struct Row: Codable, Sendable, Equatable {
        public var name: String
        public var queries: Int
        /// Fraction of queries with one of the paper's authors in the top k.
        public var author_hit_at_k: Double
        /// Mean reciprocal rank of the first of the paper's authors in the top k (0 when none).
        public var mrr_at_k: Double
        /// Median seconds per query after embedding (refer's rankings; nil for the exhaustive baseline).
        public var p50_s: Double?
    }

    public let searcher: StoreSearcher
    public let held: [PaperRecord]
    /// Per held-out paper: the index keys of its authors with enough remaining papers.
    let targets: [Set<String>]
    public let k: Int
    public let minimumPapers: Int

    /// Holds out `count` papers with authors, chosen by `seed`.
    public init(searcher: StoreSearcher, count: Int, seed: UInt64, k: Int = 10, minimumPapers: Int = 3) throws {
        self.searcher = searcher; self.k = k; self.minimumPapers = minimumPapers
        var all: [PaperRecord] = []
        try searcher.store.export { json in
            let r = try PaperRecord.parse(json)
            if !(r.authors ?? []).isEmpty { all.append(r) }
        }
        guard count >= 1, count < all.count else {
            throw ProfileError("--hold-out must be between 1 and \(all.count - 1) (papers with authors in the store), got \(count)")
        }
        var rng = SplitMix64(seed: seed)
        all.shuffle(using: &rng)
        let held = Array(all.prefix(count))
        let hidden = Set(held.map(\.id))
        // Remaining papers per name key, counted as the baseline groups people (exact key), so
        // every target is a person the baseline can rank.
        var remaining: [String: Int] = [:]
        for p in all[count...] {
            for key in Set((p.authors ?? []).map(PersonName.init).filter { !$0.isEmpty }.map(\.indexKey)) { remaining[key, default: 0] += 1 }
        }
        let targets = held.map { p in
            Set((p.authors ?? []).map(PersonName.init).filter { !$0.isEmpty }.map(\.indexKey).filter { remaining[$0, default: 0] >= minimumPapers })
        }
        let kept = targets.indices.filter { !targets[$0].isEmpty }
        self.held = kept.map { held[$0] }
        self.targets = kept.map { targets[$0] }
        hiddenIDs = hidden
    }

    /// Every held-out paper's id, hidden from the store during the evaluation.
    public let hiddenIDs: Set<String>

    /// `ranking` as refer answers a query: a ``ReviewerFinder`` without committee.
    public func evaluate(_ name: String, finder base: ReviewerFinder) throws -> Row {
        var finder = base
        finder.hiddenPapers = hiddenIDs
        var hits = 0, rr = 0.0, times: [Double] = []
        for (p, wanted) in zip(held, targets) {
            guard let v = try searcher.vector(ofPaper: p.id) else { continue }
            var timing = ReviewerTiming()
            let answer = try finder.reviewers(for: v, authors: [], k: k, timing: &timing)
            times.append(timing.total)
            if let rank = answer.reviewers.firstIndex(where: { wanted.contains(PersonName($0.name).indexKey) }) {
                hits += 1; rr += 1 / Double(rank + 1)
            }
        }
        times.sort()
        return Row(name: name, queries: held.count, author_hit_at_k: Double(hits) / Double(held.count),
                   mrr_at_k: rr / Double(held.count), p50_s: times.isEmpty ? nil : times[times.count / 2])
    }

    /// The plain baseline, exhaustive: people (by index key) with at least `minimumPapers`
    /// remaining papers, ranked by the mean of their 3 best similarities.
    public func baseline() throws -> Row {
        // Remaining papers: their vectors and the people on each.
        var vectors: [[Float]] = [], people: [[Int]] = [], keyIndex: [String: Int] = [:], counts: [Int] = []
        try searcher.store.export { json in
            let r = try PaperRecord.parse(json)
            guard !hiddenIDs.contains(r.id), let v = try searcher.vector(ofPaper: r.id) else { return }
            var ids: [Int] = []
            for key in Set((r.authors ?? []).map(PersonName.init).filter { !$0.isEmpty }.map(\.indexKey)) {
                let i = keyIndex[key] ?? { keyIndex[key] = counts.count; counts.append(0); return counts.count - 1 }()
                counts[i] += 1; ids.append(i)
            }
            vectors.append(v); people.append(ids)
        }
        let keys = keyIndex.sorted { $0.value < $1.value }.map(\.key)
        var hits = 0, rr = 0.0
        for (p, wanted) in zip(held, targets) {
            guard let q = try searcher.vector(ofPaper: p.id) else { continue }
            var top = [SIMD3<Float>](repeating: SIMD3(repeating: -.infinity), count: counts.count)
            for (v, ids) in zip(vectors, people) {
                let s = Distance.dot(q, v)
                for i in ids where s > top[i].z {
                    if s > top[i].x { top[i] = SIMD3(s, top[i].x, top[i].y) }
                    else if s > top[i].y { top[i] = SIMD3(top[i].x, s, top[i].y) }
                    else { top[i].z = s }
                }
            }
            let ranked = counts.indices.filter { counts[$0] >= minimumPapers }
                .map { (i: $0, score: (top[$0].x + top[$0].y + top[$0].z) / 3) }
                .sorted { ($0.score, keys[$1.i]) > ($1.score, keys[$0.i]) }.prefix(k)
            if let rank = ranked.firstIndex(where: { wanted.contains(keys[$0.i]) }) {
                hits += 1; rr += 1 / Double(rank - ranked.startIndex + 1)
            }
        }
        return Row(name: "baseline (\(minimumPapers)+ papers, top-3 mean, exhaustive)", queries: held.count,
                   author_hit_at_k: Double(hits) / Double(held.count), mrr_at_k: rr / Double(held.count), p50_s: nil)
    }
}
