import Foundation

/// How people found in a corpus (no committee) are ranked for a draft: by the evidence
/// of all their stored papers, so that several relevant papers outrank one lucky paper.
///
/// The score is a soft count of a person's relevant work:
///
///     score = tau * log( sum_i exp(s_i / tau) )      over the person's stored papers
///
/// With a small `tau` it is the best paper's similarity; each further paper close to
/// the best one adds up to `tau * log 2`, papers far below it add almost nothing. It is
/// the "voting" model of expert finding (Macdonald and Ounis, CIKM 2006; Balog et al.'s
/// document-centric model, SIGIR 2006) with an exponential weight on similarity: a
/// person's evidence is the sum over their papers, not the mean of a few.
/// Chosen on the held-out ACL evaluation (docs/reviewers.md, `refer eval heldout`).
public struct CorpusRanking: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The soft count above.
        case softCount = "soft-count"
        /// The mean of the three most similar distinct papers, a person with fewer
        /// counting the missing ones as `missing` (the plain baseline when `minimumPapers` is 3).
        case top3Mean = "top3-mean"
    }

    public var kind: Kind
    /// The soft count's temperature (cosine similarity units).
    public var tau: Float
    /// For ``Kind/top3Mean``: the similarity a missing paper counts as (nil: the mean of what there is).
    public var missing: Float?
    /// People with fewer stored papers are not suggested.
    public var minimumPapers: Int
    /// Near-copies (cosine at least this) count once; nil: every paper counts.
    public var redundancy: Float?
    /// For ``Kind/softCount``: how much a person's number of papers n counts in itself.
    /// The soft count is Balog et al.'s document-centric model with a prior p(person) ∝ n^alpha:
    /// 1 ranks by the sum over papers (every paper is a vote), 0 by the mean (n papers
    /// far from the draft dilute one close paper); the score subtracts tau·(1-alpha)·log n.
    public var productivity: Float = 1

    /// refer's default (docs/reviewers.md).
    public static let `default` = CorpusRanking(kind: .softCount, tau: 0.05, missing: nil, minimumPapers: 1, redundancy: 0.8)
    /// The plain baseline: people with at least 3 papers, the mean of their 3 best similarities.
    public static let baseline = CorpusRanking(kind: .top3Mean, tau: 0, missing: nil, minimumPapers: 3, redundancy: nil)

    public init(kind: Kind, tau: Float, missing: Float?, minimumPapers: Int, redundancy: Float?) {
        self.kind = kind; self.tau = tau; self.missing = missing; self.minimumPapers = minimumPapers; self.redundancy = redundancy
    }

    /// The score for one person from `similarities` to the draft, one per stored paper;
    /// nil when the person has fewer than `minimumPapers` papers. `paperSimilarity(i, j)`
    /// serves the redundancy rule of ``Kind/top3Mean``; the soft count sums every paper
    /// (counting near-copies once changed neither measure of the held-out evaluation,
    /// docs/reviewers.md, and would cost a comparison per pair of a prolific author's papers).
    public func score(_ similarities: [Float], paperSimilarity: (Int, Int) -> Float) -> Float? {
        guard similarities.count >= max(1, minimumPapers) else { return nil }
        switch kind {
        case .softCount:
            let top = similarities.max()!
            let sum = similarities.reduce(Float(0)) { $0 + exp(($1 - top) / tau) }
            return top + tau * log(sum) - tau * (1 - productivity) * log(Float(similarities.count))
        case .top3Mean:
            var s = evidence(similarities, count: 3, paperSimilarity: paperSimilarity).map { similarities[$0] }
            if let missing { while s.count < 3 { s.append(missing) } }
            return s.reduce(0, +) / Float(s.count)
        }
    }

    /// The `count` papers shown as a person's evidence: most similar first (ties: lower
    /// index first), skipping a paper ``redundancy``-similar to one already taken, so the
    /// papers shown are different pieces of work.
    public func evidence(_ similarities: [Float], count: Int, paperSimilarity: (Int, Int) -> Float) -> [Int] {
        var taken: [Int] = []
        for i in similarities.indices.sorted(by: { (similarities[$0], $1) > (similarities[$1], $0) }) {
            if let redundancy, taken.contains(where: { paperSimilarity(i, $0) >= redundancy }) { continue }
            taken.append(i)
            if taken.count == count { break }
        }
        return taken
    }
}
