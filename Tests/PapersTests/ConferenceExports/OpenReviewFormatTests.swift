import Foundation
import Storage
import Testing
@testable import Papers

/// OpenReview as openreview-py writes it (venue.py, matching.py, api/client.py Edge.to_json)
/// and openreview-matcher reads it (matcher/__main__.py): notes with their venue ids,
/// edges in and out, the matcher's headerless inputs.
@Suite(.serialized) struct OpenReviewFormatTests {
    static let venue = "ACL.cc/2026/Conference"

    /// API v2 notes: under review, withdrawn and desk-rejected (`content.venueid`), with `domain`.
    static let notes = """
    {"notes": [
     {"id": "QA111", "number": 1, "domain": "ACL.cc/2026/Conference", "invitations": ["ACL.cc/2026/Conference/-/Submission"],
      "content": {"title": {"value": "Question answering over knowledge bases"}, "abstract": {"value": "We answer questions."},
                  "authors": {"value": ["Alice Tester"]}, "authorids": {"value": ["~Alice_Tester1"]},
                  "venueid": {"value": "ACL.cc/2026/Conference/Submission"}}},
     {"id": "PT222", "number": 2, "domain": "ACL.cc/2026/Conference", "invitations": ["ACL.cc/2026/Conference/-/Submission"],
      "content": {"title": {"value": "Pretraining for science"}, "authors": {"value": ["Bob Tester"]}, "authorids": {"value": ["~Bob_Tester1"]},
                  "venueid": {"value": "ACL.cc/2026/Conference/Submission"}}},
     {"id": "WD333", "number": 3, "domain": "ACL.cc/2026/Conference",
      "invitations": ["ACL.cc/2026/Conference/-/Submission", "ACL.cc/2026/Conference/-/Withdrawn_Submission"],
      "content": {"title": {"value": "Withdrawn work"}, "authors": {"value": ["Carol Tester"]},
                  "venueid": {"value": "ACL.cc/2026/Conference/Withdrawn_Submission"}}},
     {"id": "DR444", "number": 4, "domain": "ACL.cc/2026/Conference", "invitations": ["ACL.cc/2026/Conference/-/Submission"],
      "content": {"title": {"value": "Desk rejected work"}, "authors": {"value": ["Dan Tester"]},
                  "venueid": {"value": "ACL.cc/2026/Conference/Desk_Rejected_Submission"}}}
    ], "count": 4}
    """

    /// The committee as OpenReview profiles (ids `~First_Last1`).
    static let profiles = """
    [{"name": "Jonathan Berant", "ids": ["openreview:~Jonathan_Berant1"], "publications": []},
     {"name": "Noah A. Smith", "ids": ["openreview:~Noah_A._Smith2"], "publications": []},
     {"name": "Mirella Lapata", "ids": ["openreview:~Mirella_Lapata1"], "publications": []},
     {"name": "Sebastian Ruder", "ids": ["openreview:~Sebastian_Ruder1"], "publications": []}]
    """

