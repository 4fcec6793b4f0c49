import Foundation

/// OpenReview edges as openreview-py's `Edge.to_json()` writes them (`invitation`, `head`,
/// `tail`, `weight`, `label`, `readers`, …), saved as a JSON array, `{"edges": [...]}` (what
/// `/edges` returns) or JSON Lines. The invitation's last part says what an edge is:
/// `…/Reviewers/-/Bid` (head a submission, tail a profile, label Very High … Very Low or
/// Conflict), `…/-/Conflict` (weight -1), `…/-/Custom_Max_Papers` (head the committee group,
/// weight the load), `…/-/Affinity_Score`, `…/-/Assignment`. Read by `--bids`, `--conflicts`
/// and `--loads` when the file is JSON; an edge of a kind the flag does not take is refused.
public struct OpenReviewEdge: Sendable, Equatable {
    public var invitation: String
    public var head: String
    public var tail: String
    public var weight: Double?
    public var label: String?
    /// FILE and the edge's place in it.
    public var source: String

    /// The invitation's name: "Bid", "Conflict", "Custom_Max_Papers", ….
    public var kind: String { invitation.components(separatedBy: "/-/").last ?? invitation }

    /// Whether `path` holds JSON (edges) rather than CSV.
    static func isJSON(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = h.readData(ofLength: 256)
        return String(decoding: head, as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }.first.map { $0 == "[" || $0 == "{" } ?? false
    }

    /// Every edge in `path`, each checked for an invitation, a head and a tail.
    static func read(_ path: String) throws -> [OpenReviewEdge] {
        let text = try TextFile.read(path).text
        var objects: [(String, Any)] = []
        if let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
            if let list = (json as? [Any]) ?? ((json as? [String: Any])?["edges"] as? [Any]) {
                objects = list.enumerated().map { ("\(path): edge \($0.offset + 1)", $0.element) }
            } else {
                objects = [("\(path):1", json)]   // one edge, alone in the file
            }
        } else {
            for (n, line) in text.components(separatedBy: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
                do { objects.append(("\(path):\(n + 1)", try JSONSerialization.jsonObject(with: Data(line.utf8)))) }
                catch { throw ProfileError("\(path):\(n + 1): not a JSON edge (\(JSONErrorText.describe(error)))") }
            }
        }
        var problems = InputProblems()
        let edges: [OpenReviewEdge] = objects.compactMap { at, any in
            problems.attempt {
                guard let o = any as? [String: Any] else { throw ProfileError("\(at): not an edge object") }
                func text(_ key: String) throws -> String {
                    guard let v = o[key] as? String, !v.isEmpty else { throw ProfileError("\(at): field '\(key)' is missing") }
                    return v
                }
                let weight = (o["weight"] as? NSNumber)?.doubleValue
                if o["weight"] != nil && !(o["weight"] is NSNull) && weight == nil { throw ProfileError("\(at): field 'weight' is not a number") }
                return OpenReviewEdge(invitation: try text("invitation"), head: try text("head"), tail: try text("tail"),
                                      weight: weight, label: o["label"] as? String, source: at)
            }
        }
        try problems.check()
        return edges
    }

    /// Edges of the kinds a flag takes; another kind is refused naming it.
    static func read(_ path: String, kinds: Set<String>, flag: String) throws -> [OpenReviewEdge] {
        var problems = InputProblems()
        let edges = try read(path)
        for e in edges where !kinds.contains(e.kind) {
            problems.add("\(e.source): an edge of kind '\(e.kind)' (\(e.invitation)); \(flag) takes \(kinds.sorted().joined(separator: " or ")) edges")
        }
        try problems.check()
        return edges
    }
}
