import CHDF5
import Foundation

/// ann-benchmarks `.hdf5` files: 2-D datasets `train` (base vectors), `test`
/// (queries), `neighbors` (exact ids, nearest first) and `distances`, plus an
/// attribute `distance` naming the metric. Read through libhdf5.
public enum HDF5File {
    /// Debian's libhdf5 is built without thread safety: every call into it goes
    /// through this lock, or concurrent use corrupts the library's global state.
    private static let lock = NSLock()

    /// Reads a 2-D dataset as Float32 rows (HDF5 converts from the stored type).
    public static func readFloats(_ path: String, dataset: String) throws -> Matrix<Float> {
        try lock.withLock { try read(path, dataset: dataset, memoryType: refer_h5t_native_float()) }
    }

    /// Reads a 2-D dataset as Int32 rows.
    public static func readInts(_ path: String, dataset: String) throws -> Matrix<Int32> {
        try lock.withLock { try read(path, dataset: dataset, memoryType: refer_h5t_native_int32()) }
    }

    /// Writes 2-D datasets into a new file (replacing any old one); for fixtures and conversions.
    public static func write(_ path: String, floats: [String: Matrix<Float>] = [:], ints: [String: Matrix<Int32>] = [:]) throws {
        lock.lock(); defer { lock.unlock() }
        refer_h5_quiet()
        let file = H5Fcreate(path, refer_h5f_acc_trunc(), refer_h5p_default(), refer_h5p_default())
        guard file >= 0 else { throw VectorFileError(path: path, message: "cannot create HDF5 file") }
        defer { H5Fclose(file) }
        func put<T>(_ name: String, _ m: Matrix<T>, _ type: hid_t) throws {
            var dims: [hsize_t] = [hsize_t(m.rows), hsize_t(m.columns)]
            let space = H5Screate_simple(2, &dims, nil)
            defer { H5Sclose(space) }
            let set = H5Dcreate2(file, name, type, space, refer_h5p_default(), refer_h5p_default(), refer_h5p_default())
            guard set >= 0 else { throw VectorFileError(path: path, message: "cannot create dataset '\(name)'") }
            defer { H5Dclose(set) }
            guard H5Dwrite(set, type, refer_h5s_all(), refer_h5s_all(), refer_h5p_default(), m.base) >= 0 else {
                throw VectorFileError(path: path, message: "cannot write dataset '\(name)'")
            }
        }
        for (name, m) in floats.sorted(by: { $0.key < $1.key }) { try put(name, m, refer_h5t_native_float()) }
        for (name, m) in ints.sorted(by: { $0.key < $1.key }) { try put(name, m, refer_h5t_native_int32()) }
    }

    private static func read<T: BitwiseCopyable>(_ path: String, dataset: String, memoryType: hid_t) throws -> Matrix<T> {
        refer_h5_quiet()   // errors become VectorFileError values, not stderr noise
        guard FileManager.default.fileExists(atPath: path) else {
            throw VectorFileError(path: path, message: "cannot open: No such file or directory")
        }
        let file = H5Fopen(path, refer_h5f_acc_rdonly(), refer_h5p_default())
        guard file >= 0 else { throw VectorFileError(path: path, message: "not an HDF5 file, or it is damaged") }
        defer { H5Fclose(file) }
        guard H5Lexists(file, dataset, refer_h5p_default()) > 0 else {
            throw VectorFileError(path: path, message: "no dataset '\(dataset)'")
        }
        let set = H5Dopen2(file, dataset, refer_h5p_default())
        guard set >= 0 else { throw VectorFileError(path: path, message: "cannot open dataset '\(dataset)'") }
        defer { H5Dclose(set) }
        let space = H5Dget_space(set)
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_ndims(space) == 2 else {
            throw VectorFileError(path: path, message: "dataset '\(dataset)' has \(H5Sget_simple_extent_ndims(space)) dimensions, expected 2")
        }
        var dims: [hsize_t] = [0, 0]
        H5Sget_simple_extent_dims(space, &dims, nil)
        let out = Matrix<T>(rows: Int(dims[0]), columns: Int(dims[1]))
        guard out.count == 0 || H5Dread(set, memoryType, refer_h5s_all(), refer_h5s_all(), refer_h5p_default(), out.mutableBase) >= 0 else {
            throw VectorFileError(path: path, message: "cannot read dataset '\(dataset)' as \(T.self)")
        }
        return out
    }
}
