import Embedding
import Foundation
import Names
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

/// `{"reviewers": [...], "excluded": [...]}`.
public struct ReviewerAnswer: Codable, Sendable, Equatable {
    public var reviewers: [ReviewerSuggestion]
    public var excluded: [ReviewerExclusion]
}

/// Where the time of one reviewer query went, in seconds (the benchmark prints it).
public struct ReviewerTiming: Sendable, Equatable {
    public var search = 0.0, candidates = 0.0, scoring = 0.0, conflicts = 0.0, evidence = 0.0
    /// What the index search cost (without a committee; nil with one: no search).
    public var searchCost: StoreSearchCost?
    public var total: Double { search + candidates + scoring + conflicts + evidence }
    public init() {}
}

/// Suggests reviewers for a draft: from a committee, or when there is none, from the
/// authors of the stored papers most similar to the draft, each ranked on all their
/// stored papers (``CorpusRanking``). Conflicted reviewers are never suggested and are
/// listed with the rule and its evidence.
public struct ReviewerFinder: Sendable {
    public let searcher: StoreSearcher
    public let embedder: Embedder
    public var committee: Committee? { didSet { members = Self.reviewers(committee) } }
    /// The committee's members as conflict checks see them, made once (a conference checks
    /// every member against every submission).
    private(set) var members: [ConflictPolicy.Reviewer] = []
    public var scoring: ExpertiseScore
    public var conflicts: ConflictPolicy
    /// Without a committee: the candidates are the authors of this many papers.
    public var candidatePapers = 100
    /// Without a committee: how candidates are ranked.
    public var ranking = CorpusRanking.default
    /// Papers treated as not in the store (a held-out evaluation's), never candidates' evidence.
    public var hiddenPapers: Set<String> = []
    /// How hard the search for candidate papers works (the store's tuned default unless set).
    public var effort = SearchEffort.recall(nil)

    public init(searcher: StoreSearcher, embedder: Embedder, committee: Committee?,
                scoring: ExpertiseScore = .default, conflicts: ConflictPolicy = ConflictPolicy()) {
        self.searcher = searcher; self.embedder = embedder; self.committee = committee
        members = Self.reviewers(committee)
        self.scoring = scoring; self.conflicts = conflicts
    }

    public func reviewers(for draft: Draft, k: Int = 10) throws -> ReviewerAnswer {
        guard k >= 1 else { throw ProfileError("k must be at least 1, got \(k)") }
        return try reviewers(for: embedder.embed(draft.text), authors: draft.authors, k: k)
    }

    /// Reviewers for a draft already embedded; `authors` as in ``ConflictPolicy/Author``.
    public func reviewers(for vector: [Float], authors: [String], k: Int) throws -> ReviewerAnswer {
        var timing = ReviewerTiming()
        return try reviewers(for: vector, authors: authors, k: k, timing: &timing)
    }

    /// ``reviewers(for:authors:k:)``, adding where the time went to `timing`.
    public func reviewers(for vector: [Float], authors: [String], k: Int, timing: inout ReviewerTiming) throws -> ReviewerAnswer {
        var clock = Stopwatch()
        let draft = try draftAuthors(authors)
        timing.conflicts += clock.lap()
        guard committee != nil else { return try corpusReviewers(for: vector, draft: draft, k: k, timing: &timing) }
        let scored = try scoredMembers(for: vector, draft: draft)
        timing.scoring += clock.lap()
        let ranked = scored.suggestions.sorted { ($0.score, $1.name) > ($1.score, $0.name) }
        return ReviewerAnswer(reviewers: Array(ranked.prefix(k)), excluded: scored.excluded)
    }

    static func reviewers(_ committee: Committee?) -> [ConflictPolicy.Reviewer] {
        committee?.members.map(ConflictPolicy.Reviewer.init) ?? []
    }

    /// A draft's authors (as text: ``ConflictPolicy/Author/init(_:)``) with their store papers, for conflict checks.
    func draftAuthors(_ authors: [String]) throws -> ConflictPolicy.DraftAuthors {
        try draftAuthors(authors.map(ConflictPolicy.Author.init))
    }

    /// A draft's authors with the store's papers by each, for conflict checks.
    func draftAuthors(_ authors: [ConflictPolicy.Author]) throws -> ConflictPolicy.DraftAuthors {
        try ConflictPolicy.DraftAuthors(authors.filter { !$0.name.isEmpty }, store: searcher)
    }

    /// Every committee member's suggestion (unsorted) and every conflicted member.
    func scoredMembers(for vector: [Float], authors: [ConflictPolicy.Author]) throws -> (suggestions: [ReviewerSuggestion], excluded: [ReviewerExclusion]) {
        try scoredMembers(for: vector, draft: draftAuthors(authors))
    }

