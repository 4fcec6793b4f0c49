import Foundation
import Names
import Storage
import Testing
@testable import Papers

/// Reviewer suggestions with the seed committee (the four CVs) over the bundled corpus.
@Suite(.serialized) struct ReviewerTests {
    static let learnedTermination = try! Draft(
        title: "Learned early termination for graph-based vector search",
        abstract: """
        Approximate nearest neighbour search over graph indexes such as HNSW spends a fixed search budget on every \
        query, which wastes work on easy queries. We train a gradient-boosted model that predicts, from the state of \
        the search after a short prefix, how many distance evaluations each query needs, and stop there.
        """)
    static let gpuProfiling = try! Draft(
        title: "Tools for GPU performance profiling",
        abstract: """
        Profiling GPU-accelerated applications is hard: kernels run asynchronously and performance problems hide in \
        memory access patterns. We present a profiler that measures GPU kernels with low overhead, attributes the \
        measurements to source lines and calling contexts, and reports optimization opportunities.
        """)

    func finder(_ committee: Committee? = Fixtures.seedCommittee, years: Int? = 5) throws -> ReviewerFinder {
        ReviewerFinder(searcher: try Fixtures.aisysStore.searcher(), embedder: Fixtures.embedder, committee: committee,
                       conflicts: ConflictPolicy(coauthorYears: years, referenceYear: 2026))
    }

