import Embedding
import Foundation
@testable import Names
import Storage
import Testing
@testable import Papers

/// One name key everywhere: a store that spells authors "Last, First" still gives a
/// committee named from the store all its papers, and its conflicts.
@Suite(.serialized) struct NameKeyTests {
    /// Jane Doe's five papers under four spellings, one of them with Minjia Zhang in 2024
    /// (stored as "Zhang, Minjia"); Ada Lovelace's three; John Doe's one.
    static let lines = [
        #"{"id": "d1", "title": "Graph indexes for vector search", "authors": ["Jane Doe", "Ada Lovelace"], "year": 2019}"#,
        #"{"id": "d2", "title": "Quantized graph traversal", "authors": ["Doe, Jane"], "year": 2020}"#,
        #"{"id": "d3", "title": "Early termination of nearest neighbour search", "authors": ["Zhang, Minjia", "Doe, Jane"], "author_ids": ["s2:101", "s2:202"], "year": 2024}"#,
        #"{"id": "d4", "title": "Filters inside approximate search", "authors": ["DOE, JANE"], "year": 2022}"#,
        #"{"id": "d5", "title": "Compact codes for embeddings", "authors": ["Jane M. Doe"], "year": 2023}"#,
        #"{"id": "l1", "title": "Analytical engines", "authors": ["Lovelace, Ada"], "year": 2021}"#,
        #"{"id": "l2", "title": "Notes on the analytical engine", "authors": ["Ada Lovelace"], "year": 2018}"#,
        #"{"id": "j1", "title": "Protein folding at scale", "authors": ["John Doe"], "year": 2024}"#,
    ]

