import Testing
@testable import Assignment

/// Small random problems, both objectives against enumeration of every assignment.
@Suite struct AssignmentTests {
    struct Best { var total: Double; var worst: Double; var fairTotal: Double }

    /// By enumeration: the best total, and the best (worst-off paper's mean, then total).
    func bruteForce(_ p: AssignmentProblem) -> Best? {
        let k = p.reviewersPerPaper, r = p.reviewers
        let choices = p.weights.map { row in
            (0..<(1 << r)).filter { mask in mask.nonzeroBitCount == k && (0..<r).allSatisfy { j in mask & (1 << j) == 0 || row[j] != nil } }
        }
        var best: Best?
        var chosen = [[Int]](repeating: [], count: p.papers)
        func walk(_ i: Int, _ loads: [Int]) {
            if i == p.papers {
                guard AssignmentCheck(p).violations(chosen).isEmpty else { return }
                let total = chosen.indices.reduce(0.0) { $0 + p.paperWeight($1, chosen[$1]) }
                let worst = chosen.indices.map { p.paperScore($0, chosen[$0]) }.min()!
                var b = best ?? Best(total: -.infinity, worst: -.infinity, fairTotal: -.infinity)
                b.total = max(b.total, total)
                if worst > b.worst + 1e-9 || (abs(worst - b.worst) <= 1e-9 && total > b.fairTotal) { b.worst = worst; b.fairTotal = total }
                best = b
                return
            }
            for mask in choices[i] {
                var l = loads, ok = true
                for j in 0..<r where mask & (1 << j) != 0 { l[j] += 1; ok = ok && l[j] <= p.loads[j].upperBound }
                guard ok else { continue }
                chosen[i] = (0..<r).filter { mask & (1 << $0) != 0 }
                walk(i + 1, l)
            }
        }
        walk(0, Array(repeating: 0, count: r))
        return best
    }

    func randomProblem(_ rng: inout some RandomNumberGenerator, papers: ClosedRange<Int>, reviewers: ClosedRange<Int>, groups: Bool) throws -> AssignmentProblem {
        let s = Int.random(in: papers, using: &rng), r = Int.random(in: reviewers, using: &rng)
        let k = Int.random(in: 1...2, using: &rng)
        let loads = (0..<r).map { _ in
            let hi = Int.random(in: 1...3, using: &rng)
            return Int.random(in: 0...1, using: &rng) == 0 ? 0...hi : min(1, hi)...hi
        }
        let weights: [[Double?]] = (0..<s).map { _ in (0..<r).map { _ in
            Double.random(in: 0..<1, using: &rng) < 0.15 ? nil : Double.random(in: -0.2...1, using: &rng) } }
        guard groups else { return try AssignmentProblem(weights: weights, reviewersPerPaper: k, loads: loads) }
        let groupOf: [Int?] = (0..<r).map { _ in Int.random(in: 0...2, using: &rng) == 0 ? 0 : nil }
        // Scores apart from weights (affinity without bids): bids move weights by up to 0.3.
        let scores = weights.map { $0.map { $0.map { $0 + Double.random(in: -0.3...0.3, using: &rng) } } }
        return try AssignmentProblem(weights: weights, reviewersPerPaper: k, loads: loads, groupOf: groupOf, groupMinimums: [1], scores: scores)
    }

