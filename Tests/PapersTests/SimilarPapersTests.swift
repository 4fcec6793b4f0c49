import Embedding
import Foundation
import Storage
import Testing
@testable import Papers

/// Similar papers over a store of the bundled aisys2023 corpus.
@Suite(.serialized) struct SimilarPapersTests {
    static var embedder: Embedder { Fixtures.embedder }
    static var store: PaperStore { Fixtures.aisysStore }

    @Test("a draft with a stored paper's title finds that paper first; scores fall; k is honoured")
    func ownTitleFirst() throws {
        let finder = SimilarPapers(searcher: try Self.store.searcher(), embedder: Self.embedder)
        let hits = try finder.similar(to: try Draft(title: "Ray: A Distributed Framework for Emerging AI Applications"), k: 5)
        #expect(hits.count == 5)
        #expect(hits[0].title == "Ray: A Distributed Framework for Emerging AI Applications")
        #expect(hits[0].score > 0.999 && hits[0].venue == "OSDI" && hits[0].year == 2018)
        #expect(hits[0].authors.first == "Philipp Moritz")
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test("year and venue filters hold, and still give k papers when enough pass")
    func filters() throws {
        let finder = SimilarPapers(searcher: try Self.store.searcher(), embedder: Self.embedder)
        let draft = try Draft(title: "Scheduling deep learning jobs on GPU clusters")
        let recent = try finder.similar(to: draft, k: 8, filter: PaperFilter(yearFrom: 2022))
        #expect(recent.count == 8 && recent.allSatisfy { ($0.year ?? 0) >= 2022 })
        let sc = try finder.similar(to: draft, k: 3, filter: PaperFilter(yearTo: 2021, venues: ["sc"]))
        #expect(sc.count == 3 && sc.allSatisfy { $0.venue == "SC" && ($0.year ?? 9999) <= 2021 })
        let none = try finder.similar(to: draft, k: 3, filter: PaperFilter(venues: ["nowhere"]))
        #expect(none.isEmpty)
    }

    @Test("an empty draft and k = 0 are refused with a reason")
    func badInput() throws {
        #expect(throws: ProfileError("the draft is empty: give a title or an abstract")) { try Draft(title: "  ", abstract: "\n") }
        let finder = SimilarPapers(searcher: try Self.store.searcher(), embedder: Self.embedder)
        #expect(throws: ProfileError("k must be at least 1, got 0")) { try finder.similar(to: try Draft(title: "x"), k: 0) }
    }
}
