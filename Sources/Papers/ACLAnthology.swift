import Embedding
import Foundation
import Storage

/// The ACL Anthology export (`../shared/datasets/acl-anthology/papers.jsonl.gz`):
/// one `{id, title, abstract, authors, venue, venue_name, year, url, …}` a line.
/// Imported as papers with the Anthology id, an upper-case venue ("ACL", "EMNLP")
/// and the other fields kept as they are.
public enum ACLAnthology {
    public static func papers(_ text: String, file: String, source: String) throws -> [PaperRecord] {
        var out: [PaperRecord] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do {
                var p = try PaperRecord.parse(String(line))
                p.venue = p.venue?.uppercased()
                p.source = source
                out.append(p)
            } catch {
                throw ProfileError("\(file):\(i + 1): \(error)")
            }
        }
        return out
    }

    /// Reads the file, inflating it when it is gzip.
    public static func papers(file: String, source: String = "acl-anthology") throws -> [PaperRecord] {
        guard let data = FileManager.default.contents(atPath: file) else { throw ProfileError("\(file): cannot read") }
        let text = String(decoding: Gunzip.isGzip(data) ? try Gunzip.inflate(data, file: file) : data, as: UTF8.self)
        return try papers(text, file: file, source: source)
    }
}
