import Foundation

/// One paper as it goes into and comes out of a store. Every field the input gave is
/// kept (unknown ones too, in `extraFields`), so `refer export` writes back the same
/// records; only `vector` is not stored with the record (it lives in the index).
public struct PaperRecord: Sendable, Equatable {
    public var id: String
    public var title: String
    public var abstract: String?
    public var authors: [String]?
    /// Parallel to `authors`: a stable id per author with its source as prefix
    /// (`openalex:A5062286411`, `s2:67016465`, `dblp:…`, `orcid:0000-…`), or nil.
    public var authorIDs: [String?]?
    public var venue: String?
    public var year: Int?
    public var url: String?
    public var source: String?
    /// A precomputed embedding, if the input carried one.
    public var vector: [Float]?
    /// Fields refer does not use, as a canonical JSON object, kept for export.
    public var extraFields: String?

    public init(id: String, title: String, abstract: String? = nil, authors: [String]? = nil, venue: String? = nil,
                year: Int? = nil, url: String? = nil, source: String? = nil, vector: [Float]? = nil) {
        self.id = id; self.title = title; self.abstract = abstract; self.authors = authors
        self.venue = venue; self.year = year; self.url = url; self.source = source; self.vector = vector
    }

    /// The text the embedder sees: title, then abstract.
    public var embeddingText: String { Self.embeddingText(title: title, abstract: abstract) }

    /// The one rule for what the embedder sees of any paper, stored or not (a draft, a
    /// reviewer's publication): the title, ". ", then the abstract; either alone when the
    /// other is missing or empty.
    public static func embeddingText(title: String, abstract: String?) -> String {
        guard let abstract, !abstract.isEmpty else { return title }
        return title.isEmpty ? abstract : title + ". " + abstract
    }

    /// Parses one JSONL line; the error says which field is wrong and how. Without
    /// `extraFields` the fields refer does not use are not kept (a query reading stored
    /// papers skips that second pass over the JSON).
    public static func parse(_ line: String, extraFields: Bool = true) throws(PaperRecordError) -> PaperRecord {
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: Data(line.utf8))
            var record = wire.record
            // The second pass only for a line with fields refer does not use.
            if extraFields, wire.hasOtherFields, var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                for key in Wire.Key.allCases { object[key.rawValue] = nil }
                if !object.isEmpty {
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                    record.extraFields = String(decoding: data, as: UTF8.self)
                }
            }
            return record
        } catch let error as PaperRecordError {
            throw error
        } catch let DecodingError.typeMismatch(_, context) {
            throw .init(Wire.explain(context.codingPath, "has the wrong type"))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .init("missing field '\(key.stringValue)'")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .init(Wire.explain(context.codingPath, "is null"))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw .init(Wire.explain(context.codingPath, "is not valid"))
        } catch {
            throw .init("not a JSON object")
        }
    }

    /// The JSONL shape, decoded strictly: each field has exactly one type.
    private struct Wire: Decodable {
        let record: PaperRecord
        /// Whether the object has keys besides ``Key``'s.
        let hasOtherFields: Bool
        enum Key: String, CodingKey, CaseIterable { case id, title, abstract, authors, authorIDs = "author_ids", venue, year, url, source, vector }

        static func explain(_ path: [CodingKey], _ problem: String) -> String {
            guard let field = path.first?.stringValue else { return "not a JSON object" }
            let expected: String
            switch Key(rawValue: field) {
            case .id: expected = "a string or an integer"
            case .authors: expected = "an array of strings"
            case .authorIDs: expected = "an array of strings or nulls"
            case .year: expected = "an integer"
            case .vector: expected = "an array of numbers"
            default: expected = "a string"
            }
            return "field '\(field)' \(problem): expected \(expected)"
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            let id: String
            if let s = try? c.decode(String.self, forKey: .id) { id = s }
            else if let n = try? c.decode(Int64.self, forKey: .id) { id = String(n) }
            else if c.contains(.id) { throw PaperRecordError("field 'id' has the wrong type: expected a string or an integer") }
            else { throw PaperRecordError("missing field 'id'") }
            guard !id.isEmpty else { throw PaperRecordError("field 'id' is empty") }
            // The author index separates ids with newlines.
            guard !id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw PaperRecordError("field 'id' contains a control character")
            }
            guard let title = try c.decodeIfPresent(String.self, forKey: .title) else { throw PaperRecordError("missing field 'title'") }
            guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PaperRecordError("field 'title' is empty") }
            var r = PaperRecord(id: id, title: title)
            r.abstract = try c.decodeIfPresent(String.self, forKey: .abstract)
            r.authors = try c.decodeIfPresent([String].self, forKey: .authors)
            if let ids = try c.decodeIfPresent([String?].self, forKey: .authorIDs) {
                guard ids.count == (r.authors ?? []).count else {
                    throw PaperRecordError("field 'author_ids' has \(ids.count) entries for \((r.authors ?? []).count) authors")
                }
                r.authorIDs = ids
            }
            r.venue = try c.decodeIfPresent(String.self, forKey: .venue)
            r.year = try c.decodeIfPresent(Int.self, forKey: .year)
            r.url = try c.decodeIfPresent(String.self, forKey: .url)
            r.source = try c.decodeIfPresent(String.self, forKey: .source)
            if let v = try c.decodeIfPresent([Float].self, forKey: .vector) {
                guard !v.isEmpty else { throw PaperRecordError("field 'vector' is empty") }
                guard v.allSatisfy({ $0.isFinite }) else { throw PaperRecordError("field 'vector' holds a NaN or infinite value") }
                r.vector = v
            }
            record = r
            hasOtherFields = try decoder.container(keyedBy: AnyKey.self).allKeys.contains { Key(stringValue: $0.stringValue) == nil }
        }
    }

    /// Any key of a JSON object.
    private struct AnyKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// The record as stored and exported: JSON with sorted keys, without the vector.
    public func canonicalJSON() -> String {
        var object: [String: Any] = [:]
        if let extraFields, let extra = try? JSONSerialization.jsonObject(with: Data(extraFields.utf8)) as? [String: Any] {
            object = extra
        }
        object["id"] = id
        object["title"] = title
        if let abstract { object["abstract"] = abstract }
        if let authors { object["authors"] = authors }
        if let authorIDs { object["author_ids"] = authorIDs.map { $0.map { $0 as Any } ?? NSNull() } }
        if let venue { object["venue"] = venue }
        if let year { object["year"] = year }
        if let url { object["url"] = url }
        if let source { object["source"] = source }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// Why a JSONL line is not a paper.
public struct PaperRecordError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
