package conformance.reference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.data.Struct;

/**
 * Renders and sends records as Aiven's HTTP sink does. A value that is a String is the body as is; a Map or a Struct
 * is written by a JsonConverter with schemas.enable=false; anything else (and a null value) fails the task. Without
 * batching each record is one request (a failed send goes to the errant-record reporter when there is one); with
 * batching each collection Connect hands over is cut into bodies of batch.max.size records: prefix, the records
 * joined by the separator, suffix.
 *
 * The suite needs to know which partitions a request carried: the URL gets a query `?p=<partitions>` (the URL is
 * the one thing the suite does not compare).
 */
public final class ReferenceSinkTask extends SinkTask {
    private ReferenceSinkConfig config;
    private ReferenceSender sender;
    private JsonConverter json;
    private ErrantRecordReporter reporter;

    @Override
    public void start(final Map<String, String> props) {
        config = new ReferenceSinkConfig(props);
        sender = new ReferenceSender(config);
        json = new JsonConverter();
        json.configure(Map.of("schemas.enable", false, "converter.type", "value"));
        reporter = context.errantRecordReporter();
    }

    @Override
    public void put(final Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        if (config.getBoolean(ReferenceSinkConfig.BATCHING)) {
            putBatches(records);
        } else {
            putEach(records);
        }
    }

    private void putEach(final Collection<SinkRecord> records) {
        for (final SinkRecord record : records) {
            if (record.value() == null) {
                throw new DataException("Record value must not be null");
            }
            try {
                sender.send(render(record), partitions(List.of(record)));
            } catch (final ConnectException e) {
                if (reporter == null) {
                    throw new ConnectException(e.getMessage());
                }
                reporter.report(record, e);
            }
        }
    }

    private void putBatches(final Collection<SinkRecord> records) {
        for (final SinkRecord record : records) {
            if (record.value() == null) {
                throw new DataException("Record value must not be null");
            }
        }
        final int max = config.getInt(ReferenceSinkConfig.BATCH_MAX);
        final List<SinkRecord> batch = new ArrayList<>();
        for (final SinkRecord record : records) {
            batch.add(record);
            if (batch.size() >= max) {
                sender.send(body(batch), partitions(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            sender.send(body(batch), partitions(batch));
        }
    }

    private String body(final List<SinkRecord> batch) {
        final StringBuilder out = new StringBuilder(config.delimiter(ReferenceSinkConfig.PREFIX, ""));
        final String separator = config.delimiter(ReferenceSinkConfig.SEPARATOR, "\n");
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(render(batch.get(i)));
        }
        return out.append(config.delimiter(ReferenceSinkConfig.SUFFIX, "\n")).toString();
    }

    private String render(final SinkRecord record) {
        final Object value = record.value();
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map || value instanceof Struct) {
            return new String(json.fromConnectData(record.topic(), record.valueSchema(), value), StandardCharsets.UTF_8);
        }
        throw new DataException("Record value must be a String, a Schema Struct or implement `java.util.Map`, but "
            + value.getClass() + " is given");
    }

    private static String partitions(final List<SinkRecord> records) {
        final TreeSet<Integer> seen = new TreeSet<>();
        for (final SinkRecord record : records) {
            seen.add(record.kafkaPartition());
        }
        final StringBuilder out = new StringBuilder();
        for (final Integer partition : seen) {
            out.append(out.length() == 0 ? "" : ",").append(partition);
        }
        return out.toString();
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "3.9.1-conformance";
    }
}