    func edge(_ kind: String, head: String, tail: String, weight: Double? = nil, label: String? = nil) -> String {
        var o: [String: Any] = ["invitation": "\(Self.venue)/Reviewers/-/\(kind)", "head": head, "tail": tail,
                                "readers": [Self.venue], "writers": [Self.venue], "signatures": [Self.venue]]
        if let weight { o["weight"] = weight }
        if let label { o["label"] = label }
        return String(decoding: try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("withdrawn and desk-rejected venueids are left out; Bid, Conflict and Custom_Max_Papers edges take effect; another kind is refused")
    func notesAndEdges() throws {
        let dir = try ExportFixtures.folder()
        let read = try Submissions.load(try ExportFixtures.write(Self.notes, dir, "notes.json"))
        #expect(read.papers.map(\.id) == ["QA111", "PT222"] && read.venue == Self.venue)
        #expect(read.skipped.map(\.reason) == ["withdrawn on OpenReview (ACL.cc/2026/Conference/Withdrawn_Submission)",
                                               "desk-rejected on OpenReview (ACL.cc/2026/Conference/Desk_Rejected_Submission)"])
        let bids = try ExportFixtures.write([edge("Bid", head: "QA111", tail: "~Jonathan_Berant1", label: "Very High"),
                                             edge("Bid", head: "PT222", tail: "~Mirella_Lapata1", label: "Conflict"),
                                             edge("Bid", head: "WD333", tail: "~Mirella_Lapata1", label: "Low")].joined(separator: "\n"), dir, "bids.jsonl")
        let conflicts = try ExportFixtures.write("[" + edge("Conflict", head: "QA111", tail: "~Noah_A._Smith2", weight: -1, label: "Conflict") + "]", dir, "conflicts.json")
        let loads = try ExportFixtures.write("{\"edges\": [" + edge("Custom_Max_Papers", head: "\(Self.venue)/Reviewers", tail: "~Sebastian_Ruder1", weight: 1) + "]}", dir, "max.json")
        var files = ConferenceFiles(submissions: dir + "/notes.json")
        files.bids = [bids]; files.conflicts = [conflicts]; files.loads = [loads]
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 2)
        let conference = try files.load(into: &rules)
        #expect(rules.bids.rows.map(\.bid) == [.value(1), .conflict, .value(-0.5)] && rules.loads.rows.map(\.max) == [1])
        let finder = try ExportFixtures.finder(try ExportFixtures.write(Self.profiles, dir, "committee.json"))
        let result = try ConferenceAssignment(submissions: conference, finder: finder, rules: rules)
        #expect(result.suggestions.map { Set($0.excluded.map(\.name)) } == [["Noah A. Smith"], ["Mirella Lapata"]])
        #expect(result.reviewers.first { $0.name == "Sebastian Ruder" }?.max_load == 1)
        #expect(result.stats.notes == ["\(bids):3: submission 'WD333' is withdrawn on OpenReview (ACL.cc/2026/Conference/Withdrawn_Submission): this row takes no effect"])

        let wrong = try ExportFixtures.write(edge("Affinity_Score", head: "QA111", tail: "~Jonathan_Berant1", weight: 0.5) + "\n", dir, "aff.jsonl")
        #expect(throws: ProfileError("\(wrong):1: an edge of kind 'Affinity_Score' (\(Self.venue)/Reviewers/-/Affinity_Score); --bids takes Bid edges")) { try ConferenceBids(files: [wrong]) }
        let noHead = try ExportFixtures.write(#"{"invitation": "X/-/Bid", "tail": "~A1", "label": "High"}"# + "\n", dir, "nohead.jsonl")
        #expect(throws: ProfileError("\(noHead):1: field 'head' is missing")) { try ConferenceBids(files: [noHead]) }
    }

    /// Reads a headerless CSV as openreview-matcher's `matcher/__main__.py` does: `csv.reader`,
    /// every row data, `paper_id = row[0].strip()`, `profile_id = row[1].strip()`, the score a
    /// float (a header row would fail there: "could not convert string to float: 'score'").
    func matcherRows(_ text: String) throws -> [(String, String, Double)] {
        try text.split(separator: "\n").map { line in
            let row = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard row.count == 3, let v = Double(row[2].trimmingCharacters(in: .whitespaces)) else { throw ProfileError("could not convert string to float: '\(row.last ?? "")'") }
            return (row[0].trimmingCharacters(in: .whitespaces), row[1].trimmingCharacters(in: .whitespaces), v)
        }
    }

    @Test("openreview-matcher's inputs: headerless scores for every eligible pair, conflicts as -1; refused without OpenReview ids; edges out")
    func matcherAndEdgesOut() throws {
        let dir = try ExportFixtures.folder()
        let read = try Submissions.load(try ExportFixtures.write(Self.notes, dir, "notes.json"))
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 2)
        rules.bids = try ConferenceBids(files: [try ExportFixtures.write(edge("Bid", head: "PT222", tail: "~Mirella_Lapata1", label: "Conflict"), dir, "b.jsonl")])
        let finder = try ExportFixtures.finder(try ExportFixtures.write(Self.profiles, dir, "committee.json"))
        let result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        let files = try result.matcherFiles(committee: finder.committee!)
        let scores = try matcherRows(files.scores), conflicts = try matcherRows(files.conflicts)
        #expect(scores.count == 2 * 4 - 1 && conflicts.map { "\($0.0),\($0.1),\($0.2)" } == ["PT222,~Mirella_Lapata1,-1.0"])
        #expect(Set(scores.map(\.1)) == ["~Jonathan_Berant1", "~Noah_A._Smith2", "~Mirella_Lapata1", "~Sebastian_Ruder1"])
        #expect(!scores.contains { $0.0 == "PT222" && $0.1 == "~Mirella_Lapata1" })
        for pair in result.assignment {
            let key = ["Jonathan Berant": "~Jonathan_Berant1", "Noah A. Smith": "~Noah_A._Smith2", "Mirella Lapata": "~Mirella_Lapata1", "Sebastian Ruder": "~Sebastian_Ruder1"][pair.reviewer_id]!
            #expect(scores.contains { $0.0 == pair.submission_id && $0.1 == key && abs($0.2 - pair.score) < 1e-6 })
        }
        let edges = try result.openReviewEdges(committee: finder.committee!).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(edges.count == 4 && edges.allSatisfy { $0["invitation"] as? String == "\(Self.venue)/Reviewers/-/Proposed_Assignment" && ($0["tail"] as! String).hasPrefix("~") })
        #expect(edges[0]["signatures"] as? [String] == ["\(Self.venue)/Program_Chairs"] && edges[0]["label"] as? String == "refer")

