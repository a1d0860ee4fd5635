// Produces records with Kafka's own Java client, so tests can prove Streamdrop reads what the
// reference client writes (its batches, its xerial-framed snappy, its transaction markers).
//
//   java -cp <kafkaClasspath> Produce.java <spec.json>
//
// The spec (test/support/foreign-producers.ts writes it):
//   { "bootstrapServers": "...", "topic": "...", "compressionType": "none|gzip|snappy|lz4|zstd",
//     "lingerMs": 5000, "batchSize": 1048576, "maxRequestBytes": 1048576,
//     "records": [record...],                                         // or, for transactions:
//     "transactionalId": "...", "transactions": [{ "records": [record...], "outcome": "commit|abort" }] }
//   record: { "partition"?, "key" | "keyBase64"?, "value" | "valueBase64",
//             "headers"?: [{ "key", "value" | "valueBase64" }], "timestamp"? }
// A string is sent as UTF-8, a null or absent key as null. On success it prints, as one JSON line,
// where every record landed ({"acks":[{"partition","offset"}...]}, aborted ones included) and exits 0.
// Jackson comes from Kafka's own classpath, so the program needs nothing beyond it.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class Produce {
  private static final ObjectMapper json = new ObjectMapper();

  public static void main(String[] args) {
    if (args.length != 1) fail("usage: java -cp <kafka classpath> Produce.java <spec.json>");
    try {
      JsonNode spec = json.readTree(new File(args[0]));
      String topic = required(spec, "topic").asText();
      boolean transactional = spec.has("transactions");
      List<RecordMetadata> acks = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config(spec, transactional))) {
        if (transactional) {
          producer.initTransactions();
          for (JsonNode transaction : spec.get("transactions")) {
            String outcome = required(transaction, "outcome").asText();
            if (!outcome.equals("commit") && !outcome.equals("abort")) throw new IllegalArgumentException("transaction outcome must be commit or abort, not " + outcome);
            producer.beginTransaction();
            // Flushed before the abort too, so the aborted records really are in the log.
            acks.addAll(sendAll(producer, topic, required(transaction, "records")));
            if (outcome.equals("commit")) producer.commitTransaction();
            else producer.abortTransaction();
          }
        } else {
          acks.addAll(sendAll(producer, topic, required(spec, "records")));
        }
      }
      ArrayNode out = json.createArrayNode();
      for (RecordMetadata ack : acks) out.addObject().put("partition", ack.partition()).put("offset", ack.offset());
      ObjectNode result = json.createObjectNode();
      result.set("acks", out);
      System.out.println(json.writeValueAsString(result));
    } catch (Exception error) {
      fail("Produce.java failed: " + describe(error));
    }
  }

  private static Properties config(JsonNode spec, boolean transactional) {
    Properties props = new Properties();
    props.put("bootstrap.servers", required(spec, "bootstrapServers").asText());
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    props.put("compression.type", spec.path("compressionType").asText("none"));
    // Records sent together must share a batch (one compressed block). sendAll() flushes once all
    // are queued, so a long linger costs nothing; a short one can expire while the first record
    // waits on a codec's first use (snappy-java loading its native library), splitting the batch.
    props.put("linger.ms", String.valueOf(spec.path("lingerMs").asInt(5000)));
    props.put("batch.size", String.valueOf(spec.path("batchSize").asInt(1024 * 1024)));
    // A record larger than this is refused before it is sent (the topic's max.message.bytes must allow it too).
    props.put("max.request.size", String.valueOf(spec.path("maxRequestBytes").asInt(1024 * 1024)));
    // Fail within a test's timeout rather than after the client's minute-long defaults.
    props.put("max.block.ms", "20000");
    props.put("request.timeout.ms", "15000");
    props.put("delivery.timeout.ms", "30000");
    if (transactional) props.put("transactional.id", spec.path("transactionalId").asText("streamdrop-foreign-" + UUID.randomUUID()));
    return props;
  }

  /** Sends every record before waiting on any, so they batch; flush() then sends them without waiting out the linger. */
  private static List<RecordMetadata> sendAll(KafkaProducer<byte[], byte[]> producer, String topic, JsonNode records) throws InterruptedException, ExecutionException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    int index = 0;
    for (JsonNode record : records) sent.add(producer.send(toRecord(topic, record, index++)));
    producer.flush();
    List<RecordMetadata> acks = new ArrayList<>();
    for (Future<RecordMetadata> ack : sent) acks.add(ack.get());
    return acks;
  }

  private static ProducerRecord<byte[], byte[]> toRecord(String topic, JsonNode record, int index) {
    String where = "record " + index;
    RecordHeaders headers = new RecordHeaders();
    for (JsonNode header : record.path("headers")) {
      headers.add(required(header, "key").asText(), bytes(header, "value", true, where + " header"));
    }
    Integer partition = record.hasNonNull("partition") ? record.get("partition").asInt() : null;
    Long timestamp = record.hasNonNull("timestamp") ? record.get("timestamp").asLong() : null;
    return new ProducerRecord<>(topic, partition, timestamp, bytes(record, "key", false, where), bytes(record, "value", true, where), headers);
  }

  /** `name` as UTF-8 text or `<name>Base64` as bytes; JSON null (or, unless required, absence) is null. */
  private static byte[] bytes(JsonNode node, String name, boolean required, String where) {
    JsonNode base64 = node.get(name + "Base64");
    if (base64 != null && !base64.isNull()) return Base64.getDecoder().decode(base64.asText());
    JsonNode text = node.get(name);
    if (text == null && base64 == null && required) throw new IllegalArgumentException(where + " has neither " + name + " nor " + name + "Base64");
    return text == null || text.isNull() ? null : text.asText().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode required(JsonNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) throw new IllegalArgumentException("spec is missing \"" + name + "\"");
    return value;
  }

  /** The causes' messages in one line: Kafka wraps the useful one (e.g. a timeout) in ExecutionException. */
  private static String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (text.length() > 0) text.append(": ");
      text.append(cause.getClass().getSimpleName()).append(' ').append(cause.getMessage());
    }
    return text.toString();
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }
}
