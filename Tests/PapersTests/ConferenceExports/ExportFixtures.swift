import Foundation
import Storage
import ZIPFoundation
@testable import Papers

/// A small ACL store with the names real exports get wrong (middle names, initials, several
/// Zhangs, accents, a nickname in parentheses) and a committee named from it, shared by the
/// conference-export suites.
enum ExportFixtures {
    static let papers = [
        #"{"id": "a1", "title": "Semantic parsing on Freebase from question-answer pairs", "authors": ["Jonathan Berant", "Andrew Chou", "Roy Frostig", "Percy Liang"], "year": 2013}"#,
        #"{"id": "a2", "title": "Weakly supervised semantic parsing with abstract examples", "authors": ["Omer Goldman", "Jonathan Berant"], "year": 2018}"#,
        #"{"id": "a3", "title": "Linguistic knowledge and transferability of contextual representations", "authors": ["Nelson F. Liu", "Matt Gardner", "Noah A. Smith"], "year": 2019}"#,
        #"{"id": "a4", "title": "Don't stop pretraining: adapt language models to domains and tasks", "authors": ["Suchin Gururangan", "Ana Marasović", "Noah A. Smith"], "year": 2020}"#,
        #"{"id": "a5", "title": "Liar, liar pants on fire: a new benchmark dataset for fake news detection", "authors": ["William Yang Wang"], "year": 2017}"#,
        #"{"id": "a6", "title": "MAD-X: an adapter-based framework for multi-task cross-lingual transfer", "authors": ["Jonas Pfeiffer", "Ivan Vulić", "Iryna Gurevych", "Sebastian Ruder"], "year": 2020}"#,
        #"{"id": "a7", "title": "Chinese NER using lattice LSTM", "authors": ["Yue Zhang", "Jie Yang"], "year": 2018}"#,
        #"{"id": "a8", "title": "Aspect-augmented adversarial networks for domain adaptation", "authors": ["Yuan Zhang", "Regina Barzilay", "Tommi Jaakkola"], "year": 2017}"#,
        #"{"id": "a9", "title": "Multi-task label embedding for text classification", "authors": ["Yi Zhang", "Honglun Zhang"], "year": 2018}"#,
        #"{"id": "b1", "title": "Findings of the E2E NLG challenge", "authors": ["Ondřej Dušek", "Jekaterina Novikova", "Verena Rieser"], "year": 2018}"#,
        #"{"id": "b2", "title": "From word to sense embeddings: a survey on vector representations of meaning", "authors": ["José Camacho-Collados", "Mohammad Taher Pilehvar"], "year": 2018}"#,
        #"{"id": "b3", "title": "Text summarization with pretrained encoders", "authors": ["Yang Liu", "Mirella Lapata"], "year": 2019}"#,
        #"{"id": "b4", "title": "A report on the 2020 VUA and TOEFL metaphor detection shared task", "authors": ["Chee Wee Leong", "Beata Beigman Klebanov", "Ekaterina Shutova"], "year": 2020}"#,
        #"{"id": "b5", "title": "Sequence-to-sequence models for data-to-text generation", "authors": ["Ondřej Dušek", "Filip Jurčíček"], "year": 2016}"#,
        #"{"id": "b6", "title": "Benchmarks for legal question answering", "authors": ["Jane Berant"], "year": 2021}"#,
    ]

    /// The committee, as a chair's names file would list it.
    static let members = ["Jonathan Berant", "Noah A. Smith", "William Yang Wang", "Yue Zhang", "Ondřej Dušek", "Sebastian Ruder",
                          "Mirella Lapata", "José Camacho-Collados", "Chee Wee Leong"]

    static let store: PaperStore = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("acl-exports-\(UUID().uuidString)").path
        let s = try! PaperStore(path: dir)
        precondition(try! s.ingest(lines: papers, embed: { Fixtures.embedder.embedRows($0) }).added == papers.count)
        return s
    }()

    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exports-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @discardableResult
    static func write(_ text: String, _ dir: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The committee from a file (names by default), over the store, with a 2026 conflict window.
    static func finder(_ committeeFile: String, includeChairs: Bool = false, policy: ConflictPolicy = ConflictPolicy(referenceYear: 2026)) throws -> ReviewerFinder {
        let searcher = try store.searcher()
        let committee = try Committee.resolve(files: [committeeFile], searcher: searcher, embedder: Fixtures.embedder, includeChairs: includeChairs)
        return ReviewerFinder(searcher: searcher, embedder: Fixtures.embedder, committee: committee, conflicts: policy)
    }

    static func namesFile(_ dir: String) throws -> String { try write(members.joined(separator: "\n") + "\n", dir, "committee.txt") }

    /// An .xlsx as Excel writes one: [Content_Types].xml, the workbook and its relationships,
    /// shared strings (with a rich-text run) and one sheet whose cells reference them.
    static func xlsx(rows: [[String]], at path: String) throws {
        var strings: [String] = [], index: [String: Int] = [:]
        func ref(_ s: String) -> Int { if let i = index[s] { return i }; strings.append(s); index[s] = strings.count - 1; return strings.count - 1 }
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        var sheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in rows.enumerated() {
            sheet += "<row r=\"\(r + 1)\">"
            for (c, v) in row.enumerated() where !v.isEmpty {
                let col = String(UnicodeScalar(UInt8(65 + c)))
                sheet += Int(v) != nil ? "<c r=\"\(col)\(r + 1)\"><v>\(v)</v></c>" : "<c r=\"\(col)\(r + 1)\" t=\"s\"><v>\(ref(v))</v></c>"
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let shared = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + strings.map { s in s.count > 6 ? "<si><r><t>\(esc(String(s.prefix(3))))</t></r><r><rPr><b/></rPr><t>\(esc(String(s.dropFirst(3))))</t></r></si>" : "<si><t>\(esc(s))</t></si>" }.joined()
            + "</sst>"
        let parts = [
            ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Papers" sheetId="1" r:id="rId3"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet7.xml"/></Relationships>"#),
            ("xl/sharedStrings.xml", shared),
            ("xl/worksheets/sheet7.xml", sheet),
        ]
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}
