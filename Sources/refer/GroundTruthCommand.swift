import ArgumentParser
import Foundation
import Kernels
import VectorIO

struct GroundTruthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gt",
        abstract: "Exact k nearest neighbours of every query (blocked sgemm), written as .ibin.",
        discussion: """
        Also writes the distances next to it (OUT with .dist.fbin in place of .ibin).

        Example:
          refer gt --base base.fbin --query query.fbin --k 100 --out query.gt100.ibin
        """
    )

    @Option(help: "Base vectors.") var base: String
    @Option(help: "Query vectors.") var query: String
    @Option(help: "Neighbours per query.") var k = 100
    @Option(help: "l2, ip or cosine; default: ip for unit-length vectors, l2 otherwise.") var metric: String?
    @Option(help: "Output .ibin (or .ivecs).") var out: String

    func run() throws {
        let baseSet = try VectorFile.readFloats(base)
        let queries = try VectorFile.readFloats(query)
        var chosen = Metric.l2
        if let metric {
            guard let m = Metric(rawValue: metric) else { throw ValidationError("--metric must be l2, ip or cosine, got '\(metric)'") }
            chosen = m
        } else {
            chosen = baseSet.looksUnitLength ? .ip : .l2
        }
        let start = Date()
        let progress = ProgressReporter("gt")
        let result = try ExactSearch.search(base: baseSet, queries: queries, k: k, metric: chosen) { progress.update($0, $1) }
        try VectorFile.write(result.ids, to: out)
        let distPath = (out.hasSuffix(".ibin") ? String(out.dropLast(5)) : out) + ".dist.fbin"
        try VectorFile.write(result.distances, to: distPath)
        stderr(String(format: "wrote %@ and %@ (%d x %d, metric %@) in %.1f s", out, distPath,
                      result.ids.rows, k, chosen.rawValue, Date().timeIntervalSince(start)))
    }
}
