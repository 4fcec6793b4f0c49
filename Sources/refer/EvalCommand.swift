import ArgumentParser
import Embedding
import Foundation
import Papers
import Storage

/// `refer eval`: measures reviewer scoring on a labelled set.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure reviewer suggestions against a gold standard.",
        subcommands: [GoldStandardCommand.self, HeldOutCommand.self]
    )
}

struct GoldStandardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goldstandard",
        abstract: "Loss and easy/hard accuracy on the reviewer-expertise gold standard (Stelmakh et al., TMLR 2025).",
        discussion: """
        Every participant's archive is their profile; every paper they rated is scored by the chosen \
        aggregation of its similarity to their papers. Prints each scoring's loss per dataset and the mean.
        Example:
          refer eval goldstandard ../shared/datasets/goldstandard \\
              --json out/goldstandard.json --predictions out/gold-predictions
        """
    )
    @Argument(help: "The gold-standard directory (evaluations.csv, evaluation_datasets/d_20_*).") var directory: String
    @Option(help: "Write the results as JSON.") var json: String?
    @Option(help: "Write each dataset's predictions (submission_id,reviewer_id,score) into this directory.") var predictions: String?
    @Option(help: "Aggregation for the reported loss: \(ExpertiseScore.Aggregation.allCases.map(\.rawValue).joined(separator: ", ")).")
    var aggregation: String = ExpertiseScore.default.aggregation.rawValue
    @Option(help: "Paper centring for the reported loss (default \(ExpertiseScore.default.paperCentering)).") var centring: Double?
    @Option(help: "Redundancy threshold for the reported loss: a profile's papers this similar to each other count once (default \(ExpertiseScore.default.redundancy.map { "\($0)" } ?? "off"); 1 or more: off).")
    var redundancy: Float?
    @Flag(help: "Also try other scorings (top-k means, soft maxima, paper centering), cross-validated over participants.")
    var explore = false
    @Option(help: "Model directory (default: $REFER_MODEL_DIR or ~/.cache/refer/models/all-MiniLM-L6-v2).") var modelDir: String?

    func run() throws {
        guard let chosen = ExpertiseScore.Aggregation(rawValue: aggregation) else {
            throw ValidationError("--aggregation: unknown \(aggregation)")
        }
        if let redundancy, !(redundancy > 0) {
            throw ValidationError("--redundancy: a cosine similarity above 0 (1 or more turns it off), got \(redundancy)")
        }
        let embedder = try Embedder(modelDirectory: modelDir)
        let progress = ProgressReporter("embed")
        let run = try GoldStandardRun(directory: directory, embedder: embedder,
                                      log: { FileHandle.standardError.write(Data("  \($0)\n".utf8)) },
                                      progress: { progress.update($0, $1) })
        print("aggregation        loss   easy   hard   (mean over \(run.datasets.count) datasets)")
        var table: [String: GoldStandard.Evaluation] = [:]
        for a in ExpertiseScore.Aggregation.allCases {
            let e = run.evaluate(ExpertiseScore(aggregation: a)).mean
            table[a.rawValue] = e
            print(a.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: " %6.3f %6.3f %6.3f", e.loss, e.easyAccuracy, e.hardAccuracy))
        }
        if explore { exploreScorings(run) }
        // The parameters refer tunes, cross-validated over participants.
        let redundancies: [Float?] = [nil, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7]
        let grid = ExpertiseScore.Aggregation.allCases.flatMap { a in
            [0, 0.1, 0.15, 0.2, 0.25].flatMap { c in redundancies.map { ExpertiseScore(aggregation: a, paperCentering: c, redundancy: $0) } }
        }
        let cv = run.crossValidate(grid)
        func describe(_ s: ExpertiseScore) -> String {
            "\(s.aggregation.rawValue), centring \(s.paperCentering), redundancy \(s.redundancy.map { String(format: "%.2f", $0) } ?? "off")"
        }
        print("\ncross-validated over participants (\(grid.count) settings; chosen on one half, measured on the other):")
        print(String(format: "  chosen on A (%@): loss on B %.4f, hard %.3f", describe(cv.chosenOnA), cv.lossOnB, cv.hardOnB))
        print(String(format: "  chosen on B (%@): loss on A %.4f, hard %.3f", describe(cv.chosenOnB), cv.lossOnA, cv.hardOnA))
        print(String(format: "  held-out mean: loss %.4f, hard accuracy %.3f", cv.loss, cv.hardAccuracy))
        var scoring = ExpertiseScore.default
        scoring.aggregation = chosen
        if let centring { scoring.paperCentering = centring }
        if let redundancy { scoring.redundancy = redundancy < 1 ? redundancy : nil }
        let perDataset = run.evaluate(scoring)
        let mean = perDataset.mean
        print(String(format: "\nrefer's scoring (%@), all participants: loss %.4f, easy accuracy %.3f, hard accuracy %.3f",
                     describe(scoring), mean.loss, mean.easyAccuracy, mean.hardAccuracy))
        print("  per dataset: " + perDataset.map { String(format: "%.4f", $0.loss) }.joined(separator: " "))
        if let predictions {
            try FileManager.default.createDirectory(atPath: predictions, withIntermediateDirectories: true)
            for (i, d) in run.datasets.enumerated() {
                let name = (d as NSString).lastPathComponent
                try run.predictions(scoring, dataset: i).write(toFile: "\(predictions)/\(name).csv", atomically: true, encoding: .utf8)
            }
        }
        if let json {
            struct Report: Encodable {
                var aggregation: String; var paper_centring: Double; var redundancy: Float?; var loss: Double; var loss_per_dataset: [String: Double]
                var easy_accuracy: Double; var hard_accuracy: Double; var all_aggregations: [String: GoldStandard.Evaluation]
                var cross_validated_loss: Double; var cross_validated_hard_accuracy: Double
                var cross_validation: GoldStandardRun.CrossValidation
            }
            let names = run.datasets.map { ($0 as NSString).lastPathComponent }
            let report = Report(aggregation: scoring.aggregation.rawValue, paper_centring: scoring.paperCentering, redundancy: scoring.redundancy, loss: mean.loss,
                                loss_per_dataset: Dictionary(uniqueKeysWithValues: zip(names, perDataset.map(\.loss))),
                                easy_accuracy: mean.easyAccuracy, hard_accuracy: mean.hardAccuracy, all_aggregations: table,
                                cross_validated_loss: cv.loss, cross_validated_hard_accuracy: cv.hardAccuracy, cross_validation: cv)
            try writeJSON(report, to: json)
        }
    }
}

