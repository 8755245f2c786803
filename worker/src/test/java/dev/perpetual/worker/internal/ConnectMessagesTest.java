package dev.perpetual.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real loopback clients against a port nobody listens on: their failures' messages name the host and port. */
class ConnectMessagesTest {

    private int port;
    private URI owners;

    @BeforeEach
    void aClosedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        owners = URI.create("http://127.0.0.1:" + port + "/owners");
    }

    @Test
    void theJdkHttpClientsBareConnectExceptionIsNamedWithTheRequestsAddress() {
        Throwable failure = catchThrowable(() -> HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(owners).build(), HttpResponse.BodyHandlers.discarding()));

        assertThat(ConnectMessages.message(failure, owners)).isEqualTo("java.net.ConnectException: 127.0.0.1:" + port);
        assertThat(ConnectMessages.message(failure, null)).as("no request seen: nothing to add")
                .isEqualTo("java.net.ConnectException");
    }

    @Test
    void aUrlConnectionAndASocketSayConnectionRefusedWithTheAddress() {
        Throwable url = catchThrowable(() -> owners.toURL().openStream().close());
        Throwable socket = catchThrowable(() -> new Socket("127.0.0.1", port).close());

        assertThat(ConnectMessages.message(url, owners)).isEqualTo("Connection refused: 127.0.0.1:" + port);
        assertThat(ConnectMessages.message(socket, URI.create("socket://127.0.0.1:" + port)))
                .isEqualTo("Connection refused: 127.0.0.1:" + port);
    }

    @Test
    void aUrlInTheCauseChainNamesTheAddressWithTheSchemesPortAndNoUserInfo() {
        Throwable refused = catchThrowable(() -> new Socket("127.0.0.1", port).close());
        Throwable wrapped = new UncheckedIOException("listing owners",
                new IOException("GET http://probe:hunter22@petclinic.internal/owners failed", refused));

        assertThat(ConnectMessages.message(wrapped, owners)).isEqualTo("listing owners: petclinic.internal:80");
    }

    @Test
    void aClientsMessageShowingTheJdksMissingOneAsNullGetsTheExceptionsNameThere() {
        Throwable failure = catchThrowable(() -> HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(owners).build(), HttpResponse.BodyHandlers.discarding()));
        Throwable spring = new IOException("I/O error on GET request for \"" + owners + "\": null", failure);

        assertThat(ConnectMessages.message(spring, owners)).isEqualTo("I/O error on GET request for \"" + owners
                + "\": java.net.ConnectException");
    }

    @Test
    void aMessageThatNamesTheAddressAlreadyAndOtherFailuresAreLeftAsTheyAre() {
        Throwable refused = catchThrowable(() -> new Socket("127.0.0.1", port).close());
        Throwable named = new IOException("I/O error on GET request for \"" + owners + "\": Connection refused",
                refused);

        assertThat(ConnectMessages.message(named, owners)).isEqualTo(named.getMessage());
        assertThat(ConnectMessages.message(new AssertionError("status ==> expected: <200> but was: <500>"), owners))
                .isEqualTo("status ==> expected: <200> but was: <500>");
    }
}
