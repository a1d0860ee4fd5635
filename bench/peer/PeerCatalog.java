// The Kafka Connect peer's Iceberg catalog, from the outside: the same JDBC catalog and S3 FileIO
// the sink uses. Run by bench/connect-peer.ts in Java's single-file source mode on the peer's
// classpath:
//   java -cp <classpath> PeerCatalog.java <catalog.properties> init <namespace>
//     creates the namespace before the sink starts: the sink's tasks would all create it at once
//     on their first record, and with the JDBC catalog all but one of them then fail for good.
//   java -cp <classpath> PeerCatalog.java <catalog.properties> watch <namespace.table>
//     prints `<epoch ms> <total records>` each time a commit changes the table's current snapshot,
//     until killed: the peer's progress (a record counts once the sink has committed it).
//   java -cp <classpath> PeerCatalog.java <catalog.properties> read <namespace.table>
//     prints `files <data files> records <rows>` and then one `id` per row of the current snapshot
//     (a row the sink wrote twice is printed twice), so the caller can check exactly once.
import java.io.BufferedWriter;
import java.io.FileReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

public class PeerCatalog {
  public static void main(String[] args) throws Exception {
    Properties file = new Properties();
    try (FileReader reader = new FileReader(args[0], StandardCharsets.UTF_8)) {
      file.load(reader);
    }
    Map<String, String> properties = new HashMap<>();
    file.stringPropertyNames().forEach(name -> properties.put(name, file.getProperty(name)));
    Catalog catalog = CatalogUtil.buildIcebergCatalog("iceberg", properties, null);
    if (args[1].equals("init")) {
      SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
      Namespace namespace = Namespace.of(args[2]);
      if (!namespaces.namespaceExists(namespace)) namespaces.createNamespace(namespace);
      return;
    }
    TableIdentifier name = TableIdentifier.parse(args[2]);
    if (args[1].equals("watch")) {
      watch(catalog, name);
      return;
    }
    Table table = catalog.loadTable(name);

    long files = 0;
    long records = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        files += 1;
        records += task.file().recordCount();
      }
    }
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16);
    out.write("files " + files + " records " + records + "\n");
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select("id").build()) {
      for (Record row : rows) {
        out.write(String.valueOf(row.getField("id")));
        out.write('\n');
      }
    }
    out.flush();
  }

  private static void watch(Catalog catalog, TableIdentifier name) throws InterruptedException {
    Table table = null;
    Long shown = null;
    while (true) {
      if (table == null && catalog.tableExists(name)) table = catalog.loadTable(name);
      if (table != null) {
        table.refresh();
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot != null && !Long.valueOf(snapshot.snapshotId()).equals(shown)) {
          shown = snapshot.snapshotId();
          String total = snapshot.summary().getOrDefault(SnapshotSummary.TOTAL_RECORDS_PROP, "0");
          System.out.println(System.currentTimeMillis() + " " + total);
          System.out.flush();
        }
      }
      Thread.sleep(200);
    }
  }
}
