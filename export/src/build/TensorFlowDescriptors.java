import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Build step (run by the export module's pom before protoc): writes the descriptors of the TensorFlow
 * messages that TF Serving's published protos import, taken from the classes TensorFlow Java ships, as a
 * FileDescriptorSet for protoc's --descriptor_set_in. The generated code then refers to TensorFlow Java's
 * own org.tensorflow.proto classes.
 */
public final class TensorFlowDescriptors {
  public static void main(String[] args) throws Exception {
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    add(org.tensorflow.proto.TensorProtos.getDescriptor(), files);
    add(org.tensorflow.proto.ExampleProtos.getDescriptor(), files);
    add(org.tensorflow.proto.ConfigProtos.getDescriptor(), files);
    add(org.tensorflow.proto.NamedTensorProtos.getDescriptor(), files);
    add(com.google.protobuf.WrappersProto.getDescriptor(), files);
    add(com.google.protobuf.AnyProto.getDescriptor(), files);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    files.values().forEach(f -> set.addFile(f.toProto()));
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    try (OutputStream stream = Files.newOutputStream(out)) {
      set.build().writeTo(stream);
    }
  }

  /** Dependencies first, as protoc reads them. */
  private static void add(FileDescriptor file, Map<String, FileDescriptor> files) {
    if (files.containsKey(file.getName())) {
      return;
    }
    for (FileDescriptor dependency : file.getDependencies()) {
      add(dependency, files);
    }
    files.put(file.getName(), file);
  }
}
