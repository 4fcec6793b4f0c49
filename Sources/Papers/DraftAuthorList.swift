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
            guard let a = HotCRPExport.author(o) else {
                throw ProfileError("authors: item \(i + 1) has no name (given_name/family_name, first/last, fullname or name)")
            }
            var name = a.name
            if let f = a.affiliation { name += " (\(f))" }
            if let e = a.email { name += " <\(e)>" }
            if let u = (o["username"] as? String), u.hasPrefix("~") { name += " <openreview:\(u)>" }
            return name
        }
        return (authors, "a JSON array")
    }

    static func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }

    /// `text` split on `separator` outside (), [] and <>.
    static func top(_ text: String, _ separator: Character) -> [String] {
        AuthorNames.topLevelSplit(text, on: separator, opening: "([<", closing: ")]>")
    }
}
