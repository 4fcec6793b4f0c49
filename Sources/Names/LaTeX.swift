import Foundation

/// LaTeX as BibTeX files and arXiv metadata write text: accents and special letters.
public enum LaTeX {
    /// Braces dropped, LaTeX accents and escapes turned into characters (NFC):
    /// `\'e`, `\'{e}`, `{\"o}`, `\c{c}`, `\ss`, `\o`, `\l`; `~` is a space, `--` an en dash.
    /// A backslash before punctuation (a markdown escape such as `\*`) keeps the punctuation.
    public static func toText(_ s: String) -> String {
        let chars = Array(s)
        var out = "", i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let n = chars[i + 1]
                // A letter accent (\c{c}, \v s) is one only before a brace or a space: \chi and \cdot are other commands.
                let letterAccentApplies = !n.isLetter || (i + 2 < chars.count && (chars[i + 2] == "{" || chars[i + 2] == " "))
                if let mark = combiningAccents[n], letterAccentApplies {
                    // \'e, \'{e}, \c{c}, \" o
                    var j = i + 2
                    while j < chars.count, chars[j] == " " || chars[j] == "{" { j += 1 }
                    if j < chars.count, chars[j].isLetter || chars[j] == "\\" {
                        // \'{\i} is an accented dotless i: read the letter's own command first.
                        var base = String(chars[j]); j += 1
                        if base == "\\" {
                            var k = j
                            while k < chars.count, chars[k].isLetter { k += 1 }
                            let word = String(chars[j..<k])
                            base = word == "i" ? "i" : word == "j" ? "j" : (namedLetters[word] ?? word)
                            j = k
                        }
                        out += base + String(Character(mark))
                        while j < chars.count, chars[j] == "}" { j += 1 }
                        i = j; continue
                    }
                }
                if n.isLetter {
                    var j = i + 1
                    while j < chars.count, chars[j].isLetter { j += 1 }
                    let word = String(chars[(i + 1)..<j])
                    out += namedLetters[word] ?? ""
                    // "\ss{}" and "\o " end at the braces or the space that closes the command.
                    if j + 1 < chars.count, chars[j] == "{", chars[j + 1] == "}" { j += 2 }
                    else if j < chars.count, chars[j] == " ", namedLetters[word] != nil { j += 1 }
                    i = j; continue
                }
                out.append(n); i += 2; continue
            }
            if c == "{" || c == "}" { i += 1; continue }
            if c == "~" { out += " "; i += 1; continue }
            out.append(c); i += 1
        }
        return out.replacingOccurrences(of: "---", with: "—").replacingOccurrences(of: "--", with: "–")
            .precomposedStringWithCanonicalMapping
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static let combiningAccents: [Character: Unicode.Scalar] = [
        "'": "\u{301}", "`": "\u{300}", "^": "\u{302}", "\"": "\u{308}", "~": "\u{303}", "=": "\u{304}",
        ".": "\u{307}", "c": "\u{327}", "v": "\u{30C}", "u": "\u{306}", "H": "\u{30B}", "k": "\u{328}", "r": "\u{30A}",
    ]
    static let namedLetters: [String: String] = [
        "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
        "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
    ]

}
