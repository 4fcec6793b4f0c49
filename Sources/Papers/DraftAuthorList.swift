import Foundation

/// A draft's authors as a person types them on one line, split into people: separated by
/// `;` (then each may be "Last, First"), else by `,` and " and " ("Jonas Pfeiffer, Sebastian
/// Ruder and Ivan Vulić"), "Last, First" kept whole when every comma piece is one word
/// ("Doe, Jane"), or a JSON array of names or of HotCRP (`first`/`last`,
/// `given_name`/`family_name`, `email`, `affiliation`) or OpenReview (`fullname`,
/// `username`) author objects. Parentheses and `<…>` stay with their name: "Jane Doe (ETH
/// Zurich, CH) <jane@ethz.ch>". ``split(_:)`` also says how it read the line, for the user
/// to check: a missed author is a missed conflict.
public enum DraftAuthorList {
    public static func split(_ line: String) throws -> (authors: [String], how: String) {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return ([], "no authors") }
        if text.hasPrefix("[") { return try json(text) }
        if top(text, ";").count > 1 {
            return (top(text, ";").map(trim).filter { !$0.isEmpty }, "split on ';'")
        }
        let pieces = top(text, ",").flatMap { $0.components(separatedBy: " and ") }.map(trim).filter { !$0.isEmpty }
        if pieces.count > 1, pieces.allSatisfy({ !$0.contains(" ") }), pieces.count % 2 == 0, !text.contains(" and ") {
            // "Doe, Jane" (or "Doe, Jane, Roe, Richard"): family name, given name pairs.
            let pairs = stride(from: 0, to: pieces.count, by: 2).map { "\(pieces[$0 + 1]) \(pieces[$0])" }
            return (pairs, pairs.count == 1 ? "read as 'Last, First'" : "read as 'Last, First' pairs")
        }
        if pieces.count > 1 { return (pieces, "split on ',' and ' and '") }
        return (pieces, "one author")
    }

    /// A JSON array of names or author objects.
    static func json(_ text: String) throws -> (authors: [String], how: String) {
        guard let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Any] else {
            throw ProfileError("authors: starts with '[' but is not a JSON array of names or author objects")
        }
        let authors = try list.enumerated().map { i, item -> String in
            if let name = item as? String { return name }
            guard let o = item as? [String: Any] else { throw ProfileError("authors: item \(i + 1) is neither a name nor an author object") }
            func text(_ keys: String...) -> String? { keys.lazy.compactMap { (o[$0] as? String).map(trim) }.first { !$0.isEmpty } }
            let given = text("given_name", "first", "givenName", "firstName"), family = text("family_name", "last", "familyName", "lastName")
            guard var name = [given, family].compactMap({ $0 }).joined(separator: " ").nilIfEmpty ?? text("fullname", "name") else {
                throw ProfileError("authors: item \(i + 1) has no name (given_name/family_name, first/last, fullname or name)")
            }
            if let a = text("affiliation") { name += " (\(a))" }
            if let e = text("email") { name += " <\(e)>" }
            if let u = text("username"), u.hasPrefix("~") { name += " <openreview:\(u)>" }
            return name
        }
        return (authors, "a JSON array")
    }

    static func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }

    /// `text` split on `separator` outside (), [] and <>.
    static func top(_ text: String, _ separator: Character) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            if "([<".contains(c) { depth += 1 }
            if ")]>".contains(c) { depth = max(0, depth - 1) }
            if c == separator && depth == 0 { parts.append(current); current = "" } else { current.append(c) }
        }
        parts.append(current)
        return parts
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
