import ArgumentParser
import Embedding
import Foundation
import Storage
import VectorIO

/// `refer search`: a batch of queries against a store, as JSON Lines.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search a store for many queries at once, on all cores: one JSON line per query.",
        discussion: """
        Queries: an .fbin of vectors, or a text file with one query per line: a draft's text, or a \
        paper JSON line: a stored paper's own vector when the store holds its id (so `refer export` \
        output finds every stored paper's related papers without embedding; ask k + 1, the paper \
        itself comes first), else its title and abstract, embedded.
        Each output line: {"query": i, "ids": [...], "scores": [...], "evaluations": n}, i counting \
        from 0, scores the cosine similarities, evaluations the distance computations spent.
        --recall picks a target the store was tuned for (refer tune --store); --ef a fixed beam; \
        neither: the store's default target (ef max(64, k) when never tuned). Filters apply inside \
        the search (an exact scan when few papers pass).
        Example:
          refer search --store refer-store --queries drafts.txt --k 10 \\
              --recall 0.95 --json
          refer export --store refer-store > all.jsonl && refer search \\
              --store refer-store --queries all.jsonl --k 11 --json
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Queries: .fbin, or text (one draft or paper JSON line per line).") var queries: String
    @Option(help: "Results per query.") var k = 10
    @Option(help: "A recall target the store was tuned for.") var recall: Double?
    @Option(help: "A fixed beam width instead.") var ef: Int?
    @Option(help: "Only papers from this year on.") var yearFrom: Int?
    @Option(help: "Only papers up to this year.") var yearTo: Int?
    @Option(help: "Only papers of this venue (repeatable; case-insensitive).") var venue: [String] = []
    @Option(help: "Only papers by this person (repeatable; any of them, by the one name rule).") var byAuthor: [String] = []
    @Option(help: "Threads (default: all cores).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Model directory (to embed text queries).") var modelDir: String?
    @Flag(help: "Write JSON Lines (the only output form; kept for scripts that say so).") var json = false

    func run() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1, got \(k)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        let effort: SearchEffort
        do { effort = try SearchEffort.of(recall: recall, ef: ef) } catch { throw ValidationError("\(error)") }
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let searcher = try store.searcher()
        try searcher.validate(effort)   // before embedding anything
        let matrix = try QueryFile.vectors(queries, modelDir: modelDir, store: searcher)
        guard matrix.columns == searcher.index.dimension else {
            throw ValidationError("\(queries): \(matrix.columns)-dimensional queries for a \(searcher.index.dimension)-dimensional store")
        }
        let filter = PaperFilter(yearFrom: yearFrom, yearTo: yearTo, venues: venue.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
                                 authors: byAuthor)
        let out = BufferedStandardOutput()
        let chunk = 4096
        for start in stride(from: 0, to: matrix.rows, by: chunk) {
            let n = min(chunk, matrix.rows - start)
            let results = try searcher.searchBatch(count: n, vector: { matrix.row(start + $0) }, k: k, effort: effort, filter: filter, threads: threads)
            for (i, r) in results.enumerated() {
                let ids = r.hits.map { JSONText.string($0.paperID) }.joined(separator: ",")
                let scores = r.hits.map { String(format: "%.6f", 1 - $0.distance) }.joined(separator: ",")
                out.line("{\"query\": \(start + i), \"ids\": [\(ids)], \"scores\": [\(scores)], \"evaluations\": \(r.cost.evaluations)}")
            }
        }
        out.flush()
    }
}

/// JSON text for values written by hand on hot output paths.
enum JSONText {
    /// A JSON string literal (RFC 8259 escapes).
    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
