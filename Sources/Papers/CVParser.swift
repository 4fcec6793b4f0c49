import Foundation
import Names

/// Reads a researcher's CV or home page (plain text or markdown) into a
/// ``ReviewerProfile``: the publication list and the owner's name. Handles the
/// publication notations of the seed CVs:
/// - `[C1]\tAuthors. <i>Title</i>. In: Venue, 2023` (italic titles)
/// - `\[OSDI'24\]` then `"**Title**".` then an author line (markdown home page)
/// - `- VENUE 2022 Authors, "Title", in …` (quoted titles)
/// - `- Zhu H., Phanishayee A. Title. In Venue (ATC'20).` (initials after surnames)
/// The owner is the person on most of the publications; a heading line naming them
/// gives the full spelling. Nothing but names and publications is kept.
public enum CVParser {
    public static func parse(_ text: String, file: String = "CV") throws -> ReviewerProfile {
        let lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var pubs: [ReviewerProfile.Publication] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let p = italicTitle(line) ?? quotedTitle(line) ?? initialsCitation(line) {
                pubs.append(p)
            } else if let (venue, year) = bracketVenue(line), i + 2 < lines.count, let title = boldQuotedTitle(lines[i + 1]) {
                pubs.append(.init(title: title, venue: venue, year: year, authors: AuthorNames.split(lines[i + 2])))
                i += 2
            }
            i += 1
        }
        guard !pubs.isEmpty else { throw ProfileError("\(file): no publications found") }
        return ReviewerProfile(name: ownerName(lines: lines, publications: pubs), publications: pubs)
    }

    // MARK: - Notations

    /// `Authors. <i>Title</i> . In: Venue, Year`; a title may be split over several italic runs.
    static func italicTitle(_ line: String) -> ReviewerProfile.Publication? {
        guard let open = line.range(of: "<i>") else { return nil }
        let runs = line.matches(of: /<i>(.*?)<\/i>/).map { String($0.output.1) }
        guard !runs.isEmpty else { return nil }
        let title = clean(runs.joined(separator: " ").replacingOccurrences(of: "- ", with: ""))
        var authorText = String(line[..<open.lowerBound])
        if let tab = authorText.firstIndex(of: "\t") { authorText = String(authorText[authorText.index(after: tab)...]) }
        authorText = authorText.replacing(/^\[[A-Z]+\d+\]\s*/, with: "")
        let rest = String(line[(line.range(of: "</i>", options: .backwards)?.upperBound ?? line.endIndex)...])
        // Degrees, jobs and talks are set in italics too; a publication has authors and a year.
        let authors = AuthorNames.split(authorText)
        guard !authors.isEmpty, let year = year(in: rest) else { return nil }
        return .init(title: title, venue: venue(in: rest), year: year, authors: authors)
    }

    /// `- [N.] VENUE YEAR Authors, "Title", in …`
    static func quotedTitle(_ line: String) -> ReviewerProfile.Publication? {
        guard line.hasPrefix("-"), let m = line.firstMatch(of: /[\"“](.+?)[\"”]/) else { return nil }
        var head = String(line[..<m.range.lowerBound]).replacing(/^-\s*(\d+\.\s*)?/, with: "")
        head = NameText.stripMarkup(head)
        guard let vy = head.firstMatch(of: /^(?:USENIX\s+)?([A-Za-z\-]+)\s+((?:19|20)\d\d)\s+/) else { return nil }
        let authors = String(head[vy.range.upperBound...])
        return .init(title: clean(String(m.output.1)), venue: String(vy.output.1), year: Int(vy.output.2),
                     authors: AuthorNames.split(authors))
    }

    /// `- Zhu H., Phanishayee A., Pekhimenko G. (2018). Title. In Venue (ATC'20).`
    static func initialsCitation(_ line: String) -> ReviewerProfile.Publication? {
        guard line.hasPrefix("-"),
              let m = line.firstMatch(of: /^-\s*((?:[A-Z][\w\-']+,?\s+(?:[A-Z]\.\s*|[A-Z](?=,)\s*)+,?\s*(?:\.\.\.\s*,\s*)?)+)(?:\((\d{4})\)\.?\s*)?(.+?)(?:\.\s+In\s+|\[C\]\/\/|\.\s+)(.*)$/)
        else { return nil }
        // "Zhu H." and "Qian, Z." both become "H. Zhu" / "Z. Qian".
        let authors = String(m.output.1).matches(of: /([A-Z][\w\-']+),?\s+((?:[A-Z]\.\s*|[A-Z](?=,)\s*)+)/).map {
            "\($0.output.2.trimmingCharacters(in: .whitespaces)) \($0.output.1)"
        }
        guard !authors.isEmpty else { return nil }
        let rest = String(m.output.4)
        return .init(title: clean(String(m.output.3)), venue: venue(in: rest),
                     year: m.output.2.flatMap { Int($0) } ?? year(in: rest), authors: authors)
    }

    /// `\[OSDI'24\]` → ("OSDI", 2024)
    static func bracketVenue(_ line: String) -> (String, Int)? {
        guard let m = line.wholeMatch(of: /\\?\[([A-Za-z]+)'(\d\d)\\?\]/) else { return nil }
        return (String(m.output.1), 2000 + Int(m.output.2)!)
    }

    /// `"**Title**".`
    static func boldQuotedTitle(_ line: String) -> String? {
        guard let m = line.firstMatch(of: /^"\*\*(.+?)\*\*"/) else { return nil }
        return clean(String(m.output.1))
    }

    // MARK: - Pieces

    static func clean(_ title: String) -> String {
        NameText.stripMarkup(title).trimmingCharacters(in: CharacterSet(charactersIn: " .,\"“”"))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The last year (1950-2099) mentioned.
    static func year(in text: String) -> Int? {
        text.matches(of: /(?:19|20)\d\d/).compactMap { Int($0.output) }.last
    }

    /// A venue's short name: the last parenthesised acronym ("(NeurIPS)", "(ATC'20)"),
    /// else the text up to the first comma.
    static func venue(in text: String) -> String? {
        if let m = text.matches(of: /\(([A-Z][A-Za-z\-]*[A-Z])(?:'?\d\d)?\)/).last { return String(m.output.1) }
        let t = text.replacing(/^\s*[.,]?\s*(In:?|in)\s*/, with: "")
        let head = t.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return head.isEmpty ? nil : head
    }

    /// The author on most publications, spelt as the CV's heading spells them if a
    /// heading line names the same person.
    static func ownerName(lines: [String], publications: [ReviewerProfile.Publication]) -> String {
        var counts: [String: (Int, String)] = [:]
        for p in publications {
            for a in Set(p.authors) {
                let key = PersonName(a).initialKey
                let (n, spelling) = counts[key] ?? (0, a)
                counts[key] = (n + 1, a.count > spelling.count ? a : spelling)
            }
        }
        guard let (key, (_, spelling)) = counts.max(by: { $0.value.0 < $1.value.0 }) else { return "" }
        for raw in lines.prefix(5) {
            var line = NameText.stripMarkup(raw).trimmingCharacters(in: CharacterSet(charactersIn: "# "))
            if line == line.uppercased() { line = line.capitalized }
            if AuthorNames.looksLikeName(line) && PersonName(line).initialKey == key { return line }
        }
        return spelling
    }
}
