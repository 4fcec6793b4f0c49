import CSystemZlib
import Foundation

/// Inflates gzip data (one or more concatenated members), for `.gz` corpora.
public enum Gunzip {
    /// True when `data` starts with the gzip magic bytes.
    public static func isGzip(_ data: Data) -> Bool { data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b }

    /// The inflated bytes; a corrupt or truncated stream is an error naming `file`.
    public static func inflate(_ data: Data, file: String) throws -> Data {
        var stream = z_stream()
        // 15 + 32: any window size, gzip or zlib header detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw EmbeddingError.unreadableInput(path: file)
        }
        defer { inflateEnd(&stream) }
        var out = Data()
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { b -> Int32 in
                    stream.next_out = b.baseAddress; stream.avail_out = uInt(chunk)
                    return CSystemZlib.inflate(&stream, Z_NO_FLUSH)
                }
                out.append(contentsOf: buffer[0..<(chunk - Int(stream.avail_out))])
                if status == Z_STREAM_END {
                    // Concatenated members (what `cat a.gz b.gz` makes): start the next one.
                    guard stream.avail_in > 0 else { return }
                    guard inflateReset(&stream) == Z_OK else { throw GunzipError(file: file, reason: "cannot restart after a member") }
                    continue
                }
                guard status == Z_OK else { throw GunzipError(file: file, reason: status == Z_BUF_ERROR ? "truncated gzip data" : "corrupt gzip data (zlib status \(status))") }
                if stream.avail_in == 0 && stream.avail_out != 0 { throw GunzipError(file: file, reason: "truncated gzip data") }
            }
        }
        return out
    }
}

/// A `.gz` input that cannot be inflated.
public struct GunzipError: Error, CustomStringConvertible, Equatable {
    public let file: String, reason: String
    public var description: String { "\(file): \(reason)" }
}
