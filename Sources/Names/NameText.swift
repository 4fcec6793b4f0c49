import Foundation

/// One person's name as text: markup and LaTeX removed, then folded into the tokens
/// that every comparison of names reads (``PersonName``). Shared by the store's author
/// index and every importer, so that one spelling rule holds everywhere.
public enum NameText {
    /// One name without markup, LaTeX, footnote marks, quotes or stray punctuation:
    /// `"Bal\\'azs K\\'egl"` is "Balázs Kégl", `"**Zhen Zheng**"` is "Zhen Zheng".
    public static func clean(_ name: String) -> String {
        var s = stripMarkup(name)
        s = s.replacingOccurrences(of: "\u{00A0}", with: " ")
        if s.lowercased().hasPrefix("and ") { s = String(s.dropFirst(4)) }
        s = s.trimmingCharacters(in: trimmable)
        if s.hasSuffix("."), !lastTokenIsInitial(s) { s.removeLast() }
        return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Lower-cased, accent-folded tokens of a name, "Last, First" turned around:
    /// "Zhang, Minjia", "Minjia Zhang" and "MINJIA ZHANG" give ["minjia", "zhang"].
    public static func tokens(of name: String) -> [String] {
        asciiTokens(of: name) ?? foldedTokens(of: name)
    }

    /// ``tokens(of:)`` for any name, through Foundation's case and accent folding.
    static func foldedTokens(of name: String) -> [String] {
        var s = clean(name)
        if let comma = s.firstIndex(of: ","), s.filter({ $0 == "," }).count == 1 {
            s = String(s[s.index(after: comma)...]) + " " + String(s[..<comma])
        }
        var folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        // Letters that carry no combining accent, so folding leaves them: "Søren" is "Soren".
        if folded.unicodeScalars.contains(where: { $0.value >= 0xC0 }) {
            folded = String(folded.flatMap { unaccented[$0] ?? String($0) })
        }
        return folded.components(separatedBy: notNameCharacters).filter { !$0.isEmpty }
    }

    /// ``tokens(of:)`` in one pass over the bytes of a plain ASCII name (most names; the
    /// Foundation path costs 20x more), nil when the name has other characters or markup.
    /// The same steps: trim white space, a leading "and ", trimmable punctuation; turn
    /// "Last, First" around; lower case; split on everything but letters and digits.
    static func asciiTokens(of name: String) -> [String]? {
        var bytes = Array(name.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "{") })
        else { return nil }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        func trim(_ drop: (UInt8) -> Bool) {
            while let f = bytes.first, drop(f) { bytes.removeFirst() }
            while let l = bytes.last, drop(l) { bytes.removeLast() }
        }
        trim(isSpace)
        if bytes.count >= 4, bytes[0] | 0x20 == UInt8(ascii: "a"), bytes[1] | 0x20 == UInt8(ascii: "n"),
           bytes[2] | 0x20 == UInt8(ascii: "d"), bytes[3] == 0x20 { bytes.removeFirst(4) }
        trim { isSpace($0) || asciiTrimmable.contains($0) }
        if bytes.count(where: { $0 == UInt8(ascii: ",") }) == 1, let comma = bytes.firstIndex(of: UInt8(ascii: ",")) {
            bytes = Array(bytes[(comma + 1)...]) + [0x20] + Array(bytes[..<comma])
        }
        var tokens: [String] = [], current: [UInt8] = []
        for b in bytes + [0x20] {
            let lower = (0x41...0x5A).contains(b) ? b | 0x20 : b
            if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) { current.append(lower); continue }
            if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)); current.removeAll(keepingCapacity: true) }
        }
        return tokens
    }

    /// Lower-case letters without a decomposition, as their plain spelling.
    static let unaccented: [Character: String] = ["ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d",
                                                  "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n"]

    /// The ASCII part of ``trimmable`` beyond white space.
    static let asciiTrimmable: Set<UInt8> = Set("*\"'`,;:#-".utf8)

    /// Removes LaTeX (accents become characters), markdown emphasis, escapes, HTML tags
    /// and footnote stars.
    public static func stripMarkup(_ text: String) -> String {
        // Most names carry no markup; the regular expressions below cost far more than this scan.
        guard text.contains(where: { $0 == "<" || $0 == "*" || $0 == "\\" || $0 == "{" }) else {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var s = text.contains(where: { $0 == "\\" || $0 == "{" }) ? LaTeX.toText(text) : text
        s = s.replacingOccurrences(of: "\\", with: "")   // a markdown line break's trailing backslash
        s = s.replacingOccurrences(of: "<sup>", with: " <sup>")
        s = s.replacingOccurrences(of: #"<sup>.*?</sup>"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: "*", with: "")
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What ``clean(_:)`` trims from both ends of a name.
    static let trimmable = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "*\"'`,;:†‡§¶#-–"))
    /// What separates the tokens of a name.
    static let notNameCharacters = CharacterSet.letters.union(.decimalDigits).inverted

    static func lastTokenIsInitial(_ s: String) -> Bool {
        guard let last = s.split(separator: " ").last else { return false }
        return last.count == 2 && last.first!.isUppercase && last.last == "."
    }
}
