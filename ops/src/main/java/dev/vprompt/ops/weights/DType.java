package dev.vprompt.ops.weights;

import java.util.Optional;

/** The element types a safetensors header can name, with their width in bytes. */
public enum DType {
  F64(8, false), F32(4, true), F16(2, true), BF16(2, true),
  I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

  private final int bytes;
  private final boolean floatConvertible;

  DType(int bytes, boolean floatConvertible) {
    this.bytes = bytes;
    this.floatConvertible = floatConvertible;
  }

  public int bytes() {
    return bytes;
  }

  /** Whether {@link SafetensorsFile#floats} converts it to float32 (F32, F16, BF16). */
  public boolean floatConvertible() {
    return floatConvertible;
  }

  public static Optional<DType> parse(String name) {
    for (DType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
