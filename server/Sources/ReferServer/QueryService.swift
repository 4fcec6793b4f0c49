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
    private let lock = NSLock()
    private var current: (generation: UInt64, searcher: StoreSearcher, committee: Committee?)
    /// Assignments are whole-conference jobs: one at a time, off the async executor.
    private let assignQueue = DispatchQueue(label: "refer.assign")

    init(store: PaperStore, embedder: Embedder, limits: RequestLimits, declared: DeclaredConflicts = DeclaredConflicts(), observeEmbedding: @escaping @Sendable (Int, Double) -> Void) throws {
        self.store = store; self.embedder = embedder; self.limits = limits; self.declared = declared
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
        let vector = await batcher.embed(draft.text)
        let finder = SimilarPapers(searcher: try view().searcher, embedder: embedder)
        return SimilarAnswer(papers: try finder.similar(to: vector, k: k, filter: request.filter))
    }

    func reviewers(_ request: DraftRequest) async throws -> ReviewerAnswer {
        let (draft, k) = try request.validated(limits)
        let vector = await batcher.embed(draft.text)
        let finder = try reviewerFinder(conflictYears: request.conflict_years)
        return try finder.reviewers(for: vector, authors: draft.authors, k: k)
    }

    func assign(_ request: AssignRequest) async throws -> ConferenceAssignment {
        let (papers, perPaper, load, top) = try request.validated(limits)
        let finder = try reviewerFinder(conflictYears: nil)
        return try await withCheckedThrowingContinuation { done in
            assignQueue.async {
                done.resume(with: Result {
                    do { return try ConferenceAssignment(submissions: papers, finder: finder, top: top, reviewersPerPaper: perPaper, maxLoad: load) }
                    catch let e as ProfileError { throw APIError(.unprocessableContent, "cannot_assign", e.description) }
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
