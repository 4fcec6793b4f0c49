import Embedding
import Foundation

/// The Semantic Scholar `abstracts` dataset, joined to `papers` by `corpusid` in
/// bounded memory: each abstract is copied once into a temporary file (in `$TMPDIR`, which
/// should be a disk, not tmpfs) and found again by its offset (a dictionary entry of about
/// 50 bytes per abstract in memory, the text on disk), since the two datasets are not in
/// the same order and their abstracts are larger than memory.
final class AbstractIndex {
    private var offsets: [Int64: (offset: Int64, length: Int32)] = [:]
    private let handle: FileHandle
    private let path: String
    /// Lines of the abstracts file that were not abstracts, with their line numbers.
    private(set) var problems: [(line: Int, reason: String)] = []

    init(file: String, progress: ((Int) -> Void)? = nil) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("refer-abstracts-\(getpid())-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw ImportError("\(path): cannot create a temporary file") }
        handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        unlink(path)   // gone from the folder now; the space is freed when the handle closes
        let reader = try LineReader(path: file)
        var end: Int64 = 0
        while let line = try reader.next() {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                let a: SemanticScholar.Abstract = try ImportError.decode(line)
                guard let id = a.corpusid else { throw ImportError("no 'corpusid'") }
                guard let text = a.abstract, !text.isEmpty else { continue }
                let bytes = Data(text.utf8)
                try handle.write(contentsOf: bytes)
                offsets[id] = (end, Int32(bytes.count))
                end += Int64(bytes.count)
            } catch let e as ImportError {
                problems.append((reader.lineNumber, e.reason))
            }
            if reader.lineNumber % 100_000 == 0 { progress?(reader.lineNumber) }
        }
    }

    deinit { try? handle.close() }

    /// The abstract of paper `corpusID`, or nil when the abstracts file has none.
    func abstract(of corpusID: Int64) throws -> String? {
        guard let (offset, length) = offsets[corpusID] else { return nil }
        try handle.seek(toOffset: UInt64(offset))
        return String(decoding: try handle.read(upToCount: Int(length)) ?? Data(), as: UTF8.self)
    }
}
