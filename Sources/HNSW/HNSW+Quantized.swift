import CKernels
import Kernels

/// Quantized traversal: every vector also gets a code (8 bits a component, or 4; see
/// ``ScalarQuantizer``) stored in its node record right after the links. Searches then
/// walk the graph comparing the query with codes (a quarter or an eighth of the bytes
/// of a Float32 vector) and re-rank the final `ef` candidates with the stored Float32
/// or Float16 vectors, so the returned distances are those of the stored form. The
/// graph itself is built and repaired with the stored vectors.
extension HNSWIndex {
    /// True once ``enableQuantizedTraversal(range:bits:)`` has run.
    public var usesQuantizedTraversal: Bool { structure.read { quantizer != nil && configuration.storage != .int8 } }

    /// Bits a component of the traversal codes (8 or 4), nil without quantized traversal.
    public var traversalCodeBits: Int? { structure.read { configuration.storage == .int8 ? nil : quantizer?.bits } }

    /// Learns a quantizer of `bits` (8 or 4) from the stored vectors, encodes them all,
    /// and makes every later search traverse the codes (vectors added later are
    /// encoded with the same ranges; values outside them are clamped). Needs float32
    /// or float16 storage, which the final candidates are re-ranked with.
    public func enableQuantizedTraversal(range: ScalarQuantizer.RangeKind = .perDimension, bits: Int = 8) throws {
        guard ownsNodeMemory else { throw HNSWError.readOnly }
        guard configuration.storage != .int8 else {
            throw HNSWError.invalidConfiguration("quantized traversal re-ranks with float32 or float16 vectors; int8 storage already searches its codes")
        }
        guard bits == 8 || bits == 4 else { throw HNSWError.invalidConfiguration("traversal codes have 8 or 4 bits, not \(bits)") }
        try structure.write {
            guard quantizer == nil && configuration.traversalCodeBits == nil else {
                throw HNSWError.invalidConfiguration("quantized traversal is already on")
            }
            let stored = (0..<slotCount).filter { levels[$0] != Self.freeSlotLevel }
            guard !stored.isEmpty else { throw HNSWError.invalidConfiguration("quantized traversal needs vectors to learn its ranges from") }
            let sq = learnQuantizer(from: stored, range: range, bits: bits)
            let (links, vectorBytes, codeBytes) = (codeOffset, configuration.storage.bytesPerComponent * dimension, sq.codeBytes)
            let oldVectorOffset = vectorOffset
            relayoutChunks(newStride: nodeStride + codeBytes) { from, to in
                to.copyMemory(from: from, byteCount: links)
                (to + links + codeBytes).copyMemory(from: from + oldVectorOffset, byteCount: vectorBytes)
            }
            vectorOffset = codeOffset + codeBytes
            configuration.traversalCodeBits = bits
            adoptQuantizer(sq, trainedRows: Int.max)
            encodeAll()
        }
    }

    /// Vectors the traversal codes are learned from at most.
    public static let codeTrainingLimit = 65_536

    /// Takes `sq` as the quantizer (the records already have room for its codes) and
    /// picks its kernels. Caller holds the structure lock exclusively or owns the index alone.
    func adoptQuantizer(_ sq: ScalarQuantizer, trainedRows: Int) {
        quantizer = sq
        codeTrainingRows = trainedRows
        guard configuration.storage != .int8 else { return }   // int8 storage reports its codes' distances: the float kernel
        codeFunction = sq.kernel(KernelTable.best, usesDot: distanceIsDot)
        byteCodeFunction = sq.bits == 8 && distanceIsDot ? KernelTable.best.dotU8S8 : nil
        byteQueryLimit = Float(KernelTable.best.byteQueryLimit)
    }

    /// Writes every stored node's code from its vector. Caller holds the structure lock exclusively.
    func encodeAll() {
        guard let quantizer else { return }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
        defer { buffer.deallocate() }
        for i in 0..<slotCount {
            markDirty(UInt32(i))
            guard levels[i] != Self.freeSlotLevel else { continue }
            decodeVector(UInt32(i), into: buffer)
            quantizer.encode(UnsafePointer(buffer), into: code(UInt32(i)))
        }
    }

    /// With configured traversal codes: learns the quantizer again from the first
    /// stored vectors (up to ``codeTrainingLimit``) once the index holds twice the
    /// vectors it last learned from, and re-encodes every node. Caller holds the
    /// structure lock exclusively.
    func relearnCodesIfGrown() {
        guard let bits = configuration.traversalCodeBits, codeTrainingRows < Self.codeTrainingLimit,
              slotCount >= 2 * codeTrainingRows else { return }
        let rows = Array((0..<slotCount).lazy.filter { self.levels[$0] != Self.freeSlotLevel }.prefix(Self.codeTrainingLimit))
        guard !rows.isEmpty else { return }
        adoptQuantizer(learnQuantizer(from: rows, range: .perDimension, bits: bits), trainedRows: rows.count)
        encodeAll()
    }

    /// A quantizer learned from the stored vectors of the slots `ids` (decoded one at a time).
    private func learnQuantizer(from ids: [Int], range: ScalarQuantizer.RangeKind, bits: Int) -> ScalarQuantizer {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
        defer { buffer.deallocate() }
        return ScalarQuantizer.train(rows: ids.count, dimension: dimension, range: range, bits: bits) {
            decodeVector(UInt32(ids[$0]), into: buffer)
            return UnsafePointer(buffer)
        }
    }

}
