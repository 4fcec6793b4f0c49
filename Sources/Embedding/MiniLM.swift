import CKernels
import CMatmul
import COpenBLAS
import Foundation

/// all-MiniLM-L6-v2 (a 6-layer BERT: hidden 384, 12 heads, FFN 1536) run natively:
/// every weight product is one matrix product over a whole batch (`cblas_sgemm` in
/// Float32, oneDNN in bf16 or int8: ``Precision``), the rest are small C loops. Output:
/// mean of the last layer over real tokens, scaled to unit length, exactly as
/// sentence-transformers computes it.
public final class MiniLM: @unchecked Sendable {
    public static let dimension = 384
    static let layerCount = 6, heads = 12, headSize = 32, ffnSize = 1536, maxPositions = 512
    static let eps: Float = 1e-12
    /// Sequences up to this many tokens take the fused attention loop (`ck_attention`);
    /// longer ones a matrix product per head, where sgemm's blocking pays.
    static let fusedAttentionLength = 64

    public let tokenizer: WordPieceTokenizer
    public let precision: Precision
    let weights: SafeTensors
    let wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNormGamma, embeddingNormBeta: UnsafeBufferPointer<Float>
    let layers: [Layer]

    struct Layer {
        /// Query, key and value weights stacked into one 1152 x 384 matrix, so the three
        /// projections are one sgemm.
        let qkvWeight: [Float], qkvBias: [Float]
        let outWeight, outBias, norm1Gamma, norm1Beta: UnsafeBufferPointer<Float>
        let ffnInWeight, ffnInBias, ffnOutWeight, ffnOutBias, norm2Gamma, norm2Beta: UnsafeBufferPointer<Float>
        /// The four weight matrices packed for a low precision (qkv, out, ffn in, ffn out), or nil in f32.
        var packed: [OpaquePointer]? = nil
    }

    /// Loads `model.safetensors` and `vocab.txt` from `directory`, its weights packed for `precision`.
    public init(directory: String, precision: Precision = .f32) throws {
        let d = Self.dimension
        guard precision.isAvailable else { throw EmbeddingError.precisionUnavailable(precision) }
        self.precision = precision
        tokenizer = try WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt")
        weights = try SafeTensors(path: directory + "/model.safetensors")
        let vocabularySize = tokenizer.vocabulary.count
        wordEmbeddings = try weights.float32("embeddings.word_embeddings.weight", shape: [vocabularySize, d])
        positionEmbeddings = try weights.float32("embeddings.position_embeddings.weight", shape: [Self.maxPositions, d])
        tokenTypeEmbeddings = try weights.float32("embeddings.token_type_embeddings.weight", shape: [2, d])
        embeddingNormGamma = try weights.float32("embeddings.LayerNorm.weight", shape: [d])
        embeddingNormBeta = try weights.float32("embeddings.LayerNorm.bias", shape: [d])
        var layers: [Layer] = []
        for l in 0..<Self.layerCount {
            let p = "encoder.layer.\(l)."
            let w = weights
            func t(_ name: String, _ shape: [Int]) throws -> UnsafeBufferPointer<Float> { try w.float32(p + name, shape: shape) }
            var qkvWeight: [Float] = [], qkvBias: [Float] = []
            for part in ["query", "key", "value"] {
                qkvWeight += try t("attention.self.\(part).weight", [d, d])
                qkvBias += try t("attention.self.\(part).bias", [d])
            }
            layers.append(Layer(
                qkvWeight: qkvWeight, qkvBias: qkvBias,
                outWeight: try t("attention.output.dense.weight", [d, d]), outBias: try t("attention.output.dense.bias", [d]),
                norm1Gamma: try t("attention.output.LayerNorm.weight", [d]), norm1Beta: try t("attention.output.LayerNorm.bias", [d]),
                ffnInWeight: try t("intermediate.dense.weight", [Self.ffnSize, d]), ffnInBias: try t("intermediate.dense.bias", [Self.ffnSize]),
                ffnOutWeight: try t("output.dense.weight", [d, Self.ffnSize]), ffnOutBias: try t("output.dense.bias", [d]),
                norm2Gamma: try t("output.LayerNorm.weight", [d]), norm2Beta: try t("output.LayerNorm.bias", [d])))
        }
        if precision != .f32 {
            let kind = Int32(precision == .bf16 ? CM_BF16 : CM_INT8)
            func pack(_ w: UnsafeBufferPointer<Float>, _ n: Int, _ k: Int) throws -> OpaquePointer {
                guard let p = cm_pack(kind, w.baseAddress, Int32(n), Int32(k)) else { throw EmbeddingError.packingFailed(precision) }
                return p
            }
            for l in layers.indices {
                let qkv = try layers[l].qkvWeight.withUnsafeBufferPointer { try pack($0, 3 * d, d) }
                layers[l].packed = [qkv, try pack(layers[l].outWeight, d, d), try pack(layers[l].ffnInWeight, Self.ffnSize, d),
                                    try pack(layers[l].ffnOutWeight, d, Self.ffnSize)]
            }
        }
        self.layers = layers
    }

