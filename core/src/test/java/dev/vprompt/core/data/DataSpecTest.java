package dev.vprompt.core.data;

import static dev.vprompt.core.data.DataAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSpecTest {

  @TempDir
  Path dir;

  @Test
  void parsesEveryKind() {
    String[][] cases = {
      {"fashion-mnist", "FASHION_MNIST"}, {"mnist", "MNIST"}, {"cifar10", "CIFAR10"},
      {"cifar100", "CIFAR100"}, {"idx", "IDX"}, {"folder", "FOLDER"}, {"Fashion-MNIST", "FASHION_MNIST"},
    };
    for (String[] c : cases) {
      DataSpec spec = DataSpec.parse(c[0] + ":" + dir);
      assertEquals(DataSpec.Kind.valueOf(c[1]), spec.kind());
      assertEquals(dir, spec.dir());
    }
    assertEquals("cifar10:" + dir, DataSpec.parse("cifar10:" + dir).toString());
  }

  @Test
  void unknownKindListsTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataSpec.parse("imagenet:" + dir));
    assertFalse(e instanceof InvalidDataException);
    assertTrue(e.getMessage().contains("unknown dataset kind 'imagenet'"), e.getMessage());
    assertTrue(e.getMessage().contains("fashion-mnist, mnist, cifar10, cifar100, idx, folder"), e.getMessage());
  }

  @Test
  void malformedSpecsAreExplained() {
    IllegalArgumentException noColon = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("mnist"));
    assertTrue(noColon.getMessage().contains("is not KIND:DIR"), noColon.getMessage());
    IllegalArgumentException noDir = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("mnist:"));
    assertTrue(noDir.getMessage().contains("names no directory"), noDir.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DataSpec.parse(" "));
  }

  @Test
  void missingDirectoryIsInvalidData() {
    Path missing = dir.resolve("absent");
    assertInvalid(missing, () -> DataSpec.parse("mnist:" + missing), "directory not found");
  }

  @Test
  void onlyCifarAcceptsAFile() {
    Path archive = Fixtures.write(dir.resolve("cifar-10-binary.tar.gz"), new byte[1]);
    assertEquals(archive, DataSpec.parse("cifar10:" + archive).dir());
    assertInvalid(archive, () -> DataSpec.parse("idx:" + archive), "not a directory");
  }
}
