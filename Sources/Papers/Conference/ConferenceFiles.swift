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

    public init(submissions: String) { self.submissions = submissions }

    /// Reads every file, refusing the first bad one with FILE:LINE and the field; puts
    /// bids, loads and groups into `rules` and returns the submissions with their conflicts.
    public func load(into rules: inout ConferenceRules) throws -> Submissions {
        var read = try Submissions.load(submissions, format: format)
        read.conflicts += try SubmissionConflicts.load(conflicts)
        rules.bids = try ConferenceBids(files: bids)
        rules.loads = try ReviewerLoads(files: loads)
        rules.groups = try ReviewerGroups(files: groups, minimums: groupMinimums)
        return read
    }
}
