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
    public static let `default` = ExpertiseScore(aggregation: .top3Mean, paperCentering: 0.15)

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

    public init(aggregation: Aggregation = .top3Mean, recencyHalfLife: Double? = nil, referenceYear: Int? = nil,
                paperCentering: Double = 0) {
        self.aggregation = aggregation; self.recencyHalfLife = recencyHalfLife; self.referenceYear = referenceYear
        self.paperCentering = paperCentering
    }

    /// The score for similarities (one per paper; `years` parallel to it, or empty).
    public func score(_ similarities: [Float], years: [Int?] = []) -> Float {
        guard !similarities.isEmpty else { return -.infinity }
        var s = similarities
        if let halfLife = recencyHalfLife, let now = referenceYear, years.count == s.count {
            for i in s.indices {
                if let y = years[i] { s[i] *= Float(pow(2, -Double(max(0, now - y)) / halfLife)) }
            }
        }
        switch aggregation {
        case .max: return s.max()!
        case .mean: return s.reduce(0, +) / Float(s.count)
        case .top3Mean:
            let top = s.sorted(by: >).prefix(3)
            return top.reduce(0, +) / Float(top.count)
        case .weightedTop3:
            let top = Array(s.sorted(by: >).prefix(3)), w: [Float] = [1.0 / 2, 1.0 / 3, 1.0 / 6]
            let used = w.prefix(top.count)
            return zip(top, used).reduce(0) { $0 + $1.0 * $1.1 } / used.reduce(0, +)
        }
    }
}
