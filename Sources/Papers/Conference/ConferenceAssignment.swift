import Assignment
import Foundation
import Storage

/// What a programme chair sets for an assignment besides the submissions and committee.
public struct ConferenceRules: Sendable {
    public var reviewersPerPaper: Int
    public var minLoad = 0
    public var maxLoad: Int
    /// Per-reviewer loads that override `minLoad`/`maxLoad`.
    public var loads = ReviewerLoads()
    public var bids = ConferenceBids()
    /// The venue's own affinities, used instead of refer's when given.
    public var affinities = ConferenceAffinities()
    public var groups = ReviewerGroups()
    public var objective: AssignmentObjective = .sum
    /// How much a bid of 1 (yes) adds to a pair's affinity (``ConferenceBids/Bid``).
    public var bidWeight = 0.1
    /// Time for `fair`'s integer programs, in seconds.
    public var seconds = 60.0
    /// The conference's year: the conflict window counts back from it (nil: from each
    /// submission's own year, else this year).
    public var asOf: Int?

    public init(reviewersPerPaper: Int, maxLoad: Int) { self.reviewersPerPaper = reviewersPerPaper; self.maxLoad = maxLoad }
}

/// Batch mode for a whole conference: every submission's top reviewers and conflicts, one
/// assignment over the committee (``SumAssignment`` or ``FairAssignment``) meeting the
/// chair's loads, groups and bids, checked by ``AssignmentCheck``, and its statistics.
/// The objective counts a pair's affinity (refer's reviewer score) plus `bidWeight` times
/// its bid; a submission's score, which `fair` raises for the worst-off submission first
/// and the statistics report, is the mean affinity of its reviewers (bids left out).
public struct ConferenceAssignment: Codable, Sendable {
    public struct Pair: Codable, Sendable, Equatable {
        public var submission_id: String
        public var reviewer_id: String
        /// The affinity: refer's reviewer score.
        public var score: Double
        /// The reviewer's bid as written, when they bid.
        public var bid: String?
        /// The reviewer's papers closest to the submission (the score rests on them).
        public var evidence: [ReviewerSuggestion.Evidence]?
    }

    public struct SubmissionReviewers: Codable, Sendable, Equatable {
        public var submission_id: String
        public var title: String?
        public var reviewers: [ReviewerSuggestion]
        public var excluded: [ReviewerExclusion]
    }

    /// A committee member as the assignment saw them.
    public struct Reviewer: Codable, Sendable, Equatable {
        public var name: String
        public var email: String?
        public var group: String?
        public var min_load: Int
        public var max_load: Int
        public var load: Int
    }

    public var assignment: [Pair]
    public var suggestions: [SubmissionReviewers]
    public var reviewers: [Reviewer]
    public var stats: AssignmentStats
    /// Every eligible pair's affinity (submission × member, nil where excluded), for the
    /// matcher's scores file; not part of the JSON.
    public var affinities: [[Double?]] = []
    /// The OpenReview venue id of the submissions, when they came from OpenReview.
    public var venue: String?

    enum CodingKeys: String, CodingKey { case assignment, suggestions, reviewers, stats }

