package dev.kdk.pki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.kdk.KdkException;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Builds, reads and rewrites kubeconfig YAML with fabric8's {@link Config} model and serializer.
 *
 * <p>A kubeconfig built here has one cluster, one user and one context, all named after the cluster
 * ({@code kdk-NAME}), and current-context set to it. The user entry is named after the cluster, not the owner's
 * email: the email is already the certificate's CN (what the API server sees), and a per-cluster user name keeps
 * two kdk kubeconfigs of the same developer from overwriting each other's credentials when merged with
 * {@code KUBECONFIG=a:b}.
 *
 * <p>Errors name the {@code source} (e.g. "Secret dev/kdk-testing1-kubeconfig key config") and never echo the
 * kubeconfig's content: it holds a private key.
 */
public final class Kubeconfigs {
    private static final ObjectWriter JSON = new ObjectMapper().writerWithDefaultPrettyPrinter();
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Kubeconfigs() {
    }

    /**
     * A kubeconfig YAML for one cluster reached with a client certificate.
     *
     * @param name cluster, user and context name, and current-context, e.g. "kdk-testing1"
     * @param server API server URL, e.g. "https://127.0.0.1:16443"
     * @param caPem PEM of the CA certificate the server's certificate chains to; stored base64-encoded in
     *     {@code certificate-authority-data}
     * @param client the client certificate and key; stored as {@code client-certificate-data} and
     *     {@code client-key-data} (PKCS#8), base64-encoded PEM
     * @return kubeconfig text (apiVersion v1, kind Config) in JSON form, which is also YAML: kubectl and client-go
     *     read it like any kubeconfig. JSON because a Secret is written for every cluster, and fabric8's YAML writer
     *     takes about fifteen times as long ({@code scripts/bench render}).
     */
    public static String build(String name, String server, String caPem, IssuedCertificate client) {
        requireText(name, "kubeconfig name");
        requireText(server, "kubeconfig server");
        requireText(caPem, "kubeconfig CA certificate");
        Objects.requireNonNull(client, "client");
        Config config = new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .addNewCluster()
                    .withName(name)
                    .withNewCluster()
                        .withServer(server)
                        .withCertificateAuthorityData(base64(caPem))
                    .endCluster()
                .endCluster()
                .addNewUser()
                    .withName(name)
                    .withNewUser()
                        .withClientCertificateData(base64(client.certificatePem()))
                        .withClientKeyData(base64(client.privateKeyPem()))
                    .endUser()
                .endUser()
                .addNewContext()
                    .withName(name)
                    .withNewContext()
                        .withCluster(name)
                        .withUser(name)
                    .endContext()
                .endContext()
                .withCurrentContext(name)
                .build();
        return toJson(config);
    }

    /**
     * {@code config} as indented JSON, the form kdk writes kubeconfigs in (see {@link #build}); kubectl and
     * client-go read it as YAML.
     */
    public static String toJson(Config config) {
        try {
            return JSON.writeValueAsString(config) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a kubeconfig as JSON", e);
        }
    }

