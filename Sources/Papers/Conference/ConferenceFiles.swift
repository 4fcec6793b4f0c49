/// One conference's files, as `refer assign` and the web page's assignment view take
/// them: the submissions (in any ``Submissions/Format``), bids, loads, groups with their
/// minimums, and per-submission conflicts. The committee is resolved by the caller
/// (``Committee/resolve(files:searcher:embedder:)``).
public struct ConferenceFiles: Sendable {
    public var submissions: String
    public var format: Submissions.Format = .auto
    public var bids: [String] = []
    public var loads: [String] = []
    public var groups: [String] = []
    /// `GROUP=N` minimums.
    public var groupMinimums: [String] = []
    public var conflicts: [String] = []
    /// The venue's own affinities (``ConferenceAffinities``).
    public var affinities: [String] = []
    /// Keep withdrawn and desk-rejected submissions.
    public var includeWithdrawn = false

    public init(submissions: String) { self.submissions = submissions }

    /// Reads every file, refusing every bad row of all of them together (FILE:LINE and the
    /// field); puts bids, loads and groups into `rules` and returns the submissions with their
    /// conflicts. Rows are checked against the committee later (``ConferenceConflicts``).
    public func load(into rules: inout ConferenceRules) throws -> Submissions {
        var problems = InputProblems()
        var read = problems.attempt { try Submissions.load(submissions, format: format, includeWithdrawn: includeWithdrawn) }
        if let more = problems.attempt({ try SubmissionConflicts.load(conflicts) }) { read?.conflicts += more }
        if let b = problems.attempt({ try ConferenceBids(files: bids) }) { rules.bids = b }
        if let l = problems.attempt({ try ReviewerLoads(files: loads) }) { rules.loads = l }
        if let g = problems.attempt({ try ReviewerGroups(files: groups, minimums: groupMinimums) }) { rules.groups = g }
        if let a = problems.attempt({ try ConferenceAffinities(files: affinities) }) { rules.affinities = a }
        try problems.check()
        return read!
    }
}
