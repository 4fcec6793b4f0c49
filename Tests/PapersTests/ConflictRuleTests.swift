import Foundation
import Names
import Storage
import Testing
@testable import Papers

/// The conflict rules beyond names: author ids, institutions with years, e-mail domains
/// and declared conflicts, each named with its evidence.
@Suite(.serialized) struct ConflictRuleTests {
    /// Ada Wong (openalex:A1) at ETH (ROR 05a28rw58) in 2023-2024 and at Oxford in 2012; Bo Li
    /// (openalex:A2) wrote with her in 2024 as "B. Li"; Carl Diaz (openalex:A3) was at ETH
    /// in 2024; Dana Ng (openalex:A4) was at ETH only in 2010. Ada publishes as "A. Wong-Park"
    /// too, under her id.
    static let lines: [String] = {
        func inst(_ name: String, _ ror: String) -> [String: String] { ["name": name, "ror": ror, "id": "openalex:I" + ror] }
        let eth = inst("ETH Zurich", "05a28rw58"), oxford = inst("University of Oxford", "052gg0110"), mit = inst("MIT", "042nb2s44")
        let papers: [[String: Any]] = [
            ["id": "w1", "title": "Graph indexes for vector search", "year": 2023, "authors": ["Ada Wong"], "author_ids": ["openalex:A1"],
             "author_institutions": [[eth]], "author_orcids": ["orcid:0000-0001-0000-0001"]],
            // From DBLP, where she is known by her ORCID only.
            ["id": "w4", "title": "Sorting on GPUs", "year": 2015, "authors": ["Ada Wong"], "author_ids": ["orcid:0000-0001-0000-0001"]],
            ["id": "w2", "title": "Quantized graph traversal", "year": 2024, "authors": ["A. Wong-Park", "B. Li"],
             "author_ids": ["openalex:A1", "openalex:A2"], "author_institutions": [[eth], [mit]]],
            ["id": "w3", "title": "Kernel methods on manifolds", "year": 2012, "authors": ["Ada Wong"], "author_ids": ["openalex:A1"],
             "author_institutions": [[oxford]]],
            ["id": "c1", "title": "Protein folding with transformers", "year": 2024, "authors": ["Carl Diaz"], "author_ids": ["openalex:A3"],
             "author_institutions": [[eth]]],
            ["id": "d1", "title": "Sorting networks", "year": 2010, "authors": ["Dana Ng"], "author_ids": ["openalex:A4"],
             "author_institutions": [[eth]]],
            ["id": "d2", "title": "Cache-oblivious sorting", "year": 2024, "authors": ["Dana Ng"], "author_ids": ["openalex:A4"],
             "author_institutions": [[mit]]],
        ]
        return papers.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    }()

