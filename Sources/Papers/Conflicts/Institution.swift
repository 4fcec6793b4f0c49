import Foundation
import Storage

/// An institution a person was at, with the years the data shows them there: from
/// imports that carry institutions per authorship (OpenAlex's `author_institutions`:
/// id, ROR, name), or from an affiliation given as text (no years: taken as current).
public struct Institution: Codable, Sendable, Equatable {
    public var name: String
    /// The source's id (`openalex:I…`), when known.
    public var id: String?
    /// The ROR id, when known.
    public var ror: String?
    public var first_year: Int?
    public var last_year: Int?

    public init(name: String, id: String? = nil, ror: String? = nil, first_year: Int? = nil, last_year: Int? = nil) {
        self.name = name; self.id = id; self.ror = ror; self.first_year = first_year; self.last_year = last_year
    }

    /// The same institution: the same ROR or source id when both sides have one, else
    /// the same name (case, accents and punctuation aside).
    public func isSame(as other: Institution) -> Bool {
        if let a = ror, let b = other.ror { return a == b }
        if let a = id, let b = other.id { return a == b }
        let key = Self.nameKey(name)
        return !key.isEmpty && key == Self.nameKey(other.name)
    }

    static func nameKey(_ name: String) -> String { PaperListParser.titleKey(name) }

    /// "2019-2024", "2024", or nil without years.
    public var years: String? {
        switch (first_year, last_year) {
        case let (a?, b?): a == b ? "\(a)" : "\(a)-\(b)"
        case let (a?, nil), let (nil, a?): "\(a)"
        default: nil
        }
    }

    /// The institutions of the authors at `positions` of each stored paper, one entry per
    /// institution spanning the years of the papers that name it, latest first.
    static func spans(of records: [(paper: PaperRecord, positions: [Int])]) -> [Institution] {
        var found: [Institution] = []
        for (paper, positions) in records {
            let perAuthor = listed(in: paper)
            for i in positions {
                for var inst in perAuthor[safe: i] ?? [] {
                    inst.first_year = paper.year; inst.last_year = paper.year
                    if let j = found.firstIndex(where: { $0.isSame(as: inst) }) { found[j].widen(to: paper.year) }
                    else { found.append(inst) }
                }
            }
        }
        return found.sorted { ($0.last_year ?? Int.max, $1.name) > ($1.last_year ?? Int.max, $0.name) }
    }

    /// `author_institutions` of a stored paper (kept in its extra fields by the importers
    /// that know institutions), parallel to its authors; empty when it has none.
    static func listed(in paper: PaperRecord) -> [[Institution]] {
        guard let extra = paper.extraFields, extra.contains("\"author_institutions\""),
              let object = try? JSONSerialization.jsonObject(with: Data(extra.utf8)) as? [String: Any],
              let lists = object["author_institutions"] as? [Any] else { return [] }
        return lists.map { list in
            ((list as? [[String: Any]]) ?? []).compactMap { o in
                (o["name"] as? String).map { Institution(name: $0, id: o["id"] as? String, ror: o["ror"] as? String) }
            }
        }
    }

    mutating func widen(to year: Int?) {
        guard let year else { return }
        first_year = min(first_year ?? year, year); last_year = max(last_year ?? year, year)
    }
}
