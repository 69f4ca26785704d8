package conformance.reference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The keys of Aiven's HTTP sink that decide what reaches the endpoint, with the defaults and checks that connector
 * declares: the URL, authorization (none or static), Content-Type, additional headers, batching and retries.
 * Keys it does not declare are ignored, as Connect ignores keys a connector does not know.
 */
final class ReferenceSinkConfig extends AbstractConfig {
    static final String URL = "http.url";
    static final String AUTH_TYPE = "http.authorization.type";
    static final String AUTH_HEADER = "http.headers.authorization";
    static final String CONTENT_TYPE = "http.headers.content.type";
    static final String ADDITIONAL = "http.headers.additional";
    static final String BATCHING = "batching.enabled";
    static final String BATCH_MAX = "batch.max.size";
    static final String PREFIX = "batch.prefix";
    static final String SUFFIX = "batch.suffix";
    static final String SEPARATOR = "batch.separator";
    static final String MAX_RETRIES = "max.retries";
    static final String RETRY_BACKOFF = "retry.backoff.ms";
    static final String TIMEOUT = "http.timeout";
    static final String TOLERANCE = "errors.tolerance";

    static ConfigDef definition() {
        return new ConfigDef()
            .define(URL, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ReferenceSinkConfig::checkUrl,
                ConfigDef.Importance.HIGH, "Endpoint.")
            .define(AUTH_TYPE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                ConfigDef.ValidString.in("none", "static"), ConfigDef.Importance.HIGH, "none or static (oauth2 is not modelled).")
            .define(AUTH_HEADER, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM, "Static Authorization value.")
            .define(CONTENT_TYPE, ConfigDef.Type.STRING, null, ReferenceSinkConfig::checkNotBlank,
                ConfigDef.Importance.LOW, "Content-Type of every request.")
            .define(ADDITIONAL, ConfigDef.Type.LIST, List.of(), ReferenceSinkConfig::checkHeaderPairs,
                ConfigDef.Importance.LOW, "name:value pairs.")
            .define(BATCHING, ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.HIGH, "Batch records.")
            .define(BATCH_MAX, ConfigDef.Type.INT, 500, ConfigDef.Range.between(1, 1_000_000),
                ConfigDef.Importance.MEDIUM, "Records per request.")
            .define(PREFIX, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH, "Before a batch.")
            .define(SUFFIX, ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH, "After a batch.")
            .define(SEPARATOR, ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH, "Between records.")
            .define(MAX_RETRIES, ConfigDef.Type.INT, 1, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM, "Retries.")
            .define(RETRY_BACKOFF, ConfigDef.Type.INT, 3000, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM, "Backoff.")
            .define(TIMEOUT, ConfigDef.Type.INT, 30, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW, "Seconds.")
            .define(TOLERANCE, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW, "Read to refuse batching with all.");
    }

    ReferenceSinkConfig(final Map<String, String> props) {
        super(definition(), props);
        final String type = getString(AUTH_TYPE);
        final Password auth = getPassword(AUTH_HEADER);
        final boolean hasAuth = auth != null && !auth.value().isBlank();
        if ("static".equals(type) && !hasAuth) {
            throw new ConfigException(AUTH_HEADER, auth, "Must be present when " + AUTH_TYPE + " = static");
        }
        if ("none".equals(type) && hasAuth) {
            throw new ConfigException(AUTH_HEADER, auth, "Must not be present when " + AUTH_TYPE + " != static");
        }
        final String tolerance = getString(TOLERANCE);
        if (getBoolean(BATCHING) && tolerance != null && tolerance.equalsIgnoreCase("all")) {
            throw new ConfigException("errors.tolerance=all cannot be combined with batching.enabled=true");
        }
    }

    /** Headers as Aiven reads them: each pair split at ':' (the part after a second ':' is lost). */
    Map<String, String> additionalHeaders() {
        final Map<String, String> headers = new LinkedHashMap<>();
        for (final String pair : getList(ADDITIONAL)) {
            final String[] parts = pair.split(":");
            if (headers.put(parts[0], parts[1]) != null) {
                throw new IllegalStateException("Duplicate header " + parts[0]);
            }
        }
        return headers;
    }

    String authorization() {
        final Password auth = getPassword(AUTH_HEADER);
        return "static".equals(getString(AUTH_TYPE)) && auth != null ? auth.value() : null;
    }

    /** Delimiters come from the file as written: ConfigDef trims strings, and whitespace is a common delimiter. */
    String delimiter(final String key, final String fallback) {
        get(key);
        return originalsStrings().getOrDefault(key, fallback);
    }

    private static void checkUrl(final String name, final Object value) {
        if (!(value instanceof String)) {
            throw new ConfigException(name, value, "must be a string");
        }
        try {
            new java.net.URL((String) value);
        } catch (final java.net.MalformedURLException e) {
            throw new ConfigException(name, value, "malformed URL");
        }
    }

    private static void checkNotBlank(final String name, final Object value) {
        if (value != null && ((String) value).isBlank()) {
            throw new ConfigException(name, value, "must not be blank");
        }
    }

    private static void checkHeaderPairs(final String name, final Object value) {
        if (!(value instanceof List)) {
            throw new ConfigException(name, value, "must be a list of name:value");
        }
        final Set<String> seen = new HashSet<>();
        for (final Object item : new ArrayList<>((List<?>) value)) {
            final String[] parts = ((String) item).split(":", -1);
            if (parts.length != 2) {
                throw new ConfigException(name, item, "each header must be name:value");
            }
            if (!seen.add(parts[0].toLowerCase())) {
                throw new ConfigException(name, item, "header names must be unique ignoring case");
            }
        }
    }
}
