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
        let (rules, top) = try validatedRules(limits)
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
        return (submissions.map { PaperRecord(id: $0.id, title: $0.title, abstract: $0.abstract, authors: $0.authors) }, rules, top)
    }

    /// The numbers every assignment request shares: reviewers per paper, loads, objective, top.
    func validatedRules(_ limits: RequestLimits) throws(APIError) -> (rules: ConferenceRules, top: Int) {
        let perPaper = reviewers_per_paper ?? 3, load = max_load ?? 6, least = min_load ?? 0, top = self.top ?? 10
        guard (1...20).contains(perPaper) else { throw .invalidField("reviewers_per_paper", "must be from 1 to 20, got \(perPaper)") }
        guard (1...1000).contains(load) else { throw .invalidField("max_load", "must be from 1 to 1000, got \(load)") }
        guard (0...load).contains(least) else { throw .invalidField("min_load", "must be from 0 to max_load (\(load)), got \(least)") }
        guard (1...limits.maxK).contains(top) else { throw .invalidField("top", "must be from 1 to \(limits.maxK), got \(top)") }
        guard let goal = AssignmentObjective(rawValue: objective ?? "sum") else { throw .invalidField("objective", "must be sum or fair, got '\(objective!)'") }
        var rules = ConferenceRules(reviewersPerPaper: perPaper, maxLoad: load)
        rules.minLoad = least; rules.objective = goal; rules.seconds = 30
        return (rules, top)
    }
}

/// Decodes a request body, turning every decoding failure into a 400 that says what was wrong.
func decodeBody<T: Decodable>(_ type: T.Type, from data: Data) throws(APIError) -> T {
    guard !data.isEmpty else { throw APIError(.badRequest, "invalid_json", "the request body is empty; send a JSON object") }
    do { return try JSONDecoder().decode(T.self, from: data) }
    catch { throw APIError(.badRequest, "invalid_json", JSONErrorText.describe(error)) }
}

/// `POST /v1/assign/files`: a conference's files as the chair's system exported them,
/// sent by the web page's assignment view (each as its name and text).
struct AssignFilesRequest: Decodable {
    struct File: Decodable { var name: String; var text: String }
    var submissions: File
    var format: String?
    /// A committee table or profiles; default: the store's committee.
    var committee: File?
    var bids: File?
    var loads: File?
    var groups: File?
    var group_min: [String]?
    var conflicts: File?
    /// The venue's own affinities (``ConferenceAffinities``).
    var affinities: File?
    /// The conference's year: the conflict window counts back from it.
    var as_of: Int?
    var include_withdrawn: Bool?
    /// Chairs in a PC table review too.
    var include_chairs: Bool?
    var reviewers_per_paper: Int?
    var min_load: Int?
    var max_load: Int?
    var objective: String?
    var top: Int?

    /// The files written into `folder` under their own base names (so errors name them as
    /// the chair knows them) and the rules.
    func validated(_ limits: RequestLimits, into folder: String) throws -> (files: ConferenceFiles, committee: String?, rules: ConferenceRules, top: Int) {
        guard let format = Submissions.Format(rawValue: format ?? "auto") else {
            throw APIError.invalidField("format", "must be one of \(Submissions.Format.allCases.map(\.rawValue).joined(separator: ", ")), got '\(self.format!)'")
        }
        let common = AssignRequest(submissions: [], reviewers_per_paper: reviewers_per_paper, min_load: min_load, max_load: max_load, objective: objective, top: top)
        var (rules, top) = try common.validatedRules(limits)
        if let as_of {
            guard (1900...2200).contains(as_of) else { throw APIError.invalidField("as_of", "must be a year, got \(as_of)") }
            rules.asOf = as_of
        }
        var used = Set<String>()
        func save(_ file: File?, role: String) throws -> String? {
            guard let file else { return nil }
            var name = String(file.name.split(separator: "/").last ?? "").filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
            if name.isEmpty || name.hasPrefix(".") { name = role }
            while !used.insert(name).inserted { name = role + "-" + name }
            let path = folder + "/" + name
            do { try file.text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw APIError(.internalServerError, "internal", "cannot keep the uploaded \(role): \(error)")
            }
            return path
        }
        var files = ConferenceFiles(submissions: try save(submissions, role: "submissions")!)
        files.format = format
        files.bids = try save(bids, role: "bids.csv").map { [$0] } ?? []
        files.loads = try save(loads, role: "loads.csv").map { [$0] } ?? []
        files.groups = try save(groups, role: "groups.csv").map { [$0] } ?? []
        files.conflicts = try save(conflicts, role: "conflicts.csv").map { [$0] } ?? []
        files.affinities = try save(affinities, role: "affinities.csv").map { [$0] } ?? []
        files.includeWithdrawn = include_withdrawn ?? false
        files.groupMinimums = group_min ?? []
        return (files, try save(committee, role: "committee.csv"), rules, top)
    }
}