    deinit { for layer in layers { for p in layer.packed ?? [] { cm_free(p) } } }

    /// Embeddings of already tokenized sequences (each `[CLS] ... [SEP]`, at most 512
    /// ids), one forward pass over the batch padded to its longest sequence. Writes
    /// `sequences.count x 384` floats to `output`. The low-precision products use `threads`
    /// threads (the caller sets OpenBLAS's for Float32).
    func forward(_ sequences: [[Int32]], into output: UnsafeMutablePointer<Float>, threads: Int = 1) {
        let d = Self.dimension, b = sequences.count
        let length = sequences.map(\.count).max() ?? 0
        let rows = b * length
        guard rows > 0 else { return }
        var x = [Float](repeating: 0, count: rows * d)
        var qkv = [Float](repeating: 0, count: rows * 3 * d)
        var context = [Float](repeating: 0, count: rows * d)
        var inner = [Float](repeating: 0, count: rows * Self.ffnSize)
        // In bf16 and int8 a single batch's spare threads split attention's heads between them
        // (in Float32, OpenBLAS's own threads share each of attention's products instead).
        let headParts = precision == .f32 ? 1 : max(1, min(threads, Self.heads))
        let scratchPerPart = (length + 15) / 16 * 16 * max(length, Self.headSize + 4)
        var scores = [Float](repeating: 0, count: headParts * scratchPerPart)

        // Embeddings: word + position + token type 0, then LayerNorm.
        for (s, ids) in sequences.enumerated() {
            for (i, id) in ids.enumerated() {
                let row = (s * length + i) * d
                let word = Int(id) * d, position = i * d
                for c in 0..<d { x[row + c] = wordEmbeddings[word + c] + positionEmbeddings[position + c] + tokenTypeEmbeddings[c] }
            }
        }
        ck_layer_norm(&x, rows, d, embeddingNormGamma.baseAddress, embeddingNormBeta.baseAddress, Self.eps)

        let scale = 1 / Float(Self.headSize).squareRoot()
        for layer in layers {
            // Q, K, V for every row at once.
            layer.qkvBias.withUnsafeBufferPointer { bias in
                linear(x, layer.qkvWeight, layer.packed?[0], bias: bias, &qkv, m: rows, n: 3 * d, k: d, threads: threads)
            }
            // Attention, per sequence and head, over its real tokens only.
            context.withUnsafeMutableBufferPointer { ctx in
                ctx.update(repeating: 0)
                qkv.withUnsafeBufferPointer { qkvp in
                    scores.withUnsafeMutableBufferPointer { sp in
                        let (qkvBase, contextBase, scratch) = (qkvp.baseAddress!, ctx.baseAddress!, sp.baseAddress!)
                        for s in sequences.indices {
                            let (q, out, n) = (qkvBase + s * length * 3 * d, contextBase + s * length * d, sequences[s].count)
                            if headParts == 1 {
                                attend(q, n, heads: 0..<Self.heads, scale: scale, into: out, scratch: scratch)
                            } else {
                                // One query's spare threads (those of oneDNN's team) split its heads.
                                parallel(headParts) { part in
                                    self.attend(q, n, heads: (part * Self.heads / headParts)..<((part + 1) * Self.heads / headParts),
                                                scale: scale, into: out, scratch: scratch + part * scratchPerPart)
                                }
                            }
                        }
                    }
                }
            }
            // Output projection + residual, LayerNorm, in place: x is the residual.
            linear(context, layer.outWeight, layer.packed?[1], bias: layer.outBias, &x, m: rows, n: d, k: d, residual: true, threads: threads)
            ck_layer_norm(&x, rows, d, layer.norm1Gamma.baseAddress, layer.norm1Beta.baseAddress, Self.eps)
            // Feed-forward + residual, LayerNorm, in place.
            linear(x, layer.ffnInWeight, layer.packed?[2], bias: layer.ffnInBias, &inner, m: rows, n: Self.ffnSize, k: d, threads: threads)
            ck_gelu(&inner, inner.count)
            linear(inner, layer.ffnOutWeight, layer.packed?[3], bias: layer.ffnOutBias, &x, m: rows, n: d, k: Self.ffnSize, residual: true, threads: threads)
            ck_layer_norm(&x, rows, d, layer.norm2Gamma.baseAddress, layer.norm2Beta.baseAddress, Self.eps)
        }

        // Mean over real tokens, then unit length.
        for (s, ids) in sequences.enumerated() {
            let out = output + s * d
            out.initialize(repeating: 0, count: d)
            for i in 0..<ids.count {
                let row = (s * length + i) * d
                for c in 0..<d { out[c] += x[row + c] }
            }
            var norm: Float = 0
            for c in 0..<d { out[c] /= Float(ids.count); norm += out[c] * out[c] }
            let inv = norm > 0 ? 1 / norm.squareRoot() : 0
            for c in 0..<d { out[c] *= inv }
        }
    }

