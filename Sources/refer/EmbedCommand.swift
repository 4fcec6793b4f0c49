import ArgumentParser
import Embedding
import Foundation
import VectorIO

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with all-MiniLM-L6-v2 into a .fbin (one 384-d unit vector per input line).",
        discussion: """
        INPUT is a text file with one text a line, or - for standard input; with --field,
        a JSONL file whose field FIELD holds the text. Row i of the output is line i + 1:
        empty lines get the empty text's embedding, invalid UTF-8 is repaired and reported.

        Examples:
          refer embed ../shared/datasets/pypi-minilm-100k/query.txt --out query.fbin
          refer embed papers.jsonl --field title --out titles.fbin
        """
    )

    @Argument(help: "Text file, one text a line, or - for standard input.") var input: String
    @Option(help: "Output .fbin.") var out: String
    @Option(name: .customLong("model-dir"), help: "Model folder (default: $REFER_MODEL_DIR, then ~/.cache/refer/models/all-MiniLM-L6-v2).")
    var modelDir: String?
    @Option(help: "Read JSONL and embed this string field.") var field: String?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Arithmetic: f32 (the exact reference), bf16 (AVX-512 BF16) or int8 (AVX-512 VNNI).") var precision: Precision = .f32

    func run() throws {
        let embedder = try Embedder(modelDirectory: modelDir, precision: precision)
        let source = try TextInput(path: input, field: field)
        for w in source.warnings { stderr("\(input): \(w)") }
        guard !source.texts.isEmpty else { throw ValidationError("\(input): no lines to embed") }
        let progress = ProgressReporter("embed")
        let start = Date()
        let vectors = embedder.embed(source.texts, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                     progress: { progress.update($0, $1) })
        let seconds = Date().timeIntervalSince(start)
        try VectorFile.write(Matrix(rows: source.texts.count, columns: embedder.dimension, elements: vectors), to: out)
        stderr(String(format: "wrote %@: %d x %d in %.1f s (%.0f texts/s)", out, source.texts.count, embedder.dimension,
                      seconds, Double(source.texts.count) / seconds))
    }
}

extension Precision: ExpressibleByArgument {}
