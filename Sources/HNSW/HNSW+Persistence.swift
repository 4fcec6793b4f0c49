import Foundation
import Kernels

/// One file holds a whole index:
///
///     header   64 bytes: "REFERHNS", version, dimension, metric, quantizer (byte 17: 0 none,
///              1 8-bit codes, 2 4-bit codes), storage
///              (byte 18: 0 float32, 1 float16, 2 int8), traversal code bits (byte 19:
///              0 none, 8 or 4), M, efConstruction, seed, slot count, entry point, top
///              level, deleted and free counts, rows the codes were learned from
///              (bytes 60-63; 0 = fixed by the caller, never learned again)
///     levels   slotCount x u8          (255 marks a free slot)
///     arena    slotCount x node stride (level-0 links and vectors, as in memory)
///     upper    level x (1 + M) x u32 for every node above level 0, in id order
///     deleted  ceil(slotCount / 64) x u64 bitset
///     free     freeCount x u32
///     quantizer (only when header byte 17 is not 0) lower: dim x f32, step: dim x f32
///              (the codes are inside the arena's node records)
///     checksum u64 over everything before it
///
/// All little-endian. Loading checks the checksum, every count against the file size
/// and every link against the slot count, so a damaged file is refused, never trusted.
extension HNSWIndex {
    static let fileMagic: UInt64 = 0x534E_4848_5245_4645   // "REFERHNS" little-endian
    static let fileVersion: UInt32 = 1
    static let headerSize = 64

