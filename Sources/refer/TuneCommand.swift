import ArgumentParser
import Foundation
import HNSW
import ReferBench

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Train learned early termination (Li et al., SIGMOD 2020) for a dataset's index, one model per target recall.",
        discussion: """
        Builds (or loads) the dataset's index, computes exact neighbours of the learn set
        (learn.fbin, else 10,000 base vectors), trains the model and tunes one multiplier per
        target recall on held-out queries. The models are saved beside the index as
        INDEX.termination.json and refused by any other index.

        With --export-states DIR it only writes what the models would be trained on (the
        search states at the checkpoints and when each true neighbour was found) for
        offline study, and tunes nothing (Benchmarks/learned/study.sh reads them).

        Example:
          refer tune --dataset ../shared/datasets/pypi-minilm-100k --target-recall 0.95,0.99
        """
    )
    @Option(help: "Dataset folder.") var dataset: String
    @Option(name: .customLong("target-recall"), help: "Comma-separated target recalls (required unless --export-states).") var targetRecall: String?
    @Option(help: "Neighbours per query (recall@k).") var k = 10
    @Option(help: "HNSW links per node.") var m = 16
    @Option(name: .customLong("ef-construction"), help: "Beam width while building.") var efConstruction = 200
    @Option(name: .customLong("build-threads"), help: "Threads for the build.") var buildThreads = 2
    @Option(help: "Index file (default: ~/.cache/refer/indexes/DATASET-mM-efcE.hnsw).") var index: String?
    @Option(name: .customLong("export-states"), help: "Write the training states to this folder instead of tuning.") var exportStates: String?

    func run() throws {
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
}
