import CSystemZlib
import Foundation

/// Reads a text file line by line in constant memory, inflating gzip (one or more
/// members) as it goes; a plain file is read as it is. For corpora far larger than
/// memory: `refer import` and `refer ingest` stream through it.
///
///     let reader = try LineReader(path: "works.jsonl.gz")
///     while let line = try reader.next() { … reader.lineNumber … }
public final class LineReader {
    public let path: String
    /// The number of the line `next()` returned last (1-based).
    public private(set) var lineNumber = 0
    private let file: gzFile
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var pending: [UInt8] = []
    /// Where the next line starts in `pending`.
    private var start = 0
    /// `pending` up to here holds no newline after `start`.
    private var scanned = 0
    private var finished = false

    /// Opens `path` ("-" is standard input).
    public init(path: String) throws {
        self.path = path
        let opened: gzFile?
        if path == "-" {
            let fd = dup(0)
            opened = gzdopen(fd, "rb")
            if opened == nil { close(fd) }
        } else {
            opened = gzopen(path, "rb")
        }
        guard let opened else { throw EmbeddingError.unreadableInput(path: path) }
        file = opened
        gzbuffer(file, 1 << 18)
    }

    deinit { gzclose(file) }

    /// The next line without its line break ("\n" or "\r\n"), invalid UTF-8 repaired;
    /// nil at the end. A corrupt or truncated gzip stream is an error naming the file.
    public func next() throws -> String? {
        while true {
            if let newline = pending[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: pending[start..<end], as: UTF8.self)
                start = newline + 1
                lineNumber += 1
                return line
            }
            scanned = pending.count   // no newline up to here: a long line is not scanned again
            if finished {
                guard start < pending.count else { return nil }
                let end = pending.last == UInt8(ascii: "\r") ? pending.count - 1 : pending.count
                let line = String(decoding: pending[start..<end], as: UTF8.self)
                start = pending.count
                lineNumber += 1
                return line
            }
            // Drop what was returned before reading more, so the buffer holds one line at most.
            pending.removeSubrange(..<start)
            scanned -= start
            start = 0
            let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let message = String(cString: gzerror(file, &code))
                throw GunzipError(file: path, reason: "corrupt gzip data (\(message))")
            }
            if n == 0 {
                // gzread reports a stream cut short as end of file; gzerror tells them apart.
                var code: Int32 = 0
                _ = gzerror(file, &code)
                if code == Z_BUF_ERROR { throw GunzipError(file: path, reason: "truncated gzip data") }
                finished = true
            } else {
                pending.append(contentsOf: buffer[..<Int(n)])
            }
        }
    }
}
