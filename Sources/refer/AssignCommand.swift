import ArgumentParser
import Assignment
import Foundation
import Papers
import Storage

/// A conference's files, shared by `refer assign` and `refer conflicts` so that both read
/// exactly the same inputs.
struct ConferenceOptions: ParsableArguments {
    @Option(help: "Submissions file.") var submissions: String
    @Option(help: "The submissions file's format: auto, refer, openreview, hotcrp, cmt, easychair.") var format: Submissions.Format = .auto
    @Flag(help: "Give withdrawn and desk-rejected submissions reviewers too (by default they are left out and listed).") var includeWithdrawn = false
    @Option(help: ArgumentHelp("Bids: CSV submission_id,reviewer,bid, HotCRP's preferences, EasyChair's bidding.csv or OpenReview Bid edges (repeatable).", valueName: "file"))
    var bids: [String] = []
    @Option(help: ArgumentHelp("Per-reviewer loads: CSV reviewer,min,max or OpenReview Custom_Max_Papers edges (repeatable).", valueName: "file")) var loads: [String] = []
    @Option(help: ArgumentHelp("Reviewer groups: CSV reviewer,group (repeatable).", valueName: "file")) var groups: [String] = []
    @Option(name: .customLong("group-min"), help: ArgumentHelp("GROUP=N: every submission gets at least N reviewers of GROUP (repeatable).", valueName: "group=n"))
    var groupMinimums: [String] = []
    @Option(help: ArgumentHelp("Conflicts per submission: CSV submission_id,reviewer[,reason] or OpenReview Conflict edges (repeatable).", valueName: "file"))
    var conflicts: [String] = []
    @Option(help: ArgumentHelp("The venue's own affinities, used instead of refer's: OpenReview Affinity_Score edges, CSV submission_id,reviewer,score, or headerless paper_id,profile_id,score rows (repeatable).", valueName: "file"))
    var affinities: [String] = []

    /// Reads every file (all bad rows reported together) into `rules`; the submissions with their conflicts.
    func load(into rules: inout ConferenceRules) throws -> Submissions {
        var files = ConferenceFiles(submissions: submissions)
        files.format = format; files.bids = bids; files.loads = loads; files.groups = groups
        files.groupMinimums = groupMinimums; files.conflicts = conflicts; files.includeWithdrawn = includeWithdrawn
        files.affinities = affinities
        return try files.load(into: &rules)
    }

    /// What took no effect, on stderr: submissions left out, rows about them, chairs named.
    func report(notes: [String], skipped: [(id: String, reason: String)]) {
        for s in skipped { stderr("\(submissions): submission '\(s.id)' left out: \(s.reason)") }
        for n in notes { stderr("note: \(n)") }
    }
}