    /**
     * Parses kubeconfig YAML (or JSON).
     *
     * @param source where the text came from, for errors, e.g. "Secret dev/kdk-testing1-kubeconfig key config"
     * @throws KdkException naming {@code source} if the text is empty or not a kubeconfig; the message gives at
     *     most a line and column, never the content
     */
    public static Config parse(String yaml, String source) {
        if (yaml == null || yaml.isBlank()) {
            throw new KdkException(source + ": kubeconfig is empty");
        }
        Object tree;
        try {
            // snakeyaml first: its errors carry a line and column, and the safe constructor builds plain maps only.
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (RuntimeException e) {
            // Parser messages quote the input, which may contain a private key: report only where it failed.
            throw new KdkException(source + ": not a valid kubeconfig" + location(e));
        }
        if (!(tree instanceof Map)) {
            throw new KdkException(source + ": not a valid kubeconfig (not a YAML mapping)");
        }
        Config config;
        try {
            // fabric8's own serialization, which read the host kubeconfig: its deserializers for the kubeconfig
            // model are built once per process (a serialization of kdk's own would build them again, 0.04 s).
            config = Serialization.unmarshal(yaml, Config.class);
        } catch (RuntimeException e) {
            throw new KdkException(source + ": not a valid kubeconfig" + location(e));
        }
        return config;
    }

    /**
     * The same kubeconfig with every cluster's {@code server} replaced, e.g. by
     * {@code https://127.0.0.1:<local port>} for a port-forward. Everything else, TLS data included, is kept.
     *
     * @return the kubeconfig as {@link #toJson} writes it
     *
     * @throws KdkException naming {@code source} if the text is not a kubeconfig or has no cluster
     */
    public static String withServer(String yaml, String server, String source) {
        return withServer(parse(yaml, source), server, source);
    }

    /**
     * As {@link #withServer(String, String, String)}, for a kubeconfig already parsed: sets the server of every
     * cluster of {@code config} itself, then writes it.
     */
    public static String withServer(Config config, String server, String source) {
        requireText(server, "kubeconfig server");
        List<NamedCluster> clusters = config.getClusters();
        if (clusters == null || clusters.stream().noneMatch(c -> c != null && c.getCluster() != null)) {
            throw new KdkException(source + ": kubeconfig has no cluster");
        }
        for (NamedCluster cluster : clusters) {
            if (cluster != null && cluster.getCluster() != null) {
                cluster.getCluster().setServer(server);
            }
        }
        return toJson(config);
    }

    /**
     * The client certificate and key of the current context's user ({@code client-certificate-data} and
     * {@code client-key-data}); when there is no current-context, of the only user. Paths
     * ({@code client-certificate}, {@code client-key}) are not followed: kdk kubeconfigs embed their data.
     *
     * @return empty if that user has neither field (or there is no such user)
     * @throws KdkException naming {@code source} if only one of the two fields is set, either is not base64, or
     *     the PEM inside is invalid or the key does not match (see {@link IssuedCertificate#fromPem})
     */
    public static Optional<IssuedCertificate> clientCertificate(Config config, String source) {
        Optional<AuthInfo> user = currentUser(config);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        String certData = user.get().getClientCertificateData();
        String keyData = user.get().getClientKeyData();
        if (isBlank(certData) && isBlank(keyData)) {
            return Optional.empty();
        }
        if (isBlank(certData) || isBlank(keyData)) {
            throw new KdkException(source + ": kubeconfig user has " + (isBlank(certData)
                    ? "client-key-data but no client-certificate-data"
                    : "client-certificate-data but no client-key-data"));
        }
        return Optional.of(IssuedCertificate.fromPem(unbase64(certData, source, "client-certificate-data"),
                unbase64(keyData, source, "client-key-data"), source));
    }

    /** {@link #clientCertificate(Config, String)} of the kubeconfig YAML {@code yaml}, parsed as by {@link #parse}. */
    public static Optional<IssuedCertificate> clientCertificate(String yaml, String source) {
        return clientCertificate(parse(yaml, source), source);
    }

    /**
     * The PEM text of the current context's cluster's {@code certificate-authority-data}; when there is no
     * current-context, of the only cluster.
     *
     * @return empty if the cluster has no such field (or there is no such cluster)
     * @throws KdkException naming {@code source} if the field is not base64
     */
    public static Optional<String> certificateAuthorityPem(Config config, String source) {
        Optional<Cluster> cluster = currentCluster(config);
        String data = cluster.map(Cluster::getCertificateAuthorityData).orElse(null);
        return isBlank(data) ? Optional.empty()
                : Optional.of(unbase64(data, source, "certificate-authority-data"));
    }

    private static Optional<NamedContext> currentContext(Config config) {
        String current = config.getCurrentContext();
        if (isBlank(current) || config.getContexts() == null) {
            return Optional.empty();
        }
        return config.getContexts().stream()
                .filter(c -> c != null && current.equals(c.getName()) && c.getContext() != null)
                .findFirst();
    }

    private static Optional<AuthInfo> currentUser(Config config) {
        List<NamedAuthInfo> users = config.getUsers() == null ? List.of() : config.getUsers();
        Optional<NamedContext> context = currentContext(config);
        if (context.isEmpty()) {
            return users.size() == 1 ? Optional.ofNullable(users.get(0).getUser()) : Optional.empty();
        }
        String name = context.get().getContext().getUser();
        return users.stream()
                .filter(u -> u != null && Objects.equals(name, u.getName()) && u.getUser() != null)
                .map(NamedAuthInfo::getUser)
                .findFirst();
    }

    private static Optional<Cluster> currentCluster(Config config) {
        List<NamedCluster> clusters = config.getClusters() == null ? List.of() : config.getClusters();
        Optional<NamedContext> context = currentContext(config);
        if (context.isEmpty()) {
            return clusters.size() == 1 ? Optional.ofNullable(clusters.get(0).getCluster()) : Optional.empty();
        }
        String name = context.get().getContext().getCluster();
        return clusters.stream()
                .filter(c -> c != null && Objects.equals(name, c.getName()) && c.getCluster() != null)
                .map(NamedCluster::getCluster)
                .findFirst();
    }

    /**
     * " (YAML error at line L, column C)" or " (wrong type at clusters[0].cluster)" from the first cause that knows
     * where parsing failed, or "". Only positions and field names: never values.
     */
    private static String location(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                Mark mark = yaml.getProblemMark();
                return " (YAML error at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
            }
            if (t instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (JsonMappingException.Reference reference : mapping.getPath()) {
                    if (reference.getFieldName() != null) {
                        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                    } else if (reference.getIndex() >= 0) {
                        path.append('[').append(reference.getIndex()).append(']');
                    }
                }
                return " (wrong type at " + path + ")";
            }
        }
        return "";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(String data, String source, String field) {
        try {
            return new String(Base64.getDecoder().decode(WHITESPACE.matcher(data).replaceAll("")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new KdkException(source + ": kubeconfig " + field + " is not base64");
        }
    }

    private static void requireText(String value, String what) {
        if (isBlank(value)) {
            throw new KdkException(what + " must not be empty", KdkException.USAGE, null);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
