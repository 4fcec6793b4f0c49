import Foundation

/// A type that can be an LMDB key or value: it hands out its bytes and is rebuilt
/// from bytes. Integers are stored big-endian so that LMDB's byte order is their
/// numeric order (cursors then walk ids in order).
public protocol LMDBValue {
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    init(bytes: UnsafeRawBufferPointer) throws
}

/// A stored value whose length does not fit the type asked for.
public struct LMDBDecodingError: Error, Equatable, CustomStringConvertible {
    public let type: String
    public let byteCount: Int
    public var description: String { "cannot read \(byteCount) bytes as \(type)" }
}

extension String: LMDBValue {
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
    public init(bytes: UnsafeRawBufferPointer) throws {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw LMDBDecodingError(type: "UTF-8 String", byteCount: bytes.count) }
        self = s
    }
}

extension Data: LMDBValue {
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try withUnsafeBytes(body) }
    public init(bytes: UnsafeRawBufferPointer) throws { self.init(bytes) }
}

/// Element types stored raw (native byte order, little-endian on every platform refer
/// builds for) inside array values.
public protocol LMDBScalar: BitwiseCopyable {}
extension Float: LMDBScalar {}
extension Double: LMDBScalar {}
extension UInt8: LMDBScalar {}
extension Int8: LMDBScalar {}
extension UInt16: LMDBScalar {}
extension UInt32: LMDBScalar {}
extension Int32: LMDBScalar {}
extension UInt64: LMDBScalar {}
extension Int64: LMDBScalar {}

extension Array: LMDBValue where Element: LMDBScalar {
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try withUnsafeBytes(body) }
    public init(bytes: UnsafeRawBufferPointer) throws {
        let stride = MemoryLayout<Element>.stride
        guard bytes.count % stride == 0 else { throw LMDBDecodingError(type: "[\(Element.self)]", byteCount: bytes.count) }
        self = Array(unsafeUninitializedCapacity: bytes.count / stride) { buffer, count in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            count = bytes.count / stride
        }
    }
}

/// Fixed-width unsigned integers as big-endian keys.
public protocol LMDBIntegerKey: FixedWidthInteger, LMDBValue {}

extension LMDBIntegerKey {
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: bigEndian) { try body($0) }
    }
    public init(bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count == MemoryLayout<Self>.size else { throw LMDBDecodingError(type: "\(Self.self)", byteCount: bytes.count) }
        self.init(bigEndian: bytes.loadUnaligned(as: Self.self))
    }
}

extension UInt32: LMDBIntegerKey {}
extension UInt64: LMDBIntegerKey {}
