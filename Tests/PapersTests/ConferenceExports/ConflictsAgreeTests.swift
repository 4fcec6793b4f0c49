import Foundation
import Storage
import Testing
@testable import Papers

/// `refer conflicts` lists exactly what `refer assign` enforces: one computation, every kind.
@Suite(.serialized) struct ConflictsAgreeTests {
    @Test("the conflict table and the assignment's exclusions agree row for row on a conference with every kind of conflict")
    func agree() throws {
        let dir = try ExportFixtures.folder()
        let pc = try ExportFixtures.write("""
            given_name,family_name,email,affiliation,roles
            Jonathan,Berant,joberant@cs.tau.ac.il,Tel Aviv University,pc
            Noah A.,Smith,nasmith@cs.washington.edu,University of Washington,pc
            Mirella,Lapata,mlap@inf.ed.ac.uk,University of Edinburgh,pc
            Chee Wee,Leong,cwleong@ets.org,ETS,pc
            Sebastian,Ruder,ruder@google.com,Google,pc
            Ondřej,Dušek,odusek@ufal.mff.cuni.cz,Charles University,pc
            Yue,Zhang,yue.zhang@westlake.edu.cn,Westlake University,pc

            """, dir, "pcinfo.csv")
        let subs = try ExportFixtures.write("""
            [{"pid": 1, "title": "Semantic parsing with large language models", "authors": [{"first": "Jonathan", "last": "Berant", "email": "joberant@cs.tau.ac.il"}]},
             {"pid": 2, "title": "Abstract examples for weak supervision", "authors": [{"first": "Omer", "last": "Goldman"}]},
             {"pid": 3, "title": "Extractive summarisation of news", "authors": [{"first": "Zed", "last": "Tester", "affiliation": "University of Edinburgh"}]},
             {"pid": 4, "title": "Automated essay scoring", "authors": [{"first": "Xi", "last": "Tester", "email": "xt@ets.org"}]},
             {"pid": 5, "title": "Data-to-text generation", "authors": [{"first": "Wu", "last": "Tester"}], "pc_conflicts": {"yue.zhang@westlake.edu.cn": "collaborator"}}]
            """, dir, "data.json")
        let declared = try ExportFixtures.write("reviewer,author_or_domain,reason\nSebastian Ruder,Zed Tester,former student\n", dir, "declared.csv")
        let conflicts = try ExportFixtures.write("submission_id,reviewer,reason\n5,O. Dušek,same project\n", dir, "conflicts.csv")
        let bids = try ExportFixtures.write("paper,email,preference\n5,mlap@inf.ed.ac.uk,-100\n4,ruder@google.com,10\n", dir, "prefs.csv")
        var files = ConferenceFiles(submissions: subs)
        files.conflicts = [conflicts]; files.bids = [bids]
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 3)
        let read = try files.load(into: &rules)
        let finder = try ExportFixtures.finder(pc, policy: ConflictPolicy(coauthorYears: nil, referenceYear: 2026, declared: try DeclaredConflicts(files: [declared])))

        let table = try ConflictTable(submissions: read, finder: finder, rules: rules)
        let result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        let enforced = result.suggestions.flatMap { s in s.excluded.map { ConflictTable.Row(submission_id: s.submission_id, exclusion: $0) } }
        #expect(table.rows == enforced)
        #expect(Set(table.rows.map(\.exclusion.rule)) == [.author, .coauthor, .affiliation, .emailDomain, .declared])
        #expect(table.rows.map { "\($0.submission_id) \($0.exclusion.name) \($0.exclusion.rule.rawValue)" } == [
            "1 Jonathan Berant author", "2 Jonathan Berant coauthor", "3 Mirella Lapata affiliation", "3 Sebastian Ruder declared",
            "4 Chee Wee Leong email_domain", "5 Mirella Lapata declared", "5 Ondřej Dušek declared", "5 Yue Zhang declared"])
        #expect(!result.assignment.contains { pair in table.rows.contains { $0.submission_id == pair.submission_id && $0.exclusion.name == pair.reviewer_id } })
    }
}
