package dev.kdk.connect;

import dev.kdk.KdkException;
import dev.kdk.pki.IssuedCertificate;
import dev.kdk.pki.Kubeconfigs;
import io.fabric8.kubernetes.api.model.Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Proves a forward reaches the inner API server: a TLS handshake through the local port that verifies the server
 * certificate against the cluster CA from the kubeconfig, including that it names the host we dial (127.0.0.1),
 * and offers the kubeconfig's client certificate.
 */
public final class TlsProbe {
    private final SSLContext context;

    /**
     * @param config the developer's kubeconfig, as {@link Kubeconfigs#parse} reads it
     * @param source where it came from, for errors (never its content)
     * @throws KdkException if the kubeconfig has no {@code certificate-authority-data} or its TLS data is invalid
     */
    public TlsProbe(Config config, String source) {
        String caPem = Kubeconfigs.certificateAuthorityPem(config, source).orElseThrow(() -> new KdkException(
                source + ": kubeconfig has no certificate-authority-data; kdk keeps TLS verification on, so the"
                        + " admin must re-run kdk install to regenerate it"));
        Optional<IssuedCertificate> client = Kubeconfigs.clientCertificate(config, source);
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (client.isPresent()) {
                char[] password = new char[0];
                // An in-memory store, never written: JKS, whose key protection is a few digests, not PKCS12's
                // password-based encryption with 10000 PBKDF2 rounds to store the key and again to read it (0.4 s).
                KeyStore keys = KeyStore.getInstance("JKS");
                keys.load(null, null);
                keys.setKeyEntry("client", client.get().privateKey(), password,
                        new Certificate[] {client.get().certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } catch (GeneralSecurityException | IOException e) {
            throw new KdkException(source + ": cannot use the kubeconfig's TLS data: " + e.getMessage(), e);
        }
    }

    /**
     * Connects to {@code host}:{@code port} and completes a TLS handshake within {@code timeout}. Throws
     * KdkException (exit 1) saying what failed: connection refused, closed (the pod end failed), timeout, or a
     * certificate that the cluster CA did not sign or that does not name {@code host}.
     */
    public void handshake(String host, int port, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
        } catch (javax.net.ssl.SSLHandshakeException e) {
            if (e.getCause() instanceof java.io.EOFException || String.valueOf(e.getMessage()).contains("terminated")) {
                throw new KdkException("the port forward closed before the TLS handshake completed; is the cluster's"
                        + " API server up inside the pod? (kubectl logs on the host)", e);
            }
            throw new KdkException("TLS handshake through the port forward failed: " + e.getMessage()
                    + " (the server certificate must be signed by the cluster CA and name " + host + ")", e);
        } catch (java.net.SocketTimeoutException e) {
            throw new KdkException("the port forward did not complete a TLS handshake within "
                    + ClusterPodLocator.format(timeout), e);
        } catch (IOException e) {
            throw new KdkException("the port forward closed before the TLS handshake completed (" + e.getMessage()
                    + "); is the cluster's API server up inside the pod? (kubectl logs on the host)", e);
        }
    }
}
