import ArgumentParser
import Foundation
import Papers

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
