import Foundation

/// Short, readable text for JSON decoding errors (field path and what was wrong).
public enum JSONErrorText {
    public static func describe(_ error: Error) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at '\(p)'"
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?: return "missing field '\(key.stringValue)'\(path(c))"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?: return "\(c.debugDescription)\(path(c))"
        case .dataCorrupted(let c)?: return "invalid JSON\(path(c))"
        default: return "\(error)"
        }
    }
}
