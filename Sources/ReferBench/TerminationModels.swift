import EarlyTermination
import Foundation
import HNSW
import Tuning
import VectorIO

/// Learned-termination models saved beside an index file: `INDEX.termination.json`,
/// one model per target recall. Loading checks each model against the index.
public enum TerminationModels {
    public struct Entry: Codable, Sendable {
        public var target_recall: Double
        public var model: LearnedTermination
    }

    public static func path(forIndex indexPath: String) -> String { indexPath + ".termination.json" }

    /// Saves `entries`, keeping the file's models for other targets or k on the same index.
    public static func save(_ entries: [Entry], forIndex indexPath: String) throws {
        var all = (FileManager.default.contents(atPath: path(forIndex: indexPath))).flatMap { try? JSONDecoder().decode([Entry].self, from: $0) } ?? []
        all.removeAll { old in
            entries.contains { ($0.model.k == old.model.k && abs($0.target_recall - old.target_recall) < 1e-9)
                || $0.model.indexFingerprint != old.model.indexFingerprint }
        }
        all += entries
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(all).write(to: URL(fileURLWithPath: path(forIndex: indexPath)), options: .atomic)
    }

    /// The saved models covering `targets`, or nil when some target has none. A file
    /// made for another index is refused; one this version cannot read (an older model
    /// format, or damaged) is reported through `note` and treated as absent, to be tuned again.
    public static func load(forIndex indexPath: String, index: HNSWIndex, targets: [Double], k: Int,
                            note: (String) -> Void = { _ in }) throws -> [Entry]? {
        guard let data = FileManager.default.contents(atPath: path(forIndex: indexPath)) else { return nil }
        guard let entries = try? JSONDecoder().decode([Entry].self, from: data),
              entries.allSatisfy({ $0.model.trees.featureCount == index.dimension + LearnedTermination.stateFeatureCount })
        else {
            note("\(path(forIndex: indexPath)): not a termination-model file this version of refer reads (older format or damaged); tuning again")
            return nil
        }
        let fingerprint = index.fingerprint
        for e in entries where e.model.indexFingerprint != fingerprint {
            throw SearchInputError("\(path(forIndex: indexPath)): trained for another index; run refer tune again")
        }
        let chosen = targets.compactMap { t in entries.first { abs($0.target_recall - t) < 1e-9 && $0.model.k == k } }
        return chosen.count == targets.count ? chosen : nil
    }

    /// Tunes models for `targets` on the dataset's learn set (or 10,000 base vectors
    /// drawn with a fixed seed when it has none) and saves them beside the index.
    public static func tune(_ index: HNSWIndex, _ data: BenchDataset, targets: [Double], k: Int, indexPath: String,
                            log: @escaping (String) -> Void) throws -> [Entry] {
        let models = try tuner(k: k, log: log).tune(index, base: data.base, learn: trainingQueries(data), targets: targets)
        let entries = zip(targets, models).map { Entry(target_recall: $0, model: $1) }
        try save(entries, forIndex: indexPath)
        return entries
    }

    /// The queries a model is trained and tuned on: the dataset's learn set, else 10,000
    /// base vectors spread evenly over it.
    static func trainingQueries(_ data: BenchDataset) -> Matrix<Float> {
        if let learn = data.learn { return learn }
        let n = min(10_000, data.base.rows)
        let step = max(1, data.base.rows / n)
        let rows = (0..<n).map { ($0 * step + 7) % data.base.rows }
        return Matrix(rows: n, columns: data.base.columns, elements: rows.flatMap { data.base.row($0) })
    }

    /// Writes the training states of `index` on the dataset's training queries to
    /// `directory` with fixed ef's figures on the held-out ones (see `TerminationTuner.exportStates`),
    /// without training or tuning anything.
    public static func exportStates(_ index: HNSWIndex, _ data: BenchDataset, k: Int, to directory: String,
                                    log: @escaping (String) -> Void) throws {
        try tuner(k: k, log: log).exportStates(index, base: data.base, learn: trainingQueries(data), to: directory)
    }

    static func tuner(k: Int, log: @escaping (String) -> Void) -> TerminationTuner {
        var tuner = TerminationTuner()
        tuner.k = k
        tuner.log = log
        return tuner
    }
}
