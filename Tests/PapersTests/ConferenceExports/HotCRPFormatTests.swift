import Foundation
import Storage
import Testing
@testable import Papers

/// HotCRP's files as its source writes them (src/paperexport.php, la_getallrevpref.php,
/// p_users.php at v3.2 and v3.3): paper JSON with statuses and pc_conflicts, the PC review
/// preferences export, the PC info CSV with roles.
@Suite(.serialized) struct HotCRPFormatTests {
    /// v3.2 authors (`first`/`last`, `contact`) and v3.3 ones (`given_name`/`family_name`,
    /// a `contacts` list); every status HotCRP writes; a withdrawn paper with its reason.
    static let papers = """
    [{"object": "paper", "pid": 1, "title": "Question answering over knowledge bases", "status": "submitted", "submitted": true,
      "authors": [{"email": "alice@uni-a.edu", "first": "Alice", "last": "Tester", "affiliation": "Uni A", "contact": true}],
      "pc_conflicts": {"joberant@cs.tau.ac.il": "pinned collaborator", "lapata@inf.ed.ac.uk": true}},
     {"object": "paper", "pid": 2, "title": "Pretraining language models for science", "status": "submitted", "submitted": true,
      "authors": [{"email": "bob@uni-b.edu", "given_name": "Bob", "family_name": "Tester", "affiliation": "Uni B"}],
      "contacts": [{"email": "bob@uni-b.edu", "given_name": "Bob", "family_name": "Tester"}],
      "pc_conflicts": {"nasmith@cs.washington.edu": "collaborator", "pc-chair@acl.org": "administrative"}},
     {"object": "paper", "pid": 3, "title": "Fake news detection", "status": "withdrawn", "withdrawn": true, "withdrawn_at": 1761000000,
      "withdraw_reason": "Duplicate submission", "authors": [{"given_name": "Carol", "family_name": "Tester"}], "pc_conflicts": {}},
     {"object": "paper", "pid": 4, "title": "Summarisation with pretrained encoders", "status": "desk_reject",
      "authors": [{"given_name": "Dan", "family_name": "Tester"}]},
     {"object": "paper", "pid": 5, "title": "Metaphor detection shared task", "status": "accept", "decision": "Accepted", "submitted": true,
      "authors": [{"given_name": "Eve", "family_name": "Tester"}], "pc_conflicts": {"cwleong@ets.org": "author"}}]
    """

    /// The PC info export: a chair ("chair pc"), PC members, a user outside the PC (empty roles).
    static let pcinfo = """
    given_name,family_name,email,affiliation,orcid,roles,collaborators,follow,topic: NLP
    Jonathan,Berant,joberant@cs.tau.ac.il,Tel Aviv University,https://orcid.org/0000-0001-0000-0001,pc,,review,2
    Noah A.,Smith,nasmith@cs.washington.edu,University of Washington,,pc,"Ana Marasović (AI2)",review,0
    Mirella,Lapata,lapata@inf.ed.ac.uk,University of Edinburgh,,pc,,review,1
    Chee Wee,Leong,cwleong@ets.org,ETS,,pc,,review,
    Sebastian,Ruder,ruder@google.com,Google,,pc,,review,
    Ondřej,Dušek,odusek@ufal.mff.cuni.cz,Charles University,,pc,,review,
    Percy,Liang,pc-chair@acl.org,Stanford,,chair pc,,review,
    Alice,Tester,alice@uni-a.edu,Uni A,,,,submit,

    """

    @Test("paper JSON: withdrawn and desk-rejected papers left out and listed; pc_conflicts by e-mail enforced; a chair's entry understood")
    func paperJSON() throws {
        let dir = try ExportFixtures.folder()
        let read = try Submissions.load(try ExportFixtures.write(Self.papers, dir, "data.json"))
        #expect(read.papers.map(\.id) == ["1", "2", "5"])
        #expect(read.skipped.map(\.id) == ["3", "4"] && read.skipped[0].reason == "withdrawn in HotCRP (Duplicate submission)"
                && read.skipped[1].reason == "desk_reject in HotCRP")
        #expect(try Submissions.load(dir + "/data.json", includeWithdrawn: true).papers.count == 5)

