import Foundation
import Names

/// Author names as paper lists and CVs write them: cleaning and splitting an author line
/// in any of the common notations. Whether two spellings are one person is decided by
/// ``PersonName`` alone.
///
/// Notations handled (all occur in the seed paper list):
/// - USENIX: `Name, Name, and Name, Affiliation; Name and Name, Affiliation`
/// - parenthesised affiliations: `Name (Affiliation), Name (Affiliation, Country)`
/// - bare lists separated by commas, `and`, `;` or `·`, including names glued
///   together by a lost comma (`Kyle ChardIan Foster`)
/// - markdown profile links: `[Name](https://…) Affiliation, [Name](…)`
/// - emphasis, footnote marks and superscripts: `**Name**`, `Name*`, `Name<sup>*</sup>`
///
///     AuthorNames.split("Tianqi Chen and Thierry Moreau, University of Washington; Ziheng Jiang, AWS")
///     // ["Tianqi Chen", "Thierry Moreau", "Ziheng Jiang"]
public enum AuthorNames {
    /// The names in one author line, cleaned, in order.
    public static func split(_ line: String) -> [String] {
        // A name hyphenated across a line break in the source: "Vozne- sensky".
        var text = NameText.stripMarkup(line).replacing(/(\w)- ([a-z])/) { "\($0.output.1)\($0.output.2)" }
        if text.contains("](") { return linkedNames(text) }
        text = text.replacingOccurrences(of: "·", with: ",")
        var names: [String] = []
        let groups = topLevelSplit(text, on: ";")
        // USENIX style: every ";" group ends with its affiliation.
        let usenix = groups.count > 1 && !text.contains("(")
        for group in groups {
            let hasAffiliationsInParentheses = group.contains("(")
            var pieces = topLevelSplit(removingParentheses(group), on: ",")
            if usenix && pieces.count > 1 { pieces.removeLast() }
            let segments = pieces
                .flatMap { $0.components(separatedBy: " and ") }
                .map { clean($0) }
                .filter { !$0.isEmpty }
            for (i, segment) in segments.enumerated() {
                if i > 0, isMononym(segment), looksLikeName(segments[i - 1]),
                   pieces.contains(where: { $0.contains(segments[i - 1] + " and " + segment) }) {
                    names.append(segment)   // "Xuhao Chen and Arvind"
                } else if looksLikeName(segment) {
                    names += unglued(segment)
                } else if !hasAffiliationsInParentheses {
                    break   // USENIX: the names come first, then the group's affiliation
                }
            }
        }
        return names
    }

    /// One name without markup, LaTeX, footnote marks, quotes or stray punctuation.
    public static func clean(_ name: String) -> String { NameText.clean(name) }

