import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * Readiness probe for scripts/services.sh: asks the broker for its cluster metadata through the
 * official admin client (run with the broker's own jars: `java -cp 'libs/*' Probe.java host:port`).
 * Exit 0 when the cluster answers with at least one broker and a controller.
 */
public class Probe {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "127.0.0.1:9092");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    try (Admin admin = Admin.create(props)) {
      DescribeClusterResult cluster = admin.describeCluster();
      int nodes = cluster.nodes().get(5, TimeUnit.SECONDS).size();
      String id = cluster.clusterId().get(5, TimeUnit.SECONDS);
      if (nodes < 1 || cluster.controller().get(5, TimeUnit.SECONDS) == null) {
        System.err.println("no broker or controller yet");
        System.exit(1);
      }
      System.out.println("cluster " + id + ", " + nodes + " broker(s)");
    } catch (Exception e) {
      System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
