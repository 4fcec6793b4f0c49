import Foundation
import Names
import Storage
import Testing
@testable import Papers

/// One name rule for every chair file: spellings meet a member, ambiguity and unknown names
/// are refused naming FILE:LINE, the field and the closest members, all in one pass.
@Suite(.serialized) struct NameRuleConflictTests {
    static let submissions = """
    {"id": "s1", "title": "Question answering over knowledge bases", "authors": ["Alice Tester"], "year": 2026}
    {"id": "s2", "title": "Domain-adaptive pretraining for scientific text", "authors": ["Bob Tester"], "year": 2026}
    {"id": "s3", "title": "Detecting misinformation in political statements", "authors": ["Carol Tester"], "year": 2026}
    {"id": "s4", "title": "Adapters for cross-lingual transfer", "authors": ["Jonas Pfeiffer", "Dan Tester"], "year": 2026}

    """

    @Test("a --conflicts row spelled 'J. Berant', 'Noah Smith', 'William Wang' is enforced against the member's full name")
    func spellingsEnforced() throws {
        let dir = try ExportFixtures.folder()
        let subs = try ExportFixtures.write(Self.submissions, dir, "subs.jsonl")
        let conflicts = try ExportFixtures.write("submission_id,reviewer,reason\ns1,J. Berant,advisor\ns2,Noah Smith,\ns3,\"Wang, William\",same lab\n", dir, "conflicts.csv")
        var files = ConferenceFiles(submissions: subs)
        files.conflicts = [conflicts]
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 4)
        let read = try files.load(into: &rules)
        let finder = try ExportFixtures.finder(try ExportFixtures.namesFile(dir))
        let result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        let excluded = Dictionary(uniqueKeysWithValues: result.suggestions.map { ($0.submission_id, $0.excluded.map(\.name)) })
        #expect(excluded["s1"]!.contains("Jonathan Berant") && excluded["s2"]!.contains("Noah A. Smith") && excluded["s3"]!.contains("William Yang Wang"))
        #expect(result.suggestions[0].excluded.first { $0.name == "Jonathan Berant" }?.reason == "advisor (\(conflicts):2)")
        #expect(!result.assignment.contains { ["s1": "Jonathan Berant", "s2": "Noah A. Smith", "s3": "William Yang Wang"][$0.submission_id] == $0.reviewer_id })
        // The draft's own author (s4) is excluded by the author rule.
        #expect(result.suggestions[3].excluded.contains { $0.name == "Sebastian Ruder" } == false)
        #expect(result.stats.conflicts["declared"] == 3)
    }

    @Test("unknown, ambiguous and misspelt references are all refused in one pass, each with FILE:LINE, the field and the closest members")
    func everyBadRowAtOnce() throws {
        let dir = try ExportFixtures.folder()
        let subs = try ExportFixtures.write(Self.submissions, dir, "subs.jsonl")
        let conflicts = try ExportFixtures.write("submission_id,reviewer\ns1,Jonathan Berrant\ns9,Noah A. Smith\n", dir, "conflicts.csv")
        let bids = try ExportFixtures.write("submission_id,reviewer,bid\ns2,Mirela Lapata,yes\ns2,Mirella Lapata,soon\n", dir, "bids.csv")
        let loads = try ExportFixtures.write("reviewer,min,max\nRuder,,2\n", dir, "loads.csv")
        var files = ConferenceFiles(submissions: subs)
        files.conflicts = [conflicts]; files.bids = [bids]; files.loads = [loads]
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 4)
        // Parsing first: the bid that is not a bid.
        #expect(throws: ProfileError("\(bids):3: field 'bid': 'soon' is not yes, maybe, no, conflict or a preference from -1000000 to 1000000")) {
            try files.load(into: &rules)
        }
        try ExportFixtures.write("submission_id,reviewer,bid\ns2,Mirela Lapata,yes\n", dir, "bids.csv")
        let read = try files.load(into: &rules)
        let finder = try ExportFixtures.finder(try ExportFixtures.namesFile(dir))
        #expect(throws: InputRefusal(problems: [
            "\(conflicts):2: field 'reviewer': no committee member is 'Jonathan Berrant' (closest: Jonathan Berant); give their name, e-mail or id",
            "\(conflicts):3: field 'submission_id': no submission 's9'",
            "\(bids):2: field 'reviewer': no committee member is 'Mirela Lapata' (closest: Mirella Lapata); give their name, e-mail or id",
            "\(loads):2: field 'reviewer': no committee member is 'Ruder' (closest: Sebastian Ruder); give their name, e-mail or id",
        ])) { try ConferenceAssignment(submissions: read, finder: finder, rules: rules) }
    }

    @Test("a name that fits two members is refused with both; an e-mail with a typo names the closest address")
    func ambiguousAndTypo() throws {
        let dir = try ExportFixtures.folder()
        let pc = try ExportFixtures.write("""
            given_name,family_name,email,roles
            Jonathan,Berant,joberant@cs.tau.ac.il,pc
            Jane,Berant,jane.berant@example.org,pc
            Noah A.,Smith,nasmith@cs.washington.edu,pc

            """, dir, "pcinfo.csv")
        let lookup = CommitteeLookup(try ExportFixtures.finder(pc).committee!)
        #expect(throws: ProfileError("f.csv:2: field 'reviewer': 'J. Berant' fits 2 committee members (Jonathan Berant, Jane Berant); give an e-mail or id")) {
            try lookup.member("J. Berant", at: "f.csv:2")
        }
        #expect(try lookup.member("Jonathan Berant", at: "f.csv:3") == 0)
        #expect(try lookup.member("NASmith@cs.washington.edu", at: "f.csv:4") == 2)
        #expect(throws: ProfileError("f.csv:5: field 'pc_conflicts': no committee member has the e-mail 'nasmith@cs.washingtn.edu' (closest: nasmith@cs.washington.edu (Noah A. Smith))")) {
            try lookup.member("nasmith@cs.washingtn.edu", at: "f.csv:5", field: "pc_conflicts")
        }
    }

    @Test("a committee entry 'Y. Zhang' that fits several people in the store is refused listing them; a full name is not")
    func initialOnlyMember() throws {
        let dir = try ExportFixtures.folder()
        #expect(throws: ProfileError("reviewer 'Y. Zhang' fits 3 people in the store (Yi Zhang, Yuan Zhang, Yue Zhang); give the full name or an author id")) {
            try ExportFixtures.finder(try ExportFixtures.write("Y. Zhang\n", dir, "c.txt"))
        }
        let one = try ExportFixtures.finder(try ExportFixtures.write("Yue Zhang\nO. Dušek\n", dir, "d.txt")).committee!
        #expect(one.members.map(\.paperIDs) == [["a7"], ["b1", "b5"]])
    }

    @Test("declared conflicts naming nobody on the committee are refused, not ignored; an e-mail reviewer is matched")
    func declaredConflictsValidated() throws {
        let dir = try ExportFixtures.folder()
        let declared = try ExportFixtures.write("reviewer,author_or_domain,reason\nNobody Atall,Jonas Pfeiffer,friend\n", dir, "declared.csv")
        let committee = try ExportFixtures.finder(try ExportFixtures.namesFile(dir)).committee!
        #expect(try DeclaredConflicts(files: [declared]).problems(against: committee) == [
            "\(declared):2: field 'reviewer': no committee member is 'Nobody Atall'; give their name, e-mail or id"])
        let reviewer = ConflictPolicy.Reviewer(name: "Mirella Lapata", emails: ["mlap@inf.ed.ac.uk"])
        #expect(DeclaredConflicts.names("MLap@inf.ed.ac.uk", reviewer) && !DeclaredConflicts.names("other@inf.ed.ac.uk", reviewer))
    }

    @Test("--authors splits on ';', ',' and ' and ', keeps 'Last, First', parentheses and <…>, reads author objects, and says how")
    func authorLists() throws {
        #expect(try DraftAuthorList.split("Jonas Pfeiffer, Sebastian Ruder") == (["Jonas Pfeiffer", "Sebastian Ruder"], "split on ',' and ' and '"))
        #expect(try DraftAuthorList.split("Jonas Pfeiffer and Sebastian Ruder").authors == ["Jonas Pfeiffer", "Sebastian Ruder"])
        #expect(try DraftAuthorList.split("A. Lee, B. Ng and C. Ho").authors == ["A. Lee", "B. Ng", "C. Ho"])
        #expect(try DraftAuthorList.split("Pfeiffer, Jonas") == (["Jonas Pfeiffer"], "read as 'Last, First'"))
        #expect(try DraftAuthorList.split("Doe, Jane; Ruder, Sebastian").authors == ["Doe, Jane", "Ruder, Sebastian"])
        #expect(try DraftAuthorList.split("Jane Doe (ETH Zurich, CH) <jane@ethz.ch>, Wei Li").authors == ["Jane Doe (ETH Zurich, CH) <jane@ethz.ch>", "Wei Li"])
        #expect(try DraftAuthorList.split(#"[{"first": "Ana", "last": "Silva", "email": "ana@uni-a.edu"}, {"fullname": "Li Na", "username": "~Li_Na2"}, "Bo Chen"]"#).authors
                == ["Ana Silva <ana@uni-a.edu>", "Li Na <openreview:~Li_Na2>", "Bo Chen"])
        // The draft's author, given with a comma, is found and not suggested.
        let searcher = try ExportFixtures.store.searcher()
        let finder = ReviewerFinder(searcher: searcher, embedder: Fixtures.embedder, committee: nil, conflicts: ConflictPolicy(coauthorYears: nil))
        let draft = try Draft(title: "MAD-X: adapters for cross-lingual transfer", authors: try DraftAuthorList.split("Jonas Pfeiffer, Ivan Vulić").authors)
        let answer = try finder.reviewers(for: draft, k: 5)
        #expect(!answer.reviewers.contains { ["Jonas Pfeiffer", "Ivan Vulić", "Sebastian Ruder", "Iryna Gurevych"].contains($0.name) })
        #expect(answer.excluded.contains { $0.name == "Sebastian Ruder" && $0.rule == .coauthor })
    }

    @Test("the conflict window ends at the submission's year (or --as-of), not today")
    func windowFromTheSubmission() throws {
        let dir = try ExportFixtures.folder()
        // Ondřej Dušek and Filip Jurčíček wrote together in 2016; a 2018 submission by Jurčíček is a conflict, today's window would miss it.
        let subs = try ExportFixtures.write(#"{"id": "old", "title": "Dialogue systems", "authors": ["Filip Jurčíček"], "year": 2018}"# + "\n", dir, "s.jsonl")
        let finder = try ExportFixtures.finder(try ExportFixtures.namesFile(dir))
        var rules = ConferenceRules(reviewersPerPaper: 1, maxLoad: 1)
        let read = try Submissions.load(subs)
        #expect(try ConferenceConflicts(submissions: read, finder: finder, rules: rules).excluded[0].compactMap { $0?.name } == ["Ondřej Dušek"])
        rules.asOf = 2026
        #expect(try ConferenceConflicts(submissions: read, finder: finder, rules: rules).excluded[0].compactMap { $0 }.isEmpty)
    }
}
