import ArgumentParser
import Embedding
import Foundation
import Papers
import Storage

/// `refer similar`: the stored papers closest to a draft.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "The published papers most similar to a draft (title and abstract).",
        discussion: """
        Example:
          refer similar --store refer-store --title "Learned early termination for \\
              graph-based vector search" --k 5
          refer similar --store refer-store --title "GPU profiling" \\
              --abstract-file draft.txt --year-from 2020 --json
        """
    )
    @OptionGroup var storeOption: StoreOption
    @OptionGroup var draftOptions: DraftOptions
    @Option(help: "How many papers.") var k = 10
    @Option(help: "Only papers from this year on.") var yearFrom: Int?
    @Option(help: "Only papers up to this year.") var yearTo: Int?
    @Option(help: "Only papers of these venues (comma-separated).") var venue: String?
    @Option(help: "Only papers by this person (repeatable; any of them).") var byAuthor: [String] = []
    @OptionGroup var effortOptions: EffortOptions
    @Option(help: "Model directory (default: $REFER_MODEL_DIR or ~/.cache/refer/models/all-MiniLM-L6-v2).") var modelDir: String?
    @Flag(help: "Print JSON: {\"papers\": [{id, title, score, venue, year, authors}]}.") var json = false

    func run() throws {
        let draft = try draftOptions.draft()
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let searcher = try store.searcher()
        let finder = SimilarPapers(searcher: searcher, embedder: try Embedder.forStore(searcher, modelDirectory: modelDir))
        let filter = PaperFilter(yearFrom: yearFrom, yearTo: yearTo,
                                 venues: venue?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [], authors: byAuthor)
        let effort = try effortOptions.effort()
        try finder.searcher.validate(effort)
        let papers = try finder.similar(to: draft, k: k, filter: filter, effort: effort)
        if json {
            try printJSON(SimilarAnswer(papers: papers))
            return
        }
        for (i, p) in papers.enumerated() {
            let meta = [p.venue, p.year.map(String.init)].compactMap { $0 }.joined(separator: " ")
            print(String(format: "%2d. %.3f  ", i + 1, p.score) + p.title + (meta.isEmpty ? "" : "  (\(meta))"))
            if !p.authors.isEmpty { print("           " + p.authors.joined(separator: ", ")) }
        }
    }
}
