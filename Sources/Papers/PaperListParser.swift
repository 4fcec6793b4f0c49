import Foundation
import Names
import Storage

/// Parses a markdown paper list like the seed `aisys2023` file into papers:
/// `## Venue` and `### Year` headings, then entries of a title line and an author
/// line (in any notation ``AuthorNames`` reads), or both on one line (separated by a
/// run of spaces, or simply run together: "Title Words First Author, Second Author").
/// Bold and linked titles (`**[Title](url)**`) are unwrapped. Papers whose titles
/// normalise alike are merged.
public struct PaperListParser {
    /// The `source` written into every paper and the prefix of its id.
    public var source: String

    public init(source: String) { self.source = source }

    /// One parsed entry before it becomes a record, with the line it came from.
    public struct Entry: Sendable, Equatable {
        public var title: String
        public var authors: [String]
        public var venue: String?
        public var year: Int?
        public var line: Int
    }

    public func parse(_ text: String) -> [PaperRecord] {
        merge(entries(text)).map { e in
            PaperRecord(id: Self.id(source: source, venue: e.venue, year: e.year, title: e.title), title: e.title,
                        authors: e.authors, venue: e.venue, year: e.year, source: source)
        }
    }

    /// The entries in file order, before merging.
    public func entries(_ text: String) -> [Entry] {
        var out: [Entry] = []
        var venue: String?, year: Int?
        var pending: (title: String, line: Int, lines: Int)?
        func flush() {
            if let p = pending { out.append(Entry(title: p.title, authors: [], venue: venue, year: year, line: p.line)) }
            pending = nil
        }
        for (i, raw) in text.components(separatedBy: "\n").enumerated() {
            let lineNumber = i + 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                flush()
                let level = line.prefix { $0 == "#" }.count
                let heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                if level == 2 { venue = heading; year = nil }
                if level == 3 { year = Int(heading.prefix(4)) }
                continue
            }
            guard venue != nil else { continue }   // preamble before the first venue
            if let (title, rest) = Self.boldTitle(line) {
                flush()
                if rest.isEmpty { pending = (title, lineNumber, 1) } else {
                    out.append(Entry(title: title, authors: AuthorNames.split(rest), venue: venue, year: year, line: lineNumber))
                }
                continue
            }
            if let (title, rest) = Self.spacedTitle(line) {
                flush()
                out.append(Entry(title: Self.cleanTitle(title), authors: AuthorNames.split(rest), venue: venue, year: year, line: lineNumber))
                continue
            }
            if Self.isAuthorLine(line) {
                if let p = pending {
                    out.append(Entry(title: p.title, authors: AuthorNames.split(line), venue: venue, year: year, line: p.line))
                    pending = nil
                }
                continue   // an author line with no title before it names no paper
            }
            if let (title, authors) = Self.runTogether(line) ?? Self.citation(line) {
                flush()
                out.append(Entry(title: title, authors: authors, venue: venue, year: year, line: lineNumber))
                continue
            }
            // A title; one broken over two adjacent lines is joined.
            if let p = pending, p.line + p.lines == lineNumber {
                pending = (p.title + " " + Self.cleanTitle(line), p.line, p.lines + 1)
            } else {
                flush()
                pending = (Self.cleanTitle(line), lineNumber, 1)
            }
        }
        flush()
        return out
    }

    // MARK: - Line shapes

    /// `**[Title](url)**` or `**Title**`, and whatever follows on the line.
    static func boldTitle(_ line: String) -> (String, String)? {
        guard line.hasPrefix("**") else { return nil }
        let body = line.dropFirst(2)
        guard let close = body.range(of: "**") else { return nil }
        var title = String(body[..<close.lowerBound])
        if let m = title.wholeMatch(of: /\[(.+)\]\(.*\)/) { title = String(m.output.1) }
        return (cleanTitle(title), String(body[close.upperBound...]).trimmingCharacters(in: .whitespaces))
    }

    /// "Title<3+ spaces or a tab>Authors" or "Title | Authors".
    static func spacedTitle(_ line: String) -> (String, String)? {
        guard let gap = line.range(of: #"\t|\s{3,}|\s\|\s"#, options: .regularExpression) else { return nil }
        let title = String(line[..<gap.lowerBound]), rest = String(line[gap.upperBound...])
        guard !isAuthorLine(title), !AuthorNames.split(rest).isEmpty else { return nil }
        return (title, rest)
    }

    /// Whether a line lists authors rather than giving a title: two names or more, or
    /// one name in a line with list or affiliation punctuation.
    static func isAuthorLine(_ line: String) -> Bool {
        guard AuthorNames.looksLikeName(AuthorNames.leadingSegment(line)) else { return false }
        let names = AuthorNames.split(line)
        if names.count >= 2 { return true }
        return names.count == 1 && line.contains(where: { ",;(·".contains($0) })
    }

    /// "Title Words First Author, Second Author, …" with nothing between title and
    /// authors: the split is after the last comma-separated piece that is not a name;
    /// that piece ends with the first author's name (two words, three with an initial).
    static func runTogether(_ line: String) -> (String, [String])? {
        let segments = AuthorNames.topLevelSplit(line.replacingOccurrences(of: "·", with: ","), on: ",")
        guard let first = segments.first, !AuthorNames.looksLikeName(AuthorNames.clean(first)) else { return nil }
        guard let j = segments.lastIndex(where: {
            let s = AuthorNames.clean($0)
            return !s.isEmpty && !AuthorNames.looksLikeName(s)
        }) else { return nil }
        // Everything after j must be names, and j itself must end with one.
        let words = segments[j].split(separator: " ").map(String.init)
        guard words.count >= 3 else { return nil }
        let nameLength = words.count >= 4 && words[words.count - 2].hasSuffix(".") ? 3 : 2
        let firstAuthor = words.suffix(nameLength).joined(separator: " ")
        guard AuthorNames.looksLikeName(firstAuthor) else { return nil }
        let titleTail = words.dropLast(nameLength).joined(separator: " ")
        let title = (segments[..<j].map { $0.trimmingCharacters(in: .whitespaces) } + [titleTail]).joined(separator: ", ")
        let rest = segments[(j + 1)...].joined(separator: ",")
        let others = AuthorNames.split(rest)
        guard !others.isEmpty else { return nil }
        return (cleanTitle(title), [AuthorNames.clean(firstAuthor)] + others)
    }

    /// A citation on one line: "Short. Title. Author, Author. VENUE Year." The title
    /// is the sentence before the first one that lists authors.
    static func citation(_ line: String) -> (String, [String])? {
        let sentences = line.components(separatedBy: ". ")
        guard sentences.count >= 3 else { return nil }
        for i in 1..<sentences.count where isAuthorLine(sentences[i]) && AuthorNames.split(sentences[i]).count >= 2 {
            return (cleanTitle(sentences[i - 1]), AuthorNames.split(sentences[i]))
        }
        return nil
    }

    /// A title without markdown, quotes or the trailing period/comma lists put there.
    static func cleanTitle(_ title: String) -> String {
        var t = NameText.stripMarkup(title)
        if let m = t.wholeMatch(of: /\[(.+)\]\(.*\)/) { t = String(m.output.1) }
        t = t.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\".,;")))
        return t.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: - Identity and merging

    /// Lower case, accents folded, only letters and digits: two spellings of one title meet.
    public static func titleKey(_ title: String) -> String {
        title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
    }

    /// A readable, stable id: source, venue, year and the title's first words.
    static func id(source: String, venue: String?, year: Int?, title: String) -> String {
        let words = title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }.prefix(8)
        let v = (venue ?? "misc").lowercased().filter { $0.isLetter || $0.isNumber }
        return "\(source):\(v)\(year.map { "-\($0)" } ?? ""):\(words.joined(separator: "-"))"
    }

    /// Entries with the same title key become one: the first keeps its place, authors
    /// come from whichever lists them.
    func merge(_ entries: [Entry]) -> [Entry] {
        var out: [Entry] = [], at: [String: Int] = [:]
        for e in entries {
            let key = Self.titleKey(e.title)
            if let i = at[key] {
                if out[i].authors.isEmpty { out[i].authors = e.authors }
            } else {
                at[key] = out.count
                out.append(e)
            }
        }
        return out
    }
}
