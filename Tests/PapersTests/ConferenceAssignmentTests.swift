import Assignment
import Foundation
import Storage
import Testing
@testable import Papers

/// Conference files in (HotCRP, OpenReview v1/v2, CMT, EasyChair, bids, loads, groups),
/// an assignment over a committee named from the store, and the files out.
@Suite struct ConferenceAssignmentTests {
    func temporaryFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conference-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ text: String, _ dir: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// HotCRP paper JSON as its schema has it: v3.2 authors (first/last, contact) beside
    /// v3.3 ones (given_name/family_name), pc_conflicts as true or typed words, unknown keys.
    static let hotcrpJSON = """
    [{"object": "paper", "pid": 3, "title": "Scheduling deep learning jobs on shared GPU clusters",
      "abstract": "We schedule training jobs on a shared GPU cluster with introspection and time slicing.",
      "authors": [{"email": "ana@uni-a.edu", "first": "Ana", "last": "Silva", "affiliation": "Uni A", "contact": true},
                  {"first": "Wei", "last": "Li"}],
      "pc_conflicts": {"fan.yang@pc.org": "pinned collaborator", "bgchun@pc.org": true},
      "topics": ["Systems"], "status": "submitted", "submitted_at": 1767225600},
     {"object": "paper", "pid": 7, "title": "Compiling tensor programs for accelerators",
      "abstract": "An end-to-end compiler stack that optimizes tensor operators for diverse hardware back ends.",
      "authors": [{"email": "ion@berkeley.edu", "given_name": "Ion", "family_name": "Stoica", "affiliation": "UC Berkeley"}],
      "pc_conflicts": {}, "calories": 1020},
     {"pid": 9, "title": "Pipeline parallel training of large models",
      "abstract": "We split a large model into stages and pipeline micro-batches across GPUs to train it faster.",
      "authors": [{"name": "Chen, Mei", "email": "mei@corp.com"}]},
     {"pid": 12, "title": "Quantum annealing for reviewer assignment", "authors": []}]
    """

    static let pcCSV = """
    given_name,family_name,email,affiliation,roles
    Fan,Yang,fan.yang@pc.org,Microsoft Research,pc
    Lidong,Zhou,lidong@pc.org,Microsoft Research,pc
    Byung-Gon,Chun,bgchun@pc.org,Seoul National University,"chair pc"
    Yufei,Ding,yufei@pc.org,UCSB,pc
    Amar,Phanishayee,amar@pc.org,Microsoft Research,pc
    Zhihao,Jia,zhihao@pc.org,CMU,pc

    """

    func finder(committee: String, includeChairs: Bool = false) throws -> ReviewerFinder {
        let searcher = try Fixtures.aisysStore.searcher()
        let members = try Committee.resolve(files: [committee], searcher: searcher, embedder: Fixtures.embedder, includeChairs: includeChairs)
        return ReviewerFinder(searcher: searcher, embedder: Fixtures.embedder, committee: members, conflicts: ConflictPolicy(referenceYear: 2026))
    }

