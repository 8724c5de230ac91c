package dev.kdk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.HttpUrl;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host cluster's API in tests: fabric8's CRUD dispatcher plus what kdk needs from a real API server and kubelet:
 * <ul>
 *   <li>server-side apply: {@code PATCH} with {@code Content-Type: application/apply-patch+yaml} creates the object
 *       when absent and merges the patch over it when present (maps merge, lists and scalars replace), bumping
 *       {@code resourceVersion} only when something changed and recording the {@code fieldManager} in
 *       {@code metadata.managedFields};</li>
 *   <li>{@code dryRun=All} on PATCH, POST, PUT and DELETE: answers as if done, stores nothing;</li>
 *   <li>optionally, the API server's "namespace not found" answer for writes into a namespace that does not exist;</li>
 *   <li>injected failures (403 Forbidden, 409 Conflict, ...) for a verb on a resource;</li>
 *   <li>a journal of every request, so tests can count writes;</li>
 *   <li>the kubelet's port-forward ({@code GET .../pods/POD/portforward?ports=N}, WebSocket
 *       {@code v4.channel.k8s.io}, journaled as resource {@code pods/portforward}) bridged by
 *       {@link PortForwardBridge} to a real local TCP port standing in for the pod's port; a pod that is not Ready
 *       refuses on the error channel, as the kubelet does; {@link #dropStreams()} cuts every open stream.</li>
 * </ul>
 * Every request is handled under one lock, so the fabric8 store (a LinkedHashMap) is never read while written.
 * Handlers touch the store directly: the mock dispatches on a Vert.x event loop, and calling the same server over
 * HTTP from here would deadlock it. Socket work of port-forwards runs on the bridge's own threads.
 */
public class HostApiDispatcher extends KubernetesCrudDispatcher {
    /** One request as the server saw it: verb is the Kubernetes verb (get, list, watch, create, update, patch, apply, delete). */
    public record Request(String method, String verb, String resource, String namespace, String name, String path,
            boolean dryRun) {
        public boolean isWrite() {
            return !dryRun && Set.of("create", "update", "patch", "apply", "delete", "deletecollection").contains(verb);
        }

        @Override
        public String toString() {
            return verb + " " + resource + (name != null ? "/" + name : "") + (dryRun ? " (dry run)" : "");
        }
    }

    private record Fault(Predicate<Request> when, int code, String reason, String message) {
    }

    private static final String APPLY_PATCH = "application/apply-patch+yaml";
    private static final Pattern NAMESPACES = Pattern.compile("^/api/v1/namespaces(?:/([^/?]+))?/?(?:\\?.*)?$");
    private static final Pattern PORT_FORWARD =
            Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/portforward\\?(?:.*&)?ports=(\\d+).*$");

    private final KubernetesAttributesExtractor extractor = new KubernetesAttributesExtractor();
    private final List<Request> journal = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private volatile boolean requireNamespaces;
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private final Map<Integer, InetSocketAddress> backends = new ConcurrentHashMap<>();
    private final Set<PortForwardBridge> bridges = ConcurrentHashMap.newKeySet();
    private final AtomicInteger streamsOpened = new AtomicInteger();

    /** The clock for creationTimestamp (and managedFields time) of objects created by server-side apply. */
    public void clock(java.time.Clock clock) {
        this.clock = clock;
    }

    /** When on, writes into a namespace without a stored Namespace object answer 404 as a real API server does. */
    public void requireNamespaces(boolean on) {
        this.requireNamespaces = on;
    }

    /**
     * Answers 403 Forbidden to {@code verb} (create, patch, apply, get, list, delete, ... or "*") on {@code resource}
     * (plural, e.g. "secrets"), with the message a real API server gives.
     */
    public void forbid(String verb, String resource) {
        faults.add(new Fault(r -> matches(verb, r.verb()) && resource.equals(r.resource()), 403, "Forbidden",
                null));
    }

    /** Answers {@code code} with {@code message} to requests matching {@code when}, instead of handling them. */
    public void fail(Predicate<Request> when, int code, String reason, String message) {
        faults.add(new Fault(when, code, reason, message));
    }

    /** Removes every injected failure. */
    public void clearFaults() {
        faults.clear();
    }

    /** Every request seen so far, in order of arrival. */
    public List<Request> journal() {
        return List.copyOf(journal);
    }

    /** The requests that changed (or, for rejected ones, tried to change) the store, dry runs excluded. */
    public List<Request> writes() {
        return journal.stream().filter(Request::isWrite).toList();
    }

    /** Forgets the journal (not the store). */
    public void clearJournal() {
        journal.clear();
    }

    /** Port-forwards to pod port {@code podPort} (of any Ready pod) reach {@code backend}. */
    public void backend(int podPort, InetSocketAddress backend) {
        backends.put(podPort, backend);
    }

    /** Number of port-forward streams opened so far (refused ones included). */
    public int streamsOpened() {
        return streamsOpened.get();
    }

    /** Closes every open port-forward stream, as a restarting pod does. */
    public void dropStreams() {
        for (PortForwardBridge b : bridges) {
            b.close();
        }
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        Request r = describe(request);
        journal.add(r);
        for (Fault f : faults) {
            if (f.when().test(r)) {
                String message = f.message() != null ? f.message() : forbiddenMessage(r);
                return status(f.code(), f.reason(), message);
            }
        }
        boolean writeVerb = r.isWrite() || r.dryRun();
        if (requireNamespaces && writeVerb && r.namespace() != null && !"namespaces".equals(r.resource())) {
            if (!namespaceExists(r.namespace())) {
                return status(404, "NotFound", "namespaces \"" + r.namespace() + "\" not found");
            }
        }
        if ("apply".equals(r.verb())) {
            return apply(request, r);
        }
        Matcher portForward = PORT_FORWARD.matcher(r.path());
        if (portForward.matches()) {
            return portForward(r, Integer.parseInt(portForward.group(3)));
        }
        if (r.dryRun()) {
            return dryRunAnswer(request, r);
        }
        return super.dispatch(request);
    }

    private static boolean matches(String pattern, String verb) {
        return "*".equals(pattern) || pattern.equals(verb);
    }

    private static String forbiddenMessage(Request r) {
        String kind = r.resource().replaceAll("/.*", ""); // pods/portforward: 'pods "NAME" is forbidden'
        return kind + (r.name() != null ? " \"" + r.name() + "\"" : "") + " is forbidden: User \"test\" cannot "
                + r.verb() + " resource \"" + r.resource() + "\" in API group \"\""
                + (r.namespace() != null ? " in the namespace \"" + r.namespace() + "\"" : " at the cluster scope");
    }

    private Request describe(RecordedRequest request) {
        String path = request.getPath();
        HttpUrl url = HttpUrl.parse("http://localhost" + path);
        Map<String, String> attributes = extractor.fromKubernetesPath(path);
        String resource = attributes.get(KubernetesAttributesExtractor.PLURAL);
        String namespace = attributes.get(KubernetesAttributesExtractor.NAMESPACE);
        String name = attributes.get(KubernetesAttributesExtractor.NAME);
        Matcher ns = NAMESPACES.matcher(path);
        if (ns.matches()) {
            resource = "namespaces";
            name = ns.group(1);
            namespace = null;
        }
        Matcher portForward = PORT_FORWARD.matcher(path);
        if (portForward.matches()) {
            resource = "pods/portforward";
            namespace = portForward.group(1);
            name = portForward.group(2);
        }
        boolean dryRun = "All".equals(url.queryParameter("dryRun"));
        String method = request.getMethod();
        String contentType = request.getHeader("Content-Type");
        String verb = switch (method) {
            case "GET" -> "true".equals(url.queryParameter("watch")) ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> contentType != null && contentType.startsWith(APPLY_PATCH) ? "apply" : "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
        return new Request(method, verb, resource, namespace, name, path, dryRun);
    }

    /** The kubelet's answer: a WebSocket bridged to the backend, or one that reports a refusal and closes. */
    private MockResponse portForward(Request r, int port) {
        MockResponse stored = handleGet("/api/v1/namespaces/" + r.namespace() + "/pods/" + r.name());
        if (stored.code() != 200) {
            return stored;
        }
        Pod pod = Serialization.unmarshal(stored.getBody().readUtf8(), Pod.class);
        streamsOpened.incrementAndGet();
        String refusal = Readiness.isPodReady(pod) ? null : "error forwarding port " + port + " to pod " + r.name()
                + ", uid : failed to execute portforward in network namespace: connection refused";
        InetSocketAddress backend = backends.get(port);
        if (refusal == null && backend == null) {
            refusal = "error forwarding port " + port + " to pod " + r.name() + ": nothing listens there";
        }
        return new MockResponse().withWebSocketUpgrade(new PortForwardBridge(port, backend, refusal, bridges));
    }

    private boolean namespaceExists(String namespace) {
        return findResource(getKey("/api/v1/namespaces/" + namespace)) != null;
    }

    private MockResponse dryRunAnswer(RecordedRequest request, Request r) {
        return switch (r.method()) {
            case "POST" -> new MockResponse().setResponseCode(201).setBody(request.getUtf8Body());
            case "PUT", "PATCH" -> new MockResponse().setResponseCode(200).setBody(request.getUtf8Body());
            default -> {
                Map.Entry<AttributeSet, String> current = findResource(getKey(r.path()));
                yield current == null ? status(404, "NotFound", r.resource() + " \"" + r.name() + "\" not found")
                        : new MockResponse().setResponseCode(200).setBody(current.getValue());
            }
        };
    }

    /** Server-side apply: create when absent, merge when present; dryRun=All stores nothing. */
    private MockResponse apply(RecordedRequest request, Request r) {
        HttpUrl url = HttpUrl.parse("http://localhost" + r.path());
        String manager = url.queryParameter("fieldManager"); // force=true takes fields from other managers
        if (manager == null || manager.isBlank()) {
            return status(400, "BadRequest", "PATCH requests with apply content type must set fieldManager");
        }
        ObjectNode patch;
        try {
            // The apply body is YAML; fabric8 sends JSON (a subset of YAML), which the JSON parser reads much faster.
            String body = request.getUtf8Body();
            patch = (ObjectNode) (body.stripLeading().startsWith("{") ? Serialization.jsonMapper().readTree(body)
                    : Serialization.yamlMapper().readTree(body));
        } catch (Exception e) {
            return status(400, "BadRequest", "cannot parse apply body: " + e.getMessage());
        }
        String bodyName = patch.path("metadata").path("name").asText(null);
        if (bodyName == null || !bodyName.equals(r.name())) {
            return status(400, "BadRequest", "the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + r.name() + ")");
        }
        String now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT);
        AttributeSet key = getKey(r.path());
        Map.Entry<AttributeSet, String> current = findResource(key);
        try {
            if (current == null) {
                ObjectNode created = patch.deepCopy();
                ObjectNode metadata = (ObjectNode) created.get("metadata");
                if (r.namespace() != null) {
                    metadata.put("namespace", r.namespace());
                }
                metadata.put("uid", UUID.randomUUID().toString());
                metadata.put("creationTimestamp", now);
                metadata.put("resourceVersion", String.valueOf(requestResourceVersion()));
                metadata.put("generation", 1);
                setManagedFields(metadata, manager, now);
                String json = Serialization.asJson(created);
                if (!r.dryRun()) {
                    GenericKubernetesResource resource = Serialization.unmarshal(json, GenericKubernetesResource.class);
                    processEvent(r.path(), key.add(new Attribute(KubernetesAttributesExtractor.NAME, r.name())), null,
                            resource, json);
                }
                return new MockResponse().setResponseCode(201).setBody(json);
            }
            JsonNode stored = Serialization.jsonMapper().readTree(current.getValue());
            ObjectNode merged = stored.deepCopy();
            mergeInto(merged, patch);
            preserveMetadata(stored, merged);
            String owner = otherManager(stored, manager);
            if (owner != null && !"true".equals(url.queryParameter("force")) && changesValues(stored, merged)) {
                // A real API server compares field by field; the mock treats any changed value as a conflict.
                return status(409, "Conflict", "Apply failed with 1 conflict: conflict with \"" + owner + "\"");
            }
            ObjectNode mergedMetadata = (ObjectNode) merged.get("metadata");
            boolean force = "true".equals(url.queryParameter("force"));
            JsonNode entries = stored.path("metadata").path("managedFields");
            if (force || !entries.isArray() || entries.isEmpty()) {
                setManagedFields(mergedMetadata, manager, now);
            } else {
                ArrayNode kept = entries.deepCopy();
                boolean present = false;
                for (JsonNode entry : entries) {
                    present |= manager.equals(entry.path("manager").asText());
                }
                if (!present) {
                    kept.addObject().put("manager", manager).put("operation", "Apply").put("time", now);
                }
                mergedMetadata.set("managedFields", kept);
            }
            touchGeneration(stored, merged);
            touchResourceVersion(stored, merged);
            String json = Serialization.asJson(merged);
            if (!r.dryRun() && !stored.equals(merged)) {
                GenericKubernetesResource resource = Serialization.unmarshal(json, GenericKubernetesResource.class);
                processEvent(r.path(), key, current.getKey(), resource, json);
            }
            return new MockResponse().setResponseCode(200).setBody(json);
        } catch (Exception e) {
            return status(500, "InternalError", "mock apply failed: " + e);
        }
    }

    /** The first manager of {@code stored} other than {@code manager}, or null (also when there are none). */
    private static String otherManager(JsonNode stored, String manager) {
        for (JsonNode entry : stored.path("metadata").path("managedFields")) {
            if (!manager.equals(entry.path("manager").asText())) {
                return entry.path("manager").asText();
            }
        }
        return null;
    }

    private static boolean changesValues(JsonNode stored, JsonNode merged) {
        ObjectNode a = stored.deepCopy();
        ObjectNode b = merged.deepCopy();
        ((ObjectNode) a.path("metadata")).remove("managedFields");
        ((ObjectNode) b.path("metadata")).remove("managedFields");
        return !a.equals(b);
    }

    private static void setManagedFields(ObjectNode metadata, String manager, String now) {
        ArrayNode fields = metadata.putArray("managedFields");
        ObjectNode entry = fields.addObject();
        entry.put("manager", manager);
        entry.put("operation", "Apply");
        entry.put("time", now);
    }

    /** Maps merge recursively; lists and scalars from {@code patch} replace; explicit nulls delete. */
    static void mergeInto(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = target.get(field.getKey());
            if (field.getValue().isNull()) {
                target.remove(field.getKey());
            } else if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                mergeInto(existingObject, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    static MockResponse status(int code, String reason, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
                .withMessage(message).build();
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(status));
    }

    /** The stored objects, as JSON strings (read directly from the store). */
    public synchronized List<String> stored() {
        return new ArrayList<>(getMap().values());
    }
}
