package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Pods and events as the host cluster would show them for a kdk cluster, written into the mock. */
final class ClusterFixtures {
    private ClusterFixtures() {
    }

    static PodBuilder pod(String ns, String cluster) {
        return new PodBuilder().withNewMetadata().withName("kdk-" + cluster + "-0").withNamespace(ns)
                .addToLabels(Labels.INSTANCE, "kdk").addToLabels(Labels.MANAGED_BY, "kdk")
                .addToLabels(Labels.CLUSTER, cluster).addToAnnotations(Labels.OWNER, cluster + "@example.org")
                .endMetadata().withNewSpec().withNodeName("node-a").addNewContainer().withName("kdk")
                .withImage("registry.example.org/kdk/kdk-node:0.1.0").endContainer().endSpec();
    }

    static Pod ready(String ns, String cluster, int restarts, String startedAt) {
        return pod(ns, cluster).withNewStatus().withPhase("Running")
                .addToConditions(condition("PodScheduled", "True", null, null),
                        condition("Initialized", "True", null, null),
                        condition("ContainersReady", "True", null, null), condition("Ready", "True", null, null))
                .addToContainerStatuses(new ContainerStatusBuilder().withName("kdk").withReady(true)
                        .withRestartCount(restarts).withNewState().withNewRunning().withStartedAt(startedAt)
                        .endRunning().endState().build())
                .endStatus().build();
    }

    static Pod starting(String ns, String cluster, String startedAt) {
        return pod(ns, cluster).withNewStatus().withPhase("Running")
                .addToConditions(condition("PodScheduled", "True", null, null),
                        condition("Ready", "False", "ContainersNotReady", "containers with unready status: [kdk]"))
                .addToContainerStatuses(new ContainerStatusBuilder().withName("kdk").withReady(false)
                        .withRestartCount(0).withNewState().withNewRunning().withStartedAt(startedAt)
                        .endRunning().endState().build())
                .endStatus().build();
    }

    static Pod imagePullBackOff(String ns, String cluster) {
        return pod(ns, cluster).withNewStatus().withPhase("Pending")
                .addToConditions(condition("PodScheduled", "True", null, null),
                        condition("Ready", "False", "ContainersNotReady", "containers with unready status: [kdk]"))
                .addToContainerStatuses(new ContainerStatusBuilder().withName("kdk").withReady(false)
                        .withRestartCount(0).withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"registry.example.org/kdk/kdk-node:0.1.0\"")
                        .endWaiting().endState().build())
                .endStatus().build();
    }

    static io.fabric8.kubernetes.api.model.PodCondition condition(String type, String status, String reason,
            String message) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .build();
    }

    static Event event(String ns, String pod, String name, String type, String reason, String message, String at) {
        return new EventBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(ns).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withLastTimestamp(at).withFirstTimestamp(at)
                .build();
    }

    static void create(KubernetesClient client, io.fabric8.kubernetes.api.model.HasMetadata object) {
        client.resource(object).create();
    }
}
