import Dispatch
import Foundation
import HNSW

extension StoreSearcher {
    /// Searches `count` queries (query i is `vector(i)`), spread over `threads` threads, each
    /// as ``search(_:k:effort:filter:)`` would, the filter's bitset built once: results in query order.
    public func searchBatch(count: Int, vector: @Sendable (Int) -> [Float], k: Int, effort: SearchEffort, filter: PaperFilter,
                            threads: Int) throws -> [(hits: [Hit], cost: StoreSearchCost)] {
        try validate(effort)
        let allowed = try self.allowed(filter)
        if let allowed, allowed.count == 0 { return Array(repeating: ([], StoreSearchCost()), count: count) }
        let kk = min(k, allowed?.count ?? index.count)
        let results = Results(count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { w in
            for i in stride(from: w, to: count, by: max(1, min(threads, count))) {
                results.set(i, Result { try self.search(vector(i), k: kk, effort: effort, filter: allowed) })
            }
        }
        return try results.values.map { try $0!.get() }
    }

    /// One slot per query, written by whichever worker searched it.
    private final class Results: @unchecked Sendable {
        var values: [Result<(hits: [Hit], cost: StoreSearchCost), any Error>?]
        private let lock = NSLock()
        init(_ n: Int) { values = Array(repeating: nil, count: n) }
        func set(_ i: Int, _ r: Result<(hits: [Hit], cost: StoreSearchCost), any Error>) { lock.lock(); values[i] = r; lock.unlock() }
    }
}
