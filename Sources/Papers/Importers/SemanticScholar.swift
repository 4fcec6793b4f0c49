import Foundation
import Storage

/// The Semantic Scholar Academic Graph datasets: `papers` (JSON Lines: `corpusid`,
/// `externalids`, `title`, `authors[{authorId, name}]`, `venue`, `year`, `journal`, …)
/// and `abstracts` (`corpusid`, `abstract`, `openaccessinfo`), joined by `corpusid`.
/// Ids: `s2:<corpusid>` for papers, `s2:<authorId>` for authors.
enum SemanticScholar {
    struct Paper: Decodable {
        let corpusid: Int64?
        let externalids: [String: String?]?
        let url: String?
        let title: String?
        let authors: [Author]?
        let venue: String?
        let year: Int?
        let journal: Journal?
        struct Author: Decodable { let authorId: String?; let name: String? }
        struct Journal: Decodable { let name: String? }
    }

    struct Abstract: Decodable {
        let corpusid: Int64?
        let abstract: String?
    }

    static func paper(_ line: String, abstracts: AbstractIndex?) throws(ImportError) -> PaperRecord {
        let w: Paper = try ImportError.decode(line)
        guard let corpusID = w.corpusid else { throw ImportError("no 'corpusid'") }
        guard let title = w.title.map(Whitespace.collapse), !title.isEmpty else { throw ImportError("no 'title'") }
        var p = PaperRecord(id: "s2:\(corpusID)", title: title)
        p.year = w.year
        p.venue = [w.venue, w.journal?.name].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        p.url = w.url
        p.source = "s2"
        let people = (w.authors ?? []).filter { !($0.name ?? "").isEmpty }
        if !people.isEmpty {
            p.authors = people.map { $0.name! }
            p.authorIDs = people.map { $0.authorId.map { "s2:" + $0 } }
        }
        do { p.abstract = try abstracts?.abstract(of: corpusID).map(Whitespace.collapse).flatMap { $0.isEmpty ? nil : $0 } }
        catch { throw ImportError("reading the abstracts: \(error)") }
        var extra: [String: Any] = [:]
        if let ids = w.externalids {
            let present = ids.compactMapValues { $0 }
            if !present.isEmpty { extra["external_ids"] = present }
            if let doi = present["DOI"] { extra["doi"] = doi }
        }
        p.extraFields = ImportError.json(extra)
        return p
    }
}
