import ArgumentParser
import Foundation
import HNSW
import Kernels
import ReferBench
import Storage

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Build an HNSW index over a dataset and measure recall, QPS and latency per ef.",
        discussion: """
        The dataset folder holds base.fbin and query.fbin (or .fvecs/.u8bin/.bvecs/.i8bin) and, \
        optionally, query.gt*.ibin with exact neighbours; without it the ground truth is computed.
        QPS is single-thread over the whole query set; build uses --build-threads threads.

        Example:
          refer bench --dataset ../shared/datasets/pypi-minilm-100k --ef 32,64,128 \\
              --json out/bench.json
        """
    )

    @Option(help: "Dataset folder.") var dataset: String
    @Option(help: "Neighbours per query (recall@k).") var k = 10
    @Option(help: "HNSW links per node (2M at level 0).") var m = 16
    @Option(name: .customLong("ef-construction"), help: "Beam width while building.") var efConstruction = 200
    @Option(name: .customLong("build-threads"), help: "Threads for the build.") var buildThreads = 2
    @Option(help: "Comma-separated search beam widths.") var ef = "10,16,24,32,48,64,96,128,192,256,384,512"
    @Option(help: "l2, ip or cosine; default: ip for unit-length vectors, l2 otherwise.") var metric: String?
    @Option(name: .customLong("base-limit"), help: "Use only the first N base vectors.") var baseLimit: Int?
    @Flag(help: "Traverse the graph with codes (--code-bits) and re-rank the beam with the stored Float32 or Float16 vectors (refer-int8, refer-f16-q4, ...).") var quantized = false
    @Option(name: .customLong("code-bits"), help: "Bits a component of the --quantized codes: 8 or 4.") var codeBits = 8
    @Option(help: "Stored form of the vectors: float32, float16 (reported as refer-f16) or int8 (codes only, refer-sq8).") var storage = "float32"
    @Option(name: .customLong("index-form"), help: "A store's index form, as a new store of that form builds it: float32, or compact (Float16 vectors, 8-bit traversal codes, M 32). Sets --storage, --quantized, --code-bits and --m.")
    var indexForm: IndexForm?
    @Option(help: "Write the JSON report here.") var json: String?
    @Option(help: "Load the index from this file if present, else build and save it (for repeated runs).") var index: String?
    @Flag(help: "Also measure learned early termination (refer-fixed and refer-learned), tuning it first if needed.") var learned = false
    @Option(name: .customLong("target-recall"), help: "Target recalls for --learned.") var targetRecall = "0.9,0.95,0.99,0.995"
    @Option(help: "With --learned: rounds of fixed and learned measured in turn (medians reported).") var rounds = 3

    func run() throws {
        let efs = try ef.split(separator: ",").map { part -> Int in
            guard let v = Int(part.trimmingCharacters(in: .whitespaces)), v >= 1 else {
                throw ValidationError("--ef: '\(part)' is not a positive integer")
            }
            return v
        }
        var parsedMetric: Metric? = nil
        if let metric {
            guard let m = Metric(rawValue: metric) else { throw ValidationError("--metric must be l2, ip or cosine, got '\(metric)'") }
            parsedMetric = m
        }
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard buildThreads >= 1 else { throw ValidationError("--build-threads must be at least 1") }
        var m = self.m, storage = self.storage, quantized = self.quantized, codeBits = self.codeBits
        if let indexForm {
            m = indexForm.m; storage = indexForm.storage.rawValue
            quantized = indexForm.traversalCodeBits != nil; codeBits = indexForm.traversalCodeBits ?? codeBits
        }
        guard let parsedStorage = VectorStorage(rawValue: storage) else {
            throw ValidationError("--storage must be float32, float16 or int8, got '\(storage)'")
        }

        let data = try BenchDataset(directory: dataset, k: k, metric: parsedMetric, baseLimit: baseLimit)
        stderr("dataset \(data.name): \(data.base.rows) base x \(data.base.columns), \(data.queries.rows) queries, metric \(data.metric.rawValue), ground truth: \(data.groundTruthSource)")
        var runner = BenchRunner()
        let buildProgress = ProgressReporter("build")
        runner.buildProgress = { buildProgress.update($0, $1) }
        runner.k = k; runner.m = m; runner.efConstruction = efConstruction
        runner.buildThreads = buildThreads; runner.efs = efs
        runner.indexPath = index
        guard codeBits == 8 || codeBits == 4 else { throw ValidationError("--code-bits must be 8 or 4, got \(codeBits)") }
        runner.quantized = quantized
        runner.codeBits = codeBits
        runner.storage = parsedStorage
        let report: BenchReport
        if learned {
            let targets = try parseTargets(targetRecall)
            runner.indexPath = index ?? defaultIndexPath(data.name, m: m, efConstruction: efConstruction, baseLimit: baseLimit, storage: parsedStorage)
            let (hnsw, buildSeconds) = try runner.prepareIndex(data)
            let models = try TerminationModels.load(forIndex: runner.indexPath!, index: hnsw, targets: targets, k: k,
                                                    note: { stderr("  \($0)") })
                ?? TerminationModels.tune(hnsw, data, targets: targets, k: k, indexPath: runner.indexPath!, log: { stderr("  tune: \($0)") })
            // Fixed ef at each model's recall comes from the two adjacent efs around it (the cost
            // of recall is convex, so interpolating across a wide gap of the sweep would flatter
            // the models); a plain-beam model is ef search at its beam, which is measured too.
            let bracketing = try runner.efsBracketing(hnsw, data, models: models.map(\.model))
            runner.efs = Array(Set(efs + bracketing + models.filter { !$0.model.predictsAtAll }.map(\.model.beam))).sorted()
            stderr("  fixed ef sweep: \(runner.efs.map(String.init).joined(separator: ","))")
            // Fixed and learned alternate, round after round, so both see the same machine; medians are kept.
            var fixedRounds: [[BenchPoint]] = [], learnedRounds: [[BenchPoint]] = []
            for round in 1...max(1, rounds) {
                stderr("  round \(round) of \(rounds)")
                fixedRounds.append(try runner.fixedCurve(hnsw, data))
                learnedRounds.append(try runner.learnedCurve(hnsw, data, models: models.map { ($0.target_recall, $0.model) }))
            }
            let fixed = BenchPoint.medians(fixedRounds), learnedCurve = BenchPoint.medians(learnedRounds)
            report = BenchReport(dataset: data.name, k: k, systems: [
                runner.system(named: "refer-fixed", hnsw, data, buildSeconds: buildSeconds, curve: fixed),
                runner.system(named: "refer-learned", hnsw, data, buildSeconds: buildSeconds, curve: learnedCurve)])
            print(BenchTable.render(report), terminator: "")
            print(LearnedComparison.render(fixed: fixed, learned: learnedCurve,
                                           rounds: zip(fixedRounds, learnedRounds).map { (fixed: $0, learned: $1) }), terminator: "")
        } else {
            report = BenchReport(dataset: data.name, k: k, systems: [try runner.run(data)])
            print(BenchTable.render(report), terminator: "")
        }
        if let json { try writeJSON(report, to: json) }
    }
}

func parseTargets(_ list: String) throws -> [Double] {
    try list.split(separator: ",").map { part in
        guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v > 0, v <= 1 else {
            throw ValidationError("--target-recall: '\(part)' is not a recall in (0, 1]")
        }
        return v
    }
}

/// Where an index built for a dataset is kept between runs (outside the repo).
func defaultIndexPath(_ dataset: String, m: Int, efConstruction: Int, baseLimit: Int?, storage: VectorStorage = .float32) -> String {
    let dir = (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.cache/refer/indexes"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/\(dataset)-m\(m)-efc\(efConstruction)" + (baseLimit.map { "-n\($0)" } ?? "")
        + (storage == .float32 ? "" : "-\(storage.rawValue)") + ".hnsw"
}


