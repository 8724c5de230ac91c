package dev.kdk.cluster;

import dev.kdk.KdkException;
import dev.kdk.pki.CertificateAuthority;
import dev.kdk.pki.IssuedCertificate;
import dev.kdk.pki.Kubeconfigs;
import dev.kdk.render.FreshPki;
import dev.kdk.render.Renderer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kdk rotate-certs NAME...}: issues a new client certificate for each named cluster, signed by the cluster's
 * CA (Secret {@code RELEASE-NAME-ca}, which is kept), and rewrites Secret {@code RELEASE-NAME-kubeconfig}. Needs no
 * values file: the owner (CN), server and validity come from the current kubeconfig (the owner from the
 * {@code kdk.dev/owner} annotation if the certificate is unreadable; validity 365 days if unknown). The old
 * certificate stays valid until it expires (Kubernetes has no revocation for client certificates).
 */
public final class RotateCerts {
    /** What was rotated: the cluster, the new certificate's owner and its notAfter. */
    public record Result(String cluster, String owner, Instant notAfter) {
    }

    private final KubernetesClient client;
    private final String namespace;

    public String release = "kdk";
    public List<String> names = new ArrayList<>();
    public Clock clock = Clock.systemUTC();

    public RotateCerts(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Rotates every named cluster; throws KdkException naming a cluster that has no CA or kubeconfig Secret. */
    public List<Result> run() {
        if (names.isEmpty()) {
            throw new KdkException("name the clusters whose client certificates to rotate", KdkException.USAGE, null);
        }
        ApiErrors errors = ApiErrors.of(client);
        List<Result> results = new ArrayList<>();
        for (String name : names) {
            String fullname = Renderer.fullname(release, name);
            Secret caSecret = get(errors, fullname + "-ca");
            Secret kcSecret = get(errors, fullname + "-kubeconfig");
            if (caSecret == null || kcSecret == null) {
                throw new KdkException("cluster " + name + " has no Secret " + namespace + "/" + fullname
                        + (caSecret == null ? "-ca" : "-kubeconfig") + " (release " + release
                        + "); run kdk install first", KdkException.USAGE, null);
            }
            String caSource = "Secret " + namespace + "/" + fullname + "-ca";
            CertificateAuthority ca = CertificateAuthority.fromPem(text(caSecret, "tls.crt", caSource),
                    text(caSecret, "tls.key", caSource), caSource);
            String kcSource = "Secret " + namespace + "/" + fullname + "-kubeconfig key config";
            String kubeconfig = text(kcSecret, "config", kcSource);
            var config = Kubeconfigs.parse(kubeconfig, kcSource);
            String server = config.getClusters() == null || config.getClusters().isEmpty() ? null
                    : config.getClusters().get(0).getCluster().getServer();
            if (server == null) {
                throw new KdkException(kcSource + ": kubeconfig has no server; run kdk install to rewrite it");
            }
            IssuedCertificate old = null;
            try {
                old = Kubeconfigs.clientCertificate(config, kcSource).orElse(null);
            } catch (KdkException unreadable) {
                // replaced below
            }
            String owner = old != null && old.commonName() != null ? old.commonName()
                    : Labels.annotation(kcSecret, Labels.OWNER);
            if (owner == null) {
                throw new KdkException(kcSource + ": cannot tell the owner (no client certificate, no "
                        + Labels.OWNER + " annotation); run kdk install -f VALUES instead");
            }
            Duration validity = old != null ? Duration.between(old.notBefore(), old.notAfter()).minusMinutes(5)
                    : Duration.ofDays(365);
            Instant now = clock.instant();
            IssuedCertificate fresh = ca.issueClient(owner, List.of(FreshPki.OWNER_GROUP), validity, now);
            String yaml = Kubeconfigs.build(fullname, server, ca.certificatePem(), fresh);
            Map<String, String> annotations = new LinkedHashMap<>(kcSecret.getMetadata().getAnnotations() == null
                    ? Map.of() : kcSecret.getMetadata().getAnnotations());
            annotations.remove(Labels.APPLIED_HASH);
            Secret desired = new SecretBuilder().withNewMetadata().withName(kcSecret.getMetadata().getName())
                    .withNamespace(namespace).withLabels(kcSecret.getMetadata().getLabels())
                    .withAnnotations(annotations).endMetadata().withType(kcSecret.getType())
                    .addToData("config", Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8)))
                    .build();
            Applier.stampHash(desired);
            errors.call("apply", "Secret " + fullname + "-kubeconfig in namespace " + namespace,
                    () -> client.resource(desired).fieldManager(Labels.FIELD_MANAGER).forceConflicts()
                            .serverSideApply());
            results.add(new Result(name, owner, fresh.notAfter()));
        }
        return results;
    }

    private Secret get(ApiErrors errors, String name) {
        return errors.call("get", "Secret " + name + " in namespace " + namespace,
                () -> client.secrets().inNamespace(namespace).withName(name).get());
    }

    private static String text(Secret secret, String key, String source) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        if (value == null) {
            throw new KdkException(source + " has no key " + key);
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new KdkException(source + " key " + key + " is not valid base64");
        }
    }
}
