import ArgumentParser
import Embedding
import Foundation
import Storage
import VectorIO

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with all-MiniLM-L6-v2 into a .fbin (one 384-d unit vector per input line).",
        discussion: """
        INPUT is a text file with one text a line, or - for standard input; with --field, \
        a JSONL file whose field FIELD holds the text; with --papers, refer's paper JSONL, \
        each paper embedded from the text `refer ingest` embeds (title, ". ", abstract), so \
        the output goes to `refer ingest FILE --vectors OUT` as it is (deploy/ray does this \
        on a cluster). Row i of the output is line i + 1: empty lines get the empty text's \
        embedding, invalid UTF-8 is repaired and reported, and with --papers a line that is \
        not a paper is reported and embedded as the empty text (ingest rejects that line).

        Examples:
          refer embed ../shared/datasets/pypi-minilm-100k/query.txt --out query.fbin
          refer embed papers.jsonl --field title --out titles.fbin
          refer embed papers.jsonl --papers --out papers.fbin
        """
    )

    @Argument(help: "Text file, one text a line, or - for standard input.") var input: String
    @Option(help: "Output .fbin.") var out: String
    @Option(name: .customLong("model-dir"), help: "Model folder (default: $REFER_MODEL_DIR, then ~/.cache/refer/models/all-MiniLM-L6-v2).")
    var modelDir: String?
    @Option(help: "Read JSONL and embed this string field.") var field: String?
    @Flag(help: "Read refer's paper JSONL and embed each paper as `refer ingest` does.") var papers = false
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Arithmetic: f32 (the exact reference), bf16 or int8 (x86-64 with AVX2; fastest with AVX-512 BF16 / VNNI).") var precision: Precision = .f32

    func run() throws {
        guard !(papers && field != nil) else { throw ValidationError("--papers and --field: give one") }
        let embedder = try Embedder(modelDirectory: modelDir, precision: precision)
        var source = try TextInput(path: input, field: field)
        for w in source.warnings { stderr("\(input): \(w)") }
        if papers { source.texts = paperTexts(source.texts) }
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

    /// Each line's embedding text; a line that is not a paper is reported and becomes the empty text.
    func paperTexts(_ lines: [String]) -> [String] {
        lines.enumerated().map { i, line in
            if line.allSatisfy(\.isWhitespace) { return "" }  // ingest skips blank lines too
            do { return try PaperRecord.parse(line, extraFields: false).embeddingText } catch {
                stderr("\(input):\(i + 1): \(error); embedded as the empty text")
                return ""
            }
        }
    }
}

extension Precision: ExpressibleByArgument {}
