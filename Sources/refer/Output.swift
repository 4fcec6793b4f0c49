import Foundation

/// A line on standard error (progress, reports, rejected input).
func stderr(_ line: String) {
    FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
}

/// Pretty, stable JSON (sorted keys): what every `--json` prints and writes.
func jsonData<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// `--json` to standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    print(String(decoding: try jsonData(value), as: UTF8.self))
}

/// `--json FILE`: written atomically, its folder made if missing.
func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    try jsonData(value).write(to: URL(fileURLWithPath: path), options: .atomic)
}

/// Standard output written in 1 MiB blocks (one write per line costs a system call each:
/// a streamed import writes millions of lines).
final class BufferedStandardOutput {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 20) }
    deinit { flush() }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { FileHandle.standardOutput.write(Data($0)) }
        buffer.removeAll(keepingCapacity: true)
    }
}
