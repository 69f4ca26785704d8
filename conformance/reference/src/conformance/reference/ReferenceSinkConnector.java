package conformance.reference;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The conformance suite's stand-in for Aiven's HTTP sink connector: same keys, same checks when it starts, and
 * tasks that render and send records the way that connector does (see ReferenceSinkTask).
 */
public final class ReferenceSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public void start(final Map<String, String> props) {
        new ReferenceSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ReferenceSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(final int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return ReferenceSinkConfig.definition();
    }

    @Override
    public String version() {
        return "3.9.1-conformance";
    }
}
