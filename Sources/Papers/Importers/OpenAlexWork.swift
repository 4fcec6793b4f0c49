import Foundation
import Storage

/// One work of the OpenAlex snapshot (`works/updated_date=…/part_*.gz`, JSON Lines;
/// schema: the OpenAlex Work object). The abstract is rebuilt from
/// `abstract_inverted_index` (each word placed at each of its positions), authors and
/// their ids from `authorships`, the venue from `primary_location.source`. Ids lose
/// their `https://openalex.org/` prefix and gain refer's (`openalex:W…`, `openalex:A…`);
/// ORCIDs and institutions (id, ROR, name) are kept per author in `author_orcids` and
/// `author_institutions`.
enum OpenAlexWork {
    struct Wire: Decodable {
        let id: String?
        let doi: String?
        let title: String?
        let display_name: String?
        let publication_year: Int?
        let abstract_inverted_index: [String: [Int]]?
        let authorships: [Authorship]?
        let primary_location: Location?
        let type: String?

        struct Authorship: Decodable {
            let author: Author?
            let institutions: [Institution]?
            let raw_author_name: String?
        }
        struct Author: Decodable { let id: String?; let display_name: String?; let orcid: String? }
        struct Institution: Decodable { let id: String?; let display_name: String?; let ror: String? }
        struct Location: Decodable { let landing_page_url: String?; let source: Source? }
        struct Source: Decodable { let display_name: String? }
    }

    static func paper(_ line: String) throws(ImportError) -> PaperRecord {
        let w: Wire = try ImportError.decode(line)
        guard let rawID = w.id, !rawID.isEmpty else { throw ImportError("no 'id'") }
        guard let title = (w.title ?? w.display_name).map(Whitespace.collapse), !title.isEmpty else { throw ImportError("no 'title'") }
        var p = PaperRecord(id: "openalex:" + strip(rawID), title: title)
        p.abstract = w.abstract_inverted_index.map(abstract(from:)).flatMap { $0.isEmpty ? nil : $0 }
        p.year = w.publication_year
        p.venue = w.primary_location?.source?.display_name
        p.url = w.doi ?? w.primary_location?.landing_page_url
        p.source = "openalex"
        let people = (w.authorships ?? []).compactMap { a -> (name: String, a: Wire.Authorship)? in
            guard let name = a.author?.display_name ?? a.raw_author_name, !name.isEmpty else { return nil }
            return (name, a)
        }
        if !people.isEmpty {
            p.authors = people.map(\.name)
            p.authorIDs = people.map { $0.a.author?.id.map { "openalex:" + strip($0) } }
        }
        var extra: [String: Any] = [:]
        if let doi = w.doi { extra["doi"] = strip(doi) }
        if people.contains(where: { $0.a.author?.orcid != nil }) {
            extra["author_orcids"] = people.map { $0.a.author?.orcid.map { "orcid:" + strip($0) } ?? NSNull() as Any }
        }
        if people.contains(where: { !($0.a.institutions ?? []).isEmpty }) {
            extra["author_institutions"] = people.map { person in
                (person.a.institutions ?? []).map { i -> [String: Any] in
                    var o: [String: Any] = [:]
                    if let id = i.id { o["id"] = "openalex:" + strip(id) }
                    if let ror = i.ror { o["ror"] = strip(ror) }
                    if let name = i.display_name { o["name"] = name }
                    return o
                }
            }
        }
        p.extraFields = ImportError.json(extra)
        return p
    }

    /// The text of an inverted index: every word at every one of its positions, in order.
    static func abstract(from index: [String: [Int]]) -> String {
        var placed: [(Int, String)] = []
        for (word, positions) in index { for i in positions { placed.append((i, word)) } }
        placed.sort { $0.0 < $1.0 }
        return Whitespace.collapse(placed.map(\.1).joined(separator: " "))
    }

    /// The last path piece of an OpenAlex, ORCID, ROR or DOI URL ("https://doi.org/10.1/x" keeps "10.1/x").
    static func strip(_ url: String) -> String {
        for prefix in ["https://openalex.org/", "https://orcid.org/", "https://ror.org/", "https://doi.org/", "http://"] where url.hasPrefix(prefix) {
            return String(url.dropFirst(prefix.count))
        }
        return url
    }
}
