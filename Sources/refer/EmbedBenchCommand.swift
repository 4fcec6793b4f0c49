import ArgumentParser
import Embedding
import Foundation
import ReferBench

struct EmbedBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-embed",
        abstract: "Embedder throughput (texts/s, tokens/s) and the fraction of the machine's sgemm rate it reaches.",
        discussion: """
        Benchmarks/embedding/compare runs this next to the numpy reference on the same texts.

        Example:
          refer bench-embed --input ../shared/datasets/pypi-minilm-100k/base.txt \\
              --limit 20000
        """
    )

    @Option(help: "Text file, one text a line.") var input: String
    @Option(help: "Use the first N lines.") var limit: Int = 20_000
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("model-dir"), help: "Model folder.") var modelDir: String?
    @Option(help: "Write the result as JSON here.") var json: String?
    @Option(help: "Arithmetic: f32, bf16 or int8.") var precision: Precision = .f32
    @Flag(help: "Instead of throughput: each text embedded alone (a query), p50 and p90 milliseconds.") var oneAtATime = false

    func run() throws {
        let embedder = try Embedder(modelDirectory: modelDir, precision: precision)
        let texts = Array(try TextInput(path: input).texts.prefix(limit))
        guard !texts.isEmpty else { throw ValidationError("\(input): no lines") }
        if oneAtATime {
            let r = EmbeddingBench.latency(embedder, texts: texts, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            print(String(format: "refer embed one at a time (%@, %@, %@): %d texts of %.0f words, %d threads: p50 %.1f ms, p90 %.1f ms",
                         r.precision, r.isa, r.kernel, r.texts, r.mean_words, r.threads, r.p50_ms, r.p90_ms))
            if let json { try writeJSON(r, to: json) }
            return
        }
        let r = EmbeddingBench.run(embedder, texts: texts, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        print(String(format: "refer embed (%@, %@, %@): %d texts, %d tokens, %d threads: %.2f s, %.0f texts/s, %.0f tokens/s",
                     r.precision, r.isa, r.kernel, r.texts, r.tokens, r.threads, r.seconds, r.texts_per_s, r.tokens_per_s))
        print(String(format: "dense work %.1f GFLOP/s = %.0f%% of cblas_sgemm's %.1f GFLOP/s (4096x384x1536, all threads)",
                     r.achieved_gflops, 100 * r.fraction_of_sgemm, r.sgemm_gflops))
        if let json { try writeJSON(r, to: json) }
    }
}
