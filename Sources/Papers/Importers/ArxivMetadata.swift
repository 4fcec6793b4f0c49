import Foundation
import Names
import Storage

/// The arXiv metadata snapshot (`arxiv-metadata-oai-snapshot.json`, JSON Lines: `id`,
/// `authors` as one LaTeX string, `authors_parsed` as `[last, first, suffix, affiliation…]`,
/// `title` and `abstract` wrapped with newlines, `versions[{version, created}]`, `doi`,
/// `journal-ref`, `categories`). Authors come from `authors_parsed` ("First Last Suffix"),
/// LaTeX accents resolved; the year is that of the first version.
enum ArxivMetadata {
    struct Wire: Decodable {
        let id: String?
        let authors: String?
        let authors_parsed: [[String]]?
        let title: String?
        let abstract: String?
        let versions: [Version]?
        let doi: String?
        let journal_ref: String?
        let categories: String?
        struct Version: Decodable { let version: String?; let created: String? }
        enum CodingKeys: String, CodingKey {
            case id, authors, authors_parsed, title, abstract, versions, doi, categories
            case journal_ref = "journal-ref"
        }
    }

    static func paper(_ line: String) throws(ImportError) -> PaperRecord {
        let w: Wire = try ImportError.decode(line)
        guard let id = w.id, !id.isEmpty else { throw ImportError("no 'id'") }
        guard let title = w.title.map({ Whitespace.collapse(LaTeX.toText($0)) }), !title.isEmpty else { throw ImportError("no 'title'") }
        var p = PaperRecord(id: "arxiv:" + id, title: title)
        p.abstract = w.abstract.map(Whitespace.collapse).flatMap { $0.isEmpty ? nil : $0 }
        p.year = w.versions?.first?.created.flatMap(year(ofRFC2822:))
        p.venue = "arXiv"
        p.url = "https://arxiv.org/abs/" + id
        p.source = "arxiv"
        let names = w.authors_parsed.map { $0.compactMap(name(fromParsed:)) } ?? w.authors.map(names(fromLine:)) ?? []
        if !names.isEmpty { p.authors = names }
        var extra: [String: Any] = [:]
        if let doi = w.doi { extra["doi"] = doi }
        if let j = w.journal_ref { extra["journal_ref"] = Whitespace.collapse(j) }
        if let c = w.categories { extra["categories"] = c.split(separator: " ").map(String.init) }
        p.extraFields = ImportError.json(extra)
        return p
    }

    /// `[last, first, suffix, affiliation…]` as "First Last Suffix"; a collaboration
    /// (`["ATLAS Collaboration", "", ""]`) stays as it is.
    static func name(fromParsed parts: [String]) -> String? {
        let clean = parts.prefix(3).map { Whitespace.collapse(LaTeX.toText($0)) }
        guard let last = clean.first, !last.isEmpty else { return nil }
        let name = ([clean.count > 1 ? clean[1] : "", last, clean.count > 2 ? clean[2] : ""]).filter { !$0.isEmpty }.joined(separator: " ")
        return name
    }

    /// The authors string when there is no `authors_parsed`: split on commas and "and"
    /// outside parentheses (affiliations), LaTeX resolved, "et al." dropped.
    static func names(fromLine line: String) -> [String] {
        AuthorNames.topLevelSplit(LaTeX.toText(line).replacingOccurrences(of: " and ", with: ","), on: ",")
            .map { Whitespace.collapse(AuthorNames.removingParentheses($0)) }
            .filter { !$0.isEmpty && !$0.lowercased().hasPrefix("et al") }
    }

    /// The year of "Mon, 2 Apr 2007 19:18:42 GMT".
    static func year(ofRFC2822 date: String) -> Int? {
        date.split(separator: " ").lazy.compactMap { Int($0) }.first { $0 >= 1000 }
    }
}
