import ArgumentParser
import Embedding
import Foundation
import Papers
import Storage

/// `--committee`, `--conflict-years`, `--as-of`: who may review, shared by `reviewers`, `assign` and `conflicts`.
struct CommitteeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Reviewer profiles: profile JSON, JSON array, .bib, a text file of names, a conference system's PC table (CSV, TSV, .xlsx, CMT's .xls), or a folder of them (repeatable). Default: the store's committee, else every author in the store.", valueName: "file"))
    var committee: [String] = []
    @Flag(help: "Chairs in a PC table (HotCRP roles 'chair', EasyChair role 'chair') review too; by default they do not.") var includeChairs = false
    @Option(help: "Co-authorship and shared institutions within this many years are conflicts (0: any time).") var conflictYears = 5
    @Option(help: ArgumentHelp("The conference's year: the conflict window counts back from it (default: each submission's year, else this year).", valueName: "year"))
    var asOf: Int?
    @Option(help: ArgumentHelp("Declared conflicts: CSV with the header reviewer,author_or_domain,reason (repeatable).", valueName: "file"))
    var declaredConflicts: [String] = []

    func validate() throws {
        guard conflictYears >= 0 else { throw ValidationError("--conflict-years must be 0 or more, got \(conflictYears)") }
        if let asOf, !(1900...2200).contains(asOf) { throw ValidationError("--as-of must be a year, got \(asOf)") }
    }

    func policy() throws -> ConflictPolicy {
        var policy = ConflictPolicy(coauthorYears: conflictYears == 0 ? nil : conflictYears, declared: try DeclaredConflicts(files: declaredConflicts))
        if let asOf { policy.referenceYear = asOf }
        return policy
    }

    /// The finder over the store's or the given committee; a declared conflict whose reviewer
    /// is nobody (or several people) on the committee is refused with the rest of the input.
    func finder(store: PaperStore, modelDir: String?) throws -> ReviewerFinder {
        let policy = try policy()
        let searcher = try store.searcher(), embedder = try Embedder.forStore(searcher, modelDirectory: modelDir)
        let committee = try Committee.resolve(files: self.committee, searcher: searcher, embedder: embedder, includeChairs: includeChairs)
        if let committee {
            var problems = InputProblems()
            for p in policy.declared.problems(against: committee) { problems.add(p) }
            try problems.check()
        }
        return ReviewerFinder(searcher: searcher, embedder: embedder, committee: committee, conflicts: policy)
    }
}

/// `refer reviewers`: who should review a draft, with the papers that say why.
struct ReviewersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reviewers",
        abstract: "Suggest reviewers for a draft, each with the three papers that justify it; conflicts removed and listed.",
        discussion: """
        Candidates are the committee (--committee, or the one stored with `refer ingest --committee`), \
        or every author in the store when there is none. Scores: mean similarity of the reviewer's three \
        papers closest to the draft (docs/reviewers.md). Conflicts: the draft's authors, their co-authors \
        within --conflict-years, the same institution, e-mail domain or a declared conflict (see `refer \
        conflicts --help`). An author is "Name", "Name (Affiliation)", "Name <e-mail>" or "Name <author id>".
        Example:
          refer reviewers --store refer-store --title "Learned early termination for graph-based vector search" \\
            --authors "Jane Doe (ETH Zurich); Yuxiong He" --k 3 --json
        """
    )
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var draftOptions: DraftOptions
    @OptionGroup var committeeOptions: CommitteeOptions
    @Option(help: "How many reviewers.") var k = 10
    @OptionGroup var effortOptions: EffortOptions
    @Option(help: "Model directory (default: $REFER_MODEL_DIR or ~/.cache/refer/models/all-MiniLM-L6-v2).") var modelDir: String?
    @Flag(help: "Print JSON: {\"reviewers\": [{name, score, evidence: [{id, title, score}]}], \"excluded\": [{name, reason}]}.") var json = false

    func run() throws {
        let draft = try draftOptions.draft()
        guard k >= 1 else { throw ValidationError("--k must be at least 1, got \(k)") }
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        var finder = try committeeOptions.finder(store: store, modelDir: modelDir)
        finder.effort = try effortOptions.effort()
        try finder.searcher.validate(finder.effort)
        let answer = try finder.reviewers(for: draft, k: k)
        if json { try printJSON(answer); return }
        for (i, r) in answer.reviewers.enumerated() {
            print(String(format: "%2d. %.3f  ", i + 1, r.score) + r.name)
            for e in r.evidence { print(String(format: "          %.3f  ", e.score) + e.title) }
        }
        if !answer.excluded.isEmpty {
            print("Excluded (conflicts of interest):")
            for e in answer.excluded { print("    \(e.name): \(e.reason)") }
        }
    }
}

/// `refer conflicts`: the whole conflict table of a committee and a set of submissions.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Write every conflict of interest between a committee and the submissions, with its rule and evidence.",
        discussion: """
        Exactly the conflicts `refer assign` enforces, from the same inputs (the same flags): one CSV row \
        per conflicted (submission, reviewer) pair: submission_id,reviewer,rule,reason, then the evidence: \
        paper_id,paper_title,paper_year,institution,reviewer_years,author_years,author_id,domain.

        Rules, strongest first: author (same author id, else e-mail, else name), coauthor (a shared paper within \
        --conflict-years of the conference's year, --as-of, else the submission's), affiliation (a shared \
        institution in that window, from the data with years, or as given), email_domain (same \
        organisation; webmail never), declared (--declared-conflicts, --conflicts, HotCRP pc_conflicts, \
        OpenReview Conflict edges, conflict bids). Names meet by the one name rule (docs/reviewers.md).

        Exit status 65, with every bad row named, when any input row cannot take effect.

        Example:
          refer conflicts --store refer-store --submissions data.json \\
              --committee pcinfo.csv --csv conflicts.csv
        """
    )
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var committeeOptions: CommitteeOptions
    @OptionGroup var conference: ConferenceOptions
    @Option(help: "Write the CSV here (default: standard output).") var csv: String?
    @Option(help: "Model directory.") var modelDir: String?

    func run() throws {
        var rules = ConferenceRules(reviewersPerPaper: 1, maxLoad: 1)
        let read = try conference.load(into: &rules)
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let found = try ConferenceConflicts(submissions: read, finder: committeeOptions.finder(store: store, modelDir: modelDir), rules: rules)
        let table = ConflictTable(found)
        if let csv { try Data(table.csv.utf8).write(to: URL(fileURLWithPath: csv)) } else { print(table.csv, terminator: "") }
        conference.report(notes: found.notes, skipped: read.skipped)
        stderr("\(conference.submissions): \(read.papers.count) submissions, \(table.rows.count) conflicts")
    }
}

extension Submissions.Format: ExpressibleByArgument {}
