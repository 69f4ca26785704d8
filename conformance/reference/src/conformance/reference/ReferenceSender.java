package conformance.reference;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * POSTs a body with java.net.http (as Aiven's connector does, so the same client writes the same bytes): the
 * additional headers, then Content-Type when set, then a static Authorization. A status of 400 or more, or an
 * I/O error, is retried max.retries times retry.backoff.ms apart; then the send fails with a ConnectException.
 */
final class ReferenceSender {
    private final ReferenceSinkConfig config;
    private final HttpClient client = HttpClient.newBuilder().build();

    ReferenceSender(final ReferenceSinkConfig config) {
        this.config = config;
    }

    void send(final String body, final String partitions) {
        final HttpRequest.Builder request = HttpRequest
            .newBuilder(URI.create(config.getString(ReferenceSinkConfig.URL) + "?p=" + partitions))
            .timeout(Duration.ofSeconds(config.getInt(ReferenceSinkConfig.TIMEOUT)));
        config.additionalHeaders().forEach(request::header);
        final String contentType = config.getString(ReferenceSinkConfig.CONTENT_TYPE);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        final String authorization = config.authorization();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.POST(HttpRequest.BodyPublishers.ofString(body));
        for (int left = config.getInt(ReferenceSinkConfig.MAX_RETRIES); left >= 0; left--) {
            try {
                final HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 400) {
                    return;
                }
            } catch (final IOException e) {
                // retried below
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException(e);
            }
            try {
                Thread.sleep(config.getInt(ReferenceSinkConfig.RETRY_BACKOFF));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException(e);
            }
        }
        throw new ConnectException("Sending failed and no retries remain");
    }
}