/// `refer assign`: reviewers for a whole conference, from the files its system exports.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign committee reviewers to every submission: loads, bids, groups, conflicts; sum or fair objective.",
        discussion: """
        Submissions (--format, default auto): refer's paper JSONL; OpenReview notes (API v1 or v2, an \
        array, {"notes": [...]}, JSON Lines or an expertise dataset's submissions.json); HotCRP's paper \
        JSON (its pc_conflicts become conflicts); CMT's submissions export (its Excel .xls, .xlsx, CSV or \
        tab-separated, UTF-8 or Windows-1252); EasyChair's submission.csv (with author.csv beside it). \
        Withdrawn, desk-rejected and deleted submissions are left out and listed (--include-withdrawn keeps them).

        The committee (--committee) may be a conference system's PC table (HotCRP users or PC info CSV, \
        CMT reviewers export, EasyChair committee.csv); chairs are left out unless --include-chairs; \
        members' papers come from the store by name.

        Bids (--bids): CSV submission_id,reviewer,bid with yes (1), maybe (0.5), no (-1), conflict \
        (excluded), a HotCRP preference p (p/100 within -1..1; -100 or less is a conflict), HotCRP's PC \
        review preferences export, EasyChair's bidding.csv, or OpenReview Bid edges. A pair's weight is \
        its affinity (refer's reviewer score) plus --bid-weight times its bid.

        Loads: --min-load/--max-load, or per reviewer in --loads. Groups: --groups (CSV reviewer,group) \
        with --group-min senior=1. Conflicts (--conflicts): CSV submission_id,reviewer[,reason] or \
        OpenReview Conflict edges, besides the rules of `refer conflicts`, which lists exactly what is \
        enforced here. Reviewers in these files are named by e-mail, author id or name (the one name rule).

        Every row of every file takes effect or is refused naming FILE:LINE, the field and the closest \
        members, all in one run and before anything is embedded: exit status 65, nothing written.

        Objectives: sum, the largest total weight (min-cost flow, exact); fair, the best worst-off \
        submission first, then the largest total (two integer programs on COIN-OR CBC, exact within \
        --time-limit, else the proven bound is reported). docs/assignment.md has the details. Before \
        solving, every reason no assignment can exist is named with its fix (exit status 65, nothing \
        written). After solving, statistics go to stderr and, with --json, into "stats".

        Example:
          refer assign --store refer-store --submissions data.json --format hotcrp --committee pcinfo.csv \\
            --bids allprefs.csv --reviewers-per-paper 3 --min-load 2 --max-load 6 --objective fair \\
            --csv assignment.csv --json assignment.json --hotcrp-csv hotcrp-assign.csv
        """
    )
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var committeeOptions: CommitteeOptions
    @OptionGroup var conference: ConferenceOptions
    @Option(help: "Reviewers per submission.") var reviewersPerPaper = 3
    @Option(help: "Fewest submissions per reviewer.") var minLoad = 0
    @Option(help: "Most submissions per reviewer.") var maxLoad = 6
    @Option(help: "sum or fair.") var objective: AssignmentObjective = .sum
    @Option(help: "What a bid of yes adds to a pair's affinity.") var bidWeight = 0.1
    @Option(help: "Seconds for the fair objective's integer programs.") var timeLimit = 60.0
    @Option(help: "Top reviewers listed per submission in the JSON.") var top = 10
    @Option(help: "Write the assignment CSV here (default: standard output).") var csv: String?
    @Option(help: "Write the full result as JSON here.") var json: String?
    @Option(help: "Write HotCRP's bulk assignment CSV (paper,action,email) here.") var hotcrpCsv: String?
    @Option(help: ArgumentHelp("Write openreview-matcher's inputs here: scores.csv and conflicts.csv, headerless, reviewers by OpenReview profile id.", valueName: "dir"))
    var matcherDir: String?
    @Option(help: ArgumentHelp("Write the assignment as OpenReview Proposed_Assignment edges (JSON Lines, edges.jsonl) here.", valueName: "dir"))
    var openreviewEdges: String?
    @Option(help: "Model directory.") var modelDir: String?

    func validate() throws {
        guard reviewersPerPaper >= 1 else { throw ValidationError("--reviewers-per-paper must be at least 1, got \(reviewersPerPaper)") }
        guard minLoad >= 0, maxLoad >= minLoad else { throw ValidationError("--min-load \(minLoad) and --max-load \(maxLoad): need 0 ≤ min ≤ max") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be above 0, got \(timeLimit)") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
    }

    func run() throws {
        var rules = ConferenceRules(reviewersPerPaper: reviewersPerPaper, maxLoad: maxLoad)
        rules.minLoad = minLoad; rules.objective = objective; rules.bidWeight = bidWeight; rules.seconds = timeLimit
        rules.asOf = committeeOptions.asOf
        let read = try conference.load(into: &rules)
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let finder = try committeeOptions.finder(store: store, modelDir: modelDir)
        let result: ConferenceAssignment
        do {
            result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules, top: top)
        } catch let e as ConferenceInfeasible {
            stderr("\(conference.submissions): \(read.papers.count) submissions: \(e.description)\nNothing was written.")
            throw ExitCode(65)
        }
        // Every file is made before any is written, so a refusal leaves none half-done.
        var outputs: [(String, String)] = []
        if let hotcrpCsv { outputs.append((hotcrpCsv, try result.hotcrpCSV())) }
        if let matcherDir {
            let files = try result.matcherFiles(committee: finder.committee!)
            outputs += [(matcherDir + "/scores.csv", files.scores), (matcherDir + "/conflicts.csv", files.conflicts)]
        }
        if let openreviewEdges { outputs.append((openreviewEdges + "/edges.jsonl", try result.openReviewEdges(committee: finder.committee!))) }
        for dir in [matcherDir, openreviewEdges].compactMap({ $0 }) { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        if let csv { try Data(result.csv.utf8).write(to: URL(fileURLWithPath: csv)) } else { print(result.csv, terminator: "") }
        if let json { try writeJSON(result, to: json) }
        for (path, text) in outputs { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        conference.report(notes: result.stats.notes, skipped: read.skipped)
        stderr(Self.summary(result, submissions: read.papers.count, file: conference.submissions))
    }

    /// The statistics a chair reads after solving.
    static func summary(_ r: ConferenceAssignment, submissions: Int, file: String) -> String {
        let s = r.stats, f = { (x: Double) in String(format: "%.4f", x) }
        var lines = ["\(file): \(submissions) submissions, \(r.assignment.count) assignments, objective \(s.objective)"
                     + (s.optimal ? " (optimal)" : s.min_paper_bound.map { " (not proven optimal; no assignment gives the worst-off submission more than \(f($0)))" } ?? "")]
        lines.append("  submission scores (mean affinity): min \(f(s.min_paper_score)), p10 \(f(s.paper_scores.p10)), median \(f(s.paper_scores.median)), mean \(f(s.mean_paper_score)), max \(f(s.paper_scores.max)); total \(f(s.total_score))")
        lines.append("  loads: " + s.load_counts.sorted { Int($0.key)! < Int($1.key)! }.map { "\($0.value) reviewer(s) with \($0.key)" }.joined(separator: ", "))
        lines.append("  bids of assigned pairs: " + ["yes", "maybe", "neutral", "no", "none"].map { "\($0) \(s.bids[$0] ?? 0)" }.joined(separator: ", "))
        lines.append("  conflicts applied: " + (s.conflicts.isEmpty ? "none" : s.conflicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        if !s.skipped_submissions.isEmpty { lines.append("  submissions left out: \(s.skipped_submissions.count) (withdrawn, desk-rejected or deleted)") }
        return lines.joined(separator: "\n")
    }
}

extension AssignmentObjective: ExpressibleByArgument {}
