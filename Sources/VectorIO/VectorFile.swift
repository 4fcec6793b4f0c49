import Foundation

/// The vector file formats refer reads and writes.
/// - big-ann-benchmarks: `uint32 rows, uint32 columns`, then the elements row-major
///   (`.fbin` float32, `.ibin` int32, `.u8bin` uint8, `.i8bin` int8).
/// - TEXMEX: every row is `int32 columns` followed by its elements
///   (`.fvecs` float32, `.ivecs` int32, `.bvecs` uint8).
/// All little-endian.
public enum VectorFormat: String, Sendable, CaseIterable {
    case fbin, ibin, u8bin, i8bin, fvecs, ivecs, bvecs

    /// The format a path's extension names.
    public init(path: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard let f = VectorFormat(rawValue: ext) else {
            throw VectorFileError(path: path, message: "unknown vector file extension '.\(ext)' (expected one of \(VectorFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")))")
        }
        self = f
    }

    public var isTexmex: Bool { self == .fvecs || self == .ivecs || self == .bvecs }

    var elementSize: Int {
        switch self { case .fbin, .ibin, .fvecs, .ivecs: 4; case .u8bin, .i8bin, .bvecs: 1 }
    }

    var elementName: String {
        switch self {
        case .fbin, .fvecs: "float32"
        case .ibin, .ivecs: "int32"
        case .u8bin, .bvecs: "uint8"
        case .i8bin: "int8"
        }
    }

    func holds<T>(_: T.Type) -> Bool {
        switch self {
        case .fbin, .fvecs: T.self == Float.self
        case .ibin, .ivecs: T.self == Int32.self
        case .u8bin, .bvecs: T.self == UInt8.self
        case .i8bin: T.self == Int8.self
        }
    }
}

/// A vector file that cannot be read or written; the message names the file and
/// what is wrong with it.
public struct VectorFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// Reading and writing vector files. Big-ann files are memory-mapped (no copy);
/// TEXMEX files are copied once to drop the per-row headers.
public enum VectorFile {
    /// Reads a file whose elements are exactly `T` (Float for .fbin/.fvecs, Int32 for
    /// .ibin/.ivecs, UInt8 for .u8bin/.bvecs, Int8 for .i8bin).
    public static func read<T: BitwiseCopyable>(_ path: String, as: T.Type = T.self) throws -> Matrix<T> {
        let format = try VectorFormat(path: path)
        guard format.holds(T.self) else {
            throw VectorFileError(path: path, message: ".\(format.rawValue) holds \(format.elementName), not \(T.self)")
        }
        let file = try MappedFile(path: path)
        return format.isTexmex ? try readTexmex(file, format: format) : try readBigANN(file, format: format)
    }

    /// Reads any vector file as Float32 rows (byte formats are widened).
    public static func readFloats(_ path: String) throws -> Matrix<Float> {
        switch try VectorFormat(path: path) {
        case .fbin, .fvecs: return try read(path, as: Float.self)
        case .u8bin, .bvecs: return widen(try read(path, as: UInt8.self)) { Float($0) }
        case .i8bin: return widen(try read(path, as: Int8.self)) { Float($0) }
        case .ibin, .ivecs:
            throw VectorFileError(path: path, message: "holds int32 ids, not vectors")
        }
    }

    /// Reads ids (`.ibin` or `.ivecs`).
    public static func readInts(_ path: String) throws -> Matrix<Int32> { try read(path, as: Int32.self) }

