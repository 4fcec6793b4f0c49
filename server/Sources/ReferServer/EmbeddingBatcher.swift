import Dispatch
import Embedding
import Foundation

/// Embeds query texts for concurrent requests in batches: while one batch runs, new
/// texts wait and go together in the next, so under load each forward pass serves
/// many requests (throughput grows with load) and an idle server adds no delay.
/// The forward pass runs on its own thread, never on the async executor's.
actor EmbeddingBatcher {
    private let embedder: Embedder
    private let maxBatch: Int
    private var waiting: [(text: String, continuation: CheckedContinuation<[Float], Never>)] = []
    private var running = false
    private let queue = DispatchQueue(label: "refer.embedding")
    /// Called after every batch with its size and seconds (for metrics).
    private let observe: @Sendable (Int, Double) -> Void

    init(embedder: Embedder, maxBatch: Int = 64, observe: @escaping @Sendable (Int, Double) -> Void = { _, _ in }) {
        self.embedder = embedder; self.maxBatch = maxBatch; self.observe = observe
    }

    /// The unit vector of `text`.
    func embed(_ text: String) async -> [Float] {
        await withCheckedContinuation { continuation in
            waiting.append((text, continuation))
            if !running { running = true; Task { await drain() } }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maxBatch))
            waiting.removeFirst(batch.count)
            let texts = batch.map(\.text)
            let embedder = self.embedder, observe = self.observe
            let vectors: [Float] = await withCheckedContinuation { done in
                queue.async {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let v = embedder.embed(texts, threads: texts.count > 1 ? ProcessInfo.processInfo.activeProcessorCount : 1)
                    observe(texts.count, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    done.resume(returning: v)
                }
            }
            for (item, vector) in zip(batch, Embedder.rows(vectors, dimension: embedder.dimension)) { item.continuation.resume(returning: vector) }
        }
        running = false
    }
}