        // A committee named without OpenReview ids: refused, naming who lacks one, never guessed.
        let names = try ExportFixtures.finder(try ExportFixtures.write("Jonathan Berant\nNoah A. Smith\nMirella Lapata\n", dir, "names.txt"))
        let byName = try ConferenceAssignment(submissions: read, finder: names, rules: ConferenceRules(reviewersPerPaper: 1, maxLoad: 2))
        #expect(throws: ProfileError("openreview-matcher's files name reviewers by OpenReview profile id, and 3 member(s) have none: Jonathan Berant, Noah A. Smith, Mirella Lapata; give a committee with OpenReview ids (an expertise dataset's archives, or profiles with ids [\"openreview:~Name1\"])")) {
            try byName.matcherFiles(committee: names.committee!)
        }
    }

    @Test("the venue's own affinities (Affinity_Score edges, or the matcher's headerless scores) replace refer's; a missing pair counts 0 and is noted")
    func venueAffinities() throws {
        let dir = try ExportFixtures.folder()
        let read = try Submissions.load(try ExportFixtures.write(Self.notes, dir, "notes.json"))
        let finder = try ExportFixtures.finder(try ExportFixtures.write(Self.profiles, dir, "committee.json"))
        var rules = ConferenceRules(reviewersPerPaper: 1, maxLoad: 1)
        // The venue prefers Ruder for QA111 and Lapata for PT222, against refer's own scores.
        let edges = try ExportFixtures.write([edge("Affinity_Score", head: "QA111", tail: "~Sebastian_Ruder1", weight: 0.91),
                                              edge("Affinity_Score", head: "PT222", tail: "~Mirella_Lapata1", weight: 0.87),
                                              edge("Affinity_Score", head: "QA111", tail: "~Mirella_Lapata1", weight: 0.2)].joined(separator: "\n"), dir, "aff.jsonl")
        rules.affinities = try ConferenceAffinities(files: [edges])
        let result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        #expect(result.assignment.map { "\($0.submission_id) \($0.reviewer_id) \($0.score)" } == ["QA111 Sebastian Ruder 0.91", "PT222 Mirella Lapata 0.87"])
        #expect(result.stats.notes == ["--affinities: 5 eligible pair(s) have no score and count 0, as openreview-matcher counts them"])
        #expect(result.assignment.allSatisfy { !($0.evidence ?? []).isEmpty })

        // The matcher's own scores file comes back as the same affinities.
        let plain = try ConferenceAssignment(submissions: read, finder: finder, rules: ConferenceRules(reviewersPerPaper: 1, maxLoad: 1))
        let scores = try ExportFixtures.write(try plain.matcherFiles(committee: finder.committee!).scores, dir, "scores.csv")
        rules.affinities = try ConferenceAffinities(files: [scores])
        let again = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        #expect(again.assignment.map(\.reviewer_id) == plain.assignment.map(\.reviewer_id) && again.stats.notes.isEmpty)
        #expect(zip(again.assignment, plain.assignment).allSatisfy { abs($0.score - $1.score) < 1e-6 })
        let bad = try ExportFixtures.write("QA111,~Sebastian_Ruder1,0.5\nPT222,~Mirella_Lapata1,high\n", dir, "bad.csv")
        #expect(throws: ProfileError("\(bad):2: a scores row is paper_id,reviewer,score with a number last")) { try ConferenceAffinities(files: [bad]) }
    }
}
