package dev.vprompt.ops.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path dir;

  /** A file with the given header (JSON) and data bytes. */
  private Path file(String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
    out.write(json);
    out.write(data);
    Path path = dir.resolve("w" + System.nanoTime() + ".safetensors");
    Files.write(path, out.toByteArray());
    return path;
  }

  private static byte[] littleEndianFloats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void readsF32F16AndBf16AsFloat32WithMetadata() throws IOException {
    byte[] f32 = littleEndianFloats(1.5f, -2f, 0f, 3.25f, 1e-3f, 7f);
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff (largest), 2^-24 = 0x0001 (smallest subnormal)
    byte[] f16 = {0x00, 0x3c, 0x00, (byte) 0xc0, (byte) 0xff, 0x7b, 0x01, 0x00};
    // BF16: the high half of the float32 bits: 1.0 = 0x3f80, -0.5 = 0xbf00
    byte[] bf16 = {(byte) 0x80, 0x3f, 0x00, (byte) 0xbf};
    String header = "{\"__metadata__\":{\"timm_class\":\"VisionTransformer\"},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
        + "\"b\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[24,32]},"
        + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[32,36]},"
        + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[36,44]}}   ";
    Path path = file(header, concat(f32, f16, bf16, new byte[8]));
    try (SafetensorsFile st = SafetensorsFile.open(path)) {
      assertEquals("VisionTransformer", st.metadata().get("timm_class"));
      assertEquals(Arrays.asList("a", "b", "c", "n"), st.entries().keySet().stream().toList());
      assertArrayEquals(new long[] {2, 3}, st.entry("a").shape());
      assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f, 1e-3f, 7f}, st.floats("a"));
      assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, st.floats("b"));
      assertArrayEquals(new float[] {1f, -0.5f}, st.floats("c"));
      assertEquals(DType.I64, st.entry("n").dtype());
      SafetensorsException notFloat = assertThrows(SafetensorsException.class, () -> st.floats("n"));
      assertTrue(notFloat.getMessage().contains("'n' is I64"), notFloat.getMessage());
    }
  }

  @Test
  void halfFloatsConvertExactlyForEveryBitPattern() {
    // every finite binary16 value is exactly representable in binary32: compare with double arithmetic
    for (int h = 0; h < 0x10000; h++) {
      int exponent = (h >>> 10) & 0x1f;
      int mantissa = h & 0x3ff;
      float got = HalfFloats.halfToFloat((short) h);
      double sign = (h & 0x8000) != 0 ? -1 : 1;
      if (exponent == 0x1f) {
        assertEquals(mantissa == 0, Float.isInfinite(got), "bits " + h);
        assertEquals(mantissa != 0, Float.isNaN(got), "bits " + h);
      } else {
        double expected = exponent == 0 ? sign * mantissa * Math.pow(2, -24)
            : sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
        assertEquals(expected, got, 0.0, "bits " + h);
      }
    }
  }

  @Test
  void readsTheTimmFixture() throws IOException {
    Path fixture = Path.of(System.getProperty("vprompt.home", ".."), "testdata", "pretrained", "vit-tiny-test.safetensors");
    try (SafetensorsFile st = SafetensorsFile.open(fixture)) {
      assertEquals("VisionTransformer", st.metadata().get("timm_class"));
      assertEquals(32, st.entries().size());
      assertArrayEquals(new long[] {48, 3, 8, 8}, st.entry("patch_embed.proj.weight").shape());
      float[] pos = st.floats("pos_embed");
      assertEquals(17 * 48, pos.length);
      assertTrue(Arrays.stream(toDoubles(pos)).anyMatch(v -> v != 0));
    }
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private void assertRejected(Path path, String expectedPart) {
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(path).close());
    assertTrue(e.getMessage().startsWith(path.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static final String ONE = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

  @Test
  void rejectsTruncatedFiles() throws IOException {
    assertRejected(file(ONE, new byte[5]), "truncated");
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertRejected(tiny, "shorter than the 8-byte header length");
    Path cut = file(ONE, new byte[8]);
    byte[] all = Files.readAllBytes(cut);
    Files.write(cut, Arrays.copyOf(all, 20));
    assertRejected(cut, "truncated: the header claims");
  }

  @Test
  void rejectsHeadersThatLie() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
        "spans 8 bytes but F32 [3] needs 12");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "overlaps");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
        "4 unclaimed bytes before tensor 'a'");
    assertRejected(file(ONE, new byte[12]), "4 data bytes after the last tensor");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", new byte[8]),
        "run backwards");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[1000000,1000008]}}",
        new byte[8]), "ends at data byte 1000008 but the file has 8");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}",
        new byte[8]), "overflows");
    assertRejected(file("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
        "unknown dtype Q4");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]),
        "not a non-negative integer");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]), "no data_offsets");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "not valid JSON");
    assertRejected(file("{\"__metadata__\":{\"k\":3}}", new byte[0]), "is not a string");
  }

  @Test
  void rejectsFilesThatAreNotSafetensors() throws IOException {
    Path zip = dir.resolve("model.pt");
    Files.write(zip, concat("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), new byte[64]));
    assertRejected(zip, "not a safetensors file: no JSON header");
    assertRejected(file("[1, 2]", new byte[0]), "no JSON header");
    assertRejected(file("{\"a\": ", new byte[0]), "not valid JSON");
    Path huge = dir.resolve("huge.safetensors");
    Files.write(huge, concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array(),
        "{}".getBytes(StandardCharsets.US_ASCII)));
    assertRejected(huge, "outside 2..");
    assertRejected(dir.resolve("missing.safetensors"), "no such file");
  }
}
