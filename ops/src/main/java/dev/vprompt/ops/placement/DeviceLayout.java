package dev.vprompt.ops.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;

/**
 * Where a training step runs: one device (what vprompt always did) or N data-parallel towers, each on
 * its device, with the variables and the optimizer on one device. Devices are written {@code cpu:1},
 * {@code gpu:0}, or for a cluster {@code /job:worker/task:1} (its CPU) or {@code /job:worker/task:1/gpu:0}.
 *
 * @param towers the towers' devices; empty means one tower with no device pinned (TensorFlow's placer)
 * @param variables the variables' and the optimizer's device; {@code null} leaves them to the placer
 * @param dataPerTower whether each tower gathers its images from a resident copy of the training split on
 *     its own device (separate workers), rather than from the one copy next to the variables
 * @param syncBatchNorm batch-norm statistics over the whole global batch rather than per tower
 */
public record DeviceLayout(List<Device> towers, Device variables, boolean dataPerTower, boolean syncBatchNorm) {

  /** One TensorFlow device, optionally on a task of a cluster job. */
  public record Device(String job, Integer task, DeviceSpec.DeviceType type, int index) {
    private static final Pattern LOCAL = Pattern.compile("(cpu|gpu):(\\d+)");
    private static final Pattern REMOTE = Pattern.compile("/job:([a-z][a-z0-9_]*)/task:(\\d+)(?:/(cpu|gpu):(\\d+))?");

    public static Device cpu(int index) {
      return new Device(null, null, DeviceSpec.DeviceType.CPU, index);
    }

    public static Device gpu(int index) {
      return new Device(null, null, DeviceSpec.DeviceType.GPU, index);
    }

    public static Device task(String job, int task) {
      return new Device(job, task, DeviceSpec.DeviceType.CPU, 0);
    }

    public static Device parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      Matcher local = LOCAL.matcher(t);
      if (local.matches()) {
        int index = Integer.parseInt(local.group(2));
        return local.group(1).equals("cpu") ? cpu(index) : gpu(index);
      }
      Matcher remote = REMOTE.matcher(t);
      if (remote.matches()) {
        DeviceSpec.DeviceType type = "gpu".equals(remote.group(3)) ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU;
        int index = remote.group(4) == null ? 0 : Integer.parseInt(remote.group(4));
        return new Device(remote.group(1), Integer.parseInt(remote.group(2)), type, index);
      }
      throw new IllegalArgumentException("cannot read the device '" + text
          + "': expected cpu:N, gpu:N, /job:NAME/task:N or /job:NAME/task:N/gpu:M");
    }

    public DeviceSpec spec() {
      DeviceSpec.Builder b = DeviceSpec.newBuilder().deviceType(type).deviceIndex(index);
      if (job != null) {
        b.job(job).replica(0).task(task);
      }
      return b.build();
    }

    /** TensorFlow's full name, as the placer writes it into a node's device. */
    public String name() {
      String local = "/device:" + type.name() + ":" + index;
      return job == null ? local : "/job:" + job + "/replica:0/task:" + task + local;
    }

    /** The host's CPU next to this device: where resident images are gathered. */
    public Device host() {
      return new Device(job, task, DeviceSpec.DeviceType.CPU, 0);
    }

    public Ops on(Ops tf) {
      return tf.withDevice(spec());
    }

    @Override
    public String toString() {
      String local = type.name().toLowerCase(Locale.ROOT) + ":" + index;
      return job == null ? local : "/job:" + job + "/task:" + task + (type == DeviceSpec.DeviceType.CPU && index == 0 ? "" : "/" + local);
    }
  }

  public DeviceLayout {
    towers = List.copyOf(towers);
  }

  /** One device chosen by TensorFlow's placer: the graph vprompt has always built. */
  public static final DeviceLayout SINGLE = new DeviceLayout(List.of(), null, false, false);

  /**
   * Towers on the given devices, variables on the first tower's host CPU when towers are GPUs (what
   * DataParallel's parameter server on device 0 amounts to, without pinning the weights to one GPU's
   * memory) or on the first tower itself when they are CPUs.
   */
  public static DeviceLayout towers(List<Device> devices, boolean syncBatchNorm) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("no device given");
    }
    if (devices.stream().distinct().count() != devices.size()) {
      throw new IllegalArgumentException("a device is listed twice in " + devices);
    }
    Device first = devices.get(0);
    Device variables = first.type() == DeviceSpec.DeviceType.GPU ? first.host() : first;
    return new DeviceLayout(devices, variables, false, syncBatchNorm);
  }

  /**
   * {@code N} (N towers: GPUs 0..N-1 when {@code gpus >= N}, else virtual CPU devices 0..N-1) or a list
   * such as {@code gpu:0,gpu:1}.
   */
  public static List<Device> parseDevices(String text, int gpus) {
    String t = text.trim();
    if (t.matches("\\d+")) {
      int n = Integer.parseInt(t);
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("--devices must be between 1 and 64, got " + n);
      }
      List<Device> devices = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        devices.add(gpus >= n ? Device.gpu(i) : Device.cpu(i));
      }
      return devices;
    }
    List<Device> devices = new ArrayList<>();
    for (String part : t.split(",")) {
      devices.add(Device.parse(part));
    }
    return devices;
  }

  /** The same layout with batch-norm statistics synchronised across the towers, or per tower. */
  public DeviceLayout withSyncBatchNorm(boolean sync) {
    return new DeviceLayout(towers, variables, dataPerTower, sync);
  }

  public int towerCount() {
    return Math.max(1, towers.size());
  }

  /** More than one tower: the step is built by the tower builder rather than as one device's graph. */
  public boolean parallel() {
    return towers.size() > 1 || variables != null;
  }

  /** How many CPU devices the local session must expose (virtual ones beyond the first). */
  public int localCpuDevices() {
    int max = 0;
    for (Device d : towers) {
      if (d.job() == null && d.type() == DeviceSpec.DeviceType.CPU) {
        max = Math.max(max, d.index() + 1);
      }
    }
    return Math.max(1, max);
  }

  /** The tower's device if one is pinned. */
  public Device tower(int k) {
    return towers.isEmpty() ? null : towers.get(k);
  }
}
