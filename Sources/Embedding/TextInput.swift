import Foundation

/// Texts to embed, read from a file (or standard input) one per line, or from one
/// string field of a JSONL file. Every line yields exactly one text, so output row i
/// is always input line i + 1:
/// - an empty or whitespace-only line is embedded as the empty text (`[CLS] [SEP]`);
/// - invalid UTF-8 is decoded with U+FFFD replacement (which the tokenizer drops) and
///   reported in `warnings` with its line number;
/// - a gzip file is inflated first (`.gz` corpora are read as they come);
/// - a JSONL line that is not an object with the field as a string is an error
///   naming the line.
public struct TextInput {
    public var texts: [String] = []
    public var warnings: [String] = []

    /// `path` "-" reads standard input. `field`: read JSONL and take this field.
    public init(path: String, field: String? = nil) throws {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: path) else {
                throw EmbeddingError.unreadableInput(path: path)
            }
            data = Gunzip.isGzip(d) ? try Gunzip.inflate(d, file: path) : d
        }
        try self.init(data: data, field: field)
    }

    public init(data: Data, field: String? = nil) throws {
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            lineNumber += 1
            var bytes = data[start..<end]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            let line: String
            if let valid = String(validating: bytes, as: UTF8.self) {
                line = valid
            } else {
                line = String(decoding: bytes, as: UTF8.self)
                warnings.append("line \(lineNumber): invalid UTF-8, undecodable bytes dropped")
            }
            if let field {
                texts.append(try Self.field(field, of: line, lineNumber: lineNumber))
            } else {
                texts.append(line)
            }
            start = end < data.endIndex ? data.index(after: end) : end
        }
    }

    static func field(_ name: String, of line: String, lineNumber: Int) throws -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw EmbeddingError.badInput(line: lineNumber, reason: "not a JSON object")
        }
        guard let value = object[name] else { throw EmbeddingError.badInput(line: lineNumber, reason: "no field '\(name)'") }
        guard let text = value as? String else { throw EmbeddingError.badInput(line: lineNumber, reason: "field '\(name)' is not a string") }
        return text
    }
}
