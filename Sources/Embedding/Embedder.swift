import COpenBLAS
import Dispatch
import Foundation

/// Turns texts into 384-d unit vectors with all-MiniLM-L6-v2, using every core.
///
///     let embedder = try Embedder()                     // finds the model (see ``locateModel(_:)``)
///     let vectors = embedder.embed(["a title", "another"])   // 2 x 384 floats, row by row
public final class Embedder: @unchecked Sendable {
    public let model: MiniLM
    public let modelDirectory: String
    public var dimension: Int { MiniLM.dimension }
    /// Padded tokens per batch. Small enough that a batch's activations stay in a core's L2
    /// cache between one step and the next (256 rows of the 1536-wide FFN are 1.5 MB in
    /// Float32), large enough for the matrix products to run at full rate: on 20,000 short
    /// texts int8 gained about 15-20% when this went from 4,096 to 256 and Float32 did not
    /// move (docs/embedding.md). A longer text is a batch of its own.
    public var batchTokens = 256
    public var maxBatchSequences = 128

    public var precision: Precision { model.precision }

    /// The model in `modelDirectory` (see ``locateModel(_:)``), run in `precision`.
    public init(modelDirectory: String? = nil, precision: Precision = .f32) throws {
        self.modelDirectory = try Self.locateModel(modelDirectory)
        model = try MiniLM(directory: self.modelDirectory, precision: precision)
    }

    /// Where the model is: `explicit` (a flag) if given, else `$REFER_MODEL_DIR`, else
    /// `~/.cache/refer/models/all-MiniLM-L6-v2` (where scripts/setup.sh puts it).
    public static func locateModel(_ explicit: String?) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let candidates: [String]
        if let explicit { candidates = [explicit] }
        else if let fromEnv = env["REFER_MODEL_DIR"], !fromEnv.isEmpty { candidates = [fromEnv] }
        else { candidates = [(env["HOME"] ?? NSHomeDirectory()) + "/.cache/refer/models/all-MiniLM-L6-v2"] }
        for dir in candidates where FileManager.default.fileExists(atPath: dir + "/model.safetensors")
            && FileManager.default.fileExists(atPath: dir + "/vocab.txt") {
            return dir
        }
        throw EmbeddingError.modelNotFound(searched: candidates)
    }

    /// Token ids of one text, as the model sees them.
    public func tokenize(_ text: String) -> [Int32] { model.tokenizer.tokenize(text) }

    /// Embeddings of `texts`, `texts.count x 384` floats row by row, in input order.
    /// Texts are grouped by token count so batches carry little padding, and batches
    /// are spread over up to `threads` workers; threads left over when there are fewer
    /// batches than threads (one query) go into each worker's matrix products.
    public func embed(_ texts: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                      progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) -> [Float] {
        let n = texts.count
        guard n > 0 else { return [] }
        let workers = max(1, min(threads, n))
        // Tokenize in parallel.
        var tokens = [[Int32]](repeating: [], count: n)
        tokens.withUnsafeMutableBufferPointer { out in
            let address = Int(bitPattern: out.baseAddress)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let out = UnsafeMutablePointer<[Int32]>(bitPattern: address)!
                for i in stride(from: w, to: n, by: workers) { out[i] = model.tokenizer.tokenize(texts[i]) }
            }
        }
        let sequences = tokens   // immutable from here on, shared by the workers
        let batches = makeBatches(sequences, workers: workers)
        var output = [Float](repeating: 0, count: n * dimension)
        let inner = max(1, threads / min(workers, batches.count))
        let previousThreads = openblas_get_num_threads()
        // In bf16 and int8, OpenBLAS does only attention's small products: it stays on one
        // thread so its spinning workers do not fight oneDNN's OpenMP team for the cores.
        openblas_set_num_threads(Int32(precision == .f32 ? inner : 1))
        defer { openblas_set_num_threads(previousThreads) }
        let next = NextIndex()
        output.withUnsafeMutableBufferPointer { out in
            let address = Int(bitPattern: out.baseAddress)
            DispatchQueue.concurrentPerform(iterations: min(workers, batches.count)) { _ in
                let out = UnsafeMutablePointer<Float>(bitPattern: address)!
                let rows = UnsafeMutablePointer<Float>.allocate(capacity: maxBatchSequences * dimension)
                defer { rows.deallocate() }
                while let b = next.take(below: batches.count) {
                    let members = batches[b]
                    model.forward(members.map { sequences[$0] }, into: rows, threads: inner)
                    for (j, i) in members.enumerated() { (out + i * dimension).update(from: rows + j * dimension, count: dimension) }
                    let done = next.finished(members.count)
                    progress?(done, n)
                }
            }
        }
        return output
    }

    /// The embedding of one text, on one thread.
    public func embed(_ text: String) -> [Float] { embed([text], threads: 1) }

    /// ``embed(_:threads:progress:)``'s output cut into one vector per text.
    public func embedRows(_ texts: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                          progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) -> [[Float]] {
        Self.rows(embed(texts, threads: threads, progress: progress), dimension: dimension)
    }

    /// Row-major `rows x dimension` floats as one array per row.
    public static func rows(_ flat: [Float], dimension: Int) -> [[Float]] {
        stride(from: 0, to: flat.count, by: dimension).map { Array(flat[$0..<($0 + dimension)]) }
    }

    /// Text indices grouped into batches of similar length; a few texts are cut into at
    /// least one batch per worker, so a small batch (a server's concurrent queries)
    /// still uses every core.
    func makeBatches(_ tokens: [[Int32]], workers: Int = 1) -> [[Int]] {
        let maxBatchSequences = min(self.maxBatchSequences, max(1, (tokens.count + workers - 1) / workers))
        let order = tokens.indices.sorted { tokens[$0].count < tokens[$1].count }
        var batches: [[Int]] = []
        var current: [Int] = []
        for i in order {
            let longest = tokens[i].count   // sorted, so the newest is the longest
            if !current.isEmpty && ((current.count + 1) * longest > batchTokens || current.count == maxBatchSequences) {
                batches.append(current); current = []
            }
            current.append(i)
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}

/// A shared work counter for the embedding workers.
final class NextIndex: @unchecked Sendable {
    private var next = 0, done = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
    func finished(_ count: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        done += count
        return done
    }
}
