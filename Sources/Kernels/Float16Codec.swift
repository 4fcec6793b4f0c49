import CKernels

/// IEEE 754 half-precision storage for vectors (2 bytes a component). Conversion is
/// exact round-to-nearest-even, done in C so it is the same on every CPU.
public enum Float16Codec {
    public static func encode(_ value: Float) -> UInt16 { ck_f32_to_f16(value) }
    public static func decode(_ bits: UInt16) -> Float { ck_f16_to_f32(bits) }

    public static func encode(_ values: [Float]) -> [UInt16] { values.map(ck_f32_to_f16) }
    public static func decode(_ bits: [UInt16]) -> [Float] { bits.map(ck_f16_to_f32) }
}
