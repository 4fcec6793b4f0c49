import Embedding
import Foundation
import Storage

/// A draft as a researcher gives it: title, optional abstract and authors.
public struct Draft: Sendable, Equatable {
    public var title: String
    public var abstract: String?
    public var authors: [String]

    public init(title: String, abstract: String? = nil, authors: [String] = []) throws {
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty || !(abstract ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ProfileError("the draft is empty: give a title or an abstract")
        }
        self.title = t; self.abstract = abstract; self.authors = authors
    }

    /// What the embedder sees, the same as for stored papers: title, then abstract.
    public var text: String { PaperRecord.embeddingText(title: title, abstract: abstract) }
}

/// One similar paper, as `refer similar --json` and `POST /v1/similar` give it.
public struct SimilarPaper: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// Cosine similarity to the draft.
    public var score: Double
    public var venue: String?
    public var year: Int?
    public var authors: [String]
}

/// `{"papers": [...]}`: the answer of `refer similar --json` and `POST /v1/similar`.
public struct SimilarAnswer: Codable, Sendable, Equatable {
    public var papers: [SimilarPaper]
    public init(papers: [SimilarPaper]) { self.papers = papers }
}

/// Restricts similar papers by year range and venue (case-insensitive).
public struct PaperFilter: Sendable, Equatable {
    public var yearFrom: Int?
    public var yearTo: Int?
    public var venues: Set<String>

    public init(yearFrom: Int? = nil, yearTo: Int? = nil, venues: [String] = []) {
        self.yearFrom = yearFrom; self.yearTo = yearTo; self.venues = Set(venues.map { $0.lowercased() })
    }

    public var isEmpty: Bool { yearFrom == nil && yearTo == nil && venues.isEmpty }

    public func accepts(_ p: PaperRecord) -> Bool {
        if let from = yearFrom, (p.year ?? Int.min) < from { return false }
        if let to = yearTo, (p.year ?? Int.max) > to { return false }
        if !venues.isEmpty, !venues.contains((p.venue ?? "").lowercased()) { return false }
        return true
    }
}

/// The papers of a store closest to a draft.
public struct SimilarPapers: Sendable {
    public let searcher: StoreSearcher
    public let embedder: Embedder

    public init(searcher: StoreSearcher, embedder: Embedder) { self.searcher = searcher; self.embedder = embedder }

    /// The `k` most similar papers passing `filter`, most similar first. With a filter,
    /// the search widens (4x, up to the whole store) until k papers pass or none are left.
    public func similar(to draft: Draft, k: Int = 10, filter: PaperFilter = PaperFilter()) throws -> [SimilarPaper] {
        guard k >= 1 else { throw ProfileError("k must be at least 1, got \(k)") }
        let vector = embedder.embed(draft.text)
        return try similar(to: vector, k: k, filter: filter)
    }

    public func similar(to vector: [Float], k: Int, filter: PaperFilter = PaperFilter()) throws -> [SimilarPaper] {
        let total = searcher.paperCount
        guard total > 0 else { return [] }
        var fetch = min(total, filter.isEmpty ? k : 4 * k)
        while true {
            let hits = try searcher.similar(to: vector, k: fetch, ef: max(64, fetch))
            var out: [SimilarPaper] = []
            for h in hits {
                guard let p = try searcher.paper(h.paperID), filter.accepts(p) else { continue }
                out.append(SimilarPaper(id: p.id, title: p.title, score: Double(1 - h.distance), venue: p.venue, year: p.year,
                                        authors: p.authors ?? []))
                if out.count == k { return out }
            }
            if fetch >= total { return out }
            fetch = min(total, fetch * 4)
        }
    }
}
