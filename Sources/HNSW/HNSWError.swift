/// Why an index operation was refused. Every case names the offending value.
public enum HNSWError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case dimensionMismatch(expected: Int, got: Int)
    case nonFinite(vector: Int, dimension: Int)
    case invalidK(k: Int, count: Int)
    case unknownID(UInt32)
    case corruptFile(path: String, reason: String)
    case io(path: String, reason: String)
    case readOnly

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid index configuration: \(why)"
        case .dimensionMismatch(let e, let g): "dimension mismatch: the index holds \(e)-dimensional vectors, got \(g)"
        case .nonFinite(let v, let d): "vector \(v) has a NaN or infinite value at dimension \(d)"
        case .invalidK(let k, let n): k < 1 ? "k must be at least 1, got \(k)" : "k = \(k) is larger than the index (\(n) vectors)"
        case .unknownID(let id): "no live vector with id \(id)"
        case .corruptFile(let p, let why): "\(p): not a valid refer index: \(why)"
        case .io(let p, let why): "\(p): \(why)"
        case .readOnly: "this index is a read-only view of a store; write through the store"
        }
    }
}
