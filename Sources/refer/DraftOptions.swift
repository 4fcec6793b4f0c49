import ArgumentParser
import Foundation
import Papers
import Storage

/// The draft a query command reads: title, abstract (inline or from a file), authors.
struct DraftOptions: ParsableArguments {
    @Option(help: "The draft's title.") var title: String = ""
    @Option(help: "The draft's abstract.") var abstract: String?
    @Option(help: "Read the abstract from this file.") var abstractFile: String?
    @Option(help: "The draft's authors, separated by ';', ',' or ' and ' (\"Name (Affiliation)\" adds the affiliation, \"Name <e-mail or id>\" an address or id), or a JSON array of names or HotCRP/OpenReview author objects; how they were split is printed on stderr.")
    var authors: String?

    func draft() throws -> Draft {
        var abstractText = abstract
        if let abstractFile {
            guard let data = FileManager.default.contents(atPath: abstractFile) else { throw ValidationError("\(abstractFile): cannot read") }
            abstractText = String(decoding: data, as: UTF8.self)
        }
        var names: [String] = []
        if let authors {
            let read = try DraftAuthorList.split(authors)
            names = read.authors
            stderr("--authors: \(names.count) author(s), \(read.how): " + names.map { "'\($0)'" }.joined(separator: "; "))
        }
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
