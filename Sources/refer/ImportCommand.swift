import ArgumentParser
import Foundation
import Papers
import Storage

/// `refer import`: converts a corpus in another format into refer's paper JSONL
/// (what `refer ingest` reads).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a paper list, ACL Anthology file, BibTeX file or OpenReview archive into paper JSONL.",
        discussion: """
        Formats: paper-list (a markdown list with ## venue / ### year headings, like the seed aisys2023 list);
        cv (a researcher's CV or home page, text or markdown: writes one reviewer profile as JSON, names and
        publications only).
        Examples:
          refer import --format paper-list ../shared/seeds/004_4fcc49c95219aed2.txt --source aisys2023 > papers.jsonl
          refer import --format cv ../shared/seeds/000_b9f767d90e4ad952.txt > keren-zhou.json
        """
    )
    enum Format: String, ExpressibleByArgument, CaseIterable { case paperList = "paper-list", cv }

    @Option(help: "Input format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).") var format: Format
    @Option(help: "Source name written into each paper and its id.") var source = "papers"
    @Argument(help: "Input file.") var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot read") }
        let text = String(decoding: data, as: UTF8.self)
        let papers: [PaperRecord]
        switch format {
        case .paperList: papers = PaperListParser(source: source).parse(text)
        case .cv:
            let profile = try CVParser.parse(text, file: file)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(profile), as: UTF8.self))
            FileHandle.standardError.write(Data("\(file): \(profile.name), \(profile.publications.count) publications\n".utf8))
            return
        }
        guard !papers.isEmpty else {
            throw ValidationError("\(file): no papers found (a paper list needs '## Venue' and '### Year' headings, then titles and authors)")
        }
        var out = FileHandle.standardOutput
        for p in papers { print(p.canonicalJSON(), to: &out) }
        FileHandle.standardError.write(Data("\(file): \(papers.count) papers\n".utf8))
    }
}