        let finder = try ExportFixtures.finder(try ExportFixtures.write(Self.pcinfo, dir, "pcinfo.csv"))
        let committee = finder.committee!
        #expect(committee.members.map(\.profile.name) == ["Jonathan Berant", "Noah A. Smith", "Mirella Lapata", "Chee Wee Leong", "Sebastian Ruder", "Ondřej Dušek"])
        #expect(committee.nonReviewers.map(\.name) == ["Percy Liang", "Alice Tester"])
        #expect(committee.members[0].profile.ids == ["orcid:0000-0001-0000-0001"])
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 2)
        rules.bids = try ConferenceBids(files: [try ExportFixtures.write("paper,email,preference\n3,ruder@google.com,20\n", dir, "prefs.csv")])
        let result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        let excluded = result.suggestions.map { Set($0.excluded.map(\.name)) }
        #expect(excluded == [["Jonathan Berant", "Mirella Lapata"], ["Noah A. Smith"], ["Chee Wee Leong"]])
        #expect(result.suggestions[0].excluded.first?.reason == "HotCRP pc_conflicts: pinned collaborator")
        #expect(result.stats.skipped_submissions == [.init(id: "3", reason: "withdrawn in HotCRP (Duplicate submission)"), .init(id: "4", reason: "desk_reject in HotCRP")])
        #expect(Set(result.assignment.map(\.submission_id)) == ["1", "2", "5"])
        #expect(result.stats.notes == [
            "\(dir)/data.json: paper 2: 'pc-chair@acl.org' is Percy Liang, who is a chair (roles 'chair pc'; --include-chairs makes chairs reviewers) (\(dir)/pcinfo.csv:8): this row takes no effect",
            "\(dir)/prefs.csv:2: submission '3' is withdrawn in HotCRP (Duplicate submission): this row takes no effect"])
        let bulk = try result.hotcrpCSV()
        #expect(!bulk.contains("\n3,") && !bulk.contains("\n4,"))
        // With --include-chairs the chair reviews, and their conflict holds.
        let withChairs = try ExportFixtures.finder(dir + "/pcinfo.csv", includeChairs: true)
        #expect(withChairs.committee!.members.count == 7 && withChairs.committee!.nonReviewers.map(\.name) == ["Alice Tester"])
        let r2 = try ConferenceAssignment(submissions: read, finder: withChairs, rules: rules)
        #expect(r2.suggestions[1].excluded.contains { $0.name == "Percy Liang" && $0.rule == .declared })
    }

    @Test("a names-only committee: pc_conflicts keyed by e-mail meet the member the address spells; others are refused by name")
    func pcConflictsWithoutEmails() throws {
        let dir = try ExportFixtures.folder()
        let data = try ExportFixtures.write("""
            [{"pid": 1, "title": "Question answering", "authors": [{"first": "Alice", "last": "Tester"}],
              "pc_conflicts": {"jonathan.berant@gmail.com": true, "noah_smith@uw.edu": "collaborator"}},
             {"pid": 2, "title": "Summaries", "authors": [], "pc_conflicts": {"mlap@inf.ed.ac.uk": true}}]
            """, dir, "data.json")
        let finder = try ExportFixtures.finder(try ExportFixtures.namesFile(dir))
        let read = try Submissions.load(data)
        #expect(throws: ProfileError("\(data): paper 2: field 'pc_conflicts': the committee has no e-mails, and 'mlap@inf.ed.ac.uk' cannot be read as a name; give a committee file with e-mails (HotCRP's PC info CSV)")) {
            try ConferenceConflicts(submissions: read, finder: finder, rules: ConferenceRules(reviewersPerPaper: 1, maxLoad: 1))
        }
        var first = read
        first.papers.removeLast(); first.conflicts.removeAll { $0.submission == "2" }
        let found = try ConferenceConflicts(submissions: first, finder: finder, rules: ConferenceRules(reviewersPerPaper: 1, maxLoad: 1))
        #expect(Set(found.excluded[0].compactMap { $0?.name }) == ["Jonathan Berant", "Noah A. Smith"])
    }

    @Test("the PC review preferences export: empty preference 0, the conflict column a conflict, the full range, -100 or less a conflict")
    func preferencesExport() throws {
        let dir = try ExportFixtures.folder()
        let prefs = try ExportFixtures.write("""
            paper,title,given_name,family_name,email,conflict,preference,expertise,topic_score
            1,Question answering,Jonathan,Berant,joberant@cs.tau.ac.il,,150,X,3
            1,Question answering,Noah A.,Smith,nasmith@cs.washington.edu,conflict,,,
            2,Pretraining,Mirella,Lapata,lapata@inf.ed.ac.uk,,,Y,2
            2,Pretraining,Sebastian,Ruder,ruder@google.com,,-100,,
            5,Metaphor,Ondřej,Dušek,odusek@ufal.mff.cuni.cz,,-20,Z,
            5,Metaphor,Chee Wee,Leong,cwleong@ets.org,,-1000000,,

            """, dir, "allprefs.csv")
        let bids = try ConferenceBids(files: [prefs])
        #expect(bids.rows.map(\.bid) == [.value(1), .conflict, .value(0), .conflict, .value(-0.2), .conflict])
        let bad = try ExportFixtures.write("paper,email,preference\n1,a@b.org,1000001\n1,a@b.org,maybe later\n", dir, "bad.csv")
        #expect(throws: InputRefusal(problems: [
            "\(bad):2: field 'preference': '1000001' is not yes, maybe, no, conflict or a preference from -1000000 to 1000000",
            "\(bad):3: field 'preference': 'maybe later' is not yes, maybe, no, conflict or a preference from -1000000 to 1000000"])) {
            try ConferenceBids(files: [bad])
        }
    }
}
