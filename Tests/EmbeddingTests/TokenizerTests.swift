import Testing
@testable import Embedding

@Suite struct TokenizerTests {
    var tokenizer: WordPieceTokenizer { GoldenTests.embedder.model.tokenizer }

    func pieces(_ text: String) -> [String] {
        let names = Dictionary(uniqueKeysWithValues: tokenizer.vocabulary.map { ($1, $0) })
        return tokenizer.tokenize(text).dropFirst().dropLast().map { names[$0]! }
    }

    @Test("normalisation: case, accents, CJK, control characters, whitespace")
    func normalize() {
        #expect(WordPieceTokenizer.normalize("Ñandú CAFÉ") == "nandu cafe")
        #expect(WordPieceTokenizer.normalize("a\tb\nc\u{0}d\u{200B}e") == "a b cde")   // U+200B is a format character
        #expect(WordPieceTokenizer.normalize("深度x") == " 深  度 x")
    }

    @Test("ASCII shortcuts equal the Unicode property answers for all 128 characters")
    func asciiShortcuts() {
        var all = ""
        for v in UInt32(0)..<128 {
            let c = Unicode.Scalar(v)!
            all.unicodeScalars.append(c)
            #expect(WordPieceTokenizer.isWhitespace(c) == c.properties.isWhitespace, "U+\(v) whitespace")
            let category = c.properties.generalCategory
            let control = c != "\t" && c != "\n" && c != "\r" && [.control, .format, .surrogate, .privateUse, .unassigned].contains(category)
            #expect(WordPieceTokenizer.isControl(c) == control, "U+\(v) control")
            let punctuation = [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                               .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol].contains(category)
            #expect(WordPieceTokenizer.isPunctuation(c) == punctuation, "U+\(v) punctuation")
        }
        let text = all + " Mixed CASE, tabs\tand\r\nlines." + all
        #expect(WordPieceTokenizer.normalizeASCII(text) == WordPieceTokenizer.normalizeUnicode(text))
        #expect(WordPieceTokenizer.normalize("Ab\u{7F}C\u{1}d") == "abcd")
    }

    /// Expected pieces from Hugging Face `tokenizers` with the model's tokenizer.json.
    @Test("punctuation splits, ## continuations, unknown CJK characters")
    func wordPieces() {
        #expect(pieces("GVProf: value-profiler!") == ["g", "##v", "##pro", "##f", ":", "value", "-", "profile", "##r", "!"])
        #expect(pieces("深度") == ["[UNK]", "[UNK]"])
        #expect(pieces("e-mail@x.org") == ["e", "-", "mail", "@", "x", ".", "org"])
    }
}
