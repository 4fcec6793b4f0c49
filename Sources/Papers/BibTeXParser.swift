import Foundation
import Names
import Storage

/// Reads BibTeX: a reviewer's own `.bib` as a profile, or any `.bib` as papers.
/// Supports `@type{key, field = {…} | "…" | 123 | macro # …}` with parentheses or
/// braces, `@string` macros, `@comment` and `@preamble`, LaTeX accents (`\"{o}` → ö)
/// and "Last, First and First Last" author lists. A syntax error names the file,
/// line and column.
public enum BibTeXParser {
    public struct Entry: Sendable, Equatable {
        public var type: String
        public var key: String
        /// Field names in lower case; values with braces and LaTeX accents resolved,
        /// except `author`/`editor`, which stay raw until ``authors(_:)`` splits them.
        public var fields: [String: String]
        public var line: Int
    }

    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public let file: String, line: Int, column: Int, message: String
        public var description: String { "\(file):\(line):\(column): \(message)" }
    }

    public static func entries(_ text: String, file: String = "BibTeX") throws -> [Entry] {
        var scanner = Scanner(Array(text.unicodeScalars), file: file)
        return try scanner.entries()
    }

    /// The owner's profile: the person on most entries is the owner; the entries are
    /// their publications.
    public static func profile(_ text: String, file: String = "BibTeX") throws -> ReviewerProfile {
        let pubs = try entries(text, file: file).compactMap(publication)
        guard !pubs.isEmpty else { throw ProfileError("\(file): no publications (no entry with a title)") }
        var counts: [String: (Int, String)] = [:]
        for p in pubs { for a in p.authors { let k = PersonName(a).initialKey; counts[k] = ((counts[k]?.0 ?? 0) + 1, counts[k]?.1 ?? a) } }
        // The longest spelling of the most frequent person ("Keren Zhou" over "K. Zhou").
        guard let owner = counts.max(by: { ($0.value.0, $1.key) < ($1.value.0, $0.key) }) else {
            throw ProfileError("\(file): no authors in any entry, so no owner")
        }
        let spellings = pubs.flatMap(\.authors).filter { PersonName($0).initialKey == owner.key }
        return ReviewerProfile(name: spellings.max { $0.count < $1.count } ?? owner.value.1, publications: pubs)
    }

    /// Every entry with a title as a paper; ids are `source:key`.
    public static func papers(_ text: String, file: String = "BibTeX", source: String) throws -> [PaperRecord] {
        try entries(text, file: file).compactMap { e in
            guard let p = publication(e) else { return nil }
            return PaperRecord(id: "\(source):\(e.key)", title: p.title, abstract: p.abstract, authors: p.authors,
                               venue: p.venue, year: p.year, url: e.fields["url"] ?? e.fields["doi"].map { "https://doi.org/\($0)" },
                               source: source)
        }
    }

    static func publication(_ e: Entry) -> ReviewerProfile.Publication? {
        guard let title = e.fields["title"], !title.isEmpty else { return nil }
        let venue = e.fields["booktitle"] ?? e.fields["journal"] ?? e.fields["publisher"] ?? e.fields["school"]
        let year = e.fields["year"].flatMap { Int($0.prefix(4)) }
        return .init(title: title, venue: venue, year: year, authors: authors(e.fields["author"] ?? ""), abstract: e.fields["abstract"])
    }

    /// "Zhou, Keren and John Mellor-Crummey and others" → ["Keren Zhou", "John Mellor-Crummey"].
    public static func authors(_ raw: String) -> [String] {
        var parts: [String] = [], depth = 0, current = ""
        let words = raw.split(separator: " ", omittingEmptySubsequences: true)
        for w in words {
            depth += w.filter { $0 == "{" }.count - w.filter { $0 == "}" }.count
            if w == "and" && depth == 0 { parts.append(current); current = ""; continue }
            current += (current.isEmpty ? "" : " ") + w
        }
        parts.append(current)
        return parts.map { part -> String in
            let pieces = part.split(separator: ",").map { LaTeX.toText(String($0)).trimmingCharacters(in: .whitespaces) }
            // "Last, First" and "Last, Jr, First".
            let name = pieces.count >= 2 ? ([pieces.last!, pieces[0]] + pieces.dropFirst().dropLast()).joined(separator: " ") : pieces.first ?? ""
            return name.split(separator: " ").joined(separator: " ")
        }.filter { !$0.isEmpty && $0.lowercased() != "others" }
    }

    /// A hand-written scanner: BibTeX is small and its errors should point at a place.
    struct Scanner {
        let s: [Unicode.Scalar], file: String
        var i = 0, line = 1, column = 1
        var macros: [String: String] = ["jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
                                        "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
                                        "nov": "November", "dec": "December"]

        init(_ s: [Unicode.Scalar], file: String) { self.s = s; self.file = file }

        func error(_ message: String, line l: Int? = nil, column c: Int? = nil) -> SyntaxError {
            SyntaxError(file: file, line: l ?? line, column: c ?? column, message: message)
        }

        var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

        mutating func advance() {
            if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }

        mutating func skipSpace() { while let c = current, c.properties.isWhitespace { advance() } }

        mutating func expect(_ c: Unicode.Scalar, _ what: String) throws {
            skipSpace()
            guard current == c else { throw error("expected '\(c)' \(what), found \(found)") }
            advance()
        }

        var found: String { current.map { $0 == "\n" ? "end of line" : "'\($0)'" } ?? "end of file" }

        mutating func identifier(_ what: String) throws -> String {
            skipSpace()
            var out = ""
            while let c = current, !c.properties.isWhitespace, !"{}(),=\"#%".unicodeScalars.contains(c) { out.unicodeScalars.append(c); advance() }
            guard !out.isEmpty else { throw error("expected \(what), found \(found)") }
            return out
        }

        mutating func entries() throws -> [Entry] {
            var out: [Entry] = []
            while true {
                while let c = current, c != "@" { advance() }   // text between entries is a comment
                guard current != nil else { return out }
                let startLine = line
                advance()
                let type = try identifier("an entry type after '@'").lowercased()
                if type == "comment" { continue }
                skipSpace()
                guard let open = current, open == "{" || open == "(" else { throw error("expected '{' after @\(type), found \(found)") }
                let close: Unicode.Scalar = open == "{" ? "}" : ")"
                let (openLine, openColumn) = (line, column)
                advance()
                if type == "preamble" { _ = try value(); try expect(close, "to close @preamble"); continue }
                if type == "string" {
                    let name = try identifier("a macro name").lowercased()
                    try expect("=", "after macro name '\(name)'")
                    macros[name] = try value()
                    try expect(close, "to close @string")
                    continue
                }
                let key = try identifier("a citation key after @\(type)\(open)")
                var fields: [String: String] = [:]
                while true {
                    skipSpace()
                    if current == close { advance(); break }
                    guard current == "," else {
                        if current == nil { throw error("@\(type){\(key)} opened at line \(openLine), column \(openColumn) is never closed") }
                        throw error("expected ',' or '\(close)' after the value of the last field in @\(type){\(key)}, found \(found)")
                    }
                    advance(); skipSpace()
                    if current == close { advance(); break }
                    let name = try identifier("a field name in @\(type){\(key)}").lowercased()
                    try expect("=", "after field name '\(name)' in @\(type){\(key)}")
                    let raw = try value()
                    fields[name] = name == "author" || name == "editor" ? raw : LaTeX.toText(raw)
                }
                out.append(Entry(type: type, key: key, fields: fields, line: startLine))
            }
        }

        /// A value: pieces joined by '#', each braced, quoted, a number or a macro.
        mutating func value() throws -> String {
            var out = ""
            while true {
                skipSpace()
                switch current {
                case "{"?: out += try delimited(until: "}")
                case "\""?: out += try delimited(until: "\"")
                case let c? where c.properties.numericType != nil:
                    while let d = current, d.properties.numericType != nil { out.unicodeScalars.append(d); advance() }
                case let c? where c.properties.isAlphabetic:
                    let name = try identifier("a value")
                    guard let m = macros[name.lowercased()] else { throw error("unknown macro '\(name)' (define it with @string)", column: column - name.unicodeScalars.count) }
                    out += m
                default: throw error("expected a value ('{…}', '\"…\"', a number or a macro), found \(found)")
                }
                skipSpace()
                guard current == "#" else { return out }
                advance()
            }
        }

        /// Text up to the matching close, nested braces kept (they protect case and accents).
        mutating func delimited(until close: Unicode.Scalar) throws -> String {
            let (l, c) = (line, column)
            advance()
            var depth = 0, out = ""
            while let ch = current {
                if ch == close && depth == 0 { advance(); return out }
                if ch == "{" { depth += 1 } else if ch == "}" {
                    depth -= 1
                    if depth < 0 { throw error("unbalanced '}' inside a value opened at line \(l), column \(c)") }
                }
                if ch == "\\", i + 1 < s.count { out.unicodeScalars.append(ch); advance() }
                out.unicodeScalars.append(current!); advance()
            }
            throw error("value opened with '\(close == "}" ? "{" : "\"")' at line \(l), column \(c) is never closed", line: l, column: c)
        }
    }
}
