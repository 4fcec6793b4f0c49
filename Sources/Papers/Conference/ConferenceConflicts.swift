import Foundation
import Storage

/// A conference's chair files resolved against its submissions and committee, and every
/// conflicted (submission, member) pair: what `refer assign` enforces and `refer conflicts`
/// lists, from one computation, so the two can never disagree.
///
/// Every row of every file (per-submission conflicts, HotCRP `pc_conflicts`, OpenReview
/// Conflict edges, bids, loads, groups, declared conflicts) either takes effect or is
/// refused naming FILE:LINE, the field and the closest members; all problems are gathered
/// and refused together, before anything is embedded. A row about a submission that was
/// left out (withdrawn, desk-rejected, deleted) takes no effect and says so in ``notes``.
public struct ConferenceConflicts: Sendable {
    public let papers: [PaperRecord]
    /// The committee members' names, the columns of every per-pair table.
    public let names: [String]
    /// Per submission, per member: why the member may not review it (nil: eligible). The
    /// first rule that fires is kept: the policy's (author, co-author, affiliation, e-mail
    /// domain, declared conflicts CSV), then the conference's own declarations.
    public let excluded: [[ReviewerExclusion?]]
    /// Per submission, per member: the bid as read.
    let bid: [[ConferenceBids.Row?]]
    /// Per member: the load range.
    let loads: [ClosedRange<Int>]
    /// Per member: the group, if any.
    let groupName: [String?]
    /// Per submission, per member: the venue's own affinity (`--affinities`), nil when none was given at all.
    let givenAffinity: [[Double?]]?
    /// What took no effect and why (rows about submissions that were left out, chairs named).
    public let notes: [String]

