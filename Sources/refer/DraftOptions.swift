import ArgumentParser
import Foundation
import Papers
import Storage

/// The draft a query command reads: title, abstract (inline or from a file), authors.
struct DraftOptions: ParsableArguments {
    @Option(help: "The draft's title.") var title: String = ""
    @Option(help: "The draft's abstract.") var abstract: String?
    @Option(help: "Read the abstract from this file.") var abstractFile: String?
    @Option(help: "The draft's authors, separated by ';' (\"Name (Affiliation)\" adds the affiliation).") var authors: String?

    func draft() throws -> Draft {
        var abstractText = abstract
        if let abstractFile {
            guard let data = FileManager.default.contents(atPath: abstractFile) else { throw ValidationError("\(abstractFile): cannot read") }
            abstractText = String(decoding: data, as: UTF8.self)
        }
        let names = authors?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        return try Draft(title: title, abstract: abstractText, authors: names)
    }
}

/// `--recall` or `--ef`: how hard the index search works (`refer similar`, `reviewers`).
struct EffortOptions: ParsableArguments {
    @Option(help: "A recall target the store was tuned for (refer tune --store); default: the store's default target.") var recall: Double?
    @Option(help: "A fixed beam width instead of a recall target.") var ef: Int?

    func effort() throws -> SearchEffort {
        do { return try SearchEffort.of(recall: recall, ef: ef) } catch { throw ValidationError("\(error)") }
    }
}
