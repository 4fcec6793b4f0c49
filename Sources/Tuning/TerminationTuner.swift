import EarlyTermination
import Foundation
import GBDT
import HNSW
import Kernels
import VectorIO
import XGBoostTraining

/// Trains and tunes learned early termination for one index (Li et al., SIGMOD 2020,
/// generalised to recall@k):
/// 1. exact neighbours of the training queries;
/// 2. each query's label: the level-0 distance evaluations after which all k true
///    neighbours are in its results (capped at `maxEvaluations`);
/// 3. the checkpoint T: the largest candidate budget at which at most half the
///    training queries are already solved (so the search state at T still tells
///    easy from hard, and budgets below most targets stay reachable);
/// 4. features at T, 2T, 4T, ... (`checkpoints` of them), a GBDT on log2(label)
///    over 80% of the queries; one such model per label in ``labelsMissing`` (all k true
///    neighbours found, as the paper's recall@1 label generalises, or all but one);
/// 5. refer's gain model: states from T/2 on, √2 apart, each labelled with the
///    recall@k the walk gained by doubling its evaluations from there;
/// 6. per target recall, per candidate beam and cap (``capFractions`` of fixed ef's 99th
///    percentile of evaluations at the target, less the descent's), for every model (and for the paper's
///    kind, every ``multiplierShrinks`` value), the smallest multiplier or patience (binary search) whose recall@k on the held-out 20% reaches
///    the target; of the candidates whose 99th percentile of evaluations is at most
///    fixed ef's at the same recall (all of them when none is), those within
///    ``finalistSlack`` of the lowest held-out cost (evaluations plus predictions priced
///    in evaluations), and each other beam's cheapest within ``beamSlack``, are timed on
///    the held-out queries and the fastest is kept. The log also gives fixed ef's evaluations, a perfect per-query budget's
///    (``PerfectBudget``) at that recall, and the held-out recall's standard error.
///    A plain beam (``LearnedTermination/plainBeam(k:beam:trees:indexFingerprint:)``, the
///    smallest ef reaching the target, no predictions) competes with the trained models
///    on the same terms, so where the trees do not pay for themselves the tuned search is
///    ef search.
public struct TerminationTuner {
    /// Held-out recall must reach the target by this many of its standard errors (0: the
    /// estimate itself; 1: one standard error above, so that unseen queries get the target
    /// about 84% of the time, as a store's recall contract asks).
    public var confidence = 0.0
    public var k = 10
    public var maxEvaluations = 20_000
    public var checkpointCandidates = [16, 32, 64, 128, 256, 512, 1024]
    /// Predictions per query: at T and at each doubling of it (see `LearnedTermination.checkpoints`).
    public var checkpoints = 5
    /// Spacing of the gain model's checkpoints (each this many times the previous).
    public var gainGrowth = 2.0.squareRoot()
    /// Beams tried for every target; the one needing the fewest held-out evaluations wins.
    public var beamCandidates = [32, 64, 128, 256, 512, 1024]
    /// Labels tried for the paper's model, as how many of the k true neighbours a label
    /// may leave out (0 is the paper's: all k found). A mean recall below 1 does not need
    /// every query's last neighbour, and when it comes late a label that waits for it
    /// asks for work the target does not need.
    public var labelsMissing = [0, 1]
    /// Caps on a query's level-0 evaluations tried for every target, as fractions of fixed
    /// ef's 99th percentile of evaluations there (less the descent's): issue 5 asks for a
    /// p99 latency below fixed ef's, and a predicted budget alone gives the few queries it
    /// misjudges far more than fixed ef would.
    public var capFractions = [1.0, 0.85]
    /// Candidates within this fraction of the lowest held-out cost are finalists, at most
    /// `finalistCount` of them; each is timed on the held-out queries and the fastest kept
    /// (a wider beam evaluates no more nodes but does more heap work per evaluation).
    public var finalistSlack = 0.03
    public var finalistCount = 4
    /// Each beam's cheapest candidate within this fraction of the lowest held-out cost is
    /// timed too: a wider beam admits more of what it evaluates to its heaps, so a beam
    /// that needs a few percent more evaluations can still be the faster one, and only
    /// timing tells (see docs/learned-termination.md, the 727k set).
    public var beamSlack = 0.15
    /// Values of `LearnedTermination.multiplierShrink` tried for the paper's model.
    public var multiplierShrinks = [0.25]
    public var trainer = XGBoostTrainer()
    /// Threads for measuring candidate models on the held-out queries.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var log: (String) -> Void = { _ in }

