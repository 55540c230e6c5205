package io.kobot.connect.kochava;

import io.kobot.kochava.ConfigError;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Delivers Engagement records to Kochava with the project's Kochava client. Every task gets the same settings;
 * Connect spreads the topic's partitions over them, so tasks.max beyond the partition count adds nothing.
 */
public class KochavaSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        // Fails the connector, rather than each task, on settings the Kochava client refuses.
        new KochavaSinkConnectorConfig(props).clientConfig();
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return KochavaSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return KochavaSinkConnectorConfig.CONFIG_DEF;
    }

    /** Adds the Kochava client's cross-field checks to the per-key ones, so the REST validate call shows them. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean perKeyValid = config.configValues().stream()
                .allMatch(value -> value.errorMessages().isEmpty());
        if (!perKeyValid) return config;
        Map<String, ConfigValue> byName =
                config.configValues().stream().collect(Collectors.toMap(ConfigValue::name, value -> value));
        for (ConfigError error : new KochavaSinkConnectorConfig(connectorConfigs).clientConfigErrors()) {
            ConfigValue value = byName.get(error.key());
            if (value != null) value.addErrorMessage(error.reason());
        }
        return config;
    }
}
