package dev.kdk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.kdk.pki.CertificateAuthority;
import dev.kdk.pki.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

/**
 * A real HTTPS server on 127.0.0.1 standing in for a kind cluster's inner API server in tests: TLS with a
 * certificate from kdk's own PKI, client certificates required and checked against a CA (a request without a
 * client certificate signed by that CA fails the TLS handshake, as with the real API server).
 *
 * <p>Answers:
 * <ul>
 *   <li>{@code GET /readyz}, {@code /livez}, {@code /healthz}: {@code ok} (text/plain)</li>
 *   <li>{@code GET /version}: a version.Info JSON object (gitVersion v1.32.0)</li>
 *   <li>{@code GET /api}: an APIVersions JSON object (versions ["v1"])</li>
 *   <li>{@code GET /apis}: an empty APIGroupList</li>
 *   <li>anything else: 404 with a Status JSON object</li>
 * </ul>
 * Every request is recorded as {@link Request} (method, path, client certificate CN), see {@link #requests()}.
 *
 * <p>Typical use, with kubectl through a kdk kubeconfig:
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), Instant.now());
 * try (FakeApiServer server = FakeApiServer.start(ca)) {
 *     String kubeconfig = Kubeconfigs.build("kdk-testing1", server.url(), ca.certificatePem(),
 *             ca.issueClient("dev@example.com", List.of("system:masters"), Duration.ofDays(1), Instant.now()));
 *     // kubectl --kubeconfig F get --raw /readyz  ->  ok
 * }
 * }</pre>
 */
public final class FakeApiServer implements AutoCloseable {
    /** One request the server answered. */
    public record Request(String method, String path, String clientCommonName) {
    }

    private static final String VERSION_JSON = """
            {"major":"1","minor":"32","gitVersion":"v1.32.0","gitCommit":"fake","gitTreeState":"clean",\
            "buildDate":"2025-01-01T00:00:00Z","goVersion":"go1.23.0","compiler":"gc","platform":"linux/amd64"}""";
    private static final String APIS_JSON = """
            {"kind":"APIGroupList","apiVersion":"v1","groups":[]}""";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeApiServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a server with a certificate issued by {@code ca} for 127.0.0.1, ::1 and localhost (as kubeadm does
     * with the cluster CA) that accepts client certificates signed by the same CA; on a free port of 127.0.0.1.
     */
    public static FakeApiServer start(CertificateAuthority ca) {
        IssuedCertificate serverCert = ca.issueServer("kube-apiserver", List.of("localhost", "kubernetes"),
                List.of("127.0.0.1", "::1"), Duration.ofDays(1), Instant.now());
        return start(serverCert, ca);
    }

    /** Starts a server on a free port of 127.0.0.1; see {@link #start(IssuedCertificate, CertificateAuthority, int)}. */
    public static FakeApiServer start(IssuedCertificate serverCert, CertificateAuthority clientCa) {
        return start(serverCert, clientCa, 0);
    }

    /**
     * Starts a server on 127.0.0.1:{@code port}.
     *
     * @param serverCert the server's certificate and key (SANs should include 127.0.0.1 for kubectl to accept it)
     * @param clientCa client certificates must be signed by this CA
     * @param port TCP port, 0 for any free one (see {@link #port()})
     */
    public static FakeApiServer start(IssuedCertificate serverCert, CertificateAuthority clientCa, int port) {
        try {
            SSLContext tls = tlsContext(serverCert, clientCa);
            HttpsServer server = HttpsServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = tls.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fake-api-server");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            FakeApiServer fake = new FakeApiServer(server, executor);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the fake API server", e);
        }
    }

    private static SSLContext tlsContext(IssuedCertificate serverCert, CertificateAuthority clientCa)
            throws GeneralSecurityException, IOException {
        char[] password = "fake".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverCert.privateKey(), password,
                new Certificate[] {serverCert.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("client-ca", clientCa.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);

        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return tls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, clientCommonName(exchange)));
            switch (path) {
                case "/readyz", "/livez", "/healthz" -> respond(exchange, 200, "text/plain; charset=utf-8", "ok");
                case "/version" -> respond(exchange, 200, "application/json", VERSION_JSON);
                case "/api" -> respond(exchange, 200, "application/json", apiVersionsJson());
                case "/apis" -> respond(exchange, 200, "application/json", APIS_JSON);
                default -> respond(exchange, 404, "application/json",
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                                + "\"the server could not find the requested resource\",\"reason\":\"NotFound\","
                                + "\"code\":404}");
            }
        }
    }

    private String apiVersionsJson() {
        return "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:" + port() + "\"}]}";
    }

    private static String clientCommonName(HttpExchange exchange) {
        try {
            Certificate[] chain = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            X500Principal subject = ((X509Certificate) chain[0]).getSubjectX500Principal();
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString(); // unescaped, e.g. a+b@example.com
                }
            }
            return null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The TCP port the server listens on (127.0.0.1). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://127.0.0.1:<port>}, the server URL for a kubeconfig. */
    public String url() {
        return "https://127.0.0.1:" + port();
    }

    /** The requests answered so far, oldest first (requests that failed the TLS handshake are not seen). */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Stops the server at once (open exchanges are cut) and its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