    public init() {}

    /// Steps 1-4 up to the features: what every model is trained on (see ``TrainingStates``).
    public func trainingStates(_ index: HNSWIndex, base: Matrix<Float>, learn: Matrix<Float>) throws -> TrainingStates {
        let truth = try ExactSearch.search(base: base, queries: learn, k: k, metric: index.metric).ids
        return try trainingStates(index, queries: (0..<learn.rows).map { learn.row($0) },
                                  truths: (0..<learn.rows).map { truth[$0].map { UInt32($0) } })
    }

    /// ``trainingStates(_:base:learn:)`` for queries whose exact k nearest (index ids) are known.
    public func trainingStates(_ index: HNSWIndex, queries: [[Float]], truths: [[UInt32]]) throws -> TrainingStates {
        // Labels.
        var foundAt: [[Int]] = [], descents: [Int] = []
        for (q, t) in zip(queries, truths) {
            let trace = try index.budgetedSearch(q, k: k, budget: maxEvaluations, truth: t)
            foundAt.append(trace.truthFoundAt)
            descents.append(trace.descentEvaluations)
        }
        let sorted = foundAt.map { TrainingStates.label($0, k: k, cap: maxEvaluations) }.sorted()
        let median = sorted[sorted.count / 2]
        let checkpoint = checkpointCandidates.last { $0 <= median } ?? checkpointCandidates.first!
        log("labels: median \(median) evaluations; checkpoint T = \(checkpoint)")
        // Features at T, 2T, ...
        let dim = index.dimension
        var rows: [[Float]] = [], used: [Int] = []
        var rowQuery: [Int] = []
        for (i, q) in queries.enumerated() {
            let trace = try index.budgetedSearch(q, k: k, budget: checkpoint << (checkpoints - 1), checkpoint: checkpoint,
                                                 checkpoints: checkpoints)
            guard !trace.states.isEmpty else { continue }   // graph exhausted before T: nothing to predict
            for f in trace.states {
                rows.append(q.withUnsafeBufferPointer { LearnedTermination.features(query: $0.baseAddress!, dimension: dim, state: f) })
                rowQuery.append(i)
            }
            used.append(i)
        }
        let split = used.count * 4 / 5
        guard split > 10, used.count - split > 10 else {
            throw HNSWError.invalidConfiguration("too few training queries (\(used.count)) to tune early termination")
        }
        return TrainingStates(k: k, maxEvaluations: maxEvaluations, checkpoint: checkpoint, checkpoints: checkpoints,
                              queries: queries, truths: truths, foundAt: foundAt, descents: descents,
                              rows: rows, rowQuery: rowQuery, used: used, split: split)
    }

    /// Writes the training states to `directory` (``TrainingStates/write(to:fixedEf:)``)
    /// with fixed ef's recall and evaluations on the same held-out queries, and trains nothing.
    public func exportStates(_ index: HNSWIndex, base: Matrix<Float>, learn: Matrix<Float>, to directory: String) throws {
        let states = try trainingStates(index, base: base, learn: learn)
        let heldOut = states.used[states.split...].map { (states.queries[$0], Set(states.truths[$0])) }
        let fixed = try fixedEfCurve(index, heldOut).curve
        try states.write(to: directory, fixedEf: fixed.map { ["ef": Double($0.ef), "recall": $0.recall, "evaluations": $0.evaluations] })
    }

    /// One model per target recall, in the order given.
    public func tune(_ index: HNSWIndex, base: Matrix<Float>, learn: Matrix<Float>, targets: [Double]) throws -> [LearnedTermination] {
        try tune(index, states: trainingStates(index, base: base, learn: learn), targets: targets)
    }

    /// One model per target recall, for queries whose exact k nearest (index ids) are known.
    public func tune(_ index: HNSWIndex, queries: [[Float]], truths: [[UInt32]], targets: [Double]) throws -> [LearnedTermination] {
        try tune(index, states: trainingStates(index, queries: queries, truths: truths), targets: targets)
    }

