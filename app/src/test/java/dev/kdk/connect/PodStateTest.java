package dev.kdk.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** What connect reads of a pod's JSON, compared where it can be with fabric8's typed reading. */
class PodStateTest {

    @Test
    void aReadyPodWithRestartsFromItsJson() {
        PodState pod = read("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "kdk-testing1-0", "uid": "u-1"},
                 "spec": {"containers": [{"name": "dind", "image": "x"}]},
                 "status": {"phase": "Running",
                   "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "True"}],
                   "containerStatuses": [{"name": "dind", "restartCount": 2, "state": {"running": {}}},
                                         {"name": "side", "restartCount": 1, "state": {"running": {}}}]}}
                """);

        assertThat(pod).isEqualTo(new PodState("kdk-testing1-0", "u-1", "Running", true, 3, null, null, null));
        assertThat(pod.identity()).isEqualTo("u-1/3");
    }

    @Test
    void aWaitingContainerGivesTheReasonAndTheLine() {
        PodState pod = read("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "uid": "u"},
                 "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}],
                   "containerStatuses": [{"name": "dind", "restartCount": 5,
                     "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}}}]}}
                """);

        assertThat(pod.ready()).isFalse();
        assertThat(pod.waitingReason()).isEqualTo("CrashLoopBackOff");
        assertThat(pod.containerState()).isEqualTo("container dind waiting: CrashLoopBackOff: back-off 5m0s");
    }

    @Test
    void aTerminatedContainerAndAStatusMessage() {
        PodState pod = read("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "uid": "u"},
                 "status": {"phase": "Failed", "message": "The node was low on resource: memory.",
                   "containerStatuses": [{"name": "dind", "restartCount": 0,
                     "state": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}]}}
                """);

        assertThat(pod.phase()).isEqualTo("Failed");
        assertThat(pod.waitingReason()).isNull();
        assertThat(pod.containerState()).isEqualTo("container dind terminated: OOMKilled (exit code 137)");
        assertThat(pod.message()).isEqualTo("The node was low on resource: memory.");
    }

    @Test
    void aPodWithoutStatusIsUnknownAndNotReady() {
        PodState pod = read("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "uid": "u"}}
                """);

        assertThat(pod).isEqualTo(new PodState("p", "u", "Unknown", false, 0, null, null, null));
    }

    @Test
    void readinessAgreesWithFabric8sTypedReading() {
        for (String status : new String[] {"True", "False", "Unknown"}) {
            var typed = new PodBuilder().withNewMetadata().withName("p").withUid("u").endMetadata().withNewStatus()
                    .withPhase("Running").addNewCondition().withType("Ready").withStatus(status).endCondition()
                    .endStatus().build();
            PodState generic = PodState.of(Serialization.unmarshal(Serialization.asJson(typed),
                    GenericKubernetesResource.class));
            assertThat(generic.ready()).as(status)
                    .isEqualTo(io.fabric8.kubernetes.client.readiness.Readiness.isPodReady(typed));
        }
    }

    private static PodState read(String json) {
        return PodState.of(Serialization.unmarshal(json, GenericKubernetesResource.class));
    }
}
