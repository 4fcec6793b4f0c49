import ArgumentParser
import Embedding
import Foundation
import Kernels
import Papers
import Storage

/// `refer bench-reviewers`: where the time of a reviewer query goes.
struct ReviewersBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-reviewers",
        abstract: "Time reviewer queries one at a time, phase by phase (embed, search, candidates, conflicts, scoring, evidence).",
        discussion: """
        Each line of --queries is a draft (title and abstract as one text), embedded alone as the \
        server does; its authors are those of a stored paper chosen with --seed, so conflict checks \
        read real store papers. Candidates are the store's committee, else its authors. Prints the \
        median, 90th percentile and mean of each phase in milliseconds. Benchmarks/reviewers/speed.sh.
        Example:
          refer bench-reviewers --store ~/.cache/refer/bench/reviewers-100k \\
              --queries query.txt --limit 300
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Option(help: "A text file, one draft a line.") var queries: String
    @Option(help: "Use at most this many queries.") var limit = 1000
    @Option(help: "Reviewers per query.") var k = 10
    @Option(help: "Seed of the stored papers whose authors are the drafts' authors.") var seed: UInt64 = 1
    @Option(help: "Write the table as JSON.") var json: String?
    @Option(help: "Model directory (default: $REFER_MODEL_DIR or ~/.cache/refer/models/all-MiniLM-L6-v2).") var modelDir: String?

    func run() throws {
        guard let text = try? String(contentsOfFile: queries, encoding: .utf8) else { throw ValidationError("\(queries): cannot read") }
        let drafts = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }.prefix(limit)
        guard !drafts.isEmpty else { throw ValidationError("\(queries): no queries") }
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let searcher = try store.searcher()
        let embedder = try Embedder(modelDirectory: modelDir)
        let finder = ReviewerFinder(searcher: searcher, embedder: embedder, committee: try Committee.stored(in: searcher))
        // Authors for the drafts: those of stored papers picked by the seed.
        var ids: [String] = []
        try store.export { json in if ids.count < 20_000 { ids.append(try PaperRecord.parse(json).id) } }
        var rng = SplitMix64(seed: seed)
        _ = embedder.embed(drafts[drafts.startIndex])   // warm-up: page in the weights
        var phases: [String: [Double]] = [:]
        for draft in drafts {
            let start = DispatchTime.now().uptimeNanoseconds
            let vector = embedder.embed(draft)
            let embed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let authors = try searcher.authors(ofPaper: ids[Int(rng.next() % UInt64(ids.count))]).map(\.name)
            var timing = ReviewerTiming()
            _ = try finder.reviewers(for: vector, authors: authors, k: k, timing: &timing)
            for (name, value) in [("embed", embed), ("search", timing.search), ("candidates", timing.candidates),
                                  ("conflicts", timing.conflicts), ("scoring", timing.scoring), ("evidence", timing.evidence),
                                  ("after embedding", timing.total), ("total", embed + timing.total)] {
                phases[name, default: []].append(value)
            }
        }
        struct Row: Encodable { var phase: String; var p50_ms: Double; var p90_ms: Double; var mean_ms: Double }
        let order = ["embed", "search", "candidates", "conflicts", "scoring", "evidence", "after embedding", "total"]
        let rows = order.map { name -> Row in
            let v = phases[name]!.sorted()
            return Row(phase: name, p50_ms: v[v.count / 2] * 1000, p90_ms: v[v.count * 9 / 10] * 1000,
                       mean_ms: v.reduce(0, +) / Double(v.count) * 1000)
        }
        print("\(drafts.count) queries, \(searcher.paperCount) papers, \(finder.committee.map { "committee of \($0.members.count)" } ?? "no committee")")
        print("phase               p50 ms   p90 ms  mean ms")
        for r in rows {
            print(r.phase.padding(toLength: 17, withPad: " ", startingAt: 0) + String(format: " %8.2f %8.2f %8.2f", r.p50_ms, r.p90_ms, r.mean_ms))
        }
        if let json {
            struct Report: Encodable { var store: String; var queries: Int; var papers: Int; var phases: [Row] }
            try writeJSON(Report(store: storeOption.store, queries: drafts.count, papers: searcher.paperCount, phases: rows), to: json)
        }
    }
}
