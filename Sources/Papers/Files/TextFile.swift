import Foundation

/// A chair's or importer's text file decoded as what it is: UTF-8 (a byte-order mark
/// dropped), UTF-16 with its mark, else Windows-1252, the code page Excel and CMT save CSV
/// in on Western Windows. A file that is none of these is refused naming it, so an
/// accented name is never silently mangled (and a conflict on it never silently lost).
public enum TextFile {
    /// The decoded text and, when it was not UTF-8, the encoding used (for a note).
    public static func read(_ path: String) throws -> (text: String, encoding: String?) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProfileError("\(path): cannot read") }
        return try decode(data, path: path)
    }

    public static func decode(_ data: Data, path: String) throws -> (text: String, encoding: String?) {
        let bytes = [UInt8](data.prefix(3))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (try utf8(data.dropFirst(3), path: path), nil) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let s = String(data: data, encoding: .utf16) else { throw ProfileError("\(path): not valid UTF-16 text") }
            return (s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s, "UTF-16")
        }
        if let s = String(validatingUTF8: data) { return (s, nil) }
        // Five byte values have no character in Windows-1252; text holding them is something else.
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        if let bad = data.firstIndex(where: undefined.contains) {
            throw ProfileError("\(path): neither UTF-8 nor Windows-1252 text (byte 0x\(String(data[bad], radix: 16, uppercase: true)) at offset \(bad - data.startIndex)); save it as UTF-8")
        }
        guard let s = String(data: data, encoding: .windowsCP1252) else {
            throw ProfileError("\(path): neither UTF-8 nor Windows-1252 text; save it as UTF-8")
        }
        return (s, "Windows-1252")
    }

    static func utf8(_ data: Data, path: String) throws -> String {
        guard let s = String(validatingUTF8: data) else { throw ProfileError("\(path): starts with a UTF-8 mark but is not valid UTF-8") }
        return s
    }
}

private extension String {
    /// The bytes as UTF-8, or nil when they are not valid UTF-8 (no replacement characters).
    init?(validatingUTF8 data: Data) {
        guard let s = String(data: data, encoding: .utf8) else { return nil }
        self = s
    }
}