    @Test("a learned-early-termination draft ranks Minjia Zhang first; a GPU-profiling draft ranks Keren Zhou first")
    func seedRankings() throws {
        let lt = try finder().reviewers(for: Self.learnedTermination, k: 4)
        #expect(lt.reviewers.map(\.name).first == "Minjia Zhang")
        #expect(lt.reviewers.count == 4 && lt.excluded.isEmpty)
        let gpu = try finder().reviewers(for: Self.gpuProfiling, k: 4)
        #expect(gpu.reviewers.map(\.name).first == "Keren Zhou")
        #expect(zip(gpu.reviewers, gpu.reviewers.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test("each suggestion has its three closest distinct papers as evidence; the score is their mean; ids resolve")
    func evidence() throws {
        let searcher = try Fixtures.aisysStore.searcher()
        for r in try finder().reviewers(for: Self.learnedTermination, k: 4).reviewers {
            #expect(r.evidence.count == 3)
            #expect(zip(r.evidence, r.evidence.dropFirst()).allSatisfy { $0.score >= $1.score })
            #expect(abs(r.evidence.map(\.score).reduce(0, +) / 3 - r.score) < 1e-6)
            let member = Fixtures.seedCommittee.members.first { $0.profile.name == r.name }!
            for e in r.evidence {
                let n = member.paperIDs.firstIndex(of: e.id)!
                #expect(member.profile.publications[n].title == e.title)
                if let stored = try searcher.paper(e.id) { #expect(PaperListParser.titleKey(stored.title) == PaperListParser.titleKey(e.title)) }
                else { #expect(e.id.hasPrefix(NameText.tokens(of: r.name).joined(separator: "-") + "#")) }
            }
            // The best evidence is the reviewer's most similar publication of all.
            let all = member.vectors.map { v in zip(v, Fixtures.embedder.embed(Self.learnedTermination.text)).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
            #expect(abs(Double(all.max()!) - r.evidence[0].score) < 1e-5)
            // The three are distinct works: no two as alike as the default's redundancy threshold.
            let used = r.evidence.map { e in member.vectors[member.paperIDs.firstIndex(of: e.id)!] }
            for i in used.indices { for j in used.indices where j > i {
                #expect(zip(used[i], used[j]).reduce(Float(0)) { $0 + $1.0 * $1.1 } < ExpertiseScore.default.redundancy!)
            } }
        }
        // The committee's publications that are also corpus papers carry the store's id and vector.
        let stored = try Fixtures.seedCommittee.members.flatMap { m in
            try zip(m.paperIDs, m.vectors).filter { try searcher.paper($0.0) != nil }.map { ($0.0, $0.1, m.profile.name) }
        }
        #expect(stored.count >= 3)
        for (id, vector, _) in stored { #expect(try searcher.vector(ofPaper: id) == vector) }
        let top = try finder().reviewers(for: Self.learnedTermination, k: 1).reviewers[0].evidence[0]
        #expect(top.title == "Improving Approximate Nearest Neighbor Search through Learned Adaptive Early Termination")
    }

    @Test("a draft by a committee member never gets them or their recent co-authors; each exclusion says why")
    func conflicts() throws {
        var draft = Self.learnedTermination
        draft.authors = ["Minjia Zhang"]
        let own = try finder().reviewers(for: draft, k: 10)
        #expect(!own.reviewers.map(\.name).contains("Minjia Zhang"))
        #expect(own.excluded == [ReviewerExclusion(name: "Minjia Zhang", reason: "author of the draft", rule: .author, paper: nil)])
        draft.authors = ["M. Zhang"]
        #expect(try finder().reviewers(for: draft, k: 10).excluded == [ReviewerExclusion(name: "Minjia Zhang", reason: "author of the draft (as 'M. Zhang')", rule: .author, paper: nil)])

        // Yuxiong He wrote with Minjia Zhang until 2022 and with Hongyu Zhu ("Y. He") earlier.
        draft.authors = ["Yuxiong He"]
        for years in [5, nil] as [Int?] {
            let answer = try finder(years: years).reviewers(for: draft, k: 10)
            let expected = Fixtures.seedCommittee.members.filter { m in
                m.profile.publications.contains { p in
                    p.authors.contains { PersonName($0).mayBe(PersonName(given: "yuxiong", family: "he")) }
                        && (years == nil || (p.year ?? 9999) >= 2026 - years!)
                }
            }.map(\.profile.name)
            #expect(expected.contains("Minjia Zhang"))
            #expect(Set(answer.excluded.map(\.name)) == Set(expected))
            #expect(Set(answer.reviewers.map(\.name)).isDisjoint(with: expected))
            #expect(answer.excluded.allSatisfy { $0.reason.hasPrefix("co-author of Yuxiong He: '") && $0.rule == .coauthor && $0.paper != nil })
        }
        #expect(try finder(years: nil).reviewers(for: draft, k: 10).excluded.map(\.name).contains("Hongyu Zhu"))
    }

    @Test("same affiliation is a conflict when both are known")
    func affiliation() throws {
        var committee = Fixtures.seedCommittee
        committee.members[committee.members.firstIndex { $0.profile.name == "Keren Zhou" }!].profile.affiliation = "Rice University"
        var draft = Self.gpuProfiling
        draft.authors = ["Jane Doe (Rice University)"]
        let answer = try finder(committee).reviewers(for: draft, k: 10)
        #expect(answer.excluded == [ReviewerExclusion(name: "Keren Zhou", reason: "same affiliation as Jane Doe: Rice University", rule: .affiliation,
                                                     institution: .init(name: "Rice University"))])
        #expect(answer.reviewers.first?.name != "Keren Zhou")
        #expect(ConflictPolicy.Author("Jane Doe (Rice University)") == .init("Jane Doe (Rice University)"))
        #expect(ConflictPolicy.Author("Jane Doe").affiliation == nil)
    }

    @Test("a member's co-authors follow edits of its profile")
    func coauthorsFollowProfile() throws {
        var committee = Fixtures.seedCommittee
        let i = committee.members.firstIndex { $0.profile.name == "Zhen Zheng" }!
        var draft = Self.gpuProfiling
        draft.authors = ["J. Doe"]
        #expect(try finder(committee).reviewers(for: draft, k: 10).excluded.isEmpty)
        committee.members[i].profile.publications.append(.init(title: "A Shared Paper", year: 2025, authors: ["Zhen Zheng", "Jane Doe"]))
        #expect(try finder(committee).reviewers(for: draft, k: 10).excluded
                == [ReviewerExclusion(name: "Zhen Zheng", reason: "co-author of J. Doe: 'A Shared Paper' (2025)", rule: .coauthor,
                                      paper: .init(id: nil, title: "A Shared Paper", year: 2025))])
        let decoded = try JSONDecoder().decode(Committee.self, from: JSONEncoder().encode(committee))
        #expect(decoded == committee && decoded.members[i].coauthors == CoauthorIndex(committee.members[i].profile))
    }

    @Test("without a committee, the corpus's authors are candidates and conflicts still hold")
    func corpusAuthors() throws {
        var draft = try Draft(title: "Ray: A Distributed Framework for Emerging AI Applications")
        draft.authors = ["Ion Stoica"]
        let searcher = try Fixtures.aisysStore.searcher()
        let answer = try finder(nil, years: nil).reviewers(for: draft, k: 10)
        #expect(answer.reviewers.count == 10)
        #expect(answer.excluded.contains(ReviewerExclusion(name: "Ion Stoica", reason: "author of the draft", rule: .author, paper: nil)))
        let stoicaCoauthors = Set(try searcher.papers(byAuthor: "Ion Stoica").flatMap { try searcher.paper($0)!.authors! })
        #expect(stoicaCoauthors.count > 20)
        #expect(Set(answer.reviewers.map(\.name)).isDisjoint(with: stoicaCoauthors))
        #expect(answer.excluded.contains { $0.name == "Philipp Moritz" && $0.reason == "co-author of Ion Stoica: 'Ray: A Distributed Framework for Emerging AI Applications' (2018)" })
        // Full first names differ: Stephanie Wang (a Ray author) is not Siyu Wang.
        #expect(!PersonName("Stephanie Wang").mayBe(PersonName("Siyu Wang")) && PersonName("S. Wang").mayBe(PersonName("Siyu Wang")))
        #expect(PersonName("Zhu H.").mayBe(PersonName("Hongyu Zhu")) && PersonName("Michael I. Jordan").mayBe(PersonName("Michael Jordan")))
    }

    @Test("a store keeps its committee: saved and read back equal")
    func storedCommittee() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("committee-\(UUID().uuidString)").path
        let store = try PaperStore(path: dir)
        #expect(try Committee.stored(in: store.searcher()) == nil)
        try Fixtures.seedCommittee.save(in: store)
        #expect(try Committee.stored(in: store.searcher()) == Fixtures.seedCommittee)
        #expect(Fixtures.seedCommittee.members.map(\.profile.name) == ["Hongyu Zhu", "Keren Zhou", "Minjia Zhang", "Zhen Zheng"])
    }