    static let store: PaperStore = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("doe-\(UUID().uuidString)").path
        let s = try! PaperStore(path: dir)
        precondition(try! s.ingest(lines: lines, embed: { Fixtures.embedder.embedRows($0) }).added == lines.count)
        return s
    }()

    func committee() throws -> Committee {
        let names = FileManager.default.temporaryDirectory.appendingPathComponent("names-\(UUID().uuidString).txt").path
        try "Jane Doe\nAda Lovelace\n".write(toFile: names, atomically: true, encoding: .utf8)
        return try Committee(profiles: CommitteeFiles.load([names]), searcher: Self.store.searcher(), embedder: Fixtures.embedder)
    }

    @Test("a committee named from the store gets every stored paper of each member, whatever the spelling")
    func profiles() throws {
        let c = try committee()
        #expect(c.members.map(\.profile.name) == ["Jane Doe", "Ada Lovelace"])
        #expect(c.members[0].paperIDs == ["d1", "d2", "d3", "d4", "d5"])
        #expect(c.members[1].paperIDs == ["d1", "l1", "l2"])
    }

    @Test("'Doe, Jane' wrote with 'Zhang, Minjia' in 2024: a draft by Minjia Zhang excludes her, the shared paper as evidence")
    func conflictThroughSpellings() throws {
        let draft = try Draft(title: "Learned early termination for graph-based vector search", authors: ["Minjia Zhang"])
        for committee in [try committee(), nil] as [Committee?] {
            let finder = ReviewerFinder(searcher: try Self.store.searcher(), embedder: Fixtures.embedder, committee: committee,
                                        conflicts: ConflictPolicy(coauthorYears: 5, referenceYear: 2026))
            let answer = try finder.reviewers(for: draft, k: 10)
            #expect(!answer.reviewers.contains { PersonName($0.name).mayBe(PersonName("Jane Doe")) })
            let jane = answer.excluded.first { PersonName($0.name) == PersonName("Jane Doe") }
            #expect(jane?.rule == .coauthor)
            #expect(jane?.paper == .init(id: "d3", title: "Early termination of nearest neighbour search", year: 2024))
            #expect(jane?.reason == "co-author of Minjia Zhang: 'Early termination of nearest neighbour search' (2024)")
        }
    }

    @Test("the conflict table: every conflicted pair with its rule and evidence, as CSV")
    func conflictTable() throws {
        let finder = ReviewerFinder(searcher: try Self.store.searcher(), embedder: Fixtures.embedder, committee: try committee(),
                                    conflicts: ConflictPolicy(coauthorYears: 5, referenceYear: 2026))
        let submissions = [PaperRecord(id: "s1", title: "Early termination", authors: ["Minjia Zhang"]),
                           PaperRecord(id: "s2", title: "Engines", authors: ["Lovelace, A."]),
                           PaperRecord(id: "s3", title: "Unrelated, \"quoted\"", authors: ["Nobody Here"])]
        let table = try ConflictTable(submissions: Submissions(papers: submissions), finder: finder)
        #expect(table.csv == """
            submission_id,reviewer,rule,reason,paper_id,paper_title,paper_year,institution,reviewer_years,author_years,author_id,domain
            s1,Jane Doe,coauthor,co-author of Minjia Zhang: 'Early termination of nearest neighbour search' (2024),d3,Early termination of nearest neighbour search,2024,,,,s2:202,
            s2,Ada Lovelace,author,"author of the draft (as 'Lovelace, A.')",,,,,,,,

            """)
        var noCommittee = finder
        noCommittee.committee = nil
        #expect(throws: ProfileError("a committee is needed: give --committee FILE, or a store ingested with --committee")) {
            try ConflictTable(submissions: Submissions(papers: submissions), finder: noCommittee)
        }
        #expect(CSVField.quoted("a \"b\", c") == "\"a \"\"b\"\", c\"")
    }

    @Test("refer people: by name every spelling, co-authors with years; by id the papers that carry it")
    func people() throws {
        let searcher = try Self.store.searcher()
        let jane = try #require(try PersonRecord("Doe, Jane", in: searcher))
        #expect(jane.papers.map(\.id) == ["d3", "d5", "d4", "d2", "d1"])   // newest first
        #expect(Set(jane.name_variants.map(\.name)) == ["Jane Doe", "Doe, Jane", "DOE, JANE", "Jane M. Doe"])
        #expect(jane.name_variants.first == .init(name: "Doe, Jane", papers: 2))
        #expect(jane.ids == ["s2:202"])
        #expect(jane.coauthors == [.init(name: "Zhang, Minjia", papers: 1, first_year: 2024, last_year: 2024),
                                   .init(name: "Ada Lovelace", papers: 1, first_year: 2019, last_year: 2019)])
        let byID = try #require(try PersonRecord("s2:202", in: searcher))
        #expect(byID.papers.map(\.id) == ["d3"] && byID.name_variants == [.init(name: "Doe, Jane", papers: 1)])
        #expect(try PersonRecord("s2:999", in: searcher) == nil && PersonRecord("Nobody Here", in: searcher) == nil)
        #expect(PersonRecord.isID("orcid:0000-0002-1825-0097") && !PersonRecord.isID("Doe, Jane"))
    }

    @Test("names: LaTeX accents, 'Last, First', initials and case reduce to one key; different first names stay apart")
    func personNames() {
        #expect(PersonName("Bal\\'azs K\\'egl") == PersonName("Kégl, Balázs"))
        #expect(PersonName("{\\\"O}zlem T\\\"{u}rk") == PersonName("Özlem Türk"))
        #expect(NameText.clean("Bal\\'{a}zs K\\'egl") == "Balázs Kégl")
        #expect(NameText.clean("Jos\\'{e} Mar\\'{\\i}a Garc\\'ia") == "José María García")
        #expect(PersonName("Zhang, Minjia") == PersonName(given: "minjia", family: "zhang"))
        #expect(PersonName("Zhu H.") == PersonName(given: "h", family: "zhu"))
        #expect(PersonName("Jean-Pierre Dupont").given == "jean")
        // Generational suffixes are not the family name; letters without a decomposition fold too.
        #expect(PersonName("Guy L. Steele Jr.") == PersonName("Guy Steele") && PersonName("John Smith III").family == "smith")
        #expect(PersonName("Søren Kierkegaard") == PersonName("Soren Kierkegaard") && PersonName("Łukasz Kaiser") == PersonName("Lukasz Kaiser"))
        #expect(PersonName("Jürgen Straßer") == PersonName("Jurgen Strasser"))
        // A LaTeX command that starts like a letter accent is not one: \chi is not an accented h.
        #expect(!LaTeX.toText("$\\chi^2$ and \\c{c}").contains("ḩ") && LaTeX.toText("\\c{c}") == "ç")
        #expect(PersonName("M. Zhang").mayBe(PersonName("Minjia Zhang")) && !PersonName("Mark Zhang").mayBe(PersonName("Minjia Zhang")))
        #expect(PersonName("Jane Doe").lookup.exact == ["doe|jane", "doe|j"] && PersonName("J. Doe").lookup.prefix == "doe|j")
    }
}

/// The ASCII fast path of ``NameText/tokens(of:)`` is the Foundation path, byte for byte,
/// on every author name of the ACL Anthology corpus and the bundled list, and on odd cases.
@Suite struct NameTokenTests {
    @Test("ASCII fast path equals the folded path on real and odd names")
    func fastPathEqualsFoldedPath() throws {
        var names = ["and John Smith", "  Doe, Jane,  ", "-and John", "O'Neil, Shaquille", "Zhu H.", "J.-P. Dupont",
                     "\"Quoted Name\"", "Name; Other", "Smith, Jr., John", "x", "", "   ", "#1 Fan", "Mary-Jane  Watson`",
                     "and\tJohn", "AND Jo", "Van der Berg, Anna", "Li 0001, Wei", ",", "a,b,c"]
        let corpus = try String(contentsOfFile: "datasets/aisys2023/papers.jsonl", encoding: .utf8)
        for line in corpus.split(separator: "\n") {
            if let r = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let a = r["authors"] as? [String] { names += a }
        }
        for line in try TextInput(path: "../shared/datasets/acl-anthology/papers.jsonl.gz").texts.prefix(5000) {
            if let r = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let a = r["authors"] as? [String] { names += a }
        }
        var checked = 0
        for name in names {
            guard let fast = NameText.asciiTokens(of: name) else { continue }
            #expect(fast == NameText.foldedTokens(of: name), "\(name)")
            checked += 1
        }
        #expect(checked > 10_000)
    }
}