    /// Resolves every chair file and conflict (``ConferenceConflicts``: all bad rows refused
    /// together, before anything is embedded), scores every eligible (submission, member)
    /// pair, refuses an impossible problem with every reason (``ConferenceInfeasible``),
    /// solves, checks.
    public init(submissions: Submissions, finder: ReviewerFinder, rules: ConferenceRules, top: Int = 10) throws {
        guard rules.reviewersPerPaper >= 1 else { throw ProfileError("--reviewers-per-paper must be at least 1, got \(rules.reviewersPerPaper)") }
        guard rules.minLoad >= 0, rules.maxLoad >= rules.minLoad else {
            throw ProfileError("--min-load \(rules.minLoad) and --max-load \(rules.maxLoad): need 0 ≤ min ≤ max")
        }
        let conference = try ConferenceConflicts(submissions: submissions, finder: finder, rules: rules)
        let committee = finder.committee!, papers = conference.papers, names = conference.names
        let bid = conference.bid, loads = conference.loads, groupName = conference.groupName

        // Affinities of the eligible pairs.
        let vectors = finder.embedder.embedRows(papers.map(\.embeddingText))
        var affinity = [[Double?]](repeating: Array(repeating: nil, count: names.count), count: papers.count)
        var bestSuggestion = [[Int: ReviewerSuggestion]](repeating: [:], count: papers.count)
        for i in papers.indices {
            for (j, m) in committee.members.enumerated() where conference.excluded[i][j] == nil {
                var s = finder.suggestion(for: m, vector: vectors[i])
                if let given = conference.givenAffinity { s.score = given[i][j] ?? 0 }
                affinity[i][j] = s.score; bestSuggestion[i][j] = s
            }
        }
        let excluded = conference.excluded.map { $0.compactMap { $0 } }
        let groupNames = rules.groups.minimums.keys.sorted()
        let groupOf = groupName.map { $0.flatMap { groupNames.firstIndex(of: $0) } }
        let weights = affinity.enumerated().map { i, row in
            row.enumerated().map { j, a in a.map { a in a + rules.bidWeight * (bid[i][j].map { if case .value(let v) = $0.bid { v } else { 0 } } ?? 0) } }
        }
        let problem = try AssignmentProblem(weights: weights, reviewersPerPaper: rules.reviewersPerPaper, loads: loads,
                                            groupOf: groupOf, groupMinimums: groupNames.map { rules.groups.minimums[$0]! }, scores: affinity)
        let explain = ConferenceInfeasible.Namer(submissions: papers.map(\.id), reviewers: names, groups: groupNames,
                                                 reviewersPerPaper: rules.reviewersPerPaper, excluded: excluded, loads: loads)
        let reasons = problem.shortfalls()
        guard reasons.isEmpty else { throw ConferenceInfeasible(reasons: reasons.map(explain.sentence)) }
        let solution: AssignmentSolution
        do {
            solution = rules.objective == .sum ? try SumAssignment.solve(problem) : try FairAssignment.solve(problem, seconds: rules.seconds)
        } catch let e as AssignmentInfeasible {
            throw ConferenceInfeasible(reasons: e.shortfalls.map(explain.sentence))
        }
        let broken = AssignmentCheck(problem).violations(solution.reviewers)
        guard broken.isEmpty else { throw ProfileError("the solver's assignment breaks a constraint (a bug): \(broken.joined(separator: "; "))") }

        var pairs: [Pair] = []
        for (i, chosen) in solution.reviewers.enumerated() {
            for j in chosen {
                pairs.append(Pair(submission_id: papers[i].id, reviewer_id: names[j], score: affinity[i][j]!, bid: bid[i][j]?.text,
                                  evidence: bestSuggestion[i][j]?.evidence))
            }
        }
        var load = [Int](repeating: 0, count: names.count)
        for chosen in solution.reviewers { for j in chosen { load[j] += 1 } }
        assignment = pairs
        suggestions = papers.indices.map { i in
            let ranked = bestSuggestion[i].values.sorted { ($0.score, $1.name) > ($1.score, $0.name) }
            return SubmissionReviewers(submission_id: papers[i].id, title: papers[i].title, reviewers: Array(ranked.prefix(top)), excluded: excluded[i])
        }
        reviewers = names.indices.map { j in
            Reviewer(name: names[j], email: committee.members[j].profile.emails?.first, group: groupName[j],
                     min_load: loads[j].lowerBound, max_load: loads[j].upperBound, load: load[j])
        }
        stats = AssignmentStats(objective: rules.objective, solution: solution, affinity: affinity, bids: bid, excluded: excluded, loads: load)
        stats.skipped_submissions = submissions.skipped.map { .init(id: $0.id, reason: $0.reason) }
        stats.notes = conference.notes
        if let given = conference.givenAffinity {
            let missing = papers.indices.reduce(0) { n, i in n + names.indices.filter { conference.excluded[i][$0] == nil && given[i][$0] == nil }.count }
            if missing > 0 { stats.notes.append("--affinities: \(missing) eligible pair(s) have no score and count 0, as openreview-matcher counts them") }
        }
        affinities = affinity
        venue = submissions.venue
    }
}
