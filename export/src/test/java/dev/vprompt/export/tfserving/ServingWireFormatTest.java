package dev.vprompt.export.tfserving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.TextFormat;
import dev.vprompt.core.data.ImageSet;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes vprompt writes for TF Serving do not depend on which schema generated its classes: the
 * records and the text below were produced by the subset of TF Serving's messages vprompt declared
 * itself before it built TF Serving's published .proto files (third_party/tensorflow-serving), and the
 * published classes must produce exactly the same.
 */
class ServingWireFormatTest {

  /** SHA-256 of the length-prefixed serialised warm-up records of {@link #images()}, by the former classes. */
  private static final String WARMUP_SHA256 = "62ebe2a899a1539142ba6da599c051b6f33ee5eaa9ca4a6f26eae2653016370b";

  private static final String BATCHING_TEXT = "max_batch_size {\n  value: 32\n}\nbatch_timeout_micros {\n  value: 1234\n}\n"
      + "max_enqueued_batches {\n  value: 100\n}\nnum_batch_threads {\n  value: 2\n}\n"
      + "thread_pool_name {\n  value: \"vprompt_batch_threads\"\n}\n"
      + "allowed_batch_sizes: 1\nallowed_batch_sizes: 8\nallowed_batch_sizes: 32\n";

  /** Three seeded 6 x 5 RGB images. */
  private static ImageSet images() {
    byte[] pixels = new byte[3 * 6 * 5 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 37 + 11);
    }
    return new ImageSet(pixels, new int[] {0, 1, 2}, 6, 5, 3, List.of("a", "b", "c"));
  }

  @Test
  void warmupRecordsAreByteForByteTheFormerOnes() throws Exception {
    var logs = WarmupRequests.build("fmnist", 3, List.of("serving_default", "predict_encoded"), images());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (var log : logs) {
      byte[] bytes = log.toByteArray();
      all.write(Integer.toString(bytes.length).getBytes());
      all.write(':');
      all.write(bytes);
    }
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toByteArray()));
    assertEquals(WARMUP_SHA256, sha);
  }

  @Test
  void batchingParametersPrintAsBefore() {
    assertEquals(BATCHING_TEXT, TextFormat.printer().printToString(ServingConfig.batching(2, 1234)));
  }
}