    func tune(_ index: HNSWIndex, states: TrainingStates, targets: [Double]) throws -> [LearnedTermination] {
        let (queries, truths, labels, foundAt, descents) = (states.queries, states.truths, states.labels, states.foundAt, states.descents)
        let (rows, rowQuery, used, split, checkpoint) = (states.rows, states.rowQuery, states.used, states.split, states.checkpoint)
        let dim = index.dimension
        let splitRow = rowQuery.firstIndex(of: used[split])!   // rows of the training queries come first
        let trainingFeatures = rows[..<splitRow].flatMap { $0 }
        // One model per label: the evaluations until `rank` of the k true neighbours are in.
        var labelModels: [(rank: Int, trees: RegressionTrees)] = []
        for rank in Set(labelsMissing.map { max(1, k - $0) }).sorted() {
            let logs = rowQuery.map { i -> Float in
                Float(log2(Double(max(1, foundAt[i].count >= rank ? foundAt[i][rank - 1] : maxEvaluations))))
            }
            let trees = try trainer.train(features: trainingFeatures, rows: splitRow,
                                          columns: dim + LearnedTermination.stateFeatureCount, labels: Array(logs[..<splitRow]))
            log(String(format: "label: evaluations until %d of %d found; prediction error on held-out queries: %.2f log2 units (%.2f predicting the mean)",
                       rank, k, rootMeanSquare(rows[splitRow...].indices.map { Double(trees.predict(rows[$0]) - logs[$0]) }),
                       rootMeanSquare(logs[splitRow...].map { Double($0 - logs[..<splitRow].reduce(0, +) / Float(splitRow)) })))
            labelModels.append((rank, trees))
        }
        let fingerprint = index.fingerprint
        let predictionNs = predictionNanoseconds(labelModels.last!.trees, rows)
        log(String(format: "one prediction (%d trees of depth %d) takes %.0f ns", labelModels.last!.trees.treeCount,
                   labelModels.last!.trees.depth, predictionNs))
        // refer's gain-predicting model: states from T/2 on, `gainGrowth` apart, up to the
        // cap; each labelled with the recall@k the walk gained from there to twice its evaluations.
        let gainCheckpoint = max(8, checkpoint / 2)
        let gainCheckpoints = Int((Foundation.log(Double(maxEvaluations) / Double(gainCheckpoint)) / Foundation.log(gainGrowth)).rounded(.up)) + 1
        var gainRows: [[Float]] = [], gainLabels: [Float] = [], gainRowIsTraining: [Bool] = []
        let training = Set(used[..<split])
        for i in used {
            // Past the last true neighbour the states only teach "done"; a few of them suffice.
            let trace = try index.budgetedSearch(queries[i], k: k, budget: min(maxEvaluations, 2 * labels[i] + 2 * gainCheckpoint),
                                                 checkpoint: gainCheckpoint, checkpoints: gainCheckpoints,
                                                 growth: gainGrowth, truth: truths[i])
            for f in trace.states {
                gainRows.append(queries[i].withUnsafeBufferPointer { LearnedTermination.features(query: $0.baseAddress!, dimension: dim, state: f) })
                let now = Int(f.evaluations)
                gainLabels.append(Float(trace.truthFoundAt.filter { $0 > now && $0 <= 2 * now }.count) / Float(k))
                gainRowIsTraining.append(training.contains(i))
            }
        }
        let gainTrain = gainRows.indices.filter { gainRowIsTraining[$0] }
        let gainHeld = gainRows.indices.filter { !gainRowIsTraining[$0] }
        let gainTrees = try trainer.train(features: gainTrain.flatMap { gainRows[$0] }, rows: gainTrain.count,
                                            columns: dim + LearnedTermination.stateFeatureCount, labels: gainTrain.map { gainLabels[$0] })
        let meanGain = gainTrain.reduce(Float(0)) { $0 + gainLabels[$1] } / Float(max(1, gainTrain.count))
        log(String(format: "gain model: %d states from %d evaluations, %.3fx apart; held-out error %.3f (%.3f predicting the mean)",
                   gainRows.count, gainCheckpoint, gainGrowth,
                   rootMeanSquare(gainHeld.map { Double(gainTrees.predict(gainRows[$0]) - gainLabels[$0]) }),
                   rootMeanSquare(gainHeld.map { Double(gainLabels[$0] - meanGain) })))

        let heldOut = used[split...].map { (queries[$0], Set(truths[$0])) }
        func model(_ multiplier: Double, beam: Int, cap: Int, trees: RegressionTrees, shrink: Double) -> LearnedTermination {
            LearnedTermination(k: k, predicts: .evaluations, checkpoint: checkpoint, checkpoints: checkpoints, multiplier: multiplier,
                               multiplierShrink: shrink, beam: beam, maxEvaluations: cap, trees: trees, indexFingerprint: fingerprint)
        }
        func gainModel(_ patience: Double, beam: Int, cap: Int) -> LearnedTermination {
            LearnedTermination(k: k, predicts: .gain, checkpoint: gainCheckpoint, checkpoints: gainCheckpoints,
                               growth: gainGrowth, patience: patience, beam: beam, maxEvaluations: cap,
                               trees: gainTrees, indexFingerprint: fingerprint)
        }
        /// Held-out recall@k, mean evaluations and predictions, and the 99th percentile of evaluations.
        /// Spread over `threads` threads: these searches only count, nothing is timed.
        func measure(_ m: LearnedTermination) throws -> Measured {
            let workers = max(1, threads), k = self.k
            let tallies = Tallies(queries: heldOut.count)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in stride(from: w, to: heldOut.count, by: workers) {
                    let (q, t) = heldOut[i]
                    var stats = SearchStats()
                    guard let found = try? index.search(q, k: k, termination: m, stats: &stats) else { continue }
                    tallies.set(i, hits: found.filter { t.contains($0.id) }.count, evaluations: stats.distanceCount,
                                predictions: stats.predictions)
                }
            }
            return tallies.measured(k: k, model: m)
        }
        /// Whether a held-out measurement reaches `target` with the asked confidence.
        func reaches(_ m: Measured, _ target: Double) -> Bool { m.recall - confidence * m.recallError >= target }
        /// The smallest parameter at which `make` reaches `target` on the held-out
        /// queries (recall grows with it): doubling from `start` up to `limit`, then bisecting.
        func smallest(_ target: Double, from start: Double, limit: Double,
                      _ make: (Double) -> LearnedTermination) throws -> Measured? {
            var lo = 0.0, hi = start
            while !reaches(try measure(make(hi)), target) {
                guard hi < limit else { return nil }
                lo = hi; hi = min(limit, hi * 2)
            }
            for _ in 0..<10 { let mid = (lo + hi) / 2; if reaches(try measure(make(mid)), target) { hi = mid } else { lo = mid } }
            let result = try measure(make(hi))
            return reaches(result, target) ? result : nil
        }
        /// The smallest plain beam (ef search, no predictions) reaching `target`.
        func plainBeam(_ target: Double, trees: RegressionTrees) throws -> Measured? {
            try smallest(target, from: Double(k), limit: 4096) {
                LearnedTermination.plainBeam(k: k, beam: Int($0.rounded(.up)), trees: trees, indexFingerprint: fingerprint)
            }
        }
        /// Seconds to search every held-out query once, on one thread.
        func searchSeconds(_ m: LearnedTermination) throws -> Double {
            var stats = SearchStats()
            let start = DispatchTime.now().uptimeNanoseconds
            for (q, _) in heldOut { _ = try index.search(q, k: k, termination: m, stats: &stats) }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        /// The finalist with the lowest median time over three alternating passes.
        func fastest(_ finalists: [Measured], target: Double) throws -> Measured {
            guard finalists.count > 1 else { return finalists[0] }
            var times = Array(repeating: [Double](), count: finalists.count)
            for _ in 0..<3 { for (i, f) in finalists.enumerated() { times[i].append(try searchSeconds(f.model)) } }
            let medians = times.map { $0.sorted()[1] * 1e6 / Double(heldOut.count) }
            for (f, us) in zip(finalists, medians) {
                log(String(format: "target %.3f, finalist beam %d, cap %d, predicting %@: %.0f evaluations, %.1f us a query",
                           target, f.model.beam, f.model.maxEvaluations, f.model.predictionName, f.evaluations, us))
            }
            return finalists[medians.indices.min { medians[$0] < medians[$1] }!]
        }
        let (fixedCurve, evaluationNs) = try fixedEfCurve(index, heldOut)
        // Candidates compete on their whole cost in evaluations: a prediction (and the
        // state it reads) costs about twice the trees' own time.
        let predictionCost = 2 * predictionNs / max(1, evaluationNs)
        log(String(format: "a search evaluation costs %.0f ns (fixed ef): one prediction counts as %.1f evaluations", evaluationNs, predictionCost))
        let heldOutFound = used[split...].map { foundAt[$0] }
        let meanDescent = Double(used[split...].reduce(0) { $0 + descents[$1] }) / Double(heldOut.count)
        let descentTail = Double(percentile99(used[split...].map { descents[$0] }) ?? 0)
        return try targets.map { target in
            // Fixed ef's 99th percentile of evaluations: the bar a candidate's own must clear
            // at its recall, and, taken at the target, a cap every candidate is also tried with
            // (issue 5 asks for a lower p99 latency than fixed ef's, not only a lower mean).
            let fixedTail = interpolate(fixedCurve, at: target) { $0.p99Evaluations }
            // A cap bounds the level-0 walk; the tail counts the descent too, so the cap leaves
            // room for a long one. Without a fixed tail to keep under (a target beyond the
            // fixed curve), the walk is only capped at `maxEvaluations`.
            let caps = fixedTail.map { tail in capFractions.map { max(k, min(maxEvaluations, Int($0 * tail - descentTail))) } }
                ?? [maxEvaluations]
            var kept: [Measured] = [], all: [Measured] = []
            func cost(_ c: Measured) -> Double { c.evaluations + c.predictions * predictionCost }
            func keepsTail(_ c: Measured) -> Bool {
                interpolate(fixedCurve, at: c.recall) { $0.p99Evaluations }.map { c.p99Evaluations <= $0 } ?? true
            }
            for beam in beamCandidates where beam >= k {
                for cap in Set(caps).sorted(by: >) {
                    let candidates = try labelModels.flatMap { m in
                        try multiplierShrinks.map { shrink in
                            (name: "evaluations (\(m.rank) of \(k), shrink \(shrink))",
                             try smallest(target, from: 0.05, limit: 1024) { model($0, beam: beam, cap: cap, trees: m.trees, shrink: shrink) })
                        }
                    } + [(name: "gain", try smallest(target, from: 1000, limit: 1e9) { gainModel($0, beam: beam, cap: cap) })]
                    for case let (name, c?) in candidates {
                        let parameter = c.model.predicts == .gain ? c.model.patience : c.model.multiplier
                        log(String(format: "target %.3f, beam %d, cap %d, predicting %@: %@ %.3f, held-out recall %.4f, %.0f evaluations (p99 %.0f), %.1f predictions",
                                   target, beam, cap, name, c.model.predicts == .gain ? "patience" : "multiplier",
                                   parameter, c.recall, c.evaluations, c.p99Evaluations, c.predictions))
                        all.append(c)
                        if keepsTail(c) { kept.append(c) }
                    }
                }
            }
            if let c = try plainBeam(target, trees: labelModels[0].trees) {
                log(String(format: "target %.3f, plain beam (no predictions): ef %d, held-out recall %.4f, %.0f evaluations (p99 %.0f)",
                           target, c.model.beam, c.recall, c.evaluations, c.p99Evaluations))
                all.append(c)
                if keepsTail(c) { kept.append(c) }
            }
            if kept.isEmpty && !all.isEmpty {
                log(String(format: "target %.3f: no candidate keeps its p99 evaluations within fixed ef's; keeping the cheapest", target))
            }
            let ranked = (kept.isEmpty ? all : kept).sorted { cost($0) < cost($1) }
            guard let cheapest = ranked.first else {
                throw HNSWError.invalidConfiguration("no beam and multiplier reach recall \(target) on the held-out queries")
            }
            // Evaluations do not price a wide beam's heap work: the finalists are timed.
            var finalists = Array(ranked.prefix { cost($0) <= (1 + finalistSlack) * cost(cheapest) }.prefix(finalistCount))
            for candidate in ranked where cost(candidate) <= (1 + beamSlack) * cost(cheapest)
                && !finalists.contains(where: { $0.model.beam == candidate.model.beam }) {
                finalists.append(candidate)   // `ranked` is cheapest first: the beam's best
            }
            let best = try fastest(finalists, target: target)
            if !best.model.predictsAtAll {
                log(String(format: "target %.3f: no trained model is cheaper than a plain beam of %d here; the tuned search is ef search", target, best.model.beam))
            }
            log(String(format: "target %.3f: predicting %@, beam %d, cap %d (held-out recall %.4f ± %.4f standard error, p99 evaluations %.0f against fixed ef's %@)",
                       target, best.model.predictionName, best.model.beam, best.model.maxEvaluations, best.recall, best.recallError,
                       best.p99Evaluations, figure(interpolate(fixedCurve, at: best.recall) { $0.p99Evaluations })))
            let fixed = interpolate(fixedCurve, at: best.recall) { $0.evaluations }
            let perfect = PerfectBudget.meanEvaluations(foundAt: heldOutFound, k: k, target: best.recall).map { $0 + meanDescent }
            log("target \(String(format: "%.3f", target)), held-out evaluations per query at recall \(String(format: "%.4f", best.recall)): "
                + "fixed ef \(figure(fixed)), learned \(figure(best.evaluations)), a perfect per-query budget \(figure(perfect))")
            return best.model
        }
    }
}

