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

        /// The value under `column`, or an error naming FILE:LINE and the field (as `shown`).
        public func required(_ column: String, in path: String, shown: String? = nil) throws -> String {
            guard let v = self[column] else { throw ProfileError("\(path):\(line): field '\(shown ?? column)' is empty") }
            return v
        }
    }

    public let path: String
    public let header: [String]
    public let rows: [Row]

    /// Reads `path`, requiring the `required` columns (in any order; others are kept).
    /// Column names are compared in lower case; a tab-separated file (a tab in its first
    /// line) is read as such, and a header starting with `#` (CMT's) loses the mark. Text is
    /// decoded by ``TextFile`` (UTF-8, UTF-16, Windows-1252); an Excel workbook (`.xlsx`, or
    /// the SpreadsheetML 2003 `.xls` CMT writes) is read as its first sheet (``Spreadsheet``).
    public init(path: String, required: [String]) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProfileError("\(path): cannot read") }
        if let sheet = try Spreadsheet.rows(data, path: path) {
            try self.init(records: sheet, path: path, required: required)
        } else {
            try self.init(text: try TextFile.decode(data, path: path).text, path: path, required: required)
        }
    }

    public init(text: String, path: String, required: [String]) throws {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r\n" }
        try self.init(records: try Self.records(body, path: path, separator: firstLine.contains("\t") ? "\t" : ","), path: path, required: required)
    }

    /// The table of `records` (the first is the header), each with the line it starts on.
    init(records: [(line: Int, fields: [String])], path: String, required: [String]) throws {
        self.path = path
        var records = records
        guard !records.isEmpty else { throw ProfileError("\(path): empty; the first line must be the header \(required.joined(separator: ","))") }
        let headerLine = records[0].line
        var head = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let first = head.first, first.hasPrefix("#"), first.count > 1 { head[0] = first.dropFirst().trimmingCharacters(in: .whitespaces) }
        for column in required where !head.contains(column) {
            throw ProfileError("\(path):\(headerLine): no column '\(column)'; the header must name \(required.joined(separator: ","))")
        }
        var columns: [String: Int] = [:]
        for (i, c) in head.enumerated() where columns[c] == nil { columns[c] = i }
        header = head
        rows = records.filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
            .map { Row(line: $0.line, fields: $0.fields, columns: columns) }
    }

    /// The file's records with their first line numbers.
    static func records(_ text: String, path: String, separator: Character = ",") throws -> [(line: Int, fields: [String])] {
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
            case separator: fields.append(field); field = ""; atFieldStart = true
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
