import Foundation
import HNSW
import Names

/// Restricts a search to papers of a year range, of some venues (case-insensitive) and
/// by some people (any of them, by the one name rule). The search applies it inside the
/// walk: the allowed nodes are a bitset the graph search admits results from, or, when
/// few enough pass, scans exactly (``HNSW/HNSWIndex/exactScanSelectivity``).
public struct PaperFilter: Sendable, Equatable {
    public var yearFrom: Int?
    public var yearTo: Int?
    public var venues: Set<String>
    public var authors: [PersonName]

    public init(yearFrom: Int? = nil, yearTo: Int? = nil, venues: [String] = [], authors: [String] = []) {
        self.yearFrom = yearFrom; self.yearTo = yearTo; self.venues = Set(venues.map { $0.lowercased() })
        self.authors = authors.map(PersonName.init).filter { !$0.isEmpty }
    }

    public var isEmpty: Bool { yearFrom == nil && yearTo == nil && venues.isEmpty && authors.isEmpty }

    /// Whether a year and venue pass (a missing year fails a year bound, a missing venue a venue list).
    func accepts(year: Int?, venue: String?) -> Bool {
        if let from = yearFrom, (year ?? Int.min) < from { return false }
        if let to = yearTo, (year ?? Int.max) > to { return false }
        if !venues.isEmpty, !venues.contains((venue ?? "").lowercased()) { return false }
        return true
    }

    public func accepts(_ p: PaperRecord) -> Bool { accepts(year: p.year, venue: p.venue) }
}

/// Each index node's year and venue, read from the papers once per searcher (on its
/// first filtered search), so a filter becomes a bitset without reading records.
struct NodeFacets: Sendable {
    /// By node; `Int32.min` when the paper has no year.
    var years: [Int32]
    /// By node; -1 when the paper has no venue.
    var venues: [Int32]
    /// Lower-cased venue → code.
    var venueCodes: [String: Int32]

    private struct Fields: Decodable { let year: Int?; let venue: String? }

    init(_ searcher: StoreSearcher) throws {
        let n = searcher.index.withPersistentState { $0.header.slotCount }
        years = Array(repeating: Int32.min, count: n); venues = Array(repeating: -1, count: n); venueCodes = [:]
        let dbs = searcher.store.dbs, decoder = JSONDecoder()
        var years = self.years, venues = self.venues, codes: [String: Int32] = [:]
        try searcher.snapshot.read { txn in
            try txn.forEach(in: dbs.papers) { key, value in
                guard let node = try txn.get(String(decoding: key, as: UTF8.self), in: dbs.paperNode, as: UInt32.self),
                      Int(node) < n, let f = try? decoder.decode(Fields.self, from: Data(value)) else { return true }
                if let y = f.year { years[Int(node)] = Int32(clamping: y) }
                if let v = f.venue?.lowercased() {
                    let code = codes[v] ?? Int32(codes.count)
                    codes[v] = code
                    venues[Int(node)] = code
                }
                return true
            }
        }
        self.years = years; self.venues = venues; venueCodes = codes
    }
}

extension StoreSearcher {
    /// The nodes `filter` lets through, or nil for no filter.
    public func allowed(_ filter: PaperFilter) throws -> AllowedSet? {
        guard !filter.isEmpty else { return nil }
        let f = try facets.get { try NodeFacets(self) }
        let from = filter.yearFrom.map { Int32(clamping: $0) }, to = filter.yearTo.map { Int32(clamping: $0) }
        let venueCodes = Set(filter.venues.compactMap { f.venueCodes[$0] })
        var people: Set<UInt32>? = nil
        if !filter.authors.isEmpty {
            let ids = Set(try filter.authors.flatMap { try papers(by: $0) })
            people = Set(try snapshot.read { txn in try ids.compactMap { try txn.get($0, in: store.dbs.paperNode, as: UInt32.self) } })
        }
        return AllowedSet(capacity: f.years.count) { node in
            let i = Int(node), y = f.years[i]
            if let from, y == Int32.min || y < from { return false }
            if let to, y == Int32.min || y > to { return false }
            if !filter.venues.isEmpty, !venueCodes.contains(f.venues[i]) { return false }
            if let people, !people.contains(node) { return false }
            return true
        }
    }

    /// ``search(_:k:effort:filter:)-(_,_,_,AllowedSet?)`` restricted to the papers `filter` passes.
    public func search(_ vector: [Float], k: Int, effort: SearchEffort, filter: PaperFilter) throws -> (hits: [Hit], cost: StoreSearchCost) {
        guard let allowed = try allowed(filter) else { return try search(vector, k: k, effort: effort) }
        guard allowed.count > 0 else { return ([], StoreSearchCost()) }
        return try search(vector, k: min(k, allowed.count), effort: effort, filter: allowed)
    }
}
