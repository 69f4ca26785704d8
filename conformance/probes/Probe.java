import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.data.*;

/** args: schemasEnable(true|false) inputFile [transformClass key=value ...]; each input line a record value; prints the output JSON (schemas.enable=false) escaped. */
public class Probe {
  public static void main(String[] a) throws Exception {
    boolean env = Boolean.parseBoolean(a[0]);
    JsonConverter in = new JsonConverter();
    in.configure(Map.of("schemas.enable", String.valueOf(env), "converter.type", "value"), false);
    JsonConverter out = new JsonConverter();
    out.configure(Map.of("schemas.enable", "false", "converter.type", "value"), false);
    Transformation<SinkRecord> t = null;
    if (a.length > 2) {
      t = (Transformation<SinkRecord>) Class.forName(a[2]).getDeclaredConstructor().newInstance();
      Map<String, String> props = new HashMap<>();
      for (int i = 3; i < a.length; i++) { int e = a[i].indexOf('='); props.put(a[i].substring(0, e), a[i].substring(e + 1)); }
      t.configure(props);
    }
    for (String line : Files.readAllLines(Path.of(a[1]), StandardCharsets.UTF_8)) {
      if (line.isEmpty()) continue;
      try {
        SchemaAndValue v = in.toConnectData("t", line.getBytes(StandardCharsets.UTF_8));
        SinkRecord r = new SinkRecord("t", 0, null, null, v.schema(), v.value(), 42L, 1700000000000L, org.apache.kafka.common.record.TimestampType.CREATE_TIME);
        if (t != null) r = t.apply(r);
        Object val = r.value();
        String s = val instanceof String ? (String) val : new String(out.fromConnectData("t", r.valueSchema(), val), StandardCharsets.UTF_8);
        System.out.println(show(s));
      } catch (Exception e) { System.out.println("ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage()); }
    }
  }
  static String show(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) { if (c < 0x20 || c > 0x7e) b.append(String.format("<%04X>", (int) c)); else b.append(c); }
    return b.toString();
  }
}
