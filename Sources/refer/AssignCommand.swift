import ArgumentParser
import Assignment
import Foundation
import Papers
import Storage

/// `refer assign`: reviewers for a whole conference, from the files its system exports.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign committee reviewers to every submission: loads, bids, groups, conflicts; sum or fair objective.",
        discussion: """
        Submissions (--format, default auto): refer's paper JSONL; OpenReview notes (API v1 or v2, an
        array, {"notes": [...]}, JSON Lines or an expertise dataset's submissions.json); HotCRP's paper
        JSON (its pc_conflicts become conflicts); CMT's submissions CSV; EasyChair's submission.csv (with
        author.csv beside it for e-mails). The committee (--committee) may be a conference system's PC
        table (HotCRP users/pcinfo CSV, CMT reviewers export, EasyChair committee.csv); members' papers
        come from the store by name.
        Bids (--bids): CSV submission_id,reviewer,bid with yes (1), maybe (0.5), no (-1), conflict
        (excluded), or a HotCRP preference p from -100 to 100 (p/100; -100 is a conflict). A pair's
        weight is its affinity (refer's reviewer score) plus --bid-weight times its bid.
        Loads: --min-load/--max-load, or per reviewer in --loads (CSV reviewer,min,max). Groups:
        --groups (CSV reviewer,group) with --group-min senior=1. Conflicts (--conflicts): CSV
        submission_id,reviewer[,reason] (`refer conflicts` writes one), besides the rules of `refer conflicts`.
        Reviewers in these files are named by e-mail, author id or name.
        Objectives: sum, the largest total weight (min-cost flow, exact); fair, the best worst-off
        submission first, then the largest total (two integer programs on COIN-OR CBC, exact within
        --time-limit, else the proven bound is reported). docs/assignment.md has the details.
        Before solving, every reason no assignment can exist is named with its fix, and the exit status
        is 65 with nothing written. After solving, statistics go to stderr and, with --json, into "stats".
        Example:
          refer assign --store refer-store --submissions papers.json --format hotcrp --committee pcinfo.csv \\
            --bids prefs.csv --reviewers-per-paper 3 --min-load 2 --max-load 6 --objective fair \\
            --csv assignment.csv --json assignment.json --hotcrp-csv hotcrp-assign.csv
        """
    )
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var committeeOptions: CommitteeOptions
    @Option(help: "Submissions file.") var submissions: String
    @Option(help: "The submissions file's format: auto, refer, openreview, hotcrp, cmt, easychair.") var format: Submissions.Format = .auto
    @Option(help: ArgumentHelp("Bids: CSV submission_id,reviewer,bid (repeatable).", valueName: "file")) var bids: [String] = []
    @Option(help: ArgumentHelp("Per-reviewer loads: CSV reviewer,min,max (repeatable).", valueName: "file")) var loads: [String] = []
    @Option(help: ArgumentHelp("Reviewer groups: CSV reviewer,group (repeatable).", valueName: "file")) var groups: [String] = []
    @Option(name: .customLong("group-min"), help: ArgumentHelp("GROUP=N: every submission gets at least N reviewers of GROUP (repeatable).", valueName: "group=n"))
    var groupMinimums: [String] = []
    @Option(help: ArgumentHelp("Conflicts per submission: CSV submission_id,reviewer[,reason] (repeatable).", valueName: "file")) var conflicts: [String] = []
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
    @Option(help: "Write OpenReview matcher's scores CSV (paper,reviewer,score) here.") var matcherCsv: String?
    @Option(help: "Model directory.") var modelDir: String?

    func run() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be above 0, got \(timeLimit)") }
        var files = ConferenceFiles(submissions: submissions)
        files.format = format; files.bids = bids; files.loads = loads; files.groups = groups
        files.groupMinimums = groupMinimums; files.conflicts = conflicts
        var rules = ConferenceRules(reviewersPerPaper: reviewersPerPaper, maxLoad: maxLoad)
        rules.minLoad = minLoad; rules.objective = objective; rules.bidWeight = bidWeight; rules.seconds = timeLimit
        let read = try files.load(into: &rules)
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let finder = try committeeOptions.finder(store: store, modelDir: modelDir)
        let result: ConferenceAssignment
        do {
            result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules, top: top)
        } catch let e as ConferenceInfeasible {
            stderr("\(submissions): \(read.papers.count) submissions: \(e.description)\nNothing was written.")
            throw ExitCode(65)
        }
        // Every file is made before any is written, so a refusal leaves none half-done.
        let hotcrp = try hotcrpCsv.map { ($0, try result.hotcrpCSV()) }
        let matcher = try matcherCsv.map { ($0, result.matcherCSV(committee: finder.committee!)) }
        if let csv { try Data(result.csv.utf8).write(to: URL(fileURLWithPath: csv)) } else { print(result.csv, terminator: "") }
        if let json { try writeJSON(result, to: json) }
        for (path, text) in [hotcrp, matcher].compactMap({ $0 }) { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        stderr(Self.summary(result, submissions: read.papers.count, file: submissions))
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
        return lines.joined(separator: "\n")
    }
}

extension AssignmentObjective: ExpressibleByArgument {}
