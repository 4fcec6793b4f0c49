public import CKernels
import Foundation

/// The instruction sets refer has distance kernels for.
public enum InstructionSet: String, Sendable, CaseIterable {
    case scalar, avx2, avx512, neon

    var code: Int32 {
        switch self {
        case .scalar: Int32(CK_SCALAR)
        case .avx2: Int32(CK_AVX2)
        case .avx512: Int32(CK_AVX512)
        case .neon: Int32(CK_NEON)
        }
    }
}

/// One set of distance kernels, all built for one instruction set.
///
/// The members are C function pointers so the index's hot loop calls them with no
/// Swift overhead. Use ``KernelTable/best`` unless a test wants a specific ISA:
///
///     let d = KernelTable.best.l2sqF32(a, b, 384)
public struct KernelTable: @unchecked Sendable {
    public let isa: InstructionSet
    public let l2sqF32: ck_f32_fn
    public let dotF32: ck_f32_fn
    public let l2sqF16: ck_f16_fn
    public let dotF16: ck_f16_fn
    public let l2sqSQ8: ck_sq8_fn
    public let dotSQ8: ck_sq8_fn
    /// The same over 4-bit codes (two a byte, see ``ScalarQuantizer``).
    public let l2sqSQ4: ck_sq8_fn
    public let dotSQ4: ck_sq8_fn
    /// Exact integer `Σ q·c` of a signed 8-bit query and unsigned 8-bit codes: AVX-512
    /// VNNI where the CPU has it, else AVX2; on arm64 sdot, else widening multiply-adds;
    /// nil for scalar (codes scored in floats).
    public let dotU8S8: ck_u8s8_fn?
    /// The largest |q| ``dotU8S8`` is exact for (127 with VNNI and NEON, 64 on AVX2): queries are quantized within it.
    public let byteQueryLimit: Int

    /// The kernels for `isa`, or nil when this CPU (or this build) lacks it.
    public init?(_ isa: InstructionSet) {
        guard let t = ck_table_for(isa.code)?.pointee else { return nil }
        self.isa = isa
        l2sqF32 = t.l2sq_f32; dotF32 = t.dot_f32
        l2sqF16 = t.l2sq_f16; dotF16 = t.dot_f16
        l2sqSQ8 = t.l2sq_sq8; dotSQ8 = t.dot_sq8
        l2sqSQ4 = t.l2sq_sq4; dotSQ4 = t.dot_sq4
        dotU8S8 = ck_dot_u8s8_for(isa.code)
        byteQueryLimit = dotU8S8.map { Int(ck_u8s8_query_limit($0)) } ?? 127
    }

    /// Every table this CPU can run, scalar first.
    public static var available: [KernelTable] {
        InstructionSet.allCases.compactMap { KernelTable($0) }
    }

    /// The fastest table for this CPU. `REFER_ISA=scalar|avx2|avx512|neon` forces one
    /// (ignored when the CPU lacks it), for A/B measurements.
    public static let best: KernelTable = {
        if let forced = ProcessInfo.processInfo.environment["REFER_ISA"],
           let isa = InstructionSet(rawValue: forced), let table = KernelTable(isa) {
            return table
        }
        let code = ck_best_isa()
        let isa = InstructionSet.allCases.first { $0.code == code } ?? .scalar
        return KernelTable(isa) ?? KernelTable(.scalar)!
    }()
}

/// Prefetch the cache line at `pointer` into L1 (a hint; never faults).
/// Inlinable so callers in other modules get the single instruction, not a call.
@inlinable @inline(__always)
public func prefetch(_ pointer: UnsafeRawPointer) {
    ck_prefetch(pointer)
}

/// Prefetch the cache line at `pointer` into L2 only: for data needed a little later,
/// so it does not push what is needed now out of L1.
@inlinable @inline(__always)
public func prefetchL2(_ pointer: UnsafeRawPointer) {
    ck_prefetch_l2(pointer)
}
