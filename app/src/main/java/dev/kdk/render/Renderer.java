package dev.kdk.render;

import com.hubspot.jinjava.interpret.LazyExpression;
import dev.kdk.values.ClusterValues;
import dev.kdk.values.ReleaseValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Renders the chart templates once per cluster: a pure function of templates, values, namespace and PKI
 * material, as Helm's {@code Engine.Render}. Never talks to a cluster.
 */
public final class Renderer {
    /** Where scripts/kdk-entrypoint.sh is embedded at build time. */
    public static final String ENTRYPOINT_RESOURCE = "/kdk/scripts/kdk-entrypoint.sh";

    private final ChartTemplates templates;
    private final TemplateEngine engine;
    private final String entrypoint;
    private final SharedParseBack parseBack = new SharedParseBack();

    public Renderer(ChartTemplates templates) {
        this.templates = templates;
        this.engine = new TemplateEngine(templates);
        this.entrypoint = readEntrypoint();
    }

    /**
     * Renders every cluster of {@code values}.
     *
     * @param namespace the namespace written into every object
     * @param pki       the Secrets' material for a cluster (called at most once per cluster, possibly in parallel;
     *                  not at all for a cluster none of whose templates reads {@code pki})
     * @return one manifest per rendered document: clusters sorted by name, and within a cluster in apply order
     *         ({@link KindOrder}, then template name)
     * @throws TemplateException naming the template, line or field, if a template fails
     */
    public List<Manifest> render(ReleaseValues values, String namespace, Function<ClusterValues, PkiMaterial> pki) {
        return render(values, namespace, pki, false);
    }

    /**
     * As {@link #render}, with every manifest's typed object made while the clusters render in parallel, for callers
     * that use them all (install applies them).
     */
    public List<Manifest> renderObjects(ReleaseValues values, String namespace,
                                        Function<ClusterValues, PkiMaterial> pki) {
        return render(values, namespace, pki, true);
    }

    private List<Manifest> render(ReleaseValues values, String namespace, Function<ClusterValues, PkiMaterial> pki,
                                  boolean objects) {
        // Clusters render in parallel; an error is reported for the first failing cluster in name order,
        // so the message does not depend on thread timing.
        List<Object> perCluster = values.clusters().parallelStream()
                .map(c -> {
                    try {
                        List<Manifest> manifests = renderCluster(values.release(), namespace, c, () -> pki.apply(c));
                        if (objects) {
                            manifests.forEach(Manifest::object);
                        }
                        return (Object) manifests;
                    } catch (RuntimeException e) {
                        return e;
                    }
                })
                .toList();
        List<Manifest> out = new ArrayList<>();
        for (Object result : perCluster) {
            if (result instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<Manifest> manifests = (List<Manifest>) result;
            out.addAll(manifests);
        }
        return out;
    }

    /**
     * Renders one cluster's manifests, in apply order. Each document is checked against the typed model; a document
     * shaped like one already checked (the same but for the cluster's own strings) is not parsed again.
     */
    public List<Manifest> renderCluster(String release, String namespace, ClusterValues cluster, PkiMaterial pki) {
        return renderCluster(release, namespace, cluster, () -> pki);
    }

    private List<Manifest> renderCluster(String release, String namespace, ClusterValues cluster,
                                         Supplier<PkiMaterial> pki) {
        PkiMaterial[] made = new PkiMaterial[1];
        Supplier<PkiMaterial> once = () -> made[0] != null ? made[0] : (made[0] = pki.get());
        Map<String, Object> context = context(release, namespace, cluster, once);
        Map<String, String> rendered = new LinkedHashMap<>();
        for (String name : templates.templateNames()) {
            rendered.put(name, engine.render(name, context));
        }
        // The PKI is made only if a template read it (not for `kdk template --show-only statefulset.yaml.j2`).
        // Always six places, so a shape's places mean the same for every cluster; the certificates' stay empty when
        // no template read them.
        List<String> own = Arrays.asList(cluster.name(), fullname(release, cluster.name()), cluster.email(), null,
                null, null);
        PkiMaterial p = made[0];
        if (p != null) {
            own.set(3, Filters.base64(p.caCertificate()));
            own.set(4, Filters.base64(p.caPrivateKey()));
            own.set(5, Filters.base64(p.kubeconfig()));
        }
        List<String> strings = SharedParseBack.clusterStrings(own);
        List<Manifest> out = new ArrayList<>();
        rendered.forEach((name, text) -> {
            String source = templates.displayName() + "/" + name;
            List<String> docs = ManifestParser.split(text);
            for (int i = 0; i < docs.size(); i++) {
                out.add(parseBack.manifest(cluster.name(), name, i, source, docs.get(i), strings));
            }
        });
        out.sort(Comparator.comparingInt((Manifest m) -> KindOrder.rank(m.kind())).thenComparing(Manifest::template));
        return out;
    }

    private Map<String, Object> context(String release, String namespace, ClusterValues cluster,
                                        Supplier<PkiMaterial> pki) {
        String fullname = fullname(release, cluster.name());
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("app.kubernetes.io/instance", release);
        selector.put("kdk.dev/cluster", cluster.name());
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "kdk");
        labels.putAll(selector);
        labels.put("app.kubernetes.io/managed-by", "kdk");
        labels.put("app.kubernetes.io/component", "cluster");
        Map<String, Object> c = new HashMap<>();
        c.put("name", cluster.name());
        c.put("email", cluster.email());
        c.put("fullname", fullname);
        c.put("labels", labels);
        c.put("selectorLabels", selector);
        c.put("annotations", Map.of("kdk.dev/owner", cluster.email()));
        Supplier<Map<String, Object>> p = () -> {
            PkiMaterial m = pki.get();
            return Map.of("caCertificate", m.caCertificate(), "caPrivateKey", m.caPrivateKey(),
                    "kubeconfig", m.kubeconfig());
        };
        Map<String, Object> context = new HashMap<>();
        context.put("release", release);
        context.put("namespace", namespace);
        context.put("cluster", c);
        context.put("values", cluster.values());
        context.put("pki", LazyExpression.of(p, "pki"));
        context.put("files", Map.of("entrypoint", entrypoint));
        return context;
    }

    /** {@code RELEASE-NAME}: the name of a cluster's StatefulSet, Service, ConfigMap and the prefix of the rest. */
    public static String fullname(String release, String cluster) {
        return release + "-" + cluster;
    }

    private static String readEntrypoint() {
        try (InputStream in = Renderer.class.getResourceAsStream(ENTRYPOINT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("kdk is built without " + ENTRYPOINT_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