/// Variants of the score, each measured on all participants and on either half.
func exploreScorings(_ run: GoldStandardRun) {
    func topMean(_ k: Int) -> ([Float]) -> Double { { s in let t = s.sorted(by: >).prefix(k); return Double(t.reduce(0, +)) / Double(t.count) } }
    func soft(_ tau: Double) -> ([Float]) -> Double { { s in
        let m = Double(s.max()!); return m + tau * log(s.reduce(0) { $0 + exp((Double($1) - m) / tau) } / Double(s.count)) } }
    var variants: [(String, ([Float]) -> Double, Double)] = []
    for k in [1, 2, 3, 4, 5] { variants.append(("top\(k)-mean", topMean(k), 0)) }
    for tau in [0.01, 0.02, 0.05, 0.1] { variants.append(("soft tau=\(tau)", soft(tau), 0)) }
    for l in [0.1, 0.2, 0.3, 0.5] {
        variants.append(("\(l) max + \(1 - l) top3", { s in l * Double(s.max()!) + (1 - l) * topMean(3)(s) }, 0))
    }
    for c in [0.05, 0.1, 0.15, 0.2, 0.25, 0.5] {
        variants.append(("top3-mean centred \(c)", topMean(3), c))
        variants.append(("top4-mean centred \(c)", topMean(4), c))
        variants.append(("soft tau=0.1 centred \(c)", soft(0.1), c))
    }
    let (a, b) = run.halves
    print("\nvariant                          all: loss  easy  hard |  half A loss |  half B loss")
    for (name, f, c) in variants {
        let all = run.evaluate(f, paperCentering: c).mean
        let ea = run.evaluate(f, paperCentering: c, participants: a).mean, eb = run.evaluate(f, paperCentering: c, participants: b).mean
        print(name.padding(toLength: 32, withPad: " ", startingAt: 0)
              + String(format: " %6.3f %5.3f %5.3f |  %6.3f      |  %6.3f", all.loss, all.easyAccuracy, all.hardAccuracy, ea.loss, eb.loss))
    }
}

