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

    /// A conference from its files: they are kept in a private temporary folder for the
    /// request, read by the same calls as `refer assign`, and the answer carries the CSVs to
    /// download. Errors name the files by the names they were sent with.
    func assignFiles(_ request: AssignFilesRequest) async throws -> AssignFilesAnswer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refer-assign-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (files, committeeFile, rules, top) = try request.validated(limits, into: folder)
        let includeChairs = request.include_chairs ?? false
        let (searcher, stored) = try view()
        let embedder = self.embedder
        return try await withCheckedThrowingContinuation { done in
            assignQueue.async {
                done.resume(with: Result {
                    do {
                        var rules = rules
                        let read = try files.load(into: &rules)
                        let committee = try committeeFile.map { try Committee.resolve(files: [$0], searcher: searcher, embedder: embedder, includeChairs: includeChairs) } ?? stored
                        let finder = self.reviewerFinder(searcher: searcher, committee: committee, conflictYears: nil)
                        var result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules, top: top)
                        // Reasons cite FILE:LINE; the chair knows the file by the name it was sent with.
                        for i in result.suggestions.indices {
                            for j in result.suggestions[i].excluded.indices {
                                result.suggestions[i].excluded[j].reason = result.suggestions[i].excluded[j].reason.replacingOccurrences(of: folder + "/", with: "")
                            }
                        }
                        result.stats.notes = result.stats.notes.map { $0.replacingOccurrences(of: folder + "/", with: "") }
                        for i in result.stats.skipped_submissions.indices {
                            result.stats.skipped_submissions[i].reason = result.stats.skipped_submissions[i].reason.replacingOccurrences(of: folder + "/", with: "")
                        }
                        var downloads = AssignFilesAnswer.Downloads(csv: result.csv)
                        do { downloads.matcher_csv = try result.matcherFiles(committee: committee!).scores } catch { downloads.matcher_csv_problem = "\(error)" }
                        do { downloads.hotcrp_csv = try result.hotcrpCSV() } catch { downloads.hotcrp_csv_problem = "\(error)" }
                        return AssignFilesAnswer(result: result, downloads: downloads)
                    } catch let e as ProfileError {
                        throw APIError(.unprocessableContent, "cannot_assign", e.description.replacingOccurrences(of: folder + "/", with: ""))
                    } catch let e as InputRefusal {
                        throw APIError(.unprocessableContent, "cannot_assign", e.description.replacingOccurrences(of: folder + "/", with: ""))
                    } catch let e as ConferenceInfeasible {
                        throw APIError(.unprocessableContent, "infeasible", e.description.replacingOccurrences(of: folder + "/", with: ""))
                    }
                })
            }
        }
    }

    /// The stored record of a paper as canonical JSON, or nil.
    func paperJSON(_ id: String) throws -> String? { try view().searcher.paper(id)?.canonicalJSON() }

    private func reviewerFinder(conflictYears: Int?) throws -> ReviewerFinder {
        let (searcher, committee) = try view()
        return reviewerFinder(searcher: searcher, committee: committee, conflictYears: conflictYears)
    }

    /// A finder with the server's declared conflicts and the request's window.
    private func reviewerFinder(searcher: StoreSearcher, committee: Committee?, conflictYears: Int?) -> ReviewerFinder {
        var policy = conflictYears.map { ConflictPolicy(coauthorYears: $0 == 0 ? nil : $0) } ?? ConflictPolicy()
        policy.declared = declared
        return ReviewerFinder(searcher: searcher, embedder: embedder, committee: committee, conflicts: policy)
    }
}

/// A conference's assignment (``ConferenceAssignment``'s fields) and its files to download.
struct AssignFilesAnswer: Encodable {
    struct Downloads: Encodable {
        var csv: String
        /// openreview-matcher's scores (headerless, every eligible pair), when every member has an OpenReview id.
        var matcher_csv: String?
        /// Why there is no matcher file (a member without an OpenReview id).
        var matcher_csv_problem: String?
        var hotcrp_csv: String?
        /// Why there is no HotCRP file (a reviewer without an e-mail).
        var hotcrp_csv_problem: String?
    }

    var result: ConferenceAssignment
    var downloads: Downloads

    enum Key: String, CodingKey { case downloads }

    func encode(to encoder: Encoder) throws {
        try result.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(downloads, forKey: .downloads)
    }
}
