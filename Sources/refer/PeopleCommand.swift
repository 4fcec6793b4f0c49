import ArgumentParser
import Foundation
import Papers
import Storage

/// `refer people`: one person as the store knows them.
struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Show a person: ids, name variants, papers, co-authors with years, affiliations.",
        discussion: """
        Give an author id (openalex:A…, s2:…, dblp:…, orcid:…: the papers that carry it, merged across \
        sources through the other ids the person carries there, such as an OpenAlex authorship's ORCID) or a name (every \
        spelling the name rule accepts: "Doe, Jane", "J. Doe", accents; homonyms without ids are one \
        record, and the ids listed tell them apart). Exit status 65 when no stored paper lists the person.
        Examples:
          refer people --store refer-store "Minjia Zhang"
          refer people --store refer-store openalex:A5034987120 --json
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Argument(help: "An author id or a name.") var person: String
    @Flag(help: "Print JSON: {query, ids, name_variants, papers, coauthors, affiliations}.") var json = false

    func run() throws {
        let searcher = try PaperStore(path: storeOption.store, readOnly: true).searcher()
        guard let record = try PersonRecord(person, in: searcher) else {
            stderr("\(storeOption.store): no stored paper lists '\(person)'")
            throw ExitCode(65)
        }
        if json { try printJSON(record); return }
        print(record.name_variants.first?.name ?? person)
        if !record.ids.isEmpty { print("  ids: " + record.ids.joined(separator: ", ")) }
        print("  spelled: " + record.name_variants.map { "\($0.name) (\($0.papers))" }.joined(separator: "; "))
        for a in record.affiliations {
            print("  affiliation: \(a.name)" + (a.first_year.map { " \($0)–\(a.last_year!)" } ?? ""))
        }
        print("  \(record.papers.count) papers:")
        for p in record.papers { print("    \(p.year.map(String.init) ?? "    ")  \(p.title)  [\(p.id)]") }
        print("  co-authors: " + record.coauthors.prefix(20).map { "\($0.name) (\($0.papers)" + ($0.last_year.map { ", \($0)" } ?? "") + ")" }
            .joined(separator: "; ") + (record.coauthors.count > 20 ? "; … \(record.coauthors.count - 20) more" : ""))
    }
}
