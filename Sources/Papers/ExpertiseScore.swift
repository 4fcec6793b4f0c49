import Foundation

/// How a reviewer's expertise for a draft is scored from the similarity of the draft
/// to each of their papers (cosine similarity of the MiniLM embeddings).
///
///     let score = ExpertiseScore(aggregation: .top3Mean).score([0.71, 0.52, 0.64, 0.30])
public struct ExpertiseScore: Sendable, Equatable, Codable {
    public enum Aggregation: String, Sendable, CaseIterable, Codable {
        /// The most similar paper.
        case max
        /// All papers alike.
        case mean
        /// The three most similar, weighted 1/2, 1/3, 1/6.
        case weightedTop3 = "weighted-top3"
        /// The mean of the three most similar.
        case top3Mean = "top3-mean"
    }

    /// refer's default, chosen on the gold standard (docs/reviewers.md).
    public static let `default` = ExpertiseScore(aggregation: .top3Mean, paperCentering: 0.15, redundancy: 0.8)

    public var aggregation: Aggregation
    /// With a half-life (years), each paper's similarity is weighted by
    /// 2^(-(reference year - paper year) / half-life) before aggregating; papers
    /// without a year get weight 1.
    public var recencyHalfLife: Double?
    public var referenceYear: Int?
    /// When one reviewer's scores for many papers are compared (assignment, the gold
    /// standard), this fraction of each paper's mean score over a background of
    /// profiles is taken off: a paper close to everyone's work says less about this
    /// reviewer. It cannot change the order of reviewers for one draft.
    public var paperCentering: Double
    /// Two of a reviewer's papers at least this similar to each other (cosine) are one
    /// piece of evidence: the score takes the reviewer's papers most similar to the
    /// draft first and skips a paper this similar to one already taken, so a preprint
    /// and its published version, or two papers of one project, count once and the
    /// top 3 are three different pieces of work. nil: every paper counts.
    public var redundancy: Float?

    public init(aggregation: Aggregation = .top3Mean, recencyHalfLife: Double? = nil, referenceYear: Int? = nil,
                paperCentering: Double = 0, redundancy: Float? = nil) {
        self.aggregation = aggregation; self.recencyHalfLife = recencyHalfLife; self.referenceYear = referenceYear
        self.paperCentering = paperCentering; self.redundancy = redundancy
    }

    /// The score for similarities (one per paper; `years` parallel to it, or empty).
    /// `paperSimilarity(i, j)` is the cosine similarity of papers i and j, needed for
    /// ``redundancy``; without it every paper counts.
    public func score(_ similarities: [Float], years: [Int?] = [], paperSimilarity: ((Int, Int) -> Float)? = nil) -> Float {
        let used = evidence(similarities, years: years, paperSimilarity: paperSimilarity)
        guard !used.isEmpty else { return -.infinity }
        let s = used.map(\.similarity)
        switch aggregation {
        case .max: return s[0]
        case .mean: return s.reduce(0, +) / Float(s.count)
        case .top3Mean:
            let top = s.prefix(3)
            return top.reduce(0, +) / Float(top.count)
        case .weightedTop3:
            let all: [Float] = [1.0 / 2, 1.0 / 3, 1.0 / 6]
            let weights = all.prefix(min(3, s.count))
            return zip(s, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
        }
    }

    /// The papers the score rests on, most similar first (ties: lower index first):
    /// each paper's index and its similarity after recency weighting. All papers for
    /// `.mean`, else as many as the aggregation reads (1 or 3), skipping papers
    /// ``redundancy``-similar to one already taken when `paperSimilarity` is given.
    public func evidence(_ similarities: [Float], years: [Int?] = [],
                         paperSimilarity: ((Int, Int) -> Float)? = nil) -> [(index: Int, similarity: Float)] {
        var s = similarities
        if let halfLife = recencyHalfLife, let now = referenceYear, years.count == s.count {
            for i in s.indices {
                if let y = years[i] { s[i] *= Float(pow(2, -Double(max(0, now - y)) / halfLife)) }
            }
        }
        let wanted = aggregation == .mean ? s.count : (aggregation == .max ? 1 : 3)
        var taken: [(index: Int, similarity: Float)] = []
        for i in s.indices.sorted(by: { (s[$0], $1) > (s[$1], $0) }) {
            if let limit = redundancy, let paperSimilarity, taken.contains(where: { paperSimilarity(i, $0.index) >= limit }) { continue }
            taken.append((i, s[i]))
            if taken.count == wanted { break }
        }
        return taken
    }
}
