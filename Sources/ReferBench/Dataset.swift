import Foundation
import Kernels
import VectorIO

/// A benchmark dataset: a folder with `base.*`, `query.*` and optionally
/// `query.gt*.ibin` (exact neighbours of every query, nearest first) in any format
/// VectorIO reads, or an ann-benchmarks `.hdf5` file (`train`, `test`, `neighbors`).
public struct BenchDataset {
    public let name: String
    public let base: Matrix<Float>
    public let queries: Matrix<Float>
    /// Exact neighbours; computed with ``ExactSearch`` when the folder has none that fits.
    public let groundTruth: Matrix<Int32>
    public let metric: Metric
    public let groundTruthSource: String
    /// Training queries (`learn.*` in a folder), for tuning learned early termination.
    public private(set) var learn: Matrix<Float>?

    /// Loads `directory`. `metric` nil means: inner product when the base vectors are
    /// unit length (embedding sets), squared L2 otherwise. `baseLimit` keeps the first
    /// N base vectors (ground truth is then recomputed).
    public init(directory: String, k: Int, metric: Metric?, baseLimit: Int? = nil) throws {
        if directory.hasSuffix(".hdf5") {
            try self.init(hdf5: directory, k: k, metric: metric, baseLimit: baseLimit)
            return
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard !files.isEmpty else { throw SearchInputError("\(directory): no such dataset folder, or it is empty") }
        func find(_ stem: String) -> String? {
            for ext in ["fbin", "fvecs", "u8bin", "bvecs", "i8bin"] where files.contains("\(stem).\(ext)") {
                return directory + "/\(stem).\(ext)"
            }
            return nil
        }
        guard let basePath = find("base") else { throw SearchInputError("\(directory): no base.fbin (or .fvecs/.u8bin/.bvecs/.i8bin)") }
        guard let queryPath = find("query") else { throw SearchInputError("\(directory): no query.fbin (or .fvecs/.u8bin/.bvecs/.i8bin)") }
        let queries = try VectorFile.readFloats(queryPath)
        let (base, truncated) = try Self.checked(base: VectorFile.readFloats(basePath), baseLabel: basePath,
                                                 queries: queries, queryLabel: queryPath, k: k, baseLimit: baseLimit)
        let metric = metric ?? (base.looksUnitLength ? .ip : .l2)

        var truth: Matrix<Int32>? = nil
        var source = ""
        if !truncated {   // a stored ground truth is for the whole base set
            for f in files.sorted() where f.hasPrefix("query.gt") && (f.hasSuffix(".ibin") || f.hasSuffix(".ivecs")) {
                let gt = try VectorFile.readInts(directory + "/" + f)
                try Self.checkTruth(gt, label: directory + "/" + f, base: base, baseLabel: basePath,
                                    queries: queries, queryLabel: queryPath, metric: metric)
                if gt.columns >= k { truth = gt; source = f; break }
            }
        }
        if truth == nil {
            truth = try ExactSearch.search(base: base, queries: queries, k: k, metric: metric).ids
            source = "computed exactly (\(base.rows) base vectors)"
        }
        // The checks and any exact search read the whole base; what they left resident
        // would otherwise stay charged to the process next to the index's own copy.
        base.releaseResidentPages()
        self.init(name: (directory as NSString).lastPathComponent, base: base, queries: queries,
                  groundTruth: truth!, metric: metric, groundTruthSource: source)
        if let learnPath = find("learn") { learn = try VectorFile.readFloats(learnPath) }
    }

    /// Refuses a ground-truth file made for other files: a row count other than the
    /// queries', an id outside the base, or nearest neighbours that the base does not
    /// reproduce (checked exactly on the first 8 queries: each one's true nearest must be
    /// among the file's first 10).
    static func checkTruth(_ gt: Matrix<Int32>, label: String, base: Matrix<Float>, baseLabel: String,
                           queries: Matrix<Float>, queryLabel: String, metric: Metric) throws {
        guard gt.rows == queries.rows else {
            throw SearchInputError("\(label) has \(gt.rows) rows but \(queryLabel) has \(queries.rows) queries: ground truth for other queries")
        }
        if let bad = gt.elements.first(where: { $0 < 0 || Int($0) >= base.rows }) {
            throw SearchInputError("\(label) refers to vector \(bad) but \(baseLabel) has \(base.rows) vectors: ground truth for another base")
        }
        let sample = queries.prefix(rows: min(8, queries.rows))
        let exact = try ExactSearch.search(base: base, queries: sample, k: 1, metric: metric).ids
        for q in 0..<sample.rows where !gt[q].prefix(10).contains(exact[q][0]) {
            throw SearchInputError("\(label) disagrees with \(baseLabel): query \(q)'s nearest vector is \(exact[q][0]), not among the file's first 10 (ground truth for another base or metric)")
        }
    }

    /// Refuses empty sets, differing dimensions and k above the base size; applies
    /// `baseLimit`. Returns the base to use and whether it was cut.
    static func checked(base: Matrix<Float>, baseLabel: String, queries: Matrix<Float>, queryLabel: String,
                        k: Int, baseLimit: Int?) throws -> (Matrix<Float>, Bool) {
        guard base.rows > 0 else { throw SearchInputError("\(baseLabel): the base set is empty") }
        guard queries.rows > 0 else { throw SearchInputError("\(queryLabel): the query set is empty") }
        guard base.columns == queries.columns else {
            throw SearchInputError("dimension mismatch: \(baseLabel) has \(base.columns) dimensions, \(queryLabel) has \(queries.columns)")
        }
        let truncated = baseLimit.map { $0 < base.rows } ?? false
        let kept = truncated ? base.prefix(rows: baseLimit!) : base
        guard k <= kept.rows else { throw SearchInputError("k = \(k) is larger than the base set (\(kept.rows) vectors)") }
        return (kept, truncated)
    }

    private init(name: String, base: Matrix<Float>, queries: Matrix<Float>, groundTruth: Matrix<Int32>,
                 metric: Metric, groundTruthSource: String) {
        self.name = name; self.base = base; self.queries = queries
        self.groundTruth = groundTruth; self.metric = metric; self.groundTruthSource = groundTruthSource
    }

    /// An ann-benchmarks file. Without `metric`, the name decides: `-angular` is
    /// cosine, `-dot` inner product, anything else (`-euclidean`) L2.
    init(hdf5 path: String, k: Int, metric: Metric?, baseLimit: Int?) throws {
        let queries = try HDF5File.readFloats(path, dataset: "test")
        let (base, truncated) = try Self.checked(base: HDF5File.readFloats(path, dataset: "train"), baseLabel: path + " train",
                                                 queries: queries, queryLabel: path + " test", k: k, baseLimit: baseLimit)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let chosen = metric ?? (name.hasSuffix("-angular") ? .cosine : name.hasSuffix("-dot") ? .ip : .l2)
        var truth: Matrix<Int32>? = nil
        if !truncated, let stored = try? HDF5File.readInts(path, dataset: "neighbors"),
           stored.rows == queries.rows, stored.columns >= k {
            truth = stored
        }
        let source = truth == nil ? "computed exactly (\(base.rows) base vectors)" : "neighbors in \(name).hdf5"
        self.init(name: name, base: base, queries: queries,
                  groundTruth: try truth ?? ExactSearch.search(base: base, queries: queries, k: k, metric: chosen).ids,
                  metric: chosen, groundTruthSource: source)
    }
}
