import Assignment
import Foundation
import Papers
import Storage

/// What the server accepts; anything beyond is refused with 400 or 413 before work starts.
public struct RequestLimits: Sendable, Equatable {
    /// Bytes of a query body (`/v1/similar`, `/v1/reviewers`).
    public var queryBodyBytes = 256 * 1024
    /// Bytes of an assignment body (`/v1/assign`).
    public var assignBodyBytes = 8 * 1024 * 1024
    public var maxK = 100
    public var titleCharacters = 1_000
    public var abstractCharacters = 20_000
    public var authors = 100
    public var submissions = 2_000
    public init() {}
}

/// `{"title", "abstract", "authors": [...], "k"}`, `recall` (a tuned target) or `ef`
/// (plus, for similar papers, `year_from`, `year_to`, `venues`, `by_authors`; for
/// reviewers, `conflict_years`).
struct DraftRequest: Decodable {
    var title: String?
    var abstract: String?
    var authors: [String]?
    var k: Int?
    var year_from: Int?
    var year_to: Int?
    var venues: [String]?
    var by_authors: [String]?
    var conflict_years: Int?
    var recall: Double?
    var ef: Int?

    /// The draft, or the first problem with a field.
    func validated(_ limits: RequestLimits) throws(APIError) -> (draft: Draft, k: Int) {
        let k = self.k ?? 10
        guard (1...limits.maxK).contains(k) else { throw .invalidField("k", "must be from 1 to \(limits.maxK), got \(k)") }
        if let t = title, t.count > limits.titleCharacters { throw .invalidField("title", "longer than \(limits.titleCharacters) characters") }
        if let a = abstract, a.count > limits.abstractCharacters { throw .invalidField("abstract", "longer than \(limits.abstractCharacters) characters") }
        let names = (authors ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count <= limits.authors else { throw .invalidField("authors", "more than \(limits.authors) names") }
        if let years = conflict_years, years < 0 { throw .invalidField("conflict_years", "must be 0 or more, got \(years)") }
        // The store's rule for recall and ef (one of them, in range), then the server's cap on ef.
        do { _ = try SearchEffort.of(recall: recall, ef: ef) } catch { throw .invalidField(ef != nil && recall == nil ? "ef" : "recall", "\(error)") }
        if let e = ef, e > 10_000 { throw .invalidField("ef", "must be at most 10000, got \(e)") }
        do { return (try Draft(title: title ?? "", abstract: abstract, authors: names), k) }
        catch { throw .invalidField("title", "\(error)") }
    }

    var filter: PaperFilter { PaperFilter(yearFrom: year_from, yearTo: year_to, venues: venues ?? [], authors: by_authors ?? []) }

    /// The search effort asked for (validated already).
    var effort: SearchEffort { ef.map { .ef($0) } ?? .recall(recall) }
}

/// `{"submissions": [{"id", "title", "abstract", "authors"}], "reviewers_per_paper", "max_load", "top"}`.
struct AssignRequest: Decodable {
    struct Submission: Decodable { var id: String; var title: String; var abstract: String?; var authors: [String]? }
    var submissions: [Submission]
    var reviewers_per_paper: Int?
    var min_load: Int?
    var max_load: Int?
    var objective: String?
    var top: Int?

    func validated(_ limits: RequestLimits) throws(APIError) -> (papers: [PaperRecord], rules: ConferenceRules, top: Int) {
        guard !submissions.isEmpty else { throw .invalidField("submissions", "empty") }
        guard submissions.count <= limits.submissions else { throw .invalidField("submissions", "more than \(limits.submissions)") }
        var seen = Set<String>()
        for (i, s) in submissions.enumerated() {
            guard !s.id.isEmpty, seen.insert(s.id).inserted else { throw .invalidField("submissions[\(i)].id", "empty or repeated ('\(s.id)')") }
            guard !s.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidField("submissions[\(i)].title", "empty") }
            guard s.title.count <= limits.titleCharacters, (s.abstract ?? "").count <= limits.abstractCharacters else {
                throw .invalidField("submissions[\(i)]", "title or abstract over the limit")
            }
        }
        let perPaper = reviewers_per_paper ?? 3, load = max_load ?? 6, least = min_load ?? 0, top = self.top ?? 10
        guard (1...20).contains(perPaper) else { throw .invalidField("reviewers_per_paper", "must be from 1 to 20, got \(perPaper)") }
        guard (1...1000).contains(load) else { throw .invalidField("max_load", "must be from 1 to 1000, got \(load)") }
        guard (0...load).contains(least) else { throw .invalidField("min_load", "must be from 0 to max_load (\(load)), got \(least)") }
        guard (1...limits.maxK).contains(top) else { throw .invalidField("top", "must be from 1 to \(limits.maxK), got \(top)") }
        guard let goal = AssignmentObjective(rawValue: objective ?? "sum") else { throw .invalidField("objective", "must be sum or fair, got '\(objective!)'") }
        var rules = ConferenceRules(reviewersPerPaper: perPaper, maxLoad: load)
        rules.minLoad = least; rules.objective = goal; rules.seconds = 30
        return (submissions.map { PaperRecord(id: $0.id, title: $0.title, abstract: $0.abstract, authors: $0.authors) }, rules, top)
    }
}

/// Decodes a request body, turning every decoding failure into a 400 that says what was wrong.
func decodeBody<T: Decodable>(_ type: T.Type, from data: Data) throws(APIError) -> T {
    guard !data.isEmpty else { throw APIError(.badRequest, "invalid_json", "the request body is empty; send a JSON object") }
    do { return try JSONDecoder().decode(T.self, from: data) }
    catch { throw APIError(.badRequest, "invalid_json", JSONErrorText.describe(error)) }
}