    @Test("committee files: names resolve through the store; no papers, bad JSON and duplicates are refused by name")
    func committeeFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let searcher = try Fixtures.aisysStore.searcher()
        let names = dir.appendingPathComponent("names.txt").path
        try "# programme committee\nIon Stoica\n\n".write(toFile: names, atomically: true, encoding: .utf8)
        let byName = try Committee(profiles: CommitteeFiles.load([names]), searcher: searcher, embedder: Fixtures.embedder)
        let stoicaPapers = try searcher.papers(byAuthor: "Ion Stoica")
        #expect(byName.members.count == 1 && byName.members[0].profile.publications.count == stoicaPapers.count)
        #expect(byName.members[0].paperIDs.allSatisfy { $0.hasPrefix("aisys2023:") })
        // Named from the store: its papers' stored vectors, bit for bit, nothing re-embedded.
        #expect(Set(byName.members[0].paperIDs) == Set(stoicaPapers))
        #expect(try byName.members[0].vectors == byName.members[0].paperIDs.map { try searcher.vector(ofPaper: $0)! })

        let empty = dir.appendingPathComponent("empty.json").path
        try #"{"name": "Nobody Here", "publications": []}"#.write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(throws: ProfileError("reviewer 'Nobody Here' has no papers: give publications in the profile, or a name with papers in the store")) {
            try Committee(profiles: CommitteeFiles.load([empty]), searcher: searcher, embedder: Fixtures.embedder)
        }
        let broken = dir.appendingPathComponent("broken.json").path
        try #"{"name": "A B", "publications": [{"venue": "X"}]}"#.write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(throws: ProfileError("\(broken): not a reviewer profile (missing field 'title' at 'publications.[0]')")) {
            try CommitteeFiles.load([broken])
        }
        #expect(throws: ProfileError("reviewer 'Ion Stoica' is in the committee twice")) {
            try Committee(profiles: CommitteeFiles.load([names, names]), searcher: searcher, embedder: Fixtures.embedder)
        }
        #expect(throws: ProfileError("/nonexistent/x.json: no such file")) { try CommitteeFiles.load(["/nonexistent/x.json"]) }
    }
}
