package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the state of a release's clusters with four list requests (StatefulSets, pods, Secrets of the release;
 * events of the namespace). Secret content is parsed in memory for certificate expiry only and never kept.
 */
public final class ClusterInspector {
    private final KubernetesClient client;
    private final String namespace;
    private final String release;
    private final ApiErrors errors;

    public ClusterInspector(KubernetesClient client, String namespace, String release) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
        this.errors = ApiErrors.of(client);
    }

    /** Every cluster of the release that has a StatefulSet, pod or Secret, sorted by name. */
    public List<ClusterInfo> all() {
        Map<String, String> selector = Labels.release(release);
        String in = " in namespace " + namespace;
        List<StatefulSet> sets = errors.call("list", "statefulsets" + in,
                () -> client.apps().statefulSets().inNamespace(namespace).withLabels(selector).list().getItems());
        List<Pod> pods = errors.call("list", "pods" + in,
                () -> client.pods().inNamespace(namespace).withLabels(selector).list().getItems());
        List<Secret> secrets = errors.call("list", "secrets" + in,
                () -> client.secrets().inNamespace(namespace).withLabels(selector).list().getItems());
        List<Event> events = errors.call("list", "events" + in,
                () -> client.v1().events().inNamespace(namespace).list().getItems());
        return assemble(sets, pods, secrets, events);
    }

    /** Builds the infos from already-fetched objects (used by {@link Waiter} with informer caches). */
    public static List<ClusterInfo> assemble(List<StatefulSet> sets, List<Pod> pods, List<Secret> secrets,
            List<Event> events) {
        TreeSet<String> names = new TreeSet<>();
        Map<String, StatefulSet> setBy = new HashMap<>();
        Map<String, Pod> podBy = new HashMap<>();
        Map<String, Instant> certBy = new HashMap<>();
        Map<String, Instant> caBy = new HashMap<>();
        for (StatefulSet s : sets) {
            String n = Labels.get(s, Labels.CLUSTER);
            if (n != null) {
                names.add(n);
                setBy.put(n, s);
            }
        }
        for (Pod p : pods) {
            String n = Labels.get(p, Labels.CLUSTER);
            if (n != null) {
                names.add(n);
                podBy.merge(n, p, (a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()) <= 0 ? a : b);
            }
        }
        for (Secret s : secrets) {
            String n = Labels.get(s, Labels.CLUSTER);
            if (n == null || s.getData() == null) {
                continue;
            }
            if (s.getData().containsKey("config")) {
                Instant t = clientCertExpiry(s.getData().get("config"));
                if (t != null) {
                    certBy.put(n, t);
                }
            } else if (s.getData().containsKey("tls.crt")) {
                Instant t = certExpiry(decode(s.getData().get("tls.crt")));
                if (t != null) {
                    caBy.put(n, t);
                }
            }
        }
        List<ClusterInfo> result = new ArrayList<>();
        for (String n : names) {
            StatefulSet sts = setBy.get(n);
            Pod pod = podBy.get(n);
            List<Event> podEvents = pod == null ? List.of() : events.stream()
                    .filter(e -> e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
                            && pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                    .sorted(Comparator.comparing(Phase::time)).toList();
            Phase.Reasoned phase = sts == null && pod == null
                    ? new Phase.Reasoned(Phase.Pending, "no StatefulSet (install incomplete: re-run kdk install)")
                    : Phase.of(pod, podEvents);
            String owner = sts != null ? Labels.annotation(sts, Labels.OWNER)
                    : pod != null ? Labels.annotation(pod, Labels.OWNER) : null;
            int replicas = sts != null && sts.getSpec() != null && sts.getSpec().getReplicas() != null
                    ? sts.getSpec().getReplicas() : 1;
            int ready = sts != null && sts.getStatus() != null && sts.getStatus().getReadyReplicas() != null
                    ? sts.getStatus().getReadyReplicas() : phase.phase() == Phase.Ready ? 1 : 0;
            int restarts = pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
                    : pod.getStatus().getContainerStatuses().stream()
                            .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
            Instant created = sts != null ? parse(sts.getMetadata().getCreationTimestamp()) : null;
            result.add(new ClusterInfo(n, owner, sts, pod, podEvents, phase, ready, replicas, restarts, created,
                    certBy.get(n), caBy.get(n)));
        }
        return result;
    }

    static Instant parse(String rfc3339) {
        try {
            return rfc3339 == null ? null : Instant.parse(rfc3339);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** notAfter of the first user's client certificate in a base64 kubeconfig, or null if unreadable. */
    static Instant clientCertExpiry(String base64Kubeconfig) {
        try {
            Config config = Serialization.unmarshal(new String(decode(base64Kubeconfig), StandardCharsets.UTF_8),
                    Config.class);
            if (config == null || config.getUsers() == null) {
                return null;
            }
            for (NamedAuthInfo user : config.getUsers()) {
                if (user.getUser() != null && user.getUser().getClientCertificateData() != null) {
                    return certExpiry(decode(user.getUser().getClientCertificateData()));
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** notAfter of the first certificate in PEM or DER bytes, or null if unreadable. */
    static Instant certExpiry(byte[] pemOrDer) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pemOrDer));
            return cert.getNotAfter().toInstant();
        } catch (Exception e) {
            return null;
        }
    }
}