    /// Names from a line of markdown profile links: each link's text, plus plain
    /// comma-separated names that carry no link.
    static func linkedNames(_ text: String) -> [String] {
        var names: [String] = []
        let link = /\[([^\]]+)\]\([^)]*\)/
        let segments = topLevelSplit(text, on: ",")
        // Plain names count only in a bare list of links; after "[Name](url) Affiliation"
        // the unlinked pieces are affiliations.
        let bareLinks = segments.allSatisfy { $0.replacing(link, with: "").trimmingCharacters(in: .whitespaces).isEmpty
            || !$0.contains("](") }
        for segment in segments {
            let links = segment.matches(of: link).map { String($0.output.1) }
            if !links.isEmpty {
                names += links.map { clean($0) }.filter(looksLikeName)
            } else if bareLinks {
                let plain = clean(segment)
                if looksLikeName(plain) { names.append(plain) }
            }
        }
        return names
    }

    /// The first piece of an author line, the way ``split(_:)`` reads it: link text,
    /// no parentheses, up to the first list separator.
    public static func leadingSegment(_ line: String) -> String {
        var text = NameText.stripMarkup(line)
        if let m = text.firstMatch(of: /\[([^\]]+)\]\([^)]*\)/), text.hasPrefix("[") { return clean(String(m.output.1)) }
        text = removingParentheses(text.replacingOccurrences(of: "·", with: ","))
        let head = text.split(whereSeparator: { ",;".contains($0) }).first.map(String.init) ?? ""
        return clean(head.components(separatedBy: " and ").first ?? head)
    }

    /// `text` split on `separator` outside the `opening`/`closing` brackets (by default
    /// parentheses and square brackets).
    static func topLevelSplit(_ text: String, on separator: Character, opening: String = "([", closing: String = ")]") -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            if opening.contains(c) { depth += 1 }
            if closing.contains(c) { depth = max(0, depth - 1) }
            if c == separator && depth == 0 { parts.append(current); current = "" } else { current.append(c) }
        }
        parts.append(current)
        return parts
    }

    /// `text` without parenthesised parts (affiliations), nested ones included.
    static func removingParentheses(_ text: String) -> String {
        var out = "", depth = 0
        for c in text {
            if c == "(" { depth += 1; out.append(" "); continue }
            if c == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { out.append(c) }
        }
        return out
    }

    /// Words that mark an affiliation, never a person.
    static let affiliationWords: Set<String> = [
        "university", "univ", "institute", "institution", "research", "inc", "ltd", "llc", "corp", "corporation",
        "lab", "labs", "laboratory", "laboratories", "college", "school", "center", "centre", "department", "dept",
        "group", "technologies", "technology", "academy", "sciences", "foundation", "company", "systems", "cloud",
        "microsoft", "google", "facebook", "meta", "amazon", "alibaba", "bytedance", "nvidia", "intel", "ibm", "huawei",
        "tencent", "baidu", "samsung", "vmware", "apple", "uber", "netflix", "adobe", "kuaishou", "petuum",
        "technion", "oracle", "cisco", "salesforce", "twitter", "linkedin", "sensetime", "megvii", "cornell", "stanford",
        "berkeley", "princeton", "harvard", "yale", "toronto", "washington", "tsinghua", "peking", "zurich", "ai", "of",
        "and", "the", "at", "for", "state", "national", "federal", "polytechnic", "politecnico", "friendliai", "unist",
        "kaist", "epfl", "eth", "mit", "cmu", "uc", "ucla", "tech", "networks", "brain", "deepmind", "openai", "ucsd", "uiuc", "usc", "nyu", "usa", "china", "america",
        "states", "united", "kingdom", "canada", "germany", "japan", "korea", "singapore", "india", "france", "israel",
    ]

    /// Lower-case words of titles, never a given name.
    static let titleWords: Set<String> = ["using", "with", "for", "and", "of", "the", "on", "in", "via", "to", "from",
                                          "towards", "toward", "over", "through", "across", "beyond", "under", "without", "into"]

    /// Particles that may start a family name in lower case.
    static let particles: Set<String> = ["de", "van", "von", "der", "den", "di", "da", "del", "della", "la", "le", "du", "dos", "bin", "al"]

    /// Whether a segment reads as one person's name (or two glued together).
    static func looksLikeName(_ segment: String) -> Bool {
        let words = segment.split(separator: " ").map(String.init)
        // Two to four words; five or six only with initials or particles ("Ana M. de la Cruz").
        let decorated = words.filter { $0.hasSuffix(".") || particles.contains($0.lowercased()) }.count
        guard (2...4).contains(words.count) || ((5...6).contains(words.count) && decorated >= words.count - 4) else { return false }
        for w in words {
            let lower = w.lowercased().trimmingCharacters(in: .punctuationCharacters)
            if affiliationWords.contains(lower) { return false }
            if particles.contains(lower) { continue }
            guard let first = w.unicodeScalars.first else { return false }
            // A lower-case given name ("zhifeng Chen") passes when the rest is capitalised.
            let lowerGivenName = w == words[0] && words.count <= 3 && w.count >= 3 && !titleWords.contains(lower)
                && words.dropFirst().allSatisfy { $0.first?.isUppercase == true }
            guard CharacterSet.uppercaseLetters.contains(first) || lowerGivenName else { return false }
            if w.contains(where: { $0.isNumber || "/&@:()[]".contains($0) }) { return false }
            let letters = w.filter(\.isLetter)
            if letters.count >= 3 && letters == letters.uppercased() && w.count == letters.count { return false } // AWS, UNIST; "HT" is initials
        }
        return true
    }

    /// One capitalised word that is no affiliation ("Arvind").
    static func isMononym(_ segment: String) -> Bool {
        !segment.contains(" ") && segment.count >= 3 && segment.first!.isUppercase && segment.dropFirst().allSatisfy(\.isLowercase)
            && !affiliationWords.contains(segment.lowercased())
    }

    /// Splits names a lost comma glued together: "Kyle ChardIan Foster" is two people;
    /// "Zachary DeVito" and "Michael I. Jordan" are one. Four plain words stay one name
    /// ("Carlos Efrain Quintero Narvaez"), so "Brandon Reagen David Brooks" does too.
    static func unglued(_ segment: String) -> [String] {
        let words = segment.split(separator: " ").map(String.init)
        if words.count >= 3, let i = words.firstIndex(where: { gluePoint(in: $0) != nil }), i > 0 && i < words.count - 1 {
            let w = words[i], cut = gluePoint(in: w)!
            let left = (words[..<i] + [String(w[..<cut])]).joined(separator: " ")
            let right = ([String(w[cut...])] + words[(i + 1)...]).joined(separator: " ")
            return [left] + unglued(right)
        }
        return [segment]
    }

    /// Where a lower-case letter is followed by a capital starting at least two more
    /// letters ("Chard|Ian"), except the name prefixes Mc/Mac/De/Di/Le/La/Van/O'.
    static func gluePoint(in word: String) -> String.Index? {
        let chars = Array(word)
        guard chars.count >= 4 else { return nil }
        for i in 1..<(chars.count - 2) where chars[i].isLowercase && chars[i + 1].isUppercase && chars[i + 2].isLowercase {
            let prefix = String(chars[0...i])
            if ["Mc", "Mac", "De", "Di", "Le", "La", "Van", "Du", "Da"].contains(prefix) { continue }
            return word.index(word.startIndex, offsetBy: i + 1)
        }
        return nil
    }
}
