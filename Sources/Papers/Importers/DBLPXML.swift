import Embedding
import Foundation
import Storage

/// The DBLP dump (`dblp.xml.gz`): publication records under `<dblp>`, each with a `key`
/// and children `author` (attribute `orcid`), `title` (inline `<i>`, `<sub>`, `<sup>`,
/// `<tt>`), `year`, `booktitle` or `journal`, `ee`. Read as a stream of records without
/// the DTD: its character entities (the ISO Latin-1 letters, `reg`, `micro`, `times`) are
/// known here, numeric references too. A homonym suffix ("Wei Wang 0001") keeps two people
/// apart in `author_ids` (`dblp:Wei Wang 0001`, or `orcid:…` when the record gives one)
/// and is not shown in the name. Proceedings volumes, person pages (`www`) and data
/// records are not papers and are passed over.
public enum DBLPXML {
    /// Record elements that are papers.
    static let paperKinds: Set<String> = ["article", "inproceedings", "incollection", "book", "phdthesis", "mastersthesis"]
    /// Record elements passed over.
    static let otherKinds: Set<String> = ["proceedings", "www", "person", "data"]

    /// Streams the records of `reader`: `paper` for each one that is a paper, `problem`
    /// for one that cannot be read (its first line and the reason). The dump writes one
    /// record's closing tag and the next one's opening tag on one line
    /// (`</article><article key=…>`), so a line may end one record and start another.
    static func records(_ reader: LineReader, paper: (PaperRecord, Int) throws -> Void,
                        problem: (Int, String) -> Void) throws {
        var current: (kind: String, line: Int, text: String)?
        func finish(_ record: (kind: String, line: Int, text: String)) throws {
            guard paperKinds.contains(record.kind) else { return }
            do { try paper(try parse(record.text, kind: record.kind), record.line) }
            catch let e as ImportError { problem(record.line, e.reason) }
        }
        while let line = try reader.next() {
            var rest = Substring(line)
            while !rest.isEmpty {
                if var record = current {
                    // A closing tag is one token, so it sits on one line.
                    if let close = rest.firstRange(of: "</\(record.kind)>") {
                        record.text += "\n" + rest[..<close.upperBound]
                        current = nil
                        rest = rest[close.upperBound...]
                        try finish(record)
                    } else {
                        record.text += "\n" + rest
                        current = record
                        rest = ""
                    }
                } else if let lt = rest.firstIndex(of: "<") {
                    rest = rest[lt...]
                    if let kind = openingTag(rest), paperKinds.contains(kind) || otherKinds.contains(kind) {
                        current = (kind, reader.lineNumber, "")
                    } else {
                        rest = rest.dropFirst()
                    }
                } else {
                    rest = ""
                }
            }
        }
        if let record = current { problem(record.line, "<\(record.kind)> is not closed before the end of the file") }
    }

    /// The element name a piece of text opens with, when it starts with an opening tag ("<article mdate=… key=…>").
    static func openingTag(_ text: Substring) -> String? {
        guard text.hasPrefix("<"), !text.hasPrefix("</"), !text.hasPrefix("<?"), !text.hasPrefix("<!") else { return nil }
        let name = text.dropFirst().prefix { $0.isLetter }
        return name.isEmpty ? nil : String(name)
    }

