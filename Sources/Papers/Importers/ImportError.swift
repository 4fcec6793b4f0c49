import Foundation

/// Why one record of an imported file was skipped ("no 'title'", "not JSON: …"); the
/// importer reports it as FILE:LINE: reason and goes on.
public struct ImportError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }

    /// Decodes one JSON line, the error naming the field that is wrong.
    static func decode<T: Decodable>(_ line: String) throws(ImportError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(line.utf8)) }
        catch { throw ImportError("not a record of this format (\(JSONErrorText.describe(error)))") }
    }

    /// Extra fields as the JSON object a ``PaperRecord`` keeps (nil when there are none);
    /// ``PaperRecord/canonicalJSON()`` sorts the keys when it writes the record.
    static func json(_ object: [String: Any]) -> String? {
        guard !object.isEmpty, let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs of white space (newlines included) as one space, ends trimmed: titles and
/// abstracts as exports wrap them.
enum Whitespace {
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
