import Assignment

/// Why a conference has no assignment: every reason found, each naming the submissions,
/// reviewers or groups involved and what would fix it. `refer assign` prints them and
/// exits with status 65, writing no assignment.
public struct ConferenceInfeasible: Error, Sendable, Equatable, CustomStringConvertible {
    public var reasons: [String]

    public var description: String { "no assignment meets every constraint:\n" + reasons.map { "  - " + $0 }.joined(separator: "\n") }

    /// Puts names on a ``Shortfall``.
    struct Namer {
        var submissions: [String], reviewers: [String], groups: [String]
        var reviewersPerPaper: Int
        var excluded: [[ReviewerExclusion]]
        var loads: [ClosedRange<Int>]

        /// At most 10 names, then how many more.
        func list(_ names: [String]) -> String {
            names.prefix(10).joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
        }

        func sentence(_ s: Shortfall) -> String {
            let k = reviewersPerPaper, papers = submissions.count, people = reviewers.count
            switch s {
            case let .maximumLoads(total, needed):
                return "the maximum loads add up to \(total) reviews, but \(papers) submissions × \(k) reviewers need \(needed): raise --max-load to \((needed + people - 1) / people) or add reviewers"
            case let .minimumLoads(total, reviews):
                return "the minimum loads add up to \(total) reviews, but \(papers) submissions × \(k) reviewers give only \(reviews): lower --min-load to \(reviews / max(1, people)) or the loads file's minimums"
            case let .eligibleReviewers(short):
                return "\(short.count) submission(s) have fewer than \(k) reviewers left after conflicts: " + list(short.map { p in
                    "\(submissions[p.paper]) (\(p.count) eligible; excluded: \(list(excluded[p.paper].map { "\($0.name) [\($0.rule.rawValue)]" })))"
                }) + ": lower --reviewers-per-paper or add reviewers"
            case let .eligiblePapers(short):
                return "\(short.count) reviewer(s) have a minimum load above the submissions they may review: " + list(short.map {
                    "\(reviewers[$0.reviewer]) (minimum \(loads[$0.reviewer].lowerBound), eligible for \($0.load))"
                }) + ": lower their minimum"
            case let .eligibleInGroup(short):
                return "\(short.count) submission(s) have too few eligible reviewers in a group: " + list(short.map {
                    "\(submissions[$0.paper]) (\($0.count) in '\(groups[$0.group])')"
                }) + ": lower --group-min or add reviewers to the group"
            case let .groupLoads(group, total, needed):
                return "group '\(groups[group])''s maximum loads add up to \(total) reviews, but its minimum per submission needs \(needed): raise their loads, add members or lower --group-min"
            case let .together(unfilled, underloaded, groupShort):
                var parts: [String] = []
                if !unfilled.isEmpty { parts.append("submissions short of reviewers: " + list(unfilled.map { "\(submissions[$0.paper]) (\($0.count) of \(k))" })) }
                if !underloaded.isEmpty { parts.append("reviewers under their minimum load: " + list(underloaded.map { "\(reviewers[$0.reviewer]) (\($0.load) of \(loads[$0.reviewer].lowerBound))" })) }
                if !groupShort.isEmpty { parts.append("submissions short of a group: " + list(groupShort.map { "\(submissions[$0.paper]) (\($0.count) from '\(groups[$0.group])')" })) }
                return "each count allows an assignment, but conflicts and loads together do not; the best one leaves " + parts.joined(separator: "; ")
                    + ": raise the maximum loads of reviewers these submissions may have, or lower the minimums"
            }
        }
    }
}