/// One fixed ef on the held-out queries.
struct FixedEfPoint {
    var ef: Int
    var recall: Double
    var evaluations: Double
    var p99Evaluations: Double
}

/// A candidate model on the held-out queries.
struct Measured {
    var model: LearnedTermination
    var recall: Double
    /// The standard error of `recall` over the held-out queries.
    var recallError: Double
    var evaluations: Double
    var p99Evaluations: Double
    var predictions: Double
}

extension TerminationTuner {
    /// Recall@k, mean and 99th-percentile evaluations of fixed-ef search on `queries`, ef
    /// ascending, and the nanoseconds one evaluation takes in it (all its work over its evaluations).
    func fixedEfCurve(_ index: HNSWIndex, _ queries: [([Float], Set<UInt32>)]) throws
        -> (curve: [FixedEfPoint], evaluationNs: Double) {
        var totalEvaluations = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let curve = try [16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048].filter { $0 >= k }.map { ef in
            var hits = 0, perQuery: [Int] = []
            for (q, t) in queries {
                var stats = SearchStats()
                let found = try q.withUnsafeBufferPointer { try index.search($0, k: k, ef: ef, stats: &stats) }
                hits += found.filter { t.contains($0.id) }.count
                perQuery.append(stats.distanceCount)
            }
            totalEvaluations += perQuery.reduce(0, +)
            return FixedEfPoint(ef: ef, recall: Double(hits) / Double(queries.count * k),
                                evaluations: Double(perQuery.reduce(0, +)) / Double(queries.count),
                                p99Evaluations: Double(percentile99(perQuery) ?? 0))
        }
        return (curve, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(max(1, totalEvaluations)))
    }

