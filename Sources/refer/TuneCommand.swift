import ArgumentParser
import Foundation
import HNSW
import ReferBench
import Storage
import StoreTuning

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Train learned early termination (Li et al., SIGMOD 2020) for a store or a dataset's index, one model per target recall.",
        discussion: """
        With --store: tunes on the store's own index and keeps the models in the store, so that \
        `refer search`, `similar`, `reviewers`, `assign` and the server take --recall (or "recall") \
        instead of an ef; `refer stats` lists the targets with their held-out recall. Queries:
        --queries FILE (an .fbin, or a text file with one draft per line, embedded), else up to \
        10,000 stored papers, each left out of the index while it is a query. The default target \
        (a search without --recall) is --default-recall, else the highest target at most 0.95.

        With --dataset: builds (or loads) the dataset's index, computes exact neighbours of the learn set \
        (learn.fbin, else 10,000 base vectors), trains the model and tunes one multiplier per \
        target recall on held-out queries. The models are saved beside the index as \
        INDEX.termination.json and refused by any other index.

        With --export-states DIR it only writes what the models would be trained on (the \
        search states at the checkpoints and when each true neighbour was found) for \
        offline study, and tunes nothing (Benchmarks/learned/study.sh reads them).

        Example:
          refer tune --store refer-store --target-recall 0.9,0.95,0.99
          refer tune --dataset ../shared/datasets/pypi-minilm-100k \\
              --target-recall 0.95,0.99
        """
    )
    @Option(help: "Dataset folder.") var dataset: String?
    @Option(help: "Store folder: tune its index and keep the models in it.") var store: String?
    @Option(help: "With --store: queries to tune on, an .fbin or a text file of drafts, one per line (default: sampled stored papers).") var queries: String?
    @Option(name: .customLong("default-recall"), help: "With --store: the target a search without --recall uses.") var defaultRecall: Double?
    @Option(help: "With --store: held-out recall must reach each target by this many standard errors (0: the estimate; 1: unseen queries reach the target, at some cost).") var confidence = 0.0
    @Option(help: "Model directory (to embed a text --queries file).") var modelDir: String?
    @Option(name: .customLong("target-recall"), help: "Comma-separated target recalls (required unless --export-states).") var targetRecall: String?
    @Option(help: "Neighbours per query (recall@k).") var k = 10
    @Option(help: "HNSW links per node.") var m = 16
    @Option(name: .customLong("ef-construction"), help: "Beam width while building.") var efConstruction = 200
    @Option(name: .customLong("build-threads"), help: "Threads for the build.") var buildThreads = 2
    @Option(help: "Index file (default: ~/.cache/refer/indexes/DATASET-mM-efcE.hnsw).") var index: String?
    @Option(name: .customLong("export-states"), help: "Write the training states to this folder instead of tuning.") var exportStates: String?

    func run() throws {
        if let store {
            guard dataset == nil, exportStates == nil else { throw ValidationError("--store tunes a store; --dataset and --export-states are for benchmark datasets") }
            guard let targetRecall else { throw ValidationError("give --target-recall, e.g. 0.9,0.95,0.99") }
            try tuneStore(store, targets: parseTargets(targetRecall))
            return
        }
        guard queries == nil, defaultRecall == nil, confidence == 0 else { throw ValidationError("--queries, --default-recall and --confidence go with --store") }
        guard let dataset else { throw ValidationError("give --store DIR (or --dataset DIR for a benchmark dataset)") }
        guard targetRecall != nil || exportStates != nil else {
            throw ValidationError("give --target-recall (or --export-states DIR to export the training states only)")
        }
        let targets = try targetRecall.map(parseTargets) ?? []   // a bad list fails before the index is built
        if let exportStates {   // so does a folder that cannot be made
            do { try FileManager.default.createDirectory(atPath: exportStates, withIntermediateDirectories: true) } catch {
                let posix = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error).map { String(cString: strerror(Int32(($0 as NSError).code))) }
                throw ValidationError("--export-states: cannot make the folder \(exportStates): \(posix ?? "\(error)")")
            }
        }
        let data = try BenchDataset(directory: dataset, k: k, metric: nil)
        var runner = BenchRunner()
        let buildProgress = ProgressReporter("build")
        runner.buildProgress = { buildProgress.update($0, $1) }
        runner.k = k; runner.m = m; runner.efConstruction = efConstruction; runner.buildThreads = buildThreads
        runner.indexPath = index ?? defaultIndexPath(data.name, m: m, efConstruction: efConstruction, baseLimit: nil)
        let (hnsw, _) = try runner.prepareIndex(data)
        if let exportStates {
            try TerminationModels.exportStates(hnsw, data, k: k, to: exportStates, log: { stderr("tune: \($0)") })
            print("wrote the training states to \(exportStates)")
            return
        }
        let entries = try TerminationModels.tune(hnsw, data, targets: targets, k: k, indexPath: runner.indexPath!,
                                                 log: { stderr("tune: \($0)") })
        for e in entries {
            if e.model.predictsAtAll {
                print(String(format: "target %.3f: checkpoint %d, multiplier %.3f, cap %d", e.target_recall,
                             e.model.checkpoint, e.model.multiplier, e.model.maxEvaluations))
            } else {
                print(String(format: "target %.3f: plain beam, ef %d (no trained model was cheaper)", e.target_recall, e.model.beam))
            }
        }
        print("saved \(TerminationModels.path(forIndex: runner.indexPath!))")
    }

    func tuneStore(_ path: String, targets: [Double]) throws {
        let paperStore = try PaperStore(path: path)
        var tuner = StoreTuner(targets: targets)
        guard confidence >= 0 else { throw ValidationError("--confidence must be 0 or more, got \(confidence)") }
        tuner.k = k; tuner.defaultRecall = defaultRecall; tuner.confidence = confidence
        tuner.log = { stderr("tune: \($0)") }
        let given = try queries.map { try QueryFile.vectors($0, modelDir: modelDir) }
        let tuned = try tuner.tune(paperStore, queries: given, queriesName: queries.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "")
        for t in tuned.targets {
            print(String(format: "target %.3f: held-out recall@%d %.4f, %.0f evaluations; plain ef %d: %.4f, %.0f evaluations",
                         t.target_recall, tuned.k, t.held_out_recall, t.mean_evaluations, t.plain_ef, t.plain_recall, t.plain_mean_evaluations))
        }
        print("saved in \(path) (default recall \(tuned.default_recall))")
    }
}