    /// One record's XML as a paper.
    static func parse(_ xml: String, kind: String) throws(ImportError) -> PaperRecord {
        guard let open = xml.firstRange(of: ">"), let key = attribute("key", in: String(xml[..<open.lowerBound])) else {
            throw ImportError("<\(kind)> has no key")
        }
        let children = elements(in: String(xml[open.upperBound...]))
        guard let title = children.first(where: { $0.name == "title" }).map({ Whitespace.collapse(text($0.content)) }), !title.isEmpty else {
            throw ImportError("<\(kind) key=\"\(key)\"> has no title")
        }
        // DBLP titles end with a period that is not part of the title.
        var p = PaperRecord(id: "dblp:" + key, title: title.hasSuffix(".") && !title.hasSuffix("..") ? String(title.dropLast()) : title)
        let authors = children.filter { $0.name == "author" }
        if !authors.isEmpty {
            let full = authors.map { Whitespace.collapse(text($0.content)) }
            p.authors = full.map(withoutHomonymNumber)
            p.authorIDs = zip(authors, full).map { a, name in attribute("orcid", in: a.attributes).map { "orcid:" + $0 } ?? "dblp:" + name }
        }
        p.year = children.first { $0.name == "year" }.flatMap { Int(text($0.content).trimmingCharacters(in: .whitespaces)) }
        p.venue = children.first { $0.name == "booktitle" || $0.name == "journal" }.map { Whitespace.collapse(text($0.content)) }
        p.url = children.first { $0.name == "ee" }.map { text($0.content).trimmingCharacters(in: .whitespaces) }
        p.source = "dblp"
        p.extraFields = ImportError.json(["dblp_type": kind])
        return p
    }

    /// "Wei Wang 0001" is shown as "Wei Wang".
    static func withoutHomonymNumber(_ name: String) -> String {
        let parts = name.split(separator: " ")
        guard parts.count > 1, let last = parts.last, last.count == 4, last.allSatisfy(\.isNumber) else { return name }
        return parts.dropLast().joined(separator: " ")
    }

    /// The direct children of a record: name, attribute text and raw content.
    static func elements(in xml: String) -> [(name: String, attributes: String, content: String)] {
        var out: [(String, String, String)] = []
        var rest = Substring(xml)
        while let lt = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: lt)...]
            if rest.hasPrefix("/") { break }   // the record's own closing tag
            guard let gt = rest.firstIndex(of: ">") else { break }
            let head = rest[..<gt]
            let name = String(head.prefix { !$0.isWhitespace && $0 != "/" })
            rest = rest[rest.index(after: gt)...]
            if head.hasSuffix("/") { out.append((name, String(head.dropFirst(name.count)), "")); continue }
            guard let close = rest.firstRange(of: "</\(name)>") else { break }
            out.append((name, String(head.dropFirst(name.count)), String(rest[..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// The value of attribute `name` in an element's attribute text, entities decoded.
    static func attribute(_ name: String, in attributes: String) -> String? {
        for quote in ["\"", "'"] {
            if let start = attributes.firstRange(of: " \(name)=\(quote)") ?? attributes.firstRange(of: "\(name)=\(quote)"),
               let end = attributes[start.upperBound...].firstIndex(of: Character(quote)) {
                return decodeEntities(String(attributes[start.upperBound..<end]))
            }
        }
        return nil
    }

    /// Element content as text: inline markup dropped, entities decoded.
    static func text(_ content: String) -> String {
        var out = "", inTag = false
        for c in content {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return decodeEntities(out)
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = "", rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out.append("&"); rest = rest[rest.index(after: amp)...]; continue
            }
            let name = String(rest[rest.index(after: amp)..<semi])
            if let c = entity(name) { out.append(c) } else { out += "&" + name + ";" }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }

    static func entity(_ name: String) -> Character? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") { return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map(Character.init) }
        if name.hasPrefix("#") { return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map(Character.init) }
        return entities[name]
    }

    /// dblp.dtd's named entities (the ISO Latin-1 letters, reg, micro, times) and XML's five.
    static let entities: [String: Character] = {
        var table: [String: Character] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
                                          "reg": "®", "micro": "µ", "times": "×"]
        let letters = ["Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml",
                       "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", nil,
                       "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
                       "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml",
                       "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", nil,
                       "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml"]
        // Latin-1 from U+00C0 (À) to U+00FF (ÿ), with × and ÷ (the two nils) not letters.
        for (i, name) in letters.enumerated() { if let name { table[name] = Character(Unicode.Scalar(0xC0 + i)!) } }
        return table
    }()
}
