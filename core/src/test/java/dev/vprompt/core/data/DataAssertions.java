package dev.vprompt.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

final class DataAssertions {

  private DataAssertions() {
  }

  /**
   * Asserts that {@code action} fails with an InvalidDataException whose message starts with the
   * file and contains every given fragment of the problem description.
   */
  static InvalidDataException assertInvalid(Path file, Executable action, String... problemFragments) {
    InvalidDataException e = assertThrows(InvalidDataException.class, action);
    String message = e.getMessage();
    assertTrue(message.startsWith(file + ": "), "message should start with " + file + ": " + message);
    assertEquals(file, e.file());
    for (String fragment : problemFragments) {
      assertTrue(message.contains(fragment), "message should contain '" + fragment + "': " + message);
    }
    return e;
  }
}