    func scoredMembers(for vector: [Float], draft: ConflictPolicy.DraftAuthors) throws -> (suggestions: [ReviewerSuggestion], excluded: [ReviewerExclusion]) {
        guard let committee else { throw ProfileError("scoring every member needs a committee") }
        var suggestions: [ReviewerSuggestion] = [], excluded: [ReviewerExclusion] = []
        for (m, reviewer) in zip(committee.members, members) {
            if let conflict = conflicts.conflict(of: reviewer, with: draft) {
                excluded.append(conflict)
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

    /// Without a committee: the authors of the stored papers nearest the draft, each
    /// ranked by ``ranking`` on all their stored papers; only the top `k` are read in full.
    func corpusReviewers(for vector: [Float], draft: ConflictPolicy.DraftAuthors, k: Int,
                         timing: inout ReviewerTiming) throws -> ReviewerAnswer {
        var clock = Stopwatch()
        let wanted = min(candidatePapers + hiddenPapers.count, max(1, searcher.paperCount))
        let (found, cost) = try searcher.search(vector, k: min(wanted, candidatePapers * 2, searcher.index.count), effort: effort)
        let hits = found.filter { !hiddenPapers.contains($0.paperID) }.prefix(candidatePapers)
        timing.searchCost = cost
        timing.search += clock.lap()

        // Every author of those papers, once per spelling key, in the order met, with the ids they carry.
        var people: [ConflictPolicy.Reviewer] = [], at: [String: Int] = [:]
        for h in hits {
            for (name, id) in try searcher.authors(ofPaper: h.paperID) {
                let person = PersonName(name)
                guard !person.isEmpty else { continue }
                if let i = at[person.indexKey] { if let id { people[i].ids.insert(id) }; continue }
                at[person.indexKey] = people.count
                people.append(ConflictPolicy.Reviewer(name: NameText.clean(name), ids: Set([id].compactMap { $0 })))
            }
        }
        // "J. Doe" is left out where "Jane Doe" is a candidate: the fuller name already finds those papers.
        let all = people
        people.removeAll { p in
            p.person.given.count == 1 && all.contains { $0.person.family == p.person.family && $0.person.given.count > 1 && $0.person.mayBe(p.person) }
        }
        timing.candidates += clock.lap()

        var excluded: [ReviewerExclusion] = [], eligible: [ConflictPolicy.Reviewer] = []
        for p in people {
            if let conflict = conflicts.conflict(of: p, with: draft) { excluded.append(conflict) } else { eligible.append(p) }
        }
        timing.conflicts += clock.lap()

        var ranked: [(reviewer: ConflictPolicy.Reviewer, score: Float, papers: [String], nodes: [UInt32], similarities: [Float])] = []
        for p in eligible {
            let (ids, nodes, sims) = try searcher.similarities(of: vector, toPapers: searcher.papers(by: p.person).filter { !hiddenPapers.contains($0) })
            guard let score = ranking.score(sims, paperSimilarity: { searcher.similarity(between: nodes[$0], and: nodes[$1]) }) else { continue }
            ranked.append((p, score, ids, nodes, sims))
        }
        ranked.sort { ($0.score, $1.reviewer.name) > ($1.score, $0.reviewer.name) }
        timing.scoring += clock.lap()

        // Institutions come from each candidate's papers: read only for those about to be
        // suggested, in rank order, and only when the draft's authors have any.
        if draft.hasInstitutions {
            var kept: [(reviewer: ConflictPolicy.Reviewer, score: Float, papers: [String], nodes: [UInt32], similarities: [Float])] = []
            for var r in ranked {
                guard kept.count < k else { break }
                r.reviewer.institutions = try institutions(of: r.reviewer, papers: r.papers)
                if let conflict = conflicts.institutionConflict(of: r.reviewer, with: draft) { excluded.append(conflict) } else { kept.append(r) }
            }
            ranked = kept
            timing.conflicts += clock.lap()
        }

        let suggestions = try ranked.prefix(k).map { r in
            let shown = ranking.evidence(r.similarities, count: 3, paperSimilarity: { searcher.similarity(between: r.nodes[$0], and: r.nodes[$1]) })
            return ReviewerSuggestion(name: r.reviewer.name, score: Double(r.score), evidence: try shown.map { i in
                .init(id: r.papers[i], title: try searcher.paper(r.papers[i], extraFields: false)?.title ?? "", score: Double(r.similarities[i]))
            })
        }
        timing.evidence += clock.lap()
        return ReviewerAnswer(reviewers: suggestions, excluded: excluded)
    }
}

extension ReviewerFinder {
    /// The institutions of a person found in the store, from their stored papers `ids` (their
    /// place on each: one of their ids, else their name), with years.
    func institutions(of person: ConflictPolicy.Reviewer, papers ids: [String]) throws -> [Institution] {
        Institution.spans(of: try ids.compactMap { try searcher.paper($0) }.map {
            (paper: $0, positions: AuthorPlace.positions(of: person.person, ids: person.ids, on: AuthorPlace.Listed($0)))
        })
    }
}

/// Seconds between laps, on the monotonic clock.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
}