    /// Attention of one sequence of `n` tokens for `heads`: `qkv` is its first row of
    /// queries, keys and values (3 x 384 wide), `context` its first output row (384 wide).
    /// Short sequences take the fused loop; longer ones two sgemms per head, where sgemm's
    /// blocking pays. `scratch` holds (n rounded up to 16) x max(n, 36) floats.
    private func attend(_ qkv: UnsafePointer<Float>, _ n: Int, heads: Range<Int>, scale: Float,
                        into context: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let d = Self.dimension, size = Self.headSize
        if n <= Self.fusedAttentionLength {
            ck_attention(qkv + heads.lowerBound * size, n, 3 * d, heads.count, size, d, scale,
                         context + heads.lowerBound * size, d, scratch)
            return
        }
        // Score rows padded to whole 16-lane blocks, so the softmax has no scalar tail.
        let padded = (n + 15) / 16 * 16
        for h in heads {
            let q = qkv + h * size
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(size),
                        scale, q, Int32(3 * d), q + d, Int32(3 * d), 0, scratch, Int32(padded))
            ck_softmax_rows(scratch, n, n, padded)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(size), Int32(n),
                        1, scratch, Int32(padded), q + 2 * d, Int32(3 * d), 0, context + h * size, Int32(d))
        }
    }

    /// `body(part)` for part 0..<parts on the threads of oneDNN's OpenMP team (`cm_parallel`).
    private func parallel(_ parts: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let call = PartCall(body)
            withExtendedLifetime(call) {
                cm_parallel(Int32(parts), { context, part, _ in
                    Unmanaged<PartCall>.fromOpaque(context!).takeUnretainedValue().body(Int(part))
                }, Unmanaged.passUnretained(call).toOpaque())
            }
        }
    }

    /// `c = a · wᵀ + bias`, or `c += a · wᵀ + bias` with `residual`, where `a` is m x k and
    /// `w` is n x k (PyTorch's [out, in] layout): by oneDNN on `packed` (the same matrix in
    /// bf16 or int8, the bias added in the same pass as the scales), or in Float32 by sgemm.
    private func linear<W: Collection>(_ a: [Float], _ w: W, _ packed: OpaquePointer?, bias: UnsafeBufferPointer<Float>, _ c: inout [Float],
                                       m: Int, n: Int, k: Int, residual: Bool = false, threads: Int) where W.Element == Float {
        // oneDNN makes the product or leaves c untouched (out of memory, say); then the
        // Float32 product stands in rather than failing the whole batch.
        if let packed, cm_matmul(packed, a, Int32(m), bias.baseAddress, &c, residual ? 1 : 0, Int32(threads)) == 0 { return }
        c.withUnsafeMutableBufferPointer { cp in
            for r in 0..<m {
                let row = cp.baseAddress! + r * n
                if residual { for j in 0..<n { row[j] += bias[j] } } else { row.update(from: bias.baseAddress!, count: n) }
            }
        }
        w.withContiguousStorageIfAvailable { wp in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                        1, a, Int32(k), wp.baseAddress, Int32(k), 1, &c, Int32(n))
        }
    }
}

/// The closure `MiniLM.parallel` hands to C as a context pointer.
private final class PartCall {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}