    @Test("HotCRP JSON in, HotCRP bulk-assignment CSV out: the same pids and the PC's e-mails; pc_conflicts and conflict bids hold")
    func hotcrpRoundTrip() throws {
        let dir = try temporaryFolder()
        let read = try Submissions.load(try write(Self.hotcrpJSON, dir, "sosp-data.json"))
        #expect(read.papers.map(\.id) == ["3", "7", "9", "12"])
        #expect(read.papers[0].authors == ["Ana Silva", "Wei Li"] && read.papers[2].authors == ["Chen, Mei"])
        let first = ConflictPolicy.Author.of(read.papers[0])
        #expect(first[0].email == "ana@uni-a.edu" && first[0].affiliation == "Uni A" && first[1].email == nil)
        #expect(read.conflicts.map(\.reviewer) == ["bgchun@pc.org", "fan.yang@pc.org"])
        #expect(read.conflicts[1].reason == "HotCRP pc_conflicts: pinned collaborator")

        let finder = try finder(committee: try write(Self.pcCSV, dir, "pcinfo.csv"))
        // The chair (roles "chair pc") does not review; their pc_conflicts entry is understood, not refused.
        #expect(finder.committee!.members.map(\.profile.name) == ["Fan Yang", "Lidong Zhou", "Yufei Ding", "Amar Phanishayee", "Zhihao Jia"])
        #expect(finder.committee!.nonReviewers.map(\.name) == ["Byung-Gon Chun"])
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 2)
        rules.bids = try ConferenceBids(files: [try write("paper,email,preference\n7,zhihao@pc.org,-100\n7,yufei@pc.org,20X\n", dir, "prefs.csv")])
        for objective in AssignmentObjective.allCases {
            rules.objective = objective
            let result = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
            let rows = try result.hotcrpCSV().split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            #expect(rows[0] == ["paper", "action", "email"])
            #expect(Dictionary(grouping: rows.dropFirst(), by: { $0[0] }).mapValues(\.count) == ["3": 2, "7": 2, "9": 2, "12": 2])
            #expect(rows.dropFirst().allSatisfy { $0[1] == "primary" && $0[2].hasSuffix("@pc.org") })
            #expect(!rows.contains(["3", "primary", "fan.yang@pc.org"]) && !rows.contains(["7", "primary", "zhihao@pc.org"]))
            #expect(result.suggestions[0].excluded.contains { $0.name == "Fan Yang" && $0.rule == .declared })
            #expect(result.stats.conflicts["declared"] == 2 && result.stats.loads.max <= 2)
            #expect(result.stats.objective == objective.rawValue && result.stats.optimal)
            #expect(result.stats.notes == ["\(dir)/sosp-data.json: paper 3: 'bgchun@pc.org' is Byung-Gon Chun, who is a chair (roles 'chair pc'; --include-chairs makes chairs reviewers) (\(dir)/pcinfo.csv:4): this row takes no effect"])
        }
    }

    @Test("OpenReview v2 notes (array, {\"notes\"}, JSON Lines, unified authors) and v1 submissions.json are read")
    func openReview() throws {
        let dir = try temporaryFolder()
        let v2 = """
        {"id": "aB3xYz9", "number": 14, "forum": "aB3xYz9", "invitations": ["ICLR.cc/2026/Conference/-/Submission"],
         "content": {"title": {"value": "Sparse attention at scale"}, "abstract": {"value": "We make attention sparse."},
                     "authors": {"value": ["Jane Doe", "Kai Wu"], "readers": ["ICLR.cc/2026/Conference"]},
                     "authorids": {"value": ["~Jane_Doe1", "kai@wu.org"]}, "venueid": {"value": "ICLR.cc/2026/Conference/Submission"}}}
        """
        let unified = """
        {"id": "Qq11", "content": {"title": {"value": "Unified authors"}, "authors": {"value": [
          {"fullname": "Li Na", "username": "~Li_Na2", "institutions": [{"name": "Tsinghua University", "domain": "tsinghua.edu.cn"}]}]}}}
        """
        for (name, text) in [("notes.json", "[\(v2), \(unified)]"), ("envelope.json", "{\"notes\": [\(v2), \(unified)], \"count\": 2}"),
                             ("notes.jsonl", v2.replacingOccurrences(of: "\n", with: "") + "\n" + unified.replacingOccurrences(of: "\n", with: "") + "\n")] {
            let papers = try Submissions.load(try write(text, dir, name)).papers
            #expect(papers.map(\.id) == ["aB3xYz9", "Qq11"], "\(name)")
            #expect(papers[0].title == "Sparse attention at scale" && papers[0].abstract == "We make attention sparse.")
            let authors = ConflictPolicy.Author.of(papers[0])
            #expect(authors.map(\.id) == ["openreview:~Jane_Doe1", nil] && authors[1].email == "kai@wu.org")
            let li = ConflictPolicy.Author.of(papers[1])[0]
            #expect(li.name == "Li Na" && li.id == "openreview:~Li_Na2" && li.affiliation == "Tsinghua University")
        }
        let gold = try Submissions.load("../shared/datasets/goldstandard/evaluation_datasets/d_20_1/submissions.json").papers
        #expect(gold.count == 463 && gold.allSatisfy { !$0.title.isEmpty })
        let bad = try write("{\"id\": \"a\", \"title\": \"A\"}\n{\"id\": \"b\", \"abstract\": \"no title\"}\n", dir, "subs.jsonl")
        #expect(throws: ProfileError("\(bad):2: missing field 'title'")) { try Submissions.load(bad) }
        let untitled = try write("[{\"id\": \"x1\", \"content\": {\"title\": {\"value\": \" \"}}}]", dir, "untitled.json")
        #expect(throws: ProfileError("\(untitled): submission 'x1' has no title")) { try Submissions.load(untitled) }
    }

    @Test("CMT's submissions CSV and tab-separated reviewers export; EasyChair's submission, author, committee and bidding CSVs")
    func cmtAndEasyChair() throws {
        let dir = try temporaryFolder()
        let cmt = """
        \u{FEFF}Paper ID,Created,Paper Title,Abstract,Primary Contact Author Name,Authors,Author Names,Author Emails,Track Name
        101,2026-05-01,"Elastic training, revisited","We resize, restart and rebalance.",Jane Doe,"Jane Doe (Univ. of X (Main Campus))*; Wei Li (Corp)","Jane Doe*; Wei Li","jane@x.edu*; wei@corp.com;",Main
        102,2026-05-02,No authors listed,,,,,,Main

        """
        let papers = try Submissions.load(try write(cmt, dir, "Papers.csv")).papers
        #expect(papers.map(\.id) == ["101", "102"] && papers[0].title == "Elastic training, revisited")
        let a = ConflictPolicy.Author.of(papers[0])
        #expect(a.map(\.name) == ["Jane Doe", "Wei Li"] && a.map(\.email) == ["jane@x.edu", "wei@corp.com"])
        #expect(a.map(\.affiliation) == ["Univ. of X (Main Campus)", "Corp"])
        let reviewers = try CommitteeFiles.load([try write("# First Name\tMiddle Initial (optional)\tLast Name\tE-mail\tOrganization\nLidong\t\tZhou\tlidong@pc.org\tMSR\n", dir, "Reviewers.txt")])
        #expect(reviewers == [ReviewerProfile(name: "Lidong Zhou", affiliation: "MSR", emails: ["lidong@pc.org"], publications: [])])

        let ec = try temporaryFolder()
        _ = try write("#,title,authors,submitted,keywords,decision,abstract,deleted?\n1,Serving models on the edge,\"Ana Silva, Bo Chen and Cy Dong\",2026-01-02 10:00,\"edge\nserving\",no decision,We serve.,no\n2,Withdrawn one,Ana Silva,2026-01-03 10:00,,,x,yes\n", ec, "submission.csv")
        _ = try write("submission #,first name,last name,email,country,affiliation,Web page,person #,corresponding?\n1,Ana,Silva,ana@uni-a.edu,Portugal,Uni A,,77,yes\n1,Bo,Chen,bo@corp.com,China,Corp,,78,no\n", ec, "author.csv")
        let ecPapers = try Submissions.load(ec + "/submission.csv").papers
        #expect(ecPapers.map(\.id) == ["1"] && ecPapers[0].authors == ["Ana Silva", "Bo Chen"])
        #expect(ConflictPolicy.Author.of(ecPapers[0]).map(\.id) == ["easychair:77", "easychair:78"])
        let members = try CommitteeFiles.load([try write("#,person #,first name,last name,email,country,affiliation,Web page,role\n5,301,Lidong,Zhou,lidong@pc.org,China,MSR,,PC member\n", ec, "committee.csv")])
        #expect(members[0].ids == ["easychair:301", "easychair-member:5"] && members[0].emails == ["lidong@pc.org"])
        let bids = try ConferenceBids(files: [try write("member #,member name,submission #,bid\n5,Lidong Zhou,1,yes\n5,Lidong Zhou,2,conflict\n", ec, "bidding.csv")])
        #expect(bids.rows.map(\.reviewer) == ["easychair-member:5", "easychair-member:5"] && bids.rows.map(\.bid) == [.value(1), .conflict])
    }

    @Test("bids, loads and groups files: values mapped, bad rows named by file and line")
    func chairFiles() throws {
        let dir = try temporaryFolder()
        let bids = try ConferenceBids(files: [try write("submission_id,reviewer,bid\n1,a@x.org,yes\n1,b@x.org,Maybe\n2,c@x.org,-20\n2,d@x.org,10Z\n3,e@x.org,-100\n", dir, "bids.csv")])
        #expect(bids.rows.map(\.bid) == [.value(1), .value(0.5), .value(-0.2), .value(0.1), .conflict])
        let badBid = try write("submission_id,reviewer,bid\n1,a@x.org,eager-ish\n", dir, "bad.csv")
        #expect(throws: ProfileError("\(badBid):2: field 'bid': 'eager-ish' is not yes, maybe, no, conflict or a preference from -1000000 to 1000000")) { try ConferenceBids(files: [badBid]) }
        let noColumn = try write("paper_title,reviewer,bid\n", dir, "nocol.csv")
        #expect(throws: ProfileError("\(noColumn):1: no column 'submission_id' or 'paper' or 'pid' or 'submission #'; the header must be submission_id,reviewer,bid")) { try ConferenceBids(files: [noColumn]) }
        let loads = try ReviewerLoads(files: [try write("reviewer,min,max\nFan Yang,2,4\n\"Zhou, Lidong\",,3\n", dir, "loads.csv")])
        #expect(loads.rows.map(\.min) == [2, nil] && loads.rows.map(\.max) == [4, 3])
        let badLoad = try write("reviewer,min,max\nFan Yang,5,4\n", dir, "badload.csv")
        #expect(throws: ProfileError("\(badLoad):2: min 5 is above max 4")) { try ReviewerLoads(files: [badLoad]) }
        let groupsFile = try write("reviewer,group\nFan Yang,senior\nZhihao Jia,junior\n", dir, "groups.csv")
        #expect(try ReviewerGroups(files: [groupsFile], minimums: ["senior=1"]).minimums == ["senior": 1])
        #expect(throws: ProfileError("--group-min 'chairs=1': no reviewer is in group 'chairs' (groups: junior, senior)")) {
            try ReviewerGroups(files: [groupsFile], minimums: ["chairs=1"])
        }
    }

    @Test("an impossible conference is refused with every reason named, and groups and minimum loads hold when possible")
    func infeasibleAndGroups() throws {
        let dir = try temporaryFolder()
        var read = try Submissions.load(try write(Self.hotcrpJSON, dir, "data.json"))
        read.conflicts.removeAll { $0.reviewer == "bgchun@pc.org" }   // the chair reviews here (includeChairs)
        let finder = try finder(committee: try write(Self.pcCSV, dir, "pc.csv"), includeChairs: true)
        var rules = ConferenceRules(reviewersPerPaper: 2, maxLoad: 1)
        #expect(throws: ConferenceInfeasible(reasons: [
            "the maximum loads add up to 6 reviews, but 4 submissions × 2 reviewers need 8: raise --max-load to 2 or add reviewers"])) {
            try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        }
        rules.maxLoad = 4; rules.minLoad = 3
        #expect(throws: ConferenceInfeasible(reasons: [
            "the minimum loads add up to 18 reviews, but 4 submissions × 2 reviewers give only 8: lower --min-load to 1 or the loads file's minimums"])) {
            try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        }
        rules.minLoad = 1
        rules.groups = try ReviewerGroups(files: [try write("reviewer,group\nfan.yang@pc.org,senior\nByung-Gon Chun,senior\n", dir, "g.csv")], minimums: ["senior=1"])
        rules.loads = try ReviewerLoads(files: [try write("reviewer,min,max\nbgchun@pc.org,0,0\n", dir, "l.csv")])
        // Fan Yang is conflicted with pid 3 and Byung-Gon Chun takes no paper: no senior can review pid 3,
        // though each count (seniors eligible per paper, seniors' loads) allows it.
        #expect(throws: ConferenceInfeasible(reasons: [
            "each count allows an assignment, but conflicts and loads together do not; the best one leaves submissions short of a group: 3 (0 from 'senior'): raise the maximum loads of reviewers these submissions may have, or lower the minimums"])) {
            try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
        }
        rules.loads = ReviewerLoads()
        for objective in AssignmentObjective.allCases {
            rules.objective = objective
            let r = try ConferenceAssignment(submissions: read, finder: finder, rules: rules)
            let seniors: Set<String> = ["Fan Yang", "Byung-Gon Chun"]
            #expect(Dictionary(grouping: r.assignment, by: \.submission_id).values.allSatisfy { $0.contains { seniors.contains($0.reviewer_id) } })
            #expect(r.reviewers.allSatisfy { (1...4).contains($0.load) } && r.stats.loads.min >= 1)
            #expect(r.reviewers.first { $0.name == "Fan Yang" }?.group == "senior")
        }
    }
}