    static let store: PaperStore = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)").path
        let s = try! PaperStore(path: dir)
        precondition(try! s.ingest(lines: lines, embed: { Fixtures.embedder.embedRows($0) }).added == lines.count)
        return s
    }()

    func finder(_ profiles: [ReviewerProfile]? = nil, declared: DeclaredConflicts = DeclaredConflicts()) throws -> ReviewerFinder {
        let searcher = try Self.store.searcher()
        let committee = try profiles.map { try Committee(profiles: $0, searcher: searcher, embedder: Fixtures.embedder) }
        return ReviewerFinder(searcher: searcher, embedder: Fixtures.embedder, committee: committee,
                              conflicts: ConflictPolicy(coauthorYears: 5, referenceYear: 2026, declared: declared))
    }

    static let committee = [ReviewerProfile(name: "Bo Li", publications: []), ReviewerProfile(name: "Carl Diaz", publications: []),
                            ReviewerProfile(name: "Dana Ng", emails: ["dana@csail.mit.edu"], publications: [])]

    func excluded(_ authors: [String], committee: [ReviewerProfile]? = Self.committee, declared: DeclaredConflicts = DeclaredConflicts()) throws -> [ReviewerExclusion] {
        let draft = try Draft(title: "Learned termination of graph search", authors: authors)
        return try finder(committee, declared: declared).reviewers(for: draft, k: 10).excluded
    }

    @Test("a committee member named from the store carries the ids and institutions (with years) of their stored papers")
    func memberIdentity() throws {
        let c = try finder(Self.committee).committee!
        #expect(c.members[0].ids == ["openalex:A2"])
        #expect(c.members[0].institutions == [Institution(name: "MIT", id: "openalex:I042nb2s44", ror: "042nb2s44", first_year: 2024, last_year: 2024)])
        #expect(c.members[2].institutions.map(\.name) == ["MIT", "ETH Zurich"])
        #expect(c.members[2].institutions.map(\.years) == ["2024", "2010"])
    }

    @Test("a person by id is merged across sources through the ids they carry: OpenAlex's ORCID finds the DBLP paper")
    func personAcrossSources() throws {
        let searcher = try Self.store.searcher()
        let ada = try #require(try PersonRecord("openalex:A1", in: searcher))
        #expect(ada.ids == ["openalex:A1", "orcid:0000-0001-0000-0001"])
        #expect(ada.papers.map(\.id) == ["w2", "w1", "w4", "w3"])
        #expect(ada.name_variants.map(\.name).sorted() == ["A. Wong-Park", "Ada Wong"])
        // The ORCID alone: the papers filed under it (OpenAlex keeps ORCIDs beside its own ids, not as them).
        #expect(try PersonRecord("orcid:0000-0001-0000-0001", in: searcher)?.papers.map(\.id) == ["w4"])
    }

    @Test("the same person by id: a draft author under another name but with the member's id is the member")
    func samePersonByID() throws {
        let e = try excluded(["Carlos Díaz-Ruiz <openalex:A3>"]).first { $0.name == "Carl Diaz" }
        #expect(e == ReviewerExclusion(name: "Carl Diaz", reason: "author of the draft (as 'Carlos Díaz-Ruiz', same id openalex:A3)",
                                       rule: .author, author_id: "openalex:A3"))
    }

    @Test("co-author by id: the draft author's stored papers found by id, the member on one by id")
    func coauthorByID() throws {
        // "Ada Lin" (a new name) meets none of her papers by name; her id finds w2, which Bo Li wrote with her in 2024.
        let e = try excluded(["Ada Lin <openalex:A1>"]).first { $0.name == "Bo Li" }
        #expect(e?.rule == .coauthor)
        #expect(e?.paper == .init(id: "w2", title: "Quantized graph traversal", year: 2024))
        #expect(e?.author_id == "openalex:A2")
        #expect(try excluded(["Ada Lin"]).isEmpty)
        // As "Ada Wong" (no id) her stored papers give her id, which finds w2 under "A. Wong-Park".
        #expect(try excluded(["Ada Wong"]).first { $0.name == "Bo Li" }?.author_id == "openalex:A2")
    }

    @Test("institution from the data with years: both at ETH within the window; a 2010 stay does not count")
    func institutionWithYears() throws {
        let all = try excluded(["Ada Wong"])
        let carl = all.first { $0.name == "Carl Diaz" }
        #expect(carl == ReviewerExclusion(name: "Carl Diaz", reason: "same affiliation as Ada Wong: ETH Zurich (Carl Diaz 2024, Ada Wong 2023-2024)",
                                          rule: .affiliation, institution: .init(name: "ETH Zurich", id: "05a28rw58", reviewer_years: "2024", author_years: "2023-2024")))
        #expect(!all.contains { $0.name == "Dana Ng" })
        // Without a window, Dana's 2010 stay at ETH counts.
        var f = try finder(Self.committee)
        f.conflicts.coauthorYears = nil
        let old = try f.reviewers(for: Draft(title: "Sorting", authors: ["Ada Wong"]), k: 10).excluded.first { $0.name == "Dana Ng" }
        #expect(old?.institution?.reviewer_years == "2010")
        // Without a committee: the store's authors, their institutions read before they are suggested.
        let corpus = try finder(nil).reviewers(for: Draft(title: "Protein folding with transformers", authors: ["Ada Wong"]), k: 10)
        #expect(corpus.excluded.contains { $0.name == "Carl Diaz" && $0.rule == .affiliation })
        #expect(!corpus.reviewers.contains { $0.name == "Carl Diaz" })
        #expect(corpus.reviewers.map(\.name).sorted() == ["Dana Ng"])
        #expect(corpus.excluded.first { $0.name == "A. Wong-Park" }?.author_id == "openalex:A1")
    }

    @Test("e-mail domain: one organisation across subdomains; webmail never")
    func emailDomain() throws {
        let e = try excluded(["Eve Stone <eve@mit.edu>"]).first { $0.name == "Dana Ng" }
        #expect(e == ReviewerExclusion(name: "Dana Ng", reason: "same e-mail domain as Eve Stone: mit.edu", rule: .emailDomain, domain: "mit.edu"))
        var gmail = Self.committee
        gmail[2].emails = ["dana.ng@gmail.com"]
        #expect(try excluded(["Eve Stone <eve.stone@gmail.com>"], committee: gmail).isEmpty)
        #expect(EmailDomain.organisation(of: "x@cs.ox.ac.uk") == "ox.ac.uk")
        #expect(EmailDomain.organisation(of: "x@inf.ethz.ch") == "ethz.ch")
        #expect(EmailDomain.organisation(of: "x@yahoo.co.uk") == nil)
        #expect(EmailDomain.organisation(of: "x@GMX.DE") == nil)
        #expect(EmailDomain.organisation(of: "not an address") == nil)
    }

    @Test("submissions carry ids, e-mails and affiliations parallel to their authors")
    func submissionAuthors() throws {
        var s = PaperRecord(id: "s1", title: "T", authors: ["Eve Stone", "Fay Wu (Rice University)"])
        s.authorIDs = ["orcid:0000-0001", nil]
        s.extraFields = #"{"author_affiliations":["MIT",""],"author_emails":["eve@mit.edu",null]}"#
        #expect(ConflictPolicy.Author.of(s) == [.init(name: "Eve Stone", affiliation: "MIT", email: "eve@mit.edu", id: "orcid:0000-0001"),
                                               .init(name: "Fay Wu", affiliation: "Rice University")])
        #expect(ConflictPolicy.Author("Eve Stone <eve@mit.edu> <orcid:0000-0001> (MIT)")
                == .init(name: "Eve Stone", affiliation: "MIT", email: "eve@mit.edu", id: "orcid:0000-0001"))
        #expect(ConflictPolicy.Author("Eve <Stone>").name == "Eve <Stone>")
    }

    @Test("declared conflicts: by name, id or domain, with the file and line; a bad row names its line and field")
    func declaredConflicts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("declared-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/declared.csv"
        try "\u{FEFF}reviewer,author_or_domain,reason\r\n\"Li, Bo\",Eve Stone,\"former student, 2019\"\r\nopenalex:A3,@rice.edu,sabbatical\n\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let declared = try DeclaredConflicts(files: [path])
        let all = try excluded(["Eve Stone", "Fay Wu <fay@ece.rice.edu>"], declared: declared)
        #expect(all == [
            ReviewerExclusion(name: "Bo Li", reason: "declared conflict with Eve Stone: former student, 2019 (\(path):2)", rule: .declared),
            ReviewerExclusion(name: "Carl Diaz", reason: "declared conflict with Fay Wu: sabbatical (\(path):3)", rule: .declared),
        ])
        try "reviewer,author_or_domain,reason\nBo Li,gmail.com,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ProfileError("\(path):2: 'gmail.com' is a webmail or invalid domain; a conflict with every address there would mean nothing")) {
            try DeclaredConflicts(files: [path])
        }
        try "reviewer,author_or_domain,reason\n,Eve Stone,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ProfileError("\(path):2: field 'reviewer' is empty")) { try DeclaredConflicts(files: [path]) }
        try "reviewer,author,reason\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ProfileError("\(path):1: no column 'author_or_domain'; the header must name reviewer,author_or_domain,reason")) {
            try DeclaredConflicts(files: [path])
        }
    }

    @Test("CSV: quoted commas, quotes and line breaks; rows know their first line")
    func csv() throws {
        let t = try CSVTable(text: "a,b\n\"x, \"\"y\"\"\",\"two\nlines\"\n3,4\n", path: "t.csv", required: ["a", "b"])
        #expect(t.rows.map { [$0["a"], $0["b"]] } == [["x, \"y\"", "two\nlines"], ["3", "4"]])
        #expect(t.rows.map(\.line) == [2, 4])
        #expect(throws: ProfileError("t.csv:2: a quoted field is not closed")) { try CSVTable(text: "a\n\"open\n", path: "t.csv", required: ["a"]) }
    }
}
