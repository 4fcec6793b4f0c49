import CMatmul

/// The arithmetic of the embedder's matrix products. `f32` is the exact reference (OpenBLAS
/// sgemm); `bf16` rounds weights and activations to bfloat16 and accumulates in Float32;
/// `int8` quantizes weights per output row (symmetric) and activations per token (uint8
/// with a zero point) and accumulates in Int32. Attention, LayerNorm, GELU and pooling stay
/// in Float32. Each is one arithmetic on every x86-64 CPU with AVX2 and FMA, so a store
/// embedded on one machine answers on another: oneDNN's brgemm kernels where the CPU has
/// AVX-512 BF16 or VNNI, elsewhere bf16's products in Float32 and int8's exactly in 16-bit
/// pairs (docs/embedding.md, `Sources/CMatmul`).
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

    /// The kernel that made the last low-precision product in this process
    /// ("brg:avx512_core_vnni", "refer:avx2_s16", ...), or "none".
    public static var lastKernel: String { String(cString: cm_last_impl()) }

    /// What the CPU needs for it.
    var requirement: String {
        switch self {
        case .f32: "nothing"
        case .bf16, .int8: "an x86-64 CPU with AVX2 and FMA (and REFER_ISA not scalar)"
        }
    }
}
