import Foundation
import Testing
@testable import VectorIO

/// Releasing a mapped file's pages frees memory without changing what is read.
@Suite struct ResidentPagesTests {
    /// The resident size of this process in bytes (Linux /proc/self/statm).
    func residentBytes() -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
        return (Int(text.split(separator: " ")[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test("a mapped base reads the same after its pages are released, and stops being resident")
    func mappedRelease() throws {
        let rows = 20_000, cols = 384   // 30 MB
        let m = Matrix<Float>(rows: rows, columns: cols)
        for i in 0..<m.count { m.mutableBase[i] = Float(i % 9973) * 0.5 }
        let path = NSTemporaryDirectory() + "refer-release-\(getpid()).fbin"
        defer { unlink(path) }
        try VectorFile.write(m, to: path)
        let mapped = try VectorFile.readFloats(path)
        #expect(mapped.isFileMapped)
        var sum: Float = 0
        for i in stride(from: 0, to: mapped.count, by: 256) { sum += mapped.base[i] }   // touch every page
        let before = residentBytes()
        mapped.releaseResidentPages(rows: 0..<(rows / 2))
        let afterHalf = residentBytes()
        mapped.releaseResidentPages()
        let afterAll = residentBytes()
        #expect(before - afterHalf > 12_000_000, "released \(before - afterHalf) bytes for half of a 30 MB file")
        #expect(afterHalf - afterAll > 12_000_000, "released \(afterHalf - afterAll) bytes for the other half")
        #expect(Array(mapped.elements) == Array(m.elements))
        #expect(mapped.prefix(rows: 10).isFileMapped)
    }

    @Test("an owned matrix is left alone")
    func ownedUntouched() {
        let m = Matrix<Float>(rows: 4_000, columns: 64)
        for i in 0..<m.count { m.mutableBase[i] = Float(i) }
        #expect(!m.isFileMapped)
        m.releaseResidentPages()
        #expect((0..<m.count).allSatisfy { m.base[$0] == Float($0) })
    }
}
