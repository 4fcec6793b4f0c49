import Foundation

/// The uncased BERT tokenizer, behaving like Hugging Face's `BertTokenizer` /
/// `tokenizers` `BertNormalizer + BertPreTokenizer + WordPiece` as configured for
/// all-MiniLM-L6-v2:
/// 1. clean: drop NUL, U+FFFD and control/format/unassigned characters; every
///    whitespace character becomes a space (tab, CR and LF count as whitespace);
/// 2. put spaces around CJK ideographs, so each is a word of its own;
/// 3. strip accents (NFD, then drop non-spacing marks), then lower-case;
/// 4. split on whitespace, and make every punctuation character a word;
/// 5. WordPiece: greedy longest match from the vocabulary, continuations prefixed
///    `##`; a word with no full match, or longer than 100 characters, is `[UNK]`;
/// 6. `[CLS] ... [SEP]`, truncated to `maxTokens` (256) in all.
///
///     let tokenizer = try WordPieceTokenizer(vocabularyFile: dir + "/vocab.txt")
///     tokenizer.tokenize("Hello, world!")   // [101, 7592, 1010, 2088, 999, 102]
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: [String: Int32]
    public let maxTokens: Int
    public let unknown: Int32
    public let classify: Int32
    public let separator: Int32
    static let maxWordCharacters = 100

    public init(vocabularyFile path: String, maxTokens: Int = 256) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EmbeddingError.badModelFile(path: path, reason: "cannot read the vocabulary")
        }
        var vocabulary: [String: Int32] = [:]
        var id: Int32 = 0
        text.enumerateLines { line, _ in
            vocabulary[line] = vocabulary[line] ?? id
            id += 1
        }
        guard let unk = vocabulary["[UNK]"], let cls = vocabulary["[CLS]"], let sep = vocabulary["[SEP]"] else {
            throw EmbeddingError.badModelFile(path: path, reason: "the vocabulary lacks [UNK], [CLS] or [SEP]")
        }
        self.vocabulary = vocabulary
        self.maxTokens = maxTokens
        unknown = unk; classify = cls; separator = sep
    }

    /// Token ids of `text`, `[CLS]` first and `[SEP]` last.
    public func tokenize(_ text: String) -> [Int32] {
        var ids: [Int32] = [classify]
        let budget = maxTokens - 2
        for word in Self.words(Self.normalize(text)) {
            for piece in wordPieces(word) {
                guard ids.count - 1 < budget else { ids.append(separator); return ids }
                ids.append(piece)
            }
        }
        ids.append(separator)
        return ids
    }

    /// Steps 1 to 3: cleaned, CJK-spaced, accent-free, lower-case text.
    static func normalize(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x80 }) ? normalizeASCII(text) : normalizeUnicode(text)
    }

    /// ``normalize(_:)`` for ASCII text, byte by byte and without Unicode property lookups
    /// (most of the tokenizer's time before): controls dropped, tab, LF and CR made spaces,
    /// A-Z lower-cased; ASCII has no CJK, accents or decompositions. `TokenizerTests`
    /// checks it against ``normalizeUnicode(_:)`` for every ASCII character.
    static func normalizeASCII(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if b == 9 || b == 10 || b == 13 { bytes.append(32) }
            else if b < 32 || b == 127 { continue }
            else { bytes.append(b >= 65 && b <= 90 ? b + 32 : b) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``normalize(_:)`` for any text.
    static func normalizeUnicode(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if c.value == 0 || c.value == 0xFFFD || isControl(c) { continue }
            if isWhitespace(c) { cleaned.append(" "); continue }
            if isCJK(c) { cleaned.append(" "); cleaned.append(c); cleaned.append(" "); continue }
            cleaned.append(c)
        }
        var out = String.UnicodeScalarView()
        for c in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
        where c.properties.generalCategory != .nonspacingMark {
            out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
        }
        return String(out)
    }

    /// Step 4: words and single punctuation characters, in order.
    static func words(_ text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for c in text.unicodeScalars {
            if isWhitespace(c) {
                if !current.isEmpty { words.append(current); current = [] }
            } else if isPunctuation(c) {
                if !current.isEmpty { words.append(current); current = [] }
                words.append([c])
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Step 5 for one word.
    func wordPieces(_ word: [Unicode.Scalar]) -> [Int32] {
        guard word.count <= Self.maxWordCharacters else { return [unknown] }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32? = nil
            while start < end {
                var candidate = start > 0 ? "##" : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[candidate] { found = id; break }
                end -= 1
            }
            guard let id = found else { return [unknown] }
            pieces.append(id)
            start = end
        }
        return pieces
    }

    // ASCII answers come first, equal to the property lookups they skip (White_Space is
    // 9-13 and 32 there; controls 0-31 and 127; punctuation the four ranges below).
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 128 { return c.value == 32 || (9...13).contains(c.value) }
        return c.properties.isWhitespace
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c == "\t" || c == "\n" || c == "\r" { return false }
        if c.value < 128 { return c.value < 32 || c.value == 127 }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        if v < 128 { return false }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    static func isCJK(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}