    @Test("sum and fair equal enumeration's optimum on 300 random problems with conflicts, load ranges, a senior group and scores apart from weights")
    func optimal() throws {
        var rng = SystemRandomNumberGenerator()
        var compared = 0, infeasible = 0, fairer = 0
        for n in 0..<300 {
            let p = try randomProblem(&rng, papers: 2...4, reviewers: 3...5, groups: n % 2 == 1)
            guard let best = bruteForce(p) else {
                #expect(throws: AssignmentInfeasible.self) { try SumAssignment.solve(p) }
                #expect(throws: AssignmentInfeasible.self) { try FairAssignment.solve(p) }
                infeasible += 1
                continue
            }
            compared += 1
            let sum = try SumAssignment.solve(p), fair = try FairAssignment.solve(p)
            #expect(AssignmentCheck(p).violations(sum.reviewers).isEmpty)
            #expect(AssignmentCheck(p).violations(fair.reviewers).isEmpty)
            let sumTotal = sum.reviewers.indices.reduce(0.0) { $0 + p.paperWeight($1, sum.reviewers[$1]) }
            #expect(abs(sumTotal - best.total) < 1e-5 * Double(p.papers * p.reviewersPerPaper))
            let worst = fair.reviewers.indices.map { p.paperScore($0, fair.reviewers[$0]) }.min()!
            let fairTotal = fair.reviewers.indices.reduce(0.0) { $0 + p.paperWeight($1, fair.reviewers[$1]) }
            #expect(fair.optimal)
            #expect(abs(worst - best.worst) < 1e-5)
            #expect(abs(fairTotal - best.fairTotal) < 1e-5 * Double(p.papers * p.reviewersPerPaper))
            if worst > best.worst - 1e-5, let b = fair.minPaperBound { #expect(abs(b - worst) < 1e-5) }
            let sumWorst = sum.reviewers.indices.map { p.paperScore($0, sum.reviewers[$0]) }.min()!
            if worst > sumWorst + 1e-6 { fairer += 1 }
        }
        #expect(compared > 100 && infeasible > 10 && fairer > 5)
    }

    @Test("solved on a few candidates per paper and priced, the sum is the whole committee's best (400 random problems)")
    func pricedCandidates() throws {
        var rng = SystemRandomNumberGenerator()
        var narrowed = 0
        for n in 0..<400 {
            let s = Int.random(in: 5...30, using: &rng), r = Int.random(in: 4...12, using: &rng)
            let k = Int.random(in: 1...3, using: &rng), hi = Int.random(in: 1...(s * k / r + 3), using: &rng)
            let lo = n % 3 == 0 ? max(0, min(hi, s * k / r - 1)) : 0
            // Reviewers with a taste in common make the first candidates crowd onto the same people.
            let appeal = (0..<r).map { _ in Double.random(in: 0...0.5, using: &rng) }
            let weights: [[Double?]] = (0..<s).map { _ in (0..<r).map { j in
                Double.random(in: 0..<1, using: &rng) < 0.1 ? nil : appeal[j] + Double.random(in: 0...0.5, using: &rng) } }
            let groupOf: [Int?] = (0..<r).map { $0 % 4 == 0 ? 0 : nil }
            let p = try AssignmentProblem(weights: weights, reviewersPerPaper: k, loads: Array(repeating: lo...hi, count: r),
                                          groupOf: groupOf, groupMinimums: n % 2 == 0 ? [1] : [0])
            let dense = Result { try SumAssignment.solve(p, candidates: r) }
            let width = Int.random(in: 1...3, using: &rng)
            let priced = Result { try SumAssignment.solve(p, candidates: width) }
            switch (dense, priced) {
            case (.success(let d), .success(let q)):
                #expect(AssignmentCheck(p).violations(q.reviewers).isEmpty)
                let total = { (c: [[Int]]) in c.indices.reduce(0.0) { $0 + p.paperWeight($1, c[$1]) } }
                #expect(abs(total(q.reviewers) - total(d.reviewers)) < 1e-5 * Double(s * k))
                if width < r { narrowed += 1 }
            case (.failure(let a), .failure(let b)):
                #expect(a is AssignmentInfeasible && b is AssignmentInfeasible)
            default:
                Issue.record("dense and priced disagree on feasibility")
            }
        }
        #expect(narrowed > 100)   // many went through the narrow solve and its pricing
    }

    @Test("fair on a few candidates per paper: valid, never below sum's worst-off paper, and under its stated bound (100 random problems)")
    func fairCandidates() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let s = Int.random(in: 8...20, using: &rng), r = Int.random(in: 5...10, using: &rng), k = 2
            let weights: [[Double?]] = (0..<s).map { _ in (0..<r).map { _ in Double.random(in: 0..<1, using: &rng) < 0.1 ? nil : Double.random(in: 0...1, using: &rng) } }
            let p = try AssignmentProblem(weights: weights, reviewersPerPaper: k, loads: Array(repeating: 0...(s * k / r + 1), count: r))
            guard let sum = try? SumAssignment.solve(p) else { continue }
            let fair = try FairAssignment.solve(p, seconds: 5, candidates: 2)
            #expect(AssignmentCheck(p).violations(fair.reviewers).isEmpty)
            let worst = { (c: [[Int]]) in c.indices.map { p.paperScore($0, c[$0]) }.min()! }
            #expect(worst(fair.reviewers) >= worst(sum.reviewers) - 1e-9)
            #expect(fair.minPaperBound! >= worst(fair.reviewers) - 1e-9)
            let exact = try FairAssignment.solve(p)
            #expect(fair.minPaperBound! >= worst(exact.reviewers) - 1e-6)   // a bound on the true optimum, not only on what was found
        }
    }

    @Test("counting names each reason no assignment exists")
    func shortfalls() throws {
        // 3 papers × 2 reviewers = 6 reviews; three reviewers of load ≤ 1 give 3.
        let w: [[Double?]] = [[0.5, 0.4, nil], [0.3, 0.2, 0.1], [0.9, 0.8, 0.7]]
        var p = try AssignmentProblem(weights: w, reviewersPerPaper: 2, loads: [0...1, 0...1, 0...1])
        #expect(p.shortfalls() == [.maximumLoads(total: 3, needed: 6)])
        p.loads = [3...3, 3...3, 3...3]
        #expect(p.shortfalls() == [.minimumLoads(total: 9, reviews: 6), .eligiblePapers([.init(reviewer: 2, load: 2)])])
        p.loads = [0...3, 0...3, 0...3]
        p.reviewersPerPaper = 3
        #expect(p.shortfalls() == [.eligibleReviewers([.init(paper: 0, count: 2)])])
        p.reviewersPerPaper = 2
        p.groupOf = [nil, nil, 0]; p.groupMinimums = [1]
        #expect(p.shortfalls() == [.eligibleInGroup([.init(paper: 0, group: 0, count: 0)])])
        // Counts that hold alone but not together: the flow says what is left unmet.
        let q = try AssignmentProblem(weights: [[0.5, nil], [0.5, nil]], reviewersPerPaper: 1, loads: [0...2, 1...2])
        #expect(q.shortfalls() == [.eligiblePapers([.init(reviewer: 1, load: 0)])])
        // Each paper has an eligible reviewer, but both have only A, who reviews one.
        let r = try AssignmentProblem(weights: [[0.5, nil, nil], [0.4, nil, nil]], reviewersPerPaper: 1, loads: [0...1, 0...1, 0...2])
        #expect(r.shortfalls().isEmpty)
        #expect(throws: AssignmentInfeasible([.together(unfilled: [.init(paper: 1, count: 0)], underloaded: [], groupShort: [])])) {
            try SumAssignment.solve(r)
        }
        #expect(throws: AssignmentInfeasible.self) { try FairAssignment.solve(r) }
        // Every paper needs one senior; the only senior reviews one paper at most.
        let s = try AssignmentProblem(weights: [[0.5, 0.1], [0.5, 0.1]], reviewersPerPaper: 1, loads: [0...1, 0...2], groupOf: [0, nil], groupMinimums: [1])
        #expect(s.shortfalls() == [.groupLoads(group: 0, total: 1, needed: 2)])
    }

    @Test("bad problems are refused with the reason")
    func refused() {
        #expect(throws: AssignmentError("reviewers per paper must be at least 1, got 0")) {
            try AssignmentProblem(weights: [[1]], reviewersPerPaper: 0, loads: [0...1])
        }
        #expect(throws: AssignmentError("every paper needs a weight (or nil) for every reviewer")) {
            try AssignmentProblem(weights: [[1, 2]], reviewersPerPaper: 1, loads: [0...1])
        }
        #expect(throws: AssignmentError("weights must be finite numbers")) {
            try AssignmentProblem(weights: [[.nan]], reviewersPerPaper: 1, loads: [0...1])
        }
    }
}
