import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The first sheet of an Excel workbook as rows of text, for ``CSVTable``: an Office Open
/// XML `.xlsx` (a ZIP of XML parts: shared strings, inline strings, numbers, booleans) or
/// the SpreadsheetML 2003 XML that CMT's "Export to Excel" writes as `.xls`. Each row keeps
/// its spreadsheet row number as its line, so errors name FILE:ROW. Title rows above the
/// header (a sheet name in one cell) are skipped: the header is the first row with two or
/// more cells.
enum Spreadsheet {
    /// The rows of `data` when it is a workbook, nil when it is not (plain text).
    static func rows(_ data: Data, path: String) throws -> [(line: Int, fields: [String])]? {
        let head = [UInt8](data.prefix(512))
        let rows: [(line: Int, fields: [String])]
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            rows = try xlsx(data, path: path)
        } else if let text = String(bytes: head, encoding: .utf8) ?? String(bytes: head, encoding: .isoLatin1),
                  text.contains("<?xml") || text.contains("<Workbook"), String(decoding: data.prefix(4096), as: UTF8.self).contains("urn:schemas-microsoft-com:office:spreadsheet") {
            rows = try spreadsheetML(data, path: path)
        } else if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ProfileError("\(path): a binary Excel 97-2003 workbook; save it as .xlsx or CSV")
        } else {
            return nil
        }
        guard let header = rows.firstIndex(where: { $0.fields.filter { !$0.isEmpty }.count >= 2 }) else {
            throw ProfileError("\(path): the workbook's first sheet has no header row")
        }
        return Array(rows[header...])
    }

    // MARK: - Office Open XML (.xlsx)

    static func xlsx(_ data: Data, path: String) throws -> [(line: Int, fields: [String])] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw ProfileError("\(path): a ZIP file that cannot be opened (\(error))") }
        func part(_ name: String) throws -> Data? {
            guard let entry = archive[name] else { return nil }
            var out = Data()
            do { _ = try archive.extract(entry, skipCRC32: false) { out.append($0) } } catch { throw ProfileError("\(path): \(name) cannot be read (\(error))") }
            return out
        }
        guard let workbook = try part("xl/workbook.xml") else { throw ProfileError("\(path): a ZIP file but not an Excel workbook (no xl/workbook.xml)") }
        // The first sheet in the workbook's order, through its relationship id.
        let sheets = XMLElements(workbook, path: path).all("sheet")
        guard let first = sheets.first, let rid = first["r:id"] ?? first.attributes.first(where: { $0.key.hasSuffix(":id") })?.value else {
            throw ProfileError("\(path): the workbook has no sheets")
        }
        var target = "worksheets/sheet1.xml"
        if let rels = try part("xl/_rels/workbook.xml.rels"),
           let r = XMLElements(rels, path: path).all("Relationship").first(where: { $0["Id"] == rid }), let t = r["Target"] {
            target = t
        }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheet = try part(sheetPath) else { throw ProfileError("\(path): the first sheet (\(sheetPath)) is missing") }
        let shared = try part("xl/sharedStrings.xml").map { SharedStrings($0, path: path).strings } ?? []
        return try SheetReader(sheet, shared: shared, path: path).rows
    }

    /// Column index of a cell reference: "A1" 0, "AB7" 27.
    static func column(_ reference: String) -> Int? {
        var n = 0, letters = 0
        for u in reference.unicodeScalars {
            guard (65...90).contains(u.value) else { break }
            n = n * 26 + Int(u.value - 64); letters += 1
        }
        return letters == 0 ? nil : n - 1
    }

    // MARK: - SpreadsheetML 2003 (CMT's .xls)

    static func spreadsheetML(_ data: Data, path: String) throws -> [(line: Int, fields: [String])] {
        let reader = SpreadsheetMLReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw ProfileError("\(path): not a readable Excel XML workbook (\(parser.parserError.map { "\($0)" } ?? "parse error") at line \(parser.lineNumber))") }
        return reader.rows
    }
}

/// Elements with their attributes, for small XML parts (workbook, relationships).
private struct XMLElements {
    struct Element { let name: String; let attributes: [String: String]; subscript(k: String) -> String? { attributes[k] } }
    private let elements: [Element]

