import CMatmul

/// The arithmetic of the embedder's matrix products. `f32` is the exact reference (OpenBLAS
/// sgemm); `bf16` rounds weights and activations to bfloat16 and accumulates in Float32
/// (AVX-512 BF16); `int8` quantizes weights per output row and activations per token,
/// symmetrically, and accumulates in Int32 (AVX-512 VNNI). Both run on oneDNN's brgemm
/// kernels (docs/embedding.md); attention, LayerNorm, GELU and pooling stay in Float32.
public enum Precision: String, Sendable, CaseIterable, Codable {
    case f32, bf16, int8

    /// Whether this CPU runs the precision on its fast kernels (f32 always).
    public var isAvailable: Bool {
        switch self {
        case .f32: true
        case .bf16: cm_available(Int32(CM_BF16)) == 1
        case .int8: cm_available(Int32(CM_INT8)) == 1
        }
    }

    /// What the CPU needs for it.
    var requirement: String {
        switch self {
        case .f32: "nothing"
        case .bf16: "AVX-512 BF16"
        case .int8: "AVX-512 VNNI"
        }
    }
}
