import Embedding
import Kernels
import Foundation
import Storage

/// Runs refer's reviewer scoring on the gold standard: every participant's archive is
/// their profile, every paper they rated is scored against it, per evaluation dataset.
/// Texts are embedded once (title + ". " + abstract) and shared across datasets.
public struct GoldStandardRun {
    public let gold: GoldStandard
    public let datasets: [String]
    /// Per dataset: participant → rated paper → the cosine similarity to each profile paper.
    let similarities: [[String: [String: [Float]]]]
    /// Per dataset: participant → the cosine similarities among their profile papers
    /// (n x n, row-major), for ``ExpertiseScore/redundancy``.
    let profileSimilarities: [[String: [Float]]]
    /// Per dataset: rated paper → its similarity list against every non-empty profile,
    /// in the order of `backgroundOwners`.
    let background: [[String: [[Float]]]]
    let backgroundOwners: [[String]]

    public init(directory: String, embedder: Embedder, log: (String) -> Void = { _ in },
                progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws {
        gold = try GoldStandard(directory: directory)
        datasets = try GoldStandard.datasets(in: directory)
        guard !datasets.isEmpty else { throw ProfileError("\(directory)/evaluation_datasets: no d_* datasets") }
        var cache: [String: [Float]] = [:]
        func embedAll(_ texts: [String]) {
            let missing = Array(Set(texts.filter { cache[$0] == nil }))
            guard !missing.isEmpty else { return }
            log("embedding \(missing.count) texts")
            for (t, v) in zip(missing, embedder.embedRows(missing, progress: progress)) { cache[t] = v }
        }
        func text(_ p: GoldStandard.Paper) -> String { PaperRecord.embeddingText(title: p.title, abstract: p.abstract) }
        var all: [[String: [String: [Float]]]] = []
        var backgrounds: [[String: [[Float]]]] = [], grams: [[String: [Float]]] = [], owners: [[String]] = []
        for dataset in datasets {
            let submissions = try GoldStandard.submissions(dataset)
            var archives: [String: [GoldStandard.Paper]] = [:]
            for p in gold.participants { archives[p] = try GoldStandard.archive(dataset, participant: p) }
            embedAll(submissions.values.map(text) + archives.values.flatMap { $0.map(text) })
            var perParticipant: [String: [String: [Float]]] = [:]
            for p in gold.participants {
                let profile = (archives[p] ?? []).map { cache[text($0)]! }
                var scores: [String: [Float]] = [:]
                for r in gold.ratings[p] ?? [] {
                    guard let paper = submissions[r.paper] else { continue }
                    let q = cache[text(paper)]!
                    scores[r.paper] = profile.map { v in Distance.dot(q, v) }
                }
                perParticipant[p] = scores
            }
            all.append(perParticipant)
            let withPapers = gold.participants.filter { !(archives[$0] ?? []).isEmpty }
            let profiles = withPapers.map { (archives[$0] ?? []).map { cache[text($0)]! } }
            var gram: [String: [Float]] = [:]
            for (p, profile) in zip(withPapers, profiles) {
                gram[p] = profile.flatMap { a in profile.map { b in Distance.dot(a, b) } }
            }
            grams.append(gram)
            owners.append(withPapers)
            var bg: [String: [[Float]]] = [:]
            for id in Set(gold.ratings.values.flatMap { $0.map(\.paper) }) {
                guard let paper = submissions[id] else { continue }
                let q = cache[text(paper)]!
                bg[id] = profiles.map { profile in profile.map { v in Distance.dot(q, v) } }
            }
            backgrounds.append(bg)
        }
        similarities = all
        background = backgrounds
        profileSimilarities = grams
        backgroundOwners = owners
    }

    /// One evaluation per dataset with the given scoring.
    public func evaluate(_ scoring: ExpertiseScore, participants: Set<String>? = nil) -> [GoldStandard.Evaluation] {
        evaluateProfiles(profileScore(scoring), paperCentering: scoring.paperCentering, participants: participants)
    }

    /// `scoring` as a function of (dataset, participant, similarity list), with the
    /// participant's paper-to-paper similarities for its redundancy rule.
    func profileScore(_ scoring: ExpertiseScore) -> (Int, String, [Float]) -> Double {
        { dataset, participant, sims in
            guard scoring.redundancy != nil, let gram = profileSimilarities[dataset][participant] else { return Double(scoring.score(sims)) }
            let n = sims.count
            return Double(scoring.score(sims, paperSimilarity: { gram[$0 * n + $1] }))
        }
    }

    /// Parameters chosen on one half of the participants and measured on the other,
    /// both ways, among `candidates` (lowest mean loss wins).
    public func crossValidate(_ candidates: [ExpertiseScore]) -> CrossValidation {
        let (a, b) = halves
        func best(on half: Set<String>) -> ExpertiseScore {
            candidates.min { evaluate($0, participants: half).mean.loss < evaluate($1, participants: half).mean.loss }!
        }
        let chosenOnA = best(on: a), chosenOnB = best(on: b)
        let onB = evaluate(chosenOnA, participants: b).mean, onA = evaluate(chosenOnB, participants: a).mean
        return CrossValidation(chosenOnA: chosenOnA, lossOnB: onB.loss, hardOnB: onB.hardAccuracy,
                               chosenOnB: chosenOnB, lossOnA: onA.loss, hardOnA: onA.hardAccuracy)
    }

    public struct CrossValidation: Sendable, Codable {
        public var chosenOnA: ExpertiseScore, lossOnB: Double, hardOnB: Double
        public var chosenOnB: ExpertiseScore, lossOnA: Double, hardOnA: Double
        /// The two held-out halves averaged.
        public var loss: Double { (lossOnA + lossOnB) / 2 }
        public var hardAccuracy: Double { (hardOnA + hardOnB) / 2 }
    }

    /// One evaluation per dataset with any score of a similarity list. With
    /// `paperCentering` > 0, each score has that fraction of the paper's mean score over
    /// every participant's profile taken off (a paper close to everyone's work says
    /// less about this participant).
    public func evaluate(_ score: ([Float]) -> Double, paperCentering: Double = 0,
                         participants: Set<String>? = nil) -> [GoldStandard.Evaluation] {
        evaluateProfiles({ score($2) }, paperCentering: paperCentering, participants: participants)
    }

    /// As ``evaluate(_:paperCentering:participants:)`` with a score that also sees the
    /// dataset's index and the participant.
    func evaluateProfiles(_ score: (Int, String, [Float]) -> Double, paperCentering: Double = 0,
                          participants: Set<String>? = nil) -> [GoldStandard.Evaluation] {
        similarities.indices.map { index in
            let sims = similarities[index]
            let paperMean = paperCentering > 0 ? paperMeans(score, dataset: index) : [:]
            return gold.evaluate({ p, paper in
                guard let s = sims[p]?[paper], !s.isEmpty else { return nil }
                return score(index, p, s) - paperCentering * (paperMean[paper] ?? 0)
            }, participants: participants)
        }
    }

    /// The participants split in two halves by a fixed hash of their id (for choosing
    /// parameters on one half and reporting on the other).
    public var halves: (Set<String>, Set<String>) {
        var a = Set<String>(), b = Set<String>()
        for p in gold.participants {
            var h: UInt64 = 1469598103934665603
            for c in p.utf8 { h = (h ^ UInt64(c)) &* 1099511628211 }
            if h % 2 == 0 { a.insert(p) } else { b.insert(p) }
        }
        return (a, b)
    }

    /// `submission_id,reviewer_id,score` lines (OpenReview expertise's CSV) for one dataset.
    public func predictions(_ scoring: ExpertiseScore, dataset index: Int) -> String {
        let score = profileScore(scoring)
        let centre = paperMeans(score, dataset: index)
        var out = ""
        for p in gold.participants {
            for r in gold.ratings[p] ?? [] {
                guard let s = similarities[index][p]?[r.paper], !s.isEmpty else { continue }
                out += "\(r.paper),~\(p),\(score(index, p, s) - scoring.paperCentering * (centre[r.paper] ?? 0))\n"
            }
        }
        return out
    }

    /// Each rated paper's mean score over every participant's profile.
    func paperMeans(_ score: (Int, String, [Float]) -> Double, dataset index: Int) -> [String: Double] {
        let owners = backgroundOwners[index]
        return background[index].mapValues { lists in
            zip(owners, lists).map { score(index, $0, $1) }.reduce(0, +) / Double(max(1, lists.count))
        }
    }
}

extension Array where Element == GoldStandard.Evaluation {
    /// The mean over datasets.
    public var mean: GoldStandard.Evaluation {
        let n = Double(Swift.max(1, count))
        return GoldStandard.Evaluation(loss: map(\.loss).reduce(0, +) / n, easyAccuracy: map(\.easyAccuracy).reduce(0, +) / n,
                                       hardAccuracy: map(\.hardAccuracy).reduce(0, +) / n,
                                       easyPairs: first?.easyPairs ?? 0, hardPairs: first?.hardPairs ?? 0)
    }
}