    /// Writes `matrix` in the format the path's extension names, atomically
    /// (a temporary file renamed into place).
    public static func write<T: BitwiseCopyable>(_ matrix: Matrix<T>, to path: String) throws {
        let format = try VectorFormat(path: path)
        guard format.holds(T.self) else {
            throw VectorFileError(path: path, message: ".\(format.rawValue) holds \(format.elementName), not \(T.self)")
        }
        guard matrix.rows <= Int(UInt32.max), matrix.columns <= Int(Int32.max) else {
            throw VectorFileError(path: path, message: "\(matrix.rows) x \(matrix.columns) is too large for .\(format.rawValue)")
        }
        let tmp = path + ".tmp-\(getpid())"
        guard let f = fopen(tmp, "wb") else {
            throw VectorFileError(path: path, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        var ok = true
        func put(_ p: UnsafeRawPointer, _ n: Int) { if n > 0 && fwrite(p, 1, n, f) != n { ok = false } }
        let rowBytes = matrix.columns * MemoryLayout<T>.size
        if format.isTexmex {
            var dim = Int32(matrix.columns).littleEndian
            for r in 0..<matrix.rows {
                put(&dim, 4)
                put(UnsafeRawPointer(matrix.base + r * matrix.columns), rowBytes)
            }
        } else {
            var header = (UInt32(matrix.rows).littleEndian, UInt32(matrix.columns).littleEndian)
            put(&header, 8)
            put(UnsafeRawPointer(matrix.base), rowBytes * matrix.rows)
        }
        if fclose(f) != 0 { ok = false }
        guard ok, rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw VectorFileError(path: path, message: "write failed: \(reason)")
        }
    }

    // MARK: - Formats

    private static func readBigANN<T>(_ file: MappedFile, format: VectorFormat) throws -> Matrix<T> {
        guard file.size >= 8 else {
            throw VectorFileError(path: file.path, message: file.size == 0 ? "empty file" : "truncated: \(file.size) bytes, shorter than the 8-byte header")
        }
        let rows = Int(UInt32(littleEndian: file.bytes.loadUnaligned(as: UInt32.self)))
        let cols = Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        let expected = 8 + rows * cols * format.elementSize
        guard cols > 0 || rows == 0 else {
            throw VectorFileError(path: file.path, message: "header says \(rows) rows of dimension 0")
        }
        guard file.size == expected else {
            let what = file.size < expected ? "truncated" : "longer than its header says"
            throw VectorFileError(path: file.path, message: "\(what): header says \(rows) x \(cols) \(format.elementName) (\(expected) bytes) but the file has \(file.size) bytes")
        }
        // Offset 8 keeps 4-byte elements aligned in a page-aligned map.
        let base = (file.bytes + 8).assumingMemoryBound(to: T.self)
        return Matrix(rows: rows, columns: cols, base: base, fileMapped: true, release: { withExtendedLifetime(file) {} })
    }

    private static func readTexmex<T: BitwiseCopyable>(_ file: MappedFile, format: VectorFormat) throws -> Matrix<T> {
        guard file.size > 0 else { throw VectorFileError(path: file.path, message: "empty file") }
        guard file.size >= 4 else { throw VectorFileError(path: file.path, message: "truncated: \(file.size) bytes, shorter than a row header") }
        let cols = Int(Int32(littleEndian: file.bytes.loadUnaligned(as: Int32.self)))
        guard cols > 0 else { throw VectorFileError(path: file.path, message: "row 0 has dimension \(cols)") }
        let rowBytes = 4 + cols * format.elementSize
        guard file.size % rowBytes == 0 else {
            throw VectorFileError(path: file.path, message: "truncated: \(file.size) bytes is not a whole number of \(rowBytes)-byte rows of dimension \(cols)")
        }
        let rows = file.size / rowBytes
        let out = Matrix<T>(rows: rows, columns: cols)
        let dst = UnsafeMutableRawPointer(out.mutableBase)
        for r in 0..<rows {
            let row = file.bytes + r * rowBytes
            let d = Int(Int32(littleEndian: row.loadUnaligned(as: Int32.self)))
            guard d == cols else {
                throw VectorFileError(path: file.path, message: "row \(r) has dimension \(d), expected \(cols)")
            }
            dst.advanced(by: r * cols * format.elementSize).copyMemory(from: row + 4, byteCount: cols * format.elementSize)
        }
        return out
    }

    private static func widen<T>(_ m: Matrix<T>, _ convert: (T) -> Float) -> Matrix<Float> {
        let out = Matrix<Float>(rows: m.rows, columns: m.columns)
        for i in 0..<m.count { out.mutableBase[i] = convert(m.base[i]) }
        return out
    }
}

/// A whole file mapped read-only into memory; unmapped when released.
final class MappedFile: @unchecked Sendable {
    let path: String
    let size: Int
    let bytes: UnsafeRawPointer

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw VectorFileError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw VectorFileError(path: path, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw VectorFileError(path: path, message: "not a regular file")
        }
        size = Int(st.st_size)
        if size == 0 {
            bytes = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8))
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw VectorFileError(path: path, message: "cannot map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawPointer(p)
    }

    deinit {
        if size == 0 { UnsafeMutableRawPointer(mutating: bytes).deallocate() }
        else { munmap(UnsafeMutableRawPointer(mutating: bytes), size) }
    }
}
