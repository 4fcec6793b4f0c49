import Foundation
import Names
import Storage

/// A person as the store knows them, gathered from their papers: the ids the sources
/// give them, the spellings of their name, their papers, co-authors with years, and
/// affiliations with years (from imports that carry institutions). `refer people`.
///
/// Found by an author id (`openalex:A…`, `s2:…`, `dblp:…`, `orcid:…`): the papers that give
/// that id, merged across sources through the ids the person carries on them (an OpenAlex
/// authorship's ORCID finds the DBLP papers filed under that ORCID, and theirs further ids),
/// or by a name (every spelling ``PersonName/mayBe(_:)`` accepts, so homonyms without ids are
/// one record: the ids listed tell them apart).
public struct PersonRecord: Codable, Sendable, Equatable {
    public var query: String
    public var ids: [String]
    public var name_variants: [Variant]
    public var papers: [Paper]
    public var coauthors: [Coauthor]
    public var affiliations: [Affiliation]

    public struct Variant: Codable, Sendable, Equatable { public var name: String; public var papers: Int }
    public struct Paper: Codable, Sendable, Equatable { public var id: String; public var title: String; public var year: Int?; public var venue: String? }
    public struct Coauthor: Codable, Sendable, Equatable {
        public var name: String
        public var papers: Int
        public var first_year: Int?
        public var last_year: Int?
    }
    /// An institution with the years the papers show the person there (``Institution``).
    public typealias Affiliation = Institution

    /// Whether `query` is an author id rather than a name: a source prefix and a colon.
    public static func isID(_ query: String) -> Bool {
        guard let colon = query.firstIndex(of: ":") else { return false }
        return ["openalex", "s2", "dblp", "orcid", "arxiv", "openreview", "easychair"].contains(String(query[..<colon]))
    }

    /// The person `query` names (an author id or a name), or nil when no stored paper lists them.
    public init?(_ query: String, in searcher: StoreSearcher) throws {
        let byID = Self.isID(query), person = PersonName(query)
        var records: [(PaperRecord, [Int])] = []
        if byID {
            // The person's ids, closed over the papers that carry any of them.
            var known: Set<String> = [query], open = [query], papers: [String: PaperRecord] = [:]
            while let id = open.popLast(), known.count <= Self.maxMergedIDs {
                for pid in try searcher.papers(byAuthorID: id) where papers[pid] == nil {
                    guard let p = try searcher.paper(pid) else { continue }
                    papers[pid] = p
                    let carried = Self.authorIDs(of: p)
                    for i in Self.places(in: carried, of: known) {
                        for other in carried[i] where known.insert(other).inserted { open.append(other) }
                    }
                }
            }
            for p in papers.values.sorted(by: { $0.id < $1.id }) {
                let mine = Self.places(in: Self.authorIDs(of: p), of: known)
                if !mine.isEmpty { records.append((p, mine)) }
            }
        } else {
            for id in try searcher.papers(by: person) {
                guard let p = try searcher.paper(id) else { continue }
                let mine = (p.authors ?? []).indices.filter { PersonName(p.authors![$0]).mayBe(person) }
                if !mine.isEmpty { records.append((p, mine)) }
            }
        }
        guard !records.isEmpty else { return nil }
        self.query = query
        var idSet = Set<String>(), variants: [String: Int] = [:], coauthors: [String: Coauthor] = [:]
        func span(_ a: Int?, _ b: Int?, _ f: (Int, Int) -> Int) -> Int? { a.flatMap { x in b.map { f(x, $0) } ?? x } ?? b }
        for (p, mine) in records {
            let carried = Self.authorIDs(of: p)
            for i in mine {
                variants[p.authors![i], default: 0] += 1
                idSet.formUnion(carried[i])
            }
            for (j, name) in (p.authors ?? []).enumerated() where !mine.contains(j) {
                var c = coauthors[name] ?? Coauthor(name: name, papers: 0)
                c.papers += 1
                c.first_year = span(c.first_year, p.year, min); c.last_year = span(c.last_year, p.year, max)
                coauthors[name] = c
            }
        }
        self.ids = idSet.sorted()
        name_variants = variants.map { Variant(name: $0.key, papers: $0.value) }.sorted { ($0.papers, $1.name) > ($1.papers, $0.name) }
        papers = records.map { Paper(id: $0.0.id, title: $0.0.title, year: $0.0.year, venue: $0.0.venue) }
            .sorted { ($0.year ?? 0, $1.id) > ($1.year ?? 0, $0.id) }
        self.coauthors = coauthors.values.sorted { ($0.papers, $0.last_year ?? 0, $1.name) > ($1.papers, $1.last_year ?? 0, $0.name) }
        affiliations = Institution.spans(of: records.map { (paper: $0.0, positions: $0.1) })
    }

    /// Ids merged into one person at most (a source that gave one id to many people stops here).
    static let maxMergedIDs = 16

    /// The ids a paper gives each of its authors: the source's id and the ORCID an import kept
    /// beside it (`author_orcids`), read once per paper.
    static func authorIDs(of p: PaperRecord) -> [[String]] {
        let orcids = p.extraFields.flatMap { $0.contains("\"author_orcids\"") ? $0 : nil }
            .flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["author_orcids"] as? [Any]
        return (p.authors ?? []).indices.map { i in [p.authorIDs?[safe: i] ?? nil, orcids?[safe: i] as? String].compactMap { $0 } }
    }

    /// The places whose author carries one of `known`.
    static func places(in carried: [[String]], of known: Set<String>) -> [Int] {
        carried.indices.filter { carried[$0].contains(where: known.contains) }
    }

    init(query: String, ids: [String], name_variants: [Variant], papers: [Paper], coauthors: [Coauthor], affiliations: [Affiliation]) {
        self.query = query; self.ids = ids; self.name_variants = name_variants; self.papers = papers
        self.coauthors = coauthors; self.affiliations = affiliations
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