    /// Writes the index to `path` atomically (temporary file, then rename).
    public func save(to path: String) throws {
        try structure.write {
            let tmp = path + ".tmp-\(getpid())"
            guard let file = fopen(tmp, "wb") else { throw HNSWError.io(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
            var writer = ChecksumWriter(file: file)
            var header = [UInt8](repeating: 0, count: Self.headerSize)
            header.withUnsafeMutableBytes { h in
                h.storeBytes(of: Self.fileMagic.littleEndian, toByteOffset: 0, as: UInt64.self)
                h.storeBytes(of: Self.fileVersion.littleEndian, toByteOffset: 8, as: UInt32.self)
                h.storeBytes(of: UInt32(dimension).littleEndian, toByteOffset: 12, as: UInt32.self)
                h.storeBytes(of: metric.code, toByteOffset: 16, as: UInt8.self)
                h.storeBytes(of: UInt8(quantizer.map { $0.bits == 8 ? 1 : 2 } ?? 0), toByteOffset: 17, as: UInt8.self)
                h.storeBytes(of: configuration.storage.code, toByteOffset: 18, as: UInt8.self)
                h.storeBytes(of: UInt8(configuration.traversalCodeBits ?? 0), toByteOffset: 19, as: UInt8.self)
                let trained = codeTrainingRows == Int.max ? 0 : UInt32(min(codeTrainingRows, Int(UInt32.max)))
                h.storeBytes(of: trained.littleEndian, toByteOffset: 60, as: UInt32.self)
                h.storeBytes(of: UInt32(configuration.m).littleEndian, toByteOffset: 20, as: UInt32.self)
                h.storeBytes(of: UInt32(configuration.efConstruction).littleEndian, toByteOffset: 24, as: UInt32.self)
                h.storeBytes(of: configuration.seed.littleEndian, toByteOffset: 28, as: UInt64.self)
                h.storeBytes(of: UInt64(slotCount).littleEndian, toByteOffset: 36, as: UInt64.self)
                h.storeBytes(of: entryPoint.littleEndian, toByteOffset: 44, as: UInt32.self)
                h.storeBytes(of: UInt32(maxLevel).littleEndian, toByteOffset: 48, as: UInt32.self)
                h.storeBytes(of: UInt32(deletedCount).littleEndian, toByteOffset: 52, as: UInt32.self)
                h.storeBytes(of: UInt32(freeSlots.count).littleEndian, toByteOffset: 56, as: UInt32.self)
                writer.write(h.baseAddress!, h.count)
            }
            writer.write(levels, slotCount)
            forEachUsedChunk { chunk, bytes in writer.write(chunk, bytes) }
            for i in 0..<slotCount where levels[i] != Self.freeSlotLevel && levels[i] > 0 {
                writer.write(upperLinks[i]!, Int(levels[i]) * (maxLinks + 1) * 4)
            }
            writer.write(deletedBits, (slotCount + 63) / 64 * 8)
            freeSlots.withUnsafeBytes { writer.write($0.baseAddress ?? UnsafeRawPointer(levels), $0.count) }
            if let quantizer {
                quantizer.lower.withUnsafeBytes { writer.write($0.baseAddress!, $0.count) }
                quantizer.step.withUnsafeBytes { writer.write($0.baseAddress!, $0.count) }
            }
            var sum = writer.checksum.littleEndian
            writer.writeRaw(&sum, 8)
            let ok = writer.ok && fclose(file) == 0
            guard ok, rename(tmp, path) == 0 else {
                let why = String(cString: strerror(errno))
                unlink(tmp)
                throw HNSWError.io(path: path, reason: "write failed: \(why)")
            }
        }
    }

    /// Reads an index written by ``save(to:)``.
    public static func load(from path: String) throws -> HNSWIndex {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HNSWError.io(path: path, reason: "cannot read the file")
        }
        func corrupt(_ why: String) -> HNSWError { .corruptFile(path: path, reason: why) }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> HNSWIndex in
            guard raw.count >= headerSize + 8 else { throw corrupt("file is \(raw.count) bytes, shorter than the header") }
            func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
            func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
            guard u64(0) == fileMagic else { throw corrupt("wrong magic number") }
            guard u32(8) == fileVersion else { throw corrupt("format version \(u32(8)), this build reads \(fileVersion)") }
            let stored = u64(raw.count - 8)
            guard checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 8)])) == stored else {
                throw corrupt("checksum mismatch (the file is damaged or truncated)")
            }
            guard let metric = Metric(code: raw[16]) else { throw corrupt("unknown metric code \(raw[16])") }
            guard let storage = VectorStorage(code: raw[18]) else { throw corrupt("unknown vector storage code \(raw[18])") }
            guard raw[17] <= 2 else { throw corrupt("unknown quantizer code \(raw[17])") }
            // Traversal codes: byte 19; files from before it say so only through the quantizer.
            let codeBits: Int? = raw[19] != 0 ? Int(raw[19]) : (raw[17] != 0 && storage != .int8 ? (raw[17] == 2 ? 4 : 8) : nil)
            if let codeBits, raw[17] != 0, codeBits != (raw[17] == 2 ? 4 : 8) {
                throw corrupt("traversal codes of \(codeBits) bits with a quantizer of \(raw[17] == 2 ? 4 : 8)")
            }
            let config = HNSWConfiguration(dimension: Int(u32(12)), metric: metric, m: Int(u32(20)),
                                           efConstruction: Int(u32(24)), seed: u64(28), storage: storage,
                                           traversalCodeBits: codeBits)
            do { try config.validate() } catch { throw corrupt("\(error)") }
            let slots = Int(u64(36))
            guard slots <= Int(UInt32.max) else { throw corrupt("slot count \(slots) out of range") }
            let index = try HNSWIndex(config, capacity: max(1, slots))
            guard storage != .int8 || raw[17] == 1 || (slots == 0 && raw[17] == 0) else {
                throw corrupt("int8 storage needs its 8-bit quantizer (byte 17 is \(raw[17]))")
            }
            guard codeBits == nil || raw[17] != 0 || slots == 0 else { throw corrupt("traversal codes without their quantizer") }
            if raw[17] != 0 {
                // The quantizer sits just before the checksum; the records need its layout first.
                let dim = config.dimension
                guard raw.count >= headerSize + 8 + 8 * dim else { throw corrupt("file ends early (quantizer)") }
                let at = raw.count - 8 - 8 * dim
                let floats = { (o: Int) in (0..<dim).map { raw.loadUnaligned(fromByteOffset: o + $0 * 4, as: Float.self) } }
                let trained = Int(u32(60))
                index.adoptQuantizer(ScalarQuantizer(lower: floats(at), step: floats(at + 4 * dim), bits: raw[17] == 2 ? 4 : 8),
                                     trainedRows: trained == 0 ? Int.max : trained)
            }
            var offset = headerSize
            func take(_ n: Int) throws -> UnsafeRawPointer {
                guard n >= 0, offset + n <= raw.count - 8 else { throw corrupt("file ends early (section at byte \(offset) needs \(n) bytes)") }
                defer { offset += n }
                return raw.baseAddress! + offset
            }
            index.levels.update(from: try take(slots).assumingMemoryBound(to: UInt8.self), count: slots)
            index.slotCount = slots
            try index.forEachUsedChunk { chunk, bytes in chunk.copyMemory(from: try take(bytes), byteCount: bytes) }
            for i in 0..<slots where index.levels[i] != freeSlotLevel && index.levels[i] > 0 {
                let level = Int(index.levels[i])
                guard level <= maxLevelCap else { throw corrupt("node \(i) has level \(level)") }
                let words = level * (index.maxLinks + 1)
                let block = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
                UnsafeMutableRawPointer(block).copyMemory(from: try take(words * 4), byteCount: words * 4)
                index.upperLinks[i] = block
            }
            let bitBytes = (slots + 63) / 64 * 8
            UnsafeMutableRawPointer(index.deletedBits).copyMemory(from: try take(bitBytes), byteCount: bitBytes)
            let freeCount = Int(u32(56))
            let free = try take(freeCount * 4)
            index.freeSlots = (0..<freeCount).map { UInt32(littleEndian: free.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
            if raw[17] != 0 { _ = try take(8 * config.dimension) }   // read above
            guard offset == raw.count - 8 else { throw corrupt("\(raw.count - 8 - offset) unexpected bytes after the last section") }
            index.entryPoint = u32(44)
            index.maxLevel = Int(u32(48))
            index.deletedCount = Int(u32(52))
            if let problem = index.structuralProblem() { throw corrupt(problem) }
            return index
        }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var c = Checksum64()
        c.update(bytes)
        return c.value
    }
}

