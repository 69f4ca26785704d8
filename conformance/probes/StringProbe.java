import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.storage.StringConverter;
import java.util.*;
public class StringProbe {
  public static void main(String[] a) {
    StringConverter c = new StringConverter();
    c.configure(Map.of("converter.encoding", System.getenv().getOrDefault("ENC", "UTF-8")), false);
    for (String hex : a) {
      byte[] b = java.util.HexFormat.of().parseHex(hex);
      String s = (String) c.toConnectData("t", b).value();
      StringBuilder out = new StringBuilder();
      for (char ch : s.toCharArray()) out.append(String.format("%04X ", (int) ch));
      System.out.println(hex + " -> " + out.toString().trim());
    }
  }
}