    /// Resolves every file row, then checks every member against every submission.
    public init(submissions: Submissions, finder: ReviewerFinder, rules: ConferenceRules) throws {
        guard let committee = finder.committee, !committee.members.isEmpty else {
            throw ProfileError("a committee is needed: give --committee FILE, or a store ingested with --committee")
        }
        papers = submissions.papers
        guard !papers.isEmpty else {
            throw ProfileError("no submissions to assign" + (submissions.skipped.isEmpty ? "" : " (\(submissions.skipped.count) left out: withdrawn or deleted)"))
        }
        let lookup = CommitteeLookup(committee)
        names = lookup.names
        let m = names.count
        var problems = InputProblems(), notes: [String] = []
        var row: [String: Int] = [:]
        for (i, p) in papers.enumerated() {
            if row[p.id] != nil { problems.add("submission '\(p.id)' appears twice") }
            row[p.id] = i
        }
        let skipped = Dictionary(submissions.skipped.map { ($0.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        /// The submission a row names; nil with a note when it was left out, nil with a problem when unknown.
        func submission(_ id: String, at: String, field: String) -> Int? {
            if let i = row[id] { return i }
            if let why = skipped[id] { notes.append("\(at): submission '\(id)' is \(why): this row takes no effect"); return nil }
            problems.add("\(at): field '\(field)': no submission '\(id)'")
            return nil
        }
        /// The member a row names; nil with a note for a non-reviewer, nil with a problem when unknown.
        func member(_ reference: String, at: String, field: String = "reviewer") -> Int? {
            switch problems.attempt({ try lookup.find(reference, at: at, field: field) }) {
            case .member(let j)?: return j
            case .nonReviewer(let name, let why)?: notes.append("\(at): '\(reference)' is \(name), who \(why): this row takes no effect"); return nil
            case nil: return nil
            }
        }

        // The conference's own declarations: per-submission conflicts and `conflict` bids.
        var declared = [[Int: String]](repeating: [:], count: papers.count)
        let organisations = committee.members.map { Set(($0.profile.emails ?? []).compactMap(EmailDomain.organisation)) }
        for c in submissions.conflicts {
            guard let i = submission(c.submission, at: c.source, field: c.submissionField) else { continue }
            if let domain = c.domain {
                // An organisation: every member with an address there; one that cannot be checked is said.
                guard let org = EmailDomain.organisation(of: domain) else {
                    notes.append("\(c.source): field '\(c.reviewerField)': '\(domain)' is a webmail or invalid domain and excludes nobody"); continue
                }
                guard organisations.contains(where: { !$0.isEmpty }) else {
                    problems.add("\(c.source): field '\(c.reviewerField)': a conflict with \(org), and the committee has no e-mails to check it against; give a committee file with e-mails")
                    continue
                }
                for j in organisations.indices where organisations[j].contains(org) && declared[i][j] == nil { declared[i][j] = c.reason }
                continue
            }
            guard let j = member(c.reviewer, at: c.source, field: c.reviewerField) else { continue }
            if declared[i][j] == nil { declared[i][j] = c.reason }
        }
        let unchecked = organisations.indices.filter { organisations[$0].isEmpty }.map { lookup.names[$0] }
        if submissions.conflicts.contains(where: { $0.domain != nil }), !unchecked.isEmpty, unchecked.count < m {
            notes.append("conflict domains cannot be checked for \(unchecked.count) member(s) without an organisation e-mail: \(unchecked.prefix(10).joined(separator: ", "))")
        }
        var bid = [[ConferenceBids.Row?]](repeating: Array(repeating: nil, count: m), count: papers.count)
        for b in rules.bids.rows {
            guard let i = submission(b.submission, at: b.source, field: "submission"), let j = member(b.reviewer, at: b.source) else { continue }
            bid[i][j] = b
            if b.bid == .conflict, declared[i][j] == nil { declared[i][j] = "declared a conflict in their bid (\(b.source))" }
        }
        var loads = Array(repeating: rules.minLoad...rules.maxLoad, count: m)
        for l in rules.loads.rows {
            guard let j = member(l.reviewer, at: l.source) else { continue }
            let lo = l.min ?? rules.minLoad, hi = l.max ?? rules.maxLoad
            guard lo <= hi else { problems.add("\(l.source): min \(lo) is above max \(hi) for \(names[j])"); continue }
            loads[j] = lo...hi
        }
        var groupName = [String?](repeating: nil, count: m)
        for g in rules.groups.rows {
            guard let j = member(g.reviewer, at: g.source) else { continue }
            if let other = groupName[j], other != g.group { problems.add("\(g.source): \(names[j]) is already in group '\(other)'"); continue }
            groupName[j] = g.group
        }
        var given: [[Double?]]? = rules.affinities.rows.isEmpty ? nil : Array(repeating: Array(repeating: nil, count: m), count: papers.count)
        for a in rules.affinities.rows {
            guard let i = submission(a.submission, at: a.source, field: "submission"), let j = member(a.reviewer, at: a.source) else { continue }
            if given?[i][j] != nil { notes.append("\(a.source): a second score for \(a.submission) and \(names[j]); this one holds, as in openreview-matcher") }
            given?[i][j] = a.score
        }
        for e in finder.conflicts.declared.entries { _ = member(e.reviewer, at: e.source) }
        try problems.check()

        // The policy's rules, the window ending at each submission's year (or the conference's).
        var excluded = [[ReviewerExclusion?]](repeating: Array(repeating: nil, count: m), count: papers.count)
        for (i, p) in papers.enumerated() {
            var policy = finder.conflicts
            policy.referenceYear = rules.asOf ?? p.year ?? policy.referenceYear
            let draft = try finder.draftAuthors(ConflictPolicy.Author.of(p))
            for (j, reviewer) in finder.members.enumerated() {
                if let e = policy.conflict(of: reviewer, with: draft) { excluded[i][j] = e }
                else if let reason = declared[i][j] { excluded[i][j] = ReviewerExclusion(name: names[j], reason: reason, rule: .declared) }
            }
        }
        self.excluded = excluded; self.bid = bid; self.loads = loads; self.groupName = groupName; self.notes = notes
        givenAffinity = given
    }
}
