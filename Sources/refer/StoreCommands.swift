import ArgumentParser
import Embedding
import Foundation
import Papers
import Storage
import VectorIO

/// `--store DIR`, shared by every command that works on a store.
struct StoreOption: ParsableArguments {
    @Option(help: "Store folder (default: $REFER_STORE, else ~/.local/share/refer/store, what scripts/serve.sh builds).")
    var store: String = StoreOption.defaultStore

    static var defaultStore: String {
        let env = ProcessInfo.processInfo.environment
        return env["REFER_STORE"] ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/refer/store"
    }
}

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Add papers from JSONL to a store (created if missing), embedding those without a vector.",
        discussion: """
        One paper per line: {"id", "title", "abstract", "authors": [...], "venue", "year", "url"}, \
        optionally "vector": [384 numbers]. Each batch is one transaction. Bad lines are reported \
        as FILE:LINE: reason and skipped; the rest are stored. A known id is updated.
        Exit status: 0 all stored, 65 some lines rejected (the others stored), 1 failure.

        Example:
          refer ingest datasets/aisys2023/papers.jsonl \\
              --committee datasets/committee --store refer-store
        """
    )

    @Argument(help: "JSONL file of papers (.gz too), or - for standard input.") var file: String?
    @Option(help: ArgumentHelp("Keep these reviewer profiles as the store's committee, replacing any other (profile JSON, .bib, names, or a folder; repeatable). Embedded after the papers, so a publication that is a stored paper uses it.", valueName: "file"))
    var committee: [String] = []
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Papers per transaction.") var batch = 1000
    @Option(name: .customLong("model-dir"), help: "Model folder for papers without a vector.") var modelDir: String?
    @Option(help: "Vectors for papers without one: row i of this .fbin (or .fvecs) belongs to line i + 1 (refer embed --papers writes them; give its --precision too, which a new store records).")
    var vectors: String?
    @Option(help: "Read another corpus format directly, streamed: openalex, s2, arxiv, dblp (default: refer's paper JSONL).")
    var format: String?
    @Option(help: "With --format s2: the abstracts file to join by corpusid.") var abstracts: String?
    @Option(help: "Arithmetic for papers without a vector: f32, bf16 or int8 (default: the store's; a new store records it).") var precision: Precision?
    @Option(name: .customLong("index-form"), help: "For a new store: auto (compact where this CPU has byte products: AVX2, AVX-512, arm64; else float32), float32, or compact (Float16 vectors walked with int8 codes, 32 links a node: 0.85x the index bytes, faster at equal recall). An existing store keeps its own.")
    var indexForm: IndexFormChoice = .auto

    /// The store, made with --index-form when new (an existing one of another form is refused).
    func openStore() throws -> PaperStore {
        let form: IndexForm? = switch indexForm {
        case .auto: PaperStore.exists(at: storeOption.store) ? nil : IndexForm.best()
        case .float32: .float32
        case .compact: .compact
        }
        return try PaperStore(path: storeOption.store, identity: form.map { StoreIdentity.miniLM.with($0) } ?? .miniLM)
    }

    func run() throws {
        guard file != nil || !committee.isEmpty else { throw ValidationError("give a papers file, --committee, or both") }
        let rejected = try file.map(ingestPapers) ?? 0
        if !committee.isEmpty {
            let store = try openStore()
            let searcher = try store.searcher()
            // Chairs in a PC table are kept as non-reviewers, so that files naming them are understood later.
            let built = try Committee.resolve(files: committee, searcher: searcher, embedder: Embedder.forStore(searcher, modelDirectory: modelDir))!
            try built.save(in: store)
            for o in built.nonReviewers { stderr("\(o.name) \(o.why): not a reviewer") }
            let inStore = built.members.reduce(0) { $0 + $1.paperIDs.filter { !$0.contains("#") }.count }
            stderr("\(storeOption.store): committee of \(built.members.count) reviewers, \(built.members.reduce(0) { $0 + $1.vectors.count }) publications (\(inStore) of them stored papers)")
        }
        if rejected > 0 { throw ExitCode(65) }
    }

    /// Ingests one file; returns how many lines were rejected (reported on stderr).
    func ingestPapers(_ file: String) throws -> Int {
        if let format {
            guard let corpus = CorpusFormat(rawValue: format) else {
                throw ValidationError("--format: one of \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", ")), got '\(format)'")
            }
            guard vectors == nil else { throw ValidationError("--vectors goes with refer's paper JSONL, not --format \(format)") }
            guard abstracts == nil || corpus == .s2 else { throw ValidationError("--abstracts goes with --format s2") }
            return try ingestStream(corpus, file: file)
        }
        guard abstracts == nil else { throw ValidationError("--abstracts goes with --format s2") }
        let input = try TextInput(path: file)
        let given = try vectors.map { try VectorFile.readFloats($0) }
        if let given, given.rows < input.texts.count {
            throw ValidationError("\(vectors!): \(given.rows) vectors for \(input.texts.count) lines")
        }
        for w in input.warnings { stderr("\(file): \(w)") }
        let store = try openStore()
        // Vectors made elsewhere (refer embed --precision P, deploy/ray) are recorded as P's.
        if let precision, given != nil { try StoreEmbedding.prepare(store, precision: precision) }
        let (embed, modelError) = try embedder(store)
        let progress = ProgressReporter("ingest")
        let report = try store.ingest(lines: input.texts, batchSize: batch,
                                      vectorForLine: given.map { m in { m.row($0) } },
                                      embed: embed, progress: { progress.update($0, $1) })
        return finish(report, file: file, modelError: modelError)
    }

    /// The embedder, loaded only if some paper needs it, in the store's precision (or
    /// --precision, recorded in a new store); without a model those papers are rejected
    /// (the error said once).
    func embedder(_ store: PaperStore) throws -> (embed: (([String]) throws -> [[Float]])?, modelError: String?) {
        let chosen = try precision ?? StoreEmbedding.of(store.searcher()).precision
        guard chosen.isAvailable else { throw EmbeddingError.precisionUnavailable(chosen) }
        do { _ = try Embedder.locateModel(modelDir) } catch { return (nil, "\(error)") }
        var embedder: Embedder?
        return ({ texts in
            if embedder == nil {
                try StoreEmbedding.prepare(store, precision: chosen)
                embedder = try Embedder(modelDirectory: modelDir, precision: chosen)
            }
            return embedder!.embedRows(texts)
        }, nil)
    }

    /// Reports the rejected lines (the first 100, then a count: a wrong file should not flood
    /// the terminal) and the totals; returns how many lines were rejected.
    func finish(_ report: PaperStore.IngestReport, file: String, modelError: String?, skipped: Int = 0) -> Int {
        for e in report.errors.prefix(100) { stderr("\(file):\(e.line): \(e.message)") }
        if report.errors.count > 100 { stderr("\(file): ... and \(report.errors.count - 100) more rejected lines") }
        if let modelError, report.errors.contains(where: { $0.message.hasPrefix("no 'vector'") }) { stderr(modelError) }
        stderr("\(storeOption.store): \(report.added) added, \(report.updated) updated, \(report.errors.count + skipped) rejected")
        return report.errors.count + skipped
    }

    /// Streams another corpus format into the store, `batch` papers per transaction, in constant memory.
    func ingestStream(_ format: CorpusFormat, file: String) throws -> Int {
        let store = try openStore()
        let (embed, modelError) = try embedder(store)
        let progress = ProgressReporter("ingest")
        var total = PaperStore.IngestReport(), lines: [String] = [], sourceLines: [Int] = []
        func flush() throws {
            guard !lines.isEmpty else { return }
            let report = try store.ingest(lines: lines, firstLineNumber: 0, batchSize: lines.count, embed: embed)
            total.added += report.added; total.updated += report.updated
            // The store numbers a batch's lines from 0 here; the file's line numbers replace them.
            total.errors += report.errors.map { PaperStore.LineError(line: sourceLines[$0.line], message: $0.message) }
            lines.removeAll(keepingCapacity: true); sourceLines.removeAll(keepingCapacity: true)
            progress.count(total.added + total.updated, unit: "papers")
        }
        let streamed = try CorpusImport.stream(format, file: file, abstracts: abstracts, paper: { p, line in
            lines.append(p.canonicalJSON()); sourceLines.append(line)
            if lines.count >= batch { try flush() }
        }, problem: { stderr($0) })
        try flush()
        return finish(total, file: file, modelError: modelError, skipped: streamed.skipped)
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove papers from a store everywhere (record, authors, index), in one transaction.",
        discussion: "Exit status 0 when every id was there, 65 when some were not (the others are removed).\n\nExample:\n  refer delete 2020.acl-main.1 --store refer-store"
    )
    @Argument(help: "Paper ids.") var ids: [String]
    @OptionGroup var storeOption: StoreOption

    func run() throws {
        let unknown = try PaperStore(path: storeOption.store).remove(ids: ids)
        for id in unknown { stderr("\(storeOption.store): no paper '\(id)'") }
        stderr("\(storeOption.store): \(ids.count - unknown.count) removed")
        if !unknown.isEmpty { throw ExitCode(65) }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify a store: every paper has a live index node, every node a paper, and the graph is sound.",
        discussion: """
        Exit status 0 only when the store is consistent. With --repair the store is opened for writing, \
        which rebuilds an author index written by an older refer (nothing else is changed).

        Example:
          refer check --store refer-store
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Flag(help: "Open the store for writing: rebuilds an author index an older refer wrote.") var repair = false

    func run() throws {
        let store = try PaperStore(path: storeOption.store, readOnly: !repair)
        let searcher = try store.searcher()
        let problems = try searcher.problems()
        for p in problems { print(p) }
        guard problems.isEmpty else { throw ExitCode(1) }
        print("\(storeOption.store): consistent (\(searcher.paperCount) papers)")
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every paper of a store as JSONL to standard output, in id order.",
        discussion: """
        With --vectors, also write the indexed vectors as .fbin, row i for line i + 1 (for \
        building a benchmark set from a corpus's embeddings).
        Example:
          refer export --store my-store > papers.jsonl
          refer export --store ~/.cache/refer/stores/acl --vectors acl.fbin > \\
              acl.jsonl
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Also write the vectors, in the same order, to this .fbin.") var vectors: String?

    func run() throws {
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        var out = FileHandle.standardOutput
        let searcher = try vectors.map { _ in try store.searcher() }
        var rows: [Float] = []
        try store.export { line in
            print(line, to: &out)
            if let searcher {
                let id = try PaperRecord.parse(line).id
                guard let v = try searcher.vector(ofPaper: id) else { throw ValidationError("\(storeOption.store): paper '\(id)' has no vector") }
                rows += v
            }
        }
        if let vectors, let searcher {
            let dimension = searcher.index.dimension
            try VectorFile.write(Matrix(rows: rows.count / dimension, columns: dimension, elements: rows), to: vectors)
        }
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Counts and identity of a store.",
        discussion: "Example:\n  refer stats --store refer-store --json"
    )
    @OptionGroup var storeOption: StoreOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try PaperStore(path: storeOption.store, readOnly: true).stats()
        if json {
            try printJSON(s)
        } else {
            print("""
            store       \(s.path) (schema \(s.schema_version), \(s.file_bytes) bytes)
            model       \(s.model), \(s.dimension) dimensions, \(s.metric), embedded in \(s.precision)
            index form  \(s.index_form)
            papers      \(s.papers)
            authors     \(s.authors)
            index       \(s.index_live) live of \(s.index_nodes) nodes
            generation  \(s.generation)
            """)
            if let t = s.tuned {
                print("tuned       recall@\(t.k) on \(t.query_count) \(t.queries) (\(t.held_out_count) held out), \(t.tuned_at), default \(t.default_recall)")
                if !t.fits { print("            the store has changed beyond the models (\(t.papers_when_tuned) papers when tuned): searches use each target's plain beam until refer tune runs again") }
                for x in t.targets {
                    print(String(format: "  target %.3f: held-out recall %.4f, %.0f evaluations", x.target_recall, x.held_out_recall, x.mean_evaluations)
                          + " (predicts \(x.predicts)); " + String(format: "plain ef %d: %.4f, %.0f evaluations", x.plain_ef, x.plain_recall, x.plain_mean_evaluations))
                }
            }
        }
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(string.data(using: .utf8)!) }
}
extension IndexForm: ExpressibleByArgument {}

/// `--index-form`: a form, or auto (``IndexForm/best(for:)`` for a new store).
enum IndexFormChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, float32, compact
}
