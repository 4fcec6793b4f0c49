import ArgumentParser
import Foundation
import VectorIO

/// `refer synth`: a seeded synthetic dataset folder (base, queries, learn).
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a seeded synthetic vector set (Gaussian mixture near low-dimensional subspaces) as a dataset folder.",
        discussion: """
        Writes OUT/base.fbin, OUT/query.fbin and OUT/learn.fbin, generated in blocks (a 5M set never needs \
        more than one block in memory besides the file being written). Ground truth: `refer gt`, or let \
        `refer bench` compute it. The same seed gives the same vectors.
        Example:
          refer synth --n 2000000 --dimension 384 --clusters 1000 \\
              --intrinsic-dimension 24 --out ~/.cache/refer/datasets/synth-2m
          refer gt --base ~/.cache/refer/datasets/synth-2m/base.fbin \\
              --query ~/.cache/refer/datasets/synth-2m/query.fbin --k 100 \\
              --out ~/.cache/refer/datasets/synth-2m/query.gt100.ibin
        """
    )
    @Option(help: "Base vectors.") var n: Int
    @Option(help: "Query vectors.") var queries = 1_000
    @Option(help: "Learn vectors (training queries for `refer tune`).") var learn = 10_000
    @Option(help: "Dimensions.") var dimension = 384
    @Option(help: "Mixture components.") var clusters = 1_000
    @Option(help: "Dimensions of each cluster's subspace.") var intrinsicDimension = 24
    @Option(help: "Isotropic noise (standard deviation).") var noise: Float = 0.05
    @Flag(help: "Keep raw vectors (default: unit length, searched by inner product).") var raw = false
    @Option(help: "Seed.") var seed: UInt64 = 42
    @Option(help: "Output folder.") var out: String

    func run() throws {
        guard n >= 1, queries >= 1, learn >= 0 else { throw ValidationError("--n and --queries must be at least 1, --learn at least 0") }
        var set = try SyntheticSet(dimension: dimension, clusters: clusters, intrinsicDimension: intrinsicDimension, seed: seed)
        set.noise = noise; set.unitLength = !raw
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let progress = ProgressReporter("synth")
        try set.write(rows: n, stream: 0, to: out + "/base.fbin") { progress.update($0, $1) }
        try set.write(rows: queries, stream: 1, to: out + "/query.fbin")
        if learn > 0 { try set.write(rows: learn, stream: 2, to: out + "/learn.fbin") }
        stderr("\(out): \(n) base, \(queries) query, \(learn) learn vectors of \(dimension) dimensions")
    }
}
