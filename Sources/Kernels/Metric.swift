/// How two vectors are compared. Every metric is turned into a distance where
/// smaller is closer, so one search loop serves all three:
/// - `l2`: squared Euclidean distance;
/// - `ip`: `1 - a·b` (inner product; meaningful as a similarity for any vectors);
/// - `cosine`: `1 - cos(a, b)`; vectors are normalised on the way in, then it is `ip`.
public enum Metric: String, Sendable, Codable, CaseIterable {
    case l2, ip, cosine

    /// True when distances are computed from a dot product.
    public var usesDot: Bool { self != .l2 }

    /// Stable small integer for file formats.
    public var code: UInt8 {
        switch self { case .l2: 0; case .ip: 1; case .cosine: 2 }
    }

    public init?(code: UInt8) {
        switch code { case 0: self = .l2; case 1: self = .ip; case 2: self = .cosine; default: return nil }
    }
}

/// How stored vectors are encoded. Queries are always Float32.
public enum VectorEncoding: String, Sendable, Codable, CaseIterable {
    case float32, float16, int8

    /// Bytes one component takes.
    public var bytesPerComponent: Int {
        switch self { case .float32: 4; case .float16: 2; case .int8: 1 }
    }

    public var code: UInt8 {
        switch self { case .float32: 0; case .float16: 1; case .int8: 2 }
    }

    public init?(code: UInt8) {
        switch code { case 0: self = .float32; case 1: self = .float16; case 2: self = .int8; default: return nil }
    }
}
