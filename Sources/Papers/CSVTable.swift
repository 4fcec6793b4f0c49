import Foundation

/// A CSV file read by its header (RFC 4180: quoted fields may hold commas, quotes and
/// line breaks; a UTF-8 byte-order mark and CRLF line ends are accepted). Every row
/// remembers the line it starts on, so an error names FILE:LINE and the field.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        /// The line of the file the row starts on (the header is line 1).
        public let line: Int
        let fields: [String]
        let columns: [String: Int]

        /// The value under `column`, trimmed; nil when the row is too short or it is empty.
        public subscript(column: String) -> String? {
            guard let i = columns[column], i < fields.count else { return nil }
            let v = fields[i].trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : v
        }
    }

    public let path: String
    public let header: [String]
    public let rows: [Row]

    /// Reads `path`, requiring the `required` columns (in any order; others are kept).
    public init(path: String, required: [String]) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProfileError("\(path): cannot read") }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path, required: required)
    }

    public init(text: String, path: String, required: [String]) throws {
        self.path = path
        var records = try Self.records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, path: path)
        guard !records.isEmpty else { throw ProfileError("\(path): empty; the first line must be the header \(required.joined(separator: ","))") }
        let head = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in required where !head.contains(column) {
            throw ProfileError("\(path):1: no column '\(column)'; the header must name \(required.joined(separator: ","))")
        }
        var columns: [String: Int] = [:]
        for (i, c) in head.enumerated() where columns[c] == nil { columns[c] = i }
        header = head
        rows = records.filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
            .map { Row(line: $0.line, fields: $0.fields, columns: columns) }
    }

    /// The file's records with their first line numbers.
    static func records(_ text: String, path: String) throws -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = [], fields: [String] = [], field = "", quoted = false
        var line = 1, start = 1, atFieldStart = true
        var it = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { field.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart: quoted = true; atFieldStart = false
            case ",": fields.append(field); field = ""; atFieldStart = true
            case "\n", "\r\n", "\r":
                fields.append(field); out.append((start, fields))
                fields = []; field = ""; atFieldStart = true; line += 1; start = line
            default: field.append(c); atFieldStart = false
            }
        }
        if quoted { throw ProfileError("\(path):\(start): a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); out.append((start, fields)) }
        return out
    }
}
