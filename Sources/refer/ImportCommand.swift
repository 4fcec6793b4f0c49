import ArgumentParser
import Foundation
import Papers
import Storage

/// `refer import`: converts a corpus in another format into refer's paper JSONL
/// (what `refer ingest` reads), or a researcher's CV into a reviewer profile.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a paper list, BibTeX, ACL Anthology or OpenReview file into paper JSONL, or a CV into a profile.",
        discussion: """
        Formats:
          paper-list  a markdown list with '## Venue' / '### Year' headings (the seed
                      aisys2023 list) → paper JSONL
          bibtex      a .bib file → paper JSONL, ids SOURCE:citation-key (errors give
                      line and column)
          acl         the ACL Anthology JSONL (.gz read as is) → paper JSONL with
                      upper-case venues
          openreview  an OpenReview submissions.json → paper JSONL; an archives/
                      folder → profiles (JSON array)
          cv          a CV or home page (text or markdown) → one reviewer profile
                      (JSON): names and publications only
          openalex    an OpenAlex works snapshot file (JSON Lines) → paper JSONL with
                      author_ids openalex:A…
          s2          a Semantic Scholar papers file (JSON Lines), --abstracts its
                      abstracts file → author_ids s2:…
          arxiv       the arXiv metadata snapshot (JSON Lines) → paper JSONL, LaTeX
                      accents resolved
          dblp        the DBLP XML dump → paper JSONL, author_ids dblp:NAME 0001 (or
                      orcid:…)
        The last four are streamed in constant memory (.gz read as is, progress on stderr); a record that \
        cannot be read is reported as FILE:LINE: reason and skipped. `refer ingest FILE --format F` stores them directly. \
        (`refer ingest` also reads ACL Anthology lines directly; `--committee` reads .bib and archives directly.)
        Exit status: 0, or 65 when the input has no papers or an error (named with its place).
        Examples:
          refer import --format paper-list \\
              ../shared/seeds/004_4fcc49c95219aed2.txt --source aisys2023 > \\
              papers.jsonl
          refer import --format cv ../shared/seeds/000_b9f767d90e4ad952.txt > \\
              keren-zhou.json
          refer import --format acl \\
              ../shared/datasets/acl-anthology/papers.jsonl.gz > acl.jsonl
          refer import --format bibtex my-papers.bib --source me > mine.jsonl
          refer import --format s2 papers-part0.jsonl.gz \\
              --abstracts abstracts-part0.jsonl.gz > s2.jsonl
        """
    )
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case paperList = "paper-list", bibtex, acl, openreview, cv, openalex, s2, arxiv, dblp
    }

    @Option(help: "Input format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).") var format: Format
    @Option(help: "Source name written into each paper (and its id for paper-list and bibtex).") var source: String?
    @Argument(help: "Input file (or folder, for openreview archives).") var file: String
    @Option(help: "With --format s2: the abstracts file to join by corpusid.") var abstracts: String?

    func run() throws {
        do { try convert() } catch let e as ProfileError { stderr("\(e)"); throw ExitCode(65) }
        catch let e as BibTeXParser.SyntaxError { stderr("\(e)"); throw ExitCode(65) }
    }

    func convert() throws {
        guard abstracts == nil || format == .s2 else { throw ValidationError("--abstracts goes with --format s2") }
        if let corpus = CorpusFormat(rawValue: format.rawValue) {
            let out = BufferedStandardOutput()
            let progress = ProgressReporter("import")
            let report = try CorpusImport.stream(corpus, file: file, abstracts: abstracts,
                                                 paper: { p, _ in out.line(p.canonicalJSON()) },
                                                 problem: { out.flush(); stderr($0) }, progress: { progress.count($0) })
            out.flush()
            stderr("\(file): \(report.papers) papers, \(report.skipped) records skipped")
            if report.papers == 0 { throw ProfileError("\(file): no papers found") }
            if report.skipped > 0 { throw ExitCode(65) }
            return
        }
        var isDirectory: ObjCBool = false
        if format == .openreview, FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            let profiles = try CommitteeFiles.load([file])
            try printJSON(profiles)
            stderr("\(file): \(profiles.count) profiles, \(profiles.reduce(0) { $0 + $1.publications.count }) papers")
            return
        }
        let papers: [PaperRecord]
        switch format {
        case .paperList: papers = PaperListParser(source: source ?? "papers").parse(try read())
        case .bibtex: papers = try BibTeXParser.papers(try read(), file: file, source: source ?? "bib")
        case .acl: papers = try ACLAnthology.papers(file: file, source: source ?? "acl-anthology")
        case .openreview: papers = try Submissions.load(file, format: .openreview).papers.map { var p = $0; p.source = source ?? "openreview"; return p }
        case .openalex, .s2, .arxiv, .dblp: preconditionFailure("streamed above")
        case .cv:
            let profile = try CVParser.parse(try read(), file: file)
            try printJSON(profile)
            stderr("\(file): \(profile.name), \(profile.publications.count) publications")
            return
        }
        guard !papers.isEmpty else {
            throw ProfileError("\(file): no papers found" + (format == .paperList ? " (a paper list needs '## Venue' and '### Year' headings, then titles and authors)" : ""))
        }
        var out = FileHandle.standardOutput
        for p in papers { print(p.canonicalJSON(), to: &out) }
        stderr("\(file): \(papers.count) papers")
    }

    func read() throws -> String {
        guard let data = FileManager.default.contents(atPath: file) else { throw ProfileError("\(file): cannot read") }
        return String(decoding: data, as: UTF8.self)
    }
}
