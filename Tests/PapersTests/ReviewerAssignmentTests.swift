import Foundation
import Storage
import Testing
@testable import Papers

@Suite struct ReviewerAssignmentTests {
    /// The best total over every way to give each submission `per` distinct non-conflicted reviewers
    /// within the load cap (all slots must be filled), by enumeration.
    func bruteForce(_ scores: [[Double?]], per: Int, load: Int) -> Double? {
        let r = scores[0].count
        let choices = scores.map { row in
            (0..<(1 << r)).filter { mask in mask.nonzeroBitCount == per && (0..<r).allSatisfy { j in mask & (1 << j) == 0 || row[j] != nil } }
        }
        var best: Double?
        func walk(_ i: Int, _ loads: [Int], _ total: Double) {
            if i == scores.count { best = max(best ?? -.infinity, total); return }
            for mask in choices[i] {
                var l = loads, t = total, ok = true
                for j in 0..<r where mask & (1 << j) != 0 { l[j] += 1; t += scores[i][j]!; ok = ok && l[j] <= load }
                if ok { walk(i + 1, l, t) }
            }
        }
        walk(0, Array(repeating: 0, count: r), 0)
        return best
    }

    @Test("the flow's assignment is as good as the best by enumeration, on 200 random instances with conflicts")
    func optimal() throws {
        var rng = SystemRandomNumberGenerator()
        var compared = 0
        for _ in 0..<200 {
            let s = Int.random(in: 2...4, using: &rng), r = Int.random(in: 3...5, using: &rng)
            let per = Int.random(in: 1...2, using: &rng), load = Int.random(in: 1...3, using: &rng)
            let scores: [[Double?]] = (0..<s).map { _ in (0..<r).map { _ in Double.random(in: 0..<1, using: &rng) < 0.15 ? nil : Double.random(in: -0.2...1, using: &rng) } }
            let got = try ReviewerAssignment.assign(scores: scores, reviewersPerPaper: per, maxLoad: load)
            var loads = [Int](repeating: 0, count: r)
            for (i, reviewers) in got.enumerated() {
                #expect(Set(reviewers).count == reviewers.count && reviewers.count <= per)
                for j in reviewers { #expect(scores[i][j] != nil); loads[j] += 1 }
            }
            #expect(loads.allSatisfy { $0 <= load })
            guard let best = bruteForce(scores, per: per, load: load) else {
                #expect(got.contains { $0.count < per })   // infeasible: some slot stays empty
                continue
            }
            compared += 1
            #expect(got.allSatisfy { $0.count == per })
            let total = got.enumerated().reduce(0.0) { acc, e in acc + e.element.reduce(0.0) { $0 + scores[e.offset][$1]! } }
            #expect(abs(total - best) < 1e-5 * Double(s * per))
        }
        #expect(compared > 50)
    }

    @Test("solved on a few candidates per submission and priced, the assignment is the whole committee's best (500 random instances)")
    func pricedCandidates() throws {
        var rng = SystemRandomNumberGenerator()
        var narrowed = 0
        func total(_ got: [[Int]], _ scores: [[Double?]]) -> Double {
            got.enumerated().reduce(0.0) { acc, e in acc + e.element.reduce(0.0) { $0 + scores[e.offset][$1]! } }
        }
        for _ in 0..<500 {
            let s = Int.random(in: 5...30, using: &rng), r = Int.random(in: 4...12, using: &rng)
            let per = Int.random(in: 1...3, using: &rng), load = Int.random(in: 1...(s * per / r + 3), using: &rng)
            // Reviewers with a taste in common make the first candidates crowd onto the same people.
            let appeal = (0..<r).map { _ in Double.random(in: 0...0.5, using: &rng) }
            let scores: [[Double?]] = (0..<s).map { _ in (0..<r).map { j in
                Double.random(in: 0..<1, using: &rng) < 0.1 ? nil : appeal[j] + Double.random(in: 0...0.5, using: &rng) } }
            let dense = try ReviewerAssignment.assign(scores: scores, reviewersPerPaper: per, maxLoad: load, candidates: r)
            let width = Int.random(in: 1...3, using: &rng)
            let priced = try ReviewerAssignment.assign(scores: scores, reviewersPerPaper: per, maxLoad: load, candidates: width)
            #expect(priced.map(\.count) == dense.map(\.count))
            #expect(abs(total(priced, scores) - total(dense, scores)) < 1e-5 * Double(s * per))
            var loads = [Int](repeating: 0, count: r)
            for (i, reviewers) in priced.enumerated() {
                #expect(Set(reviewers).count == reviewers.count)
                for j in reviewers { #expect(scores[i][j] != nil); loads[j] += 1 }
            }
            #expect(loads.allSatisfy { $0 <= load })
            if dense.allSatisfy({ $0.count == per }) && width < r { narrowed += 1 }
        }
        #expect(narrowed > 200)   // most instances went through the narrow solve and its pricing
    }

    @Test("bad settings are refused with the reason")
    func refused() {
        #expect(throws: ProfileError("reviewers per paper must be at least 1, got 0")) { try ReviewerAssignment.assign(scores: [[1]], reviewersPerPaper: 0, maxLoad: 1) }
        #expect(throws: ProfileError("the reviewer load cap must be at least 1, got 0")) { try ReviewerAssignment.assign(scores: [[1]], reviewersPerPaper: 1, maxLoad: 0) }
    }

    @Test("a conference batch over the seed committee: loads, conflicts, CSV and unfilled slots")
    func conference() throws {
        let finder = ReviewerFinder(searcher: try Fixtures.aisysStore.searcher(), embedder: Fixtures.embedder,
                                    committee: Fixtures.seedCommittee, conflicts: ConflictPolicy(referenceYear: 2026))
        let lines = try String(contentsOfFile: "datasets/aisys2023/papers.jsonl", encoding: .utf8).split(separator: "\n").prefix(6)
        var submissions = try lines.map { try PaperRecord.parse(String($0)) }
        submissions[0].authors = ["Keren Zhou"]
        let result = try ConferenceAssignment(submissions: submissions, finder: finder, top: 4, reviewersPerPaper: 2, maxLoad: 3)
        #expect(result.unfilled.isEmpty && result.assignment.count == 12)
        let loads = Dictionary(grouping: result.assignment, by: \.reviewer_id).mapValues(\.count)
        #expect(loads.values.allSatisfy { $0 <= 3 })
        #expect(!result.assignment.contains { $0.submission_id == submissions[0].id && $0.reviewer_id == "Keren Zhou" })
        #expect(result.suggestions[0].excluded.map(\.name) == ["Keren Zhou"])
        #expect(result.csv.hasPrefix("submission_id,reviewer_id,score\n") && result.csv.split(separator: "\n").count == 13)
        // Load 1 for four reviewers cannot give six submissions two each.
        let tight = try ConferenceAssignment(submissions: submissions, finder: finder, top: 4, reviewersPerPaper: 2, maxLoad: 1)
        #expect(tight.assignment.count == 4 && tight.unfilled.reduce(0) { $0 + $1.wanted - $1.assigned } == 8)
    }

    @Test("OpenReview submissions.json and paper JSONL both read; a line without title names file and line")
    func submissionFiles() throws {
        let gold = try SubmissionFile.load("../shared/datasets/goldstandard/evaluation_datasets/d_20_1/submissions.json")
        #expect(gold.count == 463 && gold.allSatisfy { !$0.title.isEmpty })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("subs-\(UUID().uuidString).jsonl").path
        try "{\"id\": \"a\", \"title\": \"A\"}\n{\"id\": \"b\", \"abstract\": \"no title\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ProfileError("\(path):2: missing field 'title'")) { try SubmissionFile.load(path) }
    }
}
