import Dispatch
import Embedding
import Foundation
import Papers
import Storage

/// The server's view of one store: a searcher on the latest committed snapshot
/// (renewed when a writer such as `refer ingest` commits), the committee kept in the
/// store, and the embedder behind a batcher. Every call is safe from many requests.
final class QueryService: @unchecked Sendable {
    let store: PaperStore
    let embedder: Embedder
    let batcher: EmbeddingBatcher
    let limits: RequestLimits
    let declared: DeclaredConflicts
    let observeSearch: @Sendable (StoreSearchCost) -> Void
    private let lock = NSLock()
    private var current: (generation: UInt64, searcher: StoreSearcher, committee: Committee?)
    /// Assignments are whole-conference jobs: one at a time, off the async executor.
    private let assignQueue = DispatchQueue(label: "refer.assign")

    init(store: PaperStore, embedder: Embedder, limits: RequestLimits, declared: DeclaredConflicts = DeclaredConflicts(),
         observeEmbedding: @escaping @Sendable (Int, Double) -> Void, observeSearch: @escaping @Sendable (StoreSearchCost) -> Void = { _ in }) throws {
        self.store = store; self.embedder = embedder; self.limits = limits; self.declared = declared; self.observeSearch = observeSearch
        batcher = EmbeddingBatcher(embedder: embedder, observe: observeEmbedding)
        let searcher = try store.searcher()
        current = (try store.generation(), searcher, try Committee.stored(in: searcher))
    }

    /// The searcher and committee of the newest committed state.
    func view() throws -> (searcher: StoreSearcher, committee: Committee?) {
        let generation = try store.generation()
        lock.lock(); defer { lock.unlock() }
        if generation != current.generation {
            let searcher = try store.searcher()
            current = (generation, searcher, try Committee.stored(in: searcher))
        }
        return (current.searcher, current.committee)
    }

    var paperCount: Int { (try? view().searcher.paperCount) ?? 0 }

    func similar(_ request: DraftRequest) async throws -> SimilarAnswer {
        let (draft, k) = try request.validated(limits)
        let searcher = try view().searcher
        try Self.check(request.effort, on: searcher)
        let vector = await batcher.embed(draft.text)
        let (papers, cost) = try SimilarPapers(searcher: searcher, embedder: embedder).similar(to: vector, k: k, filter: request.filter, effort: request.effort)
        observeSearch(cost)
        return SimilarAnswer(papers: papers)
    }

    /// A recall the store was not tuned for is the request's fault (422), said before embedding.
    static func check(_ effort: SearchEffort, on searcher: StoreSearcher) throws {
        do { try searcher.validate(effort) } catch let e as StoreError { throw APIError(.unprocessableContent, "not_tuned", e.description) }
    }

    func reviewers(_ request: DraftRequest) async throws -> ReviewerAnswer {
        let (draft, k) = try request.validated(limits)
        var finder = try reviewerFinder(conflictYears: request.conflict_years)
        finder.effort = request.effort
        try Self.check(request.effort, on: finder.searcher)
        let vector = await batcher.embed(draft.text)
        var timing = ReviewerTiming()
        let answer = try finder.reviewers(for: vector, authors: draft.authors, k: k, timing: &timing)
        if let cost = timing.searchCost { observeSearch(cost) }
        return answer
    }

    func assign(_ request: AssignRequest) async throws -> ConferenceAssignment {
        let (papers, rules, top) = try request.validated(limits)
        let finder = try reviewerFinder(conflictYears: nil)
        return try await withCheckedThrowingContinuation { done in
            assignQueue.async {
                done.resume(with: Result {
                    do { return try ConferenceAssignment(submissions: Submissions(papers: papers), finder: finder, rules: rules, top: top) }
                    catch let e as ProfileError { throw APIError(.unprocessableContent, "cannot_assign", e.description) }
                    catch let e as ConferenceInfeasible { throw APIError(.unprocessableContent, "infeasible", e.description) }
                })
            }
        }
    }

    /// The stored record of a paper as canonical JSON, or nil.
    func paperJSON(_ id: String) throws -> String? { try view().searcher.paper(id)?.canonicalJSON() }

    private func reviewerFinder(conflictYears: Int?) throws -> ReviewerFinder {
        let (searcher, committee) = try view()
        var policy = conflictYears.map { ConflictPolicy(coauthorYears: $0 == 0 ? nil : $0) } ?? ConflictPolicy()
        policy.declared = declared
        return ReviewerFinder(searcher: searcher, embedder: embedder, committee: committee, conflicts: policy)
    }
}
