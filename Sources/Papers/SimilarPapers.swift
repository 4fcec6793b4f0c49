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

/// The papers of a store closest to a draft.
public struct SimilarPapers: Sendable {
    public let searcher: StoreSearcher
    public let embedder: Embedder

    public init(searcher: StoreSearcher, embedder: Embedder) { self.searcher = searcher; self.embedder = embedder }

    /// The `k` most similar papers passing `filter`, most similar first, searched with
    /// `effort` (the store's tuned default recall unless given); the filter applies inside
    /// the search (``StoreSearcher/search(_:k:effort:filter:)``).
    public func similar(to draft: Draft, k: Int = 10, filter: PaperFilter = PaperFilter(), effort: SearchEffort = .recall(nil)) throws -> [SimilarPaper] {
        guard k >= 1 else { throw ProfileError("k must be at least 1, got \(k)") }
        let vector = embedder.embed(draft.text)
        return try similar(to: vector, k: k, filter: filter, effort: effort).papers
    }

    /// ``similar(to:k:filter:effort:)`` for a draft already embedded, with the search's cost.
    public func similar(to vector: [Float], k: Int, filter: PaperFilter = PaperFilter(),
                        effort: SearchEffort = .recall(nil)) throws -> (papers: [SimilarPaper], cost: StoreSearchCost) {
        guard searcher.index.count > 0 else { return ([], StoreSearchCost()) }
        let (hits, cost) = try searcher.search(vector, k: min(k, searcher.index.count), effort: effort, filter: filter)
        let papers = try hits.compactMap { h -> SimilarPaper? in
            guard let p = try searcher.paper(h.paperID, extraFields: false) else { return nil }
            return SimilarPaper(id: p.id, title: p.title, score: Double(1 - h.distance), venue: p.venue, year: p.year, authors: p.authors ?? [])
        }
        return (papers, cost)
    }
}
