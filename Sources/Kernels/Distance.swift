/// Safe, array-level distance functions over the fastest kernels for this CPU.
/// The index uses the raw ``KernelTable`` pointers instead.
public enum Distance {
    /// Squared Euclidean distance.
    public static func squaredL2(_ a: [Float], _ b: [Float], kernels: KernelTable = .best) -> Float {
        precondition(a.count == b.count, "dimension mismatch: \(a.count) vs \(b.count)")
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in kernels.l2sqF32(pa.baseAddress, pb.baseAddress, a.count) }
        }
    }

    /// Inner product.
    public static func dot(_ a: [Float], _ b: [Float], kernels: KernelTable = .best) -> Float {
        precondition(a.count == b.count, "dimension mismatch: \(a.count) vs \(b.count)")
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in kernels.dotF32(pa.baseAddress, pb.baseAddress, a.count) }
        }
    }

    /// `1 - cos(a, b)`; 1 when either vector is zero.
    public static func cosineDistance(_ a: [Float], _ b: [Float], kernels: KernelTable = .best) -> Float {
        let na = dot(a, a, kernels: kernels), nb = dot(b, b, kernels: kernels)
        guard na > 0, nb > 0 else { return 1 }
        return 1 - dot(a, b, kernels: kernels) / (na.squareRoot() * nb.squareRoot())
    }

    /// The distance `metric` defines (smaller is closer).
    public static func distance(_ a: [Float], _ b: [Float], metric: Metric, kernels: KernelTable = .best) -> Float {
        switch metric {
        case .l2: squaredL2(a, b, kernels: kernels)
        case .ip: 1 - dot(a, b, kernels: kernels)
        case .cosine: cosineDistance(a, b, kernels: kernels)
        }
    }

    /// Scales `v` to unit length in place; leaves a zero vector alone. Returns the old norm.
    @discardableResult
    public static func normalize(_ v: UnsafeMutableBufferPointer<Float>, kernels: KernelTable = .best) -> Float {
        guard let base = v.baseAddress, !v.isEmpty else { return 0 }
        let norm = kernels.dotF32(base, base, v.count).squareRoot()
        if norm > 0 { let inv = 1 / norm; for i in v.indices { v[i] *= inv } }
        return norm
    }
}
