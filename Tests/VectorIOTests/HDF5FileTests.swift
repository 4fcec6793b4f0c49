import Foundation
import Testing
@testable import VectorIO

@Suite struct HDF5FileTests {
    let path = NSTemporaryDirectory() + "refer-h5-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).hdf5"

    @Test("ann-benchmarks datasets read back exactly")
    func roundTrip() throws {
        let train = Matrix<Float>(rows: 5, columns: 3, elements: (0..<15).map { Float($0) * 0.5 - 2 })
        let neighbors = Matrix<Int32>(rows: 2, columns: 4, elements: [0, 1, 2, 3, 4, 3, 2, 1])
        try HDF5File.write(path, floats: ["train": train], ints: ["neighbors": neighbors])
        let t = try HDF5File.readFloats(path, dataset: "train")
        #expect(t.rows == 5 && t.columns == 3 && Array(t.elements) == Array(train.elements))
        let n = try HDF5File.readInts(path, dataset: "neighbors")
        #expect(Array(n.elements) == Array(neighbors.elements))
        // Stored as int32, read as float: HDF5 converts.
        #expect(try HDF5File.readFloats(path, dataset: "neighbors").row(1) == [4, 3, 2, 1])
    }

    @Test("missing datasets, missing files and non-HDF5 files are clear errors")
    func errors() throws {
        try HDF5File.write(path, floats: ["train": Matrix(rows: 1, columns: 2, elements: [1, 2])])
        #expect(throws: VectorFileError(path: path, message: "no dataset 'test'")) {
            try HDF5File.readFloats(path, dataset: "test")
        }
        let text = path + ".txt.hdf5"
        try Data("plain text".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: VectorFileError(path: text, message: "not an HDF5 file, or it is damaged")) {
            try HDF5File.readFloats(text, dataset: "train")
        }
        #expect(throws: VectorFileError(path: path + ".none", message: "cannot open: No such file or directory")) {
            try HDF5File.readFloats(path + ".none", dataset: "train")
        }
    }
}