/// `refer eval heldout`: reviewer suggestions from a corpus, against held-out papers' own authors.
struct HeldOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heldout",
        abstract: "Author-hit@10 and MRR of reviewer suggestions for held-out papers, against the plain baseline in the same run.",
        discussion: """
        Holds out papers (chosen by --seed) from a store: for each, its own authors with at least 3 \
        remaining papers are the people a reviewer search should find. refer answers as for a query \
        without committee (the held-out papers hidden); the plain baseline ranks every person with at \
        least 3 remaining papers by the mean of their 3 best similarities, exhaustively. docs/reviewers.md.
        Example:
          refer eval heldout --store ~/.cache/refer/stores/acl --hold-out 1000 \\
              --seed 1 --json out/heldout.json
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Papers to hold out.") var holdOut = 1000
    @Option(help: "Seed of the held-out choice.") var seed: UInt64 = 1
    @Option(help: "Suggestions per query.") var k = 10
    @Flag(help: "Also measure other corpus rankings (soft-count temperatures, top-3 means).") var explore = false
    @Option(help: "Write the table as JSON.") var json: String?
    @Option(help: "Model directory (default: $REFER_MODEL_DIR or ~/.cache/refer/models/all-MiniLM-L6-v2).") var modelDir: String?

    func run() throws {
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let searcher = try store.searcher()
        let evaluation = try HeldOutEvaluation(searcher: searcher, count: holdOut, seed: seed, k: k)
        stderr("\(evaluation.held.count) of \(holdOut) held-out papers have an author with 3 or more remaining papers")
        // The queries are stored vectors: the embedder is loaded but never called.
        let finder = ReviewerFinder(searcher: searcher, embedder: try Embedder(modelDirectory: modelDir), committee: nil)
        var rankings: [(String, CorpusRanking)] = [("refer (\(CorpusRanking.default.kind.rawValue), tau \(CorpusRanking.default.tau))", .default)]
        if explore {
            for tau: Float in [0.03, 0.08] { var r = CorpusRanking.default; r.tau = tau; rankings.append(("soft-count tau \(tau)", r)) }
            for alpha: Float in [0, 0.5, 2] {
                var r = CorpusRanking.default; r.productivity = alpha
                rankings.append(("soft-count, productivity \(alpha)", r))
            }
            rankings.append(("top3-mean (before)", CorpusRanking(kind: .top3Mean, tau: 0, missing: nil, minimumPapers: 1, redundancy: 0.8)))
            rankings.append(("top3-mean, missing count 0", CorpusRanking(kind: .top3Mean, tau: 0, missing: 0, minimumPapers: 1, redundancy: 0.8)))
            rankings.append(("baseline's rule on refer's candidates", .baseline))
        }
        var rows = [try evaluation.baseline()]
        for (name, ranking) in rankings {
            var f = finder
            f.ranking = ranking
            rows.append(try evaluation.evaluate(name, finder: f))
        }
        let base = rows[0].author_hit_at_k
        print("ranking".padding(toLength: 48, withPad: " ", startingAt: 0) + " queries  hit@\(k)  vs base  MRR@\(k)  p50 ms")
        for r in rows {
            print(r.name.padding(toLength: 48, withPad: " ", startingAt: 0)
                  + String(format: " %7d  %6.4f  %6.3fx  %6.4f  %@", r.queries, r.author_hit_at_k, r.author_hit_at_k / base, r.mrr_at_k,
                           r.p50_s.map { String(format: "%6.2f", $0 * 1000) } ?? "     -"))
        }
        if let json {
            struct Report: Encodable { var store: String; var hold_out: Int; var seed: UInt64; var k: Int; var rows: [HeldOutEvaluation.Row] }
            try writeJSON(Report(store: storeOption.store, hold_out: holdOut, seed: seed, k: k, rows: rows), to: json)
        }
    }
}
