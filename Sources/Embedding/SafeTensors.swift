import Foundation

/// A `.safetensors` file, memory-mapped: an 8-byte little-endian header length, a
/// JSON header mapping tensor names to `{dtype, shape, data_offsets}`, then the raw
/// data. Tensors are read in place from the map, never copied.
///
///     let file = try SafeTensors(path: dir + "/model.safetensors")
///     let w = try file.float32("encoder.layer.0.attention.self.query.weight", shape: [384, 384])
public final class SafeTensors: @unchecked Sendable {
    public struct Info: Equatable, Sendable {
        public let dtype: String
        public let shape: [Int]
        public let range: Range<Int>
    }

    public let path: String
    public let tensors: [String: Info]
    private let base: UnsafeRawPointer
    private let size: Int
    private let dataStart: Int

    public init(path: String) throws {
        self.path = path
        func bad(_ why: String) -> EmbeddingError { .badModelFile(path: path, reason: why) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw bad("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw bad("cannot stat: \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        guard size >= 8 else { throw bad("truncated: \(size) bytes, shorter than the 8-byte header length") }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw bad("cannot map: \(String(cString: strerror(errno)))")
        }
        var mapped = false
        defer { if !mapped { munmap(p, size) } }   // unmapped again if the file is refused
        let base = UnsafeRawPointer(p)
        let headerLength = Int(UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)))
        guard headerLength > 0, headerLength <= size - 8 else {
            throw bad("truncated: header length \(headerLength) but the file has \(size) bytes")
        }
        let headerBytes = Data(bytes: base + 8, count: headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw bad("the header is not a JSON object")
        }
        var tensors: [String: Info] = [:]
        let payload = size - 8 - headerLength
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw bad("tensor '\(name)' has a malformed header entry")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= payload else {
                throw bad("truncated: tensor '\(name)' needs bytes \(offsets[0])..<\(offsets[1]) of a \(payload)-byte payload")
            }
            tensors[name] = Info(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.tensors = tensors
        self.base = base
        self.size = size
        self.dataStart = 8 + headerLength
        mapped = true
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// A Float32 tensor, checked for dtype and shape, as a copy-free view valid as long
    /// as this file object lives.
    public func float32(_ name: String, shape: [Int]) throws -> UnsafeBufferPointer<Float> {
        guard let info = tensors[name] else { throw EmbeddingError.badModelFile(path: path, reason: "missing tensor '\(name)'") }
        guard info.dtype == "F32" else {
            throw EmbeddingError.badModelFile(path: path, reason: "tensor '\(name)' is \(info.dtype), expected F32")
        }
        guard info.shape == shape else {
            throw EmbeddingError.badModelFile(path: path, reason: "tensor '\(name)' has shape \(info.shape), expected \(shape)")
        }
        let count = shape.reduce(1, *)
        guard info.range.count == count * 4 else {
            throw EmbeddingError.badModelFile(path: path, reason: "tensor '\(name)' holds \(info.range.count) bytes, its shape needs \(count * 4)")
        }
        let start = base + dataStart + info.range.lowerBound
        guard Int(bitPattern: start) % 4 == 0 else {
            throw EmbeddingError.badModelFile(path: path, reason: "tensor '\(name)' is not 4-byte aligned")
        }
        return UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: count)
    }
}
