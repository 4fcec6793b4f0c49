import Embedding
import Foundation
import Kernels
import Storage

/// One suggested reviewer, as `refer reviewers --json` and `POST /v1/reviewers` give it.
public struct ReviewerSuggestion: Codable, Sendable, Equatable {
    public var name: String
    /// The expertise score (``ExpertiseScore``) of the reviewer for the draft.
    public var score: Double
    /// The reviewer's papers most similar to the draft, most similar first (3 at most).
    public var evidence: [Evidence]

    public struct Evidence: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        /// Cosine similarity of the paper to the draft.
        public var score: Double
    }
}

/// A reviewer left out because of a conflict of interest.
public struct ReviewerExclusion: Codable, Sendable, Equatable {
    public var name: String
    public var reason: String
}

/// `{"reviewers": [...], "excluded": [...]}`.
public struct ReviewerAnswer: Codable, Sendable, Equatable {
    public var reviewers: [ReviewerSuggestion]
    public var excluded: [ReviewerExclusion]
}

/// Suggests reviewers for a draft: from a committee, or when there is none, from the
/// authors of the stored papers most similar to the draft (each scored on all their
/// stored papers). Conflicted reviewers are never suggested and are listed with why.
public struct ReviewerFinder: Sendable {
    public let searcher: StoreSearcher
    public let embedder: Embedder
    public var committee: Committee?
    public var scoring: ExpertiseScore
    public var conflicts: ConflictPolicy
    /// Without a committee: the candidates are the authors of this many papers.
    public var candidatePapers = 100

    public init(searcher: StoreSearcher, embedder: Embedder, committee: Committee?,
                scoring: ExpertiseScore = .default, conflicts: ConflictPolicy = ConflictPolicy()) {
        self.searcher = searcher; self.embedder = embedder; self.committee = committee
        self.scoring = scoring; self.conflicts = conflicts
    }

    public func reviewers(for draft: Draft, k: Int = 10) throws -> ReviewerAnswer {
        guard k >= 1 else { throw ProfileError("k must be at least 1, got \(k)") }
        return try reviewers(for: embedder.embed(draft.text), authors: draft.authors, k: k)
    }

    /// Reviewers for a draft already embedded; `authors` as in ``ConflictPolicy/Author``.
    public func reviewers(for vector: [Float], authors: [String], k: Int) throws -> ReviewerAnswer {
        let scored = try scoredMembers(for: vector, authors: authors)
        let ranked = scored.suggestions.sorted { ($0.score, $1.name) > ($1.score, $0.name) }
        return ReviewerAnswer(reviewers: Array(ranked.prefix(k)), excluded: scored.excluded)
    }

    /// Every candidate's suggestion (unsorted) and every conflicted candidate.
    func scoredMembers(for vector: [Float], authors: [String]) throws -> (suggestions: [ReviewerSuggestion], excluded: [ReviewerExclusion]) {
        let members = try committee?.members ?? corpusCandidates(near: vector)
        let draftAuthors = authors.map(ConflictPolicy.Author.init).filter { !$0.name.isEmpty }
        let draft = try ConflictPolicy.DraftAuthors(draftAuthors) { name in
            try searcher.papers(byAuthor: name).compactMap { try searcher.paper($0) }
        }
        var suggestions: [ReviewerSuggestion] = [], excluded: [ReviewerExclusion] = []
        for m in members {
            if let reason = conflicts.conflict(of: m, with: draft) {
                excluded.append(ReviewerExclusion(name: m.profile.name, reason: reason))
                continue
            }
            suggestions.append(suggestion(for: m, vector: vector))
        }
        return (suggestions, excluded)
    }

    func suggestion(for m: Committee.Member, vector: [Float]) -> ReviewerSuggestion {
        let sims = m.vectors.map { Distance.dot(vector, $0) }
        let years = m.profile.publications.map(\.year)
        let paperSimilarity = { (i: Int, j: Int) in Distance.dot(m.vectors[i], m.vectors[j]) }
        let score = scoring.score(sims, years: years, paperSimilarity: paperSimilarity)
        // The evidence is the three papers a top-3 score rests on (distinct works, as the score sees them).
        var shown = scoring
        shown.aggregation = .top3Mean
        let top = shown.evidence(sims, years: years, paperSimilarity: paperSimilarity).map(\.index)
        return ReviewerSuggestion(name: m.profile.name, score: Double(score), evidence: top.map {
            .init(id: m.paperIDs[$0], title: m.profile.publications[$0].title, score: Double(sims[$0]))
        })
    }

    /// The authors of the stored papers nearest the draft, each with all their stored papers.
    func corpusCandidates(near vector: [Float]) throws -> [Committee.Member] {
        let hits = try searcher.similar(to: vector, k: min(candidatePapers, max(1, searcher.paperCount)), ef: max(64, candidatePapers))
        var seen = Set<String>(), members: [Committee.Member] = []
        for h in hits {
            guard let paper = try searcher.paper(h.paperID) else { continue }
            for name in paper.authors ?? [] where seen.insert(normalizedAuthorName(name)).inserted {
                var pubs: [ReviewerProfile.Publication] = [], ids: [String] = [], vectors: [[Float]] = []
                for id in try searcher.papers(byAuthor: name) {
                    guard let p = try searcher.paper(id), let v = try searcher.vector(ofPaper: id) else { continue }
                    pubs.append(.init(title: p.title, venue: p.venue, year: p.year, authors: p.authors ?? [], abstract: nil))
                    ids.append(id); vectors.append(v)
                }
                guard !pubs.isEmpty else { continue }
                members.append(.init(profile: ReviewerProfile(name: name, publications: pubs), paperIDs: ids, vectors: vectors))
            }
        }
        return members
    }
}