    /// `value` of `curve` at `recall`, linear between its points; nil outside it.
    func interpolate(_ curve: [FixedEfPoint], at recall: Double, _ value: (FixedEfPoint) -> Double) -> Double? {
        for (a, b) in zip(curve, curve.dropFirst()) where a.recall <= recall && recall <= b.recall && b.recall > a.recall {
            return value(a) + (recall - a.recall) / (b.recall - a.recall) * (value(b) - value(a))
        }
        return nil
    }
}

private func figure(_ v: Double?) -> String { v.map { String(format: "%.0f", $0) } ?? "-" }

private func rootMeanSquare<C: Collection>(_ values: C) -> Double where C.Element == Double {
    values.isEmpty ? 0 : (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
}

/// Per-query counts filled in by worker threads.
private final class Tallies: @unchecked Sendable {
    private let lock = NSLock()
    private var hits: [Int], evaluations: [Int], predictions: [Int]
    init(queries: Int) {
        hits = Array(repeating: 0, count: queries); evaluations = hits; predictions = hits
    }
    func set(_ query: Int, hits h: Int, evaluations e: Int, predictions p: Int) {
        lock.withLock { hits[query] = h; evaluations[query] = e; predictions[query] = p }
    }
    func measured(k: Int, model: LearnedTermination) -> Measured {
        lock.withLock {
            let n = Double(hits.count)
            return Measured(model: model, recall: Double(hits.reduce(0, +)) / (n * Double(k)),
                            recallError: standardErrorOfMean(hits.map { Double($0) / Double(k) }),
                            evaluations: Double(evaluations.reduce(0, +)) / n, p99Evaluations: Double(percentile99(evaluations) ?? 0),
                            predictions: Double(predictions.reduce(0, +)) / n)
        }
    }
}

/// Mean time of one native prediction over the given feature rows (repeated to 100,000 calls).
private func predictionNanoseconds(_ trees: RegressionTrees, _ rows: [[Float]]) -> Double {
    guard !rows.isEmpty else { return 0 }
    var sink: Float = 0
    let calls = 100_000
    let start = DispatchTime.now().uptimeNanoseconds
    let hot = Array(rows.prefix(16))   // the search predicts from a row it just built: in cache
    for i in 0..<calls { sink += trees.predict(hot[i % hot.count]) }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    if sink.isNaN { print("") }   // keeps the loop from being optimised away
    return elapsed / Double(calls)
}