/// A streaming 64-bit checksum: 8-byte words folded with a multiply-xorshift mix
/// (fast, not cryptographic). Feeding the bytes in any split gives the same value.
struct Checksum64 {
    private var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var total = 0
    private var tail: UInt64 = 0
    private var tailCount = 0

    @inline(__always) private mutating func fold(_ word: UInt64) {
        h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        var i = 0
        while tailCount > 0 && i < bytes.count {   // finish a word left over from the last call
            tail |= UInt64(bytes[i]) << (8 * UInt64(tailCount))
            tailCount += 1; i += 1
            if tailCount == 8 { fold(tail); tail = 0; tailCount = 0 }
        }
        while i + 8 <= bytes.count {
            fold(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        while i < bytes.count { tail |= UInt64(bytes[i]) << (8 * UInt64(tailCount)); tailCount += 1; i += 1 }
    }

    var value: UInt64 {
        var c = self
        if c.tailCount > 0 { c.fold(c.tail ^ 0xFF) }
        c.fold(UInt64(c.total))
        return c.h ^ (c.h >> 32)
    }
}

/// fwrite that keeps a running ``Checksum64`` of everything written.
struct ChecksumWriter {
    let file: UnsafeMutablePointer<FILE>
    var ok = true
    private(set) var sum = Checksum64()

    init(file: UnsafeMutablePointer<FILE>) { self.file = file }

    mutating func write(_ p: UnsafeRawPointer, _ n: Int) {
        guard n > 0 else { return }
        sum.update(UnsafeRawBufferPointer(start: p, count: n))
        writeRaw(p, n)
    }

    var checksum: UInt64 { sum.value }

    mutating func writeRaw(_ p: UnsafeRawPointer, _ n: Int) {
        if fwrite(p, 1, n, file) != n { ok = false }
    }
}