    init(_ data: Data, path: String) {
        final class Collector: NSObject, XMLParserDelegate {
            var out: [Element] = []
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                out.append(Element(name: name, attributes: attributes))
            }
        }
        let c = Collector(), parser = XMLParser(data: data)
        parser.delegate = c
        parser.parse()
        elements = c.out
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name || $0.name.hasSuffix(":" + name) } }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, rich-text runs joined.
private final class SharedStrings: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = "", inText = false, inPhonetic = false

    init(_ data: Data, path: String) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.parse()
    }

    func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        if name == "si" { current = "" }
        if name == "rPh" { inPhonetic = true }
        if name == "t" { inText = !inPhonetic }
    }
    func parser(_ p: XMLParser, foundCharacters s: String) { if inText { current += s } }
    func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "t" { inText = false }
        if name == "rPh" { inPhonetic = false }
        if name == "si" { strings.append(current) }
    }
}

/// A worksheet part's rows: cells placed by their reference, strings resolved.
private final class SheetReader: NSObject, XMLParserDelegate {
    var rows: [(line: Int, fields: [String])] = []
    private let shared: [String]
    private var row: [Int: String] = [:], rowNumber = 0, cellColumn = 0, cellType = "", value = "", inValue = false
    private var problem: String?

    init(_ data: Data, shared: [String], path: String) throws {
        self.shared = shared
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse() else { throw ProfileError("\(path): the first sheet is not readable XML (line \(parser.lineNumber))") }
        if let problem { throw ProfileError("\(path): \(problem)") }
    }

    func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch name {
        case "row":
            row = [:]
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
        case "c":
            cellColumn = attributes["r"].flatMap(Spreadsheet.column) ?? (row.keys.max().map { $0 + 1 } ?? 0)
            cellType = attributes["t"] ?? "n"; value = ""
        case "v", "t": inValue = true
        default: break
        }
    }
    func parser(_ p: XMLParser, foundCharacters s: String) { if inValue { value += s } }
    func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": inValue = false
        case "c":
            if cellType == "s" {
                guard let i = Int(value), shared.indices.contains(i) else { problem = "row \(rowNumber): a shared string \(value) that the workbook lacks"; return }
                row[cellColumn] = shared[i]
            } else if cellType == "b" {
                row[cellColumn] = value == "1" ? "TRUE" : "FALSE"
            } else {
                row[cellColumn] = value
            }
        case "row":
            let width = (row.keys.max() ?? -1) + 1
            rows.append((rowNumber, (0..<width).map { row[$0] ?? "" }))
        default: break
        }
    }
}

/// SpreadsheetML 2003: the first `<Worksheet>`'s `<Row>`s and `<Cell>`s, with `ss:Index`
/// skips (empty cells and rows are left out of the file).
private final class SpreadsheetMLReader: NSObject, XMLParserDelegate {
    var rows: [(line: Int, fields: [String])] = []
    private var sheets = 0, row: [String] = [], rowNumber = 0, text = "", inData = false, done = false

    func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        guard !done else { return }
        let local = name.split(separator: ":").last.map(String.init) ?? name
        func index() -> Int? { (attributes["ss:Index"] ?? attributes["Index"]).flatMap(Int.init) }
        switch local {
        case "Worksheet": sheets += 1
        case "Row" where sheets == 1:
            row = []
            rowNumber = index() ?? rowNumber + 1
        case "Cell" where sheets == 1:
            if let i = index(), i - 1 > row.count { row += Array(repeating: "", count: i - 1 - row.count) }
            text = ""
        case "Data" where sheets == 1: inData = true
        default: break
        }
    }
    func parser(_ p: XMLParser, foundCharacters s: String) { if inData { text += s } }
    func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard !done else { return }
        let local = name.split(separator: ":").last.map(String.init) ?? name
        switch local {
        case "Data": inData = false
        case "Cell" where sheets == 1: row.append(text)
        case "Row" where sheets == 1: rows.append((rowNumber, row))
        case "Worksheet": done = true
        default: break
        }
    }
}
